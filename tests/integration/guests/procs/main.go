// Command procs starts processes the ways programs and tests do, and
// prints a transcript that must be the same under nonehost as on Linux
// (no process IDs, no timings).
//
// With no argument it runs the transcript, starting copies of itself
// (os.Executable, PROCS_HELPER=1 in the environment) as helpers. With
// arguments it is a helper, or one of the host-specific checks:
//
//	exec PATH ARGS...   run a host program, print its output or the error
//	run PATH ARGS...    run a host program on this one's stdout and stderr,
//	                    print the error
//	narrow FILE FLAGS   read FILE, then have a child image read it with
//	                    NONEHOST_FLAGS=FLAGS (a narrower grant)
//	maxprocs            start two children (--max-procs 1 refuses the second)
//	orphan              start a child, print its pid, exit without waiting
//	grandorphan         start a child that starts a grandchild and exits;
//	                    print the grandchild's pid, exit
//	tcpchild            a child that listens on TCP loopback and dials itself
//	extrafiles          a child gets a TCP listener, a pipe's write end and an
//	                    open file as ExtraFiles (its descriptors 3, 4, 5): it
//	                    accepts on 3, writes to 4, reads 5
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if os.Getenv("PROCS_HELPER") == "1" {
		helper(os.Args[1:])
		return
	}
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "exec":
			out, err := exec.Command(os.Args[2], os.Args[3:]...).CombinedOutput()
			fmt.Printf("exec %s: %q %v\n", os.Args[2], out, err)
			if errors.Is(err, os.ErrPermission) {
				fmt.Println("permission denied: errors.Is(err, os.ErrPermission)")
			}
			return
		case "run":
			cmd := exec.Command(os.Args[2], os.Args[3:]...)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			fmt.Printf("run %s: %v\n", os.Args[2], cmd.Run())
			return
		case "execin":
			cmd := exec.Command(os.Args[3], os.Args[4:]...)
			cmd.Dir = os.Args[2]
			out, err := cmd.CombinedOutput()
			fmt.Printf("exec %s in %s: %q %v\n", os.Args[3], os.Args[2], out, err)
			return
		case "narrow":
			narrow(os.Args[2], os.Args[3], os.Args[4])
			return
		case "maxprocs":
			first := selfArgs("sleep")
			fmt.Println("first:", first.Start())
			fmt.Println("second:", selfArgs("sleep").Start())
			first.Process.Kill()
			fmt.Println("first wait:", first.Wait())
			return
		case "tcpchild":
			out, err := selfArgs("tcp").CombinedOutput()
			fmt.Printf("%s(child %v)\n", out, err)
			return
		case "extrafiles":
			extraFiles()
			return
		case "grandorphan":
			r, w, err := os.Pipe()
			if err != nil {
				fmt.Println("os.Pipe:", err)
				os.Exit(1)
			}
			cmd := selfArgs("leave", "sleep")
			cmd.Stdout = w
			if err := cmd.Start(); err != nil {
				fmt.Println("start:", err)
				os.Exit(1)
			}
			w.Close()
			cmd.Wait()
			line, err := bufio.NewReader(r).ReadString('\n')
			fmt.Print(line, err, "\n")
			os.Exit(0)
		case "orphan":
			cmd := selfArgs("sleep")
			if err := cmd.Start(); err != nil {
				fmt.Println("start:", err)
				os.Exit(1)
			}
			fmt.Println("child", cmd.Process.Pid)
			os.Exit(0)
		}
	}
	transcript()
}

