// Package graph is s3lint's neutral model of the infrastructure under scan:
// buckets, policies and their statements, principals, keys, endpoints and
// accounts. Loaders for Terraform, CloudFormation and plan JSON fill it; rules
// read it. It imports no parser, so every rule works on every input format.
//
// Every value remembers the source range that produced it and may be unknown.
// An unknown value never produces a finding on its own.
package graph

import (
	"fmt"
	"strconv"
)

// Pos is a position in a source file. Line and Col are 1-based (Col counts
// characters, not bytes, as editors and SARIF do); Byte is the 0-based offset.
type Pos struct {
	Line, Col, Byte int
}

// Range is a span of a source file; End is exclusive.
type Range struct {
	File       string
	Start, End Pos
}

// IsZero reports whether r carries no position at all.
func (r Range) IsZero() bool { return r.File == "" && r.Start.Line == 0 }

// SourceRange lets a Range stand wherever something with a range is expected.
func (r Range) SourceRange() Range { return r }

// String formats r as "file:line:col-line:col", the form used in messages.
func (r Range) String() string {
	if r.IsZero() {
		return "<unknown>"
	}
	return fmt.Sprintf("%s:%d:%d-%d:%d", r.File, r.Start.Line, r.Start.Col, r.End.Line, r.End.Col)
}

// Short formats r as "file:line", the form used to point at the other side of
// a finding.
func (r Range) Short() string {
	if r.IsZero() {
		return "<unknown>"
	}
	return r.File + ":" + strconv.Itoa(r.Start.Line)
}

// Contains reports whether p lies inside r (same file assumed).
func (r Range) Contains(p Pos) bool {
	return p.Byte >= r.Start.Byte && p.Byte < r.End.Byte
}

// Ranged is anything that knows where it came from.
type Ranged interface {
	SourceRange() Range
}

// Less orders ranges by file, then start line and column, then end; it is the
// order in which findings are printed.
func (r Range) Less(o Range) bool {
	if r.File != o.File {
		return r.File < o.File
	}
	if r.Start.Line != o.Start.Line {
		return r.Start.Line < o.Start.Line
	}
	if r.Start.Col != o.Start.Col {
		return r.Start.Col < o.Start.Col
	}
	if r.End.Line != o.End.Line {
		return r.End.Line < o.End.Line
	}
	return r.End.Col < o.End.Col
}
