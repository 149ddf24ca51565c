package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/baseline"
	"github.com/s3lint/s3lint/internal/sarifschema"
	"github.com/s3lint/s3lint/report"
)

// TestSuppressFormats pins every format for a project with its own
// .s3lint.yaml (a severity override and an exclude), suppressions in
// Terraform comments and template Metadata, an expired suppression and an
// unused one.
func TestSuppressFormats(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"text", []string{"--format", "text"}},
		{"show-suppressed.text", []string{"--format", "text", "--show-suppressed"}},
		{"json", []string{"--format", "json"}},
		{"sarif", []string{"--format", "sarif"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"scan"}, tc.args...), "testdata/suppress")
			code, out, errOut := cli(t, args...)
			if code != exitFindings {
				t.Errorf("exit code %d, want %d (two findings are not suppressed)", code, exitFindings)
			}
			checkGolden(t, "suppress."+tc.name+".golden", out)
			wantErr := "testdata/suppress/main.tf:25:3: note: s3lint:ignore S3L010 expired on 2020-01-01 and no longer applies\n" +
				"testdata/suppress/main.tf:29:1: note: s3lint:ignore S3L011 matches no finding; remove it\n"
			if errOut != wantErr {
				t.Errorf("stderr:\n%s\nwant\n%s", errOut, wantErr)
			}
			if strings.Contains(out, "vendor") {
				t.Errorf("a finding of the excluded vendor directory is reported:\n%s", out)
			}
			if tc.name == "sarif" {
				if err := sarifschema.Validate([]byte(out)); err != nil {
					t.Errorf("SARIF output is not valid: %v", err)
				}
			}
		})
	}
}

// TestSuppressedDoNotFail: with every finding suppressed the exit code is 0.
func TestSuppressedDoNotFail(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "main.tf", `resource "aws_iam_policy" "p" { # s3lint:ignore S3L010 read through the replica
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data" }] })
}
`)
	code, out, errOut := cli(t, "scan", "--fail-on", "note", dir)
	if code != exitOK || out != "no findings; 1 suppressed\n" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestSuppressionErrors: a suppression without a reason or with an unknown
