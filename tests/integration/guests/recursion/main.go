// recursion grows a goroutine stack to tens of megabytes.
package main

import "fmt"

func depth(n int) int {
	var pad [64]byte
	pad[n%64] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return depth(n-1) + int(pad[n%64]&1)
}

func main() {
	fmt.Println("depth", depth(200000))
	done := make(chan int)
	go func() { done <- depth(100000) }()
	fmt.Println("goroutine depth", <-done)
}
