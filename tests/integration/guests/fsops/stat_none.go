package main

import (
	"io/fs"
	"syscall"
	"time"
)

func atime(fi fs.FileInfo) time.Time {
	return time.Unix(0, int64(fi.Sys().(*syscall.Stat_t).Atime))
}

func nlink(fi fs.FileInfo) uint64 { return fi.Sys().(*syscall.Stat_t).Nlink }

func owner(fi fs.FileInfo) (int, int) {
	st := fi.Sys().(*syscall.Stat_t)
	return int(st.Uid), int(st.Gid)
}
