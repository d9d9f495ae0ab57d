// Command signals uses os/signal the ways programs do and prints a
// transcript that must be the same under nonehost as on Linux.
//
// With no argument it runs the transcript, starting copies of itself
// (os.Executable, SIGNALS_CHILD=mode) for the signals that come from
// another process. With one argument it prints one fact:
//
//	ignored   whether SIGHUP was ignored when it started (nohup)
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	if mode := os.Getenv("SIGNALS_CHILD"); mode != "" {
		child(mode)
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "ignored" {
		fmt.Println("SIGHUP ignored at start:", signal.Ignored(syscall.SIGHUP))
		return
	}
	self()
	children()
}

// self: signals the program sends itself.
func self() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	kill(syscall.SIGHUP)
	fmt.Println("got:", wait(c))

	// Go ignores a SIGUSR1 or SIGWINCH nobody asked for.
	kill(syscall.SIGUSR1)
	kill(syscall.SIGWINCH)
	fmt.Println("survived SIGUSR1 and SIGWINCH")

	// Ignore, then Reset.
	signal.Ignore(syscall.SIGHUP)
	fmt.Println("SIGHUP ignored:", signal.Ignored(syscall.SIGHUP))
	kill(syscall.SIGHUP)
	fmt.Println("ignored SIGHUP:", quiet(c))
	signal.Reset(syscall.SIGHUP)
	fmt.Println("SIGHUP ignored after Reset:", signal.Ignored(syscall.SIGHUP))

	// Two channels, two signals, then Stop.
	c1, c2 := make(chan os.Signal, 1), make(chan os.Signal, 1)
	signal.Notify(c1, syscall.SIGUSR1)
	signal.Notify(c2, syscall.SIGUSR2)
	kill(syscall.SIGUSR2)
	kill(syscall.SIGUSR1)
	fmt.Println("c1:", wait(c1), "c2:", wait(c2))
	signal.Stop(c1)
	kill(syscall.SIGUSR1)
	fmt.Println("stopped channel:", quiet(c1), "(and SIGUSR1 is ignored again)")

	// A burst: one notification at least, the program goes on.
	for i := 0; i < 100; i++ {
		kill(syscall.SIGUSR2)
	}
	fmt.Println("burst:", wait(c2))
	signal.Stop(c2)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	kill(syscall.SIGINT)
	<-ctx.Done()
	fmt.Println("NotifyContext:", ctx.Err(), context.Cause(ctx))
	stop()
}

// children: signals from another process, each to a copy of this program.
func children() {
	// A caught signal reaches a child that waits for it ...
	runChild("wait", os.Interrupt)
	// ... and one that keeps the CPU busy and never blocks.
	runChild("spin", os.Interrupt)
	// Not caught: SIGTERM and SIGINT end the child as killed by them,
	// SIGUSR1 is ignored (the child ends on its own SIGTERM after it).
	runChild("plain", syscall.SIGTERM)
	runChild("plain", os.Interrupt)
	runChild("plain", syscall.SIGUSR1, syscall.SIGTERM)
	// A SIGINT it sends itself with no handler ends it too.
	runChild("raise", nil)
	// An uncaught SIGQUIT dumps the goroutines and exits 2.
	runChild("plain", syscall.SIGQUIT)
}

func runChild(mode string, sigs ...os.Signal) {
	self, err := os.Executable()
	if err != nil {
		fmt.Println("executable:", err)
		return
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), "SIGNALS_CHILD="+mode)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Println("pipe:", err)
		return
	}
	if err := cmd.Start(); err != nil {
		fmt.Println("start:", err)
		return
	}
	r := bufio.NewReader(out)
	ready, _ := r.ReadString('\n')
	for _, s := range sigs {
		if s == nil {
			continue
		}
		if err := cmd.Process.Signal(s); err != nil {
			fmt.Println("signal:", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	rest, _ := r.ReadString(0)
	err = cmd.Wait()
	fmt.Printf("child %s %v: %s%s-> %v", mode, sigs, ready, rest, err)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		fmt.Printf(" (exit code %d)", ee.ExitCode())
	}
	fmt.Println()
	if strings.Contains(stderr.String(), "SIGQUIT: quit") {
		fmt.Println("  stderr has SIGQUIT: quit, goroutine 1:",
			strings.Contains(stderr.String(), "goroutine 1 "))
	}
}

func child(mode string) {
	switch mode {
	case "wait":
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		fmt.Println("ready")
		fmt.Println("got:", <-c)
	case "spin":
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		fmt.Println("ready")
		for n := 0; ; n++ {
			select {
			case s := <-c:
				fmt.Println("got while spinning:", s)
				return
			default:
			}
		}
	case "plain":
		fmt.Println("ready")
		time.Sleep(2 * time.Second)
		fmt.Println("not killed")
	case "raise":
		fmt.Println("ready")
		kill(syscall.SIGINT)
		// Go delivers it a moment later on Linux too (its handler re-raises
		// it): wait for it rather than race it.
		time.Sleep(time.Minute)
		fmt.Println("survived its own SIGINT")
	}
}

func kill(s syscall.Signal) {
	if err := syscall.Kill(syscall.Getpid(), s); err != nil {
		fmt.Println("kill:", err)
	}
}

// quiet says what c gets within 50ms: nothing, when all is well.
func quiet(c chan os.Signal) string {
	select {
	case s := <-c:
		return fmt.Sprint("got ", s)
	case <-time.After(50 * time.Millisecond):
		return "nothing"
	}
}

func wait(c chan os.Signal) os.Signal {
	select {
	case s := <-c:
		return s
	case <-time.After(10 * time.Second):
		return nil
	}
}
