package terraform

import (
	"errors"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
)

// Located nodes: policy documents become graph.Node trees whose every part
// carries the range of the text that wrote it, found through origins
// (locate.go).

// valueNode converts a value to a located node, taking positions from its
// origin.
func (l *loader) valueNode(v cty.Value, o *origin, fb graph.Range) *graph.Node {
	n := ctyNode(v)
	l.align(n, o, fb)
	return n
}

// ctyNode converts a value to an unlocated node.
func ctyNode(v cty.Value) *graph.Node {
	switch {
	case !v.IsKnown():
		return &graph.Node{Kind: graph.KindUnknown}
	case v.IsNull():
		return &graph.Node{Kind: graph.KindNull}
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return &graph.Node{Kind: graph.KindString, Str: v.AsString()}
	case ty == cty.Number:
		return &graph.Node{Kind: graph.KindNumber, Str: v.AsBigFloat().Text('f', -1)}
	case ty == cty.Bool:
		return &graph.Node{Kind: graph.KindBool, Bool: v.True()}
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		n := &graph.Node{Kind: graph.KindList}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n.List = append(n.List, ctyNode(e))
		}
		return n
	case ty.IsMapType() || ty.IsObjectType():
		n := &graph.Node{Kind: graph.KindObject}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			n.Fields = append(n.Fields, graph.Field{Key: k.AsString(), Value: ctyNode(e)})
		}
		return n
	default:
		return &graph.Node{Kind: graph.KindUnknown}
	}
}

// align gives every node of a tree the range of the expression that wrote
// it.
func (l *loader) align(n *graph.Node, o *origin, fb graph.Range) {
	r := l.rangeOf(o, fb)
	n.Range = r
	switch n.Kind {
	case graph.KindUnknown:
		if s, symbolic := l.templateText(o); symbolic {
			n.Kind, n.Str = graph.KindString, s
		} else if shape, ok := graph.ShapeOf(s); ok && !strings.Contains(shape, `"`) {
			// (A quote comes from an unknown jsonencode: no ARN.)
			n.Str = shape
		}
	case graph.KindObject:
		for i := range n.Fields {
			f := &n.Fields[i]
			var sub *origin
			var kr graph.Range
			if o != nil {
				sub, kr = l.stepAttr(o, f.Key)
			}
			l.align(f.Value, sub, r)
			if kr.IsZero() {
				kr = f.Value.Range
			}
			f.KeyRange = kr
		}
	case graph.KindList:
		for i, e := range n.List {
			var sub *origin
			if o != nil {
				sub = l.stepIndex(o, i)
			}
			l.align(e, sub, r)
		}
	}
}

// docNode locates a policy document given as a JSON string (or, rarely, as
// an object).
func (l *loader) docNode(v cty.Value, o *origin, fb graph.Range) *graph.Node {
	ro := l.resolve(o)
	if ro != nil && ro.text != nil {
		return ro.text
	}
	if call, ok := exprOf(ro).(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" && len(call.Args) == 1 && !v.IsKnown() {
		// One unknown part makes jsonencode's whole result unknown; its
		// argument keeps the known statements, which are still worth
		// checking.
		arg := &origin{expr: call.Args[0], in: ro.in, sc: ro.sc}
		n := l.valueNode(ro.in.eval(call.Args[0], ro.sc), arg, l.rangeOf(o, fb))
		n.Range = l.rangeOf(o, fb)
		return n
	}
	if tmpl, ok := exprOf(ro).(*hclsyntax.TemplateExpr); ok && !v.IsKnown() {
		// A heredoc with an unknown interpolation: parse it with the
		// unknown parts marked, so the rest is still checked.
		if text, m, ok := l.renderTemplate(tmpl, ro); ok {
			if n, err := jsonpos.Parse([]byte(text), m, jsonpos.Options{}); err == nil {
				markUnknown(n)
				return n
			}
		}
	}
	if call, ok := exprOf(ro).(*hclsyntax.FunctionCallExpr); ok && call.Name == "templatefile" && !v.IsKnown() {
		// A template file rendered with an unknown variable (an ARN
		// computed at apply): like the heredoc above, in the file.
		if text, m, ok := l.fileCallText(call, ro); ok {
			if n, err := jsonpos.Parse([]byte(text), m, jsonpos.Options{}); err == nil {
				markUnknown(n)
				return n
			}
		}
	}
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return l.textNode(v.AsString(), o, fb)
	}
	return l.valueNode(v, o, fb)
}

