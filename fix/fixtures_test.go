package fix_test

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/s3lint/s3lint/fix"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/golden"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

var update = flag.Bool("update", false, "rewrite fixtures/fix/*/*.golden")

const fixDir = "../fixtures/fix"

// TestFixFixtures fixes a copy of each directory of fixtures/fix, compares
// every file with FILE.golden (the expected text after the fix; a file
// without one must not change), and scans the result again: it must load
// without errors, the fixed findings must be gone, and every finding left
// must be one that had no fix.
func TestFixFixtures(t *testing.T) {
	entries, err := os.ReadDir(fixDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			t.Run(e.Name(), func(t *testing.T) { checkFix(t, filepath.Join(fixDir, e.Name())) })
		}
	}
}

func checkFix(t *testing.T, src string) {
	dir := filepath.Join(t.TempDir(), filepath.Base(src))
	copyDir(t, src, dir)
	before := scan.Run(scan.Options{Paths: []string{dir}, Rules: rules.All()})
	noInputErrors(t, "before", before)
	plan := fix.Prepare(before.Findings, []string{dir})
	for _, s := range plan.Skipped {
		t.Errorf("fix of %s at %s not applied: %s", s.Finding.RuleID, s.Finding.Range, s.Reason)
	}
	if len(plan.Fixed) == 0 {
		t.Fatal("no finding has a fix")
	}
	if err := plan.Write(); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".golden") || strings.HasSuffix(path, ".want") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		orig, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			return err
		}
		want := filepath.Join(src, rel+".golden")
		if _, err := os.Stat(want); err != nil && string(got) == string(orig) {
			return nil // unchanged, as a file without a golden must be
		}
		golden.Check(t, want, got, *update, "go test ./fix -update")
		if strings.HasSuffix(path, ".tf") {
			if _, diags := hclsyntax.ParseConfig(got, path, hcl.InitialPos); diags.HasErrors() {
				t.Errorf("%s does not parse after the fix: %s", rel, diags.Error())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	after := scan.Run(scan.Options{Paths: []string{dir}, Rules: rules.All()})
	noInputErrors(t, "after", after)
	// What is left must be exactly the findings that had no fix.
	left := map[string]int{}
	for _, f := range before.Findings {
		if f.Fix == nil {
			left[key(f)]++
		}
	}
	for _, f := range after.Findings {
		if left[key(f)] == 0 {
			t.Errorf("after the fix: %s at %s: %s", f.RuleID, f.Range, f.Message)
			continue
		}
		left[key(f)]--
	}
	for k, n := range left {
		if n > 0 {
			t.Errorf("a finding without a fix disappeared: %s", k)
		}
	}
}

// key identifies a finding across the line shifts of a fix.
func key(f rules.Finding) string {
	return fmt.Sprintf("%s %s %s %s", f.RuleID, filepath.Base(f.Range.File), f.Resource, f.Message)
}

func noInputErrors(t *testing.T, when string, res *scan.Result) {
	t.Helper()
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			t.Errorf("%s the fix: input error %s: %s", when, d.Range, d.Message)
		}
	}
}

// copyDir copies the files of a fixture directory, without the goldens.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(path, ".golden") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
