package config

import (
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
)

// expectKeys are the keys of an expect: entry.
var expectKeys = []string{"principal", "bucket", "prefix", "can", "cannot", "public"}

// expect reads the expect: list.
func (p *parser) expect(v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		if v.Tag != "!!null" {
			p.errorf(v, "expect: want a list of expectations (principal, bucket, can, cannot; or bucket and public)")
		}
		return
	}
	for _, item := range v.Content {
		if e, ok := p.expectation(item); ok {
			p.c.Expect = append(p.c.Expect, e)
		}
	}
}

// expectation reads one entry; ok is false when it has errors (reported).
func (p *parser) expectation(n *yaml.Node) (graph.Expectation, bool) {
	e := graph.Expectation{Range: p.nodeRange(n)}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "expect: an expectation is a mapping of %s", strings.Join(expectKeys, ", "))
		return e, false
	}
	before := len(p.errs)
	var verbsAt *yaml.Node
	for k, v := range p.mapping(n) {
		switch k.Value {
		case "principal", "bucket", "prefix":
			s, ok := p.scalar("expect: "+k.Value, v)
			if !ok {
				continue
			}
			if s == "" && k.Value != "prefix" {
				p.errorf(v, "expect: %s: want a name, address or ARN", k.Value)
				continue
			}
			val := graph.StringOf(s, p.nodeRange(v))
			switch k.Value {
			case "principal":
				e.Principal = val
			case "bucket":
				e.Bucket = val
			default:
				e.Prefix = val
			}
		case "can", "cannot":
			verbsAt = k
			for _, item := range p.verbList(k, v) {
				if k.Value == "can" {
					e.Can = append(e.Can, item)
				} else {
					e.Cannot = append(e.Cannot, item)
				}
			}
		case "public":
			if v.Kind != yaml.ScalarNode || (v.Value != "false" && v.Value != "true") {
				p.errorf(v, "expect: public: want false (or true)")
				continue
			}
			b := graph.BoolOf(v.Value == "true", p.nodeRange(v))
			e.Public = &b
		default:
			p.errorf(k, "expect: unknown key %q%s (want %s)", k.Value, suggest(k.Value, expectKeys), strings.Join(expectKeys, ", "))
		}
	}
	for _, verb := range e.Can {
		if slices.ContainsFunc(e.Cannot, func(c graph.String) bool { return c.V == verb.V }) {
			p.errorfAt(verb.Range, "expect: %q is both in can and in cannot", verb.V)
		}
	}
	switch {
	case len(p.errs) > before:
		// What is missing may be what was just reported as wrong.
	case e.Bucket.V == "" && e.Bucket.Range.IsZero():
		p.errorf(n, "expect: an expectation needs a bucket")
	case e.Principal.Range.IsZero() && verbsAt != nil:
		p.errorf(verbsAt, "expect: can and cannot need a principal")
	case verbsAt == nil && e.Public == nil:
		p.errorf(n, "expect: an expectation needs can or cannot (with a principal), or public")
	case e.Public != nil && !e.Principal.Range.IsZero() && verbsAt == nil:
		p.errorf(n, "expect: public is about everyone: leave principal out, or add can or cannot")
	}
	return e, len(p.errs) == before
}

// verbList reads a list of verbs (a single verb is a list of one).
func (p *parser) verbList(k, v *yaml.Node) []graph.String {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
	}
	var out []graph.String
	for _, n := range items {
		if n.Kind != yaml.ScalarNode || !slices.Contains(graph.ExpectVerbs, n.Value) {
			p.errorf(n, "expect: %s: want %s", k.Value, strings.Join(graph.ExpectVerbs, ", "))
			continue
		}
		out = append(out, graph.StringOf(n.Value, p.nodeRange(n)))
	}
	return out
}

// errorfAt reports an error at a range of the file.
func (p *parser) errorfAt(r graph.Range, format string, args ...any) {
	p.errorf(&yaml.Node{Line: r.Start.Line, Column: r.Start.Col}, format, args...)
}

// nodeRange is where a node is written: a scalar's text on its line, and
// a collection from its first character to the end of that line (yaml.v3
// gives no end positions).
func (p *parser) nodeRange(n *yaml.Node) graph.Range {
	start := p.pos(n.Line, n.Column)
	end := p.pos(n.Line+1, 1) // the end of the line
	if n.Kind == yaml.ScalarNode && n.Style == 0 && !strings.Contains(n.Value, "\n") {
		end = graph.Pos{Line: n.Line, Col: n.Column + utf8.RuneCountInString(n.Value),
			Byte: start.Byte + len(n.Value)}
	} else if end.Byte > start.Byte && p.src[end.Byte-1] == '\n' {
		end = graph.Pos{Line: n.Line, Col: n.Column + utf8.RuneCount(p.src[start.Byte:end.Byte-1]), Byte: end.Byte - 1}
	}
	return graph.Range{File: p.srcName, Start: start, End: end}
}

// pos is the position of a line and (character) column.
func (p *parser) pos(line, col int) graph.Pos {
	if line < 1 {
		return graph.Pos{Line: 1, Col: 1}
	}
	if line > len(p.lines) {
		n := len(p.lines)
		return graph.Pos{Line: n, Col: 1 + utf8.RuneCount(p.src[p.lines[n-1]:]), Byte: len(p.src)}
	}
	off := p.lines[line-1]
	for c := 1; c < col && off < len(p.src) && p.src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(p.src[off:])
		off += size
	}
	return graph.Pos{Line: line, Col: col, Byte: off}
}

// lineStarts returns the byte offset at which each line starts.
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}