// textNode parses JSON text and locates it: inside the heredoc or string
// that holds it, in the arguments of the jsonencode that produced it, in
// the file that file() or templatefile() read it from, or in the policy
// document data source that rendered it.
func (l *loader) textNode(text string, o *origin, fb graph.Range) *graph.Node {
	ro := l.resolve(o)
	if ro != nil && ro.text != nil {
		return ro.text
	}
	whole := l.rangeOf(o, fb)
	flat := func(_, _ int) graph.Range { return whole }
	if ro != nil && ro.expr != nil {
		switch e := ro.expr.(type) {
		case *hclsyntax.FunctionCallExpr:
			switch {
			case e.Name == "jsonencode" && len(e.Args) == 1:
				n, err := jsonpos.Parse([]byte(text), flat, jsonpos.Options{})
				if err == nil {
					l.align(n, &origin{expr: e.Args[0], in: ro.in, sc: ro.sc}, whole)
					return n
				}
			case e.Name == "file" || e.Name == "templatefile":
				if n, ok := l.fileNode(text, e, ro, whole); ok {
					return n
				}
			}
		case *hclsyntax.TemplateExpr:
			if rendered, m, ok := l.renderTemplate(e, ro); ok && rendered == text {
				n, err := jsonpos.Parse([]byte(text), m, jsonpos.Options{})
				if err == nil {
					return n
				}
				return l.invalidJSON(text, err, m, whole)
			}
		}
	}
	n, err := jsonpos.Parse([]byte(text), flat, jsonpos.Options{})
	if err != nil {
		return l.invalidJSON(text, err, flat, whole)
	}
	return n
}

// invalidJSON stands for a policy document whose text does not parse. Text
// that starts like JSON is meant to be a document: its syntax error is a
// warning at its place (m maps the text to the source), and the document is
// unknown. Other text is left to the policy parser, which reports a
// document of the wrong shape.
func (l *loader) invalidJSON(text string, err error, m jsonpos.Mapper, whole graph.Range) *graph.Node {
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if !strings.HasPrefix(trimmed, "{") && !strings.HasPrefix(trimmed, "[") {
		return &graph.Node{Kind: graph.KindString, Str: text, Range: whole}
	}
	at, msg := whole, err.Error()
	var se *jsonpos.SyntaxError
	if errors.As(err, &se) && se.Offset < len(text) {
		at = m(se.Offset, se.Offset+1)
	}
	l.diagRange(graph.DiagWarning, at, "policy: not valid JSON: "+msg+" (AWS rejects this document)")
	return &graph.Node{Kind: graph.KindUnknown, Range: whole}
}

// unknownMark stands in rendered template text for an interpolation whose
// value cannot be known: a private-use character, valid inside JSON strings
// and never written by people, so the text can still be parsed and the
// strings holding it marked unknown.
const unknownMark = graph.UnknownPart

// renderTemplate renders a template (a heredoc or quoted string) part by
// part, mapping each byte of the text back to the source: literal text
// character by character, interpolations to their whole ${…}. Unknown
// interpolations render as unknownMark. ok is false when a part cannot be
// rendered.
func (l *loader) renderTemplate(e *hclsyntax.TemplateExpr, o *origin) (text string, m jsonpos.Mapper, ok bool) {
	if o.in == nil {
		return "", nil, false
	}
	return l.renderParts(e, func(part hclsyntax.Expression) (cty.Value, bool) { return o.in.evalNaming(part, o.sc), true })
}

// templateText renders a string template whose value is unknown, with
// unknownMark (graph.UnknownPart) for each part that is. symbolic is true
// when it is unknown only because it interpolates the name of a bucket the
// configuration creates and that cannot be known before apply
// ("arn:aws:s3:::${aws_s3_bucket.logs.id}/*" with a generated name): the
// bucket's symbol stands for its name, as it does in the bucket's arn, and
// text is then the string. Otherwise text, when not empty, is the string's
// shape (graph.ShapeOf).
func (l *loader) templateText(o *origin) (text string, symbolic bool) {
	if o == nil || o.expr == nil {
		return "", false
	}
	ro := l.resolve(o)
	e, isTemplate := exprOf(ro).(*hclsyntax.TemplateExpr)
	if !isTemplate || ro.in == nil {
		return "", false
	}
	text, _, ok := l.renderTemplate(e, ro)
	if !ok {
		return "", false
	}
	return text, !strings.Contains(text, unknownMark) && graph.HasSymbol(text)
}

