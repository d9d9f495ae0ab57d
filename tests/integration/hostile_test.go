package integration

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A compromised image makes system calls straight from its own code: the
// sandbox ends it with status 159 and one report line naming the call and
// the Go function that made it (tests/integration/guests/hostile).
func TestHostileRawSyscalls(t *testing.T) {
	canary := newCanary(t)

	for _, c := range []struct{ attack, syscall string }{
		{"open", "openat (257)"},
		{"write-canary", "openat (257)"},
		{"execve", "execve (59)"},
		{"socket", "socket (41)"},
		{"ptrace", "ptrace (101)"},
		{"mmap-exec", "mmap (9)"},
		{"mprotect-text", "mprotect (10)"},
		{"io_uring_setup", "io_uring_setup (425)"},
		{"clone", "clone (56)"},
		{"kill", "kill (62)"},
		{"setuid", "setuid (105)"},
		{"fcntl-setown", "fcntl (72)"},
		{"fchmodat-grant-fd", "fchmodat (268)"},
	} {
		t.Run(c.attack, func(t *testing.T) {
			r := run(t, nil, guest(t, "hostile"), []string{c.attack, canary})
			r.expect(t, 159, "attack: "+c.attack+"\n")
			r.stderrHas(t, "nonehost: sandbox violation: "+c.syscall+" from pc 0x", " in main.rawSyscall")
			if strings.Contains(r.stdout, "NOT STOPPED") || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("want exactly one report line and no return from the call:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
			}
		})
	}

	// openat2 is allowed for the fs-shim, whatever its path and flags:
	// these are refused, and the image goes on.
	// From AT_FDCWD the path resolves in the image's own root first, where
	// the canary does not exist (ENOENT); through the grants' descriptors
	// (the image tries every descriptor the host holds), which lie in the
	// tree that root left behind, Landlock refuses it.
	for attack, errno := range map[string]string{"openat2-read": "-2", "openat2-write": "-2",
		"openat2-beneath-grant": "-13"} {
		t.Run(attack, func(t *testing.T) {
			r := run(t, nil, guest(t, "hostile"), []string{attack, canary})
			r.expect(t, 0, attack+": "+errno+"\n")
		})
	}
	// fchmodat from AT_FDCWD is allowed in the image's own root (CHMOD
	// by name, fs-shim/fsshim_meta.c), where the canary does not exist.
	t.Run("fchmodat-canary", func(t *testing.T) {
		r := run(t, nil, guest(t, "hostile"), []string{"fchmodat-canary", canary})
		r.expect(t, 0, "fchmodat-canary: -2\n")
	})

	checkCanary(t, canary)
}

// Bad pointers, lengths, descriptors and op numbers at the gate are
// refused with an errno; the host never crashes and the image goes on.
func TestHostileGateFileArguments(t *testing.T) {
	r := run(t, nil, guest(t, "hostile"), []string{"gate-fs-bad"})
	r.expect(t, 0,
		"open wild path: -14\n", "open path past RAM: -14\n", "open huge length: -36\n",
		"open bad flags: -22\n", "open bad dirfd: -9\n", "stat into host block: -14\n",
		"stat into text: -14\n", "read handle 2: -9\n", "read handle -1: -9\n",
		"close handle 99: -9\n", "readdir stdin: -20\n", "still running\n")
}

func TestHostileGateArguments(t *testing.T) {
	r := run(t, nil, guest(t, "hostile"), []string{"gate-bad"})
	r.expect(t, 0,
		"write NULL: -14\n", "write wild: -14\n", "write past RAM: -14\n", "write huge: -14\n",
		"write fd 3: -9\n", "getrandom host block: -14\n", "getrandom big: -22\n",
		"op 0: -38\n", "op huge: -38\n", "fault handler in data: -22\n", "still running\n")
}

// ringAddrs matches --trace's line about the netstack's ring.
var ringAddrs = regexp.MustCompile(`ring fd (\d+): sq tail (\S+) mask (\S+) array (\S+) sqes (\S+), ` +
	`cq head (\S+) tail (\S+) mask (\S+) cqes (\S+)\n`)

