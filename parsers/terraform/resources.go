package terraform

import (
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/s3lint/s3lint/graph"
)

// resourceState is a resource or data block of a module instance with all
// its instances.
type resourceState struct {
	decl  *resourceDecl
	state memoState
	exp   expansion
	insts []*resInstance
	// val is the value references see, made from the instances' values
	// when first asked for once they are all evaluated (value).
	val cty.Value
}

// resInstance is one instance of a resource (one count index or for_each
// key) with its evaluated configuration.
type resInstance struct {
	decl *resourceDecl
	in   *instance
	key  cty.Value
	addr string
	sc   *scope
	body *bodyContent
	// obj is the instance's value as references see it, made when first
	// asked for (value): most resources (a bucket's versioning, its public
	// access block …) are never referred to, and making objects is most of
	// what evaluating them would cost. cty.NilVal until then; unknown for
	// a type s3lint does not model or an object nested too deeply.
	obj cty.Value
	// synth holds the attributes s3lint synthesises (synthesize).
	synth map[string]cty.Value
	prov  *providerInfo
	// doc is the located policy document that aws_iam_policy_document
	// renders, and docJSON its JSON text (the json attribute).
	doc     *graph.Node
	docJSON string
}

// bodyContent is an evaluated block body: attributes with their values and
// nested blocks (after dynamic blocks are expanded).
type bodyContent struct {
	attrs  map[string]*attrValue
	blocks map[string][]*bodyContent
	rng    hcl.Range // the block, or the resource block for the top body
	defRng hcl.Range // the block header
}

type attrValue struct {
	attr *hcl.Attribute
	val  cty.Value
	// own holds attr when it is made from native syntax, so that both are
	// one allocation.
	own hcl.Attribute
}

func (b *bodyContent) attr(name string) *attrValue {
	if b == nil {
		return nil
	}
	return b.attrs[name]
}

func (b *bodyContent) block(name string) *bodyContent {
	if b == nil || len(b.blocks[name]) == 0 {
		return nil
	}
	return b.blocks[name][0]
}

// resourceValue returns the value of a resource as other expressions see
// it, evaluating all its instances the first time.
func (in *instance) resourceValue(key string) cty.Value {
	rs := in.resourceState(key)
	if rs == nil {
		return cty.DynamicVal
	}
	return rs.value()
}

// value is the resource's value: unknown while it is being evaluated (a
// reference cycle), else the collection of its instances' values.
func (rs *resourceState) value() cty.Value {
	if rs.state != done || rs.val != cty.NilVal {
		return rs.val
	}
	vals := make([]cty.Value, len(rs.insts))
	for i, ri := range rs.insts {
		vals[i] = ri.value()
	}
	rs.val = collect(rs.exp, vals, rs.decl.count != nil, rs.decl.forEach != nil)
	return rs.val
}

func (in *instance) resourceState(key string) *resourceState {
	decl := in.mod.resources[key]
	if decl == nil {
		return nil
	}
	rs := in.resources[key]
	if rs == nil {
		rs = &resourceState{decl: decl, val: cty.DynamicVal}
		in.resources[key] = rs
	}
	switch rs.state {
	case inProgress, done:
		// In progress means a reference cycle, which Terraform rejects; the
		// value stays unknown.
		return rs
	}
	rs.state = inProgress
	rs.exp = in.expand(decl.count, decl.forEach, in.l.opts.Limits.MaxInstances)
	if rs.exp.truncated {
		in.l.note(decl.defRange, "%s has more than %d instances (--max-instances); only the first %d are checked",
			in.address(decl.key), in.l.opts.Limits.MaxInstances, in.l.opts.Limits.MaxInstances)
	}
	for i, sc := range rs.exp.scopes {
		if in.l.stop.Expired() {
			// Out of time: the results are left out anyway.
			rs.exp.truncated = true
			break
		}
		rs.insts = append(rs.insts, in.evalResourceInstance(decl, sc, rs.exp.keys[i]))
	}
	rs.val = cty.NilVal // made by value
	rs.state = done
	return rs
}

