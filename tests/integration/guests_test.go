package integration

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHello(t *testing.T) {
	r := run(t, nil, guest(t, "hello"), nil)
	r.expect(t, 0)
	if r.stdout != "hello from GOOS=none\n" {
		t.Errorf("stdout = %q", r.stdout)
	}
	// The shorthand form without "run".
	r = runCmd(t, exec.Command(hostBin, guest(t, "hello")))
	r.expect(t, 0, "hello from GOOS=none\n")
}

// os.Executable is the image's real path, as Linux resolves
// /proc/self/exe: run through a link, the file it leads to.
func TestArgsAndEnvironment(t *testing.T) {
	img := guest(t, "args")
	real, err := filepath.EvalSymlinks(img)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "through-a-link")
	if err := os.Symlink(img, link); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, link, []string{"one", "two words", "-test.v", ""},
		"NONEHOST_TEST_VAR=a=b c")
	r.expect(t, 0, "argc=5\n", `arg[1]="one"`, `arg[2]="two words"`, `arg[3]="-test.v"`,
		`arg[4]=""`, `env="a=b c" true`, "unset=false", fmt.Sprintf("executable=%q <nil>\n", real))
}

func TestExitStatus(t *testing.T) {
	for _, n := range []int{0, 1, 7, 125, 255} {
		r := run(t, nil, guest(t, "exitcode"), []string{strconv.Itoa(n)})
		r.expect(t, n, "to stdout\n")
		r.stderrHas(t, "to stderr\n")
		if strings.Contains(r.stdout, "to stderr") {
			t.Errorf("stderr text on stdout: %q", r.stdout)
		}
	}
}

// The issue asks for Sleep within 10 ms of the request: a functional
// bound (the host really sleeps until the deadline), not a benchmark.
func TestSleepAccuracy(t *testing.T) {
	reqs := []time.Duration{time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond}
	var args []string
	for _, d := range reqs {
		args = append(args, d.String())
	}
	r := run(t, nil, guest(t, "sleep"), args)
	r.expect(t, 0, fmt.Sprintf("year %d", time.Now().Year()))
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	for i, d := range reqs {
		var ns int64
		if _, err := fmt.Sscanf(lines[i], "slept %d", &ns); err != nil {
			t.Fatalf("line %q: %v", lines[i], err)
		}
		got := time.Duration(ns)
		if got < d || got > d+10*time.Millisecond {
			t.Errorf("Sleep(%v) took %v, want within [%v, %v]", d, got, d, d+10*time.Millisecond)
		}
	}
}

// time.Now's wall reading is the host's CLOCK_REALTIME (NOW reads it with
// the monotonic clock, in one crossing): it lies between the host's
// readings before and after the run.
func TestWallClock(t *testing.T) {
	before := time.Now()
	r := run(t, nil, guest(t, "sleep"), nil)
	after := time.Now()
	r.expect(t, 0)
	var ns int64
	i := strings.Index(r.stdout, "unix ")
	if i < 0 {
		t.Fatalf("no wall time in stdout %q", r.stdout)
	}
	if _, err := fmt.Sscanf(r.stdout[i:], "unix %d", &ns); err != nil {
		t.Fatalf("stdout %q: %v", r.stdout, err)
	}
	if got := time.Unix(0, ns); got.Before(before) || got.After(after) {
		t.Errorf("the guest's time.Now() = %v, want within the run [%v, %v]", got, before, after)
	}
}

func TestGoroutines(t *testing.T) {
	r := run(t, nil, guest(t, "goroutines"), nil)
	r.expect(t, 0, "pipeline 100\n", "counter 5000\n", "select timeout\n", "ticks>=3 true\n", "NumCPU 1 GOMAXPROCS 1\n")
}

func TestCryptoRand(t *testing.T) {
	r := run(t, nil, guest(t, "cryptorand"), nil)
	r.expect(t, 0, "differ true nonzero true same<50 true\n", "text 26\n", "mathrand true\n")
}

func TestPanicTraceback(t *testing.T) {
	r := run(t, nil, guest(t, "panic"), nil)
	r.expect(t, 2, "recovered: assignment to entry in nil map\n")
	r.stderrHas(t, "panic: guest panic for the test", "goroutine 1 [running]:", "main.inner(", "main.outer(", "main.main()")

	r = run(t, nil, guest(t, "panic"), []string{"recover-only"})
	r.expect(t, 0, "recovered:")
}

