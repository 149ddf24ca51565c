package report

import (
	"io"
	"strings"

	"github.com/s3lint/s3lint/rules"
)

// RulesDoc is the document WriteRulesJSON writes (`s3lint rules --format
// json`). Like JSONReport, fields are only ever added.
type RulesDoc struct {
	Version string         `json:"version"`
	Tool    JSONTool       `json:"tool"`
	Rules   []RuleMetadata `json:"rules"`
}

// RuleMetadata describes one rule: what the SARIF rule entry says, and the
// documentation page as markdown.
type RuleMetadata struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	Severity string `json:"severity"` // the default: "error", "warning" or "note"
	// SecuritySeverity is the score code scanning ranks alerts by, "0.1"
	// to "10.0".
	SecuritySeverity string   `json:"security_severity"`
	Precision        string   `json:"precision"` // very-high, high, medium or low
	Tags             []string `json:"tags"`
	Since            string   `json:"since"`
	Default          bool     `json:"default"` // runs unless turned off
	HelpURI          string   `json:"help_uri"`
	// Doc is the documentation page (docs/rules/<ID>.md) as markdown.
	Doc string `json:"doc"`
}

// NewRulesDoc describes ms; helpURI gives each rule's documentation
// address (nil: none).
func NewRulesDoc(tool, version string, ms []rules.Meta, helpURI func(string) string) *RulesDoc {
	doc := &RulesDoc{Version: JSONVersion, Tool: JSONTool{Name: tool, Version: version}, Rules: make([]RuleMetadata, 0, len(ms))}
	if doc.Tool.Name == "" {
		doc.Tool.Name = toolName
	}
	for _, m := range ms {
		sr := sarifRuleOf(m, "")
		rm := RuleMetadata{
			ID: m.ID, Name: m.Name, Title: m.Title, Severity: m.Severity.String(),
			SecuritySeverity: sr.Properties.SecuritySeverity, Precision: sr.Properties.Precision,
			Tags: sr.Properties.Tags, Since: m.Since, Default: m.Default,
		}
		if helpURI != nil {
			rm.HelpURI = helpURI(m.ID)
		}
		if m.Title != "" {
			rm.Doc = rules.Markdown(m)
		}
		doc.Rules = append(doc.Rules, rm)
	}
	return doc
}

// WriteRulesJSON writes the metadata and documentation of ms as a
// RulesDoc, indented, ending in a newline.
func WriteRulesJSON(w io.Writer, tool, version string, ms []rules.Meta, helpURI func(string) string) error {
	return writeIndentedJSON(w, NewRulesDoc(tool, version, ms, helpURI))
}

// WriteRulesMarkdown writes an index of ms as a markdown table: ID (linked
// to its documentation when helpURI gives an address), name, severity and
// title.
func WriteRulesMarkdown(w io.Writer, ms []rules.Meta, helpURI func(string) string) error {
	var b strings.Builder
	b.WriteString("| ID | name | severity | title |\n|---|---|---|---|\n")
	cell := strings.NewReplacer("|", `\|`, "\n", " ")
	for _, m := range ms {
		id := m.ID
		if helpURI != nil {
			if u := helpURI(m.ID); u != "" {
				id = "[" + m.ID + "](" + u + ")"
			}
		}
		b.WriteString("| " + id + " | " + cell.Replace(m.Name) + " | " + m.Severity.String() + " | " + cell.Replace(m.Title) + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
