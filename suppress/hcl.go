package suppress

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// moduleCall is a module block of a Terraform file.
type moduleCall struct {
	name   string
	source string // the source argument when it is a literal; "" otherwise
	line   int    // the line of the block header
}

// scanHCL reads the directives of a Terraform file and the module calls it
// makes. Comments are found with the HCL lexer, so "#" and "//" inside
// strings and heredocs are not comments.
func scanHCL(t *text) ([]*scoped, []moduleCall) {
	tokens, _ := hclsyntax.LexConfig(t.src, t.name, hcl.InitialPos)
	kinds := make([]lineKind, t.lines()+1)
	for _, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenComment, hclsyntax.TokenNewline, hclsyntax.TokenEOF:
			continue
		}
		for l := tok.Range.Start.Line; l <= tok.Range.End.Line && l < len(kinds); l++ {
			kinds[l] = code
		}
	}
	type found struct {
		d           Directive
		first, last int
		trailing    bool
		start, end  int
	}
	var comments []found
	for _, tok := range tokens {
		if tok.Type != hclsyntax.TokenComment {
			continue
		}
		start := tok.Range.Start.Byte
		end := start + len(bytes.TrimRight(tok.Bytes, "\r\n"))
		first, last := t.line(start), t.line(max(start, end-1))
		for l := first; l <= last; l++ {
			if kinds[l] == blank {
				kinds[l] = comment
			}
		}
		if !bytes.Contains(tok.Bytes, []byte(directivePrefix)) {
			continue
		}
		d, ok := ParseComment(string(t.src[start:end]))
		if !ok {
			continue
		}
		comments = append(comments, found{d: d, first: first, last: last, trailing: !t.onlySpaceBefore(start), start: start, end: end})
	}
	if len(comments) == 0 {
		return nil, modulesOf(t)
	}

	// The extent of the syntax that starts on each line: blocks,
	// attributes, expressions (a heredoc, a jsonencode call, an object of
	// a list).
	reach := map[int]int{}
	file, _ := hclsyntax.ParseConfig(t.src, t.name, hcl.InitialPos)
	var calls []moduleCall
	if file != nil {
		if body, ok := file.Body.(*hclsyntax.Body); ok {
			_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
				if _, isBody := n.(*hclsyntax.Body); isBody {
					return nil
				}
				r := n.Range()
				if r.End.Line > reach[r.Start.Line] {
					reach[r.Start.Line] = r.End.Line
				}
				return nil
			})
			calls = moduleCalls(body)
		}
	}
	var out []*scoped
	for _, c := range comments {
		s := &scoped{Directive: c.d, file: t.name}
		s.Range = t.rng(c.start, c.end)
		if c.d.Kind == File {
			s.all = true
			out = append(out, s)
			continue
		}
		if l := target(kinds, c.first, c.last, c.trailing); l > 0 {
			s.from, s.to = l, max(l, reach[l])
			for _, m := range calls {
				if m.line == l {
					s.module = m.name
				}
			}
		}
		out = append(out, s)
	}
	return out, calls
}

// modulesOf returns the module calls of a Terraform file.
func modulesOf(t *text) []moduleCall {
	if !bytes.Contains(t.src, []byte("module")) {
		return nil
	}
	file, _ := hclsyntax.ParseConfig(t.src, t.name, hcl.InitialPos)
	if file == nil {
		return nil
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	return moduleCalls(body)
}

func moduleCalls(body *hclsyntax.Body) []moduleCall {
	var out []moduleCall
	for _, b := range body.Blocks {
		if b.Type != "module" || len(b.Labels) != 1 {
			continue
		}
		m := moduleCall{name: b.Labels[0], line: b.TypeRange.Start.Line}
		if a := b.Body.Attributes["source"]; a != nil {
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				m.source = v.AsString()
			}
		}
		out = append(out, m)
	}
	return out
}

// localSource returns the directory a module source names when it is a
// local path ("./x", "../x"), relative to dir; "" otherwise.
func localSource(dir, source string) string {
	if !strings.HasPrefix(source, "./") && !strings.HasPrefix(source, "../") {
		return ""
	}
	return filepath.ToSlash(filepath.Clean(filepath.Join(dir, source)))
}
