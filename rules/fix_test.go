package rules_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

// TestNoFixOutsideSources checks over the rule fixtures that plans and
// Terraform JSON never get a fix, and that the rules which fix something
// fix some of their fixtures.
func TestNoFixOutsideSources(t *testing.T) {
	fixed := map[string]int{}
	for _, id := range []string{"S3L010", "S3L011", "S3L013", "S3L043"} {
		res := scan.Run(scan.Options{Paths: []string{filepath.Join(fixturesDir, id)}, Rules: rules.All()})
		for _, f := range res.Findings {
			if f.Fix == nil {
				continue
			}
			fixed[f.RuleID]++
			file := filepath.ToSlash(f.Range.File)
			if strings.HasSuffix(file, ".tf.json") || strings.Contains(file, "/plan/") {
				t.Errorf("%s at %s has a fix: %s", f.RuleID, f.Range, f.Fix.Description)
			}
			for _, e := range f.Fix.Edits {
				if e.Range.File != f.Range.File {
					t.Errorf("%s at %s edits another file, %s", f.RuleID, f.Range, e.Range.File)
				}
			}
		}
	}
	for _, id := range []string{"S3L010", "S3L011", "S3L013", "S3L043"} {
		if fixed[id] == 0 {
			t.Errorf("no finding of %s has a fix", id)
		}
	}
}
