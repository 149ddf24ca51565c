package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 8} {
		prev := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 3, 100, 1000} {
			counts := make([]atomic.Int32, n)
			Each(n, func(i int) { counts[i].Add(1) })
			for i := range counts {
				if c := counts[i].Load(); c != 1 {
					t.Fatalf("GOMAXPROCS=%d n=%d: index %d called %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

func TestEachResultsInInputOrder(t *testing.T) {
	out := make([]int, 500)
	Each(len(out), func(i int) { out[i] = i * i })
	for i, v := range out {
		if v != i*i {
			t.Fatalf("out[%d] = %d", i, v)
		}
	}
}

// TestEachPanicsInCaller: a panic on a worker goroutine reaches the caller,
// which can recover it, with the original value.
func TestEachPanicsInCaller(t *testing.T) {
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	defer func() {
		v := recover()
		p, ok := v.(*Panic)
		if !ok || p.Value != "boom at 7" || len(p.Stack) == 0 {
			t.Fatalf("recovered %#v, want *Panic with the value and a stack", v)
		}
	}()
	Each(100, func(i int) {
		if i == 7 {
			panic("boom at 7")
		}
	})
	t.Fatal("Each returned normally")
}
