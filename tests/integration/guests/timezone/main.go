// timezone prints what the time package makes of the machine's time zone:
// the local zone (from TZ, else /etc/localtime) at two fixed instants, a
// zone loaded by name, and the /etc/localtime link itself, so that a
// GOOS=none run and a Linux run on the same machine compare line for line.
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	winter, summer := time.Unix(1700000000, 0), time.Unix(1720000000, 0)
	fmt.Println("local:", time.Local)
	for _, t := range []time.Time{winter, summer} {
		name, offset := t.In(time.Local).Zone()
		fmt.Printf("local at %d: %s %d, %s\n", t.Unix(), name, offset, t.In(time.Local).Format(time.DateTime))
	}
	for _, zone := range []string{"America/New_York", "Asia/Kolkata", "Nowhere/Atlantis"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			fmt.Printf("load %s: %v\n", zone, err)
			continue
		}
		name, offset := summer.In(loc).Zone()
		fmt.Printf("load %s: %s %d\n", zone, name, offset)
	}
	target, err := os.Readlink("/etc/localtime")
	fmt.Printf("/etc/localtime: %q %v\n", target, err)
}
