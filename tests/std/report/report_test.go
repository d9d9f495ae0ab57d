package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const linuxStream = `{"Action":"start","Package":"a"}
{"Action":"run","Package":"a","Test":"TestOne"}
{"Action":"pass","Package":"a","Test":"TestOne","Elapsed":0}
{"Action":"pass","Package":"a","Test":"TestOne/sub","Elapsed":0}
{"Action":"pass","Package":"a","Test":"TestTwo","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestThree","Elapsed":0}
{"Action":"pass","Package":"a","Elapsed":0.1}
{"Action":"pass","Package":"b","Test":"TestB","Elapsed":0}
{"Action":"pass","Package":"b","Elapsed":0.1}
{"Action":"skip","Package":"c","Elapsed":0}
`

const noneStream = `{"Action":"pass","Package":"a","Test":"TestOne","Elapsed":0}
{"Action":"fail","Package":"a","Test":"TestOne/sub","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestTwo","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestThree","Elapsed":0}
{"Action":"pass","Package":"a","Elapsed":0.1}
build output that is not JSON
{"Action":"fail","Package":"b","Elapsed":0.1}
{"Action":"skip","Package":"c","Elapsed":0}
`

// archNoneStream is a port's run where a TestTwo skips and b TestB is not
// built: what an architecture's expectations may list.
const archNoneStream = `{"Action":"pass","Package":"a","Test":"TestOne","Elapsed":0}
{"Action":"pass","Package":"a","Test":"TestOne/sub","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestTwo","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestThree","Elapsed":0}
{"Action":"pass","Package":"a","Elapsed":0.1}
{"Action":"pass","Package":"b","Elapsed":0.1}
{"Action":"skip","Package":"c","Elapsed":0}
`

// readPair reads a linux and a none stream, each given as text.
func readPair(t *testing.T, linuxText, noneText string) (linux, none *result) {
	t.Helper()
	linux, err := read(strings.NewReader(linuxText))
	if err != nil {
		t.Fatal(err)
	}
	none, err = read(strings.NewReader(noneText))
	if err != nil {
		t.Fatal(err)
	}
	return linux, none
}

