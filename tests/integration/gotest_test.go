package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoTestTimeout: go test -timeout ends a GOOS=none test that never
// returns (spinning or blocked) with the testing package's report, the
// running test named and every goroutine's stack, as on Linux; not with a
// silent kill.
func TestGoTestTimeout(t *testing.T) {
	for _, name := range []string{"TestSpins", "TestBlocks"} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(filepath.Join(goroot, "bin/go"), "test", "-count=1", "-timeout=2s",
				"-run=^"+name+"$", "./guests/testtimeout")
			cmd.Env = append(append(os.Environ(), "GOOS=none", "GOARCH=amd64", "GOROOT="+goroot, "GOFLAGS=",
				"NONEHOST_TIMEOUT_GUEST=1"), execWrapperEnv()...)
			out, err := cmd.CombinedOutput()
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatalf("go test: %v, want a failing exit\n%s", err, out)
			}
			for _, want := range []string{
				"panic: test timed out after 2s",
				"running tests:\n\t\t" + name,
				"goroutine ",
				"testtimeout." + name,
				"FAIL\tnonehost/tests/integration/guests/testtimeout",
			} {
				if !strings.Contains(string(out), want) {
					t.Errorf("go test output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
