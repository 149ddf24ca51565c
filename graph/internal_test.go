package graph

import (
	"strings"
	"testing"
)

type stacked struct{ v any }

func (s stacked) PanicValue() any    { return s.v }
func (s stacked) PanicStack() []byte { return []byte("the other goroutine's stack") }

func TestInternalError(t *testing.T) {
	var d Diagnostic
	func() {
		defer func() { d = InternalError("a.tf", "reading this file", recover()) }()
		panic("index out of range")
	}()
	if d.Severity != DiagError || d.File != "a.tf" || d.Message != "internal error while reading this file: index out of range" {
		t.Errorf("got %+v", d)
	}
	// The stack shows where the panic happened: in this test.
	if !strings.Contains(d.Detail, "internal_test.go") {
		t.Errorf("Detail lacks the panic's frame:\n%s", d.Detail)
	}

	// A panic re-raised on another goroutine keeps its first value and stack,
	// however often it was wrapped.
	d = InternalError("", "running rule S3L001", stacked{stacked{"boom"}})
	if d.Message != "internal error while running rule S3L001: boom" || d.Detail != "the other goroutine's stack" {
		t.Errorf("got %+v", d)
	}
}
