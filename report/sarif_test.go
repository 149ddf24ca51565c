package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/sarifschema"
	"github.com/s3lint/s3lint/rules"
)

// validateSARIF validates a SARIF document against the official schema.
func validateSARIF(t *testing.T, data []byte) error {
	t.Helper()
	if _, err := sarifschema.Schema(); err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	return sarifschema.Validate(data)
}

func writeSARIF(t *testing.T, r *Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSARIFSchemaValid(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "golden.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{
		"golden file":     golden,
		"sample":          writeSARIF(t, sampleResult()),
		"zero findings":   writeSARIF(t, &Result{Version: "0.4.0", SrcRoot: "/src/repo", WorkDir: "/src/repo"}),
		"nothing at all":  writeSARIF(t, &Result{}),
		"no version/root": writeSARIF(t, &Result{Findings: sampleResult().Findings}),
	}
	for name, doc := range docs {
		if err := validateSARIF(t, doc); err != nil {
			t.Errorf("%s: not valid SARIF 2.1.0:\n%v", name, err)
		}
	}
}

// TestSARIFSchemaRejects makes sure the validation above can fail: broken
// documents must be rejected.
func TestSARIFSchemaRejects(t *testing.T) {
	valid := writeSARIF(t, sampleResult())
	type breaker struct {
		mutate func(doc map[string]any)
		want   string // in the validation error
	}
	rule0 := func(doc map[string]any) map[string]any {
		return run0(doc)["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)[0].(map[string]any)
	}
	breakers := map[string]breaker{
		"result without message": {func(doc map[string]any) {
			delete(result0(doc), "message")
		}, "missing property 'message'"},
		"startLine 0": {func(doc map[string]any) {
			loc := result0(doc)["locations"].([]any)[0].(map[string]any)
			loc["physicalLocation"].(map[string]any)["region"].(map[string]any)["startLine"] = 0
		}, "minimum"},
		"unknown level": {func(doc map[string]any) {
			result0(doc)["level"] = "fatal"
		}, "value must be one of"},
		"no version": {func(doc map[string]any) {
			delete(doc, "version")
		}, "missing property 'version'"},
		"duplicate tags": {func(doc map[string]any) {
			rule0(doc)["properties"].(map[string]any)["tags"] = []any{"s3", "s3"}
		}, "are equal"},
		"helpUri not a URI": {func(doc map[string]any) {
			rule0(doc)["helpUri"] = "not a uri"
		}, "not valid uri"},
	}
	for name, b := range breakers {
		var doc map[string]any
		if err := json.Unmarshal(valid, &doc); err != nil {
			t.Fatal(err)
		}
		b.mutate(doc)
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		err = validateSARIF(t, data)
		switch {
		case err == nil:
			t.Errorf("%s: broken document accepted", name)
		case !strings.Contains(err.Error(), b.want):
			t.Errorf("%s: rejected, but not for the expected reason %q:\n%v", name, b.want, err)
		}
	}
}

func run0(doc map[string]any) map[string]any {
	return doc["runs"].([]any)[0].(map[string]any)
}

func result0(doc map[string]any) map[string]any {
	return run0(doc)["results"].([]any)[0].(map[string]any)
}

// Minimal typed view of the SARIF we write, for assertions.
type sarifView struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, SemanticVersion, InformationURI string
				Rules                                          []struct {
					ID, Name, HelpURI string
					ShortDescription  struct{ Text string }
					FullDescription   struct{ Text string }
					Help              struct{ Text, Markdown string }
					Default           struct{ Level string } `json:"defaultConfiguration"`
					Properties        struct {
						Tags             []string
						Precision        string
						SecuritySeverity string `json:"security-severity"`
					}
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           map[string]int
					}
				}
			}
		}
		OriginalURIBaseIDs map[string]struct {
			URI         string
			Description struct{ Text string }
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID    string
			RuleIndex *int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct{ URI, URIBaseID string }
					Region           map[string]int
				}
				LogicalLocations []struct{ FullyQualifiedName, Kind string }
				Message          struct{ Text string }
			}
			RelatedLocations []struct {
				ID               int
				Message          struct{ Text string }
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string
						URIBaseID string `json:"uriBaseId"`
					}
				}
			}
			PartialFingerprints map[string]string
		}
		ColumnKind string
	}
}

