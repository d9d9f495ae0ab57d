package integration

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStdAndCmdBuild: every package of std and cmd builds for GOOS=none
// (as Go's misc-compile builders check for each port): the commands'
// build constraints follow wasip1's, as std's do (toolchain/README.md).
func TestStdAndCmdBuild(t *testing.T) {
	cmd := exec.Command(filepath.Join(goroot, "bin/go"), "build", "std", "cmd")
	cmd.Env = append(os.Environ(), "GOOS=none", "GOARCH="+goarch, "GOROOT="+goroot, "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build std cmd for none/%s: %v\n%s", goarch, err, msg)
	}
}

// TestFileLockTests: cmd/go's own tests of its file locks pass for none
// (through go_none_amd64_exec): flock through open files of one process
// and of two, a lock kept across an exec, a reader waiting for a writer.
func TestFileLockTests(t *testing.T) {
	if goarch != "amd64" {
		t.Skip("amd64's exec wrapper")
	}
	cmd := exec.Command(filepath.Join(goroot, "bin/go"), "test", "-short", "-count=1",
		"cmd/go/internal/lockedfile/...")
	cmd.Env = append(append(os.Environ(), "GOOS=none", "GOARCH=amd64", "GOROOT="+goroot, "GOFLAGS="),
		execWrapperEnv()...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test: %v\n%s", err, out)
	}
	for _, pkg := range []string{"cmd/go/internal/lockedfile\t", "cmd/go/internal/lockedfile/internal/filelock\t"} {
		if !strings.Contains(string(out), "ok  \t"+pkg) {
			t.Errorf("go test output lacks ok for %s:\n%s", pkg, out)
		}
	}
}

// TestGoToolchainAsImages: the toolchain's own commands, built for
// GOOS=none, run under nonehost. go install puts them where it puts any
// GOOS's (GOROOT/bin/none_amd64, GOROOT/pkg/tool/none_amd64). The go
// command's image then builds examples/hello by starting the compile, asm
// and link images as its processes (each a new nonehost within its
// grants), locking its build cache with flock (FS_FLOCK), and what it
// builds is byte for byte what the host's go builds; go vet and go test
// run the same way (the test binary is one more image).
func TestGoToolchainAsImages(t *testing.T) {
	if goarch != "amd64" {
		t.Skip("the toolchain's images are amd64's here: under qemu-user a build takes minutes")
	}
	install := exec.Command(filepath.Join(goroot, "bin/go"), "install",
		"cmd/go", "cmd/compile", "cmd/asm", "cmd/link", "cmd/vet")
	install.Env = append(os.Environ(), "GOOS=none", "GOARCH=amd64", "GOROOT="+goroot, "GOFLAGS=")
	if msg, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install of the toolchain for none/amd64: %v\n%s", err, msg)
	}
	gr, err := filepath.EvalSymlinks(goroot) // the guest sees grants at their real paths
	if err != nil {
		t.Fatal(err)
	}
	work, cache := realTempDir(t), realTempDir(t)
	src, err := os.ReadFile(filepath.Join(root, "examples/hello/main.go"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"go.mod":  "module hello\n\ngo 1.26\n",
		"main.go": string(src),
		"sum/sum.go": "package sum\n\nfunc Sum(xs ...int) (t int) {\n\tfor _, x := range xs {\n" +
			"\t\tt += x\n\t}\n\treturn t\n}\n",
		"sum/sum_test.go": "package sum\n\nimport \"testing\"\n\nfunc TestSum(t *testing.T) {\n" +
			"\tif got := Sum(1, 2, 3); got != 6 {\n\t\tt.Fatalf(\"Sum = %d\", got)\n\t}\n}\n",
		// vet must find this: proof that the vet image ran
		"vetme/vetme.go": "package vetme\n\nimport \"fmt\"\n\nfunc F() { fmt.Printf(\"%d\\n\", \"x\") }\n",
	} {
		p := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goImage := func(args ...string) result {
		t.Helper()
		argv := append([]string{"run", "--dir", gr + ":ro", "--dir", work + ":rw",
			"--dir", cache + ":rw", filepath.Join(gr, "bin/none_amd64/go")}, args...)
		cmd := exec.Command(hostBin, argv...)
		cmd.Dir = work
		return runCmd(t, cmd, "GOROOT="+gr, "GOCACHE="+cache, "GOFLAGS=", "GOENV=off",
			"GOTOOLCHAIN=local", "GOPROXY=off")
	}
	flags := []string{"-trimpath", "-ldflags=-buildid="} // nothing of the builder's paths or ids

	r := goImage(append(append([]string{"build"}, flags...), "-o", "hello.elf", ".")...)
	r.expect(t, 0)
	got, err := os.ReadFile(filepath.Join(work, "hello.elf"))
	if err != nil {
		t.Fatalf("the go image built nothing: %v\nstderr:\n%s", err, r.stderr)
	}
	host := exec.Command(filepath.Join(goroot, "bin/go"),
		append(append([]string{"build"}, flags...), "-o", "hello.host.elf", ".")...)
	host.Dir = work
	host.Env = append(os.Environ(), "GOOS=none", "GOARCH=amd64", "GOROOT="+goroot, "GOFLAGS=",
		"GOCACHE="+realTempDir(t))
	if msg, err := host.CombinedOutput(); err != nil {
		t.Fatalf("the host's go build: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(filepath.Join(work, "hello.host.elf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the go image's hello (%d bytes) differs from the host go's (%d bytes)", len(got), len(want))
	}
	run(t, nil, filepath.Join(work, "hello.elf"), []string{"toolchain"}).
		expect(t, 0, "Hello, toolchain! This is Go ")

	goImage("test", "-v", "./sum").expect(t, 0, "--- PASS: TestSum", "ok  \thello/sum")
	r = goImage("vet", "./...")
	r.expect(t, 1)
	r.stderrHas(t, "vetme.go:5:", "fmt.Printf format %d has arg \"x\" of wrong type string")
}
