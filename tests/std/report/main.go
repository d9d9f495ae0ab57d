// Command report reads go test -json (test2json) streams of the standard
// library for GOOS=linux and GOOS=none, from the same tree, and prints what
// a port's maintainer reads first: a summary per target (packages, top-level
// tests, wall time, the ratio) and the tests that pass on Linux but not on
// the port; with -expect it holds the port's run to the expectations file
// (expect.go) and exits 1 when the run does not meet it; with -html it
// writes the package × target matrix (html.go). With -progress it instead
// copies one stream from stdin to a file, printing a progress line on
// stderr as packages finish.
//
//	report -linux results/linux-amd64.json -none results/none-amd64.json \
//	    [-linux-wall SECONDS -none-wall SECONDS] [-expect tests/std/expect.txt] \
//	    [-html results/std.html]
//	go test -json std | report -progress -total N -o results/none-amd64.json
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
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

func summary(w io.Writer, linux, none *result, linuxWall, noneWall float64) {
	l, n := linux.counts(), none.counts()
	fmt.Fprintf(w, "%-28s %10s %10s\n", "", "linux", "none")
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
	fmt.Fprintf(w, "\n%d tests pass on linux but not on none:\n", len(reg))
	for _, r := range reg {
		fmt.Fprintf(w, "  %s\n", r)
	}
}

// progress copies a stream to out, keeping one line on status up to date
// as packages finish: done of total, failures so far, elapsed.
func progress(in io.Reader, out, status io.Writer, total int) error {
	start := time.Now()
	done, failed := 0, 0
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if _, err := out.Write(append(line, '\n')); err != nil {
			return err
		}
		var e event
		if json.Unmarshal(line, &e) != nil || e.Test != "" || !final(e.Action) {
			continue
		}
		done++
		if e.Action == "fail" {
			failed++
		}
		fmt.Fprintf(status, "\r%d/%d packages, %d failed, %s   ", done, total, failed,
			time.Since(start).Round(time.Second))
	}
	fmt.Fprintln(status)
	return sc.Err()
}

func main() {
	linuxPath := flag.String("linux", "", "GOOS=linux test2json stream")
	nonePath := flag.String("none", "", "GOOS=none test2json stream")
	linuxWall := flag.Float64("linux-wall", 0, "wall time of the linux run, seconds")
	noneWall := flag.Float64("none-wall", 0, "wall time of the none run, seconds")
	prog := flag.Bool("progress", false, "copy stdin to -o with a progress line")
	total := flag.Int("total", 0, "packages expected (-progress)")
	outPath := flag.String("o", "", "file for -progress")
	htmlPath := flag.String("html", "", "write the package × target matrix there (logs in directories beside it)")
	expectPath := flag.String("expect", "", "expectations file (tests/std/expect.txt): exit 1 if the none run does not meet it")
	flag.Parse()
	if *prog {
		f, err := os.Create(*outPath)
		if err == nil {
			err = progress(os.Stdin, f, os.Stderr, *total)
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
	if *linuxPath == "" || *nonePath == "" {
		fmt.Fprintln(os.Stderr, "usage: report -linux FILE -none FILE [-linux-wall S -none-wall S] [-expect FILE] [-html FILE]")
		os.Exit(2)
	}
	ok, err := compare(os.Stdout, *linuxPath, *nonePath, *expectPath, *htmlPath, *linuxWall, *noneWall)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// compare prints the summary of the two runs, given a file name writes the
// HTML matrix there (each target's logs in a directory beside it), and,
// given an expectations file, holds the port's run to it; ok is false when
// the run does not meet it.
func compare(w io.Writer, linuxPath, nonePath, expectPath, htmlPath string, linuxWall, noneWall float64) (ok bool, err error) {
	linux, err := readFile(linuxPath)
	if err != nil {
		return false, err
	}
	none, err := readFile(nonePath)
	if err != nil {
		return false, err
	}
	summary(w, linux, none, linuxWall, noneWall)
	if htmlPath != "" {
		if err := matrix(htmlPath, []matrixTarget{
			{Name: "linux/amd64", Res: linux, Wall: linuxWall},
			{Name: "none/amd64", Res: none, Wall: noneWall},
		}, []string{linuxPath, nonePath}); err != nil {
			return false, err
		}
	}
	if expectPath == "" {
		return true, nil
	}
	expect, err := readExpect(expectPath)
	if err != nil {
		return false, err
	}
	return writeVerdict(w, judge(linux, none, expect), expectPath), nil
}
