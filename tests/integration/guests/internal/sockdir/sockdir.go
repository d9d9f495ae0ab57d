// Package sockdir is the private directory of the UNIX socket guests
// (unixgram, unixpacket, unixsock). Their transcripts name the sockets and
// errors in it relative to it, so a run under nonehost and the same
// program on Linux print the same lines.
package sockdir

import (
	"fmt"
	"net"
	"os"
	"strings"
)

// Dir is a directory made for the program's sockets.
type Dir struct{ Path string }

// Make makes a new directory (os.MkdirTemp's pattern); the program ends
// with status 1, after one line, if it cannot.
func Make(pattern string) Dir {
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		fmt.Println("MkdirTemp:", err)
		os.Exit(1)
	}
	return Dir{dir}
}

// Remove removes the directory and what is in it.
func (d Dir) Remove() { os.RemoveAll(d.Path) }

// Name is a's network and its path relative to the directory, or its
// address quoted when it lies elsewhere; "<nil>" for none.
func (d Dir) Name(a net.Addr) string {
	if a == nil {
		return "<nil>"
	}
	if rel, ok := strings.CutPrefix(a.String(), d.Path+"/"); ok {
		return a.Network() + " " + rel
	}
	return fmt.Sprintf("%s %q", a.Network(), a.String())
}

// Err is err's text with the directory taken out of its paths; "<nil>"
// for none.
func (d Dir) Err(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.ReplaceAll(err.Error(), d.Path+"/", "")
}
