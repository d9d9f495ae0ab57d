// alloc allocates and touches the number of MiB given, then lets the GC
// run over it.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
)

func main() {
	mib, _ := strconv.Atoi(os.Args[1])
	b := make([]byte, mib<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = byte(i >> 12)
	}
	sum := 0
	for i := 0; i < len(b); i += 4096 {
		sum += int(b[i])
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println("allocated MiB", len(b)>>20, "sum", sum, "heap>=", ms.HeapAlloc >= uint64(len(b)))
	runtime.KeepAlive(b)
}
