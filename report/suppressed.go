package report

import (
	"strings"

	"github.com/s3lint/s3lint/rules"
)

// Suppressed findings: SARIF marks them with a suppression, JSON lists them
// apart from the findings, and text shows them only on request.

// sarifSuppression is SARIF's suppression object.
type sarifSuppression struct {
	Kind          string         `json:"kind"` // inSource or external
	Status        string         `json:"status"`
	Justification string         `json:"justification,omitempty"`
	Location      *sarifLocation `json:"location,omitempty"`
}

// appendSuppressed adds the suppressed findings of r to results, each with
// its suppression, as long as GitHub's limit on results leaves room.
func appendSuppressed(results []sarifResult, r *Result, index map[string]int, loc *locator) []sarifResult {
	for _, s := range r.Suppressed {
		if len(results) >= maxSARIFResults {
			break
		}
		res := sarifResultOf(s.Finding, index, loc)
		sup := sarifSuppression{Kind: string(s.Suppression.Kind), Status: "accepted", Justification: s.Suppression.Justification}
		if sup.Kind == "" {
			sup.Kind = string(rules.InSource)
		}
		if pl, _ := loc.place(s.Suppression.Range.File, s.Suppression.Range); pl != nil {
			sup.Location = &sarifLocation{PhysicalLocation: pl}
		}
		res.Suppressions = []sarifSuppression{sup}
		results = append(results, res)
	}
	return results
}

// JSONSuppressed is a suppressed finding: a finding with the suppression
// that hides it.
type JSONSuppressed struct {
	JSONFinding
	Suppression JSONSuppression `json:"suppression"`
}

// JSONSuppression says why a finding is suppressed.
type JSONSuppression struct {
	// Kind is "inSource" (an s3lint:ignore comment or template Metadata)
	// or "external" (the baseline).
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
	// Location is where the suppression is written; empty for the
	// baseline.
	Location JSONLocation `json:"location"`
}

func jsonSuppressed(r *Result, idx map[string]int) []JSONSuppressed {
	out := make([]JSONSuppressed, 0, len(r.Suppressed))
	for _, s := range r.Suppressed {
		out = append(out, JSONSuppressed{
			JSONFinding: jsonFinding(r, idx, s.Finding),
			Suppression: JSONSuppression{
				Kind:          string(s.Suppression.Kind),
				Justification: s.Suppression.Justification,
				Location:      jsonLocation(s.Suppression.Range.File, s.Suppression.Range),
			},
		})
	}
	return out
}

// writeFindings writes the findings of r and, with o.ShowSuppressed, the
// suppressed ones among them in order, each marked and followed by its
// suppression.
func writeFindings(b *strings.Builder, r *Result, o TextOptions) {
	fs, ss := r.Findings, r.Suppressed
	if !o.ShowSuppressed {
		ss = nil
	}
	for len(fs) > 0 || len(ss) > 0 {
		if len(ss) == 0 || len(fs) > 0 && !findingLess(ss[0].Finding, fs[0]) {
			writeFinding(b, fs[0], o, "")
			fs = fs[1:]
			continue
		}
		s := ss[0]
		ss = ss[1:]
		writeFinding(b, s.Finding, o, " (suppressed)")
		what := "suppressed: "
		if s.Suppression.Kind == rules.External {
			what = "suppressed "
		}
		writeLine(b, relatedIndent, position(s.Suppression.Range.File, s.Suppression.Range),
			o.paint(ansiCyan, "note:"), what+s.Suppression.Justification, relatedIndent+messageIndent)
	}
}

// findingLess is the order of findings: file, position, rule, message.
func findingLess(a, b rules.Finding) bool {
	if a.Range != b.Range {
		return a.Range.Less(b.Range)
	}
	if a.RuleID != b.RuleID {
		return a.RuleID < b.RuleID
	}
	return a.Message < b.Message
}
