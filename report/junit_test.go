package report

import (
	"bytes"
	"encoding/xml"
	"runtime"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

func writeJUnit(t *testing.T, r *Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGoldenJUnit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the sample uses Unix absolute paths")
	}
	checkGolden(t, "golden.junit.xml", writeJUnit(t, sampleResult()))
}

// junitRead is a report as a CI server reads it: its own types, so that
// the text of failures is decoded.
type junitRead struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Tests int    `xml:"tests,attr"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// junitView reads a report back the way a CI server would.
func junitView(t *testing.T, data []byte) junitRead {
	t.Helper()
	var doc junitRead
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, data)
	}
	return doc
}

func TestJUnitCounts(t *testing.T) {
	doc := junitView(t, writeJUnit(t, sampleResult()))
	// Rules S3L010 (2 findings), S3L020 (1), S3L030 (1); two input errors.
	if doc.Tests != 6 || doc.Failures != 4 || doc.Errors != 2 || len(doc.Suites) != 4 {
		t.Fatalf("tests %d failures %d errors %d suites %d", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
	}
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		if s.Tests != len(s.Cases) {
			t.Errorf("suite %s: tests=%d with %d cases", s.Name, s.Tests, len(s.Cases))
		}
	}
	if got := strings.Join(names, "|"); got != "S3L010 object-action-on-bucket-arn|S3L020 acl-grant-ignored|S3L030 cross-account-key|input" {
		t.Errorf("suites %s", got)
	}
	c := doc.Suites[0].Cases[0]
	if c.Name != "aws_s3_bucket_policy.p in infra/main.tf" || c.Classname != "S3L010 object-action-on-bucket-arn" ||
		c.File != "infra/main.tf" || c.Line != 3 || c.Failure == nil || c.Failure.Type != "error" ||
		!strings.HasPrefix(c.Failure.Text, "infra/main.tf:3:5: error S3L010 s3:GetObject") {
		t.Errorf("first case = %+v", c)
	}
	if in := doc.Suites[3].Cases; len(in) != 2 || in[0].Error == nil || in[0].File != "infra/broken.tf" || in[1].Name != "infra/unreadable.json" {
		t.Errorf("input cases = %+v", in)
	}
}

// TestJUnitPassing: a run without findings is a valid report with one
// passing test per rule; a run without rules is still a document.
func TestJUnitPassing(t *testing.T) {
	r := &Result{Rules: sampleResult().Rules, Diagnostics: []graph.Diagnostic{{Severity: graph.DiagNote, Message: "n"}}}
	data := writeJUnit(t, r)
	doc := junitView(t, data)
	if doc.Tests != 3 || doc.Failures != 0 || doc.Errors != 0 || len(doc.Suites) != 3 {
		t.Errorf("tests %d failures %d errors %d suites %d", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
	}
	for _, s := range doc.Suites {
		if len(s.Cases) != 1 || s.Cases[0].Name != "no findings" || s.Cases[0].Failure != nil {
			t.Errorf("suite %s: %+v", s.Name, s.Cases)
		}
	}
	empty := string(writeJUnit(t, &Result{}))
	want := xml.Header + `<testsuites name="s3lint" tests="0" failures="0" errors="0" skipped="0" time="0"></testsuites>` + "\n"
	if empty != want {
		t.Errorf("empty report:\n%s\nwant\n%s", empty, want)
	}
}

// TestJUnitNamesStable: test names carry no line numbers, so GitLab does
// not see a finding that moved as a new failure; twins are numbered.
func TestJUnitNamesStable(t *testing.T) {
	mk := func(line int) *Result {
		return &Result{Findings: []rules.Finding{
			{RuleID: "S3L010", Severity: rules.Error, Message: "m", Range: rng("a.tf", line, 1, line, 2), Resource: "aws_iam_policy.p"},
			{RuleID: "S3L010", Severity: rules.Error, Message: "m", Range: rng("a.tf", line+5, 1, line+5, 2), Resource: "aws_iam_policy.p"},
			{RuleID: "S3L011", Severity: rules.Warning, Message: "m", Range: rng("a.tf", line+6, 1, line+6, 2)},
		}, SrcRoot: "/r", WorkDir: "/r"}
	}
	names := func(r *Result) []string {
		var out []string
		for _, s := range junitView(t, writeJUnit(t, r)).Suites {
			for _, c := range s.Cases {
				out = append(out, c.Classname+"/"+c.Name)
			}
		}
		return out
	}
	a, b := names(mk(3)), names(mk(40))
	want := "S3L010/aws_iam_policy.p in a.tf|S3L010/aws_iam_policy.p in a.tf #2|S3L011/a.tf"
	if strings.Join(a, "|") != want || strings.Join(b, "|") != want {
		t.Errorf("names %v and %v, want %s", a, b, want)
	}
}

// TestJUnitEscaping: markup and control characters in messages and paths
// cannot break the document.
func TestJUnitEscaping(t *testing.T) {
	r := &Result{Findings: []rules.Finding{{
		RuleID: "S3L010", Severity: rules.Error,
		Message:  "a <b> & \"c\" ]]> \x1b[31m\nnext",
		Range:    rng("x&y<z>.tf", 1, 1, 1, 2),
		Resource: "r\"<>",
	}}}
	doc := junitView(t, writeJUnit(t, r))
	c := doc.Suites[0].Cases[0]
	if c.Failure.Message != "a <b> & \"c\" ]]> \uFFFD[31m\nnext" || c.File != "x&y<z>.tf" || c.Name != "r\"<> in x&y<z>.tf" ||
		c.Failure.Text != "x&y<z>.tf:1:1: error S3L010 a <b> & \"c\" ]]> \uFFFD[31m\nnext [r\"<>]\n" {
		t.Errorf("case = %+v", c)
	}
}

// TestJUnitSuppressed: a suppressed finding is a skipped test, named as it
// would be when it fails, with the justification.
func TestJUnitSuppressed(t *testing.T) {
	f := rules.Finding{RuleID: "S3L010", Severity: rules.Error, Message: "m", Range: rng("a.tf", 4, 1, 4, 2), Resource: "aws_iam_policy.p"}
	r := &Result{
		Rules: []rules.Meta{{ID: "S3L010", Name: "object-action-on-bucket-arn", Severity: rules.Error}},
		Suppressed: []rules.SuppressedFinding{{Finding: f, Suppression: rules.Suppression{
			Kind: rules.InSource, Justification: "the bucket is read through an access point", Range: rng("a.tf", 3, 1, 3, 40)}}},
		SrcRoot: "/r", WorkDir: "/r",
	}
	doc := junitView(t, writeJUnit(t, r))
	if doc.Tests != 1 || doc.Skipped != 1 || doc.Failures != 0 {
		t.Fatalf("tests %d skipped %d failures %d", doc.Tests, doc.Skipped, doc.Failures)
	}
	c := doc.Suites[0].Cases[0]
	if c.Name != "aws_iam_policy.p in a.tf" || c.Skipped == nil || c.Failure != nil ||
		c.Skipped.Message != "suppressed: the bucket is read through an access point" ||
		!strings.HasSuffix(c.Skipped.Text, "suppressed: the bucket is read through an access point\n") {
		t.Errorf("case = %+v %+v", c, c.Skipped)
	}
}
