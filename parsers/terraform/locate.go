package terraform

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// Positions. Values are computed with HCL's own evaluator; where each part
// of a value came from is found afterwards by walking the expressions that
// produced it, in step with the value: into object and tuple constructors,
// through references to locals, variables (to the caller's argument), module
// outputs and other resources' attributes, through jsonencode and into the
// JSON text of heredocs. Where the walk cannot follow (a function that
// reshapes its input), the part keeps the range of the last expression that
// could be followed, so a finding is never placed wrongly, only less tightly.

// origin is where a value came from: an expression evaluated in a module
// instance and scope, an already located node (JSON parsed from text), or a
// resource (one instance, one of its attributes, or all its instances).
type origin struct {
	expr hcl.Expression
	in   *instance
	sc   *scope
	node *graph.Node
	// text marks an origin whose value is a JSON string that has already
	// been parsed into a located document (aws_iam_policy_document).
	text *graph.Node
	// res is a resource instance; with attr, one of its attributes.
	res  *resInstance
	attr string
	// coll is a counted or for_each'd resource: all its instances.
	coll *resourceState
}

// maxHops bounds the walk through references, so a self-referencing
// configuration cannot make it loop.
const maxHops = 64

// rangeOf is the range of the expression written at this position (not of
// what it refers to), falling back to fb.
func (l *loader) rangeOf(o *origin, fb graph.Range) graph.Range {
	switch {
	case o == nil:
		return fb
	case o.node != nil:
		return o.node.Range
	case o.text != nil:
		return o.text.Range
	case o.expr != nil:
		return l.rng(o.expr.Range())
	default:
		return fb
	}
}

// resolve follows pass-through expressions (parentheses, "${x}", references,
// type conversions) to the expression that actually builds the value.
func (l *loader) resolve(o *origin) *origin {
	for range maxHops {
		if o == nil || o.expr == nil && o.res == nil {
			return o
		}
		next := l.resolveOnce(o)
		if next == nil || next == o {
			return o
		}
		o = next
	}
	return o
}

func (l *loader) resolveOnce(o *origin) *origin {
	if o.res != nil {
		return resourceAttrOrigin(o.res, o.attr)
	}
	if o.expr == nil {
		return nil
	}
	expr := hcl.UnwrapExpression(o.expr)
	if expr != o.expr {
		return &origin{expr: expr, in: o.in, sc: o.sc}
	}
	switch e := expr.(type) {
	case *hclsyntax.ParenthesesExpr:
		return &origin{expr: e.Expression, in: o.in, sc: o.sc}
	case *hclsyntax.TemplateWrapExpr:
		return &origin{expr: e.Wrapped, in: o.in, sc: o.sc}
	case *hclsyntax.ScopeTraversalExpr:
		return l.traversalOrigin(o.in, o.sc, e.Traversal)
	case *hclsyntax.RelativeTraversalExpr:
		return l.applySteps(&origin{expr: e.Source, in: o.in, sc: o.sc}, e.Traversal)
	case *hclsyntax.IndexExpr:
		key := o.in.eval(e.Key, o.sc)
		return l.stepKey(&origin{expr: e.Collection, in: o.in, sc: o.sc}, key)
	case *hclsyntax.FunctionCallExpr:
		switch e.Name {
		case "tolist", "tomap", "tostring", "try", "sensitive", "nonsensitive", "coalesce":
			if len(e.Args) > 0 {
				return &origin{expr: e.Args[0], in: o.in, sc: o.sc}
			}
		}
	case *hclsyntax.ConditionalExpr:
		c := o.in.eval(e.Condition, o.sc)
		if c.IsKnown() && !c.IsNull() {
			if b, err := convert.Convert(c, cty.Bool); err == nil {
				if b.True() {
					return &origin{expr: e.TrueResult, in: o.in, sc: o.sc}
				}
				return &origin{expr: e.FalseResult, in: o.in, sc: o.sc}
			}
		}
	default:
		if json.IsJSONExpression(expr) {
			return l.jsonTemplate(o)
		}
	}
	return nil
}

