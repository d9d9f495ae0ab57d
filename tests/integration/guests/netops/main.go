// Command netops exercises the net package and prints a transcript that
// must be the same under nonehost as on Linux: no addresses or ports, only
// types, data and errors. Arguments name the scenarios to run (all of the
// portable ones by default); "dial ADDR", "bind ADDR" and "serve-http N"
// are for the host policy and host-side tests.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

var scenarios = []struct {
	name string
	fn   func() error
}{
	{"tcp-echo", tcpEcho},
	{"tcp6-echo", tcp6Echo},
	{"half-close", halfClose},
	{"deadline", deadline},
	{"close-wakes", closeWakes},
	{"refused", refused},
	{"accept-unlistened", acceptUnlistened},
	{"dial-cancel", dialCancel},
	{"udp-echo", udpEcho},
	{"many-conns", manyConns},
	{"http-loopback", httpLoopback},
}

func main() {
	args := os.Args[1:]
	switch {
	case len(args) == 2 && args[0] == "dial":
		report("dial", dialOnce(args[1]))
		return
	case len(args) == 2 && args[0] == "bind":
		l, err := net.Listen("tcp", args[1])
		if err == nil {
			l.Close()
		}
		report("bind", err)
		return
	case len(args) == 2 && args[0] == "get":
		report("get", get(args[1]))
		return
	case len(args) == 1 && args[0] == "serve-http":
		report("serve-http", serveHTTP())
		return
	}
	for _, s := range scenarios {
		if len(args) > 0 && !contains(args, s.name) {
			continue
		}
		report(s.name, s.fn())
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// report prints the outcome with the properties a program tests for.
func report(name string, err error) {
	if err == nil {
		fmt.Printf("%s: ok\n", name)
		return
	}
	var ne net.Error
	timeout := errors.As(err, &ne) && ne.Timeout()
	fmt.Printf("%s: error (EACCES %v, ECONNREFUSED %v, timeout %v, closed %v)\n", name,
		errors.Is(err, syscall.EACCES), errors.Is(err, syscall.ECONNREFUSED), timeout,
		errors.Is(err, net.ErrClosed))
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
}

func echoServer(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			io.Copy(c, c)
			c.Close()
		}()
	}
}

func echoOnce(network, addr string) error {
	l, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	defer l.Close()
	if _, ok := l.(*net.TCPListener); !ok {
		return fmt.Errorf("listener is %T", l)
	}
	go echoServer(l)
	c, err := net.Dial(network, l.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return fmt.Errorf("conn is %T", c)
	}
	if err := tc.SetNoDelay(true); err != nil {
		return err
	}
	if err := tc.SetKeepAlive(true); err != nil {
		return err
	}
	if err := tc.SetLinger(0); err != nil {
		return err
	}
	if tc.LocalAddr().(*net.TCPAddr).Port == 0 || tc.RemoteAddr().String() != l.Addr().String() {
		return fmt.Errorf("addresses %v -> %v, listener %v", tc.LocalAddr(), tc.RemoteAddr(), l.Addr())
	}
	msg := strings.Repeat("0123456789abcdef", 1<<12) // 64 KiB: more than one read
	go func() { io.WriteString(c, msg) }()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if string(got) != msg {
		return errors.New("echo differs")
	}
	return nil
}

func tcpEcho() error  { return echoOnce("tcp4", "127.0.0.1:0") }
func tcp6Echo() error { return echoOnce("tcp6", "[::1]:0") }

// halfClose: the client's CloseWrite is the server's EOF; the server can
// still answer.
func halfClose() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		b, _ := io.ReadAll(c)
		fmt.Fprintf(c, "got %d bytes", len(b))
		c.Close()
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	io.WriteString(c, "twelve bytes")
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		return err
	}
	b, err := io.ReadAll(c)
	if err != nil {
		return err
	}
	fmt.Printf("half-close: reply %q\n", b)
	return nil
}

