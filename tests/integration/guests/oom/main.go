// oom keeps live memory growing until the runtime runs out.
package main

import "fmt"

func main() {
	var keep [][]byte
	for i := 0; ; i++ {
		keep = append(keep, make([]byte, 16<<20))
		if i%16 == 0 {
			fmt.Println("live MiB", len(keep)*16)
		}
	}
}
