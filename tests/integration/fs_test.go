package integration

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// linuxBuild builds tests/integration/guests/NAME for GOOS=linux with the
// patched toolchain, for the images' architecture (goarch), once per test
// binary run, and returns the executable's path.
func linuxBuild(t *testing.T, name string) string {
	t.Helper()
	return buildLinux(t, name, goarch)
}

// hostBuild is linuxBuild for this machine: a host program the launcher
// runs (--allow-exec), or a reference transcript that starts processes
// (qemu-user cannot follow an exec of a foreign program without binfmt),
// whatever the images' architecture.
func hostBuild(t *testing.T, name string) string {
	t.Helper()
	return buildLinux(t, name, runtime.GOARCH)
}

func buildLinux(t *testing.T, name, arch string) string {
	t.Helper()
	out := filepath.Join(imageDir, name+".linux-"+arch)
	builtMu.Lock()
	defer builtMu.Unlock()
	if _, err := os.Stat(out); err == nil {
		return out
	}
	cmd := exec.Command(filepath.Join(goroot, "bin/go"), "build", "-o", out, "./guests/"+name)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "GOROOT="+goroot, "GOFLAGS=", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s for linux/%s: %v\n%s", name, arch, err, msg)
	}
	return out
}

// linuxCommand runs the GOOS=linux build of guest NAME, under qemu-user
// when goarch is foreign.
func linuxCommand(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	bin := linuxBuild(t, name)
	if q, ok := qemuFor[goarch]; ok {
		return exec.Command(q, append([]string{bin}, args...)...)
	}
	return exec.Command(bin, args...)
}

// qemuFor names the qemu-user emulator of each foreign architecture.
var qemuFor = map[string]string{
	"arm":     "qemu-arm-static",
	"arm64":   "qemu-aarch64-static",
	"riscv64": "qemu-riscv64-static",
}

// realTempDir is t.TempDir with symbolic links resolved, as a guest sees
// it (grants appear at their real paths).
// userRuns is where nonehost makes this user's run directories under a
// TMPDIR of parent.
func userRuns(parent string) string {
	return filepath.Join(parent, fmt.Sprintf("nonehost-%d", os.Geteuid()))
}

func realTempDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Every file operation of package os, with its errors, gives the same
// transcript under nonehost as on Linux over an identical directory.
func TestFileOperationsMatchLinux(t *testing.T) {
	const stdin = "line one\nline two\n"
	linuxDir, noneDir := realTempDir(t), realTempDir(t)

	lin := linuxCommand(t, "fsops", linuxDir)
	lin.Stdin = strings.NewReader(stdin)
	want := runCmd(t, lin, "TMPDIR="+realTempDir(t))
	want.expect(t, 0)

	cmd := exec.Command(hostBin, "run", "--dir", noneDir+":rw", guest(t, "fsops"), noneDir)
	cmd.Stdin = strings.NewReader(stdin)
	got := runCmd(t, cmd)
	got.expect(t, 0, `stdin: "line one\nline two\n" ok`)

	sameLines(t, want, got)
}

// sameLines compares a Linux program's transcript with the same
// program's under nonehost, line by line.
func sameLines(t *testing.T, linux, none result) {
	t.Helper()
	wl, gl := strings.Split(linux.stdout, "\n"), strings.Split(none.stdout, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Errorf("line %d:\n linux: %s\n none:  %s", i+1, w, g)
		}
	}
	if t.Failed() {
		t.Logf("nonehost stderr:\n%s", none.stderr)
	}
}

