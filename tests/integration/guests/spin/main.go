// spin runs a goroutine that never yields (a loop with no calls) while
// the main goroutine sleeps: only preemption lets main run again.
package main

import (
	"fmt"
	"sync/atomic"
	"time"
)

var stop atomic.Bool

func main() {
	done := make(chan int)
	go func() {
		n := 0
		for !stop.Load() {
			n++
		}
		done <- n
	}()
	time.Sleep(50 * time.Millisecond)
	stop.Store(true)
	fmt.Println("spinner stopped:", <-done > 0)
}
