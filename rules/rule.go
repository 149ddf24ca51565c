// Package rules defines what a rule is, how it reports, and the registry that
// holds them. The rules themselves live one per file in this package
// (s3l010_*.go …) and are listed in All.
package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Severity of a rule or finding. The names match SARIF levels.
type Severity int

// Severities, in increasing order.
const (
	Note Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Note:
		return "note"
	case Warning:
		return "warning"
	case Error:
		return "error"
	default:
		return "none"
	}
}

// ParseSeverity reads "note", "warning", "error" (and "none", which is 0).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "note", "info":
		return Note, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	case "none":
		return 0, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning, note or none)", s)
}

// Meta describes a rule. It is plain data so that the CLI, the docs and the
// SARIF writer can all read it.
type Meta struct {
	ID       string // "S3L010"; used in config, suppressions and fixtures
	Name     string // "object-action-on-bucket-arn"
	Title    string // one line, lower case, no period
	Severity Severity
	// Doc is markdown: why the configuration ends in 403, bad and good
	// examples, and the fix.
	Doc   string
	Since string // version that introduced the rule
	// Default rules run unless turned off.
	Default bool
	// Precision is SARIF's precision property: very-high, high, medium, low.
	Precision string
	// Tags are extra SARIF tags; "security" and "s3" are always present.
	Tags []string
}

// SecuritySeverity is the score GitHub code scanning uses to rank alerts.
func (m Meta) SecuritySeverity() string {
	switch m.Severity {
	case Error:
		return "7.5"
	case Warning:
		return "5.0"
	default:
		return "2.0"
	}
}

// Related points at the other side of a finding, e.g. the bucket a policy
// statement refers to.
type Related struct {
	Range   graph.Range
	Message string
}

// Finding is one problem a rule found.
type Finding struct {
	RuleID   string
	Severity Severity
	Message  string
	Range    graph.Range // tight: the offending element
	Resource string      // context, e.g. "aws_s3_bucket_policy.logs"
	Related  []Related
	// Fix is the certain, mechanical repair of the finding, or nil.
	Fix *Fix
	// Fingerprint identifies the finding across unrelated edits (lines
	// added above it, files renamed elsewhere); the scanner fills it.
	Fingerprint string
}

// Rule is a check over the graph.
type Rule interface {
	Meta() Meta
	// Check reports findings through p. An error means the rule could not
	// run, not that it found a problem.
	Check(p *Pass) error
}

// Def is a Rule made of its metadata and a function.
type Def struct {
	M   Meta
	Run func(p *Pass) error
}

// Meta implements Rule.
func (d *Def) Meta() Meta { return d.M }

// Check implements Rule.
func (d *Def) Check(p *Pass) error { return d.Run(p) }

// Pass is what a rule sees while it runs.
type Pass struct {
	Graph    *graph.Graph
	rule     Meta
	findings []Finding
	named    map[string]bool
	engine   *policy.Engine
	sources  *Sources
}

// Engine returns the authorization engine over the pass's graph, shared by
// every rule of a scan (see WithEngine).
func (p *Pass) Engine() *policy.Engine {
	if p.engine == nil {
		p.engine = policy.NewEngine(p.Graph)
	}
	return p.engine
}

// WithEngine shares one engine (and its derived intents) among the passes
// of a scan.
func (p *Pass) WithEngine(e *policy.Engine) *Pass {
	p.engine = e
	return p
}

// bucketNames returns the names of the buckets in the graph whose names are
// known.
func (p *Pass) bucketNames() map[string]bool {
	if p.named == nil {
		p.named = map[string]bool{}
		for _, b := range p.Graph.Buckets {
			if b.Name.Known() && b.Name.V != "" && !graph.HasSymbol(b.Name.V) {
				p.named[b.Name.V] = true
			}
		}
	}
	return p.named
}

// NewPass prepares a pass of one rule over g.
func NewPass(g *graph.Graph, m Meta) *Pass { return &Pass{Graph: g, rule: m} }

// Findings returns what the rule reported.
func (p *Pass) Findings() []Finding { return p.findings }

// Report records a finding with the rule's severity.
func (p *Pass) Report(f Finding) {
	if f.RuleID == "" {
		f.RuleID = p.rule.ID
	}
	if f.Severity == 0 {
		f.Severity = p.rule.Severity
	}
	p.findings = append(p.findings, f)
}

// Reportf records a finding at the range of at.
func (p *Pass) Reportf(at graph.Ranged, format string, args ...any) {
	p.Report(Finding{Range: at.SourceRange(), Message: fmt.Sprintf(format, args...)})
}
