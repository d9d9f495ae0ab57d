package integration

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// UNIX stream sockets give the same transcript under nonehost as on Linux
// (listen, dial, accept, echo, half-close, addresses, deadlines, errnos, a
// relative path, 200 connections), on both backends.
func TestUnixMatchesLinux(t *testing.T) {
	want, err := linuxCommand(t, "unixsock").Output()
	if err != nil {
		t.Fatalf("linux unixsock: %v", err)
	}
	img := guest(t, "unixsock")
	for _, backend := range netBackends {
		t.Run(backend, func(t *testing.T) {
			r := run(t, []string{"--net", "private", "--net-backend", backend}, img, nil)
			r.expect(t, 0)
			if r.stdout != string(want) {
				t.Errorf("transcript differs from Linux\nnonehost:\n%s\nlinux:\n%s\nstderr:\n%s",
					r.stdout, want, r.stderr)
			}
		})
	}
}

// socketDirs makes a directory to grant and one outside the grants, with
// a link granted/link.sock pointing at outside/out.sock.
func socketDirs(t *testing.T) (granted, outside string) {
	t.Helper()
	granted, outside = realTempDir(t), realTempDir(t)
	if err := os.Symlink(filepath.Join(outside, "out.sock"), filepath.Join(granted, "link.sock")); err != nil {
		t.Fatal(err)
	}
	return granted, outside
}

// hostListener is a Linux program's UNIX socket at path, of network "unix"
// or "unixpacket": it answers each connection's bytes with "host: " and
// them, and counts connections.
func hostListener(t *testing.T, network, path string) *atomic.Int32 {
	t.Helper()
	l, err := net.Listen(network, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	n := new(atomic.Int32)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			b, _ := io.ReadAll(c)
			c.Write(append([]byte("host: "), b...))
			c.Close()
		}
	}()
	return n
}

// Only sockets beneath read-write grants: a host program's socket there is
// reached; one outside every grant, or reached through a link out of them,
// or in a read-only grant, is not (and sees no connection); under --net none
// there are none.
func TestUnixGrants(t *testing.T) {
	img := guest(t, "unixsock")
	granted, outside := socketDirs(t)
	hostListener(t, "unix", filepath.Join(granted, "in.sock"))
	outsideConns := hostListener(t, "unix", filepath.Join(outside, "out.sock"))
	rw := []string{"--net", "private", "--dir", granted + ":rw"}
	cases := []struct {
		name string
		args []string
		path string
		want string
	}{
		{"in a rw grant", rw, filepath.Join(granted, "in.sock"), `answer "host: hello" <nil>`},
		{"outside the grants", rw, filepath.Join(outside, "out.sock"), "dial: "},
		{"a link out of the grant", rw, filepath.Join(granted, "link.sock"), "dial: "},
		{"a read-only grant", []string{"--net", "private", "--dir", granted + ":ro"},
			filepath.Join(granted, "in.sock"), "permission denied"},
		{"--net none", []string{"--net", "none", "--dir", granted + ":rw"},
			filepath.Join(granted, "in.sock"), "permission denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args, img, []string{"dial", tc.path})
			r.expect(t, 0, tc.want)
			if strings.HasPrefix(tc.want, "dial: ") && strings.Contains(r.stdout, "answer") {
				t.Errorf("reached a socket it must not: %s", r.stdout)
			}
		})
	}
	if n := outsideConns.Load(); n != 0 {
		t.Errorf("the socket outside the grants saw %d connections", n)
	}
}

