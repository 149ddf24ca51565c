package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/baseline"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

const objectOnBucketDoc = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::acme-docs"
  }]
}
`

// TestPolicyDocuments: a policy document kept in a JSON file of its own is
// judged by the statement rules, its defects of shape are warnings, its
// findings keep their fingerprints however the scan path is written, and
// the baseline and the exclude patterns apply to it.
func TestPolicyDocuments(t *testing.T) {
	dir := filepath.ToSlash(t.TempDir())
	if err := os.Mkdir(filepath.Join(dir, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "policies/read.json", objectOnBucketDoc)
	write(t, dir, "policies/typo.json", `{"Version": "2012-10-17", "Statements": [], "Statement": []}`)
	// The bucket the document names is in the graph: the document is still
	// attached to nothing, and no graph rule counts it in.
	write(t, dir, "main.tf", `
resource "aws_s3_bucket" "docs" { bucket = "acme-docs" }
`)
	run := func(paths []string, o Options) *Result {
		o.Paths, o.Rules, o.SrcRoot = paths, rules.All(), dir
		return Run(o)
	}
	res := run([]string{dir}, Options{})
	if len(res.Findings) != 1 {
		t.Fatalf("findings %+v", res.Findings)
	}
	f := res.Findings[0]
	if f.RuleID != "S3L010" || f.Resource != "read.json" || f.Range.File != dir+"/policies/read.json" ||
		f.Range.Start.Line != 6 || f.Range.Start.Col != 17 {
		t.Errorf("finding %s %s at %v", f.RuleID, f.Resource, f.Range)
	}
	var warned bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			t.Errorf("input error %s: %s", d.Range, d.Message)
		}
		warned = warned || d.Severity == graph.DiagWarning && strings.HasSuffix(d.Range.File, "typo.json") &&
			strings.Contains(d.Message, `unknown policy element "Statements"`)
	}
	if !warned {
		t.Errorf("no warning about the typo: %+v", res.Diagnostics)
	}
	var docs int
	for _, p := range res.Graph.Policies {
		if p.Kind == graph.StandalonePolicy {
			docs++
		}
	}
	if docs != 2 {
		t.Errorf("%d stand-alone documents in the graph", docs)
	}

	for _, paths := range [][]string{{dir + "/policies"}, {dir + "/policies/read.json"}, {dir + "/./policies/../policies/"}} {
		again := run(paths, Options{})
		if len(again.Findings) != 1 || again.Findings[0].Fingerprint != f.Fingerprint {
			t.Errorf("scan of %q: findings %+v, want fingerprint %s", paths, again.Findings, f.Fingerprint)
		}
	}

	base := baseline.New(res.Findings, dir)
	if got := run([]string{dir}, Options{Baseline: base, BaselineName: "b.json"}); len(got.Findings) != 0 || len(got.Suppressed) != 1 {
		t.Errorf("with the baseline: %d findings, %d suppressed", len(got.Findings), len(got.Suppressed))
	}
	exclude := func(p string) bool { return strings.HasSuffix(filepath.ToSlash(p), "/policies") }
	if got := run([]string{dir}, Options{Exclude: exclude}); len(got.Findings) != 0 {
		t.Errorf("excluded: findings %+v", got.Findings)
	}
}

// TestPolicyDocumentReadByTerraform: a document that a Terraform policy
// reads with file() is that policy (here a bucket policy, which S3
// rejects), not a stand-alone document as well.
func TestPolicyDocumentReadByTerraform(t *testing.T) {
	dir := filepath.ToSlash(t.TempDir())
	if err := os.Mkdir(filepath.Join(dir, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "policies/bucket.json", strings.Replace(objectOnBucketDoc, `"Effect": "Allow",`,
		`"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},`, 1))
	write(t, dir, "policies/other.json", objectOnBucketDoc)
	write(t, dir, "main.tf", `
resource "aws_s3_bucket" "docs" { bucket = "acme-docs" }
resource "aws_s3_bucket_policy" "docs" {
  bucket = aws_s3_bucket.docs.id
  policy = file("${path.module}/policies/bucket.json")
}
`)
	res := Run(Options{Paths: []string{dir}, Rules: rules.All()})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.RuleID+" "+filepath.Base(f.Range.File)+" "+f.Resource)
		if f.Resource == "aws_s3_bucket_policy.docs" && !strings.Contains(f.Message, "S3 rejects this bucket policy") {
			t.Errorf("message %q", f.Message)
		}
	}
	want := []string{"S3L010 bucket.json aws_s3_bucket_policy.docs", "S3L010 other.json other.json"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var docs []string
	for _, p := range res.Graph.Policies {
		if p.Kind == graph.StandalonePolicy {
			docs = append(docs, p.Address)
		}
	}
	if len(docs) != 1 || docs[0] != "other.json" {
		t.Errorf("stand-alone documents %q", docs)
	}
}

// TestBrokenPolicyDocumentReadByTerraform: a broken document that a
// Terraform policy reads is reported once, by Terraform, as that policy;
// a broken document nobody reads is the stand-alone loader's error.
func TestBrokenPolicyDocumentReadByTerraform(t *testing.T) {
	dir := filepath.ToSlash(t.TempDir())
	if err := os.Mkdir(filepath.Join(dir, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(objectOnBucketDoc, `"Effect": "Allow",`, `"Effect": "Allow",,`, 1)
	write(t, dir, "policies/read.json", broken)
	write(t, dir, "policies/alone.json", broken)
	write(t, dir, "main.tf", `
resource "aws_iam_policy" "read" {
  name   = "read"
  policy = file("${path.module}/policies/read.json")
}
`)
	res := Run(Options{Paths: []string{dir}, Rules: rules.All()})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, fmt.Sprintf("%s %s %s", filepath.Base(d.File), d.Severity, d.Message))
	}
	want := []string{
		"alone.json error this IAM policy document is not valid JSON: unexpected ',', expected a string key",
		"read.json warning policy: not valid JSON: unexpected ',', expected a string key (AWS rejects this document)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