func viewSARIF(t *testing.T, r *Result) sarifView {
	t.Helper()
	var v sarifView
	if err := json.Unmarshal(writeSARIF(t, r), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(v.Runs))
	}
	return v
}

// TestSARIFGitHub checks what GitHub code scanning needs beyond the schema.
func TestSARIFGitHub(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the sample uses Unix absolute paths")
	}
	v := viewSARIF(t, sampleResult())
	if v.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || v.Version != "2.1.0" {
		t.Errorf("$schema/version = %q %q", v.Schema, v.Version)
	}
	run := v.Runs[0]
	d := run.Tool.Driver
	if d.Name != "s3lint" || d.Version != "v0.4.0-rc.1" || d.SemanticVersion != "0.4.0-rc.1" ||
		d.InformationURI != "https://github.com/s3lint/s3lint" {
		t.Errorf("driver = %q %q %q %q", d.Name, d.Version, d.SemanticVersion, d.InformationURI)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	if base, ok := run.OriginalURIBaseIDs["%SRCROOT%"]; !ok || base.URI != "" || base.Description.Text == "" {
		t.Errorf("%%SRCROOT%% = %+v, want it declared with a description and no absolute uri", base)
	}

	// Rules.
	if len(d.Rules) != 3 {
		t.Fatalf("%d rules, want 3", len(d.Rules))
	}
	r0 := d.Rules[0]
	if r0.ID != "S3L010" || r0.Name != "object-action-on-bucket-arn" ||
		r0.ShortDescription.Text != "object action on a bucket ARN" ||
		r0.HelpURI != "https://github.com/s3lint/s3lint/blob/main/docs/rules/S3L010.md" ||
		r0.Default.Level != "error" || r0.Properties.Precision != "very-high" ||
		r0.Properties.SecuritySeverity != "7.5" || r0.Help.Markdown != docS3L010 {
		t.Errorf("rule 0 = %+v", r0)
	}
	wantFull := "Object actions such as s3:GetObject apply to objects, so a statement that lists them " +
		"against the bucket ARN (arn:aws:s3:::b) grants nothing and requests end in 403 Access Denied."
	if r0.FullDescription.Text != wantFull {
		t.Errorf("fullDescription = %q\nwant %q", r0.FullDescription.Text, wantFull)
	}
	if diff := cmp.Diff([]string{"security", "s3", "iam", "policy"}, r0.Properties.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	for _, rule := range d.Rules {
		if rule.FullDescription.Text == "" || rule.Help.Text == "" || rule.ShortDescription.Text == "" {
			t.Errorf("rule %s lacks a description or help text", rule.ID)
		}
	}
	if r2 := d.Rules[2]; r2.Default.Level != "note" || r2.Properties.Precision != "high" ||
		r2.Properties.SecuritySeverity != "2.0" || r2.FullDescription.Text != r2.ShortDescription.Text {
		t.Errorf("rule without doc = %+v", r2)
	}

	// Results.
	if len(run.Results) != 4 {
		t.Fatalf("%d results, want 4", len(run.Results))
	}
	type loc struct{ URI, Base string }
	var gotLocs []loc
	for i, res := range run.Results {
		if res.RuleIndex == nil || d.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex does not point at %s", i, res.RuleID)
		}
		if res.Message.Text == "" || len(res.Locations) != 1 || res.Locations[0].PhysicalLocation == nil {
			t.Errorf("result %d: message %q, %d locations", i, res.Message.Text, len(res.Locations))
			continue
		}
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		gotLocs = append(gotLocs, loc{al.URI, al.URIBaseID})
	}
	wantLocs := []loc{
		{"infra/main.tf", "%SRCROOT%"},
		{"infra/modules/logs/bucket.tf", "%SRCROOT%"},
		{"infra/stacks/my%20stack.yaml", "%SRCROOT%"},
		{"infra/template.yaml", "%SRCROOT%"},
	}
	if diff := cmp.Diff(wantLocs, gotLocs); diff != "" {
		t.Errorf("artifact locations (-want +got):\n%s", diff)
	}
	res0 := run.Results[0]
	wantRegion := map[string]int{"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 20}
	if diff := cmp.Diff(wantRegion, res0.Locations[0].PhysicalLocation.Region); diff != "" {
		t.Errorf("region (-want +got):\n%s", diff)
	}
	wantFP := map[string]string{"primaryLocationLineHash": "3f1c2a9b7d4e5f60", "s3lint/v1": "3f1c2a9b7d4e5f60"}
	if diff := cmp.Diff(wantFP, res0.PartialFingerprints); diff != "" {
		t.Errorf("partialFingerprints (-want +got):\n%s", diff)
	}
	if ll := res0.Locations[0].LogicalLocations; len(ll) != 1 || ll[0].FullyQualifiedName != "aws_s3_bucket_policy.p" || ll[0].Kind != "resource" {
		t.Errorf("logicalLocations = %+v", ll)
	}
	if run.Results[2].PartialFingerprints != nil {
		t.Errorf("finding without fingerprint has partialFingerprints %v", run.Results[2].PartialFingerprints)
	}
	if run.Results[2].Level != "warning" {
		t.Errorf("level = %q; the finding's severity, not the rule's, should count", run.Results[2].Level)
	}
	rel := run.Results[1].RelatedLocations
	if len(rel) != 2 || rel[0].ID != 1 || rel[1].ID != 2 ||
		rel[0].Message.Text != "ownership controls set BucketOwnerEnforced here" ||
		rel[0].PhysicalLocation.ArtifactLocation.URI != "shared/ownership.tf" ||
		rel[0].PhysicalLocation.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
		rel[1].PhysicalLocation != nil ||
		rel[1].Message.Text != "grant comes from this module (../../opt/terraform/modules/acl/main.tf:4:3)" {
		t.Errorf("relatedLocations = %+v", rel)
	}

	// Invocation: every diagnostic is a notification; an error fails it.
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful with a parse error")
	}
	var levels []string
	for _, n := range inv.ToolExecutionNotifications {
		levels = append(levels, n.Level)
	}
	if diff := cmp.Diff([]string{"error", "note", "error"}, levels); diff != "" {
		t.Errorf("notification levels (-want +got):\n%s", diff)
	}
	if n := inv.ToolExecutionNotifications[2]; len(n.Locations) != 1 ||
		n.Locations[0].PhysicalLocation.ArtifactLocation.URI != "infra/unreadable.json" ||
		n.Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("file-only notification = %+v", n)
	}
	if n := inv.ToolExecutionNotifications[0]; len(n.Locations) != 1 ||
		n.Locations[0].PhysicalLocation.ArtifactLocation.URI != "infra/broken.tf" ||
		n.Locations[0].PhysicalLocation.Region["startLine"] != 4 {
		t.Errorf("parse error notification = %+v", n)
	}
}

