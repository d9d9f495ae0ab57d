package integration

import (
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// os/signal gives the same transcript under nonehost as on Linux: signals
// the program sends itself (caught, ignored, reset, stopped, a burst,
// NotifyContext), and signals from its parent to child images: caught
// while the child waits and while it spins, and not caught (SIGTERM and
// SIGINT end it as killed by them, SIGUSR1 is ignored, its own SIGINT
// ends it, SIGQUIT dumps the goroutines and exits 2).
func TestSignalsMatchLinux(t *testing.T) {
	want, err := exec.Command(hostBuild(t, "signals")).Output()
	if err != nil {
		t.Fatalf("linux signals: %v\n%s", err, want)
	}
	img := guest(t, "signals")
	r := run(t, []string{"--dir", filepath.Dir(img) + ":ro"}, img, nil)
	r.expect(t, 0)
	if r.stdout != string(want) {
		t.Errorf("transcript differs from Linux\nnonehost:\n%s\nlinux:\n%s\nstderr:\n%s",
			r.stdout, want, r.stderr)
	}
}

// A signal sent to nonehost from outside reaches the image: caught, it is
// delivered (the image exits 0 after it); not caught, nonehost ends killed
// by it. With the default private TMPDIR a supervisor process stands
// between (it forwards what the image catches); with --tmpdir none does;
// with --isolate the image's process is PID 1 of its own namespace,
// which the kernel does not let die of its own default signals.
func TestSignalFromOutside(t *testing.T) {
	img := guest(t, "signals")
	own := []string{"--tmpdir", realTempDir(t)}
	iso := []string{"--isolate"}
	for _, tc := range []struct {
		name, mode string
		hostArgs   []string
		sig        syscall.Signal
		want       string
	}{
		{"caught", "wait", nil, syscall.SIGINT, "got: interrupt"},
		{"caught unsupervised", "wait", own, syscall.SIGINT, "got: interrupt"},
		{"caught isolated", "wait", iso, syscall.SIGINT, "got: interrupt"},
		{"caught spinning", "spin", nil, syscall.SIGINT, "got while spinning: interrupt"},
		{"default", "plain", nil, syscall.SIGTERM, "signal: terminated"},
		{"default unsupervised", "plain", own, syscall.SIGTERM, "signal: terminated"},
		{"default isolated", "plain", iso, syscall.SIGTERM, "signal: terminated"},
		{"ignored by Go", "plain", nil, syscall.SIGUSR1, "not killed"},
		{"ignored by Go, isolated", "plain", iso, syscall.SIGUSR1, "not killed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run"}, tc.hostArgs...)
			cmd := exec.Command(hostBin, append(args, img)...)
			cmd.Env = append(cmd.Environ(), "SIGNALS_CHILD="+tc.mode)
			var out syncBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// No handshake through a pipe here: wait until the image
			// has said "ready" (it then has its handler), with a bound.
			for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "ready"); {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("the image never got ready: %q", out.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			cmd.Process.Signal(tc.sig)
			err := cmd.Wait()
			got := out.String()
			if err != nil {
				got += err.Error()
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("after %v: %q, want it to contain %q", tc.sig, got, tc.want)
			}
		})
	}
}

// nohup's SIGHUP, ignored when the image starts, is ignored for it too
// (signal.Ignored says so, as on Linux).
func TestSignalIgnoredAtStart(t *testing.T) {
	img := guest(t, "signals")
	sh := `trap '' HUP; exec "$@"`
	want, err := exec.Command("sh", "-c", sh, "sh", hostBuild(t, "signals"), "ignored").Output()
	if err != nil || string(want) != "SIGHUP ignored at start: true\n" {
		t.Fatalf("linux: %q %v", want, err)
	}
	r := runCmd(t, exec.Command("sh", "-c", sh, "sh", hostBin, "run", img, "ignored"))
	r.expect(t, 0, "SIGHUP ignored at start: true")
	r = run(t, nil, img, []string{"ignored"})
	r.expect(t, 0, "SIGHUP ignored at start: false")
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
