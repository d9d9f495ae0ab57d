// tmpdir writes a file into its private temporary directory, prints the
// directory and the working directory, then ends as its argument says:
// "exit N", "panic", "fault" (a nil dereference the program does not
// recover), "wait" (until its standard input ends, then it reads its
// file back), or "spawn" (starts itself, which makes it an image that can
// ask for a process: its TMPDIR is on disk, where host programs would
// find it, and a supervisor removes it; fs-shim/fsshim_tmp.c). The test
// checks the directory is gone afterwards, however the image ended.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	dir := os.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o600); err != nil {
		fmt.Println("write:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(filepath.Join(dir, "a/b/c"), 0o700); err != nil {
		fmt.Println("mkdir:", err)
		os.Exit(1)
	}
	os.Symlink("/", filepath.Join(dir, "a/rootlink"))
	wd, _ := os.Getwd()
	fmt.Printf("tmpdir %s\nwd %s\n", dir, wd)
	switch os.Args[1] {
	case "exit":
		n, _ := strconv.Atoi(os.Args[2])
		os.Exit(n)
	case "panic":
		panic("tmpdir guest panics")
	case "fault":
		var p *int
		defer func() { fmt.Println("unreachable") }()
		go func() { *p = 1 }() // an unrecovered panic in another goroutine
		select {}
	case "wait":
		io.Copy(io.Discard, os.Stdin)
		b, err := os.ReadFile(filepath.Join(dir, "f"))
		fmt.Printf("read back %q %v\n", b, err)
	case "spawn":
		p, err := os.StartProcess(os.Args[0], []string{os.Args[0], "exit", "0"},
			&os.ProcAttr{Files: []*os.File{nil, os.Stdout, os.Stderr}})
		if err == nil {
			_, err = p.Wait()
		}
		fmt.Println("spawned:", err)
	}
}
