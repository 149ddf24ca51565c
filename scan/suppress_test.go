package scan

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/baseline"
	"github.com/s3lint/s3lint/config"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

func writeAll(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func today() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }

func known(id string) bool {
	for _, r := range rules.All() {
		if r.Meta().ID == id {
			return true
		}
	}
	return false
}

// summary lists findings as "file:line RULE" relative to dir.
func summary(dir string, fs []rules.Finding) []string {
	var out []string
	for _, f := range fs {
		rel, _ := filepath.Rel(dir, f.Range.File)
		out = append(out, filepath.ToSlash(rel)+":"+strconv.Itoa(f.Range.Start.Line)+" "+f.RuleID+" "+f.Severity.String())
	}
	return out
}

const readerPolicy = `resource "aws_iam_policy" "%s" {
  name   = "%s"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::fixed" }] })
}
`

func policyNamed(name string) string { return strings.ReplaceAll(readerPolicy, "%s", name) }

// TestSuppressModules loads real Terraform: a comment above a module call
// covers the findings in every file of that module instance, and not those
// of another call of the same module.
func TestSuppressModules(t *testing.T) {
	dir := t.TempDir()
	writeAll(t, dir, map[string]string{
		"root/main.tf": `# s3lint:ignore S3L010 the vendored module is fixed upstream
module "vendored" {
  source = "../modules/reader"
}

module "ours" {
  source = "../modules/reader"
  name   = "ours"
}
`,
		"modules/reader/main.tf": `variable "name" {
  type    = string
  default = "vendored"
}
resource "aws_iam_policy" "p" {
  name   = var.name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.name}" }] })
}
`,
	})
	res := Run(Options{Paths: []string{dir}, Rules: rules.All(), KnownRule: known, Now: today})
	if len(res.Findings) != 1 || res.Findings[0].Resource != "module.ours.aws_iam_policy.p" {
		t.Errorf("findings %+v, want only module.ours's", res.Findings)
	}
	if len(res.Suppressed) != 1 || res.Suppressed[0].Resource != "module.vendored.aws_iam_policy.p" ||
		res.Suppressed[0].Suppression.Justification != "the vendored module is fixed upstream" {
		t.Errorf("suppressed %+v, want module.vendored's", res.Suppressed)
	}
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "s3lint:ignore") {
			t.Errorf("unexpected diagnostic %s", d.Message)
		}
	}
}