// helper is the child side.
func helper(args []string) {
	switch args[0] {
	case "args":
		fmt.Printf("helper args %q\n", args[1:])
	case "exit":
		var code int
		fmt.Sscan(args[1], &code)
		os.Exit(code)
	case "cat":
		n, err := io.Copy(os.Stdout, os.Stdin)
		fmt.Fprintf(os.Stderr, "cat copied %d bytes, %v\n", n, err)
	case "sleep":
		time.Sleep(time.Hour)
	case "leave":
		// Start a grandchild that shares stdout and reads stdin from a
		// pipe this one holds the write end of, and exit without waiting.
		pr, pw, err := os.Pipe()
		if err != nil {
			fmt.Println("os.Pipe:", err)
			os.Exit(1)
		}
		g := selfArgs(args[1])
		g.Stdin = pr
		g.Stdout = os.Stdout
		if err := g.Start(); err != nil {
			fmt.Println("start:", err)
			os.Exit(1)
		}
		pr.Close()
		if args[1] == "sleep" {
			fmt.Println("grandchild", g.Process.Pid)
		} else {
			fmt.Println("child: exits before its child")
		}
		_ = pw // open until this process exits
		os.Exit(0)
	case "late":
		// Its stdin ends when its parent has exited.
		n, err := io.Copy(io.Discard, os.Stdin)
		fmt.Printf("grandchild: its parent exited (stdin %d %v), it runs on\n", n, err)
	case "both":
		fmt.Fprintln(os.Stdout, "to stdout")
		fmt.Fprintln(os.Stderr, "to stderr")
	case "ready":
		// Tell the parent it is ready by closing stdout, then wait.
		fmt.Println("ready")
		os.Stdout.Close()
		_, err := fmt.Println("after close")
		fmt.Fprintf(os.Stderr, "write after close: %v\n", err)
		time.Sleep(time.Hour)
	case "env":
		fmt.Printf("PROCS_VALUE=%q\n", os.Getenv("PROCS_VALUE"))
	case "pid":
		fmt.Printf("%d %v", os.Getpid(), os.Getppid() == atoi(os.Getenv("PROCS_PARENT")))
	case "host":
		name, err := os.Hostname()
		fmt.Print(name, " ", err)
	case "cwd":
		wd, err := os.Getwd()
		fmt.Printf("in its Dir %v %v", wd == os.Getenv("PROCS_WANT_DIR"), err)
	case "read":
		b, err := os.ReadFile(args[1])
		fmt.Printf("child read: %q %v\n", b, err)
	case "extra":
		extraChild()
	case "tcp":
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Println("child listen:", err)
			return
		}
		c, err := net.Dial("tcp", l.Addr().String())
		if err == nil {
			c.Close()
		}
		fmt.Println("child dial:", err)
		l.Close()
	}
}

func selfArgs(args ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		fmt.Println("os.Executable:", err)
		os.Exit(1)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "PROCS_HELPER=1")
	return cmd
}

func status(err error) string {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return fmt.Sprintf("err %v", err)
	}
	ws := ee.Sys().(syscall.WaitStatus)
	s := fmt.Sprintf("%v: ExitCode %d, Exited %v, Signaled %v", err, ee.ExitCode(), ws.Exited(), ws.Signaled())
	if ws.Signaled() {
		s += fmt.Sprintf(", Signal %v", ws.Signal())
	}
	return s
}