// rule is an input error (exit 2) at its place, and suppresses nothing.
func TestSuppressionErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "main.tf", `resource "aws_iam_policy" "p" {
  name   = "p"
  # s3lint:ignore S3L010
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data" }] })
}
# s3lint:ignore-file S3L01 everything
`)
	code, out, errOut := cli(t, "scan", dir)
	if code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	if !strings.Contains(out, "error S3L010") {
		t.Errorf("the finding should still be reported:\n%s", out)
	}
	for _, want := range []string{
		filepath.Join(dir, "main.tf") + ":3:3: error: s3lint:ignore: s3lint:ignore needs a reason after the rule IDs; it suppresses nothing",
		filepath.Join(dir, "main.tf") + ":6:1: error: s3lint:ignore-file: unknown rule S3L01 (see s3lint rules); it suppresses nothing",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const readerTF = `resource "aws_iam_policy" "NAME" {
  name   = "NAME"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data" }] })
}
`

func reader(name string) string { return strings.ReplaceAll(readerTF, "NAME", name) }

// TestConfigFile: the file is found above the scanned directory; its
// var-files are relative to it; flags win over it; --config names another
// file and --no-config ignores it.
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, ".s3lint.yaml", `fail-on: error
var-files: [env/prod.tfvars]
rules:
  S3L010: warning
`)
	writeFile(t, dir, "env/prod.tfvars", `bucket = "from-config"`)
	writeFile(t, dir, "app/main.tf", `variable "bucket" {
  type = string
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.bucket}" }] })
}
`)
	writeFile(t, dir, "strict.yaml", "rules:\n  S3L010: error\n")
	app := filepath.Join(dir, "app")

	// The warning does not fail with fail-on: error from the file.
	code, out, _ := cli(t, "scan", app)
	if code != exitOK || !strings.Contains(out, "warning S3L010") || !strings.Contains(out, "arn:aws:s3:::from-config") {
		t.Errorf("with the file: exit %d, output %q", code, out)
	}
	// A flag wins over the file.
	if code, _, _ := cli(t, "scan", "--fail-on", "warning", app); code != exitFindings {
		t.Errorf("--fail-on warning: exit %d, want %d", code, exitFindings)
	}
	// --var-file comes after the file's var-files, so its values win.
	writeFile(t, dir, "other.tfvars", `bucket = "from-flag"`)
	if _, out, _ := cli(t, "scan", "--var-file", filepath.Join(dir, "other.tfvars"), app); !strings.Contains(out, "arn:aws:s3:::from-flag") {
		t.Errorf("--var-file: output %q", out)
	}
	// --config replaces the file found.
	code, out, _ = cli(t, "scan", "--config", filepath.Join(dir, "strict.yaml"), app)
	if code != exitOK || !strings.Contains(out, "no findings") {
		// strict.yaml sets no var-files: the bucket is unknown.
		t.Errorf("--config: exit %d, output %q", code, out)
	}
	// --no-config: defaults.
	if code, out, _ := cli(t, "scan", "--no-config", "--var", "bucket=acme-x", app); code != exitFindings || !strings.Contains(out, "error S3L010") {
		t.Errorf("--no-config: exit %d, output %q", code, out)
	}
	if code, _, errOut := cli(t, "scan", "--config", filepath.Join(dir, "missing.yaml"), app); code != exitError || !strings.Contains(errOut, "missing.yaml: error: cannot read the configuration") {
		t.Errorf("a missing --config: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := cli(t, "scan", "--config", "x.yaml", "--no-config", app); code != exitError || !strings.Contains(errOut, "exclude each other") {
		t.Errorf("--config with --no-config: exit %d, stderr %q", code, errOut)
	}
}

// TestConfigErrors: every problem of the file is reported with its line
// and column, and nothing is scanned.
func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, ".s3lint.yaml", `rules:
  S3L999: off
  S3L010: loud
exclude: vendor/**
failon: error
`)
	writeFile(t, dir, "main.tf", reader("p"))
	code, out, errOut := cli(t, "scan", dir)
	if code != exitError || out != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing scanned", code, out)
	}
	cfg := filepath.Join(dir, ".s3lint.yaml")
	want := cfg + `:2:3: error: rules: unknown rule "S3L999" (see s3lint rules)` + "\n" +
		cfg + `:3:11: error: rules: S3L010: "loud" is not on, off, error, warning or note` + "\n" +
		cfg + `:4:10: error: exclude: want a list` + "\n" +
		cfg + `:5:1: error: unknown key "failon"; did you mean "fail-on"? (want rules, fail-on, exclude, var-files, parameters, baseline, expect)` + "\n"
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant\n%s", errOut, want)
	}
}

