// Command floor is s3lint's parse floor: it reads and parses the files
// s3lint would read, with the same parsers, on every core, and does
// nothing else (see bench/internal/parsefloor). No linter built on these
// parsers can be faster; bench/run reports s3lint's time as a multiple of
// this one.
//
//	go run ./bench/floor [-j N] PATH...
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/s3lint/s3lint/bench/internal/parsefloor"
	"github.com/s3lint/s3lint/internal/parallel"
)

func main() {
	jobs := flag.Int("j", runtime.NumCPU(), "files parsed at once")
	flag.Parse()
	runtime.GOMAXPROCS(*jobs)
	start := time.Now()
	files := parsefloor.Walk(flag.Args())
	var bytes, failed atomic.Int64
	parallel.Each(len(files), func(i int) {
		n, ok := parsefloor.Parse(files[i])
		bytes.Add(int64(n))
		if !ok {
			failed.Add(1)
		}
	})
	fmt.Printf("%d files, %d bytes, %d did not parse, %.3f s\n",
		len(files), bytes.Load(), failed.Load(), time.Since(start).Seconds())
}
