// Command report reads go test -json (test2json) streams of the standard
// library for GOOS=linux and GOOS=none, from the same tree, one pair per
// architecture, and prints what a port's maintainer reads first: for each
// architecture a summary per target (packages, top-level tests, wall time,
// the ratio) and the tests that pass on its Linux but not on the port, then,
// for more than one, their wall times side by side; with -expect it holds
// each architecture's port run to the expectations file (expect.go) and
// exits 1 when one does not meet it; with -html it writes the package ×
// target matrix (html.go), linux/A and none/A for each A in order. With
// -progress it instead copies one stream from stdin to a file, printing a
// progress line on stderr as packages finish.
//
//	report -dir results -arch amd64,arm64 [-expect tests/std/expect.txt] \
//	    [-html results/std.html]
//	go test -json std | report -progress [-target none/amd64] -total N -o results/none-amd64.json
//
// -dir holds, for each architecture A, linux-A.json and none-A.json (as
// scripts/std.sh writes them) and beside each its wall time in seconds,
// linux-A.json.wall and none-A.json.wall (missing: unknown).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// event is the part of a test2json event report reads.
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
}

// result is one target's run: each package's outcome and each top-level
// test's, by package.
type result struct {
	pkgs     map[string]string            // package -> pass, fail or skip (no tests)
	tests    map[string]map[string]string // package -> top-level test -> pass, fail or skip
	subtests map[string]map[string]string // package -> subtest (A/b/c) -> pass, fail or skip
}

func final(action string) bool {
	return action == "pass" || action == "fail" || action == "skip"
}

func read(r io.Reader) (*result, error) {
	res := &result{pkgs: map[string]string{}, tests: map[string]map[string]string{},
		subtests: map[string]map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || !final(e.Action) || e.Package == "" {
			continue // build output and the like
		}
		switch {
		case e.Test == "":
			res.pkgs[e.Package] = e.Action
		case !strings.Contains(e.Test, "/"):
			put(res.tests, e.Package, e.Test, e.Action)
		default:
			put(res.subtests, e.Package, e.Test, e.Action)
		}
	}
	return res, sc.Err()
}

