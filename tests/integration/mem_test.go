package integration

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// syscall.Mmap, Mprotect and Munmap do what they do on Linux: the
// transcripts of guests/mmap (guard pages that fault, EFAULT for a
// protected buffer, maps of files, the errors) compared line by line.
func TestMemoryMapsMatchLinux(t *testing.T) {
	linuxDir, noneDir := realTempDir(t), realTempDir(t)
	want := runCmd(t, linuxCommand(t, "mmap", linuxDir))
	want.expect(t, 0, "round 1 ok")
	got := runCmd(t, exec.Command(hostBin, "run", "--dir", noneDir+":rw", guest(t, "mmap"), noneDir))
	got.expect(t, 0)
	if goarch == "arm" {
		// linux/arm's runtime takes a fault's address from the signal
		// context's fault_address (sigctxt.fault), which qemu-arm leaves
		// 0: its panics have no address. nonehost passes si_addr on.
		got.stdout = faultAt.ReplaceAllString(got.stdout,
			"fault without an address: runtime error: invalid memory address or nil pointer dereference")
	}
	if _, foreign := qemuFor[goarch]; foreign {
		// The one SIGBUS (a page past the end of a mapped file): under
		// qemu-user its si_addr is not the address touched, differently
		// for each (QEMU_STRACE shows it: riscv64 a page high for
		// nonehost's host, arm64 garbage for Linux's Go); that it
		// faults, and the rest of the line, still compare.
		want.stdout = sigbusAt.ReplaceAllString(want.stdout, "$1 fault")
		got.stdout = sigbusAt.ReplaceAllString(got.stdout, "$1 fault")
	}
	sameLines(t, want, got)
}

var (
	faultAt  = regexp.MustCompile(`fault at \+0x[0-9a-f]+`)
	sigbusAt = regexp.MustCompile(`(?m)^(shared: .*) fault[^\n]*$`)
)

// What GOOS=none refuses where Linux goes on (hooks/nonehost_abi.h,
// "Memory protection"): executable pages, the image's read-only data,
// more than NH_PROT_RANGES_MAX protected ranges; and Munmap gives a map's
// ranges back.
func TestMemoryMapLimits(t *testing.T) {
	dir := realTempDir(t)
	r := run(t, []string{"--dir", dir + ":rw"}, guest(t, "mmap"), []string{"none", dir})
	limit := "protected ranges: 1024, then cannot allocate memory\n" +
		"one given back: <nil>\nthen: <nil>\n"
	r.expect(t, 0, "mmap exec: permission denied\nmprotect exec: permission denied\n"+
		"mmap of a file, exec: permission denied\nmprotect of read-only data: cannot allocate memory\n"+
		strings.Repeat(limit, 2))
}

// The runtime's scavenger gives the heap's free pages back to the host
// (MEM_RELEASE): after debug.FreeOSMemory the resident memory of the run
// (every process of it) falls, as a Linux program's does, and the pages
// come back zeroed when the heap grows again (guests/release).
func TestScavengerGivesMemoryBack(t *testing.T) {
	cmd := exec.Command(hostBin, "run", guest(t, "release"))
	in, out := startPiped(t, cmd)
	lines := bufio.NewScanner(out)
	step := func(want string) {
		t.Helper()
		if !lines.Scan() || lines.Text() != want {
			t.Fatalf("guest said %q, want %q", lines.Text(), want)
		}
	}
	step("allocated")
	full := treeRSS(t, cmd.Process.Pid)
	in.Write([]byte("\n"))
	step("freed")
	freed := treeRSS(t, cmd.Process.Pid)
	in.Write([]byte("\n"))
	step("reused")
	in.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Logf("resident: %d MiB with 256 MiB of heap in use, %d MiB after FreeOSMemory", full>>10, freed>>10)
	if full < 256<<10 || freed > full/4 {
		t.Errorf("resident memory %d KiB full, %d KiB freed: want at least 256 MiB, then under a quarter", full, freed)
	}
}

// treeRSS is the resident memory in KiB of pid and its descendants.
func treeRSS(t *testing.T, pid int) int {
	t.Helper()
	parent := map[int]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue // gone
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses
		rest := string(b[strings.LastIndexByte(string(b), ')')+1:])
		f := strings.Fields(rest)
		p, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
		if len(f) > 1 {
			parent[p], _ = strconv.Atoi(f[1])
		}
	}
	total := 0
	for p := range parent {
		for q := p; q > 1; q = parent[q] {
			if q != pid {
				continue
			}
			b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/status")
			if err != nil {
				break
			}
			for _, line := range strings.Split(string(b), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
					kb, _ := strconv.Atoi(f[1])
					total += kb
				}
			}
			break
		}
	}
	return total
}
