package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/s3lint/s3lint/graph"
)

// renderPolicyDocument builds the document that data
// "aws_iam_policy_document" renders, located in the HCL that wrote it. The
// merge follows the provider: statements of source_policy_documents in
// order, then the block's own statements, then override_policy_documents; a
// statement whose Sid is already present replaces it, others are appended.
func (in *instance) renderPolicyDocument(ri *resInstance) {
	l := in.l
	body := ri.body
	whole := l.rng(body.rng)
	var stmts []*graph.Node
	merge := func(add []*graph.Node) {
		for _, s := range add {
			sid := s.Get("Sid")
			if sid == nil || sid.Kind != graph.KindString || sid.Str == "" {
				stmts = append(stmts, s)
				continue
			}
			replaced := false
			for i, cur := range stmts {
				if c := cur.Get("Sid"); c != nil && c.Kind == graph.KindString && c.Str == sid.Str {
					stmts[i], replaced = s, true
					break
				}
			}
			if !replaced {
				stmts = append(stmts, s)
			}
		}
	}
	unknown := false
	for _, name := range []string{"source_json", "source_policy_documents"} {
		st, unk := in.documentStatements(body.attr(name), ri.sc, name == "source_policy_documents", whole)
		merge(st)
		unknown = unknown || unk
	}
	var own []*graph.Node
	for _, sb := range body.blocks["statement"] {
		st := in.statementNode(sb, ri.sc)
		// The provider writes IAM policy variables as &{…} so that they
		// survive HCL's own interpolation, and renders them as ${…}.
		policyVariables(st)
		own = append(own, st)
	}
	merge(own)
	for _, name := range []string{"override_json", "override_policy_documents"} {
		st, unk := in.documentStatements(body.attr(name), ri.sc, name == "override_policy_documents", whole)
		merge(st)
		unknown = unknown || unk
	}

	doc := &graph.Node{Kind: graph.KindObject, Range: whole}
	version := &graph.Node{Kind: graph.KindString, Str: "2012-10-17", Range: l.rng(body.defRng)}
	vkey := version.Range
	if a := body.attr("version"); a != nil {
		version = l.valueNode(a.val, &origin{expr: a.attr.Expr, in: in, sc: ri.sc}, whole)
		vkey = l.rng(a.attr.NameRange)
	}
	doc.Fields = append(doc.Fields, graph.Field{Key: "Version", KeyRange: vkey, Value: version})
	if a := body.attr("policy_id"); a != nil && !a.val.IsNull() {
		doc.Fields = append(doc.Fields, graph.Field{Key: "Id", KeyRange: l.rng(a.attr.NameRange),
			Value: l.valueNode(a.val, &origin{expr: a.attr.Expr, in: in, sc: ri.sc}, whole)})
	}
	list := &graph.Node{Kind: graph.KindList, List: stmts, Range: whole}
	if unknown {
		// A source document we cannot know may replace any statement.
		list.List = append(list.List, &graph.Node{Kind: graph.KindUnknown, Range: whole})
	}
	doc.Fields = append(doc.Fields, graph.Field{Key: "Statement", KeyRange: whole, Value: list})
	ri.doc = doc
	ri.docJSON = doc.JSON()
}

