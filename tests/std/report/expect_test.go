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
	linux, none := readPair(t, expectLinux, expectNone)
	expect, err := parseExpect(strings.NewReader(expectFile), "expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	v := judge(linux, none, expect, "amd64")
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
	if writeVerdict(&out, v, "expect.txt", "amd64") {
		t.Errorf("a run with unexpected results met the expectations:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "not passing on none/amd64 and not in expect.txt (6):\n  p TestGone:") {
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
	v = judge(linux, none, expect, "amd64")
	if len(v.unexpected) != 1 || !strings.HasPrefix(v.unexpected[0], "q: package failed") || len(v.unused) != 1 {
		t.Errorf("fully listed: unexpected %q, unused %q", v.unexpected, v.unused)
	}
}

// TestJudgeLinuxFailed: a line that matches nothing in a package whose
// Linux run failed (as Linux's syscall package times out under qemu-arm)
// says the run cannot tell; in a package Linux passes it is stale.
func TestJudgeLinuxFailed(t *testing.T) {
	linux, none := readPair(t, `{"Action":"pass","Package":"p","Test":"TestP"}
{"Action":"pass","Package":"p"}
{"Action":"fail","Package":"r"}
`, `{"Action":"pass","Package":"p","Test":"TestP"}
{"Action":"pass","Package":"p"}
{"Action":"pass","Package":"r","Test":"TestOther"}
{"Action":"pass","Package":"r"}
`)
	expect, err := parseExpect(strings.NewReader("p TestStale skip x\nr TestHangs skip y\n"), "expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	v := judge(linux, none, expect, "arm")
	want := []string{
		"line 1: p TestStale skip: matches no test",
		"line 2: r TestHangs skip: matches no test (linux's run of the package failed: this run cannot tell)",
	}
	if len(v.unexpected) != 0 || !reflect.DeepEqual(v.unused, want) {
		t.Errorf("unexpected %q, unused %q; want unused %q", v.unexpected, v.unused, want)
	}
}

// TestJudgeArch: a line with architectures holds on those alone, and its
// counts (matched nothing, passes now) are each run's own.
func TestJudgeArch(t *testing.T) {
	linux, none := readPair(t, expectLinux, expectNone)
	expect, err := parseExpect(strings.NewReader(expectFile+`p TestUnlistedFail fail@arm,riscv64 fails under emulation
p TestUnlistedSkip fail@amd64,arm64 x
p TestGone absent@amd64,arm64 w
p TestSubsUnlisted/b fail y
q TestQ absent z
p TestArmOnly fail@arm stale on arm, of no concern elsewhere
p TestPass fail@riscv64 fixed on riscv64
`), "expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	if e := expect[len(expect)-7]; e.kind != "fail" || e.as != "fail@arm,riscv64" || !reflect.DeepEqual(e.arches, []string{"arm", "riscv64"}) {
		t.Errorf("parsed %+v", e)
	}
	for _, tc := range []struct {
		arch       string
		unexpected []string
		nowPass    []string
		unused     []string
	}{
		// The line for arm and riscv64 does not excuse amd64's failure.
		{"amd64", []string{"p TestUnlistedFail: fail on none, pass on linux"},
			[]string{"line 6: p TestFixed: passes now"},
			[]string{"line 9: p TestNoSuch fail: matches no test"}},
		{"arm", []string{"p TestGone: not run on none, pass on linux", "p TestUnlistedSkip: skip on none, pass on linux"},
			[]string{"line 6: p TestFixed: passes now"},
			[]string{"line 16: p TestArmOnly fail@arm: matches no test", "line 9: p TestNoSuch fail: matches no test"}},
		{"riscv64", []string{"p TestGone: not run on none, pass on linux", "p TestUnlistedSkip: skip on none, pass on linux"},
			[]string{"line 17: p TestPass: passes now", "line 6: p TestFixed: passes now"},
			[]string{"line 9: p TestNoSuch fail: matches no test"}},
	} {
		v := judge(linux, none, expect, tc.arch)
		want := verdict{
			unexpected: append(tc.unexpected, "q: package failed with no failing test (see its log)"),
			nowPass:    tc.nowPass, unused: tc.unused,
		}
		if !reflect.DeepEqual(v, want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.arch, v, want)
		}
	}
	// Each run counts afresh: judging twice gives the same verdict.
	if a, b := judge(linux, none, expect, "arm"), judge(linux, none, expect, "arm"); !reflect.DeepEqual(a, b) {
		t.Errorf("a second judgement differs:\n%q\n%q", a, b)
	}
	var out bytes.Buffer
	writeVerdict(&out, judge(linux, none, expect, "arm"), "expect.txt", "arm")
	if !strings.Contains(out.String(), "listed in expect.txt but matching no test on none/arm (2):\n  line 16: p TestArmOnly fail@arm") {
		t.Errorf("verdict on arm:\n%s", out.String())
	}
}

func TestParseExpectErrors(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{"p TestA fail", "x:1: want PACKAGE TEST KIND REASON, got 3 fields"},
		{"\np TestA maybe why", `x:2: kind "maybe": want skip, fail or absent`},
		{"p Test( fail why", "x:1: error parsing regexp"},
		{"p TestA/b skip why", "x:1: a skip names top-level tests only"},
		{"p TestA/b skip@arm why", "x:1: a skip names top-level tests only"},
		{"\n\np TestA fail@mips why", `x:3: architecture "mips" in "fail@mips": want amd64, arm, arm64, riscv64`},
		{"p TestA fail@ why", `x:1: architecture "" in "fail@"`},
		{"p TestA fail@arm, why", `x:1: architecture "" in "fail@arm,"`},
		{"p TestA fail@all why", `x:1: architecture "all"`},
		{"p TestA maybe@arm why", `x:1: kind "maybe": want skip, fail or absent`},
	} {
		_, err := parseExpect(strings.NewReader(tc.in), "x")
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("parseExpect(%q) = %v, want %q...", tc.in, err, tc.err)
		}
	}
}
