// fssmall creates, writes, fsyncs and closes 10,000 small files in the
// directory named by its argument, removes them, and prints the
// nanoseconds it took.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

func main() {
	const n = 10_000
	dir := os.Args[1]
	data := []byte("a small file of sixty-four bytes, written then synced to disk.\n")
	start := time.Now()
	for i := range n {
		f, err := os.Create(filepath.Join(dir, "f"+strconv.Itoa(i)))
		if err != nil {
			panic(err)
		}
		if _, err := f.Write(data); err != nil {
			panic(err)
		}
		if err := f.Sync(); err != nil {
			panic(err)
		}
		if err := f.Close(); err != nil {
			panic(err)
		}
	}
	for i := range n {
		if err := os.Remove(filepath.Join(dir, "f"+strconv.Itoa(i))); err != nil {
			panic(err)
		}
	}
	fmt.Println(time.Since(start).Nanoseconds())
}
