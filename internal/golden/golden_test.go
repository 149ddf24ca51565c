package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.errors = append(r.errors, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) {
	r.errors, r.fatal = append(r.errors, fmt.Sprintf(f, a...)), true
}
func (r *recorder) Fatal(a ...any) { r.errors, r.fatal = append(r.errors, fmt.Sprint(a...)), true }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.golden")
	r := &recorder{TB: t}
	Check(r, path, []byte("one\n"), false, "go test -update")
	if !r.fatal {
		t.Errorf("a missing golden file passed")
	}
	r = &recorder{TB: t}
	Check(r, path, []byte("one\n"), true, "go test -update")
	if b, err := os.ReadFile(path); err != nil || string(b) != "one\n" || len(r.errors) > 0 {
		t.Errorf("update wrote %q, %v; failures %q", b, err, r.errors)
	}
	Check(r, path, []byte("one\n"), false, "go test -update")
	if len(r.errors) > 0 {
		t.Errorf("the same output failed: %q", r.errors)
	}
	Check(r, path, []byte("two\n"), false, "go test -update")
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "differs") {
		t.Errorf("other output: failures %q, want one that says it differs", r.errors)
	}
}
