// println writes 1,000,000 lines with fmt.Println.
package main

import "fmt"

func main() {
	for i := 0; i < 1_000_000; i++ {
		fmt.Println("line", i)
	}
}
