// hello is the first program nonehost runs.
package main

import "fmt"

func main() {
	fmt.Println("hello from GOOS=none")
}
