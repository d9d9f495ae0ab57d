// fsops exercises every file operation of package os on the directory
// named by its first argument (empty and writable) and prints a
// transcript with that directory written as $BASE. The test runs it built
// for GOOS=none under nonehost and built for GOOS=linux over an identical
// directory, and compares the transcripts line by line. Standard input is
// read to its end and echoed at the end.
package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

var base string

func say(format string, args ...any) {
	fmt.Println(strings.ReplaceAll(fmt.Sprintf(format, args...), base, "$BASE"))
}

// e describes an error the way the transcript compares it: the text and
// what errors.Is says about the fs sentinels.
func e(err error) string {
	if err == nil {
		return "ok"
	}
	var kinds []string
	for _, k := range []struct {
		name   string
		target error
	}{{"NotExist", fs.ErrNotExist}, {"Exist", fs.ErrExist}, {"Permission", fs.ErrPermission}} {
		if errors.Is(err, k.target) {
			kinds = append(kinds, k.name)
		}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		kinds = append(kinds, fmt.Sprintf("errno=%d", int(errno)))
	}
	return fmt.Sprintf("%v [%s]", err, strings.Join(kinds, ","))
}

func p(name string) string { return filepath.Join(base, name) }

func must(err error) {
	if err != nil {
		fmt.Println("FATAL:", strings.ReplaceAll(err.Error(), base, "$BASE"))
		os.Exit(1)
	}
}

