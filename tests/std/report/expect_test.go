package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

const expectLinux = `{"Action":"pass","Package":"p","Test":"TestPass"}
{"Action":"pass","Package":"p","Test":"TestListedFail"}
{"Action":"pass","Package":"p","Test":"TestUnlistedFail"}
{"Action":"skip","Package":"p","Test":"TestBothSkip"}
{"Action":"pass","Package":"p","Test":"TestUnlistedSkip"}
{"Action":"pass","Package":"p","Test":"TestHangs"}
{"Action":"pass","Package":"p","Test":"TestUnixOnly"}
{"Action":"pass","Package":"p","Test":"TestGone"}
{"Action":"pass","Package":"p","Test":"TestFixed"}
{"Action":"pass","Package":"p","Test":"TestSubs"}
{"Action":"pass","Package":"p","Test":"TestSubsUnlisted"}
{"Action":"pass","Package":"p"}
{"Action":"pass","Package":"q","Test":"TestQ"}
{"Action":"pass","Package":"q"}
{"Action":"pass","Package":"notrun","Test":"TestN"}
{"Action":"pass","Package":"notrun"}
`

const expectNone = `{"Action":"pass","Package":"p","Test":"TestPass"}
{"Action":"fail","Package":"p","Test":"TestListedFail"}
{"Action":"fail","Package":"p","Test":"TestUnlistedFail"}
{"Action":"skip","Package":"p","Test":"TestBothSkip"}
{"Action":"skip","Package":"p","Test":"TestUnlistedSkip"}
{"Action":"pass","Package":"p","Test":"TestFixed"}
{"Action":"fail","Package":"p","Test":"TestSubs/a/x"}
{"Action":"fail","Package":"p","Test":"TestSubs/a"}
{"Action":"pass","Package":"p","Test":"TestSubs/b"}
{"Action":"fail","Package":"p","Test":"TestSubs"}
{"Action":"fail","Package":"p","Test":"TestSubsUnlisted/a"}
{"Action":"fail","Package":"p","Test":"TestSubsUnlisted/b"}
{"Action":"fail","Package":"p","Test":"TestSubsUnlisted"}
{"Action":"fail","Package":"p"}
{"Action":"fail","Package":"q"}
`

const expectFile = `# a comment

p TestListedFail fail a reason
p TestHangs skip hangs on none
p TestUnix.* absent built for unix only
p TestFixed fail it used to fail
p TestSubs/a/x fail one subtest
p TestSubsUnlisted/a fail only one of two
p TestNoSuch fail stale
notrun TestN fail not in this run
`

func TestJudge(t *testing.T) {
	linux, err := read(strings.NewReader(expectLinux))
	if err != nil {
		t.Fatal(err)
	}
	none, err := read(strings.NewReader(expectNone))
	if err != nil {
		t.Fatal(err)
	}
	expect, err := parseExpect(strings.NewReader(expectFile), "expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	v := judge(linux, none, expect)
	want := verdict{
		unexpected: []string{
			"p TestGone: not run on none, pass on linux",
			"p TestSubsUnlisted: fail on none, pass on linux",
			"p TestUnlistedFail: fail on none, pass on linux",
			"p TestUnlistedSkip: skip on none, pass on linux",
			"q TestQ: not run on none, pass on linux",
			"q: package failed with no failing test (see its log)",
		},
		nowPass: []string{"line 6: p TestFixed: passes now"},
		unused:  []string{"line 9: p TestNoSuch fail: matches no test"},
	}
	// The unexpected lines sort by package, then test.
	if !reflect.DeepEqual(v, want) {
		t.Errorf("judge:\n got %q\nwant %q", v, want)
	}
	var out bytes.Buffer
	if writeVerdict(&out, v, "expect.txt") {
		t.Errorf("a run with unexpected results met the expectations:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "not passing on none and not in expect.txt (6):\n  p TestGone:") {
		t.Errorf("verdict output:\n%s", out.String())
	}

	// Listed, everything is expected.
	var all bytes.Buffer
	all.WriteString(expectFile)
	all.WriteString("p TestUnlistedFail|TestUnlistedSkip fail x\np TestGone absent w\np TestSubsUnlisted/b fail y\nq TestQ absent z\n")
	expect, err = parseExpect(&all, "expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	v = judge(linux, none, expect)
	if len(v.unexpected) != 1 || !strings.HasPrefix(v.unexpected[0], "q: package failed") || len(v.unused) != 1 {
		t.Errorf("fully listed: unexpected %q, unused %q", v.unexpected, v.unused)
	}
}

func TestParseExpectErrors(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{"p TestA fail", "x:1: want PACKAGE TEST KIND REASON, got 3 fields"},
		{"\np TestA maybe why", `x:2: kind "maybe": want skip, fail or absent`},
		{"p Test( fail why", "x:1: error parsing regexp"},
		{"p TestA/b skip why", "x:1: a skip names top-level tests only"},
	} {
		_, err := parseExpect(strings.NewReader(tc.in), "x")
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("parseExpect(%q) = %v, want %q...", tc.in, err, tc.err)
		}
	}
}
