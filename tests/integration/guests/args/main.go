// args prints its arguments, one environment variable and its own path
// (os.Executable: an image that starts no process knows it too).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Printf("argc=%d\n", len(os.Args))
	for i, a := range os.Args[1:] {
		fmt.Printf("arg[%d]=%q\n", i+1, a)
	}
	v, ok := os.LookupEnv("NONEHOST_TEST_VAR")
	fmt.Printf("env=%q %v\n", v, ok)
	_, ok = os.LookupEnv("NONEHOST_TEST_UNSET")
	fmt.Printf("unset=%v\n", ok)
	exe, err := os.Executable()
	fmt.Printf("executable=%q %v\n", exe, err)
}