// TestSARIFNoAbsolutePaths: the only absolute path is the file that lies
// outside the source root; the root itself is never written.
func TestSARIFNoAbsolutePaths(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the sample uses Unix absolute paths")
	}
	out := string(writeSARIF(t, sampleResult()))
	if n := strings.Count(out, "/src/repo"); n != 0 {
		t.Errorf("%q appears %d times, want never", "/src/repo", n)
	}
	if n := strings.Count(out, "file:"); n != 0 {
		t.Errorf("file: appears %d times, want never (files outside the root have no physical location)", n)
	}
	if strings.Contains(out, `"uri": ""`) {
		t.Error("an empty URI")
	}
}

func TestSARIFExecutionSuccessful(t *testing.T) {
	for _, tt := range []struct {
		diags []graph.Diagnostic
		want  bool
	}{
		{nil, true},
		{[]graph.Diagnostic{{Severity: graph.DiagNote, Message: "n"}, {Severity: graph.DiagWarning, Message: "w"}}, true},
		{[]graph.Diagnostic{{Severity: graph.DiagNote, Message: "n"}, {Severity: graph.DiagError, Message: "e"}}, false},
	} {
		v := viewSARIF(t, &Result{Diagnostics: tt.diags})
		inv := v.Runs[0].Invocations[0]
		if inv.ExecutionSuccessful != tt.want || len(inv.ToolExecutionNotifications) != len(tt.diags) {
			t.Errorf("diagnostics %v: executionSuccessful %v with %d notifications, want %v",
				tt.diags, inv.ExecutionSuccessful, len(inv.ToolExecutionNotifications), tt.want)
		}
	}
}

