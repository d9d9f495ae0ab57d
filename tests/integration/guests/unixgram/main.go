// Command unixgram exercises UNIX datagram sockets through the net package
// and prints a transcript that must match the same program built for
// linux: a bound server and a bound client trading datagrams with their
// names, an unnamed client, a connected pair, an empty datagram, a read
// deadline, Close waking a blocked read, and the errors of a missing path
// and of a stream socket's path.
//
//	unixgram            the transcript
//	unixgram send PATH  send "hello" to PATH from a socket in TMPDIR, print the error
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"nonehost/tests/integration/guests/internal/sockdir"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "send" {
		c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: filepath.Join(os.TempDir(), "send.sock"), Net: "unixgram"})
		if err != nil {
			fmt.Println("socket:", err)
			return
		}
		defer c.Close()
		_, err = c.WriteTo([]byte("hello"), &net.UnixAddr{Name: os.Args[2], Net: "unixgram"})
		fmt.Println("send:", err)
		return
	}
	d := sockdir.Make("unixgram")
	defer d.Remove()
	dir, name, errText := d.Path, d.Name, d.Err

	srvPath := filepath.Join(dir, "srv.sock")
	srv, err := net.ListenPacket("unixgram", srvPath)
	fmt.Printf("listen: %T %v\n", srv, err)
	if err != nil {
		os.Exit(1)
	}
	fmt.Println("  local:", name(srv.LocalAddr()))
	fi, err := os.Stat(srvPath)
	fmt.Printf("  file: socket %v, %v\n", err == nil && fi.Mode()&os.ModeSocket != 0, err)
	srvAddr := &net.UnixAddr{Name: srvPath, Net: "unixgram"}

	buf := make([]byte, 64)
	recv := func(who string, c net.PacketConn) net.Addr {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, from, err := c.ReadFrom(buf)
		fmt.Printf("  %s got %q from %s, %v\n", who, buf[:n], name(from), err)
		return from
	}

	// A bound client: the server answers to the name it read.
	cliAddr := &net.UnixAddr{Name: filepath.Join(dir, "cli.sock"), Net: "unixgram"}
	cli, err := net.DialUnix("unixgram", cliAddr, srvAddr)
	fmt.Printf("dial bound: %T %v\n", cli, errText(err))
	if err != nil {
		os.Exit(1)
	}
	fmt.Println("  local", name(cli.LocalAddr()), "remote", name(cli.RemoteAddr()))
	n, err := cli.Write([]byte("ping"))
	fmt.Println("  write:", n, err)
	from := recv("server", srv)
	if from != nil {
		n, err = srv.WriteTo([]byte("pong"), from)
		fmt.Println("  answer:", n, err)
		n, err = cli.Read(buf)
		fmt.Printf("  client got %q, %v\n", buf[:n], err)
	}
	n, err = cli.Write(nil)
	fmt.Println("  empty write:", n, err)
	recv("server", srv)

	// An unnamed client: its datagrams come from no name.
	anon, err := net.DialUnix("unixgram", nil, srvAddr)
	fmt.Printf("dial unnamed: %v\n", errText(err))
	if err == nil {
		fmt.Println("  local", name(anon.LocalAddr()), "remote", name(anon.RemoteAddr()))
		anon.Write([]byte("anonymous"))
		recv("server", srv)
		anon.Close()
	}

	// WriteTo from a socket of its own: to the server, and to the client,
	// which is connected to the server and so takes nothing from others.
	other, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: filepath.Join(dir, "other.sock"), Net: "unixgram"})
	fmt.Println("listen other:", errText(err))
	if err == nil {
		n, err = other.WriteToUnix([]byte("from other"), srvAddr)
		fmt.Println("  write to server:", n, errText(err))
		recv("server", srv)
		n, err = other.WriteToUnix([]byte("from other"), cliAddr)
		fmt.Println("  write to the connected client:", n, errText(err))
		other.Close()
	}

	// Errors: a path with nothing there, a stream socket's path, a deadline.
	_, err = srv.WriteTo([]byte("x"), &net.UnixAddr{Name: filepath.Join(dir, "missing.sock"), Net: "unixgram"})
	fmt.Println("write to a missing path:", errText(err))
	stream, err := net.Listen("unix", filepath.Join(dir, "stream.sock"))
	if err == nil {
		_, err = srv.WriteTo([]byte("x"), &net.UnixAddr{Name: filepath.Join(dir, "stream.sock"), Net: "unixgram"})
		fmt.Println("write to a stream socket:", errText(err))
		stream.Close()
	}
	_, err = net.ListenPacket("unixgram", srvPath)
	fmt.Println("listen on a used name:", errText(err))
	srv.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, _, err = srv.ReadFrom(buf)
	var ne net.Error
	fmt.Println("read past the deadline:", errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout())

	// Close wakes a blocked read.
	done := make(chan error)
	go func() {
		srv.SetReadDeadline(time.Time{})
		_, _, err := srv.ReadFrom(buf)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	srv.Close()
	fmt.Println("read after Close:", errors.Is(<-done, net.ErrClosed))
	cli.Close()
}