// The ring's memory is reachable from the image (one address space): a
// hostile image that writes submissions into it and enters the ring
// itself still meets the ring's restrictions, which the kernel enforces:
// an opcode or a flag the ring does not allow is -EACCES, and the canary
// outside the grants stays untouched. The image learns the addresses as
// an attacker would from the host's binary; here, from --trace with
// address randomization off, so that two runs lay out the same.
func TestHostileRingSubmissions(t *testing.T) {
	setarch, err := exec.LookPath("setarch")
	if err != nil {
		t.Skip("no setarch (util-linux) to turn address randomization off")
	}
	img, canary := guest(t, "hostile"), newCanary(t)
	norand := func(args ...string) *exec.Cmd {
		return exec.Command(setarch, append([]string{"x86_64", "-R", hostBin, "run", "--net", "private"}, args...)...)
	}
	r := runCmd(t, norand("--trace", img, "ring-sqe"))
	m := ringAddrs.FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("no ring line in --trace:\n%s", r.stderr)
	}
	r = runCmd(t, norand(append([]string{img, "ring-sqe"}, m[1:]...)...), "CANARY="+canary)
	r.expect(t, 0,
		"openat canary: enter 1, completion true, res -13\n",
		"recv stdin: enter 1, completion true, res -13\n",
		"accept fixed file: enter 1, completion true, res -13\n",
		"accept stdin: enter 1, completion true, res -88\n",
		"still running\n")
	checkCanary(t, canary)
}

// A UNIX datagram socket can send to any path, bound or connected, and no
// Landlock right governs it: the image's own root (sandbox/sbx_mirror.c)
// is the layer. The hostile image sends with raw sendto(2) on every
// descriptor from 255 down until the sandbox ends it (159, at the first of
// the host's own): the socket outside the grants gets nothing, the one in
// the grant one datagram (the raw call did reach the kernel). The launcher's
// control socket takes both too, and ignores the address: it goes to the
// launcher, which refuses what it cannot parse.
func TestHostileUnixgramSendto(t *testing.T) {
	if goarch != runtime.GOARCH {
		t.Skip("the hostile image's raw calls are amd64's")
	}
	granted, outside := realTempDir(t), realTempDir(t)
	in := hostDatagrams(t, filepath.Join(granted, "in.sock"))
	out := hostDatagrams(t, filepath.Join(outside, "out.sock"))
	r := run(t, []string{"--net", "private", "--net-backend", "epoll", "--dir", granted + ":rw"},
		guest(t, "hostile"), []string{"unixgram-sendto", filepath.Join(outside, "out.sock"),
			filepath.Join(granted, "in.sock")})
	r.expect(t, 159, "attack: unixgram-sendto\n", "took a datagram for the grant")
	r.stderrHas(t, "nonehost: sandbox violation: sendto (44)")
	if n := out(); n != 0 {
		t.Errorf("the socket outside the grants got %d datagrams", n)
	}
	if n := in(); n != 1 {
		t.Errorf("the socket in the grant got %d datagrams, want 1", n)
	}
}

// A UNIX seqpacket socket can connect to any path, and no Landlock right
// governs it: as for datagrams, the image's own root is the layer. The
// hostile image makes one (SOCKET: a kernel socket at once, unconnected)
// and connects with raw connect(2) on every descriptor from 255 down until
// the sandbox ends it (159): the socket outside the grants sees no
// connection, the one in the grant one (the raw call did reach the kernel:
// with the epoll backend the filter lets connect(2) through on sockets).
func TestHostileUnixpacketConnect(t *testing.T) {
	if goarch != runtime.GOARCH {
		t.Skip("the hostile image's raw calls are amd64's")
	}
	granted, outside := realTempDir(t), realTempDir(t)
	in := hostListener(t, "unixpacket", filepath.Join(granted, "in.sock"))
	out := hostListener(t, "unixpacket", filepath.Join(outside, "out.sock"))
	r := run(t, []string{"--net", "private", "--net-backend", "epoll", "--dir", granted + ":rw"},
		guest(t, "hostile"), []string{"unixpacket-connect", filepath.Join(outside, "out.sock"),
			filepath.Join(granted, "in.sock")})
	r.expect(t, 159, "attack: unixpacket-connect\n", "connected to the grant")
	r.stderrHas(t, "nonehost: sandbox violation: connect (42)")
	if strings.Contains(r.stdout, "outside") {
		t.Errorf("connected outside the grants:\n%s", r.stdout)
	}
	for deadline := time.Now().Add(5 * time.Second); in.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond) // the listener's Accept
	}
	if n := out.Load(); n != 0 {
		t.Errorf("the socket outside the grants saw %d connections", n)
	}
	if n := in.Load(); n != 1 {
		t.Errorf("the socket in the grant saw %d connections, want 1", n)
	}
}