// hostDatagrams is a Linux program's UNIX datagram socket at path; the
// function it returns counts the datagrams that came so far.
func hostDatagrams(t *testing.T, path string) func() int {
	t.Helper()
	c, err := net.ListenPacket("unixgram", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return func() int {
		n := 0
		buf := make([]byte, 64)
		for {
			c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
			if _, _, err := c.ReadFrom(buf); err != nil {
				return n
			}
			n++
		}
	}
}

// Descriptors in a control message (SCM_RIGHTS): syscall.UnixRights and
// its parsers work as on Linux, byte for byte, so code that passes
// descriptors builds and runs; the image itself passes none
// (EOPNOTSUPP), as nonehost serves no descriptor to a socket.
func TestUnixRights(t *testing.T) {
	want := runCmd(t, linuxCommand(t, "unixsock", "rights"))
	want.expect(t, 0, "parsed: 1 1 [7 8 9] <nil>\n", "bad length: invalid argument MSG_CTRUNC 8\n",
		"sent; received: 1 true <nil>\n")
	got := run(t, []string{"--net", "private"}, guest(t, "unixsock"), []string{"rights"})
	got.expect(t, 0, "send: true write unix ")
	wantLines, gotLines := strings.SplitAfter(want.stdout, "\n"), strings.SplitAfter(got.stdout, "\n")
	if len(gotLines) < 3 || len(wantLines) < 3 || strings.Join(gotLines[:3], "") != strings.Join(wantLines[:3], "") {
		t.Errorf("encoding differs from Linux\nnonehost:\n%s\nlinux:\n%s", got.stdout, want.stdout)
	}
}

// UNIX datagram sockets, through the net package: the same transcript as
// Linux's, with both backends and under --net host. The image gets a root
// of its own (sandbox/sbx_mirror.c), where they are served; under qemu the
// native nonehost makes it for the emulator (host/foreign_root.c).
func TestUnixgramMatchesLinux(t *testing.T) {
	rootedTranscriptMatchesLinux(t, "unixgram")
}

// rootedTranscriptMatchesLinux runs guest name, which serves itself UNIX
// sockets of a kind only the image's own root has, under nonehost with
// both backends and --net host, and its Linux build: the same output.
func rootedTranscriptMatchesLinux(t *testing.T, name string) {
	want, err := linuxCommand(t, name).Output()
	if err != nil {
		t.Fatalf("linux %s: %v", name, err)
	}
	img := guest(t, name)
	for _, args := range [][]string{
		{"--net", "private", "--net-backend", "uring"},
		{"--net", "private", "--net-backend", "epoll"},
		{"--net", "host"},
	} {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			r := run(t, args, img, nil)
			r.expect(t, 0)
			if r.stdout != string(want) {
				t.Errorf("transcript differs from Linux\nnonehost:\n%s\nlinux:\n%s\nstderr:\n%s",
					r.stdout, want, r.stderr)
			}
		})
	}
}

// Where a datagram may go: a socket in a read-write grant, and nothing
// else, whatever the path says (outside, a link out of the grant, a
// read-only grant: nothing is there in the image's root).
func TestUnixgramGrants(t *testing.T) {
	img := guest(t, "unixgram")
	granted, outside := socketDirs(t)
	in := hostDatagrams(t, filepath.Join(granted, "in.sock"))
	out := hostDatagrams(t, filepath.Join(outside, "out.sock"))
	rw := []string{"--net", "private", "--dir", granted + ":rw"}
	cases := []struct {
		name string
		args []string
		path string
		want string
		got  func() int // the socket that must get the datagram, or nil
	}{
		{"in a rw grant", rw, filepath.Join(granted, "in.sock"), "send: <nil>", in},
		{"without a launcher", append([]string{"--max-procs", "0"}, rw...),
			filepath.Join(granted, "in.sock"), "send: <nil>", in},
		{"outside the grants", rw, filepath.Join(outside, "out.sock"), "no such file or directory", nil},
		{"a link out of the grant", rw, filepath.Join(granted, "link.sock"), "no such file or directory", nil},
		{"a read-only grant", []string{"--net", "private", "--dir", granted + ":ro"},
			filepath.Join(granted, "in.sock"), "no such file or directory", nil},
		{"--net none", []string{"--net", "none", "--dir", granted + ":rw"},
			filepath.Join(granted, "in.sock"), "socket: ", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args, img, []string{"send", tc.path})
			r.expect(t, 0, tc.want)
			if tc.got != nil {
				if n := tc.got(); n != 1 {
					t.Errorf("the socket got %d datagrams, want 1", n)
				}
			}
		})
	}
	if goarch != runtime.GOARCH {
		// A grant at the emulator's own directory cannot be placed in
		// the emulator's root: the image runs without one, and refuses.
		t.Run("under qemu without a root of its own", func(t *testing.T) {
			qemu, err := exec.LookPath(qemuFor[goarch])
			if err == nil {
				qemu, err = filepath.EvalSymlinks(qemu)
			}
			if err != nil {
				t.Fatalf("the emulator: %v", err)
			}
			args := append([]string{"--dir", t.TempDir() + ":" + filepath.Dir(qemu) + ":rw"}, rw...)
			r := run(t, args, img, []string{"send", filepath.Join(granted, "in.sock")})
			r.expect(t, 0, "socket: ", "protocol not supported")
		})
	}
	if n := out(); n != 0 {
		t.Errorf("the socket outside the grants got %d datagrams", n)
	}
	if n := in(); n != 0 {
		t.Errorf("the socket in the grant got %d datagrams it should not have", n)
	}
}

