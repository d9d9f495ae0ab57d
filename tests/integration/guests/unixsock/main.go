// Command unixsock exercises UNIX stream sockets through the net package
// and prints a transcript that must match the same program built for
// linux: listen, dial, accept, echo, half-close, addresses, deadlines,
// errors, a relative path, the listener's file removed at Close.
//
//	unixsock            the transcript
//	unixsock dial PATH  dial PATH, say "hello", print the answer or the error
//	unixsock rights     a control message of descriptors: its bytes, parsed
//	                    back, then sent with a byte over a connection
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"nonehost/tests/integration/guests/internal/sockdir"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "dial" {
		fmt.Println(dialHello(os.Args[2]))
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "rights" {
		rights()
		return
	}
	d := sockdir.Make("unixsock")
	defer d.Remove()
	dir := d.Path
	name := func(a net.Addr) string {
		if a == nil {
			return "<nil>"
		}
		if rel, err := filepath.Rel(dir, a.String()); err == nil && a.String() != "" {
			return a.Network() + " " + rel
		}
		return fmt.Sprintf("%s %q", a.Network(), a.String())
	}

	path := filepath.Join(dir, "s.sock")
	l, err := net.Listen("unix", path)
	fmt.Printf("listen: %T %v\n", l, err)
	if err != nil {
		os.Exit(1)
	}
	fmt.Println("  addr:", name(l.Addr()))
	fi, err := os.Stat(path)
	fmt.Printf("  file: socket %v, %v\n", err == nil && fi.Mode()&os.ModeSocket != 0, err)

	done := make(chan string, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			done <- "accept: " + err.Error()
			return
		}
		defer c.Close()
		s := fmt.Sprintf("accepted %T local %s remote %s", c, name(c.LocalAddr()), name(c.RemoteAddr()))
		b, err := io.ReadAll(c) // until the client's CloseWrite
		s += fmt.Sprintf("; read %q %v", b, err)
		_, err = c.Write(append([]byte("echo: "), b...))
		done <- s + fmt.Sprintf("; wrote %v", err)
	}()
	c, err := net.Dial("unix", path)
	fmt.Printf("dial: %T %v\n", c, err)
	if err != nil {
		os.Exit(1)
	}
	fmt.Println("  local", name(c.LocalAddr()), "remote", name(c.RemoteAddr()))
	c.Write([]byte("hello over unix"))
	fmt.Println("  CloseWrite:", c.(*net.UnixConn).CloseWrite())
	b, err := io.ReadAll(c)
	fmt.Printf("  answer %q %v\n", b, err)
	fmt.Println("  server:", <-done)
	c.Close()

	// A deadline ends a blocked Accept; Close ends one too.
	l.(*net.UnixListener).SetDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = l.Accept()
	var ne net.Error
	fmt.Printf("deadline: timeout %v, ErrDeadlineExceeded %v\n", errors.As(err, &ne) && ne.Timeout(),
		errors.Is(err, os.ErrDeadlineExceeded))
	l.(*net.UnixListener).SetDeadline(time.Time{})
	go func() { time.Sleep(50 * time.Millisecond); l.Close() }()
	_, err = l.Accept()
	fmt.Println("accept after Close: ErrClosed", errors.Is(err, net.ErrClosed))
	_, err = os.Stat(path)
	fmt.Println("file after Close: gone", errors.Is(err, os.ErrNotExist))

	// Errors, as errno.
	_, err = net.Dial("unix", filepath.Join(dir, "missing.sock"))
	fmt.Println("dial missing: ENOENT", errors.Is(err, syscall.ENOENT))
	os.WriteFile(filepath.Join(dir, "plain"), []byte("x"), 0o644)
	_, err = net.Dial("unix", filepath.Join(dir, "plain"))
	fmt.Println("dial a file: ECONNREFUSED", errors.Is(err, syscall.ECONNREFUSED))
	l1, err := net.Listen("unix", filepath.Join(dir, "twice.sock"))
	fmt.Println("listen twice.sock:", err)
	_, err = net.Listen("unix", filepath.Join(dir, "twice.sock"))
	fmt.Println("  again: EADDRINUSE", errors.Is(err, syscall.EADDRINUSE))
	l1.Close()
	_, err = net.Listen("unix", filepath.Join(dir, "no-such-dir", "s.sock"))
	fmt.Println("listen in a missing directory: ENOENT", errors.Is(err, syscall.ENOENT))

	// A relative path is the working directory's.
	os.Chdir(dir)
	l2, err := net.Listen("unix", "rel.sock")
	fmt.Println("listen rel.sock:", err)
	if err == nil {
		go func() {
			if c, err := l2.Accept(); err == nil {
				c.Write([]byte("hi"))
				c.Close()
			}
		}()
		fmt.Println("  dial rel.sock:", dialRead("rel.sock"))
		_, err = os.Stat(filepath.Join(dir, "rel.sock"))
		fmt.Println("  in the directory:", err == nil)
		l2.Close()
	}

	// Many connections at once.
	l3, _ := net.Listen("unix", filepath.Join(dir, "many.sock"))
	go func() {
		for {
			c, err := l3.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	const n = 200
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			c, err := net.Dial("unix", filepath.Join(dir, "many.sock"))
			if err == nil {
				msg := []byte(fmt.Sprint("message ", i))
				c.Write(msg)
				got := make([]byte, len(msg))
				_, err = io.ReadFull(c, got)
				if err == nil && string(got) != string(msg) {
					err = fmt.Errorf("got %q", got)
				}
				c.Close()
			}
			errs <- err
		}()
	}
	bad := 0
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			bad++
			fmt.Println("  conn:", err)
		}
	}
	fmt.Printf("%d connections, %d failed\n", n, bad)
	l3.Close()
}

