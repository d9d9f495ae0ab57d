// hello is an ordinary Go program: built for GOOS=none it runs under
// nonehost unchanged (make run).
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"
)

func main() {
	name := "world"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	fmt.Printf("Hello, %s! This is Go %s on %s/%s, under nonehost.\n",
		name, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	start := time.Now()
	time.Sleep(100 * time.Millisecond)
	fmt.Printf("It is %s; a 100ms sleep took %v.\n",
		start.Format(time.RFC1123), time.Since(start).Round(time.Millisecond))
}
