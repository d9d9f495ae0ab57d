package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// An expectation is one line of tests/std/expect.txt: a test (or a group of
// tests, by regexp) that does not pass on the port, and why.
//
//	PACKAGE TEST KIND REASON...
//
// TEST is a regexp per level, as go test -skip takes it (TestA/sub), each
// level matched whole. KIND is one of
//
//	skip  not run on the port: the exec wrapper passes it to -test.skip
//	      (a test that hangs or takes the package down; top level only)
//	fail  runs and fails or skips on the port
//	absent  not built for the port (its file's build tags leave none out)
//
// and may name the architectures it holds on, KIND@ARCH[,ARCH...]
// (fail@arm,riscv64); without them it holds on every one.
type expectation struct {
	line   int
	pkg    string
	levels []*regexp.Regexp
	text   string // TEST as written
	kind   string
	as     string   // KIND as written, with its architectures
	arches []string // those architectures; none: every one
	reason string

	matched int // tests it explained in this run
	passed  int // of those, how many passed on the port after all
}

var kinds = map[string]bool{"skip": true, "fail": true, "absent": true}

// knownArches are the architectures the port runs on, in the builder's order.
var knownArches = []string{"amd64", "arm", "arm64", "riscv64"}

func knownArch(a string) bool {
	for _, k := range knownArches {
		if a == k {
			return true
		}
	}
	return false
}

// appliesTo reports whether e holds on arch.
func (e *expectation) appliesTo(arch string) bool {
	if e.arches == nil {
		return true
	}
	for _, a := range e.arches {
		if a == arch {
			return true
		}
	}
	return false
}