// TestSARIFResultCap writes more findings than GitHub accepts: the most
// severe are kept, in their order, and a notification says so.
func TestSARIFResultCap(t *testing.T) {
	r := &Result{Rules: []rules.Meta{{ID: "S3L010", Title: "t", Severity: rules.Error}}}
	// Line i+1; every third finding is a note, one in 1,000 an error,
	// the rest warnings.
	sev := func(i int) rules.Severity {
		switch {
		case i%1000 == 999:
			return rules.Error
		case i%3 == 0:
			return rules.Note
		default:
			return rules.Warning
		}
	}
	const total = maxSARIFResults + 10000
	for i := range total {
		r.Findings = append(r.Findings, rules.Finding{
			RuleID: "S3L010", Severity: sev(i), Message: "m", Range: rng("a.tf", i+1, 1, i+1, 2),
		})
	}
	if got := SARIFOmitted(r); got != 10000 {
		t.Errorf("SARIFOmitted = %d, want 10000", got)
	}
	v := viewSARIF(t, r)
	run := v.Runs[0]
	if len(run.Results) != maxSARIFResults {
		t.Fatalf("%d results, want %d", len(run.Results), maxSARIFResults)
	}
	counts := map[string]int{}
	prev := 0
	for _, res := range run.Results {
		counts[res.Level]++
		line := res.Locations[0].PhysicalLocation.Region["startLine"]
		if line <= prev {
			t.Fatalf("results out of order: line %d after %d", line, prev)
		}
		prev = line
	}
	// 35 errors and 23,334 warnings are all kept; notes fill the rest.
	wantErrors, wantWarnings := 0, 0
	for i := range total {
		switch sev(i) {
		case rules.Error:
			wantErrors++
		case rules.Warning:
			wantWarnings++
		}
	}
	if counts["error"] != wantErrors || counts["warning"] != wantWarnings || counts["note"] != maxSARIFResults-wantErrors-wantWarnings {
		t.Errorf("levels kept = %v, want all %d errors and %d warnings", counts, wantErrors, wantWarnings)
	}
	notes := run.Invocations[0].ToolExecutionNotifications
	if len(notes) != 1 || notes[0].Level != "warning" ||
		!strings.Contains(notes[0].Message.Text, "35000 findings; only the 25000 most severe") {
		t.Errorf("notifications = %+v, want one warning about the cap", notes)
	}
	if !run.Invocations[0].ExecutionSuccessful {
		t.Error("capping results should not fail the invocation")
	}
	if SARIFOmitted(&Result{Findings: r.Findings[:10]}) != 0 {
		t.Error("SARIFOmitted of 10 findings is not 0")
	}
}

// TestSARIFRelatedCap: at most 1,000 related locations, and the message
// says how many more there were.
func TestSARIFRelatedCap(t *testing.T) {
	f := rules.Finding{RuleID: "S3L010", Severity: rules.Error, Message: "m.", Range: rng("a.tf", 1, 1, 1, 2)}
	for i := range maxSARIFLocations + 5 {
		f.Related = append(f.Related, rules.Related{Range: rng("a.tf", i+2, 1, i+2, 2), Message: "r"})
	}
	v := viewSARIF(t, &Result{Findings: []rules.Finding{f}})
	res := v.Runs[0].Results[0]
	if len(res.RelatedLocations) != maxSARIFLocations || res.Message.Text != "m. (5 more related locations are not included.)" {
		t.Errorf("%d related locations, message %q", len(res.RelatedLocations), res.Message.Text)
	}
}

