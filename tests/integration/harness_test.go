// Package integration builds GOOS=none guest programs with nonehost's
// toolchain and runs them under the real host, asserting on output and
// exit status. make test runs it; NONEHOST and NONEHOST_GOROOT say where
// the host and the toolchain are (defaults: the checkout's build/).
package integration

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	root, _ = filepath.Abs("../..")
	hostBin = envOr("NONEHOST", filepath.Join(root, "build/nonehost"))
	goroot  = envOr("NONEHOST_GOROOT", filepath.Join(root, "build/go"))
	// goarch is the architecture guests are built for. A foreign one runs
	// under qemu-user: images through nonehost's own dispatch, the Linux
	// builds they are compared with through qemu directly.
	goarch   = envOr("NONEHOST_GOARCH", "amd64")
	imageDir string

	builtMu sync.Mutex
	built   = map[string]string{}
)

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nonehost-it-")
	if err != nil {
		panic(err)
	}
	imageDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// guest builds tests/integration/guests/NAME for GOOS=none once and
// returns the image path.
func guest(t *testing.T, name string) string {
	t.Helper()
	builtMu.Lock()
	defer builtMu.Unlock()
	if p, ok := built[name]; ok {
		return p
	}
	out := filepath.Join(imageDir, name+".elf")
	cmd := exec.Command(filepath.Join(goroot, "bin/go"), "build", "-o", out, "./guests/"+name)
	cmd.Env = append(os.Environ(), "GOOS=none", "GOARCH="+goarch, "GOROOT="+goroot, "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building guest %s: %v\n%s", name, err, msg)
	}
	built[name] = out
	return out
}

// execWrapperEnv is what the go command needs to run GOOS=none test
// binaries through go_none_amd64_exec: the wrapper (scripts/) and the
// toolchain's go first on PATH, and this checkout's nonehost.
func execWrapperEnv() []string {
	return []string{"NONEHOST=" + hostBin,
		"PATH=" + filepath.Join(root, "scripts") + ":" + filepath.Join(goroot, "bin") + ":" + os.Getenv("PATH")}
}

type result struct {
	stdout, stderr string
	status         int
}

// run runs an image under nonehost with host options, guest arguments and
// extra environment.
func run(t *testing.T, hostArgs []string, image string, args []string, env ...string) result {
	t.Helper()
	argv := append([]string{"run"}, hostArgs...)
	argv = append(argv, image)
	argv = append(argv, args...)
	return runCmd(t, exec.Command(hostBin, argv...), env...)
}

// startPiped starts cmd with pipes to its standard input and output.
func startPiped(t *testing.T, cmd *exec.Cmd) (io.WriteCloser, io.ReadCloser) {
	t.Helper()
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return in, out
}

func runCmd(t *testing.T, cmd *exec.Cmd, env ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), env...)
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.status = ee.ExitCode()
	default:
		t.Fatalf("running %v: %v", cmd.Args, err)
	}
	return r
}

func (r result) expect(t *testing.T, status int, stdoutHas ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.status, status, r.stdout, r.stderr)
	}
	for _, s := range stdoutHas {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
		}
	}
}

func (r result) stderrHas(t *testing.T, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}
