// stdin reads its standard input to the end while a goroutine goes on
// ticking: on GOOS=none every goroutine shares one thread, so a read that
// waited in the host would stop the ticks (os waits in the poller).
package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	go func() {
		for i := 0; i < 3; i++ {
			time.Sleep(20 * time.Millisecond)
			fmt.Println("tick", i)
		}
	}()
	b, err := io.ReadAll(os.Stdin)
	fmt.Printf("read %q, err %v\n", b, err)
}
