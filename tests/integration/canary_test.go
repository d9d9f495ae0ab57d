package integration

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A canary is a file outside every grant that hostile guests try to reach:
// afterwards its content, mtime and atime must be as they were.
const canaryContent = "canary: must stay untouched\n"

var canaryTime = time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)

// newCanary makes a canary in a fresh directory (real path, as guests see
// paths) and returns its path.
func newCanary(t *testing.T) string {
	t.Helper()
	canary := filepath.Join(realTempDir(t), "canary")
	if err := os.WriteFile(canary, []byte(canaryContent), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(canary, canaryTime, canaryTime); err != nil {
		t.Fatal(err)
	}
	return canary
}

// checkCanary fails t if the canary was read or changed. Times first:
// reading the canary here would update its atime.
func checkCanary(t *testing.T, canary string) {
	t.Helper()
	fi, err := os.Stat(canary)
	if err != nil || !fi.ModTime().Equal(canaryTime) {
		t.Errorf("canary mtime changed: %v, %v", fi.ModTime(), err)
	}
	if err == nil && fi.Mode().Perm() != 0o644 {
		t.Errorf("canary mode changed: %v", fi.Mode())
	}
	if at := atime(fi); !at.Equal(canaryTime) {
		t.Errorf("canary atime changed: %v", at)
	}
	if got, err := os.ReadFile(canary); err != nil || string(got) != canaryContent {
		t.Errorf("canary changed: %q, %v", got, err)
	}
}

func atime(fi os.FileInfo) time.Time {
	st := fi.Sys().(*syscall.Stat_t)
	return time.Unix(st.Atim.Sec, st.Atim.Nsec)
}