func main() {
	base = os.Args[1]

	// Create, exclusive create, truncate, append.
	must(os.WriteFile(p("a.txt"), []byte("hello\n"), 0o644))
	_, err := os.OpenFile(p("a.txt"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	say("excl on existing: %s", e(err))
	f, err := os.OpenFile(p("a.txt"), os.O_APPEND|os.O_WRONLY, 0)
	must(err)
	_, err = f.WriteString("world\n")
	say("append: %s", e(err))
	must(f.Close())
	b, err := os.ReadFile(p("a.txt"))
	say("read back: %q %s", b, e(err))
	f, err = os.OpenFile(p("a.txt"), os.O_TRUNC|os.O_RDWR, 0)
	must(err)
	fi, _ := f.Stat()
	say("after O_TRUNC size=%d", fi.Size())

	// read, write, pread, pwrite, seek on one O_RDWR file.
	_, err = f.Write([]byte("0123456789"))
	say("write: %s", e(err))
	off, err := f.Seek(2, io.SeekStart)
	say("seek start 2: %d %s", off, e(err))
	buf := make([]byte, 3)
	n, err := f.Read(buf)
	say("read: %d %q %s", n, buf[:n], e(err))
	off, _ = f.Seek(0, io.SeekCurrent)
	say("seek current: %d", off)
	off, _ = f.Seek(-1, io.SeekEnd)
	say("seek end -1: %d", off)
	n, err = f.ReadAt(buf, 7)
	say("pread at 7: %d %q %s", n, buf[:n], e(err))
	n, err = f.ReadAt(buf, 9)
	say("pread at 9: %d %q %s", n, buf[:n], e(err))
	_, err = f.WriteAt([]byte("AB"), 4)
	say("pwrite at 4: %s", e(err))
	_, err = f.Seek(-100, io.SeekStart)
	say("seek negative: %s", e(err))
	say("sync: %s", e(f.Sync()))
	say("f.Truncate(5): %s", e(f.Truncate(5)))
	must(f.Close())
	b, _ = os.ReadFile(p("a.txt"))
	say("content: %q", b)
	_, err = f.Write([]byte("x"))
	say("write after close: %s", e(err))

	// A 5 MiB file written and read back through small and large buffers.
	big := bytes.Repeat([]byte("nonehost-0123456789abcdef\n"), 5<<20/26)
	must(os.WriteFile(p("big"), big, 0o600))
	f, err = os.Open(p("big"))
	must(err)
	h := sha256.New()
	nr, err := io.CopyBuffer(h, f, make([]byte, 100_000))
	f.Close()
	say("big: %d bytes, same %v %s", nr, bytes.Equal(h.Sum(nil), sum(big)), e(err))

	// Stat, Lstat, File.Stat, modes.
	fi, err = os.Stat(p("a.txt"))
	say("stat: name=%s size=%d mode=%v dir=%v %s", fi.Name(), fi.Size(), fi.Mode(), fi.IsDir(), e(err))
	_, err = os.Stat(p("missing"))
	say("stat missing: %s", e(err))
	_, err = os.Stat(p("a.txt/x"))
	say("stat through a file: %s", e(err))

	// Directories.
	say("mkdir: %s", e(os.Mkdir(p("d"), 0o755)))
	say("mkdir again: %s", e(os.Mkdir(p("d"), 0o755)))
	say("mkdirall: %s", e(os.MkdirAll(p("d/e/f/g"), 0o750)))
	fi, _ = os.Stat(p("d/e/f"))
	say("d/e/f: dir=%v mode=%v", fi.IsDir(), fi.Mode())
	for i := range 300 {
		must(os.WriteFile(p(fmt.Sprintf("d/file%03d", i)), []byte{byte(i)}, 0o600))
	}
	ents, err := os.ReadDir(p("d"))
	say("readdir: %d entries, first %s last %s %s", len(ents), ents[0].Name(), ents[len(ents)-1].Name(), e(err))
	f, err = os.Open(p("d"))
	must(err)
	var names []string
	pages := 0
	for {
		page, err := f.ReadDir(7)
		for _, de := range page {
			names = append(names, de.Name())
		}
		if err == io.EOF {
			break
		}
		must(err)
		pages++
	}
	slices.Sort(names)
	say("paged readdir: %d names, %d pages, unique %v", len(names), pages, len(slices.Compact(names)) == 301)
	_, err = f.Seek(0, io.SeekStart)
	say("rewind dir: %s", e(err))
	all, _ := f.Readdirnames(-1)
	say("after rewind: %d", len(all))
	f.Close()
	say("remove non-empty: %s", e(os.Remove(p("d/e"))))
	say("remove missing: %s", e(os.Remove(p("nothing"))))
	say("removeall: %s", e(os.RemoveAll(p("d"))))
	_, err = os.Stat(p("d"))
	say("stat removed: %s", e(err))

	// Rename, links.
	must(os.WriteFile(p("r1"), []byte("one"), 0o600))
	must(os.WriteFile(p("r2"), []byte("two"), 0o600))
	say("rename: %s", e(os.Rename(p("r1"), p("r3"))))
	say("rename over: %s", e(os.Rename(p("r3"), p("r2"))))
	b, _ = os.ReadFile(p("r2"))
	say("r2 now %q", b)
	say("rename missing: %s", e(os.Rename(p("r1"), p("r4"))))
	say("symlink: %s", e(os.Symlink("r2", p("sl"))))
	say("symlink exists: %s", e(os.Symlink("r2", p("sl"))))
	t, err := os.Readlink(p("sl"))
	say("readlink: %q %s", t, e(err))
	_, err = os.Readlink(p("r2"))
	say("readlink of a file: %s", e(err))
	fi, _ = os.Lstat(p("sl"))
	say("lstat link: mode type %v", fi.Mode().Type())
	fi, _ = os.Stat(p("sl"))
	say("stat through link: size %d", fi.Size())
	b, err = os.ReadFile(p("sl"))
	say("read through link: %q %s", b, e(err))
	must(os.Symlink(p("r2"), p("abs")))
	b, err = os.ReadFile(p("abs"))
	say("read through absolute link: %q %s", b, e(err))
	must(os.Mkdir(p("sub"), 0o700))
	must(os.Symlink("../r2", p("sub/up")))
	b, err = os.ReadFile(p("sub/up"))
	say("read through ../ link: %q %s", b, e(err))
	must(os.Symlink("dangling-target", p("dangling")))
	_, err = os.Stat(p("dangling"))
	say("stat dangling: %s", e(err))
	say("link: %s", e(os.Link(p("r2"), p("hard"))))
	fa, _ := os.Stat(p("r2"))
	fb, _ := os.Stat(p("hard"))
	say("samefile: %v nlink %d", os.SameFile(fa, fb), nlink(fa))
	say("link exists: %s", e(os.Link(p("r2"), p("hard"))))

	// Permissions, sizes, times.
	say("chmod: %s", e(os.Chmod(p("r2"), 0o640)))
	fi, _ = os.Stat(p("r2"))
	say("mode now %v", fi.Mode())
	say("chmod missing: %s", e(os.Chmod(p("nothing"), 0o640)))
	uid, gid := owner(fi)
	say("owner is the program: %v %v", uid == os.Getuid(), gid == os.Getgid())
	say("chown to its own ids: %s", e(os.Chown(p("r2"), os.Getuid(), os.Getgid())))
	say("chgrp: %s", e(os.Chown(p("r2"), -1, os.Getgid())))
	say("lchown of a link: %s", e(os.Lchown(p("dangling"), -1, os.Getgid())))
	say("chown missing: %s", e(os.Chown(p("nothing"), -1, os.Getgid())))
	say("lchown missing: %s", e(os.Lchown(p("nothing"), -1, os.Getgid())))
	say("truncate: %s", e(os.Truncate(p("r2"), 1)))
	fi, _ = os.Stat(p("r2"))
	say("size now %d", fi.Size())
	say("truncate grow: %s", e(os.Truncate(p("r2"), 4096)))
	fi, _ = os.Stat(p("r2"))
	say("size now %d", fi.Size())
	at := time.Date(2001, 2, 3, 4, 5, 6, 789000000, time.UTC)
	mt := time.Date(2011, 12, 13, 14, 15, 16, 170000000, time.UTC)
	say("chtimes: %s", e(os.Chtimes(p("r2"), at, mt)))
	fi, _ = os.Stat(p("r2"))
	say("mtime %s atime %s", fi.ModTime().UTC().Format(time.RFC3339Nano), atime(fi).UTC().Format(time.RFC3339Nano))
	say("chtimes mtime only: %s", e(os.Chtimes(p("r2"), time.Time{}, at)))
	fi, _ = os.Stat(p("r2"))
	say("mtime %s atime %s", fi.ModTime().UTC().Format(time.RFC3339Nano), atime(fi).UTC().Format(time.RFC3339Nano))

	// Working directory.
	say("chdir: %s", e(os.Chdir(base)))
	wd, err := os.Getwd()
	say("getwd: %s %s", wd, e(err))
	b, err = os.ReadFile("r2")
	say("relative read: %d %s", len(b), e(err))
	must(os.Chdir("sub"))
	b, err = os.ReadFile("../r2")
	say("relative ../ read: %d %s", len(b), e(err))
	wd, _ = os.Getwd()
	say("getwd: %s", wd)
	say("chdir to a file: %s", e(os.Chdir(p("r2"))))
	say("chdir missing: %s", e(os.Chdir(p("nothing"))))
	must(os.Chdir(base))

	// The temporary directory.
	tmp := os.TempDir()
	say("TempDir is $TMPDIR: %v", tmp == os.Getenv("TMPDIR") && tmp != "")
	tf, err := os.CreateTemp("", "fsops-")
	say("CreateTemp: %s", e(err))
	if err == nil {
		tf.WriteString("temp")
		tf.Close()
		b, _ := os.ReadFile(tf.Name())
		say("temp content %q, remove %s", b, e(os.Remove(tf.Name())))
	}

	// io/fs views.
	var walked []string
	err = fs.WalkDir(os.DirFS(base), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		walked = append(walked, path+":"+d.Type().String())
		return nil
	})
	say("walk: %s %s", strings.Join(walked, " "), e(err))
	b, err = fs.ReadFile(os.DirFS(base), "sub/up")
	say("DirFS read: %d bytes %s", len(b), e(err))
	_, err = fs.ReadFile(os.DirFS(base), "../x")
	say("DirFS ../: %s", e(err))

	// os.Root.
	root, err := os.OpenRoot(base)
	must(err)
	b, err = root.ReadFile("r2")
	say("root read: %d %s", len(b), e(err))
	_, err = root.Open("../x")
	say("root escape: %s", e(err))
	_, err = root.Open("abs")
	say("root absolute link: %s", e(err))
	say("root mkdir: %s", e(root.Mkdir("rd", 0o700)))
	say("root remove: %s", e(root.Remove("rd")))
	root.Close()

	// Errors of the open call itself.
	_, err = os.Open(p("nothing"))
	say("open missing: %s", e(err))
	_, err = os.OpenFile(p("sub"), os.O_WRONLY, 0)
	say("open dir for writing: %s", e(err))
	_, err = os.Open("")
	say("open empty: %s", e(err))

	// Linux's memory devices.
	for _, name := range []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"} {
		fi, err := os.Stat(name)
		if err != nil {
			say("%s: %s", name, e(err))
			continue
		}
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		must(err)
		buf := bytes.Repeat([]byte{'z'}, 4096)
		n, rerr := io.ReadFull(f, buf)
		zeros := bytes.Count(buf, []byte{0})
		_, werr := f.Write([]byte("x"))
		f.Close()
		say("%s: %v, read %d %s (zeros: all %v, none-ish %v), write %s", name, fi.Mode(), n, e(rerr),
			zeros == len(buf), zeros < 100, e(werr))
	}
	_, err = os.ReadFile("/dev/zero/x")
	say("beneath /dev/zero: %s", e(err))

	locks()

	// Standard input.
	in, err := io.ReadAll(os.Stdin)
	say("stdin: %q %s", in, e(err))
}

func sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// locks takes flock(2) locks through two open files of one file: a
// conflict without LOCK_NB waits (in a goroutine) until the holder lets
// go, as the go command's lockedfile does.
func locks() {
	must(os.WriteFile(p("lock"), nil, 0o644))
	a, err := os.Open(p("lock"))
	must(err)
	b, err := os.OpenFile(p("lock"), os.O_RDWR, 0)
	must(err)
	fa, fb := int(a.Fd()), int(b.Fd())
	say("flock ex: %s", e(syscall.Flock(fa, syscall.LOCK_EX|syscall.LOCK_NB)))
	say("flock sh, held ex elsewhere: %s", e(syscall.Flock(fb, syscall.LOCK_SH|syscall.LOCK_NB)))
	say("flock ex again, same file: %s", e(syscall.Flock(fa, syscall.LOCK_EX|syscall.LOCK_NB)))
	var released atomic.Bool
	got := make(chan bool)
	go func() {
		err := syscall.Flock(fb, syscall.LOCK_EX) // waits
		got <- err == nil && released.Load()
	}()
	time.Sleep(50 * time.Millisecond)
	released.Store(true)
	must(syscall.Flock(fa, syscall.LOCK_UN))
	say("waiting flock got it after the unlock: %v", <-got)
	say("flock sh, held ex elsewhere: %s", e(syscall.Flock(fa, syscall.LOCK_SH|syscall.LOCK_NB)))
	must(b.Close()) // drops its lock
	say("flock sh after close: %s", e(syscall.Flock(fa, syscall.LOCK_SH|syscall.LOCK_NB)))
	say("flock how 0: %s", e(syscall.Flock(fa, 0)))
	say("flock LOCK_NB alone: %s", e(syscall.Flock(fa, syscall.LOCK_NB)))
	must(a.Close())
	say("flock closed: %s", e(syscall.Flock(fa, syscall.LOCK_EX)))
}
