package main

import (
	"bytes"
	"strings"
	"testing"
)

// brokenWriter panics on write: a bug outside the loaders and rules, which
// recover their own panics.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { panic("writer broke") }

// TestInternalErrorOutsideRecoveredWork: a panic anywhere still ends in a
// one-line message and exit code 2, and --debug adds the stack.
func TestInternalErrorOutsideRecoveredWork(t *testing.T) {
	const msg = "error: internal error while running s3lint: writer broke (please report it; --debug shows where)\n"
	for _, debug := range []bool{false, true} {
		args := []string{"scan", "../../examples/terraform/envs/prod"}
		if debug {
			args = append(args, "--debug")
		}
		var stderr bytes.Buffer
		code := run(args, brokenWriter{}, &stderr)
		if code != exitError {
			t.Errorf("debug=%v: exit code %d, want %d", debug, code, exitError)
		}
		got := stderr.String()
		if !strings.HasPrefix(got, msg) {
			t.Errorf("debug=%v: stderr starts %q, want %q", debug, got, msg)
		}
		// The stack names the frame that panicked.
		if hasStack := strings.Contains(got, "debug_test.go"); hasStack != debug {
			t.Errorf("debug=%v: stack printed: %v\n%s", debug, hasStack, got)
		}
	}
}
