// umask shows the file-mode creation mask at work, as a Linux program sees
// it: the mask it starts with, then for each of three masks it sets, the
// modes of a file, a directory and (argument "sock") a UNIX socket's name
// made under it in DIR, and the mask a child starts with: the program
// itself ("image") and (argument "sh") /bin/sh.
//
// Usage: umask DIR [sock] [sh]; umask child (prints its mask)
package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Printf("%03o\n", syscall.Umask(0))
		return
	}
	dir, words := os.Args[1], os.Args[2:]
	start := syscall.Umask(0o022)
	syscall.Umask(start)
	fmt.Printf("start: umask %03o\n", start)
	for _, mask := range []int{0o027, 0o077, 0} {
		syscall.Umask(mask)
		sub := filepath.Join(dir, fmt.Sprintf("m%03o", mask))
		line := fmt.Sprintf("umask %03o:", mask)
		if err := os.Mkdir(sub, 0o777); err != nil {
			fmt.Println(line, err)
			continue
		}
		f, err := os.OpenFile(filepath.Join(sub, "file"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
		if err == nil {
			f.Close()
		}
		line += " file " + mode(filepath.Join(sub, "file"), err)
		line += " dir " + mode(sub, nil)
		if slices.Contains(words, "sock") {
			l, err := net.Listen("unix", filepath.Join(sub, "sock"))
			line += " sock " + mode(filepath.Join(sub, "sock"), err)
			if err == nil {
				l.Close()
			}
		}
		exe, err := os.Executable()
		if err == nil {
			line += " image " + output(exec.Command(exe, "child"))
		} else {
			line += " image " + err.Error()
		}
		if slices.Contains(words, "sh") {
			line += " sh " + output(exec.Command("/bin/sh", "-c", "umask"))
		}
		fmt.Println(line)
	}
}

// mode is the permission bits (and type letter) of path, or err.
func mode(path string, err error) string {
	if err != nil {
		return err.Error()
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return err.Error()
	}
	return fi.Mode().String()
}

// output is what cmd printed, or how it failed.
func output(cmd *exec.Cmd) string {
	out, err := cmd.Output()
	if err != nil {
		return err.Error()
	}
	return strings.TrimSpace(string(out))
}