// matrix writes the HTML page at path, each target's logs (split from its
// stream) in a directory beside it named after the target ("none-amd64").
func matrix(path string, targets []matrixTarget, streams []string) error {
	for i := range targets {
		dir := filepath.Join(filepath.Dir(path), strings.ReplaceAll(targets[i].Name, "/", "-"))
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		logs, err := writeLogs(streams[i], dir)
		if err != nil {
			return err
		}
		targets[i].Logs = logs
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = writeHTML(f, "GOOS=none against GOOS=linux: go test -short std", targets)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func put(m map[string]map[string]string, pkg, test, action string) {
	if m[pkg] == nil {
		m[pkg] = map[string]string{}
	}
	m[pkg][test] = action
}

func readFile(path string) (*result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f)
}

// counts are a target's totals.
type counts struct {
	pkgOK, pkgFail, pkgNoTests int
	pass, fail, skip           int
}

func (r *result) counts() counts {
	var c counts
	for _, a := range r.pkgs {
		switch a {
		case "pass":
			c.pkgOK++
		case "fail":
			c.pkgFail++
		default:
			c.pkgNoTests++
		}
	}
	for _, ts := range r.tests {
		for _, a := range ts {
			switch a {
			case "pass":
				c.pass++
			case "fail":
				c.fail++
			default:
				c.skip++
			}
		}
	}
	return c
}

// regressions are the tests (package, name) that pass on linux but not on
// none, sorted.
func regressions(linux, none *result) []string {
	var out []string
	for pkg, ts := range linux.tests {
		for name, a := range ts {
			if a == "pass" && none.tests[pkg][name] != "pass" {
				got := none.tests[pkg][name]
				if got == "" {
					got = "not run"
				}
				out = append(out, fmt.Sprintf("%s %s (%s)", pkg, name, got))
			}
		}
	}
	sort.Strings(out)
	return out
}

// run is one architecture's pair of runs.
type run struct {
	arch                string
	linux, none         *result
	linuxPath, nonePath string
	linuxWall, noneWall float64 // seconds, 0 if unknown
}

// summary prints arch's table (linux and none side by side) and the tests
// that pass on its Linux but not on the port.
func summary(w io.Writer, arch string, linux, none *result, linuxWall, noneWall float64) {
	l, n := linux.counts(), none.counts()
	fmt.Fprintf(w, "%-28s %10s %10s\n", arch, "linux", "none")
	row := func(name string, a, b int) { fmt.Fprintf(w, "%-28s %10d %10d\n", name, a, b) }
	row("packages ok", l.pkgOK, n.pkgOK)
	row("packages failed", l.pkgFail, n.pkgFail)
	row("packages without tests", l.pkgNoTests, n.pkgNoTests)
	row("top-level tests passed", l.pass, n.pass)
	row("top-level tests failed", l.fail, n.fail)
	row("top-level tests skipped", l.skip, n.skip)
	if linuxWall > 0 && noneWall > 0 {
		fmt.Fprintf(w, "%-28s %9.0fs %9.0fs   none/linux %.2f×\n", "wall time", linuxWall, noneWall,
			noneWall/linuxWall)
	}
	reg := regressions(linux, none)
	fmt.Fprintf(w, "\n%d tests pass on linux/%s but not on none/%s:\n", len(reg), arch, arch)
	for _, r := range reg {
		fmt.Fprintf(w, "  %s\n", r)
	}
}

// walls prints the runs' wall times side by side: each architecture's
// linux and none, none over linux, and none over none/amd64 (what
// emulation costs the port) when amd64 ran.
func walls(w io.Writer, runs []run) {
	var base float64
	for _, r := range runs {
		if r.arch == "amd64" {
			base = r.noneWall
		}
	}
	ratio := func(a, b float64) string {
		if a <= 0 || b <= 0 {
			return "?"
		}
		return fmt.Sprintf("%.2f×", a/b)
	}
	secs := func(s float64) string {
		if s <= 0 {
			return "?"
		}
		return fmt.Sprintf("%.0fs", s)
	}
	fmt.Fprintf(w, "%-10s %10s %10s %12s %16s\n", "wall time", "linux", "none", "none/linux", "none/none-amd64")
	for _, r := range runs {
		fmt.Fprintf(w, "%-10s %10s %10s %12s %16s\n", r.arch, secs(r.linuxWall), secs(r.noneWall),
			ratio(r.noneWall, r.linuxWall), ratio(r.noneWall, base))
	}
}

// progress copies a stream to out, keeping one line on status up to date
// as packages and top-level tests finish: packages done of total, packages
// failed so far, top-level tests passed, elapsed. The tests move the line
// while the long packages that go first (tests/std/first.txt) run: go test
// streams the events of the first package it has not reported yet.
// A target ("none/arm64") names the run on the line.
func progress(in io.Reader, out, status io.Writer, target string, total int) error {
	start := time.Now()
	done, failed, passed := 0, 0, 0
	prefix := ""
	if target != "" {
		prefix = target + ": "
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if _, err := out.Write(append(line, '\n')); err != nil {
			return err
		}
		var e event
		if json.Unmarshal(line, &e) != nil || !final(e.Action) {
			continue
		}
		switch {
		case e.Test == "":
			done++
			if e.Action == "fail" {
				failed++
			}
		case e.Action == "pass" && !strings.Contains(e.Test, "/"):
			passed++
		default:
			continue
		}
		fmt.Fprintf(status, "\r%s%d/%d packages, %d failed, %d tests passed, %s   ", prefix, done, total,
			failed, passed, time.Since(start).Round(time.Second))
	}
	fmt.Fprintln(status)
	return sc.Err()
}

func main() {
	dir := flag.String("dir", "", "directory of the streams: linux-A.json, none-A.json and their .wall files")
	archList := flag.String("arch", "amd64", "architectures, comma-separated, in the order to report them")
	prog := flag.Bool("progress", false, "copy stdin to -o with a progress line")
	target := flag.String("target", "", "the run's name on the progress line (-progress)")
	total := flag.Int("total", 0, "packages expected (-progress)")
	outPath := flag.String("o", "", "file for -progress")
	htmlPath := flag.String("html", "", "write the package × target matrix there (logs in directories beside it)")
	expectPath := flag.String("expect", "", "expectations file (tests/std/expect.txt): exit 1 if a none run does not meet it")
	flag.Parse()
	if *prog {
		f, err := os.Create(*outPath)
		if err == nil {
			err = progress(os.Stdin, f, os.Stderr, *target, *total)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(2)
		}
		return
	}
	arches, err := parseArches(*archList)
	if *dir == "" || flag.NArg() > 0 || err != nil {
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
		}
		fmt.Fprintln(os.Stderr, "usage: report -dir DIR [-arch A,B...] [-expect FILE] [-html FILE]")
		os.Exit(2)
	}
	ok, err := compare(os.Stdout, *dir, arches, *expectPath, *htmlPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// parseArches splits -arch's list: known architectures, each once.
func parseArches(list string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, a := range strings.Split(list, ",") {
		if !knownArch(a) {
			return nil, fmt.Errorf("-arch %q: %q is not one of %s", list, a, strings.Join(knownArches, ", "))
		}
		if seen[a] {
			return nil, fmt.Errorf("-arch %q: %s twice", list, a)
		}
		seen[a] = true
		out = append(out, a)
	}
	return out, nil
}

// readWall reads a .wall file: seconds, 0 when there is none.
func readWall(path string) (float64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	s, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
	if err != nil || s < 0 {
		return 0, fmt.Errorf("%s: %q is not a wall time in seconds", path, strings.TrimSpace(string(b)))
	}
	return s, nil
}

func readRun(dir, arch string) (run, error) {
	r := run{arch: arch,
		linuxPath: filepath.Join(dir, "linux-"+arch+".json"),
		nonePath:  filepath.Join(dir, "none-"+arch+".json")}
	var err error
	if r.linux, err = readFile(r.linuxPath); err != nil {
		return r, err
	}
	if r.none, err = readFile(r.nonePath); err != nil {
		return r, err
	}
	if r.linuxWall, err = readWall(r.linuxPath + ".wall"); err != nil {
		return r, err
	}
	r.noneWall, err = readWall(r.nonePath + ".wall")
	return r, err
}

// compare prints the summary of each architecture's two runs in dir and,
// for more than one, their wall times; given a file name it writes the
// HTML matrix there (each target's logs in a directory beside it), and,
// given an expectations file, holds each port run to the lines that hold
// on its architecture; ok is false when one does not meet them.
func compare(w io.Writer, dir string, arches []string, expectPath, htmlPath string) (ok bool, err error) {
	var expect []*expectation
	if expectPath != "" { // a malformed file fails before any output
		if expect, err = readExpect(expectPath); err != nil {
			return false, err
		}
	}
	var runs []run
	for _, a := range arches {
		r, err := readRun(dir, a)
		if err != nil {
			return false, err
		}
		runs = append(runs, r)
	}
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		summary(w, r.arch, r.linux, r.none, r.linuxWall, r.noneWall)
	}
	if len(runs) > 1 {
		fmt.Fprintln(w)
		walls(w, runs)
	}
	if htmlPath != "" {
		var targets []matrixTarget
		var streams []string
		for _, r := range runs {
			targets = append(targets,
				matrixTarget{Name: "linux/" + r.arch, Res: r.linux, Wall: r.linuxWall},
				matrixTarget{Name: "none/" + r.arch, Res: r.none, Wall: r.noneWall})
			streams = append(streams, r.linuxPath, r.nonePath)
		}
		if err := matrix(htmlPath, targets, streams); err != nil {
			return false, err
		}
	}
	if expectPath == "" {
		return true, nil
	}
	ok = true
	for _, r := range runs {
		if !writeVerdict(w, judge(r.linux, r.none, expect, r.arch), expectPath, r.arch) {
			ok = false
		}
	}
	return ok, nil
}
