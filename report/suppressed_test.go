package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/internal/sarifschema"
	"github.com/s3lint/s3lint/rules"
)

// suppressedResult is sampleResult with two suppressed findings: one by a
// comment between the findings of main.tf, one by the baseline.
func suppressedResult() *Result {
	r := sampleResult()
	r.Suppressed = []rules.SuppressedFinding{
		{
			Finding: rules.Finding{RuleID: "S3L010", Severity: rules.Error, Message: "s3:GetObject on the bucket",
				Range: rng("main.tf", 8, 5, 8, 20), Resource: "aws_iam_policy.legacy", Fingerprint: "0011"},
			Suppression: rules.Suppression{Kind: rules.InSource, Justification: "the legacy reader is retired in March",
				Range: rng("main.tf", 7, 3, 7, 60)},
		},
		{
			Finding: rules.Finding{RuleID: "S3L030", Severity: rules.Note, Message: "old key",
				Range: rng("template.yaml", 9, 1, 9, 5), Resource: "Old"},
			Suppression: rules.Suppression{Kind: rules.External, Justification: "in the baseline s3lint-baseline.json"},
		},
	}
	return r
}

func TestTextSuppressed(t *testing.T) {
	r := suppressedResult()
	var hidden, shown bytes.Buffer
	if err := WriteText(&hidden, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hidden.String(), "legacy") || strings.Contains(hidden.String(), "old key") {
		t.Errorf("suppressed findings shown without ShowSuppressed:\n%s", hidden.String())
	}
	if !strings.HasSuffix(hidden.String(), "4 findings (1 error, 2 warnings, 1 note) in 4 files; 2 suppressed; 2 input errors\n") {
		t.Errorf("summary does not count the suppressed findings:\n%s", hidden.String())
	}
	if err := WriteText(&shown, r, TextOptions{ShowSuppressed: true}); err != nil {
		t.Fatal(err)
	}
	want := "main.tf:3:5: error S3L010 s3:GetObject acts on objects but the resource \"arn:aws:s3:::logs\" is the bucket; use \"arn:aws:s3:::logs/*\". [aws_s3_bucket_policy.p]\n" +
		"    main.tf:12:1: note: bucket logs is defined here\n" +
		"main.tf:8:5: error S3L010 (suppressed) s3:GetObject on the bucket [aws_iam_policy.legacy]\n" +
		"    main.tf:7:3: note: suppressed: the legacy reader is retired in March\n"
	if !strings.HasPrefix(shown.String(), want) {
		t.Errorf("with ShowSuppressed:\n%s\nwant it to start with\n%s", shown.String(), want)
	}
	if !strings.Contains(shown.String(), "template.yaml:5:9: note S3L030 The bucket") ||
		!strings.Contains(shown.String(), "template.yaml:9:1: note S3L030 (suppressed) old key [Old]\n    note: suppressed in the baseline s3lint-baseline.json\n") {
		t.Errorf("the baseline suppression is not shown in order:\n%s", shown.String())
	}
	// No suppressed findings: the summary is as before.
	var none bytes.Buffer
	if err := WriteText(&none, &Result{}, TextOptions{ShowSuppressed: true}); err != nil {
		t.Fatal(err)
	}
	if none.String() != "no findings\n" {
		t.Errorf("empty: %q", none.String())
	}
}

func TestJSONSuppressed(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, suppressedResult()); err != nil {
		t.Fatal(err)
	}
	var doc JSONReport
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 4 || len(doc.Suppressed) != 2 || doc.Summary.Suppressed != 2 || doc.Summary.Findings != 4 {
		t.Fatalf("findings %d, suppressed %d, summary %+v", len(doc.Findings), len(doc.Suppressed), doc.Summary)
	}
	s := doc.Suppressed[0]
	if s.Rule != "S3L010" || s.Name != "object-action-on-bucket-arn" || s.Fingerprint != "0011" || s.Location.Start.Line != 8 ||
		s.Suppression.Kind != "inSource" || s.Suppression.Justification != "the legacy reader is retired in March" ||
		s.Suppression.Location.File != "main.tf" || s.Suppression.Location.Start.Line != 7 {
		t.Errorf("suppressed[0] = %+v", s)
	}
	if b := doc.Suppressed[1]; b.Suppression.Kind != "external" || b.Suppression.Location.File != "" {
		t.Errorf("suppressed[1] = %+v", b)
	}
	// The finding's fields sit beside "suppression", not under a key.
	if !strings.Contains(buf.String(), "\"suppressed\": [\n    {\n      \"rule\": \"S3L010\",") {
		t.Errorf("suppressed findings are not flat:\n%s", buf.String())
	}
}

func TestSARIFSuppressed(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, suppressedResult()); err != nil {
		t.Fatal(err)
	}
	if err := sarifschema.Validate(buf.Bytes()); err != nil {
		t.Fatalf("invalid SARIF: %v", err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions []struct {
					Kind          string `json:"kind"`
					Status        string `json:"status"`
					Justification string `json:"justification"`
					Location      *struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
							Region struct {
								StartLine int `json:"startLine"`
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"location"`
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	res := doc.Runs[0].Results
	if len(res) != 6 {
		t.Fatalf("want 4 results and 2 suppressed ones, got %d", len(res))
	}
	for _, r := range res[:4] {
		if r.Suppressions != nil {
			t.Errorf("an active result has suppressions: %+v", r)
		}
	}
	in, ext := res[4].Suppressions, res[5].Suppressions
	if len(in) != 1 || in[0].Kind != "inSource" || in[0].Status != "accepted" || in[0].Justification != "the legacy reader is retired in March" ||
		in[0].Location == nil || in[0].Location.PhysicalLocation.ArtifactLocation.URI != "infra/main.tf" ||
		in[0].Location.PhysicalLocation.Region.StartLine != 7 {
		t.Errorf("inSource suppression %+v", in)
	}
	if len(ext) != 1 || ext[0].Kind != "external" || ext[0].Location != nil || ext[0].Justification != "in the baseline s3lint-baseline.json" {
		t.Errorf("external suppression %+v", ext)
	}
}
