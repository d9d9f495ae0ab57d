package integration

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// netBackends are the netstack-shim's two ways of doing the I/O; every
// network test runs on both.
var netBackends = []string{"uring", "epoll"}

// The net package gives the same transcript under nonehost (in a private
// network namespace: --net private) as on
// Linux: TCP over IPv4 and IPv6 with the Linux types and options,
// half-close, deadlines, Close waking Read and Accept, ECONNREFUSED, dial
// cancellation, UDP, 1,000 connections at once and HTTP over loopback.
func TestNetMatchesLinux(t *testing.T) {
	lin := linuxCommand(t, "netops")
	want, err := lin.Output()
	if err != nil {
		t.Fatalf("linux netops: %v", err)
	}
	img := guest(t, "netops")
	for _, backend := range netBackends {
		t.Run(backend, func(t *testing.T) {
			r := run(t, []string{"--net", "private", "--net-backend", backend, "--max-files", "4096"}, img, nil)
			r.expect(t, 0)
			if r.stdout != string(want) {
				t.Errorf("transcript differs from Linux\nnonehost:\n%s\nlinux:\n%s\nstderr:\n%s",
					r.stdout, want, r.stderr)
			}
		})
	}
}

// An application's own stack through net.SocketFunc: Dial and Listen
// still return *net.TCPConn and *net.TCPListener, deadlines reach it.
func TestSocketFunc(t *testing.T) {
	r := run(t, []string{"--net", "none"}, guest(t, "socketfunc"), nil)
	r.expect(t, 0,
		"listener *net.TCPListener 10.0.0.1:80\n",
		"conn *net.TCPConn 10.0.0.2:40001 -> 10.0.0.1:80\n",
		"accepted *net.TCPConn from 10.0.0.2:40001\n",
		"echo \"through the application's stack\"\n",
		"deadline exceeded true\n",
		"dial elsewhere: dial tcp 10.0.0.9:80: memnet: connection refused\n")
}

// --net none, also the default: every socket is refused with EACCES, a
// clean Go error.
func TestNetNone(t *testing.T) {
	for _, args := range [][]string{{"--net", "none"}, nil} {
		r := run(t, args, guest(t, "netops"), []string{"tcp-echo", "udp-echo"})
		r.expect(t, 0,
			"tcp-echo: error (EACCES true, ECONNREFUSED false, timeout false, closed false)\n",
			"udp-echo: error (EACCES true, ECONNREFUSED false, timeout false, closed false)\n")
	}
}

// --net host: only granted ports may be bound and only granted
// address:port pairs reached; the rest is EACCES.
func TestNetHostGrants(t *testing.T) {
	img := guest(t, "netops")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "host says hi to %s", r.URL.Path)
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	for _, backend := range netBackends {
		t.Run(backend, func(t *testing.T) {
			host := []string{"--net", "host", "--net-backend", backend}
			grant := append(host, "--net-connect", "127.0.0.1:"+port)

			run(t, grant, img, []string{"get", srv.URL + "/fetched"}).expect(t, 0,
				`get: 200 OK "host says hi to /fetched"`)
			run(t, host, img, []string{"dial", addr}).expect(t, 0,
				"dial: error (EACCES true, ECONNREFUSED false, timeout false, closed false)\n")
			run(t, grant, img, []string{"dial", "127.0.0.2:" + port}).expect(t, 0,
				"dial: error (EACCES true,")
			run(t, host, img, []string{"bind", "127.0.0.1:0"}).expect(t, 0,
				"bind: error (EACCES true,")
			run(t, append(host, "--net-bind", "0"), img, []string{"bind", "127.0.0.1:0"}).expect(t, 0,
				"bind: ok\n")
		})
	}
}