func TestSARIFArtifactLocation(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths")
	}
	// where is "" for a file in the source root, else the place that
	// stands in for the physical location.
	tests := []struct {
		root, work, file string
		uri, where       string
	}{
		{"/r", "/r", "main.tf", "main.tf", ""},
		{"/r", "/r/sub", "a/b.tf", "sub/a/b.tf", ""},
		{"/r", "/r/sub", "../c.tf", "c.tf", ""},
		{"/r", "/r/sub", "../../x/c.tf", "", "../x/c.tf:3:2"},
		{"/r", "/r", "/r/abs.tf", "abs.tf", ""},
		{"/r", "/r", "/rx/abs.tf", "", "../rx/abs.tf:3:2"},
		{"/r/", "/r", "./d/../e.tf", "e.tf", ""},
		{"/r", "/r", "my dir/a#1%.tf", "my%20dir/a%231%25.tf", ""},
		{"/r", "/r", "a:b/c.tf", "a%3Ab/c.tf", ""},
		{"/r", "/r", "ünï.tf", "%C3%BCn%C3%AF.tf", ""},
		{"/r", "/r", "/out side/a:b.tf", "", "../out side/a:b.tf:3:2"},
		{"/r", "", "main.tf", "main.tf", ""},         // WorkDir defaults to SrcRoot
		{"", "", "dir/main.tf", "dir/main.tf", ""},   // nothing known
		{"", "", "../main.tf", "", "../main.tf:3:2"}, // nothing known, outside
		{"", "", "/abs/main.tf", "", "main.tf:3:2"},  // nothing known, absolute
		{"", "/w", "main.tf", "main.tf", ""},         // no root: the working directory
		{"", "/w", "/elsewhere/x.tf", "", "../elsewhere/x.tf:3:2"},
		{"/", "/", "etc/x.tf", "etc/x.tf", ""},
		{"/r", "/r", "", "", ""},
	}
	for _, tt := range tests {
		pl, where := newLocator(tt.root, tt.work).place(tt.file, rng(tt.file, 3, 2, 3, 9))
		uri := ""
		if pl != nil {
			uri = pl.ArtifactLocation.URI
			if pl.ArtifactLocation.URIBaseID != "%SRCROOT%" || uri == "" {
				t.Errorf("root %q work %q file %q: artifact %+v, want a non-empty URI under %%SRCROOT%%", tt.root, tt.work, tt.file, pl.ArtifactLocation)
			}
		}
		if uri != tt.uri || where != tt.where {
			t.Errorf("root %q work %q file %q: got uri %q where %q, want %q %q", tt.root, tt.work, tt.file, uri, where, tt.uri, tt.where)
		}
	}
}

// TestSARIFOutsideRoot: findings, related places and diagnostics in files
// outside the source root keep a location, without a physical one.
func TestSARIFOutsideRoot(t *testing.T) {
	r := &Result{
		Rules: []rules.Meta{{ID: "S3L010", Title: "t", Severity: rules.Error}},
		Findings: []rules.Finding{
			{RuleID: "S3L010", Severity: rules.Error, Message: "m", Range: rng("/elsewhere/a.tf", 2, 3, 2, 9), Resource: "aws_s3_bucket.b"},
			{RuleID: "S3L010", Severity: rules.Error, Message: "no file"},
			{RuleID: "S3L010", Severity: rules.Error, Message: "m", Range: rng("in.tf", 1, 1, 1, 2),
				Related: []rules.Related{{Range: rng("../up.tf", 4, 1, 4, 5), Message: "bucket here"}}},
		},
		Diagnostics: []graph.Diagnostic{{Severity: graph.DiagWarning, Message: "odd", Range: rng("/elsewhere/b.tf", 7, 1, 7, 2)}},
		SrcRoot:     "/src/repo", WorkDir: "/src/repo",
	}
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths")
	}
	out := writeSARIF(t, r)
	if err := validateSARIF(t, out); err != nil {
		t.Fatal(err)
	}
	v := viewSARIF(t, r)
	res := v.Runs[0].Results
	for i, want := range []string{"../../elsewhere/a.tf:2:3", "(no file)"} {
		if len(res[i].Locations) != 1 || res[i].Locations[0].PhysicalLocation != nil || res[i].Locations[0].Message.Text != want {
			t.Errorf("result %d: locations %+v, want one without a physical location saying %q", i, res[i].Locations, want)
		}
	}
	if got := res[2].RelatedLocations[0].Message.Text; got != "bucket here (../up.tf:4:1)" {
		t.Errorf("related location message %q", got)
	}
	if got := v.Runs[0].Invocations[0].ToolExecutionNotifications[0].Message.Text; got != "../../elsewhere/b.tf:7:1: odd" {
		t.Errorf("notification message %q", got)
	}
	if bytes.Contains(out, []byte("/src/repo")) || bytes.Contains(out, []byte("file:")) {
		t.Errorf("absolute path in the output:\n%s", out)
	}
}

