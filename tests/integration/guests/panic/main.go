// panic panics with a stack trace, or recovers from a panic first.
package main

import (
	"fmt"
	"os"
)

func inner() {
	panic("guest panic for the test")
}

func outer() { inner() }

func main() {
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var m map[string]int
		m["x"] = 1 // assignment to a nil map
	}()
	if len(os.Args) > 1 && os.Args[1] == "recover-only" {
		return
	}
	outer()
}
