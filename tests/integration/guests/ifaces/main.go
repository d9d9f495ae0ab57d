// ifaces prints what the net package makes of the network's interfaces:
// each interface with its addresses, every address, and one looked up by
// name and by index, so that a GOOS=none run and a Linux run on the same
// network compare line for line.
package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	ifs, err := net.Interfaces()
	if err != nil {
		fmt.Println("interfaces:", err)
		os.Exit(1)
	}
	fmt.Println("interfaces:", len(ifs))
	for _, ifi := range ifs {
		fmt.Printf("%d %s mtu %d flags %v hw %q\n", ifi.Index, ifi.Name, ifi.MTU, ifi.Flags, ifi.HardwareAddr.String())
		addrs, err := ifi.Addrs()
		fmt.Println("  addrs:", addrs, err)
		maddrs, err := ifi.MulticastAddrs()
		fmt.Println("  multicast:", len(maddrs) >= 0, err)
	}
	all, err := net.InterfaceAddrs()
	fmt.Println("all addrs:", all, err)
	if len(ifs) > 0 {
		byName, err := net.InterfaceByName(ifs[len(ifs)-1].Name)
		fmt.Println("by name:", byName.Index, err)
		byIndex, err := net.InterfaceByIndex(ifs[0].Index)
		fmt.Println("by index:", byIndex.Name, err)
	}
	_, err = net.InterfaceByName("nonehost-nowhere0")
	fmt.Println("missing:", err)
}