func deadline() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	go echoServer(l)
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = c.Read(make([]byte, 1))
	fmt.Printf("deadline: read: deadline exceeded %v\n", errors.Is(err, os.ErrDeadlineExceeded))
	l.(*net.TCPListener).SetDeadline(time.Now().Add(20 * time.Millisecond))
	_, err = l.Accept()
	fmt.Printf("deadline: accept: deadline exceeded %v\n", errors.Is(err, os.ErrDeadlineExceeded))
	c.SetReadDeadline(time.Time{})
	io.WriteString(c, "x")
	_, err = c.Read(make([]byte, 1))
	return err
}

// closeWakes: Close from another goroutine ends a blocked Read and Accept.
func closeWakes() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		return err
	}
	peer := <-accepted
	defer peer.Close()
	var wg sync.WaitGroup
	var readErr, acceptErr error
	wg.Add(2)
	go func() { defer wg.Done(); _, readErr = c.Read(make([]byte, 1)) }()
	go func() { defer wg.Done(); _, acceptErr = l.Accept() }()
	time.Sleep(20 * time.Millisecond)
	c.Close()
	l.Close()
	wg.Wait()
	fmt.Printf("close-wakes: read closed %v, accept closed %v\n",
		errors.Is(readErr, net.ErrClosed), errors.Is(acceptErr, net.ErrClosed))
	return nil
}

func refused() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	return dialOnce(addr)
}

func dialOnce(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

// dialCancel: a dial whose context is already cancelled fails with the
// context's error.
func dialCancel() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var d net.Dialer
	_, err = d.DialContext(ctx, "tcp", l.Addr().String())
	fmt.Printf("dial-cancel: canceled %v\n", errors.Is(err, context.Canceled))
	return nil
}

func udpEcho() error {
	srv, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, ok := srv.(*net.UDPConn); !ok {
		return fmt.Errorf("packet conn is %T", srv)
	}
	go func() {
		b := make([]byte, 2048)
		for {
			n, from, err := srv.ReadFrom(b)
			if err != nil {
				return
			}
			srv.WriteTo(b[:n], from)
		}
	}()
	c, err := net.Dial("udp", srv.LocalAddr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	if _, ok := c.(*net.UDPConn); !ok {
		return fmt.Errorf("udp conn is %T", c)
	}
	for i := 0; i < 3; i++ {
		fmt.Fprintf(c, "datagram %d", i)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		b := make([]byte, 100)
		n, err := c.Read(b)
		if err != nil {
			return err
		}
		fmt.Printf("udp-echo: %q\n", b[:n])
	}
	return nil
}

// manyConns holds 1,000 connections open at once and echoes over each.
func manyConns() error {
	const n = 1000
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	go echoServer(l)
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			return fmt.Errorf("conn %d: %w", i, err)
		}
		conns = append(conns, c)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := fmt.Sprintf("conn %d", i)
			io.WriteString(c, msg)
			b := make([]byte, len(msg))
			if _, err := io.ReadFull(c, b); err != nil || string(b) != msg {
				errs <- fmt.Errorf("conn %d: %q %v", i, b, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func httpLoopback() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Path)
	})}
	go srv.Serve(l)
	defer srv.Close()
	return get("http://" + l.Addr().String() + "/loopback")
}

func get(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	fmt.Printf("get: %s %q\n", resp.Status, b)
	return err
}

// serveHTTP listens on 127.0.0.1:0, prints the address and answers
// until a request for /quit.
func serveHTTP() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("listening %s\n", l.Addr())
	quit := make(chan bool)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "served %s by GOOS=none\n", r.URL.Path)
		if r.URL.Path == "/quit" {
			close(quit)
		}
	})}
	go srv.Serve(l)
	<-quit
	time.Sleep(10 * time.Millisecond)
	return srv.Close()
}

// acceptUnlistened accepts on a TCP socket that never listened: EINVAL, at
// once, as the kernel says (the host must not turn it into another call).
func acceptUnlistened() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	if _, _, err = syscall.Accept(fd); err != syscall.EINVAL {
		return fmt.Errorf("accept: %v, want EINVAL", err)
	}
	return nil
}
