package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/s3lint/s3lint/rules"
)

// TestDocsInSync keeps docs/rules/<ID>.md equal to the rule definitions
// (run go test ./rules -update to rewrite them), so the helpUri in SARIF
// always points at current documentation.
func TestDocsInSync(t *testing.T) {
	dir := filepath.Join("..", "docs", "rules")
	want := map[string]bool{}
	for _, r := range rules.All() {
		m := r.Meta()
		name := m.ID + ".md"
		want[name] = true
		path := filepath.Join(dir, name)
		doc := rules.Markdown(m)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run go test ./rules -update)", err)
			continue
		}
		if string(got) != doc {
			t.Errorf("%s is out of date with the definition of %s (run go test ./rules -update)", path, m.ID)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("docs/rules/%s documents no rule", e.Name())
		}
	}
}
