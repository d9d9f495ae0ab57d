// timenow calls time.Now in a loop and prints ns per call.
package main

import (
	"fmt"
	"time"
)

func main() {
	const n = 5_000_000
	start := time.Now()
	var last time.Time
	for i := 0; i < n; i++ {
		last = time.Now()
	}
	fmt.Printf("%.2f\n", float64(last.Sub(start).Nanoseconds())/n)
}
