// Command spawn starts a child N times, one after another, and prints the
// nanoseconds from one start to the child reaped: a copy of itself (the
// helper-process pattern of the standard library's tests; under nonehost a
// child image) with no argument after N, else the host program named.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

func main() {
	if os.Getenv("SPAWN_CHILD") == "1" {
		return
	}
	n, err := strconv.Atoi(os.Args[1])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: spawn N [PROGRAM]")
		os.Exit(2)
	}
	prog := ""
	if len(os.Args) > 2 {
		prog = os.Args[2]
	} else if prog, err = os.Executable(); err != nil {
		fmt.Fprintln(os.Stderr, "spawn:", err)
		os.Exit(1)
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		cmd := exec.Command(prog)
		cmd.Env = append(os.Environ(), "SPAWN_CHILD=1")
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "spawn:", err)
			os.Exit(1)
		}
	}
	fmt.Println(time.Since(start).Nanoseconds() / int64(n))
}