// jsonTemplate re-reads a string of a .tf.json file as the template it is,
// so that interpolations inside it can be followed. The template is parsed
// from the unescaped text under a virtual file name whose offsets map back
// to the JSON source, so positions stay exact despite escapes.
func (l *loader) jsonTemplate(o *origin) *origin {
	r := o.expr.Range()
	f := l.files[r.Filename]
	if f == nil || r.Start.Byte < 0 || r.End.Byte > len(f.Bytes) || r.End.Byte-r.Start.Byte < 2 || f.Bytes[r.Start.Byte] != '"' {
		return nil
	}
	text, offsets, ok := unquoteJSON(f.Bytes[r.Start.Byte:r.End.Byte], r.Start.Byte)
	if !ok {
		return nil
	}
	name := fmt.Sprintf("%s\x00%d", r.Filename, r.Start.Byte)
	if _, seen := l.virtual[name]; !seen {
		l.virtual[name] = &virtualFile{real: r.Filename, offsets: offsets}
		l.files[name] = source.NewFile(name, []byte(text))
	}
	tmpl, diags := hclsyntax.ParseTemplate([]byte(text), name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	return &origin{expr: tmpl, in: o.in, sc: o.sc}
}

// virtualFile is text unescaped from a JSON string: offsets[i] is the byte
// of the real file where byte i of the text was written (with one extra
// entry for the end).
type virtualFile struct {
	real    string
	offsets []int
}

// unquoteJSON unescapes a JSON string literal (with its quotes), recording
// for each output byte the source offset it came from.
func unquoteJSON(src []byte, base int) (string, []int, bool) {
	var out []byte
	var offs []int
	for i := 1; i < len(src)-1; {
		c := src[i]
		if c != '\\' {
			out = append(out, c)
			offs = append(offs, base+i)
			i++
			continue
		}
		if i+1 >= len(src)-1 {
			return "", nil, false
		}
		var rep string
		n := 2
		switch src[i+1] {
		case '"', '\\', '/':
			rep = string(src[i+1])
		case 'b':
			rep = "\b"
		case 'f':
			rep = "\f"
		case 'n':
			rep = "\n"
		case 'r':
			rep = "\r"
		case 't':
			rep = "\t"
		case 'u':
			if i+6 > len(src)-1 {
				return "", nil, false
			}
			v, err := strconv.ParseUint(string(src[i+2:i+6]), 16, 32)
			if err != nil {
				return "", nil, false
			}
			rep, n = string(rune(v)), 6
		default:
			return "", nil, false
		}
		for range len(rep) {
			offs = append(offs, base+i)
		}
		out = append(out, rep...)
		i += n
	}
	offs = append(offs, base+len(src)-1)
	return string(out), offs, true
}

// traversalOrigin finds where a reference's value is written.
func (l *loader) traversalOrigin(in *instance, sc *scope, tr hcl.Traversal) *origin {
	if in == nil {
		return nil
	}
	root := tr.RootName()
	switch root {
	case "local":
		name, ok := attrStep(tr, 1)
		if !ok || in.mod.locals[name] == nil {
			return nil
		}
		return l.applySteps(&origin{expr: in.mod.locals[name].Expr, in: in}, tr[2:])
	case "var":
		name, ok := attrStep(tr, 1)
		if !ok {
			return nil
		}
		return l.applySteps(in.variableOrigin(name), tr[2:])
	case "module":
		name, ok := attrStep(tr, 1)
		if !ok {
			return nil
		}
		cs := in.child(name)
		if cs == nil || !cs.followed {
			return nil
		}
		rest := tr[2:]
		ci, rest := pickInstance(cs.insts, cs.exp.keys, rest)
		if ci == nil || len(rest) == 0 {
			return nil
		}
		out, ok := rest[0].(hcl.TraverseAttr)
		if !ok || ci.mod.outputs[out.Name] == nil {
			return nil
		}
		return l.applySteps(&origin{expr: ci.mod.outputs[out.Name].Expr, in: ci}, rest[1:])
	case "each":
		name, ok := attrStep(tr, 1)
		if !ok || name != "value" || sc == nil || sc.forEach == nil || !sc.eachKey.IsKnown() {
			return nil
		}
		fe := &origin{expr: sc.forEach, in: sc.forEachInst}
		return l.applySteps(l.stepKey(fe, sc.eachKey), tr[2:])
	case "count", "path", "terraform", "self":
		return nil
	}
	key := root
	rest := tr[1:]
	if root == "data" {
		typ, ok := attrStep(tr, 1)
		if !ok {
			return nil
		}
		key = "data." + typ
		rest = tr[2:]
	}
	if len(rest) == 0 {
		return nil
	}
	name, ok := rest[0].(hcl.TraverseAttr)
	if !ok {
		return nil
	}
	return l.applySteps(resourceOrigin(in, key+"."+name.Name), rest[1:])
}

// resourceOrigin is the origin of a resource's value: its one instance, or
// the collection of its counted or for_each'd instances.
func resourceOrigin(in *instance, key string) *origin {
	rs := in.resourceState(key)
	if rs == nil || rs.state != done || len(rs.insts) == 0 {
		return nil
	}
	if len(rs.insts) == 1 && rs.exp.keys[0] == cty.NilVal {
		return &origin{res: rs.insts[0]}
	}
	return &origin{coll: rs}
}

// resourceAttrOrigin is where a resource attribute's value is written: the
// configured expression, or the document an aws_iam_policy_document
// renders. Computed attributes have no origin.
func resourceAttrOrigin(ri *resInstance, attr string) *origin {
	switch {
	case attr == "":
		return nil
	case ri.doc != nil && (attr == "json" || attr == "minified_json"):
		return &origin{text: ri.doc}
	}
	a := ri.body.attr(attr)
	if a == nil {
		return nil
	}
	return &origin{expr: a.attr.Expr, in: ri.in, sc: ri.sc}
}

// instanceByKey picks the instance of a collection with the given key.
func instanceByKey(rs *resourceState, key cty.Value) *resInstance {
	for i, k := range rs.exp.keys {
		if k != cty.NilVal && k.IsKnown() && keyEquals(k, key) {
			return rs.insts[i]
		}
	}
	return nil
}

// variableOrigin is where a variable's value is written: the caller's
// argument, a tfvars entry, or the default.
func (in *instance) variableOrigin(name string) *origin {
	decl := in.mod.variables[name]
	if decl == nil {
		return nil
	}
	switch {
	case in.call != nil && in.call.inputs[name] != nil:
		return &origin{expr: in.call.inputs[name].Expr, in: in.parent, sc: in.callScope}
	case in.call == nil && in.rootVars[name].expr != nil:
		return &origin{expr: in.rootVars[name].expr, in: in}
	case decl.def != nil && (in.call != nil || in.rootVars[name].raw == nil):
		return &origin{expr: decl.def, in: in}
	}
	return nil
}

// pickInstance selects the module instance named by an index step, if any.
func pickInstance(insts []*instance, keys []cty.Value, rest hcl.Traversal) (*instance, hcl.Traversal) {
	if len(rest) > 0 {
		if ix, ok := rest[0].(hcl.TraverseIndex); ok {
			for i, k := range keys {
				if k != cty.NilVal && k.IsKnown() && keyEquals(k, ix.Key) {
					return insts[i], rest[1:]
				}
			}
			return nil, nil
		}
	}
	if len(insts) == 1 && keys[0] == cty.NilVal {
		return insts[0], rest
	}
	return nil, nil
}

func keyEquals(a, b cty.Value) bool {
	if !b.IsKnown() || b.IsNull() {
		return false
	}
	if a.Type() == cty.Number {
		bn, err := convert.Convert(b, cty.Number)
		return err == nil && a.Equals(bn).True()
	}
	bs, err := convert.Convert(b, cty.String)
	return err == nil && a.Equals(bs).True()
}

// applySteps follows attribute and index steps from an origin.
func (l *loader) applySteps(o *origin, steps hcl.Traversal) *origin {
	for _, s := range steps {
		if o == nil {
			return nil
		}
		switch st := s.(type) {
		case hcl.TraverseAttr:
			o, _ = l.stepAttr(o, st.Name)
		case hcl.TraverseIndex:
			o = l.stepKey(o, st.Key)
		default:
			return nil
		}
	}
	return o
}

// stepKey steps into a collection by a number or string key.
func (l *loader) stepKey(o *origin, key cty.Value) *origin {
	if !key.IsKnown() || key.IsNull() {
		return nil
	}
	if key.Type() == cty.Number {
		i, acc := key.AsBigFloat().Int64()
		if acc != 0 || i < 0 {
			return nil
		}
		return l.stepIndex(o, int(i))
	}
	if key.Type() == cty.String {
		s, _ := l.stepAttr(o, key.AsString())
		return s
	}
	return nil
}

// stepAttr steps into an object by key; it also returns the key's range when
// known.
func (l *loader) stepAttr(o *origin, key string) (*origin, graph.Range) {
	o = l.resolve(o)
	switch {
	case o == nil:
		return nil, graph.Range{}
	case o.res != nil && o.attr == "":
		return &origin{res: o.res, attr: key}, graph.Range{}
	case o.coll != nil:
		if ri := instanceByKey(o.coll, cty.StringVal(key)); ri != nil {
			return &origin{res: ri}, graph.Range{}
		}
		return nil, graph.Range{}
	}
	if o.node != nil {
		if f := o.node.Field(key); f != nil {
			return &origin{node: f.Value}, f.KeyRange
		}
		return nil, graph.Range{}
	}
	if o.expr == nil {
		return nil, graph.Range{}
	}
	switch e := o.expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, item := range e.Items {
			if objectKey(item.KeyExpr, o) == key {
				return &origin{expr: item.ValueExpr, in: o.in, sc: o.sc}, l.rng(item.KeyExpr.Range())
			}
		}
	case *hclsyntax.ForExpr:
		if e.KeyExpr != nil {
			return &origin{expr: e.ValExpr, in: o.in}, graph.Range{}
		}
	case *hclsyntax.FunctionCallExpr:
		switch e.Name {
		case "merge":
			for i := len(e.Args) - 1; i >= 0; i-- {
				v := o.in.eval(e.Args[i], o.sc)
				if v.IsKnown() && !v.IsNull() && (v.Type().IsObjectType() && v.Type().HasAttribute(key) ||
					v.Type().IsMapType() && v.HasIndex(cty.StringVal(key)).True()) {
					return l.stepAttr(&origin{expr: e.Args[i], in: o.in, sc: o.sc}, key)
				}
			}
		case "jsondecode":
			if n := l.decodedNode(o, e); n != nil {
				return l.stepAttr(&origin{node: n}, key)
			}
		}
	default:
		if json.IsJSONExpression(o.expr) {
			pairs, d := hcl.ExprMap(o.expr)
			if d.HasErrors() {
				return nil, graph.Range{}
			}
			for _, kv := range pairs {
				if k, kd := kv.Key.Value(nil); !kd.HasErrors() && k.Type() == cty.String && k.AsString() == key {
					return &origin{expr: kv.Value, in: o.in, sc: o.sc}, l.rng(kv.Key.Range())
				}
			}
		}
	}
	return nil, graph.Range{}
}

