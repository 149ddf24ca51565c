package scan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const modulePolicy = `
variable "bucket" { type = string }
resource "aws_iam_policy" "p" {
  name   = "p-${var.bucket}"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::fixed" }] })
}
`

// TestDedupe: a module called twice reports the same defect at the same
// place once.
func TestDedupe(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "mod"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "mod"), "main.tf", modulePolicy)
	write(t, dir, "main.tf", `
module "a" {
  source = "./mod"
  bucket = "a"
}
module "b" {
  source = "./mod"
  bucket = "b"
}
`)
	res := Run(Options{Paths: []string{dir}, Rules: rules.All()})
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "S3L010" {
		t.Fatalf("want one S3L010 finding, got %+v", res.Findings)
	}
}

// TestPanickingRule: a rule that panics becomes an input error naming the
// rule, and the other rules still report.
func TestPanickingRule(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "main.tf", strings.ReplaceAll(modulePolicy, "${var.bucket}", "x"))
	boom := &rules.Def{M: rules.Meta{ID: "S3L999", Name: "boom", Title: "panics", Severity: rules.Error, Doc: "d"},
		Run: func(*rules.Pass) error { panic("boom") }}
	failing := &rules.Def{M: rules.Meta{ID: "S3L998", Name: "fails", Title: "fails", Severity: rules.Error, Doc: "d"},
		Run: func(*rules.Pass) error { return errors.New("cannot run") }}
	res := Run(Options{Paths: []string{dir}, Rules: append([]rules.Rule{boom, failing}, rules.All()...)})
	var msgs []string
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			msgs = append(msgs, d.Message)
			// The stack is for --debug: it names where the panic happened,
			// and stays out of the message, which reports print.
			if strings.Contains(d.Message, "S3L999") && !strings.Contains(d.Detail, "scan_test.go") {
				t.Errorf("the panic's Detail lacks the stack of the panic: %q", d.Detail)
			}
		}
	}
	want := "internal error while running rule S3L999: boom\ninternal error in rule S3L998: cannot run"
	if got := strings.Join(msgs, "\n"); got != want {
		t.Errorf("error diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if len(res.Findings) != 1 {
		t.Errorf("the other rules should still report: %+v", res.Findings)
	}
}

// TestDeterministicOrder: findings come sorted by file, line, column, rule.
func TestDeterministicOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b.tf", `resource "aws_iam_policy" "b" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:Nope"], Resource = "arn:aws:s3:::acme-x" }] })
}`)
	write(t, dir, "a.tf", `resource "aws_iam_policy" "a" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::acme-x/*" }] })
}`)
	first := Run(Options{Paths: []string{dir}, Rules: rules.All()})
	var got []string
	for _, f := range first.Findings {
		got = append(got, filepath.Base(f.Range.File)+" "+f.RuleID)
	}
	want := "a.tf S3L011,b.tf S3L013,b.tf S3L010"
	if strings.Join(got, ",") != want {
		t.Errorf("order %v, want %s", got, want)
	}
	for range 5 {
		again := Run(Options{Paths: []string{dir}, Rules: rules.All()})
		for i := range again.Findings {
			if again.Findings[i].Fingerprint != first.Findings[i].Fingerprint || again.Findings[i].Message != first.Findings[i].Message {
				t.Fatalf("run differs: %+v vs %+v", again.Findings[i], first.Findings[i])
			}
		}
	}
}

// TestPolicyProblems: a defect of shape in a policy document is a warning at
// its place, once however often the document is evaluated, and the rest of
// the document is still checked.
func TestPolicyProblems(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "main.tf", `resource "aws_iam_policy" "p" {
  count  = 2
  policy = jsonencode({ Statement = [
    { Effect = "allow", Action = { s3 = "GetObject" }, Resource = "arn:aws:s3:::acme-x/*" },
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-x" },
  ] })
}
`)
	res := Run(Options{Paths: []string{dir}, Rules: rules.All()})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, fmt.Sprintf("%s %d:%d %s", d.Severity, d.Range.Start.Line, d.Range.Start.Col, d.Message))
	}
	want := []string{
		`warning 4:16 policy: Effect must be "Allow" or "Deny", not "allow" (IAM rejects this document; s3lint reads the rest)`,
		`warning 4:34 policy: Action must be a string or a list of strings, not an object (IAM rejects this document; s3lint reads the rest)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "S3L010" {
		t.Errorf("want the S3L010 of the second statement, got %+v", res.Findings)
	}
}

// TestMentions: every file a loader reads is in the graph's Mentions, with
// whether its text has the word s3lint, so that suppressions are not
// looked for in the others.
func TestMentions(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "mod"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "main.tf", "module \"m\" {\n  source = \"./mod\"\n}\n")
	write(t, filepath.Join(dir, "mod"), "main.tf", `resource "aws_iam_policy" "p" {
  # s3lint:ignore S3L010 the module's own reason
  policy = file("${path.module}/policy.json")
}
`)
	write(t, filepath.Join(dir, "mod"), "policy.json", `{"Version": "2012-10-17", "Statement": []}`)
	write(t, dir, "stack.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      s3lint: {}\n")
	write(t, dir, "settings.yaml", "name: not a template\n")
	write(t, dir, "README.md", "s3lint\n")
	res := Run(Options{Paths: []string{dir}, Rules: rules.All()})
	got := map[string]bool{}
	for name, mentions := range res.Graph.Mentions {
		rel, err := filepath.Rel(dir, name)
		if err != nil {
			t.Fatal(err)
		}
		got[filepath.ToSlash(rel)] = mentions
	}
	want := map[string]bool{"main.tf": false, "mod/main.tf": true, "mod/policy.json": false, "stack.yaml": true, "settings.yaml": false}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("mentions\n got %v\nwant %v", got, want)
	}
}