// evalResourceInstance evaluates one instance of a resource: its body, the
// attributes s3lint synthesises, and whether its value would nest too
// deeply. The value itself is made when first asked for (value).
func (in *instance) evalResourceInstance(decl *resourceDecl, sc *scope, key cty.Value) *resInstance {
	ri := &resInstance{decl: decl, in: in, key: key, sc: sc, addr: in.address(decl.key) + instanceKey(key)}
	ri.prov = in.providerFor(decl)
	sch := schemas[decl.mode+"."+decl.typ]
	if sch == nil {
		// A type s3lint does not model: every attribute is unknown, but
		// count/for_each still shape the value.
		ri.obj = cty.DynamicVal
		return ri
	}
	ctx := in.evalContext(decl.traversals, sc)
	ri.body = in.decodeBody(decl.body, sch, ctx, decl.rng, decl.defRange, resourceMetaNames, false)
	ri.synth = synthesize(ri)
	if ri.isPolicyDocument() {
		in.renderPolicyDocument(ri)
	}
	if limit := in.l.opts.Limits.MaxNesting; ri.deeper(limit) {
		// What bounded would say of the value, said without making it.
		in.l.errorAt(decl.defRange, "value nested deeper than %d levels (--max-nesting); it is unknown", limit)
		ri.obj = cty.DynamicVal
	}
	return ri
}

func (ri *resInstance) isPolicyDocument() bool {
	return ri.decl.mode == "data" && ri.decl.typ == "aws_iam_policy_document"
}

// value is the instance's value as references see it: the body's
// attributes and blocks, the synthesised attributes where the body leaves
// them null or unknown, an aws_iam_policy_document's json, and every
// attribute name the module reads as an unknown placeholder.
func (ri *resInstance) value() cty.Value {
	if ri.obj != cty.NilVal {
		return ri.obj
	}
	attrs := ri.body.object()
	for name, v := range ri.synth {
		if cur, ok := attrs[name]; !ok || cur.IsNull() || !cur.IsKnown() {
			attrs[name] = v
		}
	}
	if ri.isPolicyDocument() {
		js := cty.UnknownVal(cty.String)
		if ri.doc.IsKnown() {
			js = cty.StringVal(ri.docJSON)
		}
		attrs["json"], attrs["minified_json"] = js, js
	}
	for name := range ri.in.mod.attrNames {
		if _, ok := attrs[name]; !ok {
			attrs[name] = cty.DynamicVal
		}
	}
	ri.obj = cty.ObjectVal(attrs)
	return ri.obj
}

// deeper reports whether value would nest deeper than limit (as typeDeeper
// says of its type), without making it: what value puts in an attribute
// is the body's, a block list's (which replaces an attribute of its
// name), or a string (synthesised, json) or unknown placeholder, which
// nest no deeper.
func (ri *resInstance) deeper(limit int) bool {
	if limit == 0 {
		return true
	}
	doc := ri.isPolicyDocument()
	replaced := func(name string) bool { return doc && (name == "json" || name == "minified_json") }
	for name, a := range ri.body.attrs {
		if _, synth := ri.synth[name]; replaced(name) || len(ri.body.blocks[name]) > 0 || synth && (a.val.IsNull() || !a.val.IsKnown()) {
			continue
		}
		if typeDeeper(a.val.Type(), limit-1) {
			return true
		}
	}
	return ri.body.blocksDeeper(limit-1, replaced)
}

// bodyTraversals lists every reference in a block body, including nested
// and dynamic blocks.
func bodyTraversals(body hcl.Body) []hcl.Traversal {
	out, _ := bodyReferences(body)
	return out
}

// bodyReferences lists every reference in a block body, including nested
// and dynamic blocks, and, for native syntax, the relative traversals
// (the .x of f(…).x), which only collectAttrNames needs.
func bodyReferences(body hcl.Body) (out, relative []hcl.Traversal) {
	if sb, ok := body.(*hclsyntax.Body); ok {
		_ = hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
			switch e := n.(type) {
			case *hclsyntax.ScopeTraversalExpr:
				out = append(out, e.Traversal)
			case *hclsyntax.RelativeTraversalExpr:
				relative = append(relative, e.Traversal)
			}
			return nil
		})
		return out, relative
	}
	// JSON bodies: every property is an expression whose Variables walk
	// nested objects and templates.
	attrs, _ := body.JustAttributes()
	for _, a := range attrs {
		out = append(out, a.Expr.Variables()...)
	}
	return out, nil
}

