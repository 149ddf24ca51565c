package graph

import (
	"fmt"
	"runtime/debug"
)

// StackedPanic is a panic value that carries the stack of the goroutine that
// panicked, for panics re-raised on another goroutine.
type StackedPanic interface {
	PanicValue() any
	PanicStack() []byte
}

// InternalError turns a recovered panic into an error diagnostic for file:
// "internal error while <doing>: <value>", with the stack as its Detail.
// Call it from the deferred function that recovered, so that the stack
// still shows where the panic happened.
func InternalError(file, doing string, v any) Diagnostic {
	stack := debug.Stack()
	for {
		sp, ok := v.(StackedPanic)
		if !ok {
			break
		}
		v, stack = sp.PanicValue(), sp.PanicStack()
	}
	return Diagnostic{Severity: DiagError, File: file,
		Message: fmt.Sprintf("internal error while %s: %v", doing, v), Detail: string(stack)}
}
