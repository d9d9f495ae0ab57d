// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

import (
	"syscall"
	"unsafe"
)

// hostFS is syscall.FileSystem served by the host's fs-shim (the
// NH_OP_FS_* ops): descriptors are the host's handles, paths are passed
// as they come and resolved by the host in the guest's tree. Every
// address is converted in the argument list of call (an assembly
// function), which keeps the data alive and in place until the host
// returns.
type hostFS struct{}

// result turns a gate result into a count or an Errno.
func result(r int64) (int, error) {
	if r < 0 {
		return 0, syscall.Errno(-r)
	}
	return int(r), nil
}

func errOf(r int64) error {
	if r < 0 {
		return syscall.Errno(-r)
	}
	return nil
}

// cString is the NUL-terminated string at p (host block memory, never
// freed or moved), without copying.
func cString(p uintptr) string {
	if p == 0 {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Pointer(p + uintptr(n))) != 0 {
		n++
	}
	return unsafe.String((*byte)(unsafe.Pointer(p)), n)
}

// openFlags translates package syscall's O_* (which are not Linux's on
// GOOS=none) into the ABI's NH_O_*.
func openFlags(flags int) (int64, error) {
	var f int64
	switch flags & (syscall.O_RDONLY | syscall.O_WRONLY | syscall.O_RDWR) {
	case syscall.O_RDONLY:
		f = oRdonly
	case syscall.O_WRONLY:
		f = oWronly
	case syscall.O_RDWR:
		f = oRdwr
	default:
		return 0, syscall.EINVAL
	}
	for _, m := range [...]struct{ from, to int }{
		{syscall.O_CREAT, oCreat},
		{syscall.O_EXCL, oExcl},
		{syscall.O_TRUNC, oTrunc},
		{syscall.O_APPEND, oAppend},
		{syscall.O_SYNC, oSync},
		{syscall.O_DIRECTORY, oDirectory},
		{syscall.O_NOFOLLOW, oNofollow},
	} {
		if flags&m.from != 0 {
			f |= int64(m.to)
		}
	}
	return f, nil
}

// dirArg is the ABI's dirfd: NH_AT_ROOT for syscall.AT_FDCWD (whose
// paths are absolute by then), else the handle.
func dirArg(dir int) int64 {
	if dir == syscall.AT_FDCWD {
		dir = atRoot
	}
	return int64(dir)
}

func (hostFS) Open(dir int, path string, flags int, perm uint32) (int, error) {
	f, err := openFlags(flags)
	if err != nil {
		return -1, err
	}
	fd, err := result(call(opFsOpen, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), f, int64(perm), 0))
	if err != nil {
		return -1, err
	}
	return fd, nil
}

func (hostFS) Close(fd int) error {
	return errOf(call(opFsClose, int64(fd), 0, 0, 0, 0, 0))
}

func (hostFS) Read(fd int, b []byte) (int, error) {
	return result(call(opFsRead, int64(fd), argp(unsafe.Pointer(unsafe.SliceData(b))), int64(len(b)), 0, 0, 0))
}

func (hostFS) Write(fd int, b []byte) (int, error) {
	return result(call(opFsWrite, int64(fd), argp(unsafe.Pointer(unsafe.SliceData(b))), int64(len(b)), 0, 0, 0))
}

func (hostFS) Pread(fd int, b []byte, offset int64) (int, error) {
	return result(call(opFsPread, int64(fd), argp(unsafe.Pointer(unsafe.SliceData(b))), int64(len(b)), int64(offset), 0, 0))
}

func (hostFS) Pwrite(fd int, b []byte, offset int64) (int, error) {
	return result(call(opFsPwrite, int64(fd), argp(unsafe.Pointer(unsafe.SliceData(b))), int64(len(b)), int64(offset), 0, 0))
}

func (hostFS) Seek(fd int, offset int64, whence int) (int64, error) {
	r := call(opFsSeek, int64(fd), int64(offset), int64(whence), 0, 0, 0)
	if r < 0 {
		return 0, syscall.Errno(-r)
	}
	return r, nil
}

func (hostFS) Stat(dir int, path string, st *syscall.Stat_t, flags int) error {
	var s nhStat
	var f int64
	if flags&syscall.AT_SYMLINK_NOFOLLOW != 0 {
		f = atSymlinkNofollow
	}
	if r := call(opFsStat, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), argp(unsafe.Pointer(&s)), f, 0); r < 0 {
		return syscall.Errno(-r)
	}
	*st = syscall.Stat_t{
		Dev:   s.dev,
		Ino:   s.ino,
		Nlink: s.nlink,
		Size:  uint64(s.size),
		Atime: uint64(s.atimeNs),
		Mtime: uint64(s.mtimeNs),
		Ctime: uint64(s.ctimeNs),
		Mode:  int(s.mode),
		Uid:   s.uid,
		Gid:   s.gid,
	}
	return nil
}