// renderParts renders a template parsed from a file of the loader's table,
// evaluating each interpolation or directive with eval (false: the part
// cannot be rendered).
func (l *loader) renderParts(e *hclsyntax.TemplateExpr, eval func(hclsyntax.Expression) (cty.Value, bool)) (text string, m jsonpos.Mapper, ok bool) {
	f := l.file(e.SrcRange.Filename)
	if f == nil {
		return "", nil, false
	}
	var b strings.Builder
	var startOf, endOf []int
	for _, part := range e.Parts {
		pr := part.Range()
		if pr.Start.Byte < 0 || pr.End.Byte > len(f.Bytes) || pr.Start.Byte > pr.End.Byte {
			return "", nil, false
		}
		if lit, isLit := part.(*hclsyntax.LiteralValueExpr); isLit && lit.Val.Type() == cty.String {
			s := lit.Val.AsString()
			alignLiteral(&startOf, &endOf, s, f.Bytes[pr.Start.Byte:pr.End.Byte], pr.Start.Byte)
			b.WriteString(s)
			continue
		}
		s := unknownMark
		if call, ok := unwrapTemplatePart(part).(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" {
			// An unknown jsonencode stands where a JSON value goes.
			s = `"` + unknownMark + `"`
		}
		v, ok := eval(part)
		if !ok {
			return "", nil, false
		}
		if v.IsKnown() {
			if v.IsNull() {
				return "", nil, false
			}
			sv, err := convert.Convert(v, cty.String)
			if err != nil {
				return "", nil, false
			}
			s = sv.AsString()
		}
		b.WriteString(s)
		for range len(s) {
			startOf = append(startOf, pr.Start.Byte)
			endOf = append(endOf, pr.End.Byte)
		}
	}
	m = func(start, end int) graph.Range {
		if start >= len(startOf) || end <= start {
			return l.byteRange(f.Name, e.SrcRange.End.Byte, e.SrcRange.End.Byte)
		}
		return l.byteRange(f.Name, startOf[start], endOf[min(end, len(endOf))-1])
	}
	return b.String(), m, true
}

// markUnknown turns strings that hold unknownMark into unknown nodes, and
// objects with such a key into unknown objects.
func markUnknown(n *graph.Node) {
	switch n.Kind {
	case graph.KindString:
		if strings.Contains(n.Str, unknownMark) {
			// No shape: an interpolation in JSON text may write quotes
			// and commas, and so several strings where one is seen.
			n.Kind, n.Str = graph.KindUnknown, ""
		}
	case graph.KindList:
		for _, e := range n.List {
			markUnknown(e)
		}
	case graph.KindObject:
		for _, f := range n.Fields {
			if strings.Contains(f.Key, unknownMark) {
				n.Kind, n.Fields = graph.KindUnknown, nil
				return
			}
		}
		for _, f := range n.Fields {
			markUnknown(f.Value)
		}
	}
}

// alignLiteral maps each byte of a literal's value to the source bytes that
// wrote it. The value can be shorter than the source: a flush heredoc drops
// indentation, $${ and %%{ drop a character, escapes in quoted strings drop
// the backslash. Those dropped bytes are skipped; anything else unexpected
// maps to the current source position, so positions degrade gently instead
// of drifting.
func alignLiteral(startOf, endOf *[]int, val string, src []byte, base int) {
	j := 0
	for i := range len(val) {
		esc := -1 // where an escape that produced this byte begins
		for j < len(src) && src[j] != val[i] && (src[j] == ' ' || src[j] == '\t' || src[j] == '$' || src[j] == '%' || src[j] == '\\' || src[j] == '\r') {
			if esc < 0 && (src[j] == '\\' || src[j] == '$' || src[j] == '%') {
				esc = j
			}
			j++
		}
		pos := base + min(j, len(src))
		start := pos
		if esc >= 0 {
			start = base + esc
		}
		*startOf = append(*startOf, start)
		*endOf = append(*endOf, min(pos+1, base+len(src)))
		if j < len(src) {
			j++
		}
	}
}

// exprOf is the expression of an origin, or nil.
func exprOf(o *origin) hcl.Expression {
	if o == nil {
		return nil
	}
	return o.expr
}

// unwrapTemplatePart looks through the wrapping of a template
// interpolation.
func unwrapTemplatePart(e hclsyntax.Expression) hcl.Expression {
	if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		return w.Wrapped
	}
	return e
}