// objectKey reads the key of an object constructor item: a bare word, or an
// expression evaluated in the origin's scope.
func objectKey(k hcl.Expression, o *origin) string {
	if kw := hcl.ExprAsKeyword(k); kw != "" {
		return kw
	}
	if ok, isKey := k.(*hclsyntax.ObjectConsKeyExpr); isKey {
		if kw := hcl.ExprAsKeyword(ok.Wrapped); kw != "" && !ok.ForceNonLiteral {
			return kw
		}
		k = ok.Wrapped
	}
	if o.in == nil {
		return ""
	}
	v := o.in.eval(k, o.sc)
	if !v.IsKnown() || v.IsNull() {
		return ""
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return ""
	}
	return s.AsString()
}

// stepIndex steps into a list or tuple by position.
func (l *loader) stepIndex(o *origin, i int) *origin {
	o = l.resolve(o)
	if o == nil {
		return nil
	}
	if o.coll != nil {
		if ri := instanceByKey(o.coll, cty.NumberIntVal(int64(i))); ri != nil {
			return &origin{res: ri}
		}
		return nil
	}
	if o.node != nil {
		if o.node.Kind == graph.KindList && i < len(o.node.List) {
			return &origin{node: o.node.List[i]}
		}
		return nil
	}
	if o.expr == nil {
		return nil
	}
	switch e := o.expr.(type) {
	case *hclsyntax.TupleConsExpr:
		if i < len(e.Exprs) {
			return &origin{expr: e.Exprs[i], in: o.in, sc: o.sc}
		}
	case *hclsyntax.ForExpr:
		return &origin{expr: e.ValExpr, in: o.in}
	case *hclsyntax.SplatExpr:
		return &origin{expr: e.Each, in: o.in}
	case *hclsyntax.FunctionCallExpr:
		switch e.Name {
		case "concat":
			for _, arg := range e.Args {
				v := o.in.eval(arg, o.sc)
				if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
					return nil
				}
				n := v.LengthInt()
				if i < n {
					return l.stepIndex(&origin{expr: arg, in: o.in, sc: o.sc}, i)
				}
				i -= n
			}
		case "jsondecode":
			if n := l.decodedNode(o, e); n != nil {
				return l.stepIndex(&origin{node: n}, i)
			}
		}
	default:
		if json.IsJSONExpression(o.expr) {
			exprs, d := hcl.ExprList(o.expr)
			if !d.HasErrors() && i < len(exprs) {
				return &origin{expr: exprs[i], in: o.in, sc: o.sc}
			}
		}
	}
	return nil
}

