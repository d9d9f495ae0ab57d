// Command unixdial is a Linux program (not a guest): it dials the UNIX
// socket named by its argument and prints what happened. The tests grant
// it to an image with --allow-exec to show a host program cannot reach a
// UNIX socket.
package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	c, err := net.Dial("unix", os.Args[1])
	if err != nil {
		fmt.Println("dial:", err)
		os.Exit(1)
	}
	c.Close()
	fmt.Println("dial: connected")
}
