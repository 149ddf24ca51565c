package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/internal/sarifschema"
	"github.com/s3lint/s3lint/report"
	"github.com/s3lint/s3lint/rules"
)

// TestCIFormats pins the github and junit output for a small project.
func TestCIFormats(t *testing.T) {
	for _, format := range []string{"github", "junit"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := cli(t, "scan", "--format", format, "testdata/project")
			if code != exitFindings {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, exitFindings, errOut)
			}
			ext := map[string]string{"github": "txt", "junit": "xml"}[format]
			checkGolden(t, "project."+format+"."+ext+".golden", out)
		})
	}
}

// TestMultipleOutputs: one scan, SARIF and JUnit to files and text to
// standard output, each as it would be alone.
func TestMultipleOutputs(t *testing.T) {
	dir := t.TempDir()
	sarif, junit := filepath.Join(dir, "s3lint.sarif"), filepath.Join(dir, "s3lint.xml")
	code, out, _ := cli(t, "scan", "--format", "sarif", "--output", sarif, "--format", "junit", "-o", junit, "--format", "text", "testdata/project")
	if code != exitFindings {
		t.Fatalf("exit code %d", code)
	}
	for format, got := range map[string]string{"text": out, "sarif": readFile(t, sarif), "junit": readFile(t, junit)} {
		_, alone, _ := cli(t, "scan", "--format", format, "testdata/project")
		if got != alone {
			t.Errorf("%s differs from the same format written alone:\n%s\n---\n%s", format, got, alone)
		}
	}
	// "-" is standard output too; the order of --format decides the pairing.
	code, out, _ = cli(t, "scan", "--format", "json", "--output", "-", "--format", "sarif", "--output", sarif, "testdata/project")
	if code != exitFindings || !strings.HasPrefix(out, "{\n  \"version\": \"1\"") {
		t.Errorf("exit %d, stdout %.40q: want the JSON report", code, out)
	}
	if err := sarifschema.Validate([]byte(readFile(t, sarif))); err != nil {
		t.Errorf("SARIF: %v", err)
	}
	// Without --format, --output takes the text report, as before.
	text := filepath.Join(dir, "out.txt")
	if code, out, _ := cli(t, "scan", "--output", text, "testdata/project"); code != exitFindings || out != "" ||
		!strings.Contains(readFile(t, text), "error S3L010") {
		t.Errorf("--output alone: exit %d, stdout %q", code, out)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOutputUsageErrors(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "sarif", "--format", "text"}, "would both go to standard output"},
		{[]string{"--format", "sarif", "-o", "-", "--format", "text"}, "would both go to standard output"},
		{[]string{"--format", "sarif", "-o", a, "--format", "json", "-o", a}, "is given for both"},
		{[]string{"--format", "sarif", "-o", a, "-o", filepath.Join(dir, "b")}, "has no --format to pair with"},
		{[]string{"--format", "xml"}, `unknown format "xml"`},
		{[]string{"--format", "text", "--output", ""}, "empty file name"},
		{[]string{"--format", "sarif", "-o", filepath.Join(dir, "no", "such", "dir.sarif")}, "--output:"},
	} {
		code, _, errOut := cli(t, append(append([]string{"scan"}, tt.args...), "testdata/warn")...)
		if code != exitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, exitError, tt.want)
		}
	}
}

func TestPlanOutputs(t *testing.T) {
	outs, err := planOutputs(nil, nil)
	if err != nil || len(outs) != 1 || outs[0] != (output{"text", ""}) {
		t.Errorf("defaults: %v %v", outs, err)
	}
	outs, err = planOutputs([]string{"sarif", "text", "junit"}, []string{"a.sarif", "-", "r.xml"})
	want := []output{{"sarif", "a.sarif"}, {"text", ""}, {"junit", "r.xml"}}
	if err != nil || len(outs) != 3 || outs[0] != want[0] || outs[1] != want[1] || outs[2] != want[2] {
		t.Errorf("got %v %v, want %v", outs, err, want)
	}
}

// TestRulesFormats: rules as JSON (metadata and docs) and markdown (an
// index, or one page equal to docs/rules/<ID>.md).
func TestRulesFormats(t *testing.T) {
	code, out, _ := cli(t, "rules", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var doc report.RulesDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Rules) != len(rules.All()) || doc.Version != "1" || doc.Tool.Name != "s3lint" {
		t.Fatalf("%d rules, version %q, tool %+v", len(doc.Rules), doc.Version, doc.Tool)
	}
	for _, r := range doc.Rules {
		if r.Title == "" || r.SecuritySeverity == "" || r.Precision == "" || !strings.Contains(r.Doc, "# "+r.ID+" "+r.Name) ||
			r.HelpURI != helpURI(r.ID) || len(r.Tags) < 2 || r.Since == "" {
			t.Errorf("rule %s: %+v", r.ID, r)
		}
	}

	code, out, _ = cli(t, "rules", "--format", "markdown")
	if code != exitOK || !strings.HasPrefix(out, "| ID | name | severity | title |") ||
		!strings.Contains(out, "| [S3L010](https://github.com/s3lint/s3lint/blob/main/docs/rules/S3L010.md) | object-action-on-bucket-arn | error |") {
		t.Errorf("markdown index: exit %d\n%s", code, out)
	}
	if n := strings.Count(out, "\n"); n != len(rules.All())+2 {
		t.Errorf("markdown index has %d lines, want %d", n, len(rules.All())+2)
	}

	code, out, _ = cli(t, "rules", "--format", "markdown", "S3L010")
	page, err := os.ReadFile("../../docs/rules/S3L010.md")
	if err != nil {
		t.Fatal(err)
	}
	if code != exitOK || out != string(page) {
		t.Errorf("rules --format markdown S3L010 differs from docs/rules/S3L010.md")
	}
	code, out, _ = cli(t, "rules", "--format", "json", "object-action-on-bucket-arn")
	if code != exitOK || !strings.Contains(out, `"id": "S3L010"`) || strings.Contains(out, `"id": "S3L011"`) {
		t.Errorf("rules --format json S3L010: exit %d\n%.200s", code, out)
	}
	if code, _, errOut := cli(t, "rules", "--format", "yaml"); code != exitError || !strings.Contains(errOut, "unknown format") {
		t.Errorf("rules --format yaml: exit %d, stderr %q", code, errOut)
	}
}

// TestHelpURIsPointAtDocs: the helpUri of every rule in SARIF names its page
// under docs/rules/, and that page exists.
func TestHelpURIsPointAtDocs(t *testing.T) {
	const prefix = "https://github.com/s3lint/s3lint/blob/main/"
	for _, r := range rules.All() {
		id := r.Meta().ID
		u := helpURI(id)
		rel, ok := strings.CutPrefix(u, prefix)
		if !ok || rel != "docs/rules/"+id+".md" {
			t.Errorf("%s: helpUri %q, want %sdocs/rules/%s.md", id, u, prefix, id)
			continue
		}
		if _, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(rel))); err != nil {
			t.Errorf("%s: helpUri points at a missing page: %v", id, err)
		}
	}
}

// TestJUnitExamples: the JUnit report of the bundled examples is
// well-formed and counts what the text report counts.
func TestJUnitExamples(t *testing.T) {
	_, out, _ := cli(t, "scan", "--format", "junit", "../../examples")
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Failures != 10 || doc.Errors != 0 || doc.Tests != len(rules.All())+10-7 { // 10 findings of 7 rules
		t.Errorf("tests %d failures %d errors %d", doc.Tests, doc.Failures, doc.Errors)
	}
}
