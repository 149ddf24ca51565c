package report

import (
	"encoding/json"
	"io"
	"path/filepath"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// JSONVersion is the version of the JSON shape that WriteJSON writes.
const JSONVersion = "1"

// JSONReport is the document WriteJSON writes; the package documentation
// describes each field. Fields are only ever added.
type JSONReport struct {
	Version     string           `json:"version"`
	Tool        JSONTool         `json:"tool"`
	Rules       []JSONRule       `json:"rules"`
	Findings    []JSONFinding    `json:"findings"`
	Suppressed  []JSONSuppressed `json:"suppressed"`
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
	Summary     JSONSummary      `json:"summary"`
}

// JSONTool names the program that wrote a JSONReport.
type JSONTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// JSONRule is a rule that ran.
type JSONRule struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	HelpURI  string `json:"help_uri"`
}

// JSONFinding is one finding.
type JSONFinding struct {
	Rule        string        `json:"rule"`
	Name        string        `json:"name"`
	Severity    string        `json:"severity"`
	Message     string        `json:"message"`
	Location    JSONLocation  `json:"location"`
	Resource    string        `json:"resource"`
	Related     []JSONRelated `json:"related"`
	Fingerprint string        `json:"fingerprint"`
}

// JSONRelated is another place that explains a finding.
type JSONRelated struct {
	Message  string       `json:"message"`
	Location JSONLocation `json:"location"`
}

// JSONDiagnostic is a problem with the input.
type JSONDiagnostic struct {
	Severity string       `json:"severity"`
	Message  string       `json:"message"`
	Location JSONLocation `json:"location"`
}

// JSONLocation is a span of a file. Zero values mean unknown.
type JSONLocation struct {
	File  string       `json:"file"`
	Start JSONPosition `json:"start"`
	End   JSONPosition `json:"end"`
}

// JSONPosition is a 1-based line and column (in characters).
type JSONPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// JSONSummary counts findings by severity and diagnostics by severity.
type JSONSummary struct {
	Findings      int `json:"findings"`
	Errors        int `json:"errors"`
	Warnings      int `json:"warnings"`
	Notes         int `json:"notes"`
	Files         int `json:"files"`
	InputErrors   int `json:"input_errors"`
	InputWarnings int `json:"input_warnings"`
	InputNotes    int `json:"input_notes"`
	Suppressed    int `json:"suppressed"`
}

// NewJSONReport converts r to the JSON document shape.
func NewJSONReport(r *Result) *JSONReport {
	doc := &JSONReport{
		Version:     JSONVersion,
		Tool:        JSONTool{Name: r.toolName(), Version: r.Version},
		Rules:       make([]JSONRule, 0, len(r.Rules)),
		Findings:    make([]JSONFinding, 0, len(r.Findings)),
		Diagnostics: make([]JSONDiagnostic, 0, len(r.Diagnostics)),
		Summary:     summarize(r),
	}
	for _, m := range r.Rules {
		doc.Rules = append(doc.Rules, JSONRule{
			ID:       m.ID,
			Name:     m.Name,
			Title:    m.Title,
			Severity: m.Severity.String(),
			HelpURI:  r.helpURI(m.ID),
		})
	}
	idx := r.ruleIndex()
	for _, f := range r.Findings {
		doc.Findings = append(doc.Findings, jsonFinding(r, idx, f))
	}
	doc.Suppressed = jsonSuppressed(r, idx)
	for _, d := range r.Diagnostics {
		doc.Diagnostics = append(doc.Diagnostics, JSONDiagnostic{
			Severity: diagLevel(d.Severity),
			Message:  d.Message,
			Location: jsonLocation(diagFile(d), d.Range),
		})
	}
	return doc
}

// jsonFinding converts one finding; idx is r.ruleIndex().
func jsonFinding(r *Result, idx map[string]int, f rules.Finding) JSONFinding {
	jf := JSONFinding{
		Rule:        f.RuleID,
		Severity:    f.Severity.String(),
		Message:     f.Message,
		Location:    jsonLocation(f.Range.File, f.Range),
		Resource:    f.Resource,
		Related:     make([]JSONRelated, 0, len(f.Related)),
		Fingerprint: f.Fingerprint,
	}
	if i, ok := idx[f.RuleID]; ok {
		jf.Name = r.Rules[i].Name
	}
	for _, rel := range f.Related {
		jf.Related = append(jf.Related, JSONRelated{
			Message:  rel.Message,
			Location: jsonLocation(rel.Range.File, rel.Range),
		})
	}
	return jf
}

func jsonLocation(file string, r graph.Range) JSONLocation {
	return JSONLocation{
		File:  filepath.ToSlash(file),
		Start: JSONPosition{Line: r.Start.Line, Column: r.Start.Col},
		End:   JSONPosition{Line: r.End.Line, Column: r.End.Col},
	}
}

// WriteJSON writes r as the JSON document described in the package
// documentation, indented by two spaces and ending in a newline.
func WriteJSON(w io.Writer, r *Result) error {
	return writeIndentedJSON(w, NewJSONReport(r))
}

// writeIndentedJSON encodes v indented by two spaces with a trailing newline.
// HTML characters are not escaped: messages quote things like
// "<account of aws>" and the output is not meant for an HTML page.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
