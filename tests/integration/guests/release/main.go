// release fills 256 MiB of heap, lets go of it and calls
// debug.FreeOSMemory, waiting for a line on standard input before each
// step, so the test can measure the process's resident memory in between:
// the runtime's scavenger gives the free pages back to the host
// (MEM_RELEASE), as it gives them back to the kernel on Linux.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"
)

var sink [][]byte

func main() {
	in := bufio.NewReader(os.Stdin)
	for i := 0; i < 256; i++ {
		b := make([]byte, 1<<20)
		for j := range b {
			b[j] = byte(i + j)
		}
		sink = append(sink, b)
	}
	fmt.Println("allocated")
	in.ReadString('\n')
	sink = nil
	debug.FreeOSMemory()
	fmt.Println("freed")
	in.ReadString('\n')
	// The pages come back, zeroed, when the heap grows again.
	b := make([]byte, 64<<20)
	for j := range b {
		if b[j] != 0 {
			fmt.Println("not zero at", j)
			os.Exit(1)
		}
		b[j] = 1
	}
	fmt.Println("reused")
}
