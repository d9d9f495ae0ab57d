// extrafiles hands two pipes to a child as os/exec's ExtraFiles
// (descriptors 3 and 4) and prints what the child wrote into each.
//
//	extrafiles CMD ARGS...  runs CMD ARGS... with EXTRAFILES_CHILD=1 in its
//	                        environment, then prints "fd N: TEXT" for each
//	(EXTRAFILES_CHILD=1)    writes "hello from fd N" into 3 and 4
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
)

func main() {
	if os.Getenv("EXTRAFILES_CHILD") == "1" {
		for _, fd := range []uintptr{3, 4} {
			if _, err := fmt.Fprintf(os.NewFile(fd, "extra"), "hello from fd %d", fd); err != nil {
				fmt.Fprintln(os.Stderr, "child:", err)
				os.Exit(1)
			}
		}
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: extrafiles CMD ARGS...")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	var readers []*os.File
	for range 2 {
		r, w, err := os.Pipe()
		if err != nil {
			fmt.Println("pipe:", err)
			os.Exit(1)
		}
		readers = append(readers, r)
		cmd.ExtraFiles = append(cmd.ExtraFiles, w)
	}
	cmd.Env = append(os.Environ(), "EXTRAFILES_CHILD=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Start()
	for _, w := range cmd.ExtraFiles {
		w.Close() // the child's now: the reads below end when it exits
	}
	if err != nil {
		fmt.Println("start:", err)
		os.Exit(1)
	}
	for i, r := range readers {
		b, err := io.ReadAll(r)
		fmt.Printf("fd %d: %q %v\n", i+3, b, err)
	}
	fmt.Println("child:", cmd.Wait())
}
