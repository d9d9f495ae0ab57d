// fsread reads the file named by its argument sequentially in 1 MiB reads
// and prints the bytes read and the nanoseconds it took.
package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	start := time.Now()
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 1<<20)
	var total int64
	for {
		n, err := f.Read(buf)
		total += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
	}
	f.Close()
	fmt.Println(total, time.Since(start).Nanoseconds())
}
