// Package golden compares test output with a golden file of the expected
// output, or rewrites the file when the test runs with -update: the one
// way the output-format, fixture, command and bad-input tests keep their
// expectations.
package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Check compares got with the file at path; with update it writes got to
// the file instead. rerun is the command that rewrites the file, for the
// messages ("go test ./report -update").
func Check(t testing.TB, path string, got []byte, update bool, rerun string) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run %s to create it)", err, rerun)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; run %s if intended, and review the diff):\n%s", path, rerun, diff)
	}
}
