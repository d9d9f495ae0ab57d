// fswalk walks the tree named by its argument, reads every regular file
// and prints the files and bytes read and the nanoseconds it took.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

func main() {
	start := time.Now()
	var files, bytes int64
	err := filepath.WalkDir(os.Args[1], func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			bytes += int64(len(b))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(files, bytes, time.Since(start).Nanoseconds())
}
