// Command unixpacket exercises UNIX seqpacket sockets through the net
// package and prints a transcript that must match the same program built
// for linux: a listener and its name, a connection's two ends and their
// names, messages kept whole (a short read takes the head of one and drops
// the rest), both directions, a half-close, a read deadline, Close waking a
// blocked Accept, and the errors of a missing path, a stream socket's path
// and a used name.
//
//	unixpacket             the transcript
//	unixpacket dial PATH   send "hello" to PATH, half-close, print the answer
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"nonehost/tests/integration/guests/internal/sockdir"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "dial" {
		dial(os.Args[2])
		return
	}
	d := sockdir.Make("unixpacket")
	defer d.Remove()
	dir, name, errText := d.Path, d.Name, d.Err

	srvPath := filepath.Join(dir, "srv.sock")
	ln, err := net.Listen("unixpacket", srvPath)
	fmt.Printf("listen: %T %v\n", ln, err)
	if err != nil {
		os.Exit(1)
	}
	fmt.Println("  addr:", name(ln.Addr()))
	fi, err := os.Stat(srvPath)
	fmt.Printf("  file: socket %v, %v\n", err == nil && fi.Mode()&os.ModeSocket != 0, err)

	accepted := make(chan net.Conn)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			fmt.Println("accept:", err)
			os.Exit(1)
		}
		accepted <- c
	}()
	cli, err := net.Dial("unixpacket", srvPath)
	fmt.Printf("dial: %T %v\n", cli, errText(err))
	if err != nil {
		os.Exit(1)
	}
	srv := <-accepted
	fmt.Println("  client: local", name(cli.LocalAddr()), "remote", name(cli.RemoteAddr()))
	fmt.Println("  server: local", name(srv.LocalAddr()), "remote", name(srv.RemoteAddr()))

	buf := make([]byte, 64)
	read := func(who string, c net.Conn, b []byte) {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := c.Read(b)
		fmt.Printf("  %s got %q, %v\n", who, b[:n], err)
	}
	// Three messages, read as three: never run together.
	for _, m := range []string{"one", "two", "three"} {
		if _, err := cli.Write([]byte(m)); err != nil {
			fmt.Println("  write:", err)
		}
	}
	read("server", srv, buf)
	read("server", srv, buf)
	read("server", srv, buf[:2]) // the head of "three"; the rest is dropped
	cli.Write([]byte("four"))
	read("server", srv, buf)

	// The other way, and a large message whole.
	big := strings.Repeat("x", 10000)
	n, err := srv.Write([]byte(big))
	fmt.Println("  server wrote", n, err)
	large := make([]byte, 20000)
	cli.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err = cli.Read(large)
	fmt.Println("  client got", n, "bytes, whole:", string(large[:n]) == big, err)

	// A read deadline, then a half-close: the server reads EOF.
	srv.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = srv.Read(buf)
	var ne net.Error
	fmt.Println("read past the deadline:", errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout())
	err = cli.(*net.UnixConn).CloseWrite()
	fmt.Println("client CloseWrite:", err)
	srv.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = srv.Read(buf)
	fmt.Println("  server reads:", err)
	srv.Write([]byte("after"))
	read("client", cli, buf)
	cli.Close()
	srv.Close()

	// Errors: nothing there, a stream socket's path, a name in use.
	_, err = net.Dial("unixpacket", filepath.Join(dir, "missing.sock"))
	fmt.Println("dial a missing path:", errText(err))
	stream, err := net.Listen("unix", filepath.Join(dir, "stream.sock"))
	if err == nil {
		_, err = net.Dial("unixpacket", filepath.Join(dir, "stream.sock"))
		fmt.Println("dial a stream socket:", errText(err))
		stream.Close()
	}
	_, err = net.Listen("unixpacket", srvPath)
	fmt.Println("listen on a used name:", errText(err))

	// Close wakes a blocked Accept.
	done := make(chan error)
	go func() {
		_, err := ln.Accept()
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	ln.Close()
	fmt.Println("accept after Close:", errors.Is(<-done, net.ErrClosed))
}

func dial(path string) {
	c, err := net.Dial("unixpacket", path)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer c.Close()
	c.Write([]byte("hello"))
	c.(*net.UnixConn).CloseWrite()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(c)
	fmt.Printf("answer %q %v\n", b, err)
}