// decodeBody evaluates a body: attributes, and nested blocks as the schema
// (or, for native syntax, the source itself) declares them. hidden names the
// attributes and blocks of the body that are not its content (a resource's
// count, for_each, lifecycle …).
//
// A body with dynamic blocks, and every body inside it (dynamicAbove),
// is read the way dynblock reads it: against a
// schema of the block types written and the schema's, which leaves out the
// attributes named like one of them. It is read from the syntax only when
// that changes nothing (plainShape) and its dynamic blocks are plain
// (plainDynamic); otherwise dynblock expands it.
func (in *instance) decodeBody(body hcl.Body, sch *blockSchema, ctx *hcl.EvalContext, rng, defRng hcl.Range, hidden map[string]bool, dynamicAbove bool) *bodyContent {
	bc := &bodyContent{rng: rng, defRng: defRng}
	sb, native := body.(*hclsyntax.Body)
	var dynamic map[*hclsyntax.Block]*dynamicSpec
	if native {
		hasDynamic := hasDynamicBlocks(sb)
		switch {
		case (hasDynamic || dynamicAbove) && !plainShape(sb, sch, hidden):
			native = false
		case hasDynamic:
			dynamic, native = in.plainDynamic(sb, ctx, hidden)
		}
		dynamicAbove = dynamicAbove || hasDynamic
	}
	if native {
		// Most bodies are native: read the syntax directly, which costs a
		// fraction of decoding it against a schema.
		bc.attrs = make(map[string]*attrValue, len(sb.Attributes))
		if len(sb.Blocks) > 0 {
			bc.blocks = map[string][]*bodyContent{}
		}
		for name, a := range sb.Attributes {
			if hidden[name] || !sch.evaluates(name) {
				continue
			}
			av := &attrValue{val: in.l.clean(valueOf(a.Expr, ctx)), own: hcl.Attribute{Name: a.Name, Expr: a.Expr, Range: a.SrcRange, NameRange: a.NameRange}}
			av.attr = &av.own
			bc.attrs[name] = av
		}
		for _, b := range sb.Blocks {
			if hidden[b.Type] {
				continue
			}
			hb := b.AsHCLBlock()
			if d := dynamic[b]; d != nil {
				child := sch.child(d.typ)
				for it := d.forEach.ElementIterator(); it.Next(); {
					key, value := it.Element()
					ictx := ctx.NewChild()
					ictx.Variables = map[string]cty.Value{d.iterator: cty.ObjectVal(map[string]cty.Value{"key": key, "value": value})}
					bc.blocks[d.typ] = append(bc.blocks[d.typ], in.decodeBody(d.content, child, ictx, blockRange(hb), hb.DefRange, nil, true))
				}
				continue
			}
			child := sch.child(b.Type)
			bc.blocks[b.Type] = append(bc.blocks[b.Type], in.decodeBody(b.Body, child, ctx, blockRange(hb), hb.DefRange, nil, dynamicAbove))
		}
		return bc
	}
	// Attributes must be read through the expanded body's Content (its
	// JustAttributes does not give expressions their iterator), so find
	// their names first.
	schema := &hcl.BodySchema{Blocks: blockHeaders(body, sch)}
	isBlock := map[string]bool{"dynamic": true}
	for _, h := range schema.Blocks {
		isBlock[h.Type] = true
	}
	names, _ := body.JustAttributes()
	for _, name := range sortedKeys(names) {
		if !isBlock[name] && sch.evaluates(name) {
			schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: name})
		}
	}
	content, _, _ := dynblock.Expand(body, ctx).PartialContent(schema)
	bc.attrs = make(map[string]*attrValue, len(content.Attributes))
	bc.blocks = map[string][]*bodyContent{}
	for name, a := range content.Attributes {
		bc.attrs[name] = &attrValue{attr: a, val: in.l.clean(valueOf(a.Expr, ctx))}
	}
	for _, b := range content.Blocks {
		child := sch.child(b.Type)
		bc.blocks[b.Type] = append(bc.blocks[b.Type], in.decodeBody(b.Body, child, ctx, in.l.blockRange(b), b.DefRange, nil, true))
	}
	return bc
}

// expandPlainDynamic is false only in the test that compares plainDynamic
// with dynblock.
var expandPlainDynamic = true

// dynamicSpec is a dynamic block that decodeBody expands itself.
type dynamicSpec struct {
	typ      string // of the blocks it makes
	iterator string
	forEach  cty.Value // known, not null, iterable
	content  *hclsyntax.Body
}

