package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/s3lint/s3lint/graph"
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

// decodedNode locates the JSON text passed to jsondecode. Each step into
// the decoded value asks again, so the located text is remembered.
func (l *loader) decodedNode(o *origin, call *hclsyntax.FunctionCallExpr) *graph.Node {
	if len(call.Args) != 1 {
		return nil
	}
	k := decodedKey{call: call, in: o.in, sc: o.sc}
	if n, seen := l.decoded[k]; seen {
		return n
	}
	var n *graph.Node
	v := o.in.eval(call.Args[0], o.sc)
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		n = l.textNode(v.AsString(), &origin{expr: call.Args[0], in: o.in, sc: o.sc}, l.rng(call.Range()))
	}
	l.decoded[k] = n
	return n
}

// decodedKey is a jsondecode call evaluated in an instance and scope.
type decodedKey struct {
	call *hclsyntax.FunctionCallExpr
	in   *instance
	sc   *scope
}
