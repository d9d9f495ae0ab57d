//go:build none

// Command socketfunc brings its own network stack through net.SocketFunc:
// an in-memory one where a listener is a channel and a connection is a
// net.Pipe. The net package must still hand out its own types.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

type memListener struct {
	addr  net.Addr
	conns chan net.Conn
	once  sync.Once
	done  chan struct{}
}

func (l *memListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memListener) Close() error {
	l.once.Do(func() {
		close(l.done)
		mu.Lock()
		delete(listeners, l.addr.String())
		mu.Unlock()
	})
	return nil
}

func (l *memListener) Addr() net.Addr { return l.addr }

// memConn is one end of a pipe with the addresses of a TCP connection.
type memConn struct {
	net.Conn
	local, remote net.Addr
}

func (c memConn) LocalAddr() net.Addr  { return c.local }
func (c memConn) RemoteAddr() net.Addr { return c.remote }

var (
	mu        sync.Mutex
	listeners = map[string]*memListener{}
	nextPort  = 40000
)

func memSocket(ctx context.Context, network string, family, sotype int, laddr, raddr net.Addr) (any, error) {
	mu.Lock()
	defer mu.Unlock()
	if raddr == nil {
		l := &memListener{addr: laddr, conns: make(chan net.Conn, 8), done: make(chan struct{})}
		listeners[laddr.String()] = l
		return l, nil
	}
	l := listeners[raddr.String()]
	if l == nil {
		return nil, errors.New("memnet: connection refused")
	}
	nextPort++
	local := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: nextPort}
	a, b := net.Pipe()
	l.conns <- memConn{b, raddr, local}
	return memConn{a, local, raddr}, nil
}

func main() {
	net.SocketFunc = memSocket
	l, err := net.Listen("tcp", "10.0.0.1:80")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	fmt.Printf("listener %T %v\n", l, l.Addr())
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			fmt.Printf("accepted %T from %v\n", c, c.RemoteAddr())
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	c, err := net.Dial("tcp", "10.0.0.1:80")
	if err != nil {
		fmt.Println("dial:", err)
		os.Exit(1)
	}
	fmt.Printf("conn %T %v -> %v\n", c, c.LocalAddr(), c.RemoteAddr())
	io.WriteString(c, "through the application's stack")
	b := make([]byte, 31)
	if _, err := io.ReadFull(c, b); err != nil {
		fmt.Println("read:", err)
		os.Exit(1)
	}
	fmt.Printf("echo %q\n", b)
	c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, err = c.Read(b)
	fmt.Printf("deadline exceeded %v\n", errors.Is(err, os.ErrDeadlineExceeded))
	_, err = net.Dial("tcp", "10.0.0.9:80")
	fmt.Printf("dial elsewhere: %v\n", err)
	c.Close()
	l.Close()
}
