package rules

import "github.com/s3lint/s3lint/graph"

// SuppressionKind says where a suppression is written, in SARIF's words.
type SuppressionKind string

// The kinds of suppression.
const (
	// InSource: an s3lint:ignore comment or a template resource's
	// Metadata, in the scanned files.
	InSource SuppressionKind = "inSource"
	// External: a baseline file.
	External SuppressionKind = "external"
)

// Suppression says why a finding is not reported.
type Suppression struct {
	Kind SuppressionKind
	// Justification is the reason written with the suppression, or what
	// accepted the finding ("in the baseline s3lint-baseline.json").
	Justification string
	// Range is where the suppression is written; zero for a baseline.
	Range graph.Range
}

// SuppressedFinding is a finding that a suppression hides: it does not
// count towards the exit code and text output leaves it out unless asked,
// while SARIF and JSON keep it, marked.
type SuppressedFinding struct {
	Finding
	Suppression Suppression
}