// documentStatements reads the statements of the JSON documents in a
// source/override attribute (a list of documents, or one for the deprecated
// *_json forms). unknown reports a document that could not be known.
func (in *instance) documentStatements(a *attrValue, sc *scope, isList bool, fb graph.Range) (stmts []*graph.Node, unknown bool) {
	if a == nil || a.val.IsNull() {
		return nil, false
	}
	o := &origin{expr: a.attr.Expr, in: in, sc: sc}
	add := func(v cty.Value, src *origin) {
		n := in.l.docNode(v, src, fb)
		if n.Kind == graph.KindUnknown || !v.IsKnown() && n.Kind != graph.KindObject {
			unknown = true
			return
		}
		switch st := n.Get("Statement"); {
		case st == nil:
		case st.Kind == graph.KindList:
			stmts = append(stmts, st.List...)
		case st.Kind == graph.KindObject:
			stmts = append(stmts, st)
		default:
			unknown = true
		}
	}
	if !isList {
		add(a.val, o)
		return stmts, unknown
	}
	val := a.val
	// compact() and distinct() of a list (as modules merge optional
	// documents) are read through their argument: each document keeps the
	// place it was written, and a list with one unknown document, which
	// they make wholly unknown, still holds the others.
	// drops holds what each call drops, outermost first.
	var drops []func(cty.Value, []cty.Value) bool
	for range 4 {
		call, ok := exprOf(in.l.resolve(o)).(*hclsyntax.FunctionCallExpr)
		if !ok || len(call.Args) != 1 || call.Name != "compact" && call.Name != "distinct" {
			break
		}
		arg := in.eval(call.Args[0], sc)
		if !arg.IsKnown() || !arg.CanIterateElements() {
			break
		}
		o, val = &origin{expr: call.Args[0], in: in, sc: sc}, arg
		if call.Name == "distinct" {
			drops = append(drops, dropsDistinct)
		} else {
			drops = append(drops, dropsCompact)
		}
	}
	if !val.IsKnown() || !val.CanIterateElements() {
		return nil, true
	}
	i := 0
	kept := make([][]cty.Value, len(drops))
	for it := val.ElementIterator(); it.Next(); i++ {
		_, v := it.Element()
		// The innermost call sees the elements first.
		dropped := false
		for d := len(drops) - 1; d >= 0 && !dropped; d-- {
			if drops[d](v, kept[d]) {
				dropped = true
			} else {
				kept[d] = append(kept[d], v)
			}
		}
		if !dropped {
			add(v, in.l.stepIndex(o, i))
		}
	}
	return stmts, unknown
}

// dropsCompact reports whether compact() leaves out an element: a null or
// empty string (an unknown one is kept, as unknown).
func dropsCompact(v cty.Value, _ []cty.Value) bool {
	return v.IsNull() || v.IsKnown() && v.Type() == cty.String && v.AsString() == ""
}

// dropsDistinct reports whether distinct() leaves out an element: one equal
// to an element kept before it.
func dropsDistinct(v cty.Value, kept []cty.Value) bool {
	if !v.IsWhollyKnown() {
		return false
	}
	for _, k := range kept {
		if k.IsWhollyKnown() && k.Equals(v).True() {
			return true
		}
	}
	return false
}

// statementNode renders one statement block as the provider does.
func (in *instance) statementNode(sb *bodyContent, sc *scope) *graph.Node {
	l := in.l
	whole := l.rng(sb.rng)
	n := &graph.Node{Kind: graph.KindObject, Range: whole}
	field := func(key, attr string) {
		a := sb.attr(attr)
		if a == nil || a.val.IsNull() {
			return
		}
		v := l.valueNode(a.val, &origin{expr: a.attr.Expr, in: in, sc: sc}, whole)
		n.Fields = append(n.Fields, graph.Field{Key: key, KeyRange: l.rng(a.attr.NameRange), Value: v})
	}
	field("Sid", "sid")
	if a := sb.attr("effect"); a != nil && !a.val.IsNull() {
		field("Effect", "effect")
	} else {
		n.Fields = append(n.Fields, graph.Field{Key: "Effect", KeyRange: l.rng(sb.defRng),
			Value: &graph.Node{Kind: graph.KindString, Str: "Allow", Range: l.rng(sb.defRng)}})
	}
	field("Action", "actions")
	field("NotAction", "not_actions")
	field("Resource", "resources")
	field("NotResource", "not_resources")
	if p := in.principalsNode(sb.blocks["principals"], sc); p != nil {
		n.Fields = append(n.Fields, graph.Field{Key: "Principal", KeyRange: p.Range, Value: p})
	}
	if p := in.principalsNode(sb.blocks["not_principals"], sc); p != nil {
		n.Fields = append(n.Fields, graph.Field{Key: "NotPrincipal", KeyRange: p.Range, Value: p})
	}
	if c := in.conditionsNode(sb.blocks["condition"], sc); c != nil {
		n.Fields = append(n.Fields, graph.Field{Key: "Condition", KeyRange: c.Range, Value: c})
	}
	return n
}

