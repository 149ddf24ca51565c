package report

import (
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// Result is everything a writer needs. Findings and Diagnostics arrive
// sorted; writers keep that order so output is deterministic.
type Result struct {
	Tool    string // "s3lint"
	Version string
	// Rules are the rules that ran, sorted by ID.
	Rules    []rules.Meta
	Findings []rules.Finding
	// Suppressed are the findings that s3lint:ignore comments, template
	// Metadata or a baseline suppress, sorted like Findings. They do not
	// count as findings: SARIF writes them with a suppression, JSON in a
	// list of their own, and text only when asked.
	Suppressed []rules.SuppressedFinding
	// Diagnostics are input problems (parse errors) and notes from loading.
	Diagnostics []graph.Diagnostic
	// SrcRoot is the absolute directory that SARIF URIs are relative to
	// (the repository root); file names in ranges are relative to the
	// working directory or absolute.
	SrcRoot string
	// WorkDir is the absolute working directory that relative file names
	// in ranges start from.
	WorkDir string
	// HelpURI returns the documentation address of a rule.
	HelpURI func(id string) string
}