// TestBaseline: a baseline accepts today's findings, survives lines added
// above them, lets a new finding through, and notes entries that no longer
// match.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "main.tf", reader("a")+reader("b"))
	file := filepath.Join(dir, "s3lint-baseline.json")
	code, out, errOut := cli(t, "baseline", "write", file, dir)
	if code != exitOK || out != "wrote 2 findings to "+file+"\n" || errOut != "" {
		t.Fatalf("baseline write: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	b, err := baseline.Read(file)
	if err != nil || len(b.Findings) != 2 || b.Findings[0].Resource != "aws_iam_policy.a" || !strings.HasSuffix(b.Findings[0].File, "/main.tf") {
		t.Fatalf("baseline %+v, %v", b, err)
	}

	code, out, _ = cli(t, "scan", "--baseline", file, dir)
	if code != exitOK || out != "no findings; 2 suppressed\n" {
		t.Errorf("same findings: exit %d, output %q", code, out)
	}
	// Lines above both, and a new finding below.
	writeFile(t, dir, "main.tf", "# a comment\n\nlocals {\n  x = 1\n}\n\n"+reader("a")+"\n"+reader("b")+reader("c"))
	code, out, _ = cli(t, "scan", "--baseline", file, dir)
	if code != exitFindings || strings.Count(out, "error S3L010") != 1 || !strings.Contains(out, "[aws_iam_policy.c]") ||
		!strings.HasSuffix(out, "1 finding (1 error) in 1 file; 2 suppressed\n") {
		t.Errorf("after edits: exit %d, output %q", code, out)
	}
	_, out, _ = cli(t, "scan", "--baseline", file, "--show-suppressed", dir)
	if !strings.Contains(out, "[aws_iam_policy.a]\n    note: suppressed in the baseline "+filepath.ToSlash(file)+"\n") {
		t.Errorf("--show-suppressed does not show the baseline:\n%s", out)
	}
	_, out, _ = cli(t, "scan", "--baseline", file, "--format", "json", dir)
	var rep report.JSONReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Suppressed) != 2 || rep.Suppressed[0].Suppression.Kind != "external" {
		t.Errorf("JSON suppressed: %+v", rep.Suppressed)
	}
	// Fix a: its entry is stale, which is a note.
	writeFile(t, dir, "main.tf", reader("b"))
	code, out, errOut = cli(t, "scan", "--baseline", file, dir)
	if code != exitOK || out != "no findings; 1 suppressed\n" ||
		errOut != filepath.ToSlash(file)+": note: 1 of the baseline's findings are no longer found; s3lint baseline write "+filepath.ToSlash(file)+" drops them\n" {
		t.Errorf("after a fix: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// baseline: in the configuration.
	writeFile(t, dir, "main.tf", reader("b")+reader("d"))
	writeFile(t, dir, ".s3lint.yaml", "baseline: s3lint-baseline.json\n")
	if code, out, _ := cli(t, "scan", dir); code != exitFindings || strings.Count(out, "error S3L010") != 1 || !strings.Contains(out, "[aws_iam_policy.d]") {
		t.Errorf("baseline from the configuration: exit %d, output %q", code, out)
	}
}

// TestBaselineGolden pins the baseline of the project: sorted, without
// line numbers, file names relative to the repository root.
func TestBaselineGolden(t *testing.T) {
	file := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, errOut := cli(t, "baseline", "write", file, "testdata/project"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "project.baseline.golden", string(got))
}

func TestBaselineUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "bad.json", `{"version": 1, "findings": [}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--baseline", filepath.Join(dir, "missing.json"), "testdata/warn"}, "cannot read the baseline"},
		{[]string{"scan", "--baseline", filepath.Join(dir, "bad.json"), "testdata/warn"}, "bad.json:1:29: not a baseline"},
		{[]string{"baseline", "write"}, "requires at least 1 arg"},
		{[]string{"baseline", "write", filepath.Join(dir, "no", "such", "dir.json"), "testdata/warn"}, "no such file or directory"},
	} {
		code, _, errOut := cli(t, tc.args...)
		if code != exitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestAccessReadsConfig: explain and access read the configuration file
// too (its excludes, var-files and parameters), and ignore suppressions.
func TestAccessReadsConfig(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, ".s3lint.yaml", "exclude: [old]\n")
	writeFile(t, dir, "old/main.tf", "broken {\n")
	writeFile(t, dir, "main.tf", "# s3lint:ignore S3L010\n"+reader("p"))
	if code, _, errOut := cli(t, "access", dir); code != exitOK || errOut != "" {
		t.Errorf("with the configuration: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := cli(t, "access", "--no-config", dir); code != exitError || !strings.Contains(errOut, "old/main.tf") {
		t.Errorf("--no-config: exit %d, stderr %q; want the broken file read", code, errOut)
	}
}