func TestSARIFRegion(t *testing.T) {
	tests := []struct {
		r    graph.Range
		want *sarifRegion
	}{
		{rng("a", 3, 5, 3, 20), &sarifRegion{3, 5, 3, 20}},
		{rng("a", 3, 5, 7, 1), &sarifRegion{3, 5, 7, 1}},
		{rng("a", 3, 5, 0, 0), &sarifRegion{StartLine: 3, StartColumn: 5}},             // no end
		{rng("a", 3, 0, 4, 0), &sarifRegion{StartLine: 3, EndLine: 4}},                 // lines only
		{rng("a", 3, 5, 2, 1), &sarifRegion{StartLine: 3, StartColumn: 5}},             // end before start
		{rng("a", 3, 5, 3, 2), &sarifRegion{StartLine: 3, StartColumn: 5}},             // end column before start
		{rng("a", 3, 5, 3, 5), &sarifRegion{3, 5, 3, 5}},                               // empty, allowed
		{rng("a", 0, 0, 0, 0), nil},                                                    // unknown
		{rng("a", 3, 5, 4, 0), &sarifRegion{StartLine: 3, StartColumn: 5, EndLine: 4}}, // end column unknown
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, region(tt.r)); diff != "" {
			t.Errorf("region(%v) (-want +got):\n%s", tt.r, diff)
		}
	}
}

func TestSARIFRuleFallbacks(t *testing.T) {
	tags := make([]string, 30)
	for i := range tags {
		tags[i] = fmt.Sprintf("t%02d", i)
	}
	tags[3] = "s3"
	tags[4] = ""
	m := rules.Meta{ID: "S3L999", Severity: rules.Warning, Precision: "sometimes", Tags: tags, Name: strings.Repeat("n", 300)}
	got := sarifRuleOf(m, "")
	if len(got.Properties.Tags) != 20 || got.Properties.Tags[0] != "security" || got.Properties.Tags[1] != "s3" {
		t.Errorf("tags = %v, want security, s3 and 18 more", got.Properties.Tags)
	}
	seen := map[string]bool{}
	for _, tag := range got.Properties.Tags {
		if seen[tag] || tag == "" {
			t.Errorf("tag %q repeated or empty", tag)
		}
		seen[tag] = true
	}
	if got.Properties.Precision != "high" {
		t.Errorf("precision = %q, want high for an unknown value", got.Properties.Precision)
	}
	if n := len([]rune(got.Name)); n != 255 {
		t.Errorf("name has %d runes, want 255", n)
	}
	if got.ShortDescription.Text == "" || got.FullDescription.Text == "" || got.Help.Text == "" {
		t.Errorf("empty descriptions: %+v", got)
	}
	if got.HelpURI != "" || got.Help.Markdown != "" {
		t.Errorf("helpUri %q, markdown %q; want both left out", got.HelpURI, got.Help.Markdown)
	}
}

func TestSemanticVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.3": "1.2.3", "1.2.3": "1.2.3", "v0.4.0-rc.1": "0.4.0-rc.1", "1.0.0+build.5": "1.0.0+build.5",
		"dev": "", "(devel)": "", "": "", "v1.2": "", "01.2.3": "",
	} {
		got, ok := semanticVersion(in)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("semanticVersion(%q) = %q, want %q", in, got, want)
		}
	}
	v := viewSARIF(t, &Result{Version: "(devel)"})
	if d := v.Runs[0].Tool.Driver; d.Version != "(devel)" || d.SemanticVersion != "" {
		t.Errorf("driver version %q semanticVersion %q", d.Version, d.SemanticVersion)
	}
}