func dialRead(path string) string {
	c, err := net.Dial("unix", path)
	if err != nil {
		return err.Error()
	}
	defer c.Close()
	b, err := io.ReadAll(c)
	return fmt.Sprintf("%q %v", b, err)
}

func dialHello(path string) string {
	c, err := net.Dial("unix", path)
	if err != nil {
		return fmt.Sprintf("dial: %v", err)
	}
	defer c.Close()
	c.Write([]byte("hello"))
	c.(*net.UnixConn).CloseWrite()
	b, err := io.ReadAll(c)
	return fmt.Sprintf("answer %q %v", b, err)
}

// rights encodes descriptors 7, 8 and 9 as SCM_RIGHTS (syscall.UnixRights),
// parses them back, and sends them along with one byte over a UNIX
// connection: the error, or what the other end got.
func rights() {
	oob := syscall.UnixRights(7, 8, 9)
	fmt.Printf("rights: % x\n", oob)
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil || len(msgs) != 1 {
		fmt.Println("parse:", len(msgs), err)
		return
	}
	fds, err := syscall.ParseUnixRights(&msgs[0])
	fmt.Println("parsed:", msgs[0].Header.Level, msgs[0].Header.Type, fds, err)
	bad := append([]byte(nil), oob...)
	bad[0] = 0xff // a length past the end (little-endian, as all four are)
	_, err = syscall.ParseSocketControlMessage(bad)
	fmt.Println("bad length:", err, "MSG_CTRUNC", syscall.MSG_CTRUNC)

	d := sockdir.Make("rights")
	defer d.Remove()
	dir := d.Path
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: filepath.Join(dir, "s"), Net: "unix"})
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	defer l.Close()
	c, err := net.DialUnix("unix", nil, l.Addr().(*net.UnixAddr))
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer c.Close()
	s, err := l.AcceptUnix()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	defer s.Close()
	r, err := os.Open(dir)
	if err != nil {
		fmt.Println("open:", err)
		return
	}
	defer r.Close()
	_, _, err = c.WriteMsgUnix([]byte("x"), syscall.UnixRights(int(r.Fd())), nil)
	if err != nil {
		fmt.Println("send:", errors.Is(err, syscall.EOPNOTSUPP), err)
		return
	}
	buf, got := make([]byte, 1), make([]byte, syscall.CmsgSpace(4))
	n, oobn, _, _, err := s.ReadMsgUnix(buf, got)
	fmt.Println("sent; received:", n, oobn == len(got), err)
}
