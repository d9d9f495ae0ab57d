// Command nethttp serves a small net/http handler on the address in its
// argument until killed, or with "idle ADDR SECONDS" listens, serves
// nothing and exits after that many seconds.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) == 4 && os.Args[1] == "idle" {
		l, err := net.Listen("tcp", os.Args[2])
		check(err)
		secs, err := strconv.Atoi(os.Args[3])
		check(err)
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		time.Sleep(time.Duration(secs) * time.Second)
		return
	}
	l, err := net.Listen("tcp", os.Args[1])
	check(err)
	fmt.Println("ready")
	check(http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("hello from a small handler\n"))
	})))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(1)
	}
}
