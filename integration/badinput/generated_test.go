package badinput

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/s3lint/s3lint/integration/internal/badcorpus"
)

// TestGenerated runs the generated cases; their goldens are
// testdata/bad/<name>.golden, with the temporary directory shown as $TMP.
func TestGenerated(t *testing.T) {
	for _, c := range badcorpus.Generated {
		t.Run(c.Name, func(t *testing.T) {
			tmp := t.TempDir()
			dir := filepath.Join(tmp, "case")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := c.Write(dir); errors.Is(err, badcorpus.ErrNoSymlinks) {
				t.Skip(err)
			} else if err != nil {
				t.Fatal(err)
			}
			runCase(t, c.Name, dir, tmp)
		})
	}
}