// principalsNode merges principals blocks into {"TYPE": [ids…]}; type "*"
// renders as the bare "*".
func (in *instance) principalsNode(blocks []*bodyContent, sc *scope) *graph.Node {
	if len(blocks) == 0 {
		return nil
	}
	l := in.l
	n := &graph.Node{Kind: graph.KindObject, Range: l.rng(blocks[0].rng)}
	for _, pb := range blocks {
		typ, ok := pb.str("type")
		ids := pb.attr("identifiers")
		if !ok || ids == nil {
			return &graph.Node{Kind: graph.KindUnknown, Range: l.rng(pb.rng)}
		}
		if typ == "*" {
			return &graph.Node{Kind: graph.KindString, Str: "*", Range: l.rng(pb.rng)}
		}
		v := l.valueNode(ids.val, &origin{expr: ids.attr.Expr, in: in, sc: sc}, l.rng(pb.rng))
		if f := n.Field(typ); f != nil && f.Value.Kind == graph.KindList && v.Kind == graph.KindList {
			f.Value.List = append(f.Value.List, v.List...)
			continue
		}
		kr := l.rng(pb.rng)
		if a := pb.attr("type"); a != nil {
			kr = l.rng(a.attr.Range)
		}
		n.Fields = append(n.Fields, graph.Field{Key: typ, KeyRange: kr, Value: v})
	}
	return n
}

// conditionsNode merges condition blocks into {"test": {"variable": values}}.
func (in *instance) conditionsNode(blocks []*bodyContent, sc *scope) *graph.Node {
	if len(blocks) == 0 {
		return nil
	}
	l := in.l
	n := &graph.Node{Kind: graph.KindObject, Range: l.rng(blocks[0].rng)}
	for _, cb := range blocks {
		test, ok1 := cb.str("test")
		variable, ok2 := cb.str("variable")
		vals := cb.attr("values")
		if !ok1 || !ok2 || vals == nil {
			// A condition we cannot read makes the statement's
			// conditions unknown.
			return &graph.Node{Kind: graph.KindUnknown, Range: l.rng(cb.rng)}
		}
		v := l.valueNode(vals.val, &origin{expr: vals.attr.Expr, in: in, sc: sc}, l.rng(cb.rng))
		op := n.Field(test)
		if op == nil {
			n.Fields = append(n.Fields, graph.Field{Key: test, KeyRange: l.rng(cb.attr("test").attr.Range),
				Value: &graph.Node{Kind: graph.KindObject, Range: l.rng(cb.rng)}})
			op = &n.Fields[len(n.Fields)-1]
		}
		if f := op.Value.Field(variable); f != nil && f.Value.Kind == graph.KindList && v.Kind == graph.KindList {
			f.Value.List = append(f.Value.List, v.List...)
			continue
		}
		op.Value.Fields = append(op.Value.Fields, graph.Field{Key: variable, KeyRange: l.rng(cb.attr("variable").attr.Range), Value: v})
	}
	return n
}

// policyVariables rewrites &{…} to ${…} in every string of n.
func policyVariables(n *graph.Node) {
	switch n.Kind {
	case graph.KindString:
		n.Str = strings.ReplaceAll(n.Str, "&{", "${")
	case graph.KindList:
		for _, e := range n.List {
			policyVariables(e)
		}
	case graph.KindObject:
		for i := range n.Fields {
			n.Fields[i].Key = strings.ReplaceAll(n.Fields[i].Key, "&{", "${")
			policyVariables(n.Fields[i].Value)
		}
	}
}
