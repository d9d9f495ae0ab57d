// Command retag gives GOOS=none the build constraints of wasip1 across a Go
// source tree: in every //go:build line that names wasip1, each occurrence
// of wasip1 becomes (wasip1 || none).
//
// GOOS=none follows wasip1 in the OS-independent layers of the standard
// library (single thread, no signals, no exec, files and sockets served by
// the host), so most files that wasip1 selects or excludes are selected or
// excluded for none for the same reason. retag is how toolchain/none.patch's
// tag-only edits were made; run it on a new Go release to redo them, then
// review the diff: a few files need a hand-written none variant instead.
//
// Usage: go run ./toolchain/retag GOROOT/src [paths to skip...]
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/build/constraint"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: retag SRCDIR [SKIP...]")
		os.Exit(2)
	}
	root := os.Args[1]
	skip := map[string]bool{}
	for _, s := range os.Args[2:] {
		skip[filepath.Clean(s)] = true
	}
	changed := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if skip[rel] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".s") {
			return nil
		}
		ok, err := retag(path)
		if ok {
			changed++
		}
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "retag:", err)
		os.Exit(1)
	}
	fmt.Printf("retag: %d files changed\n", changed)
}

func retag(path string) (bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var out bytes.Buffer
	changed := false
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if constraint.IsGoBuild(line) && strings.Contains(line, "wasip1") {
			expr, err := constraint.Parse(line)
			if err != nil {
				return false, fmt.Errorf("%s: %v", path, err)
			}
			expr = widen(expr)
			line = "//go:build " + expr.String()
			changed = true
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	if !changed {
		return false, nil
	}
	return true, os.WriteFile(path, out.Bytes(), 0o644)
}

// widen replaces the tag wasip1 by (wasip1 || none). Already widened
// expressions are left alone.
func widen(x constraint.Expr) constraint.Expr {
	switch x := x.(type) {
	case *constraint.TagExpr:
		if x.Tag == "wasip1" {
			return &constraint.OrExpr{X: x, Y: &constraint.TagExpr{Tag: "none"}}
		}
		return x
	case *constraint.NotExpr:
		return &constraint.NotExpr{X: widen(x.X)}
	case *constraint.AndExpr:
		return &constraint.AndExpr{X: widen(x.X), Y: widen(x.Y)}
	case *constraint.OrExpr:
		if t, ok := x.Y.(*constraint.TagExpr); ok && t.Tag == "none" {
			return x
		}
		return &constraint.OrExpr{X: widen(x.X), Y: widen(x.Y)}
	}
	return x
}
