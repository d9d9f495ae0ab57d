// pipe connects goroutines with os.Pipe: the reader waits (parked, not
// spinning) while the writer sleeps between writes, and sees the end of
// the pipe when the writer closes it.
package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	go func() {
		for _, s := range []string{"one ", "two ", "three"} {
			time.Sleep(20 * time.Millisecond)
			w.Write([]byte(s))
		}
		w.Close()
	}()
	b, err := io.ReadAll(r)
	fmt.Printf("read %q, err %v\n", b, err)
	r.Close()
	if _, err := w.Write([]byte("x")); err == nil {
		fmt.Println("write after close succeeded")
	}
}
