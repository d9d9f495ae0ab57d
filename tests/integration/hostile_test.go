package integration

import (
	"strings"
	"testing"
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
	// Landlock refuses these (EACCES), and the image goes on.
	for _, attack := range []string{"openat2-read", "openat2-write", "openat2-beneath-grant"} {
		t.Run(attack, func(t *testing.T) {
			r := run(t, nil, guest(t, "hostile"), []string{attack, canary})
			r.expect(t, 0, attack+": -13\n")
		})
	}

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
		"close handle 1: -9\n", "readdir stdin: -20\n", "still running\n")
}

func TestHostileGateArguments(t *testing.T) {
	r := run(t, nil, guest(t, "hostile"), []string{"gate-bad"})
	r.expect(t, 0,
		"write NULL: -14\n", "write wild: -14\n", "write past RAM: -14\n", "write huge: -14\n",
		"write fd 3: -9\n", "getrandom host block: -14\n", "getrandom big: -22\n",
		"op 0: -38\n", "op huge: -38\n", "fault handler in data: -22\n", "still running\n")
}
