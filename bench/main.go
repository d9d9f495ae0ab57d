// Command bench runs the same Go programs built for GOOS=linux and for
// GOOS=none (under nonehost) side by side, alternating runs, and prints
// the ratio none/linux. make bench runs it; numbers go in notes, never in
// tests.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var (
	goBin = flag.String("go", "go", "the GOOS=none toolchain's go command")
	host  = flag.String("nonehost", "nonehost", "the nonehost binary")
	runs  = flag.Int("runs", 21, "runs per program and target (start-up)")
)

// A target runs an image with arguments; grants are the nonehost --dir
// values the run needs (GOOS=linux sees everything anyway).
type target struct {
	name string
	cmd  func(image string, grants []string, args ...string) *exec.Cmd
}

func main() {
	flag.Parse()
	dir, err := os.MkdirTemp("", "nonehost-bench-")
	check(err)
	defer os.RemoveAll(dir)

	build := func(prog, goos string) string {
		out := filepath.Join(dir, prog+"-"+goos)
		cmd := exec.Command(*goBin, "build", "-o", out, "./progs/"+prog)
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=")
		cmd.Stderr = os.Stderr
		check(cmd.Run())
		return out
	}
	linux := target{"linux", func(img string, _ []string, args ...string) *exec.Cmd {
		return exec.Command(img, args...)
	}}
	none := target{"none", func(img string, grants []string, args ...string) *exec.Cmd {
		argv := []string{"run"}
		for _, g := range grants {
			argv = append(argv, "--dir", g)
		}
		return exec.Command(*host, append(append(argv, img), args...)...)
	}}
	targets := []target{linux, none}

	fmt.Printf("%-22s %14s %14s %8s %s\n", "benchmark", "linux", "none", "ratio", "target")

	both := func(prog string) map[string]string {
		return map[string]string{"linux": build(prog, "linux"), "none": build(prog, "none")}
	}
	// medianWall runs each target's image n times, alternating targets,
	// and returns the median wall time of each.
	medianWall := func(imgs map[string]string, n int) map[string]time.Duration {
		samples := map[string][]time.Duration{}
		for i := 0; i < n; i++ {
			for _, t := range targets {
				start := time.Now()
				runQuiet(t.cmd(imgs[t.name], nil), io.Discard)
				samples[t.name] = append(samples[t.name], time.Since(start))
			}
		}
		med := map[string]time.Duration{}
		for k, v := range samples {
			slices.Sort(v)
			med[k] = v[len(v)/2]
		}
		return med
	}

	// Start-up: exec to exit of hello world.
	med := medianWall(both("hello"), *runs)
	report("start-up (hello, exec→exit)", ms(med["linux"]), ms(med["none"]), "ms", "≤ 1.5×")

	// time.Now loop: the program reports ns per call; best of 5.
	imgs := both("timenow")
	best := map[string]float64{}
	for i := 0; i < 5; i++ {
		for _, t := range targets {
			var out bytes.Buffer
			runQuiet(t.cmd(imgs[t.name], nil), &out)
			v, err := strconv.ParseFloat(strings.TrimSpace(out.String()), 64)
			check(err)
			if b, ok := best[t.name]; !ok || v < b {
				best[t.name] = v
			}
		}
	}
	report("time.Now() per call", best["linux"], best["none"], "ns", "≤ 1.3×")

	// fmt.Println of 1,000,000 lines into a pipe: median of 5.
	med = medianWall(both("println"), 5)
	report("fmt.Println ×1e6 to pipe", ms(med["linux"]), ms(med["none"]), "ms", "≤ 1.3×")

	// CPU used while blocked in time.Sleep(5s): user+sys over wall.
	imgs = both("sleep")
	cpu := map[string]float64{}
	for _, t := range targets {
		cmd := t.cmd(imgs[t.name], nil)
		start := time.Now()
		runQuiet(cmd, io.Discard)
		wall := time.Since(start)
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		used := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		cpu[t.name] = 100 * float64(used) / float64(wall)
	}
	fmt.Printf("%-22s %13.3f%% %13.3f%% %8s %s\n", "CPU in Sleep(5s)", cpu["linux"], cpu["none"], "-", "< 1%")

	fsBenchmarks(dir, both, targets)
}

// fsBenchmarks: the file system through the fs-shim against Linux's own
// system calls. Each program reports the nanoseconds of its own work (the
// start-up is measured above); best of 5, alternating targets.
func fsBenchmarks(dir string, both func(string) map[string]string, targets []target) {
	bestOf := func(imgs map[string]string, grants []string, args []string, field int) map[string]float64 {
		best := map[string]float64{}
		for i := 0; i < 5; i++ {
			for _, t := range targets {
				var out bytes.Buffer
				runQuiet(t.cmd(imgs[t.name], grants, args...), &out)
				f := strings.Fields(out.String())
				v, err := strconv.ParseFloat(f[field], 64)
				check(err)
				if b, ok := best[t.name]; !ok || v < b {
					best[t.name] = v
				}
			}
		}
		return best
	}

	// A 1 GiB file, read sequentially (page cache warm after the first run).
	big := filepath.Join(dir, "big")
	f, err := os.Create(big)
	check(err)
	chunk := bytes.Repeat([]byte("nonehost"), 1<<17)
	for i := 0; i < 1<<30/len(chunk); i++ {
		_, err := f.Write(chunk)
		check(err)
	}
	check(f.Close())
	best := bestOf(both("fsread"), []string{dir + ":ro"}, []string{big}, 1)
	report("read 1 GiB (1 MiB reads)", best["linux"]/1e6, best["none"]/1e6, "ms", "≤ 1.3×")
	check(os.Remove(big))

	// Walk the Go source tree reading every file.
	src, err := filepath.EvalSymlinks(filepath.Join(filepath.Dir(filepath.Dir(*goBin)), "src"))
	check(err) // grants appear at their real paths
	best = bestOf(both("fswalk"), []string{src + ":ro"}, []string{src}, 2)
	report("walk+read GOROOT/src", best["linux"]/1e6, best["none"]/1e6, "ms", "≤ 1.5×")

	// 10,000 small files created, written, fsynced, closed and removed,
	// on tmpfs where there is one: on a disk, fsync's latency (2-4.5 s a
	// run for either target on this machine's ext4) drowns what the shim
	// costs.
	small, err := os.MkdirTemp("/dev/shm", "nonehost-bench-")
	if err != nil {
		small = filepath.Join(dir, "small")
		check(os.Mkdir(small, 0o755))
	}
	defer os.RemoveAll(small)
	best = bestOf(both("fssmall"), []string{small + ":rw"}, []string{small}, 0)
	report("10k small files+fsync", best["linux"]/1e6, best["none"]/1e6, "ms", "- ("+small+")")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func report(name string, linux, none float64, unit, goal string) {
	fmt.Printf("%-22s %12.2f%-2s %12.2f%-2s %7.2f× %s\n", name, linux, unit, none, unit, none/linux, goal)
}

// runQuiet runs cmd with stdout into w through a pipe (never a file).
func runQuiet(cmd *exec.Cmd, w io.Writer) {
	out, err := cmd.StdoutPipe()
	check(err)
	cmd.Stderr = os.Stderr
	check(cmd.Start())
	_, err = io.Copy(w, out)
	check(err)
	check(cmd.Wait())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
