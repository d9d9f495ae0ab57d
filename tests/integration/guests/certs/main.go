// certs prints what crypto/x509 finds as the system's trusted roots: how
// many, and a digest of their subjects, sorted, so that a GOOS=none run
// and a Linux run of the same machine compare line for line.
package main

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"os"
	"slices"
)

func main() {
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Println("system roots:", err)
		os.Exit(1)
	}
	subjects := pool.Subjects()
	slices.SortFunc(subjects, func(a, b []byte) int { return slices.Compare(a, b) })
	h := sha256.New()
	for _, s := range subjects {
		h.Write(s)
	}
	fmt.Printf("system roots: %d, subjects %x\n", len(subjects), h.Sum(nil)[:8])
}