// plainDynamic reads the dynamic blocks of a native body, when every one is
// plain: a label that is not hidden, for_each and an optional iterator
// name, one content block, and a for_each value that is known, not null
// and a collection (no value is marked). Each then makes one block per
// element, its content evaluated with the iterator's key and value, as
// dynblock would: expanding them directly keeps the content native (dynblock
// hides it behind a body that must be decoded against a schema, which costs
// several times as much). ok is false when any is not plain; dynblock then
// expands the body, with all its rules.
func (in *instance) plainDynamic(sb *hclsyntax.Body, ctx *hcl.EvalContext, hidden map[string]bool) (specs map[*hclsyntax.Block]*dynamicSpec, ok bool) {
	if !expandPlainDynamic || in.l.marked {
		return nil, false
	}
	specs = map[*hclsyntax.Block]*dynamicSpec{}
	for _, b := range sb.Blocks {
		if b.Type != "dynamic" {
			continue
		}
		if len(b.Labels) != 1 || hidden[b.Labels[0]] || b.Labels[0] == "dynamic" || len(b.Body.Blocks) != 1 {
			return nil, false
		}
		content := b.Body.Blocks[0]
		if content.Type != "content" || len(content.Labels) != 0 {
			return nil, false
		}
		d := &dynamicSpec{typ: b.Labels[0], iterator: b.Labels[0], content: content.Body}
		for name, a := range b.Body.Attributes {
			switch name {
			case "for_each":
				v, diags := a.Expr.Value(ctx)
				if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.IsMarked() || !v.CanIterateElements() {
					return nil, false
				}
				d.forEach = v
			case "iterator":
				tr, diags := hcl.AbsTraversalForExpr(a.Expr)
				if diags.HasErrors() || len(tr) != 1 {
					return nil, false
				}
				d.iterator = tr.RootName()
			default:
				return nil, false
			}
		}
		if d.forEach == cty.NilVal {
			return nil, false
		}
		specs[b] = d
	}
	return specs, true
}

// plainShape reports whether reading a body as dynblock does (against a
// schema of the block types written, with as many labels as the first of
// each type has, and the schema's types) keeps everything the syntax
// holds: no block has labels, and no attribute is named like a block type
// (written, dynamic or the schema's), which that reading leaves out.
func plainShape(sb *hclsyntax.Body, sch *blockSchema, hidden map[string]bool) bool {
	for _, b := range sb.Blocks {
		if b.Type != "dynamic" && len(b.Labels) > 0 {
			return false
		}
	}
	for name := range sb.Attributes {
		if hidden[name] {
			continue
		}
		if name == "dynamic" || sch.hasBlock(name) {
			return false
		}
		for _, b := range sb.Blocks {
			if b.Type == name || b.Type == "dynamic" && len(b.Labels) > 0 && b.Labels[0] == name {
				return false
			}
		}
	}
	return true
}

// hasDynamicBlocks reports whether a native body holds dynamic blocks at
// its own level (nested bodies are decoded, and checked, on their own).
func hasDynamicBlocks(sb *hclsyntax.Body) bool {
	for _, b := range sb.Blocks {
		if b.Type == "dynamic" {
			return true
		}
	}
	return false
}

// object renders the body as the object value Terraform exposes: attributes,
// and nested blocks as lists of objects.
func (b *bodyContent) object() map[string]cty.Value {
	out := make(map[string]cty.Value, len(b.attrs)+len(b.blocks))
	for name, a := range b.attrs {
		out[name] = a.val
	}
	for name, list := range b.blocks {
		vals := make([]cty.Value, 0, len(list))
		for _, c := range list {
			vals = append(vals, cty.ObjectVal(c.object()))
		}
		out[name] = cty.TupleVal(vals)
	}
	return out
}

// deeper is resInstance.deeper for the object of a nested block.
func (b *bodyContent) deeper(limit int) bool {
	if limit == 0 {
		return true
	}
	for name, a := range b.attrs {
		if len(b.blocks[name]) == 0 && typeDeeper(a.val.Type(), limit-1) {
			return true
		}
	}
	return b.blocksDeeper(limit-1, func(string) bool { return false })
}

