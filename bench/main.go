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
	"net"
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
	arch  = flag.String("arch", "amd64", "GOARCH of both builds: arm, arm64 or riscv64 run "+
		"under qemu-user, the linux build by qemu directly, the none build by nonehost's "+
		"dispatch (start-up, time.Now and fmt.Println only)")
)

// qemuFor names the emulator of each foreign GOARCH.
var qemuFor = map[string]string{
	"arm":     "qemu-arm-static",
	"arm64":   "qemu-aarch64-static",
	"riscv64": "qemu-riscv64-static",
}

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
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+*arch, "GOARM=7", "CGO_ENABLED=0",
			"GOFLAGS=")
		cmd.Stderr = os.Stderr
		check(cmd.Run())
		return out
	}
	qemu, foreign := qemuFor[*arch]
	if !foreign && *arch != "amd64" {
		fmt.Fprintf(os.Stderr, "bench: -arch %s: not one of amd64, arm, arm64, riscv64\n", *arch)
		os.Exit(2)
	}
	linux := target{"linux", func(img string, _ []string, args ...string) *exec.Cmd {
		if foreign {
			return exec.Command(qemu, append([]string{"-L", "/", img}, args...)...)
		}
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

	if foreign {
		fmt.Printf("GOARCH=%s, both under %s\n", *arch, qemu)
	}
	fmt.Printf("%-22s %14s %14s %8s %s\n", "benchmark", "linux", "none", "ratio", "target")

	both := func(prog string) map[string]string {
		return map[string]string{"linux": build(prog, "linux"), "none": build(prog, "none")}
	}
	// medianWall runs each target's image n times, alternating targets,
	// and returns the median wall time of each. A first round, not
	// counted, brings both images and their runtimes into the page cache:
	// they were just built, and the first runs measured the disk.
	medianWall := func(imgs map[string]string, n int) map[string]time.Duration {
		for _, t := range targets {
			runQuiet(t.cmd(imgs[t.name], nil), io.Discard)
		}
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
	if foreign {
		return // the rest measures the host's shims, the same code on every architecture
	}

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
	netBenchmarks(both)
	procBenchmarks(both)
	toolchainBenchmark(dir)
}

// toolchainBenchmark: go build of examples/hello (for none) with an empty
// build cache, about 40 runs of compile, asm and link, by the toolchain's
// commands built for linux (the toolchain itself; with GOMAXPROCS=1 too,
// which its processes inherit) and for none (go install, then run under
// nonehost: their builds are the same bytes,
// tests/integration/toolchain_test.go). Best of 3, alternating; the
// ratio is none / linux.
func toolchainBenchmark(dir string) {
	goroot, err := filepath.EvalSymlinks(filepath.Dir(filepath.Dir(*goBin)))
	check(err)
	install := exec.Command(*goBin, "install", "cmd/go", "cmd/compile", "cmd/asm", "cmd/link")
	install.Env = append(os.Environ(), "GOOS=none", "GOARCH=amd64", "GOFLAGS=")
	install.Stderr = os.Stderr
	check(install.Run())
	examples, err := filepath.Abs("../examples")
	check(err)
	names := []string{"linux P=1", "linux", "none"}
	best := map[string]time.Duration{}
	for i := 0; i < 3; i++ {
		for _, name := range names {
			cache, err := os.MkdirTemp(dir, "gocache-")
			check(err)
			out := filepath.Join(dir, "hello-built")
			cmd := exec.Command(*goBin, "build", "-o", out, "./hello")
			if name == "none" {
				cmd = exec.Command(*host, "run", "--dir", goroot+":ro", "--dir", dir+":rw",
					filepath.Join(goroot, "bin/none_amd64/go"), "build", "-o", out, "./hello")
			}
			cmd.Dir = examples
			cmd.Env = append(os.Environ(), "GOOS=none", "GOARCH=amd64", "GOROOT="+goroot,
				"GOCACHE="+cache, "GOFLAGS=", "GOENV=off", "GOTOOLCHAIN=local")
			if name == "linux P=1" {
				cmd.Env = append(cmd.Env, "GOMAXPROCS=1")
			}
			start := time.Now()
			runQuiet(cmd, io.Discard)
			if d := time.Since(start); best[name] == 0 || d < best[name] {
				best[name] = d
			}
		}
	}
	fmt.Printf("%-22s", "go build, empty cache")
	for _, name := range names {
		fmt.Printf(" %s %.2fs", name, best[name].Seconds())
	}
	fmt.Printf("  %.2f× -\n", best["none"].Seconds()/best["linux"].Seconds())
}

// procBenchmarks: a child started and reaped, 50 in a row, best of 5
// alternating: a copy of the program itself (under nonehost a new
// nonehost, through the launcher) and /bin/true (a granted host program).
func procBenchmarks(both func(string) map[string]string) {
	imgs := both("spawn")
	for _, c := range []struct{ name, prog string }{
		{"spawn itself, wait", ""},
		{"spawn /bin/true, wait", "/bin/true"},
	} {
		args := []string{"50"}
		if c.prog != "" {
			args = append(args, c.prog)
		}
		best := map[string]float64{}
		for i := 0; i < 5; i++ {
			for _, name := range []string{"linux", "none"} {
				cmd := exec.Command(imgs[name], args...)
				if name == "none" {
					cmd = exec.Command(*host, append([]string{"run", "--allow-exec", "/bin/true",
						imgs[name]}, args...)...)
				}
				var out bytes.Buffer
				runQuiet(cmd, &out)
				v, err := strconv.ParseFloat(strings.TrimSpace(out.String()), 64)
				check(err)
				if b, ok := best[name]; !ok || v < b {
					best[name] = v
				}
			}
		}
		report(c.name, best["linux"]/1e6, best["none"]/1e6, "ms", "-")
	}
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

// netBenchmarks: the network through the netstack-shim against Linux's
// own sockets, with GOMAXPROCS=1 (the image has one thread) and the
// default; ratios are none / linux GOMAXPROCS=1.
func netBenchmarks(both func(string) map[string]string) {
	type variant struct {
		name string
		cmd  func(img string, hostArgs []string, args ...string) *exec.Cmd
	}
	variants := []variant{
		{"linux P=1", func(img string, _ []string, args ...string) *exec.Cmd {
			cmd := exec.Command(img, args...)
			cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
			return cmd
		}},
		{"linux", func(img string, _ []string, args ...string) *exec.Cmd {
			return exec.Command(img, args...)
		}},
		{"none", func(img string, hostArgs []string, args ...string) *exec.Cmd {
			argv := append(append([]string{"run"}, hostArgs...), img)
			return exec.Command(*host, append(argv, args...)...)
		}},
	}
	imgFor := func(imgs map[string]string, v variant) string {
		if v.name == "none" {
			return imgs["none"]
		}
		return imgs["linux"]
	}
	line := func(name, unit string, vals []float64, goal string) {
		fmt.Printf("%-22s", name)
		for i, v := range variants {
			fmt.Printf(" %s %.2f%s", v.name, vals[i], unit)
		}
		fmt.Printf("  %.2f× %s\n", vals[2]/vals[0], goal)
	}
	fields := func(out string) []float64 {
		var f []float64
		for _, s := range strings.Fields(out) {
			v, err := strconv.ParseFloat(s, 64)
			check(err)
			f = append(f, v)
		}
		return f
	}

	// Throughput and round trips, in one program over loopback (for the
	// image: its own network namespace); best (stream) or median
	// (latency) of 5, alternating.
	private := []string{"--net", "private"}
	imgs := both("nettcp")
	stream := make([]float64, len(variants))
	var p50s, p99s [3][]float64
	for i := 0; i < 5; i++ {
		for j, v := range variants {
			var out bytes.Buffer
			runQuiet(v.cmd(imgFor(imgs, v), private, "stream"), &out)
			stream[j] = max(stream[j], fields(out.String())[0])
			out.Reset()
			runQuiet(v.cmd(imgFor(imgs, v), private, "rr"), &out)
			f := fields(out.String())
			p50s[j] = append(p50s[j], f[0])
			p99s[j] = append(p99s[j], f[1])
		}
	}
	med := func(x []float64) float64 { slices.Sort(x); return x[len(x)/2] }
	line("tcp stream 1 GiB", "MB/s", stream, "≥ 0.8×")
	line("1 KiB round trip p50", "µs", []float64{med(p50s[0]), med(p50s[1]), med(p50s[2])}, "-")
	line("1 KiB round trip p99", "µs", []float64{med(p99s[0]), med(p99s[1]), med(p99s[2])}, "-")

	// Requests per second of a small handler under wrk (1 thread, 16
	// connections, 5 s), best of 3.
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		fmt.Println("http requests/s: skipped (no wrk; make deps installs it)")
		return
	}
	imgs = both("nethttp")
	rps := make([]float64, len(variants))
	for i := 0; i < 3; i++ {
		for j, v := range variants {
			port := freePort()
			addr := "127.0.0.1:" + strconv.Itoa(port)
			srv := v.cmd(imgFor(imgs, v), []string{"--net", "host", "--net-bind", strconv.Itoa(port)}, addr)
			ready, err := srv.StdoutPipe()
			check(err)
			srv.Stderr = os.Stderr
			check(srv.Start())
			_, err = ready.Read(make([]byte, 6))
			check(err)
			out, err := exec.Command(wrk, "-t1", "-c16", "-d5s", "http://"+addr+"/").Output()
			check(err)
			// SIGTERM, not Kill: nonehost's supervisor removes the private
			// TMPDIR on its way out, which a SIGKILL would not let it do.
			srv.Process.Signal(syscall.SIGTERM)
			srv.Wait()
			for _, l := range strings.Split(string(out), "\n") {
				if f := strings.Fields(l); len(f) == 2 && f[0] == "Requests/sec:" {
					r, err := strconv.ParseFloat(f[1], 64)
					check(err)
					rps[j] = max(rps[j], r)
				}
			}
		}
	}
	line("http small handler", "req/s", rps, "≥ 0.8×")

	// CPU used by a server idle in Accept for 10 s: user+sys over wall.
	cpu := make([]float64, len(variants))
	for j, v := range variants {
		port := strconv.Itoa(freePort())
		cmd := v.cmd(imgFor(imgs, v), []string{"--net", "host", "--net-bind", port},
			"idle", "127.0.0.1:"+port, "10")
		start := time.Now()
		runQuiet(cmd, io.Discard)
		wall := time.Since(start)
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		cpu[j] = 100 * float64(ru.Utime.Nano()+ru.Stime.Nano()) / float64(wall)
	}
	fmt.Printf("%-22s linux P=1 %.3f%% linux %.3f%% none %.3f%%  < 1%%\n", "CPU idle server 10 s",
		cpu[0], cpu[1], cpu[2])
}

// freePort is a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
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
