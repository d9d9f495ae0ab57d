// mmap exercises syscall.Mmap, Mprotect and Munmap of anonymous memory
// and prints a transcript. With no argument it does what Linux and
// GOOS=none do alike, and the test compares its transcript with the same
// program's on Linux line by line: pages that fault when touched
// (recovered with debug.SetPanicOnFault, the fault address checked), a
// file written from or read into a protected page (EFAULT), maps of a
// file, the maps' errors. With the argument "none" it checks what only
// GOOS=none does: no executable pages, a limit on protected ranges, and no
// protection outside the program's data and heap. The directory for the
// files is the second argument (the first on Linux).
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"syscall"
	"unsafe"
)

var page = syscall.Getpagesize()

// touch reads (or writes) b[i] and says what happened: the byte, or the
// fault and its address as an offset into b.
func touch(b []byte, i int, write bool) (res string) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		re, ok := r.(runtime.Error)
		if !ok {
			panic(r)
		}
		a, ok := re.(interface{ Addr() uintptr })
		if !ok {
			res = "fault without an address: " + re.Error()
			return
		}
		res = fmt.Sprintf("fault at +%#x", a.Addr()-uintptr(unsafe.Pointer(&b[0])))
	}()
	if write {
		b[i] = 7
		return "wrote"
	}
	return fmt.Sprintf("read %d", b[i])
}

func check(what string, err error) {
	if err != nil {
		fmt.Printf("%s: %v\n", what, err)
		os.Exit(1)
	}
}