// blocksDeeper reports whether a list of the body's blocks (a tuple of
// objects) nests deeper than limit, leaving out the lists of names the
// value replaces.
func (b *bodyContent) blocksDeeper(limit int, replaced func(string) bool) bool {
	for name, list := range b.blocks {
		if replaced(name) {
			continue
		}
		if limit == 0 {
			return true
		}
		for _, c := range list {
			if c.deeper(limit - 1) {
				return true
			}
		}
	}
	return false
}

// blockHeaders is the set of nested block types to decode: for native
// syntax, the ones actually written (including dynamic ones); for JSON,
// which cannot tell a block from an object attribute, the schema's.
func blockHeaders(body hcl.Body, sch *blockSchema) []hcl.BlockHeaderSchema {
	seen := map[string]bool{}
	var out []hcl.BlockHeaderSchema
	add := func(typ string, labels int) {
		if seen[typ] || typ == "dynamic" {
			return
		}
		seen[typ] = true
		h := hcl.BlockHeaderSchema{Type: typ}
		for range labels {
			h.LabelNames = append(h.LabelNames, "label")
		}
		out = append(out, h)
	}
	if sb, ok := body.(*hclsyntax.Body); ok {
		for _, b := range sb.Blocks {
			if b.Type == "dynamic" && len(b.Labels) > 0 {
				add(b.Labels[0], 0)
				continue
			}
			add(b.Type, len(b.Labels))
		}
	}
	if sch != nil {
		for _, typ := range sortedKeys(sch.blocks) {
			add(typ, 0)
		}
	}
	return out
}

// childState is a module call of an instance with its child instances.
type childState struct {
	call     *moduleCall
	state    memoState
	exp      expansion
	insts    []*instance
	followed bool
}

func (in *instance) child(name string) *childState {
	call := in.mod.calls[name]
	if call == nil {
		return nil
	}
	cs := in.children[name]
	if cs == nil {
		cs = &childState{call: call}
		in.children[name] = cs
	}
	if cs.state != notStarted {
		return cs
	}
	cs.state = inProgress
	mod := in.l.followCall(in, call)
	if mod != nil {
		cs.followed = true
		cs.exp = in.expand(call.count, call.forEach, in.l.opts.Limits.MaxInstances)
		if cs.exp.truncated {
			in.l.note(call.defRange, "%s has more than %d instances (--max-instances); only the first %d are checked",
				in.address("module."+call.name), in.l.opts.Limits.MaxInstances, in.l.opts.Limits.MaxInstances)
		}
		if len(cs.exp.scopes) > 0 {
			// A module called only with count = 0 is evaluated on its own
			// instead, with unknown inputs.
			in.l.used[mod.dir] = true
		}
		for i, sc := range cs.exp.scopes {
			if in.l.stop.Expired() {
				break
			}
			addr := in.address("module." + call.name + instanceKey(cs.exp.keys[i]))
			cs.insts = append(cs.insts, newInstance(in.l, mod, in, call, addr, sc))
		}
	}
	cs.state = done
	return cs
}

// callValue is module.NAME as the caller sees it: an object of outputs
// (only the named ones are evaluated, or all for "*"), shaped by the call's
// count/for_each.
func (in *instance) callValue(name string, outs map[string]bool) cty.Value {
	cs := in.child(name)
	if cs == nil || !cs.followed || cs.state != done {
		return cty.DynamicVal
	}
	vals := make([]cty.Value, 0, len(cs.insts))
	for _, ci := range cs.insts {
		obj := map[string]cty.Value{}
		for outName := range ci.mod.outputs {
			if outs["*"] || outs[outName] {
				obj[outName] = ci.output(outName)
			} else {
				obj[outName] = cty.DynamicVal
			}
		}
		vals = append(vals, cty.ObjectVal(obj))
	}
	return collect(cs.exp, vals, cs.call.count != nil, cs.call.forEach != nil)
}

// evalAll evaluates every resource of the instance and of its followed
// module calls, so the graph sees them all.
func (in *instance) evalAll() {
	for _, r := range in.mod.resOrder {
		if in.l.stop.Expired() {
			return
		}
		in.resourceState(r.key)
	}
	// Terraform checks every variable's value against its type, used or
	// not; evaluating each one reports those it rejects.
	for _, name := range slices.Sorted(maps.Keys(in.mod.variables)) {
		in.variable(name)
	}
	for _, c := range in.mod.callOrder {
		cs := in.child(c.name)
		for _, ci := range cs.insts {
			ci.evalAll()
		}
	}
}
