package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// s3lint is a short batch program that allocates gigabytes of short-lived
// syntax and values on a large repository. Go collects whenever the heap
// doubles, which costs a fifth of such a run; a fixed higher GOGC would make
// memory grow without bound on a huge repository, and a soft memory limit
// makes a repository whose graph alone outgrows it crawl (the collector then
// runs constantly). So s3lint sets GOGC after every collection: as high as
// keeps the next heap under memoryTarget, between 100 (Go's default) and
// 400. docs/performance.md has the measurements. GOGC or GOMEMLIMIT in the
// environment turn this off.
const (
	memoryTarget = 640 << 20
	minGCPercent = 100
	maxGCPercent = 400
)

func tuneMemory() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcPercentFor(0))
	armGCHook()
}

// gcPercentFor is the GOGC that lets a heap with live bytes grow to
// memoryTarget before the next collection, within the bounds.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return maxGCPercent
	}
	if live >= memoryTarget/2 {
		return minGCPercent
	}
	return min(maxGCPercent, max(minGCPercent, int((memoryTarget-live)*100/live)))
}

// gcSentinel is garbage as soon as it is made; its finalizer runs after
// the collection that finds it, and arms the next one.
type gcSentinel struct{ _ [64]byte }

func armGCHook() {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		debug.SetGCPercent(gcPercentFor(liveHeap()))
		armGCHook()
	})
}

// liveHeap is the heap the last collection found reachable.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
