package integration

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// syscall.Mmap, Mprotect and Munmap of anonymous memory do what they do on
// Linux: the transcripts of guests/mmap (guard pages that fault, EFAULT
// for a protected buffer, the errors) compared line by line.
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
	sameLines(t, want, got)
}

var faultAt = regexp.MustCompile(`fault at \+0x[0-9a-f]+`)

// What GOOS=none refuses where Linux goes on (hooks/nonehost_abi.h,
// "Memory protection"): executable pages, file maps, the image's read-only data,
// more than NH_PROT_RANGES_MAX protected ranges; and Munmap gives a map's
// ranges back.
func TestMemoryMapLimits(t *testing.T) {
	dir := realTempDir(t)
	r := run(t, []string{"--dir", dir + ":rw"}, guest(t, "mmap"), []string{"none", dir})
	limit := "protected ranges: 1024, then cannot allocate memory\n" +
		"one given back: <nil>\nthen: <nil>\n"
	r.expect(t, 0, "mmap exec: permission denied\nmprotect exec: permission denied\n"+
		"mmap of a file: no such device\nmprotect of read-only data: cannot allocate memory\n"+
		strings.Repeat(limit, 2))
}