// TestSuppressTemplate: comments and Metadata in a real template.
func TestSuppressTemplate(t *testing.T) {
	dir := t.TempDir()
	writeAll(t, dir, map[string]string{"stack.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reader:
    Type: AWS::IAM::Policy
    Metadata:
      s3lint:
        ignore:
          - id: S3L011
            reason: listing is done by another role
    Properties:
      PolicyName: reader
      Roles: [reader]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject # s3lint:ignore S3L010 exp:2020-01-01 expired long ago
            Resource: arn:aws:s3:::fixed
          - Effect: Allow
            Action: s3:ListBucket
            Resource: arn:aws:s3:::fixed/*
`})
	res := Run(Options{Paths: []string{dir}, Rules: rules.All(), KnownRule: known, Now: today})
	if got := summary(dir, res.Findings); strings.Join(got, ",") != "stack.yaml:17 S3L010 error" {
		t.Errorf("findings %q", got)
	}
	if len(res.Suppressed) != 1 || res.Suppressed[0].RuleID != "S3L011" {
		t.Errorf("suppressed %+v", res.Suppressed)
	}
	var notes []string
	for _, d := range res.Diagnostics {
		notes = append(notes, d.Severity.String()+": "+d.Message)
	}
	if strings.Join(notes, "\n") != "note: s3lint:ignore S3L010 expired on 2020-01-01 and no longer applies" {
		t.Errorf("diagnostics %q", notes)
	}
}

// TestExcludeAndSeverity: excluded directories are not loaded, excluded
// files called as modules are loaded but their findings dropped, and
// severity overrides apply to every finding of a rule.
func TestExcludeAndSeverity(t *testing.T) {
	dir := t.TempDir()
	writeAll(t, dir, map[string]string{
		".s3lint.yaml": `rules:
  S3L010: warning
exclude:
  - legacy/**
  - "**/vendor"
`,
		"app/main.tf": policyNamed("app") + `module "v" {
  source = "./vendor/m"
}
`,
		"app/vendor/m/main.tf": policyNamed("vendored"),
		"legacy/main.tf":       policyNamed("legacy") + "broken {",
		"legacy/stack.yaml":    "AWSTemplateFormatVersion: 2010-09-09\nResources: [",
	})
	c, err := config.Load(filepath.Join(dir, ".s3lint.yaml"), func(s string) (string, bool) { return s, known(s) })
	if err != nil {
		t.Fatal(err)
	}
	res := Run(Options{Paths: []string{dir}, Rules: c.Enabled(rules.All()), Exclude: c.Excluded, Severity: c.Severities(),
		KnownRule: known, Now: today})
	if got := summary(dir, res.Findings); strings.Join(got, ",") != "app/main.tf:3 S3L010 warning" {
		t.Errorf("findings %q, want app's only, as a warning", got)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("unexpected diagnostic (excluded files are not read): %s %s", d.Range, d.Message)
	}
}

// TestBaselineSurvivesEdits: a baseline written today suppresses the same
// findings after lines are added above them and a new finding appears.
func TestBaselineSurvivesEdits(t *testing.T) {
	dir := t.TempDir()
	writeAll(t, dir, map[string]string{"main.tf": policyNamed("a") + policyNamed("b")})
	opts := Options{Paths: []string{dir}, Rules: rules.All(), SrcRoot: dir, KnownRule: known, Now: today}
	first := Run(opts)
	if len(first.Findings) != 2 {
		t.Fatalf("want 2 findings, got %+v", first.Findings)
	}
	b := baseline.New(first.Findings, dir)
	name := filepath.Join(dir, "s3lint-baseline.json")
	if err := b.WriteFile(name); err != nil {
		t.Fatal(err)
	}
	read, err := baseline.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, dir, map[string]string{"main.tf": "# unrelated\nlocals {\n  x = 1\n}\n\n" +
		policyNamed("a") + "\n" + policyNamed("b") + policyNamed("c")})
	opts.Baseline, opts.BaselineName = read, "s3lint-baseline.json"
	res := Run(opts)
	if got := summary(dir, res.Findings); strings.Join(got, ",") != "main.tf:17 S3L010 error" {
		t.Errorf("findings %q, want only the new one", got)
	}
	if got := summary(dir, suppressedFindings(res.Suppressed)); strings.Join(got, ",") != "main.tf:8 S3L010 error,main.tf:13 S3L010 error" {
		t.Errorf("suppressed %q, want the two moved ones", got)
	}
	for _, s := range res.Suppressed {
		if s.Suppression.Kind != rules.External || s.Suppression.Justification != "in the baseline s3lint-baseline.json" {
			t.Errorf("suppression %+v", s.Suppression)
		}
	}
	// Fix one: the baseline has a stale entry, which is a note.
	writeAll(t, dir, map[string]string{"main.tf": policyNamed("a")})
	res = Run(opts)
	if len(res.Findings) != 0 || len(res.Suppressed) != 1 {
		t.Errorf("findings %+v, suppressed %+v", res.Findings, res.Suppressed)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Severity != graph.DiagNote ||
		res.Diagnostics[0].Message != "1 of the baseline's findings are no longer found; s3lint baseline write s3lint-baseline.json drops them" {
		t.Errorf("diagnostics %+v", res.Diagnostics)
	}
}

func suppressedFindings(ss []rules.SuppressedFinding) []rules.Finding {
	var out []rules.Finding
	for _, s := range ss {
		out = append(out, s.Finding)
	}
	return out
}
