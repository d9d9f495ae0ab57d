// fsescape tries to leave its file grants. Arguments: a read-write grant
// (empty), a read-only grant holding the file "kept", and the absolute
// path of a canary file outside every grant. Each attempt prints one line
// "name: errno N" (or "name: ok ..."); the test holds each to the errno
// it must be refused with and checks the canary afterwards.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

func errno(err error) string {
	if err == nil {
		return "ok"
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return fmt.Sprintf("errno %d", int(en))
	}
	return "other " + err.Error()
}

func try(name string, err error) { fmt.Printf("%s: %s\n", name, errno(err)) }

func read(path string) error {
	b, err := os.ReadFile(path)
	if err == nil && len(b) > 0 {
		fmt.Printf("LEAK %s: %q\n", path, b)
	}
	return err
}

func main() {
	rw, ro, canary := os.Args[1], os.Args[2], os.Args[3]
	in := func(name string) string { return filepath.Join(rw, name) }
	rel := strings.TrimPrefix(canary, "/")

	try("canary direct", read(canary))
	try("etc passwd", read("/etc/passwd"))
	try("dotdot passwd", read(rw+"/../../../../../../../../etc/passwd"))
	try("dotdot canary", read(rw+strings.Repeat("/..", 20)+canary))

	must(os.Symlink("/", in("root")))
	try("abs link to root: passwd", read(in("root/etc/passwd")))
	try("abs link to root: canary", read(in("root/"+rel)))
	must(os.Symlink(strings.Repeat("../", 20), in("up")))
	try("relative link climbing out", read(in("up/"+rel)))
	must(os.Symlink(canary, in("canarylink")))
	try("abs link to canary", read(in("canarylink")))
	try("write through abs link", os.WriteFile(in("canarylink"), []byte("pwned"), 0o644))
	must(os.Symlink("/proc/self/root", in("magic")))
	try("proc magic link", read(in("magic/"+rel)))
	try("proc direct", read("/proc/self/root/"+rel))
	must(os.Symlink("loop2", in("loop1")))
	must(os.Symlink("loop1", in("loop2")))
	try("symlink loop", read(in("loop1")))

	must(os.WriteFile(in("mine"), []byte("x"), 0o644))
	tmp := os.TempDir()
	try("rename across grants", os.Rename(in("mine"), filepath.Join(tmp, "moved")))
	try("link across grants", os.Link(in("mine"), filepath.Join(tmp, "linked")))
	try("rename into ro grant", os.Rename(in("mine"), filepath.Join(ro, "moved")))
	try("rename to canary", os.Rename(in("mine"), canary))

	try("nul byte", read(in("a\x00b")))
	try("64 KiB path", read("/"+strings.Repeat("a/", 32<<10)))

	try("ro create", os.WriteFile(filepath.Join(ro, "new"), []byte("x"), 0o644))
	try("ro write existing", os.WriteFile(filepath.Join(ro, "kept"), []byte("x"), 0o644))
	try("ro mkdir", os.Mkdir(filepath.Join(ro, "d"), 0o755))
	try("ro remove", os.Remove(filepath.Join(ro, "kept")))
	try("ro chmod", os.Chmod(filepath.Join(ro, "kept"), 0o777))
	try("ro truncate", os.Truncate(filepath.Join(ro, "kept"), 0))
	try("ro chown", os.Chown(filepath.Join(ro, "kept"), -1, os.Getgid()))
	try("chown canary", os.Chown(canary, -1, os.Getgid()))
	must(os.WriteFile(in("mine"), nil, 0o644))
	// The host holds no capability: its own uid and group only, even as root.
	try("chown away", os.Chown(in("mine"), os.Getuid()+1, -1))
	try("chgrp away", os.Chown(in("mine"), -1, os.Getgid()+1))
	try("chown to itself", os.Chown(in("mine"), os.Getuid(), os.Getgid()))
	try("ro symlink", os.Symlink("kept", filepath.Join(ro, "l")))
	try("ro rename", os.Rename(filepath.Join(ro, "kept"), filepath.Join(ro, "k2")))
	b, err := os.ReadFile(filepath.Join(ro, "kept"))
	fmt.Printf("ro read: %q %s\n", b, errno(err))
	// Permission bits hold as for an ordinary user (nonehost drops every
	// capability, root's included).
	must(os.WriteFile(in("secret"), []byte("x"), 0o000))
	_, err = os.ReadFile(in("secret"))
	fmt.Printf("unreadable file: %s, ErrPermission %v\n", errno(err), errors.Is(err, fs.ErrPermission))
	try("synthetic mkdir", os.Mkdir("/nonehost-new-dir", 0o755))
	try("synthetic create", os.WriteFile("/nonehost-new-file", nil, 0o644))

	// Descriptors up to the limit (nonehost --max-files).
	var files []*os.File
	for {
		f, err := os.Open(filepath.Join(ro, "kept"))
		if err != nil {
			fmt.Printf("open until refused: %d open, %s\n", len(files), errno(err))
			break
		}
		files = append(files, f)
		if len(files) > 100000 {
			fmt.Println("no descriptor limit")
			break
		}
	}
	for _, f := range files {
		f.Close()
	}
	_, err = os.Open(filepath.Join(ro, "kept"))
	try("open after closing", err)
}

func must(err error) {
	if err != nil {
		fmt.Println("FATAL:", err)
		os.Exit(1)
	}
}
