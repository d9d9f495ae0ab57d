// Command nettcp measures TCP over loopback inside one program: "stream"
// sends 1 GiB one way and prints MB/s; "rr" makes 20,000 1 KiB
// request/response round trips and prints the p50 and p99 latency in µs.
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"time"
)

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	c, err := net.Dial("tcp", l.Addr().String())
	check(err)
	s, err := l.Accept()
	check(err)
	switch os.Args[1] {
	case "stream":
		const total = 1 << 30
		buf := make([]byte, 64<<10)
		done := make(chan bool)
		go func() {
			n, err := io.Copy(io.Discard, s)
			check(err)
			if n != total {
				panic("short stream")
			}
			done <- true
		}()
		start := time.Now()
		for sent := 0; sent < total; sent += len(buf) {
			_, err := c.Write(buf)
			check(err)
		}
		c.Close()
		<-done
		fmt.Printf("%.1f\n", total/time.Since(start).Seconds()/1e6)
	case "rr":
		const n = 20000
		go func() {
			b := make([]byte, 1024)
			for {
				if _, err := io.ReadFull(s, b); err != nil {
					return
				}
				if _, err := s.Write(b); err != nil {
					return
				}
			}
		}()
		b := make([]byte, 1024)
		lat := make([]time.Duration, 0, n)
		for i := 0; i < n; i++ {
			start := time.Now()
			_, err := c.Write(b)
			check(err)
			_, err = io.ReadFull(c, b)
			check(err)
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		fmt.Printf("%.2f %.2f\n", us(lat[n/2]), us(lat[n*99/100]))
	}
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "nettcp:", err)
		os.Exit(1)
	}
}
