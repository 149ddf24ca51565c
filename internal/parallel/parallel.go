// Package parallel runs independent pieces of work on every core.
package parallel

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Each calls fn(0), …, fn(n-1) on up to GOMAXPROCS goroutines and returns
// when all calls have returned. Calls take indexes in increasing order, so
// results written to a slice at index i come out in input order whatever
// the scheduling. fn must be safe to run concurrently with itself.
//
// A panic in fn does not end the process from a goroutine nobody can
// recover: the remaining calls are skipped and Each panics in its caller's
// goroutine, as a loop would, with the first panic's value and stack.
func Each(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		failed  atomic.Bool
		panicMu sync.Mutex
		first   *Panic
	)
	for range workers {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					failed.Store(true)
					panicMu.Lock()
					if first == nil {
						first = &Panic{Value: v, Stack: debug.Stack()}
					}
					panicMu.Unlock()
				}
			}()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
	if first != nil {
		panic(first)
	}
}

// Panic is what Each panics with when fn panicked on another goroutine.
type Panic struct {
	Value any
	Stack []byte // of the goroutine that panicked
}

func (p *Panic) Error() string { return fmt.Sprintf("%v\n%s", p.Value, p.Stack) }

// PanicValue is the value the first failed call panicked with.
func (p *Panic) PanicValue() any { return p.Value }

// PanicStack is the stack of the goroutine that panicked first.
func (p *Panic) PanicStack() []byte { return p.Stack }
