package integration

import (
	"bufio"
	"debug/elf"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// os/exec gives the same transcript under nonehost as on Linux: the
// helper-process pattern, environments, exit statuses, Kill and
// Signal(os.Interrupt), context cancellation, Cancel with WaitDelay, 10
// MiB through pipes both ways, CombinedOutput, os.Pipe, a missing program.
// With the network off (the default) and in a private network namespace
// (go_none_amd64_exec's choice).
func TestProcsMatchLinux(t *testing.T) {
	want, err := exec.Command(hostBuild(t, "procs")).Output()
	if err != nil {
		t.Fatalf("linux procs: %v", err)
	}
	img := guest(t, "procs")
	// The transcript runs its own image from the image's directory.
	own := []string{"--dir", filepath.Dir(img) + ":ro"}
	for _, args := range [][]string{own, append([]string{"--net", "private"}, own...)} {
		t.Run(strings.Join(args[:len(args)-2], " "), func(t *testing.T) {
			r := run(t, args, img, nil)
			r.expect(t, 0)
			if r.stdout != string(want) {
				t.Errorf("transcript differs from Linux\nnonehost:\n%s\nlinux:\n%s\nstderr:\n%s",
					r.stdout, want, r.stderr)
			}
		})
	}
}

// A host program runs only when granted with --allow-exec; otherwise the
// image gets a clean EACCES.
func TestExecHostProgram(t *testing.T) {
	img := guest(t, "procs")
	r := run(t, nil, img, []string{"exec", "/bin/echo", "hi"})
	r.expect(t, 0, `exec /bin/echo: "" fork/exec /bin/echo: permission denied`,
		"permission denied: errors.Is(err, os.ErrPermission)")
	r = run(t, []string{"--allow-exec", "/bin/echo"}, img, []string{"exec", "/bin/echo", "hi", "there"})
	r.expect(t, 0, `exec /bin/echo: "hi there\n" <nil>`)
	// Granting one program grants no other.
	r = run(t, []string{"--allow-exec", "/bin/echo"}, img, []string{"exec", "/bin/cat", "/etc/hostname"})
	r.expect(t, 0, "fork/exec /bin/cat: permission denied")
	// A granted program is where the image looks for it: found on PATH
	// (os/exec's LookPath stats it), as no other is.
	r = run(t, []string{"--allow-exec", "/bin/echo"}, img, []string{"exec", "echo", "by", "name"},
		"PATH=/usr/local/bin:/bin")
	r.expect(t, 0, `exec echo: "by name\n" <nil>`)
	r = run(t, []string{"--allow-exec", "/bin/echo"}, img, []string{"exec", "cat"}, "PATH=/usr/local/bin:/bin")
	r.expect(t, 0, `exec: "cat": executable file not found in $PATH`)
	// It runs in a directory above the grants that the host has by that
	// name (here: above the program itself), and in no other.
	pwd := []string{"--allow-exec", "/usr/bin/pwd"}
	r = run(t, pwd, img, []string{"execin", "/", "/usr/bin/pwd"})
	r.expect(t, 0, `exec /usr/bin/pwd in /: "/\n" <nil>`)
	r = run(t, pwd, img, []string{"execin", "/usr", "pwd"}, "PATH=/usr/bin")
	r.expect(t, 0, `exec pwd in /usr: "/usr\n" <nil>`)
	r = run(t, append(pwd, "--dir", realTempDir(t)+":/srv/data:ro"), img,
		[]string{"execin", "/srv", "/usr/bin/pwd"})
	r.expect(t, 0, `exec /usr/bin/pwd in /srv: "" fork/exec /usr/bin/pwd: permission denied`)
}

// A granted host program is confined to the image's grants: it cannot
// read what the image cannot.
func TestExecHostProgramConfined(t *testing.T) {
	dir := realTempDir(t)
	if err := os.WriteFile(filepath.Join(dir, "granted"), []byte("inside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, []string{"--allow-exec", "/bin/cat", "--dir", dir + ":ro"}, guest(t, "procs"),
		[]string{"exec", "/bin/cat", filepath.Join(dir, "granted"), "/etc/passwd"})
	r.expect(t, 0, `"inside\n/bin/cat: /etc/passwd: Permission denied\n" exit status 1`)
}

// A child image runs with its parent's grants or narrower, never wider:
// NONEHOST_FLAGS narrows them, and asking for more than the parent has
// is refused by the kernel (the launcher's Landlock domain).
func TestChildImageGrants(t *testing.T) {
	img := guest(t, "procs")
	a, b := realTempDir(t), realTempDir(t)
	secret := filepath.Join(a, "secret")
	if err := os.WriteFile(secret, []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	grants := []string{"--dir", a + ":ro", "--dir", b + ":ro"}

	// Inherited grants: the child reads what the parent reads.
	r := run(t, grants, img, []string{"narrow", secret, "--dir " + a + ":ro", "/"})
	r.expect(t, 0, `parent read: "s3cret" <nil>`, `child read: "s3cret" <nil>`)

	// Narrower: the child was given only b.
	r = run(t, grants, img, []string{"narrow", secret, "--dir " + b + ":ro", b})
	r.expect(t, 0, `parent read: "s3cret" <nil>`,
		`child read: "" open `+secret+`: no such file or directory`)

	// Wider: the child asks for /etc, which the parent does not have.
	r = run(t, grants, img, []string{"narrow", "/etc/hostname", "--dir /etc:ro", "/"})
	r.expect(t, 0, `parent read: "" open /etc/hostname: no such file or directory`,
		`child read: "" open /etc/hostname: permission denied`)

	// The child's working directory is not granted to it by being the
	// parent's: narrowed away, the child does not start.
	r = run(t, grants, img, []string{"narrow", secret, "--dir " + b + ":ro", a})
	r.expect(t, 0, `parent read: "s3cret" <nil>`, "(child exit status 125)")
	r.stderrHas(t, "nonehost: --cwd "+a+": No such file or directory in the grants")
}

// A child image is in its parent's network: under --net private it
// listens and dials on the same loopback (the launcher's Landlock domain
// must not refuse it TCP: for a foreign image it is set up before the
// emulator's network mode is known to the host's context).
func TestChildImageNetwork(t *testing.T) {
	img := guest(t, "procs")
	r := run(t, []string{"--net", "private", "--dir", filepath.Dir(img) + ":ro"}, img, []string{"tcpchild"})
	r.expect(t, 0, "child dial: <nil>\n(child <nil>)\n")
}

// os/exec's ExtraFiles reach a child image as its descriptors 3, 4, 5 (the
// launcher's --inherit-fds; host/inherit.c): a TCP listener it accepts on,
// a pipe's write end, a file it reads. The same transcript as on Linux.
func TestExtraFilesChildImage(t *testing.T) {
	cmd := exec.Command(hostBuild(t, "procs"), "extrafiles")
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("linux procs extrafiles: %v", err)
	}
	img := guest(t, "procs")
	r := run(t, []string{"--net", "private", "--dir", filepath.Dir(img) + ":ro"}, img,
		[]string{"extrafiles"})
	r.expect(t, 0)
	if r.stdout != string(want) {
		t.Errorf("transcript differs from Linux\nnonehost:\n%s\nlinux:\n%s\nstderr:\n%s",
			r.stdout, want, r.stderr)
	}
	if !strings.Contains(r.stdout, `parent over TCP: "accepted on fd 3\n"`) {
		t.Errorf("the child did not accept on fd 3:\n%s", r.stdout)
	}
}

// --max-procs bounds the live children: one more is EAGAIN.
func TestMaxProcs(t *testing.T) {
	r := run(t, []string{"--max-procs", "1"}, guest(t, "procs"), []string{"maxprocs"})
	r.expect(t, 0, "first: <nil>\n", "second: fork/exec ", ": resource temporarily unavailable\n",
		"first wait: signal: killed\n")
}

// --max-procs 0: no launcher, and os/exec says the board cannot.
func TestProcsOff(t *testing.T) {
	r := run(t, []string{"--max-procs", "0"}, guest(t, "procs"), []string{"exec", "/bin/echo"})
	r.expect(t, 0, `exec /bin/echo: "" fork/exec /bin/echo: function not implemented`)
}

// procStartSymbol is host.h's NH_PROC_START_SYMBOL: the BSP's one call of
// PROC_START, which the Go linker keeps only in an image that can start a
// process.
const procStartSymbol = "nonehost/bsp.hostProcs.Start"

// hasSymbol says whether the image's symbol table names sym.
func hasSymbol(t *testing.T, img, sym string) bool {
	t.Helper()
	f, err := elf.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatalf("%s: %v", img, err)
	}
	for _, s := range syms {
		if s.Name == sym && s.Section != elf.SHN_UNDEF {
			return true
		}
	}
	return false
}

// A run forks no launcher when its image cannot ask for a process (no
// os/exec, so the linker left the BSP's PROC_START call out): hello says so
// under --trace, and --policy shows the process ops off; procs, which can,
// gets one. A child image that cannot ask and has no root of its own (its
// launcher's Landlock domain forbids mounts) gets one all the same, for its
// UNIX sockets: unixsock's dial, run by procs, reaches a host program's
// socket in a read-write grant through it.
func TestLauncherOnlyWhenAsked(t *testing.T) {
	hello, procs, unixsock := guest(t, "hello"), guest(t, "procs"), guest(t, "unixsock")
	for img, want := range map[string]bool{hello: false, procs: true, unixsock: false} {
		if got := hasSymbol(t, img, procStartSymbol); got != want {
			t.Fatalf("%s names %s: %v, want %v (the BSP's PROC_START call renamed? host.h "+
				"NH_PROC_START_SYMBOL must follow it)", filepath.Base(img), procStartSymbol, got, want)
		}
	}
	r := run(t, []string{"--trace"}, hello, nil)
	r.expect(t, 0, "hello from GOOS=none")
	if !strings.Contains(r.stderr, "[nh] launcher: none: the image cannot ask for a process") {
		t.Errorf("hello: no line saying there is no launcher:\n%s", r.stderr)
	}
	for img, want := range map[string]string{
		hello: "processes: off: the image cannot ask for one",
		procs: "processes: on: a launcher",
	} {
		p := runCmd(t, exec.Command(hostBin, "--policy", img))
		p.expect(t, 0, want)
	}
	granted, _ := socketDirs(t)
	sock := filepath.Join(granted, "s.sock")
	conns := hostListener(t, "unix", sock)
	r = run(t, []string{"--net", "private", "--dir", granted + ":rw", "--dir", filepath.Dir(unixsock) + ":ro"},
		procs, []string{"run", unixsock, "dial", sock})
	r.expect(t, 0, `answer "host: hello" <nil>`)
	if conns.Load() != 1 {
		t.Errorf("the host's socket saw %d connections, want 1", conns.Load())
	}
}

// Descriptors given to a child image as os/exec's ExtraFiles reach it,
// whether the image starts it directly or through the go command's exec
// wrapper go_none_<arch>_exec (nonehost itself, host/goexec.c), as when
// it runs "go run": the go command passes on what it was given, and the
// wrapper does as exec would (go-systemd's socket-activation tests).
func TestExtraFilesReachChildImages(t *testing.T) {
	img := guest(t, "extrafiles")
	own := []string{"--dir", filepath.Dir(img) + ":ro"}
	want := []string{`fd 3: "hello from fd 3" <nil>`, `fd 4: "hello from fd 4" <nil>`, "child: <nil>"}
	run(t, own, img, []string{img}).expect(t, 0, want...)
	wrapper := filepath.Join(root, "build/goexec", "go_none_"+goarch+"_exec")
	run(t, append(own, "--allow-exec", wrapper), img, []string{wrapper, img}).expect(t, 0, want...)
}

// Nothing a run starts outlives it. With this test process as the
// subreaper of its descendants, every process the run started has ended,
// and been reaped here, soon after the run: the children of the procs
// transcript; a child image's orphan (which runs on after its own parent
// exited, as TestProcsMatchLinux's "orphan" line shows, but not after the
// run) and a grandchild's; a granted host program's background job, which
// no launcher started; and, with the run killed while they run, a granted
// shell's background job and a nonehost that shell started (as the go tool
// runs go_none_amd64_exec).
func TestNothingOutlivesTheRun(t *testing.T) {
	if err := setSubreaper(1); err != nil {
		t.Skipf("PR_SET_CHILD_SUBREAPER: %v", err)
	}
	defer setSubreaper(0)
	img := guest(t, "procs")
	own := []string{"--dir", filepath.Dir(img) + ":ro"}
	sh, sleep := lookPath(t, "sh"), lookPath(t, "sleep")
	shell := []string{"--allow-exec", sh, "--allow-exec", sleep}
	for _, c := range []struct {
		name        string
		flags, args []string
		want        string
	}{
		{"transcript", own, nil, "orphan: "},
		{"orphan", nil, []string{"orphan"}, "child "},
		{"grandorphan", nil, []string{"grandorphan"}, "grandchild "},
		{"hostjob", shell, []string{"exec", sh, "-c", sleep + " 600 >/dev/null 2>&1 &"},
			`exec ` + sh + `: "" <nil>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, c.flags, img, c.args)
			r.expect(t, 0, c.want)
			nothingLeft(t)
		})
	}
	t.Run("killed", func(t *testing.T) {
		flags := append(append([]string{"run", "--tmpdir", realTempDir(t), "--allow-exec",
			hostBin}, shell...), own...)
		nested := "PROCS_HELPER=1 " + hostBin + " run --max-procs 0 " + img + " sleep"
		cmd := exec.Command(hostBin, append(flags, img, "run", sh, "-c",
			sleep+" 600 >/dev/null 2>&1 & "+nested+" & echo started; wait")...)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if line != "started\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("read %q, %v; want started", line, err)
		}
		time.Sleep(200 * time.Millisecond) // the nested nonehost is on its way
		cmd.Process.Kill()
		cmd.Wait()
		nothingLeft(t)
	})
}

// nothingLeft waits up to 5 s for this process (the subreaper) to have no
// child left, reaping those reparented here; it kills any left after that.
func nothingLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := children(t)
		for _, pid := range left {
			var ws syscall.WaitStatus
			syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			msg := describe(left)
			for _, pid := range left {
				syscall.Kill(pid, syscall.SIGKILL) // not left to the next test
				syscall.Wait4(pid, nil, 0, nil)
			}
			t.Fatalf("processes still run after the run ended: %s", msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// describe names each pid by its command line, for the failure.
func describe(pids []int) string {
	var b strings.Builder
	for _, pid := range pids {
		cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		fmt.Fprintf(&b, "\n  %d %q", pid, strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return b.String()
}

func lookPath(t *testing.T, name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("no %s: %v", name, err)
	}
	p, err = filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func setSubreaper(on uintptr) error {
	const prSetChildSubreaper = 36 // <linux/prctl.h>
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, on, 0); e != 0 {
		return e
	}
	return nil
}

// children lists this process's children (every thread's).
func children(t *testing.T) []int {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	read := 0
	for _, task := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + task.Name() + "/children")
		if err != nil {
			continue // the thread ended
		}
		read++
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	if read == 0 {
		t.Fatal("no /proc/self/task/*/children could be read")
	}
	return pids
}

// A granted host program cannot make a UNIX socket (the launcher's one
// seccomp rule for host programs): Landlock does not cover connecting to
// one, so a socket such as a container runtime's would be in reach.
func TestExecHostProgramNoUnixSockets(t *testing.T) {
	dir := realTempDir(t)
	sock := filepath.Join(dir, "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	dial := hostBuild(t, "unixdial")
	if out, err := exec.Command(dial, sock).CombinedOutput(); err != nil {
		t.Fatalf("on the host: %v %s", err, out)
	}
	r := run(t, []string{"--allow-exec", dial, "--dir", dir + ":rw"}, guest(t, "procs"),
		[]string{"exec", dial, sock})
	r.expect(t, 0, "dial: dial unix "+sock+": socket: permission denied")
}