// decodedNode locates the JSON text passed to jsondecode.
func (l *loader) decodedNode(o *origin, call *hclsyntax.FunctionCallExpr) *graph.Node {
	if len(call.Args) != 1 {
		return nil
	}
	v := o.in.eval(call.Args[0], o.sc)
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return nil
	}
	return l.textNode(v.AsString(), &origin{expr: call.Args[0], in: o.in, sc: o.sc}, l.rng(call.Range()))
}

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
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return l.textNode(v.AsString(), o, fb)
	}
	return l.valueNode(v, o, fb)
}

// textNode parses JSON text and locates it: inside the heredoc or string
// that holds it, in the arguments of the jsonencode that produced it, or in
// the policy document data source that rendered it.
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
			if e.Name == "jsonencode" && len(e.Args) == 1 {
				n, err := jsonpos.Parse([]byte(text), flat, jsonpos.Options{})
				if err == nil {
					l.align(n, &origin{expr: e.Args[0], in: ro.in, sc: ro.sc}, whole)
					return n
				}
			}
		case *hclsyntax.TemplateExpr:
			if rendered, m, ok := l.renderTemplate(e, ro); ok && rendered == text {
				if n, err := jsonpos.Parse([]byte(text), m, jsonpos.Options{}); err == nil {
					return n
				}
			}
		}
	}
	n, err := jsonpos.Parse([]byte(text), flat, jsonpos.Options{})
	if err != nil {
		// Not JSON: the policy parser reports a document of the wrong
		// shape.
		return &graph.Node{Kind: graph.KindString, Str: text, Range: whole}
	}
	return n
}

// unknownMark stands in rendered template text for an interpolation whose
// value cannot be known: a private-use character, valid inside JSON strings
// and never written by people, so the text can still be parsed and the
// strings holding it marked unknown.
const unknownMark = "\ue000"

// renderTemplate renders a template (a heredoc or quoted string) part by
// part, mapping each byte of the text back to the source: literal text
// character by character, interpolations to their whole ${…}. Unknown
// interpolations render as unknownMark. ok is false when a part cannot be
// rendered.
func (l *loader) renderTemplate(e *hclsyntax.TemplateExpr, o *origin) (text string, m jsonpos.Mapper, ok bool) {
	f := l.files[e.SrcRange.Filename]
	if f == nil || o.in == nil {
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
		if v := o.in.eval(part, o.sc); v.IsKnown() {
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
