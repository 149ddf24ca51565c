package suppress

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// scanTemplate reads the directives of a CloudFormation template: comments
// in YAML (a "#" at the start of a line or after a blank, outside every
// scalar), and the ignore lists of resources' Metadata in YAML and JSON.
func scanTemplate(t *text, root *graph.Node, json bool) []*scoped {
	var out []*scoped
	if !json {
		out = append(out, templateComments(t, root)...)
	}
	return append(out, metadataIgnores(t, root)...)
}

// span is a byte range [start, end).
type span struct{ start, end int }

// merge sorts spans and joins those that overlap.
func merge(spans []span) []span {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && s.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

func templateComments(t *text, root *graph.Node) []*scoped {
	// Scalars (keys and values) hide "#": a quoted string or a block
	// scalar may hold one.
	var scalars []span
	reach := map[int]int{}
	extend := func(r graph.Range, end graph.Pos) {
		if end.Line > reach[r.Start.Line] {
			reach[r.Start.Line] = end.Line
		}
	}
	// Collections start where their first element does, so only fields
	// (from the key) and list elements mark the syntax of a line.
	var walk func(n *graph.Node)
	walk = func(n *graph.Node) {
		if n == nil {
			return
		}
		switch n.Kind {
		case graph.KindObject:
			for _, f := range n.Fields {
				scalars = append(scalars, span{f.KeyRange.Start.Byte, f.KeyRange.End.Byte})
				if f.Value != nil {
					extend(f.KeyRange, f.Value.Range.End)
				}
				walk(f.Value)
			}
		case graph.KindList:
			for _, e := range n.List {
				extend(e.Range, e.Range.End)
				walk(e)
			}
		default:
			scalars = append(scalars, span{n.Range.Start.Byte, n.Range.End.Byte})
		}
	}
	walk(root)
	scalars = merge(scalars)
	inScalar := func(off int) bool {
		i := sort.Search(len(scalars), func(i int) bool { return scalars[i].start > off }) - 1
		return i >= 0 && off < scalars[i].end
	}

	kinds := make([]lineKind, t.lines()+1)
	type found struct {
		d          Directive
		line       int
		trailing   bool
		start, end int
	}
	var comments []found
	for l := 1; l <= t.lines(); l++ {
		lineStart := t.starts[l-1]
		s := t.lineText(l)
		if len(bytes.TrimSpace(s)) == 0 {
			continue
		}
		kinds[l] = code
		for i := range s {
			if s[i] != '#' || (i > 0 && s[i-1] != ' ' && s[i-1] != '\t') || inScalar(lineStart+i) {
				continue
			}
			trailing := len(bytes.TrimSpace(s[:i])) > 0
			if !trailing {
				kinds[l] = comment
			}
			if bytes.Contains(s[i:], []byte(directivePrefix)) {
				if d, ok := ParseComment(string(s[i:])); ok {
					comments = append(comments, found{d: d, line: l, trailing: trailing, start: lineStart + i, end: lineStart + len(s)})
				}
			}
			break
		}
	}
	var out []*scoped
	for _, c := range comments {
		s := &scoped{Directive: c.d, file: t.name}
		s.Range = t.rng(c.start, c.end)
		if c.d.Kind == File {
			s.all = true
		} else if l := target(kinds, c.line, c.line, c.trailing); l > 0 {
			s.from, s.to = l, max(l, reach[l])
		}
		out = append(out, s)
	}
	return out
}

// metadataIgnores reads Resources.<ID>.Metadata.s3lint.ignore.
func metadataIgnores(t *text, root *graph.Node) []*scoped {
	res := root.Get("Resources")
	if res == nil || res.Kind != graph.KindObject {
		return nil
	}
	var out []*scoped
	for _, f := range res.Fields {
		md := f.Value.Get("Metadata")
		cfg := md.Field("s3lint")
		if cfg == nil {
			continue
		}
		names := []string{f.Key}
		if p := md.Get("aws:cdk:path"); p != nil && p.Kind == graph.KindString && p.Str != "" {
			names = append(names, p.Str, strings.TrimSuffix(p.Str, "/Resource"))
		}
		scope := func(d Directive) *scoped {
			d.Kind = Metadata
			return &scoped{Directive: d, file: t.name, from: f.KeyRange.Start.Line,
				to: f.Value.Range.End.Line, resources: names}
		}
		invalid := func(r graph.Range, format string, args ...any) {
			s := scope(Directive{Problems: []string{fmt.Sprintf(format, args...)}})
			s.Range = r
			out = append(out, s)
		}
		if cfg.Value.Kind != graph.KindObject {
			invalid(cfg.Value.Range, "Metadata s3lint must be a mapping with the key ignore")
			continue
		}
		for _, k := range cfg.Value.Fields {
			if k.Key != "ignore" {
				invalid(k.KeyRange, "unknown key %q in Metadata s3lint (want ignore)", k.Key)
			}
		}
		list := cfg.Value.Get("ignore")
		if list == nil {
			continue
		}
		if list.Kind != graph.KindList {
			invalid(list.Range, "Metadata s3lint ignore must be a list of {id, reason, expires}")
			continue
		}
		for _, e := range list.List {
			s := scope(metadataEntry(e))
			s.Range = e.Range
			out = append(out, s)
		}
	}
	return out
}

// metadataEntry reads one {id, reason, expires} entry.
func metadataEntry(e *graph.Node) Directive {
	var d Directive
	if e.Kind != graph.KindObject {
		d.Problems = append(d.Problems, "an ignore entry must be a mapping with id and reason (and optionally expires)")
		return d
	}
	for _, f := range e.Fields {
		switch f.Key {
		case "id":
			d.IDs = append(d.IDs, metadataIDs(f.Value, &d)...)
		case "reason":
			if f.Value.Kind != graph.KindString {
				d.Problems = append(d.Problems, "reason must be a string")
				continue
			}
			d.Reason = strings.TrimSpace(f.Value.Str)
		case "expires", "exp":
			if f.Value.Kind != graph.KindString {
				d.Problems = append(d.Problems, "expires must be a date, YYYY-MM-DD")
				continue
			}
			d.setExpiry(f.Value.Str)
		default:
			d.Problems = append(d.Problems, fmt.Sprintf("unknown key %q in an ignore entry (want id, reason, expires)", f.Key))
		}
	}
	if len(d.IDs) == 0 && e.Get("id") == nil {
		d.Problems = append(d.Problems, "the ignore entry names no rule: add id: S3L010")
	}
	if d.Reason == "" {
		d.Problems = append(d.Problems, "the ignore entry needs a reason")
	}
	return d
}

// metadataIDs reads id: a string of IDs ("S3L010", "S3L010,S3L011") or a
// list of them.
func metadataIDs(n *graph.Node, d *Directive) []string {
	var words []*graph.Node
	switch n.Kind {
	case graph.KindString:
		words = []*graph.Node{n}
	case graph.KindList:
		words = n.List
	default:
		d.Problems = append(d.Problems, "id must be a rule ID or a list of them")
		return nil
	}
	var ids []string
	for _, w := range words {
		if w.Kind != graph.KindString {
			d.Problems = append(d.Problems, "id must be a rule ID or a list of them")
			continue
		}
		for _, word := range strings.Fields(strings.ReplaceAll(w.Str, ",", " ")) {
			got, ok := splitIDs(word)
			if !ok {
				d.Problems = append(d.Problems, fmt.Sprintf("%q is not a rule ID (want S3L010)", word))
				continue
			}
			ids = append(ids, got...)
		}
	}
	return ids
}