func TestSummary(t *testing.T) {
	linux, none := readPair(t, linuxStream, noneStream)
	if got, want := linux.counts(), (counts{pkgOK: 2, pkgNoTests: 1, pass: 3, skip: 1}); got != want {
		t.Errorf("linux counts %+v, want %+v", got, want)
	}
	if got, want := none.counts(), (counts{pkgOK: 1, pkgFail: 1, pkgNoTests: 1, pass: 1, skip: 2}); got != want {
		t.Errorf("none counts %+v, want %+v", got, want)
	}
	var out bytes.Buffer
	summary(&out, "arm64", linux, none, 10, 12)
	for _, want := range []string{
		fmt.Sprintf("%-28s %10s %10s\n", "arm64", "linux", "none"),
		fmt.Sprintf("%-28s %10d %10d\n", "top-level tests passed", 3, 1),
		"none/linux 1.20×",
		"2 tests pass on linux/arm64 but not on none/arm64:\n  a TestTwo (skip)\n  b TestB (not run)\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestProgress(t *testing.T) {
	var out, status bytes.Buffer
	if err := progress(strings.NewReader(noneStream), &out, &status, "", 3); err != nil {
		t.Fatal(err)
	}
	if out.String() != noneStream {
		t.Errorf("the stream was not copied whole:\n%s", out.String())
	}
	if !strings.HasSuffix(status.String(), "\r3/3 packages, 1 failed, 1 tests passed, 0s   \n") {
		t.Errorf("progress line: %q", status.String())
	}
	status.Reset()
	if err := progress(strings.NewReader(noneStream), io.Discard, &status, "none/riscv64", 3); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(status.String(), "\rnone/riscv64: 3/3 packages, 1 failed, 1 tests passed, 0s   \n") {
		t.Errorf("progress line with a target: %q", status.String())
	}
}

// writeRuns writes a results directory as scripts/std.sh leaves it: for
// each architecture its two streams and their wall times (none for an
// empty wall).
func writeRuns(t *testing.T, runs map[string][4]string) string {
	t.Helper()
	dir := t.TempDir()
	for arch, r := range runs {
		for i, name := range []string{"linux-" + arch + ".json", "none-" + arch + ".json"} {
			file := filepath.Join(dir, name)
			if err := os.WriteFile(file, []byte(r[i]), 0o644); err != nil {
				t.Fatal(err)
			}
			if r[2+i] != "" {
				if err := os.WriteFile(file+".wall", []byte(r[2+i]+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return dir
}

// TestCompare runs the report as scripts/std.sh does, over three
// architectures: a section each, the wall times side by side, a verdict
// each held to the lines for its architecture, six columns.
func TestCompare(t *testing.T) {
	dir := writeRuns(t, map[string][4]string{
		"amd64": {linuxStream, linuxStream, "10", "12.5"},
		"arm64": {linuxStream, archNoneStream, "40", "100"},
		"arm":   {linuxStream, archNoneStream, "50", ""},
	})
	expect := filepath.Join(t.TempDir(), "expect.txt")
	if err := os.WriteFile(expect, []byte(`a TestTwo fail@arm64,arm skips under emulation
b TestB absent@arm64,arm not built there
`), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "std.html")
	var out bytes.Buffer
	ok, err := compare(&out, dir, []string{"amd64", "arm64", "arm"}, expect, page)
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !ok {
		t.Errorf("the runs did not meet the expectations:\n%s", s)
	}
	for _, want := range []string{
		fmt.Sprintf("%-28s %10s %10s\n", "amd64", "linux", "none"),
		"0 tests pass on linux/amd64 but not on none/amd64:\n",
		fmt.Sprintf("%-28s %10s %10s\n", "arm64", "linux", "none"),
		"2 tests pass on linux/arm64 but not on none/arm64:\n",
		"2 tests pass on linux/arm but not on none/arm:\n",
		fmt.Sprintf("%-10s %10s %10s %12s %16s\n", "amd64", "10s", "12s", "1.25×", "1.00×"),
		fmt.Sprintf("%-10s %10s %10s %12s %16s\n", "arm64", "40s", "100s", "2.50×", "8.00×"),
		fmt.Sprintf("%-10s %10s %10s %12s %16s\n", "arm", "50s", "?", "?", "?"),
		"none/amd64 meets " + expect,
		"none/arm64 meets " + expect,
		"none/arm meets " + expect,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	// The lines for arm and arm64 matched nothing on amd64: no concern of its run.
	if strings.Contains(s, "matching no test") {
		t.Errorf("an arm-only line was reported stale:\n%s", s)
	}
	// One column per target, the pairs in order, each with its logs.
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	heads := regexp.MustCompile(`<th data-target="([^"]+)">`).FindAllStringSubmatch(string(b), -1)
	var names []string
	for _, m := range heads {
		names = append(names, m[1])
	}
	if want := []string{"linux/amd64", "none/amd64", "linux/arm64", "none/arm64", "linux/arm", "none/arm"}; !reflect.DeepEqual(names, want) {
		t.Errorf("columns %q, want %q", names, want)
	}
	if !strings.Contains(string(b), "<title>GOOS=none against GOOS=linux: go test -short std</title>") {
		t.Error("the page's title changed")
	}
	if !strings.Contains(string(b), `<td id="total-linux/arm-wall">50s</td>`) ||
		!strings.Contains(string(b), `<td id="total-none/arm-wall">?</td>`) {
		t.Error("the wall times are not in their columns")
	}
	for _, d := range []string{"linux-amd64", "none-arm64", "none-arm"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Errorf("no log directory %s: %v", d, err)
		}
	}

	// amd64 alone: its section and verdict, no wall-time table.
	out.Reset()
	if ok, err := compare(&out, dir, []string{"amd64"}, expect, ""); err != nil || !ok {
		t.Errorf("amd64 alone: ok %v, err %v", ok, err)
	}
	if strings.Contains(out.String(), "none/none-amd64") || strings.Contains(out.String(), "arm") {
		t.Errorf("amd64 alone:\n%s", out.String())
	}

	// The same arm-only lines do not excuse the failures on amd64.
	dir2 := writeRuns(t, map[string][4]string{"amd64": {linuxStream, archNoneStream, "1", "1"}})
	out.Reset()
	ok, err = compare(&out, dir2, []string{"amd64"}, expect, "")
	if err != nil || ok {
		t.Errorf("amd64 failing what only arm lines list: ok %v, err %v", ok, err)
	}
	if !strings.Contains(out.String(), "not passing on none/amd64 and not in "+expect+" (2):\n  a TestTwo:") ||
		!strings.Contains(out.String(), "none/amd64 does not meet "+expect+": 2 unexpected") {
		t.Errorf("verdict:\n%s", out.String())
	}

	// A missing stream or a malformed wall time is the builder's failure.
	if _, err := compare(io.Discard, dir, []string{"riscv64"}, "", ""); err == nil {
		t.Error("no stream for riscv64, no error")
	}
	if err := os.WriteFile(filepath.Join(dir, "none-arm.json.wall"), []byte("soon\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := compare(io.Discard, dir, []string{"arm"}, "", ""); err == nil || !strings.Contains(err.Error(), "not a wall time") {
		t.Errorf("a malformed wall time: %v", err)
	}
}

func TestParseArches(t *testing.T) {
	if got, err := parseArches("riscv64,amd64"); err != nil || !reflect.DeepEqual(got, []string{"riscv64", "amd64"}) {
		t.Errorf("parseArches(riscv64,amd64) = %q, %v", got, err)
	}
	for _, bad := range []string{"", "amd64,", "mips", "arm,arm", "all"} {
		if _, err := parseArches(bad); err == nil {
			t.Errorf("parseArches(%q): no error", bad)
		}
	}
}