// Every way out of the grants is refused with the errno the ABI names
// (hooks/nonehost_abi.h, "File system"), and a canary file outside the
// grants is neither read nor changed.
func TestFileEscapes(t *testing.T) {
	rw, ro := realTempDir(t), realTempDir(t)
	if err := os.WriteFile(filepath.Join(ro, "kept"), []byte("read-only data"), 0o644); err != nil {
		t.Fatal(err)
	}
	canary := newCanary(t)

	r := run(t, []string{"--dir", rw + ":rw", "--dir", ro + ":ro", "--max-files", "16"},
		guest(t, "fsescape"), []string{rw, ro, canary})
	r.expect(t, 0,
		"canary direct: errno 2\n",
		"etc passwd: errno 2\n",
		"dotdot passwd: errno 2\n",
		"dotdot canary: errno 2\n",
		"abs link to root: passwd: errno 2\n",
		"abs link to root: canary: errno 2\n",
		"relative link climbing out: errno 2\n",
		"abs link to canary: errno 2\n",
		"write through abs link: errno 2\n",
		"proc magic link: errno 2\n",
		"proc direct: errno 2\n",
		"symlink loop: errno 40\n",
		"rename across grants: errno 18\n",
		"link across grants: errno 18\n",
		"rename to canary: errno 2\n",
		"nul byte: errno 22\n",
		"64 KiB path: errno 36\n",
		"ro create: errno 30\n",
		"ro write existing: errno 30\n",
		"ro mkdir: errno 30\n",
		"ro remove: errno 30\n",
		"ro chmod: errno 30\n",
		"ro truncate: errno 30\n",
		"ro chown: errno 30\n",
		"chown canary: errno 2\n",
		"chown away: errno 1\n",
		"chgrp away: errno 1\n",
		"chown to itself: ok\n",
		"ro symlink: errno 30\n",
		"ro rename: errno 30\n",
		`ro read: "read-only data" ok`,
		"unreadable file: errno 13, ErrPermission true\n",
		"synthetic mkdir: errno 30\n",
		"synthetic create: errno 30\n",
		"open after closing: ok\n",
	)
	if !strings.Contains(r.stdout, "rename into ro grant: errno 18\n") &&
		!strings.Contains(r.stdout, "rename into ro grant: errno 30\n") {
		t.Errorf("rename into a read-only grant not refused with EXDEV or EROFS:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "open, errno 24\n") {
		t.Errorf("no EMFILE at --max-files 16:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "LEAK") || strings.Contains(r.stdout, "FATAL") {
		t.Errorf("escape:\n%s", r.stdout)
	}

	checkCanary(t, canary)
	if b, _ := os.ReadFile(filepath.Join(ro, "kept")); string(b) != "read-only data" {
		t.Errorf("read-only grant changed: %q", b)
	}
}

// The private temporary directory is the image's TMPDIR, fresh for every
// run, and gone afterwards however the image ended; --keep-tmp keeps it.
func TestPrivateTempDir(t *testing.T) {
	parent := realTempDir(t)
	for _, c := range []struct {
		args   []string
		status int
	}{
		{[]string{"exit", "0"}, 0},
		{[]string{"exit", "3"}, 3},
		{[]string{"panic"}, 2},
		{[]string{"fault"}, 2},
	} {
		r := run(t, nil, guest(t, "tmpdir"), c.args, "TMPDIR="+parent)
		r.expect(t, c.status, "tmpdir "+parent+"/")
		wd, _ := os.Getwd()
		if !strings.Contains(r.stdout, "wd "+wd+"\n") {
			t.Errorf("%v: working directory is not the host's (%s):\n%s", c.args, wd, r.stdout)
		}
		if ents, _ := os.ReadDir(userRuns(parent)); len(ents) != 0 {
			t.Errorf("%v: temporary directory left behind: %v", c.args, ents)
		}
	}

	// Killed by the sandbox (159): still removed. (The hostile guest is
	// amd64 assembly.)
	if goarch == "amd64" {
		r := run(t, nil, guest(t, "hostile"), []string{"execve", "/nonexistent"}, "TMPDIR="+parent)
		r.expect(t, 159)
		if ents, _ := os.ReadDir(userRuns(parent)); len(ents) != 0 {
			t.Errorf("after a sandbox kill: temporary directory left behind: %v", ents)
		}
	}

	r := run(t, []string{"--keep-tmp"}, guest(t, "tmpdir"), []string{"exit", "0"}, "TMPDIR="+parent)
	r.expect(t, 0)
	ents, _ := os.ReadDir(userRuns(parent))
	if len(ents) != 1 {
		t.Fatalf("--keep-tmp: want the temporary directory kept, have %v", ents)
	}
	kept := filepath.Join(userRuns(parent), ents[0].Name())
	r.stderrHas(t, kept)
	if b, err := os.ReadFile(filepath.Join(kept, "tmp", "f")); err != nil || string(b) != "x" {
		t.Errorf("--keep-tmp: file in the kept directory: %q, %v", b, err)
	}
}

// startTmpGuest starts nonehost with args (the tmpdir or tmpmem guest's
// run), TMPDIR=parent, and reads the guest's first line: its TMPDIR, written
// once its file is there.
func startTmpGuest(t *testing.T, parent string, stderr io.Writer, args ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader, string) {
	t.Helper()
	cmd := exec.Command(hostBin, args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+parent)
	cmd.Stderr = stderr
	in, out := startPiped(t, cmd)
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	tmp, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "tmpdir ")
	if err != nil || !ok {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("first line %q, %v", line, err)
	}
	return cmd, in, r, tmp
}

// A run whose supervisor is killed with SIGKILL cannot remove its private
// temporary directory: the next run's supervisor does, and leaves alone the
// directories of a run still alive and of --keep-tmp.
func TestPrivateTempDirOfAKilledRun(t *testing.T) {
	parent := realTempDir(t)
	type started struct {
		cmd *exec.Cmd
		in  io.WriteCloser
		out *bufio.Reader
		dir string // the run's directory: TMPDIR's parent
	}
	start := func() started {
		t.Helper()
		cmd, in, r, tmp := startTmpGuest(t, parent, os.Stderr, "run", guest(t, "tmpdir"), "wait")
		return started{cmd, in, r, filepath.Dir(tmp)}
	}
	exists := func(dir string) bool {
		_, err := os.Stat(dir)
		return err == nil
	}

	killed := start()
	killed.cmd.Process.Kill()
	killed.cmd.Wait()
	if !exists(killed.dir) {
		t.Fatalf("%s is gone after a SIGKILL: nothing is left for this test to check", killed.dir)
	}
	live := start() // its own supervisor sweeps already
	defer live.cmd.Process.Kill()
	kept := run(t, []string{"--keep-tmp"}, guest(t, "tmpdir"), []string{"exit", "0"}, "TMPDIR="+parent)
	kept.expect(t, 0)
	empty := filepath.Join(userRuns(parent), "nonehost.AAAAAA") // as a run's between mkdtemp and its lock
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	run(t, nil, guest(t, "hello"), nil, "TMPDIR="+parent).expect(t, 0)

	if exists(killed.dir) {
		t.Errorf("%s (of the killed run) is still there after two more runs", killed.dir)
	}
	if !exists(empty) {
		t.Errorf("%s (empty) was removed", empty)
	}
	ents, _ := os.ReadDir(userRuns(parent))
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(ents) != 3 || !exists(live.dir) || !strings.Contains(strings.Join(names, " "), "nonehost-kept.") {
		t.Errorf("want the live run's %s, one nonehost-kept.*, and the empty one; have %v",
			filepath.Base(live.dir), names)
	}
	live.in.Close()
	rest, _ := io.ReadAll(live.out)
	if err := live.cmd.Wait(); err != nil || !strings.HasSuffix(string(rest), "\nread back \"x\" <nil>\n") {
		t.Errorf("the live run after the sweeps: %v, output %q", err, rest)
	}
}

// An image that cannot ask for a process gets its private TMPDIR in
// memory: a tmpfs of the run's own, attached nowhere, which the kernel frees
// with the run (fs-shim/fsshim_tmp.c). Nothing of the run is on the host's
// disk while it runs, nothing after, even after a SIGKILL; and no
// supervisor process stands between: the run has no child. The image sees
// an ordinary TMPDIR. --keep-tmp, an image that can start a process, and
// the same image under --max-procs 0 show where each goes.
func TestPrivateTempDirInMemory(t *testing.T) {
	if goarch != runtime.GOARCH {
		t.Skip("a foreign image's TMPDIR is on disk: its emulator is another program")
	}
	mem, disk := guest(t, "tmpmem"), guest(t, "tmpdir")
	for img, want := range map[string]bool{mem: false, disk: true} {
		if got := hasSymbol(t, img, procStartSymbol); got != want {
			t.Fatalf("%s names %s: %v, want %v", filepath.Base(img), procStartSymbol, got, want)
		}
	}
	parent := realTempDir(t)
	left := func(when string) {
		t.Helper()
		if ents, _ := os.ReadDir(userRuns(parent)); len(ents) != 0 {
			t.Errorf("%s: on disk under %s: %v", when, userRuns(parent), ents)
		}
	}
	start := func(hostArgs ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader, string) {
		t.Helper()
		var stderr syncBuffer
		cmd, in, r, tmp := startTmpGuest(t, parent, &stderr, append(append([]string{"run"}, hostArgs...), mem)...)
		if hostArgs != nil && !strings.Contains(stderr.String(), "[nh] tmp: in memory") {
			t.Errorf("--trace says nothing of a TMPDIR in memory:\n%s", stderr.String())
		}
		return cmd, in, r, tmp
	}

	cmd, in, out, tmp := start("--trace")
	if !strings.HasPrefix(tmp, userRuns(parent)+"/nonehost.") {
		t.Errorf("TMPDIR %s: not where the run's directory would be, in %s", tmp, userRuns(parent))
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("TMPDIR %s exists on the host while the run lives: %v", tmp, err)
	}
	left("while the run lives")
	pid := strconv.Itoa(cmd.Process.Pid)
	if kids, err := os.ReadFile("/proc/" + pid + "/task/" + pid + "/children"); err != nil || len(kids) != 0 {
		t.Errorf("the run has children %q (%v): want none, no supervisor", kids, err)
	}
	in.Close()
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil || string(rest) != "read back \"x\" <nil>\nentry f\n" {
		t.Errorf("after its input ended: %v, output %q", err, rest)
	}
	left("after the run")

	cmd, _, _, _ = start()
	cmd.Process.Kill()
	cmd.Wait()
	left("after a SIGKILL")

	// On disk: kept, or where a process the image starts could find it.
	r := run(t, []string{"--keep-tmp"}, mem, nil, "TMPDIR="+parent)
	r.expect(t, 0, "read back \"x\" <nil>")
	if ents, _ := os.ReadDir(userRuns(parent)); len(ents) != 1 {
		t.Errorf("--keep-tmp: want the run's directory kept on disk, have %v", ents)
	}
	os.RemoveAll(userRuns(parent))
	r = run(t, []string{"--trace"}, disk, []string{"exit", "0"}, "TMPDIR="+parent)
	r.expect(t, 0, "tmpdir "+userRuns(parent)+"/nonehost.")
	if strings.Contains(r.stderr, "[nh] tmp: in memory") {
		t.Errorf("an image that can start a process got its TMPDIR in memory:\n%s", r.stderr)
	}
	r = run(t, []string{"--trace", "--max-procs", "0"}, disk, []string{"exit", "0"}, "TMPDIR="+parent)
	r.expect(t, 0)
	if !strings.Contains(r.stderr, "[nh] tmp: in memory") {
		t.Errorf("--max-procs 0: the TMPDIR is not in memory:\n%s", r.stderr)
	}
	left("after the runs on disk and --max-procs 0")

	// --policy says so, and that no supervisor is forked.
	for img, want := range map[string][]string{
		mem:  {"(memory)/tmp  the private TMPDIR (in memory: a tmpfs of the run's own, gone with it)", "supervisor: none"},
		disk: {"the private TMPDIR (made at start, removed at exit)", "supervisor (the waiting parent"},
	} {
		p := runCmd(t, exec.Command(hostBin, "--policy", img), "TMPDIR="+parent)
		p.expect(t, 0, want...)
	}
}

// Not root, the TMPDIR is in memory too: the tmpfs is made in a user
// namespace of the run's own (which the image's own root made anyway).
// The run goes as nobody, with copies of nonehost and the image where
// nobody can read them.
func TestPrivateTempDirInMemoryNotRoot(t *testing.T) {
	if goarch != runtime.GOARCH {
		t.Skip("a foreign image's TMPDIR is on disk: its emulator is another program")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and setpriv (util-linux) to run as nobody")
	}
	nobody := []string{"--reuid=65534", "--regid=65534", "--clear-groups"}
	if exec.Command(setpriv, append(nobody, "unshare", "--user", "--map-root-user", "true")...).Run() != nil {
		t.Skip("nobody may not make a user namespace here: the TMPDIR is on disk, as TestPrivateTempDir tests")
	}
	shared, err := os.MkdirTemp("", "nonehost-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(shared)
	tmp := filepath.Join(shared, "tmp")
	for _, c := range []struct {
		from, to string
		mode     os.FileMode
	}{{hostBin, "nonehost", 0o755}, {guest(t, "tmpmem"), "tmpmem.elf", 0o644}} {
		b, err := os.ReadFile(c.from)
		if err == nil {
			err = os.WriteFile(filepath.Join(shared, c.to), b, c.mode)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(tmp, 0o700); err != nil || os.Chmod(tmp, 0o1777) != nil || os.Chmod(shared, 0o755) != nil {
		t.Fatalf("%s: %v", tmp, err)
	}
	cmd := exec.Command(setpriv, append(nobody, filepath.Join(shared, "nonehost"), "run", "--trace",
		filepath.Join(shared, "tmpmem.elf"))...)
	cmd.Dir = shared
	r := runCmd(t, cmd, "TMPDIR="+tmp)
	r.expect(t, 0, "tmpdir "+tmp+"/nonehost-65534/nonehost.", "read back \"x\" <nil>\nentry f\n")
	r.stderrHas(t, "[nh] tmp: in memory (a tmpfs of the run's own, attached nowhere, in a new user namespace)")
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("on disk under %s: %v", tmp, ents)
	}
}

// Bad --dir values are refused before anything runs, with one line and 125.
func TestDirGrantErrors(t *testing.T) {
	file := filepath.Join(realTempDir(t), "file")
	os.WriteFile(file, nil, 0o644)
	dir := realTempDir(t)
	for _, c := range []struct{ arg, msg string }{
		{"/nonexistent-nonehost", "/nonexistent-nonehost"},
		{file, file},
		{dir + ":relative", "relative"},
		{dir + ":/x:rx", "rx"},
	} {
		r := run(t, []string{"--dir", c.arg}, guest(t, "hello"), nil)
		r.expect(t, 125)
		r.stderrHas(t, "nonehost: ", c.msg)
		if strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("--dir %s: want one line, got:\n%s", c.arg, r.stderr)
		}
	}
}

// --cwd sets the image's working directory to a guest path in the grants
// or above them, and grants nothing; anything else is refused before the
// image runs, with one line and 125.
func TestWorkingDirectory(t *testing.T) {
	img := guest(t, "procs")
	dir := realTempDir(t)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	grant := []string{"--dir", dir + ":ro"}
	for _, cwd := range []string{dir + "/sub", dir, filepath.Dir(dir), "/"} {
		r := run(t, append(grant, "--cwd", cwd), img, []string{"cwd"}, "PROCS_HELPER=1",
			"PROCS_WANT_DIR="+cwd)
		r.expect(t, 0, "in its Dir true <nil>")
	}
	// A guest path is cleaned, as a working directory is.
	r := run(t, append(grant, "--cwd="+dir+"/sub/../sub/"), img, []string{"cwd"}, "PROCS_HELPER=1",
		"PROCS_WANT_DIR="+dir+"/sub")
	r.expect(t, 0, "in its Dir true <nil>")
	for _, c := range []struct{ arg, msg string }{
		{"/nonexistent-nonehost", "--cwd /nonexistent-nonehost: No such file or directory in the grants"},
		{dir + "/file", "Not a directory"},
		{dir + "/missing", "No such file or directory"},
		{"relative", "--cwd relative: not an absolute guest path"},
	} {
		r := run(t, append(grant, "--cwd", c.arg), img, []string{"cwd"}, "PROCS_HELPER=1")
		r.expect(t, 125)
		r.stderrHas(t, "nonehost: ", c.msg)
		if strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("--cwd %s: want one line, got:\n%s", c.arg, r.stderr)
		}
	}
}

// sameAsLinux runs guest name's Linux build with each environment, which
// must exit 0 with stdout holding linuxHas, and its image with the same
// environment under each of --net none and private: same lines, exit 0.
func sameAsLinux(t *testing.T, name, linuxHas string, envs ...[]string) {
	t.Helper()
	img := guest(t, name)
	for _, env := range envs {
		want := runCmd(t, linuxCommand(t, name), env...)
		want.expect(t, 0, linuxHas)
		for _, net := range []string{"none", "private"} {
			t.Run(fmt.Sprintf("%s/%v", net, env), func(t *testing.T) {
				got := run(t, []string{"--net", net}, img, nil, env...)
				got.expect(t, 0)
				sameLines(t, want, got)
			})
		}
	}
}

// The machine's time zone reaches the image as it reaches a Linux program:
// the local zone from /etc/localtime (a link into the zone database, which
// is granted read-only at its path) or TZ, and LoadLocation's zones. Under
// --net none the fs-shim serves the link; under private, our /etc has it.
func TestTimeZoneMatchesLinux(t *testing.T) {
	sameAsLinux(t, "timezone", "load America/New_York: EDT -14400",
		nil, []string{"TZ=Europe/Berlin"}, []string{"TZ=:Asia/Tokyo"}, []string{"TZ="})
}

// os/user finds the user the image runs as in the guest's /etc under every
// network, as the Linux build (cgo off: the same pure reader) finds it in
// the host's, with or without $USER and $HOME; under --net none that /etc
// is made only because the image links os/user.
func TestUserMatchesLinux(t *testing.T) {
	sameAsLinux(t, "user", "current: uid ",
		nil, []string{"USER=", "HOME="}, []string{"USER=someone-else", "HOME=/nowhere"})
}

// The file-mode creation mask: the image starts with its caller's, and the
// one it sets is what its files, directories and UNIX sockets' names are
// made with and what its children, images and host programs, start with,
// as on Linux (natively the Linux build's lines are the same). Before
// FS_UMASK, syscall.Umask changed nothing: a program that set 077 to keep
// a secret got its files at the host's 644.
func TestUmask(t *testing.T) {
	start := callerUmask(t)
	img := guest(t, "umask")
	want := func(sock bool) string {
		lines := []string{fmt.Sprintf("start: umask %03o", start)}
		for _, m := range []fs.FileMode{0o027, 0o077, 0} {
			l := fmt.Sprintf("umask %03o: file %v dir %v", m, 0o666&^m, fs.ModeDir|0o777&^m)
			if sock {
				l += fmt.Sprintf(" sock %v", fs.ModeSocket|0o777&^m)
			}
			lines = append(lines, l+fmt.Sprintf(" image %03o sh %04o", m, m))
		}
		return strings.Join(lines, "\n") + "\n"
	}
	check := func(t *testing.T, r result, sock bool) {
		t.Helper()
		r.expect(t, 0)
		if w := want(sock); r.stdout != w {
			t.Errorf("got:\n%swant:\n%sstderr:\n%s", r.stdout, w, r.stderr)
		}
	}
	if _, foreign := qemuFor[goarch]; !foreign {
		check(t, runCmd(t, exec.Command(linuxBuild(t, "umask"), realTempDir(t), "sock", "sh")), true)
	}
	for _, net := range []string{"none", "private"} {
		t.Run(net, func(t *testing.T) {
			dir := realTempDir(t)
			args := []string{dir, "sh"}
			if net != "none" { // under none a UNIX socket is EACCES
				args = append(args, "sock")
			}
			check(t, run(t, []string{"--net", net, "--dir", dir + ":rw", "--dir",
				filepath.Dir(img) + ":ro", "--allow-exec", "/bin/sh"}, img, args), net != "none")
		})
	}
}

// callerUmask reads this process's mask without changing it (umask(2)
// would, for a moment, under the tests running beside this one).
func callerUmask(t *testing.T) fs.FileMode {
	t.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "Umask:"); ok {
			m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32)
			if err != nil {
				t.Fatalf("/proc/self/status: %q: %v", l, err)
			}
			return fs.FileMode(m)
		}
	}
	t.Fatal("/proc/self/status has no Umask line")
	return 0
}
