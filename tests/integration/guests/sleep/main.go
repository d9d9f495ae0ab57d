// sleep sleeps for the durations given and prints how long each took,
// then the wall time.
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	for _, a := range os.Args[1:] {
		d, err := time.ParseDuration(a)
		if err != nil {
			panic(err)
		}
		t := time.Now()
		time.Sleep(d)
		fmt.Printf("slept %d\n", time.Since(t).Nanoseconds())
	}
	// Wall time comes from the host, not from the monotonic clock.
	now := time.Now()
	fmt.Println("year", now.Year())
	fmt.Println("unix", now.UnixNano())
}
