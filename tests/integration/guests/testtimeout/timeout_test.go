// Package testtimeout holds tests that never end, for gotest_test.go: go
// test -timeout must end them with the testing package's own report. They
// skip unless NONEHOST_TIMEOUT_GUEST is set, so go test ./... passes by.
package testtimeout

import (
	"os"
	"testing"
)

func hang(t *testing.T) {
	if os.Getenv("NONEHOST_TIMEOUT_GUEST") == "" {
		t.Skip("run by gotest_test.go only")
	}
}

// TestSpins never yields: only preemption lets the timeout's timer run.
func TestSpins(t *testing.T) {
	hang(t)
	for {
	}
}

// TestBlocks waits on nothing: the image idles until the timeout.
func TestBlocks(t *testing.T) {
	hang(t)
	select {}
}
