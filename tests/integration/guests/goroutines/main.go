// goroutines exercises the scheduler: channels, select with timers, a
// WaitGroup, a mutex, and a ticker, on the one CPU of GOOS=none.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func main() {
	// A pipeline of 100 goroutines.
	first := make(chan int)
	in := first
	for i := 0; i < 100; i++ {
		out := make(chan int)
		go func(in <-chan int, out chan<- int) { out <- 1 + <-in }(in, out)
		in = out
	}
	first <- 0
	fmt.Println("pipeline", <-in)

	// A mutex-protected counter across goroutines that yield.
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				mu.Lock()
				n++
				mu.Unlock()
				runtime.Gosched()
			}
		}()
	}
	wg.Wait()
	fmt.Println("counter", n)

	// select: a timer fires before a channel that never sends.
	never := make(chan int)
	select {
	case <-never:
		fmt.Println("impossible")
	case <-time.After(20 * time.Millisecond):
		fmt.Println("select timeout")
	}

	// A ticker and a sleeping goroutine interleave.
	tk := time.NewTicker(5 * time.Millisecond)
	done := make(chan bool)
	go func() { time.Sleep(28 * time.Millisecond); done <- true }()
	ticks := 0
loop:
	for {
		select {
		case <-tk.C:
			ticks++
		case <-done:
			break loop
		}
	}
	tk.Stop()
	fmt.Println("ticks>=3", ticks >= 3)
	fmt.Println("NumCPU", runtime.NumCPU(), "GOMAXPROCS", runtime.GOMAXPROCS(0))
}