// parseExpect reads an expectations file. Every malformed line is an
// error naming its line, so a typo cannot silently expect nothing.
func parseExpect(r io.Reader, name string) ([]*expectation, error) {
	var out []*expectation
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("%s:%d: want PACKAGE TEST KIND REASON, got %d fields", name, n, len(f))
		}
		kind, list, qualified := strings.Cut(f[2], "@")
		if !kinds[kind] {
			return nil, fmt.Errorf("%s:%d: kind %q: want skip, fail or absent", name, n, kind)
		}
		e := &expectation{line: n, pkg: f[0], text: f[1], kind: kind, as: f[2], reason: strings.Join(f[3:], " ")}
		if qualified {
			for _, a := range strings.Split(list, ",") {
				if !knownArch(a) {
					return nil, fmt.Errorf("%s:%d: architecture %q in %q: want %s",
						name, n, a, f[2], strings.Join(knownArches, ", "))
				}
				e.arches = append(e.arches, a)
			}
		}
		for _, level := range strings.Split(f[1], "/") {
			re, err := regexp.Compile("^(?:" + level + ")$")
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			e.levels = append(e.levels, re)
		}
		if e.kind == "skip" && len(e.levels) > 1 {
			return nil, fmt.Errorf("%s:%d: a skip names top-level tests only (go test -skip takes one pattern)", name, n)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

func readExpect(path string) ([]*expectation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseExpect(f, path)
}

// matches reports whether e names test (top-level or a subtest) in pkg:
// a subtest is named by an entry for it or for one of its parents.
func (e *expectation) matches(pkg, test string) bool {
	if e.pkg != pkg {
		return false
	}
	parts := strings.Split(test, "/")
	if len(parts) < len(e.levels) {
		return false
	}
	for i, re := range e.levels {
		if !re.MatchString(parts[i]) {
			return false
		}
	}
	return true
}

func lookup(expect []*expectation, pkg, test string) *expectation {
	for _, e := range expect {
		if e.matches(pkg, test) {
			return e
		}
	}
	return nil
}

// verdict is what the expectations make of one run against Linux's.
type verdict struct {
	unexpected []string // not passing on the port and not listed: the builder fails
	nowPass    []string // listed but passing: the line can go
	unused     []string // listed for a package that ran, matching nothing
}

// judge holds the port's run on arch to the expectations that hold there,
// against Linux's run on the same arch. Every top-level test that does not
// pass on the port must be listed, unless Linux skips it too; so must every
// test that passes on Linux and never ran on the port. A failed top-level
// test is also explained when each of its failing subtests is listed. A
// package that failed with no failing test (a build failure, a crash
// between tests) is unexpected. Lines that match nothing or pass now are
// counted on this arch alone: a line for other architectures is no concern
// of this run.
func judge(linux, none *result, all []*expectation, arch string) verdict {
	var v verdict
	var expect []*expectation
	for _, e := range all {
		if e.appliesTo(arch) {
			c := *e // this run's counts, not another arch's
			c.matched, c.passed = 0, 0
			expect = append(expect, &c)
		}
	}
	for pkg, ts := range none.tests {
		for name, got := range ts {
			if got == "pass" {
				for _, e := range expect {
					if e.kind == "fail" && e.matches(pkg, name) {
						e.matched++
						e.passed++
					}
				}
				continue
			}
			if got == "skip" && linux.tests[pkg][name] == "skip" {
				continue
			}
			if e := lookup(expect, pkg, name); e != nil {
				e.matched++
				continue
			}
			if got == "fail" && none.subtestsListed(pkg, name, expect) {
				continue
			}
			v.unexpected = append(v.unexpected, fmt.Sprintf("%s %s: %s on none, %s on linux",
				pkg, name, got, orNotRun(linux.tests[pkg][name])))
		}
	}
	for pkg, ts := range linux.tests {
		if none.pkgs[pkg] == "" {
			continue // not in this run
		}
		for name, got := range ts {
			if got != "pass" || none.tests[pkg][name] != "" {
				continue
			}
			if e := lookup(expect, pkg, name); e != nil && e.kind != "fail" {
				e.matched++
				continue
			}
			v.unexpected = append(v.unexpected, fmt.Sprintf("%s %s: not run on none, pass on linux", pkg, name))
		}
	}
	for pkg, st := range none.pkgs {
		if st == "fail" && len(none.failed(pkg)) == 0 {
			v.unexpected = append(v.unexpected, fmt.Sprintf("%s: package failed with no failing test (see its log)", pkg))
		}
	}
	for _, e := range expect {
		switch {
		case none.pkgs[e.pkg] == "":
			// not in this run
		case e.matched == 0:
			why := "matches no test"
			if linux.pkgs[e.pkg] == "fail" {
				// Linux under qemu times out in some packages: its tests
				// have no results there, which the line cannot match.
				why += " (linux's run of the package failed: this run cannot tell)"
			}
			v.unused = append(v.unused, fmt.Sprintf("line %d: %s %s %s: %s", e.line, e.pkg, e.text, e.as, why))
		case e.kind == "fail" && e.passed == e.matched:
			v.nowPass = append(v.nowPass, fmt.Sprintf("line %d: %s %s: passes now", e.line, e.pkg, e.text))
		}
	}
	sort.Strings(v.unexpected)
	sort.Strings(v.nowPass)
	sort.Strings(v.unused)
	return v
}

func orNotRun(action string) string {
	if action == "" {
		return "not run"
	}
	return action
}

// subtestsListed reports whether a failed test's failures are all in
// subtests the expectations list (and there is at least one).
func (r *result) subtestsListed(pkg, test string, expect []*expectation) bool {
	var failed []string
	for name, a := range r.subtests[pkg] {
		if a == "fail" && strings.HasPrefix(name, test+"/") {
			failed = append(failed, name)
		}
	}
	if len(failed) == 0 {
		return false
	}
	all, some := true, false
	for _, name := range failed {
		// A failing parent subtest is explained by its listed children too.
		if r.hasFailedChild(pkg, name) {
			continue
		}
		if e := lookup(expect, pkg, name); e != nil {
			e.matched++
			some = true
		} else {
			all = false
		}
	}
	return all && some
}

func (r *result) hasFailedChild(pkg, name string) bool {
	for n, a := range r.subtests[pkg] {
		if a == "fail" && strings.HasPrefix(n, name+"/") {
			return true
		}
	}
	return false
}

// failed lists a package's failed top-level tests.
func (r *result) failed(pkg string) []string {
	var out []string
	for name, a := range r.tests[pkg] {
		if a == "fail" {
			out = append(out, name)
		}
	}
	return out
}

// writeVerdict prints the judgement of arch's run; it returns whether the
// run meets the expectations.
func writeVerdict(w io.Writer, v verdict, expectPath, arch string) bool {
	list := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s (%d):\n", title, len(lines))
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	none := "none/" + arch
	list("not passing on "+none+" and not in "+expectPath, v.unexpected)
	list("listed in "+expectPath+" but passing now on "+none+": remove the line, or leave "+arch+" out of it", v.nowPass)
	list("listed in "+expectPath+" but matching no test on "+none, v.unused)
	if len(v.unexpected) == 0 {
		fmt.Fprintf(w, "\n%s meets %s\n", none, expectPath)
		return true
	}
	fmt.Fprintf(w, "\n%s does not meet %s: %d unexpected\n", none, expectPath, len(v.unexpected))
	return false
}
