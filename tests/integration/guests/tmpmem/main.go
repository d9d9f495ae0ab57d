// tmpmem starts no process and cannot ask for one, so its private TMPDIR is
// in memory (fs-shim/fsshim_tmp.c): it writes a file there, prints the
// directory, waits until its standard input ends, then reads the file back
// and lists the directory.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	dir := os.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o600); err != nil {
		fmt.Println("write:", err)
		os.Exit(1)
	}
	fmt.Printf("tmpdir %s\n", dir)
	io.Copy(io.Discard, os.Stdin)
	b, err := os.ReadFile(filepath.Join(dir, "f"))
	fmt.Printf("read back %q %v\n", b, err)
	ents, err := os.ReadDir(dir)
	for _, e := range ents {
		fmt.Println("entry", e.Name())
	}
	if err != nil {
		fmt.Println("readdir:", err)
	}
}
