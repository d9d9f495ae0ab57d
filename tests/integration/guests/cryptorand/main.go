// cryptorand reads crypto/rand and checks the bytes are not constant.
package main

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
)

func main() {
	a := make([]byte, 1000) // more than one host call's worth
	b := make([]byte, 1000)
	if _, err := rand.Read(a); err != nil {
		panic(err)
	}
	rand.Read(b)
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	var zero [1000]byte
	fmt.Println("differ", string(a) != string(b), "nonzero", string(a) != string(zero[:]), "same<50", same < 50)
	fmt.Println("text", len(rand.Text()))
	fmt.Println("mathrand", mrand.Uint64() != mrand.Uint64())
}
