// events exercises the runtime's wake-up primitive for GOOS=none
// (runtime.eventWait/eventReady, the documented equivalent of the
// proposal's GetG/WakeG/Wake).
package main

import (
	"fmt"
	"os"
	"time"
	_ "unsafe" // for go:linkname
)

//go:linkname eventWait runtime.eventWait
func eventWait(key uintptr)

//go:linkname eventReady runtime.eventReady
func eventReady(key uintptr) bool

func main() {
	// A goroutine parks on an event; the main goroutine readies it later.
	done := make(chan time.Duration)
	start := time.Now()
	go func() {
		eventWait(7)
		done <- time.Since(start)
	}()
	time.Sleep(30 * time.Millisecond)
	eventReady(7)
	fmt.Println("woken after >= 30ms:", <-done >= 30*time.Millisecond)

	// An event before the wait is not lost.
	eventReady(9)
	eventWait(9)
	fmt.Println("early event consumed")

	// Many waiters, readied in reverse order, all wake.
	const n = 100
	got := make(chan uintptr, n)
	for k := uintptr(1000); k < 1000+n; k++ {
		go func() { eventWait(k); got <- k }()
	}
	time.Sleep(time.Millisecond)
	for k := uintptr(1000 + n - 1); k >= 1000; k-- {
		eventReady(k)
	}
	sum := uintptr(0)
	for i := 0; i < n; i++ {
		sum += <-got
	}
	fmt.Println("all woken:", sum == n*1000+n*(n-1)/2)

	if len(os.Args) > 1 && os.Args[1] == "deadlock" {
		eventWait(42) // nobody will ever ready it
	}
}