func transcript() {
	// The helper-process pattern: the program runs itself.
	out, err := selfArgs("args", "a b", "", "c").Output()
	fmt.Printf("self: %q %v\n", out, err)

	// Process IDs: the child's Getppid is this one's Getpid, its Getpid
	// the Pid this one got for it.
	cmd := selfArgs("pid")
	cmd.Env = append(cmd.Env, "PROCS_PARENT="+strconv.Itoa(os.Getpid()))
	out, err = cmd.Output()
	var childPid int
	var parentOK bool
	fmt.Sscan(string(out), &childPid, &parentOK)
	fmt.Printf("pids: child's parent is this one %v, its pid %v, %v\n", parentOK,
		childPid == cmd.Process.Pid && childPid != os.Getpid(), err)

	// The machine's name (the transcript is Linux's, on this machine), in
	// the child too.
	name, err := os.Hostname()
	out, cerr := selfArgs("host").Output()
	fmt.Printf("hostname: %q %v, the child's %q %v\n", name, err, out, cerr)

	// Environment.
	cmd = selfArgs("env")
	cmd.Env = append(cmd.Env, "PROCS_VALUE=x=y z")
	out, err = cmd.Output()
	fmt.Printf("env: %q %v\n", out, err)

	// Exit statuses.
	for _, code := range []string{"0", "3", "255"} {
		err := selfArgs("exit", code).Run()
		if err == nil {
			fmt.Printf("exit %s: nil\n", code)
		} else {
			fmt.Printf("exit %s: %s\n", code, status(err))
		}
	}

	// Kill, and Signal(os.Interrupt).
	for _, sig := range []os.Signal{os.Kill, os.Interrupt, syscall.SIGTERM} {
		cmd := selfArgs("sleep")
		if err := cmd.Start(); err != nil {
			fmt.Println("start:", err)
			continue
		}
		time.Sleep(50 * time.Millisecond)
		fmt.Printf("signal %v: %v\n", sig, cmd.Process.Signal(sig))
		fmt.Printf("  wait: %s\n", status(cmd.Wait()))
		fmt.Printf("  signal after wait: %v\n", cmd.Process.Signal(sig))
		fmt.Printf("  wait again: %v\n", cmd.Wait())
	}

	// Context cancellation kills the child.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	exe, _ := os.Executable()
	cmd = exec.CommandContext(ctx, exe, "sleep")
	cmd.Env = append(os.Environ(), "PROCS_HELPER=1")
	err = cmd.Run()
	fmt.Printf("context: %s; ctx %v\n", status(err), ctx.Err())
	cancel()

	// Cmd.Cancel and WaitDelay: an interrupt first, then after the delay a kill.
	ctx, cancel = context.WithCancel(context.Background())
	cmd = exec.CommandContext(ctx, exe, "sleep")
	cmd.Env = append(os.Environ(), "PROCS_HELPER=1")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 100 * time.Millisecond
	if err := cmd.Start(); err != nil {
		fmt.Println("start:", err)
	}
	cancel()
	fmt.Printf("cancel with WaitDelay: %s\n", status(cmd.Wait()))

	// 10 MiB through pipes in both directions at once.
	cmd = selfArgs("cat")
	in, _ := cmd.StdinPipe()
	outp, _ := cmd.StdoutPipe()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		fmt.Println("start:", err)
	}
	data := make([]byte, 10<<20)
	for i := range data {
		data[i] = byte(i*7 + i>>13)
	}
	go func() {
		in.Write(data)
		in.Close()
	}()
	got, err := io.ReadAll(outp)
	werr := cmd.Wait()
	fmt.Printf("pipes: %d bytes, same %v, %v, wait %v, child said %q\n", len(got),
		sha256.Sum256(got) == sha256.Sum256(data), err, werr, errb.String())

	// CombinedOutput: stdout and stderr in one pipe, in order.
	out, err = selfArgs("both").CombinedOutput()
	fmt.Printf("combined: %q %v\n", out, err)

	// Output keeps stderr in the ExitError... and a child's stdout can be
	// an os.Pipe the parent reads itself.
	fmt.Printf("os.Pipe: %s\n", throughPipe(selfArgs("args", "through os.Pipe")))

	// A program that is not there.
	err = exec.Command("./no-such-program").Run()
	fmt.Printf("missing: %v, ErrNotExist %v\n", err, errors.Is(err, os.ErrNotExist))
	_, err = exec.LookPath("no-such-program-anywhere")
	fmt.Printf("LookPath: %v\n", err)

	// A child closes its stdout to say it is ready; the parent sees the end.
	cmd = selfArgs("ready")
	outp, _ = cmd.StdoutPipe()
	errp, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		fmt.Println("start:", err)
	}
	got, err = io.ReadAll(outp)
	fmt.Printf("ready: %q %v\n", got, err)
	// Wait for the child's line on stderr before the kill, so the
	// transcript does not depend on which of the two runs first.
	gotErr, err := bufio.NewReader(errp).ReadString('\n')
	fmt.Printf("  stderr %q %v\n", gotErr, err)
	cmd.Process.Kill()
	fmt.Printf("  %s\n", status(cmd.Wait()))

	// A relative path is found in the child's directory.
	exe, _ = os.Executable()
	cmd = exec.Command("./"+filepath.Base(exe), "args", "relative")
	cmd.Dir = filepath.Dir(exe)
	cmd.Env = append(os.Environ(), "PROCS_HELPER=1")
	out, err = cmd.Output()
	fmt.Printf("relative: %q %v\n", out, err)

	// A child's working directory is its Dir, even one above the image's
	// grants under nonehost (the image's directory's parent, "/"), and a
	// program named relative to it is found there.
	for i, dir := range []string{filepath.Dir(filepath.Dir(exe)), "/"} {
		rel, _ := filepath.Rel(dir, exe)
		cmd = exec.Command(rel, "cwd")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PROCS_HELPER=1", "PROCS_WANT_DIR="+dir)
		out, err = cmd.Output()
		fmt.Printf("dir above %d: %q %v\n", i, out, err)
	}

	// An orphan runs on: a child exits while its own child still runs,
	// which then writes to the pipe they share.
	fmt.Printf("orphan: %s\n", throughPipe(selfArgs("leave", "late")))

	// Stdin from a string, through a pipe the package makes.
	cmd = selfArgs("cat")
	cmd.Stdin = strings.NewReader("from a reader\n")
	out, err = cmd.Output()
	fmt.Printf("stdin reader: %q %v\n", out, err)

	// SIGCHLD comes when a child ends.
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, syscall.SIGCHLD)
	err = selfArgs("exit", "0").Run()
	select {
	case <-chld:
		fmt.Println("SIGCHLD when a child ended:", err)
	case <-time.After(10 * time.Second):
		fmt.Println("no SIGCHLD in 10 s after a child ended:", err)
	}
	signal.Stop(chld)
}