func transcript(dir string) {
	debug.SetPanicOnFault(true)

	b, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	check("mmap", err)
	fmt.Println("len", len(b)/page, "pages, aligned:", uintptr(unsafe.Pointer(&b[0]))%uintptr(page) == 0)
	zero := true
	for _, c := range b {
		zero = zero && c == 0
	}
	fmt.Println("zeroed:", zero)
	for i := range b {
		b[i] = byte(i)
	}

	// Guard pages on both sides of the middle one.
	check("mprotect first", syscall.Mprotect(b[:page], syscall.PROT_NONE))
	check("mprotect last", syscall.Mprotect(b[2*page:], syscall.PROT_NONE))
	fmt.Println("middle:", touch(b, page, false), touch(b, 2*page-1, true))
	fmt.Println("first:", touch(b, page-1, false), touch(b, 0, true))
	fmt.Println("last:", touch(b, 2*page, false), touch(b, 3*page-1, true))

	// Read-only: reads, no writes.
	check("mprotect read", syscall.Mprotect(b[page:2*page], syscall.PROT_READ))
	fmt.Println("read-only:", touch(b, page+1, false), touch(b, page+2, true))

	// The kernel, or the host, refuses to read from or write into pages
	// the program may not read or write.
	f, err := os.Create(filepath.Join(dir, "f"))
	check("create", err)
	_, err = f.Write(b[:16])
	fmt.Println("write from a page without access:", errors.Is(err, syscall.EFAULT))
	_, err = f.Write(b[page : page+16])
	fmt.Println("write from a read-only page:", err)
	_, err = f.ReadAt(b[page:page+16], 0)
	fmt.Println("read into a read-only page:", errors.Is(err, syscall.EFAULT))
	check("close", f.Close())

	// Everything back: the bytes are still there.
	check("mprotect all", syscall.Mprotect(b, syscall.PROT_READ|syscall.PROT_WRITE))
	fmt.Println("back:", b[0], b[page+1], b[3*page-1])
	fmt.Println("writable:", touch(b, 0, true), touch(b, 3*page-1, true))

	// Errors, in Linux's words.
	fmt.Println("unaligned mprotect:", syscall.Mprotect(b[1:page], syscall.PROT_READ))
	fmt.Println("munmap of a part:", syscall.Munmap(b[:page]))
	fmt.Println("mmap of no bytes:", e2(syscall.Mmap(-1, 0, 0, syscall.PROT_READ, syscall.MAP_ANON|syscall.MAP_PRIVATE)))
	fmt.Println("mmap neither shared nor private:", e2(syscall.Mmap(-1, 0, page, syscall.PROT_READ, syscall.MAP_ANON)))
	check("munmap", syscall.Munmap(b))
	fmt.Println("munmap again:", syscall.Munmap(b))

	// A map made without access, as guard pages are made, then opened;
	// shared anonymous memory, as runtime/debug's test makes it.
	g, err := syscall.Mmap(-1, 0, 2*page+1, syscall.PROT_NONE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	check("mmap none", err)
	fmt.Println("no access:", len(g), touch(g, 2*page, false))
	check("mprotect rw", syscall.Mprotect(g, syscall.PROT_READ|syscall.PROT_WRITE))
	fmt.Println("opened:", touch(g, 2*page, true), touch(g, 2*page, false))
	check("munmap none", syscall.Munmap(g))
	s, err := syscall.Mmap(-1, 0, page, syscall.PROT_READ, syscall.MAP_ANON|syscall.MAP_SHARED)
	check("mmap shared", err)
	fmt.Println("shared read-only:", touch(s, 0, false), touch(s, 5, true))
	check("munmap shared", syscall.Munmap(s))

	files(dir)

	// Many maps, each with a guard page, made and given back twice.
	for round := 0; round < 2; round++ {
		var maps [][]byte
		for i := 0; i < 100; i++ {
			m, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
			check("mmap many", err)
			if m[0] != 0 || m[page-1] != 0 {
				fmt.Println("not zero")
			}
			m[0] = 1
			check("mprotect many", syscall.Mprotect(m[page:], syscall.PROT_NONE))
			maps = append(maps, m)
		}
		for _, m := range maps {
			check("munmap many", syscall.Munmap(m))
		}
		fmt.Println("round", round, "ok")
	}
}

func e2(_ []byte, err error) error { return err }

// files maps a file of two pages and 100 bytes: shared, so writes through
// the map reach the file; privately, so they do not; a page wholly past
// the end faults (SIGBUS). What cannot be mapped says why.
func files(dir string) {
	path := filepath.Join(dir, "mapped")
	data := make([]byte, 2*page+100)
	for i := range data {
		data[i] = byte(i % 251)
	}
	check("write", os.WriteFile(path, data, 0o644))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	check("open", err)
	m, err := syscall.Mmap(int(f.Fd()), 0, 4*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	check("mmap shared", err)
	fmt.Println("shared:", m[1], m[page], m[2*page+99], m[2*page+100], touch(m, 3*page, false))
	m[0], m[2*page+99] = 'S', 'E'
	got, err := os.ReadFile(path)
	check("read", err)
	fmt.Println("the file sees the map's writes:", got[0] == 'S', got[2*page+99] == 'E', len(got))
	_, err = f.WriteAt([]byte("w"), 1)
	check("write at", err)
	fmt.Println("the map sees the file's writes:", m[1] == 'w')
	out, err := os.Create(filepath.Join(dir, "copy"))
	check("create copy", err)
	_, err = out.Write(m[:2*page+100]) // from the map, by the kernel
	fmt.Println("write from the map:", err)
	check("close copy", out.Close())
	check("munmap shared", syscall.Munmap(m))

	p, err := syscall.Mmap(int(f.Fd()), int64(page), page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	check("mmap private", err)
	fmt.Println("private at one page:", p[0] == data[page], p[99])
	p[0] = 'P'
	got, _ = os.ReadFile(path)
	fmt.Println("the file does not see a private write:", got[page] == data[page])
	check("munmap private", syscall.Munmap(p))
	r, err := syscall.Mmap(int(f.Fd()), 0, page, syscall.PROT_READ, syscall.MAP_SHARED)
	check("mmap read-only", err)
	fmt.Println("read-only map:", r[0], touch(r, 1, true))
	check("munmap read-only", syscall.Munmap(r))
	check("close", f.Close())

	ro, err := os.Open(path)
	check("open read-only", err)
	fmt.Println("shared and writable of a read-only file:", e2(syscall.Mmap(int(ro.Fd()), 0, page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)))
	pr, err := syscall.Mmap(int(ro.Fd()), 0, page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	fmt.Println("private and writable of it:", err)
	if err == nil {
		pr[0] = 1
		check("munmap", syscall.Munmap(pr))
	}
	fmt.Println("unaligned offset:", e2(syscall.Mmap(int(ro.Fd()), 1, page, syscall.PROT_READ, syscall.MAP_SHARED)))
	check("close read-only", ro.Close())
	d, err := os.Open(dir)
	check("open dir", err)
	fmt.Println("a directory:", e2(syscall.Mmap(int(d.Fd()), 0, page, syscall.PROT_READ, syscall.MAP_SHARED)))
	check("close dir", d.Close())
	pr2, pw, err := os.Pipe()
	check("pipe", err)
	fmt.Println("a pipe:", e2(syscall.Mmap(int(pr2.Fd()), 0, page, syscall.PROT_READ, syscall.MAP_SHARED)))
	pr2.Close()
	pw.Close()
	fmt.Println("a closed file:", e2(syscall.Mmap(int(ro.Fd()), 0, page, syscall.PROT_READ, syscall.MAP_SHARED)))
}

// noneOnly checks what GOOS=none does where Linux would let the program
// go further.
func noneOnly(dir string) {
	_, err := syscall.Mmap(-1, 0, page, syscall.PROT_READ|syscall.PROT_EXEC, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	fmt.Println("mmap exec:", err)
	b, err := syscall.Mmap(-1, 0, page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	check("mmap", err)
	fmt.Println("mprotect exec:", syscall.Mprotect(b, syscall.PROT_READ|syscall.PROT_EXEC))
	check("munmap", syscall.Munmap(b))

	f, err := os.Create(filepath.Join(dir, "f"))
	check("create", err)
	check("truncate", f.Truncate(int64(page)))
	_, err = syscall.Mmap(int(f.Fd()), 0, page, syscall.PROT_READ|syscall.PROT_EXEC, syscall.MAP_SHARED)
	fmt.Println("mmap of a file, exec:", err)
	check("close", f.Close())

	// The program's code and read-only data are out of reach: a string
	// constant's page.
	ro := unsafe.Pointer(unsafe.StringData("a constant, in the image's read-only data"))
	ro = unsafe.Add(ro, -int(uintptr(ro)%uintptr(page)))
	fmt.Println("mprotect of read-only data:", syscall.Mprotect(unsafe.Slice((*byte)(ro), page), syscall.PROT_READ|syscall.PROT_WRITE))

	// At most 1024 separate protected ranges; freeing one makes room, and
	// Munmap frees a map's.
	for round := 0; round < 2; round++ {
		m, err := syscall.Mmap(-1, 0, 2*1025*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		check("mmap big", err)
		var n int
		for n = 0; n < 1025; n++ {
			if err = syscall.Mprotect(m[2*n*page:(2*n+1)*page], syscall.PROT_NONE); err != nil {
				break
			}
		}
		fmt.Printf("protected ranges: %d, then %v\n", n, err)
		fmt.Println("one given back:", syscall.Mprotect(m[:page], syscall.PROT_READ|syscall.PROT_WRITE))
		fmt.Println("then:", syscall.Mprotect(m[2*n*page:(2*n+1)*page], syscall.PROT_NONE))
		check("munmap big", syscall.Munmap(m))
	}
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "none" {
		noneOnly(os.Args[2])
		return
	}
	transcript(os.Args[1])
}