func TestDeepRecursion(t *testing.T) {
	r := run(t, nil, guest(t, "recursion"), nil)
	// depth(n) adds n&1 at each of n levels.
	r.expect(t, 0, "depth 100000\n", "goroutine depth 50000\n")
}

// On arm too: its RAM (752 MiB, host/arch.h) is claimed before the host
// maps anything else, so it is not 512 MiB in all.
func TestAllocate512MiB(t *testing.T) {
	r := run(t, nil, guest(t, "alloc"), []string{"512"})
	r.expect(t, 0, "allocated MiB 512 sum ", "heap>= true")
}

func TestOutOfMemory(t *testing.T) {
	r := run(t, []string{"--memory", "256M"}, guest(t, "oom"), nil)
	r.expect(t, 2, "live MiB 16\n")
	r.stderrHas(t, "fatal error: out of memory")
}

// A nil pointer dereference in guest code becomes a Go panic, as on Linux.
func TestFaultBecomesPanic(t *testing.T) {
	r := run(t, nil, guest(t, "fault"), nil)
	r.expect(t, 2, "about to fault\n")
	r.stderrHas(t, "panic: runtime error: invalid memory address or nil pointer dereference",
		"[signal SIGSEGV: segmentation violation", "main.walk(", "main.main()")
	if strings.Contains(r.stdout, "unreachable") {
		t.Error("execution continued after the fault")
	}
}

// Started by the kernel instead of nonehost, an image says so and exits
// 126 rather than crashing.
func TestImageWithoutHost(t *testing.T) {
	cmd := exec.Command(guest(t, "hello"))
	if q, ok := qemuFor[goarch]; ok {
		cmd = exec.Command(q, guest(t, "hello"))
	}
	r := runCmd(t, cmd)
	r.expect(t, 126)
	r.stderrHas(t, "no nonehost block at entry")
}

func TestTrace(t *testing.T) {
	r := run(t, []string{"--trace"}, guest(t, "hello"), nil)
	r.expect(t, 0, "hello from GOOS=none\n")
	r.stderrHas(t, "write(", "exit(")
}

// The wake-up primitive: goroutines parked on events wake when readied,
// an early event is kept, and waiting for an event nobody can send ends
// as a deadlock instead of spinning.
func TestEvents(t *testing.T) {
	r := run(t, nil, guest(t, "events"), nil)
	r.expect(t, 0, "woken after >= 30ms: true\n", "early event consumed\n", "all woken: true\n")

	r = run(t, nil, guest(t, "events"), []string{"deadlock"})
	r.expect(t, 2, "all woken: true\n")
	r.stderrHas(t, "fatal error: all goroutines are asleep - deadlock!")
}

// A goroutine in a loop with no calls does not keep the one CPU: the
// host's time-slice tick preempts it (NH_OP_PREEMPT), so the sleeping
// main goroutine runs again.
func TestPreemptsSpinningGoroutine(t *testing.T) {
	r := run(t, nil, guest(t, "spin"), nil)
	r.expect(t, 0, "spinner stopped: true\n")
}

// os.Pipe works between goroutines: the reader waits for the writer and
// sees the end of the pipe when it closes.
// Standard input with nothing to read yet (a pipe the test holds open)
// stops no goroutine: the ticks come while the read waits, and the data
// written after them is read to its end.
func TestStdinWaitsInThePoller(t *testing.T) {
	cmd := exec.Command(hostBin, "run", guest(t, "stdin"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	in, out := startPiped(t, cmd)
	defer cmd.Process.Kill()
	timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	lines := bufio.NewScanner(out)
	for i := 0; i < 3; i++ {
		if !lines.Scan() {
			t.Fatalf("no tick %d while standard input is empty (stderr: %s)", i, stderr.String())
		}
		if want := fmt.Sprintf("tick %d", i); lines.Text() != want {
			t.Fatalf("got %q, want %q", lines.Text(), want)
		}
	}
	io.WriteString(in, "data")
	in.Close()
	if !lines.Scan() || lines.Text() != `read "data", err <nil>` {
		t.Errorf("got %q, want the data read to its end", lines.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v (stderr: %s)", err, stderr.String())
	}
}

func TestPipeBetweenGoroutines(t *testing.T) {
	r := run(t, nil, guest(t, "pipe"), nil)
	r.expect(t, 0, "read \"one two three\", err <nil>\n")
}
