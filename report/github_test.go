package report

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

func writeGitHub(t *testing.T, r *Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGoldenGitHub(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the sample uses Unix absolute paths")
	}
	checkGolden(t, "golden.github.txt", []byte(writeGitHub(t, sampleResult())))
}

func TestGitHubEscape(t *testing.T) {
	for _, tt := range []struct{ in, data, prop string }{
		{"plain text", "plain text", "plain text"},
		{"100% sure", "100%25 sure", "100%25 sure"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"%0A is not a newline", "%250A is not a newline", "%250A is not a newline"},
		{"esc \x1b[31m red", `esc \x1b[31m red`, `esc \x1b[31m red`},
		{"tab\there", "tab\there", "tab\there"},
		{"bad \xff utf-8", "bad \uFFFD utf-8", "bad \uFFFD utf-8"},
		{"next\u0085line", `next\u0085line`, `next\u0085line`},
	} {
		if got := githubData(tt.in); got != tt.data {
			t.Errorf("githubData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := githubProperty(tt.in); got != tt.prop {
			t.Errorf("githubProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

// TestGitHubNoInjection: whatever a message or path holds, each finding is
// one line that starts a command, and nothing in it starts another.
func TestGitHubNoInjection(t *testing.T) {
	r := &Result{
		Rules: []rules.Meta{{ID: "S3L010", Name: "x", Severity: rules.Error}},
		Findings: []rules.Finding{{
			RuleID: "S3L010", Severity: rules.Error,
			Message:  "bucket \"a\nb\"\n::set-output name=x::y\r\n::error::injected",
			Range:    rng("dir,with:odd/ma%in.tf", 2, 1, 2, 4),
			Resource: "aws_s3_bucket.b\n::warning::x",
			Related:  []rules.Related{{Range: rng("o.tf", 1, 1, 1, 2), Message: "r\n::notice::x"}},
		}},
		SrcRoot: "/r", WorkDir: "/r",
	}
	out := writeGitHub(t, r)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "::error file=dir%2Cwith%3Aodd/ma%25in.tf,line=2,endLine=2,col=1,endColumn=3,title=S3L010 x::") {
		t.Fatalf("output:\n%s", out)
	}
	if !strings.HasSuffix(lines[0], `::bucket "a%0Ab"%0A::set-output name=x::y%0D%0A::error::injected [aws_s3_bucket.b%0A::warning::x]%0Ao.tf:1:1: r%0A::notice::x`) {
		t.Errorf("message not escaped as expected: %q", lines[0])
	}
	if lines[1] != "1 finding (1 error) in 1 file" {
		t.Errorf("summary %q", lines[1])
	}
}

func TestGitHubLevelsAndRanges(t *testing.T) {
	r := &Result{
		Findings: []rules.Finding{
			{RuleID: "A", Severity: rules.Note, Message: "multi-line range", Range: rng("a.tf", 2, 3, 5, 1)},
			{RuleID: "A", Severity: rules.Warning, Message: "line only", Range: rng("a.tf", 7, 0, 0, 0)},
			{RuleID: "A", Severity: rules.Error, Message: "no place"},
		},
		Diagnostics: []graph.Diagnostic{
			{Severity: graph.DiagNote, Message: "not shown"},
			{Severity: graph.DiagWarning, Message: "duplicate key", Range: rng("t.yaml", 3, 1, 3, 4)},
			{Severity: graph.DiagError, Message: "cannot read", File: "u.json"},
		},
	}
	want := "::warning file=t.yaml,line=3,endLine=3,col=1,endColumn=3,title=s3lint input warning::duplicate key\n" +
		"::error file=u.json,title=s3lint input error::cannot read\n" +
		"::notice file=a.tf,line=2,endLine=5,title=A::multi-line range\n" +
		"::warning file=a.tf,line=7,title=A::line only\n" +
		"::error title=A::no place\n" +
		"3 findings (1 error, 1 warning, 1 note) in 1 file; 1 input error, 1 input warning\n"
	if got := writeGitHub(t, r); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
