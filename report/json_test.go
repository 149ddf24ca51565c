package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3lint/s3lint/rules"
)

// TestJSONEmptyLists checks that empty lists are written as [] and never as
// null, at the top level and inside findings.
func TestJSONEmptyLists(t *testing.T) {
	r := &Result{
		Version: "0.4.0",
		Findings: []rules.Finding{{ // no Related
			RuleID: "S3L999", Severity: rules.Error, Message: "m", Range: rng("a.tf", 1, 1, 1, 2),
		}},
	}
	for name, r := range map[string]*Result{"empty": {}, "finding without related": r} {
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b.Bytes(), []byte("null")) {
			t.Errorf("%s: output contains null:\n%s", name, b.String())
		}
		var doc map[string]any
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"rules", "findings", "diagnostics"} {
			if _, ok := doc[key].([]any); !ok {
				t.Errorf("%s: %q is %#v, want a list", name, key, doc[key])
			}
		}
		for _, f := range doc["findings"].([]any) {
			if _, ok := f.(map[string]any)["related"].([]any); !ok {
				t.Errorf("%s: findings[].related is not a list", name)
			}
		}
	}
}

// TestJSONRoundTrip decodes the output strictly (unknown fields are an
// error, so the Go types and the written shape must agree) and compares it
// with what was meant to be written.
func TestJSONRoundTrip(t *testing.T) {
	r := sampleResult()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	var got JSONReport
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one JSON value written")
	}
	if diff := cmp.Diff(NewJSONReport(r), &got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	// Spot checks of the contract.
	if got.Version != "1" || got.Tool.Name != "s3lint" || got.Tool.Version != "v0.4.0-rc.1" {
		t.Errorf("version/tool = %q %+v", got.Version, got.Tool)
	}
	f := got.Findings[0]
	want := JSONFinding{
		Rule: "S3L010", Name: "object-action-on-bucket-arn", Severity: "error",
		Message:  r.Findings[0].Message,
		Location: JSONLocation{File: "main.tf", Start: JSONPosition{3, 5}, End: JSONPosition{3, 20}},
		Resource: "aws_s3_bucket_policy.p",
		Related: []JSONRelated{{
			Message:  "bucket logs is defined here",
			Location: JSONLocation{File: "main.tf", Start: JSONPosition{12, 1}, End: JSONPosition{15, 2}},
		}},
		Fingerprint: "3f1c2a9b7d4e5f60",
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("findings[0] (-want +got):\n%s", diff)
	}
	wantSummary := JSONSummary{Findings: 4, Errors: 1, Warnings: 2, Notes: 1, Files: 4, InputErrors: 2, InputNotes: 1}
	if diff := cmp.Diff(wantSummary, got.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	d := got.Diagnostics[2]
	if d.Severity != "error" || d.Location.File != "unreadable.json" || d.Location.Start.Line != 0 {
		t.Errorf("file-only diagnostic = %+v", d)
	}
}

// TestJSONNoHTMLEscape keeps messages readable: "<account of aws>" is not
// written as \u003c…\u003e.
func TestJSONNoHTMLEscape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<account of aws.prod>") {
		t.Error("HTML characters were escaped")
	}
}