// --net host gives the image the host's bundle of trusted CA certificates
// where Linux keeps it (in the guest's /etc), so crypto/x509's system pool
// is the one the same program built for Linux finds, and an HTTPS client
// verifies as it would there. --net private, which reaches no one, has
// none (an empty pool: crypto/x509 takes missing files for no roots).
func TestSystemRootsUnderNetHost(t *testing.T) {
	want := runCmd(t, linuxCommand(t, "certs"))
	want.expect(t, 0, "system roots: ")
	img := guest(t, "certs")
	got := run(t, []string{"--net", "host"}, img, nil)
	got.expect(t, 0)
	sameLines(t, want, got)
	run(t, []string{"--net", "private"}, img, nil).expect(t, 0, "system roots: 0,")
}

// An HTTP server in the image, fetched by the host's curl.
func TestHTTPServerFetchedByCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("no curl on this machine (make deps installs it)")
	}
	img := guest(t, "netops")
	for _, backend := range netBackends {
		t.Run(backend, func(t *testing.T) {
			cmd := exec.Command(hostBin, "run", "--net", "host", "--net-bind", "0",
				"--net-backend", backend, img, "serve-http")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			lines := bufio.NewScanner(stdout)
			if !lines.Scan() || !strings.HasPrefix(lines.Text(), "listening ") {
				t.Fatalf("no listening line: %q; stderr:\n%s", lines.Text(), stderr.String())
			}
			addr := strings.TrimPrefix(lines.Text(), "listening ")
			for _, path := range []string{"/one", "/two", "/quit"} {
				out, err := exec.Command(curl, "-sS", "--max-time", "10", "http://"+addr+path).CombinedOutput()
				if want := "served " + path + " by GOOS=none\n"; err != nil || string(out) != want {
					t.Errorf("curl %s: %v: %q, want %q", path, err, out, want)
				}
			}
			done := make(chan error, 1)
			go func() {
				for lines.Scan() {
				}
				done <- cmd.Wait()
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("image: %v\nstderr:\n%s", err, stderr.String())
				}
			case <-time.After(30 * time.Second):
				t.Errorf("image did not exit after /quit")
			}
		})
	}
}

// An image with nothing to do waits in IDLE whatever its standard input
// is: here /dev/null, which the kernel cannot poll (NET_POLL of it is
// EPERM, as epoll_ctl's). io_uring's poll had taken it and said "ready" at
// every IDLE, so an idle image under --net private or host spun at 100%
// CPU. A 300 ms sleep is a few IDLEs, not thousands.
func TestIdleWithStdinDevNull(t *testing.T) {
	img := guest(t, "sleep")
	for _, backend := range netBackends {
		t.Run(backend, func(t *testing.T) {
			r := run(t, []string{"--trace", "--net", "private", "--net-backend", backend}, img,
				[]string{"300ms"})
			r.expect(t, 0)
			if n := strings.Count(r.stderr, "[nh] idle("); n > 50 {
				t.Errorf("%d IDLE calls in a 300 ms sleep, want a few", n)
			}
		})
	}
}

// net.Interfaces and net.InterfaceAddrs: under --net host the host's, as
// the Linux build lists them; under private the namespace's lo; under none
// nothing, and no error.
func TestInterfacesMatchLinux(t *testing.T) {
	img := guest(t, "ifaces")
	want := runCmd(t, linuxCommand(t, "ifaces"))
	want.expect(t, 0, "interfaces: ", "lo mtu 65536 flags up|loopback|running")
	got := run(t, []string{"--net", "host"}, img, nil)
	got.expect(t, 0)
	sameLines(t, want, got)
	run(t, []string{"--net", "private"}, img, nil).expect(t, 0, "interfaces: 1\n",
		"1 lo mtu 65536 flags up|loopback|running hw \"\"\n",
		"  addrs: [127.0.0.1/8 ::1/128] <nil>\n", "all addrs: [127.0.0.1/8 ::1/128] <nil>\n",
		"by name: 1 <nil>\n", "by index: lo <nil>\n")
	run(t, nil, img, nil).expect(t, 0, "interfaces: 0\n", "all addrs: [] <nil>\n",
		"missing: route ip+net: no such network interface")
}
