// fault dereferences a nil pointer the compiler cannot see coming.
package main

import (
	"fmt"
	"os"
)

type node struct{ next *node }

//go:noinline
func walk(n *node) *node { return n.next.next }

func main() {
	fmt.Println("about to fault")
	var n *node
	if len(os.Args) > 5 {
		n = &node{}
	}
	walk(n)
	fmt.Println("unreachable")
}