// UNIX seqpacket sockets, through the net package: the same transcript as
// Linux's (messages kept whole, both directions, a half-close, deadlines,
// errnos), with both backends and under --net host. Served where the image
// has a root of its own, as datagram ones are.
func TestUnixpacketMatchesLinux(t *testing.T) {
	rootedTranscriptMatchesLinux(t, "unixpacket")
}

// Where a seqpacket socket may connect: a host program's socket in a
// read-write grant, and nothing else, whatever the path says (outside or
// a link out of the grant: nothing is there in the image's root; a
// read-only grant: refused, as for stream sockets); none without that
// root.
func TestUnixpacketGrants(t *testing.T) {
	img := guest(t, "unixpacket")
	granted, outside := socketDirs(t)
	in := filepath.Join(granted, "in.sock")
	inConns := hostListener(t, "unixpacket", in)
	outsideConns := hostListener(t, "unixpacket", filepath.Join(outside, "out.sock"))
	rw := []string{"--net", "private", "--dir", granted + ":rw"}
	type dialCase struct {
		name, path, want string
		args             []string
	}
	cases := []dialCase{
		{"in a rw grant", in, `answer "host: hello" <nil>`, rw},
		{"outside the grants", filepath.Join(outside, "out.sock"), "no such file or directory", rw},
		{"a link out of the grant", filepath.Join(granted, "link.sock"), "no such file or directory", rw},
		{"a read-only grant", in, "permission denied",
			[]string{"--net", "private", "--dir", granted + ":ro"}},
		{"--net none", in, "socket: ", []string{"--net", "none", "--dir", granted + ":rw"}},
	}
	if goarch != runtime.GOARCH {
		// A grant at the emulator's own directory keeps the image out of
		// a root of its own (TestUnixgramGrants): no seqpacket sockets.
		qemu, err := exec.LookPath(qemuFor[goarch])
		if err == nil {
			qemu, err = filepath.EvalSymlinks(qemu)
		}
		if err != nil {
			t.Fatalf("the emulator: %v", err)
		}
		cases = append(cases, dialCase{"under qemu without a root of its own", in,
			"protocol not supported",
			append([]string{"--dir", t.TempDir() + ":" + filepath.Dir(qemu) + ":rw"}, rw...)})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := inConns.Load()
			r := run(t, tc.args, img, []string{"dial", tc.path})
			r.expect(t, 0, tc.want)
			if reached := inConns.Load() > before; reached != strings.HasPrefix(tc.want, "answer") {
				t.Errorf("the socket in the grant reached: %v\n%s", reached, r.stdout)
			}
		})
	}
	if n := outsideConns.Load(); n != 0 {
		t.Errorf("the socket outside the grants saw %d connections", n)
	}
}
