// user prints what os/user makes of the user the program runs as, read
// from /etc/passwd and /etc/group (Go's pure reader: cgo is off on both
// sides), so that a GOOS=none run and a Linux run on the same machine
// compare line for line, with or without $USER and $HOME.
package main

import (
	"fmt"
	"os/user"
)

func main() {
	u, err := user.Current()
	if err != nil {
		fmt.Println("current:", err)
		return
	}
	fmt.Printf("current: uid %s gid %s username %q name %q home %q\n", u.Uid, u.Gid, u.Username, u.Name, u.HomeDir)
	if byName, err := user.Lookup(u.Username); err != nil {
		fmt.Println("lookup by name:", err)
	} else {
		fmt.Println("lookup by name: uid", byName.Uid)
	}
	if g, err := user.LookupGroupId(u.Gid); err != nil {
		fmt.Println("group:", err)
	} else {
		fmt.Printf("group: %s %q\n", g.Gid, g.Name)
	}
}
