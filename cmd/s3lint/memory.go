package main

import (
	"os"
	"runtime/debug"
)

// Garbage collection defaults for a short-lived batch program. Go collects
// whenever the heap doubles; s3lint allocates gigabytes of short-lived
// syntax and values on a large repository, and collecting that often costs
// a fifth of the run. It lets the heap triple instead, under a soft limit
// that keeps the process below 1 GiB (docs/performance.md has the
// measurements behind both numbers: a higher percentage under a lower limit
// made doubling the input more than double the time). GOGC and GOMEMLIMIT,
// when set, win: a repository whose graph alone outgrows the limit still
// runs, with more collections.
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = 900 << 20
)

func tuneMemory() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