func (hostFS) ReadDir(fd int, buf []byte, cookie uint64) (int, error) {
	return result(call(opFsReaddir, int64(fd), argp(unsafe.Pointer(unsafe.SliceData(buf))), int64(len(buf)), int64(cookie), 0, 0))
}

func (hostFS) Mkdir(dir int, path string, perm uint32) error {
	return errOf(call(opFsMkdir, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), int64(perm), 0, 0))
}

func (hostFS) Unlink(dir int, path string, flags int) error {
	var f int64
	if flags&syscall.AT_REMOVEDIR != 0 {
		f = atRemovedir
	}
	return errOf(call(opFsUnlink, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), f, 0, 0))
}

func (hostFS) Rename(oldDir int, oldPath string, newDir int, newPath string) error {
	return errOf(call(opFsRename, dirArg(oldDir), argp(unsafe.Pointer(unsafe.StringData(oldPath))), int64(len(oldPath)),
		dirArg(newDir), argp(unsafe.Pointer(unsafe.StringData(newPath))), int64(len(newPath))))
}

func (hostFS) Link(oldDir int, oldPath string, newDir int, newPath string) error {
	return errOf(call(opFsLink, dirArg(oldDir), argp(unsafe.Pointer(unsafe.StringData(oldPath))), int64(len(oldPath)),
		dirArg(newDir), argp(unsafe.Pointer(unsafe.StringData(newPath))), int64(len(newPath))))
}

func (hostFS) Symlink(target string, dir int, path string) error {
	return errOf(call(opFsSymlink, argp(unsafe.Pointer(unsafe.StringData(target))), int64(len(target)),
		dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), 0))
}

func (hostFS) Readlink(dir int, path string, b []byte) (int, error) {
	return result(call(opFsReadlink, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), argp(unsafe.Pointer(unsafe.SliceData(b))), int64(len(b)), 0))
}

func (hostFS) Chmod(dir int, path string, mode uint32) error {
	return errOf(call(opFsChmod, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), int64(mode), 0, 0))
}

func (hostFS) Truncate(dir int, path string, size int64) error {
	return errOf(call(opFsTruncate, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), int64(size), 0, 0))
}

func (hostFS) Fsync(fd int) error {
	return errOf(call(opFsFsync, int64(fd), 0, 0, 0, 0, 0))
}

func (hostFS) Dup(fd int) (int, error) {
	return result(call(opFsDup, int64(fd), 0, 0, 0, 0, 0))
}

func (hostFS) Utimens(dir int, path string, ts *[2]syscall.Timespec, flags int) error {
	var f int64
	if flags&syscall.AT_SYMLINK_NOFOLLOW != 0 {
		f = atSymlinkNofollow
	}
	return errOf(call(opFsUtimens, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), argp(unsafe.Pointer(ts)), f, 0))
}

func (hostFS) Chown(dir int, path string, uid, gid int, flags int) error {
	var f int64
	if flags&syscall.AT_SYMLINK_NOFOLLOW != 0 {
		f = atSymlinkNofollow
	}
	return errOf(call(opFsChown, dirArg(dir), argp(unsafe.Pointer(unsafe.StringData(path))), int64(len(path)), int64(uid), int64(gid), f))
}

// Flock is FS_FLOCK, which never waits: syscall.Flock passes no LOCK_NB
// and does any waiting itself, by trying again.
func (hostFS) Flock(fd int, how int) error {
	var h int64
	switch how {
	case syscall.LOCK_SH:
		h = lockSh
	case syscall.LOCK_EX:
		h = lockEx
	case syscall.LOCK_UN:
		h = lockUn
	default:
		return syscall.EINVAL
	}
	return errOf(call(opFsFlock, int64(fd), h, 0, 0, 0, 0))
}

// Umask is syscall.Umasker: FS_UMASK sets the host's own mask, which the
// kernel applies to every file, directory and socket name the host makes
// for the image, and which the image's children start with. The host keeps
// the permission bits alone, as umask(2) does.
func (hostFS) Umask(mask int) int {
	return int(call(opFsUmask, int64(mask), 0, 0, 0, 0, 0))
}

// MapFile is syscall.FileMapper: MEM_MAP. syscall's PROT_* and MAP_* are
// Linux's numbers, and so are the ABI's (protRead, protWrite, mapShared,
// mapPrivate, mapAnon).
func (hostFS) MapFile(addr, n uintptr, prot, flags, fd int, offset int64) error {
	if fd < 0 {
		return errOf(call(opMemMap, int64(addr), int64(n), int64(prot), mapAnon|mapPrivate, -1, 0))
	}
	return errOf(call(opMemMap, int64(addr), int64(n), int64(prot), int64(flags), int64(fd), offset))
}