// throughPipe runs cmd with its stdout an os.Pipe, read here to its end
// (every writer gone), and says what came, the start's and the wait's errors.
func throughPipe(cmd *exec.Cmd) string {
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Sprint("os.Pipe: ", err)
	}
	cmd.Stdout = w
	err = cmd.Start()
	w.Close()
	got, _ := io.ReadAll(r)
	r.Close()
	return fmt.Sprintf("%q %v %v", got, err, cmd.Wait())
}

// narrow reads file here, then in a child image started with a narrower
// grant (NONEHOST_FLAGS) that must not reach it, in directory dir ("": this
// one's; a child image's must lie in its grants or above them).
func narrow(file, flags, dir string) {
	b, err := os.ReadFile(file)
	fmt.Printf("parent read: %q %v\n", b, err)
	cmd := selfArgs("read", file)
	cmd.Env = append(cmd.Env, "NONEHOST_FLAGS="+flags)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	fmt.Printf("%s(child %v)\n", out, err)
}

// extraFiles passes a TCP listener, a pipe's write end and a file (read
// from its start: the child shares the offset) to a child as ExtraFiles,
// then talks to it through each; what every side saw, in a fixed order.
func extraFiles() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	lf, err := l.(*net.TCPListener).File()
	if err != nil {
		fmt.Println("listener file:", err)
		os.Exit(1)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		fmt.Println("pipe:", err)
		os.Exit(1)
	}
	f, err := os.CreateTemp("", "extrafiles")
	if err != nil {
		fmt.Println("create:", err)
		os.Exit(1)
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString("the file's words\n"); err != nil {
		fmt.Println("write:", err)
		os.Exit(1)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		fmt.Println("seek:", err)
		os.Exit(1)
	}
	var out bytes.Buffer
	cmd := selfArgs("extra")
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.ExtraFiles = []*os.File{lf, pw, f}
	if err := cmd.Start(); err != nil {
		fmt.Println("start:", err)
		os.Exit(1)
	}
	// the child holds its own copies now: without ours, EOF is the child's
	lf.Close()
	pw.Close()
	f.Close()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		fmt.Println("dial:", err)
	} else {
		// a child that cannot accept must fail the transcript, not hang it
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		b, err := io.ReadAll(c)
		fmt.Printf("parent over TCP: %q %v\n", b, err)
		c.Close()
	}
	b, err := io.ReadAll(pr)
	fmt.Printf("parent from the pipe: %q %v\n", b, err)
	werr := cmd.Wait()
	fmt.Printf("child said:\n%s(child %v)\n", out.String(), werr)
	l.Close()
}

// extraChild is the child of extraFiles.
func extraChild() {
	l, err := net.FileListener(os.NewFile(3, "fd3"))
	if err != nil {
		fmt.Println("fd 3: FileListener:", err)
	} else {
		fmt.Println("fd 3: a listener:", l.Addr().Network())
		c, err := l.Accept()
		if err != nil {
			fmt.Println("fd 3: accept:", err)
		} else {
			_, err = c.Write([]byte("accepted on fd 3\n"))
			fmt.Println("fd 3: wrote:", err)
			c.Close()
		}
		l.Close()
	}
	w := os.NewFile(4, "fd4")
	_, err = fmt.Fprintln(w, "written to fd 4")
	fmt.Println("fd 4: wrote:", err)
	fmt.Println("fd 4: close:", w.Close())
	r := os.NewFile(5, "fd5")
	b, err := io.ReadAll(r)
	fmt.Printf("fd 5: read %q %v\n", b, err)
	_, err = r.Write([]byte("x"))
	fmt.Println("fd 5: write:", err != nil)
	r.Close()
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
