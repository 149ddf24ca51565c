package terraform

import (
	"fmt"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/s3lint/s3lint/graph"
)

// instance is one evaluation of a module: the root module of a
// configuration, or a module call (one per count/for_each key) with the
// inputs its caller passes. Values are computed on demand and memoised, the
// way Terraform walks its graph, so only what is referenced is evaluated and
// a reference cycle yields an unknown value instead of a hang.
type instance struct {
	l      *loader
	mod    *module
	addr   string // "" for a root, `module.a`, `module.a["x"].module.b`
	root   *instance
	parent *instance
	call   *moduleCall
	// callScope is the count.index / each of the call in the parent.
	callScope *scope
	depth     int
	// rootVars are the values a root module gets from tfvars files and
	// --var, by variable name.
	rootVars map[string]varValue

	vars      map[string]*memo
	locals    map[string]*memo
	outputs   map[string]*memo
	resources map[string]*resourceState
	children  map[string]*childState
	funcs     map[string]function.Function
	providers map[string]*providerInfo // provider configurations read so far, by key
	// path is the object path, made when first referred to.
	path cty.Value
	// rootObjects are the objects of one final value that rootObject
	// made, by where the value is memoized (*memo, *resourceState).
	rootObjects map[any]cty.Value
}

// terraformObject is the object terraform: s3lint evaluates the default
// workspace.
var terraformObject = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})

// varValue is a root variable's value from tfvars (an expression) or from
// --var (raw text).
type varValue struct {
	expr hcl.Expression
	raw  *string
}

type memoState uint8

const (
	notStarted memoState = iota
	inProgress
	done
)

type memo struct {
	state memoState
	val   cty.Value
}

// scope holds the per-instance symbols of a resource or module call.
type scope struct {
	countIndex cty.Value // cty.NilVal when the block has no count
	eachKey    cty.Value // cty.NilVal when the block has no for_each
	eachValue  cty.Value
	// count and each are the objects count and each, made when first
	// referred to.
	count, each cty.Value
	// forEach is where each.value comes from, for positions.
	forEach     hcl.Expression
	forEachInst *instance
}

func newInstance(l *loader, mod *module, parent *instance, call *moduleCall, addr string, sc *scope) *instance {
	in := &instance{
		l: l, mod: mod, addr: addr, parent: parent, call: call, callScope: sc,
		vars: map[string]*memo{}, locals: map[string]*memo{}, outputs: map[string]*memo{},
		resources: map[string]*resourceState{}, children: map[string]*childState{},
	}
	in.providers = map[string]*providerInfo{}
	if parent == nil {
		in.root = in
	} else {
		in.root = parent.root
		in.depth = parent.depth + 1
	}
	in.funcs = l.functionsFor(in.root.mod.dir)
	return in
}

// address joins the instance address with a resource or call address.
func (in *instance) address(rest string) string {
	if in.addr == "" {
		return rest
	}
	return in.addr + "." + rest
}

// eval evaluates expr in this module with the given per-instance scope.
// Errors never escape: whatever cannot be evaluated is unknown, because
// s3lint does not know every provider schema and must never report on a
// guess.
func (in *instance) eval(expr hcl.Expression, sc *scope) cty.Value {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	ctx := in.evalContext(in.mod.references(expr), sc)
	return in.l.clean(valueOf(expr, ctx))
}

// valueOf evaluates expr. A value that interpolates null into a string is
// unknown: HCL leaves the null part out and reports an error, so
// "arn:aws:s3:::${var.name}" with a null name would read "arn:aws:s3:::",
// while Terraform stops there until the input gets a value from somewhere
// s3lint does not see (-var, TF_VAR_name). Other errors keep their partial
// values: most come from what s3lint does not model (an attribute of a data
// source it does not know), not from Terraform.
func valueOf(expr hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	v, diags := expr.Value(ctx)
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Summary == "Invalid template interpolation value" && strings.Contains(d.Detail, "null value") {
			return cty.DynamicVal
		}
	}
	return v
}

// clean strips marks (sensitive values are ordinary values to a linter) and
// replaces a nil value with unknown. Every value the loader keeps is clean,
// so marks can only come from sensitive() calls of the loader's own
// evaluations: until one is made, there are none to strip (looking for
// them costs a walk of every value).
func (l *loader) clean(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return cty.DynamicVal
	}
	if l.marked {
		v, _ = v.UnmarkDeep()
	}
	return v
}

// evalContext builds a context holding exactly the symbols the traversals
// refer to, evaluating each on demand.
func (in *instance) evalContext(trs []hcl.Traversal, sc *scope) *hcl.EvalContext {
	roots := map[string]rootRefs{}
	put := func(root, name string, v cty.Value, final any) {
		r, seen := roots[root]
		switch {
		case !seen || r.more == nil && r.name == name:
			roots[root] = rootRefs{name: name, val: v, final: final}
		default:
			if r.more == nil {
				r.more = map[string]cty.Value{r.name: r.val}
			}
			r.more[name] = v
			roots[root] = r
		}
	}
	vars := map[string]cty.Value{}
	data := map[string]map[string]cty.Value{}
	// Module calls may be referenced for a few outputs only; gather which.
	callOutputs := map[string]map[string]bool{}
	for _, tr := range trs {
		root := tr.RootName()
		switch root {
		case "var", "local":
			name, ok := attrStep(tr, 1)
			if !ok {
				continue
			}
			if root == "var" {
				if _, declared := in.mod.variables[name]; declared {
					v := in.variable(name)
					put(root, name, v, final(in.vars[name]))
				} else {
					in.l.note(tr.SourceRange(), "reference to undeclared input variable %q: its value is unknown", name)
				}
			} else if _, declared := in.mod.locals[name]; declared {
				v := in.local(name)
				put(root, name, v, final(in.locals[name]))
			} else {
				in.l.note(tr.SourceRange(), "reference to undeclared local value %q: its value is unknown", name)
			}
		case "module":
			name, ok := attrStep(tr, 1)
			if !ok {
				continue
			}
			if _, declared := in.mod.calls[name]; !declared {
				in.l.note(tr.SourceRange(), "reference to undeclared module call %q: its outputs are unknown", name)
				continue
			}
			if callOutputs[name] == nil {
				callOutputs[name] = map[string]bool{}
			}
			if out, ok := outputStep(tr); ok {
				callOutputs[name][out] = true
			} else {
				callOutputs[name]["*"] = true
			}
		case "data":
			typ, ok1 := attrStep(tr, 1)
			name, ok2 := attrStep(tr, 2)
			if !ok1 || !ok2 {
				continue
			}
			decl, declared := in.mod.resources["data."+typ+"."+name]
			if !declared {
				continue
			}
			// data is two levels deep: data.TYPE.NAME.
			if data[typ] == nil {
				data[typ] = map[string]cty.Value{}
			}
			data[typ][name] = in.resourceValue(decl.key)
		case "count":
			if sc != nil && sc.countIndex != cty.NilVal {
				if sc.count == cty.NilVal {
					sc.count = cty.ObjectVal(map[string]cty.Value{"index": sc.countIndex})
				}
				vars["count"] = sc.count
			}
		case "each":
			if sc != nil && sc.eachKey != cty.NilVal {
				if sc.each == cty.NilVal {
					sc.each = cty.ObjectVal(map[string]cty.Value{"key": sc.eachKey, "value": sc.eachValue})
				}
				vars["each"] = sc.each
			}
		case "path":
			if in.path == cty.NilVal {
				// Terraform runs in the root module's directory: path.root
				// is ".", and path.module is relative to it.
				in.path = cty.ObjectVal(map[string]cty.Value{
					"module": cty.StringVal(relDir(in.root.mod.dir, in.mod.dir)),
					"root":   cty.StringVal("."),
					"cwd":    cty.StringVal("."),
				})
			}
			vars["path"] = in.path
		case "terraform":
			vars["terraform"] = terraformObject
		case "self":
			// Only meaningful in provisioners, which s3lint does not read.
		default:
			name, ok := attrStep(tr, 1)
			if !ok {
				continue
			}
			if decl, declared := in.mod.resources[root+"."+name]; declared {
				rs := in.resourceState(decl.key)
				put(root, name, rs.value(), rs.final())
			}
		}
	}
	for name, outs := range callOutputs {
		put("module", name, in.callValue(name, outs), nil)
	}
	for root, r := range roots {
		vars[root] = in.rootObject(r)
	}
	if len(data) > 0 {
		obj := make(map[string]cty.Value, len(data))
		for typ, m := range data {
			obj[typ] = cty.ObjectVal(m)
		}
		vars["data"] = cty.ObjectVal(obj)
	}
	return &hcl.EvalContext{Variables: vars, Functions: in.funcs}
}

// rootRefs are the names an expression refers to under one root (var,
// local, module, a resource type) with their values: the first, and all of
// them once there is a second.
type rootRefs struct {
	name  string
	val   cty.Value
	final any // where the first's value is memoized once it is final (nil: not yet, or never)
	more  map[string]cty.Value
}

// final is m when its value is computed (it never changes then), else nil.
func final(m *memo) any {
	if m != nil && m.state == done {
		return m
	}
	return nil
}

// final is rs when all its instances are evaluated (its value never
// changes then), else nil (a reference cycle).
func (rs *resourceState) final() any {
	if rs.state == done {
		return rs
	}
	return nil
}

// rootObject is the object of a root for an evaluation context. An object
// of one final value is made once per instance: the expressions of a
// module refer to the same few things again and again (aws_s3_bucket.this,
// var.name), and making an object costs three maps.
func (in *instance) rootObject(r rootRefs) cty.Value {
	if r.more != nil {
		return cty.ObjectVal(r.more)
	}
	if r.final == nil {
		return cty.ObjectVal(map[string]cty.Value{r.name: r.val})
	}
	if v, ok := in.rootObjects[r.final]; ok {
		return v
	}
	v := cty.ObjectVal(map[string]cty.Value{r.name: r.val})
	if in.rootObjects == nil {
		in.rootObjects = map[any]cty.Value{}
	}
	in.rootObjects[r.final] = v
	return v
}

func attrStep(tr hcl.Traversal, i int) (string, bool) {
	if len(tr) <= i {
		return "", false
	}
	a, ok := tr[i].(hcl.TraverseAttr)
	if !ok {
		return "", false
	}
	return a.Name, true
}

// outputStep finds the output name in module.NAME.OUT or module.NAME[KEY].OUT.
func outputStep(tr hcl.Traversal) (string, bool) {
	i := 2
	if len(tr) > i {
		if _, isIndex := tr[i].(hcl.TraverseIndex); isIndex {
			i++
		}
	}
	return attrStep(tr, i)
}

// variable returns the value of an input variable, converted to its type.
func (in *instance) variable(name string) cty.Value {
	return memoized(in.vars, name, func() cty.Value {
		return in.bounded(in.computeVariable(name), in.mod.variables[name].defRange)
	})
}

// bounded is v, unless it nests deeper than --max-nesting: then it is
// unknown, with an error at rng. The values that are kept (locals,
// outputs, variables, resource objects) are bounded, so that an
// expression, itself bounded by the file's nesting, can only build on
// bounded values: a local that wraps another that wraps another … cannot
// grow a value deep enough to overflow the stack of whatever recurses over
// it (cty, the adapters, jsonencode).
func (in *instance) bounded(v cty.Value, rng hcl.Range) cty.Value {
	limit := in.l.opts.Limits.MaxNesting
	if !typeDeeper(v.Type(), limit) {
		return v
	}
	in.l.errorAt(rng, "value nested deeper than %d levels (--max-nesting); it is unknown", limit)
	return cty.DynamicVal
}

// typeDeeper reports whether values of type t can nest more than limit
// collections (a value is never deeper than its type). It recurses at most
// limit+1 levels, so a type of any depth is safe to ask about.
func typeDeeper(t cty.Type, limit int) bool {
	switch {
	case t.IsListType() || t.IsSetType() || t.IsMapType():
		return limit == 0 || typeDeeper(t.ElementType(), limit-1)
	case t.IsObjectType():
		if limit == 0 {
			return true
		}
		for _, at := range t.AttributeTypes() {
			if typeDeeper(at, limit-1) {
				return true
			}
		}
	case t.IsTupleType():
		if limit == 0 {
			return true
		}
		for _, et := range t.TupleElementTypes() {
			if typeDeeper(et, limit-1) {
				return true
			}
		}
	}
	return false
}

// memoized computes a named value once. A value needed while it is being
// computed is a reference cycle (which Terraform rejects): it is unknown.
func memoized(table map[string]*memo, name string, compute func() cty.Value) cty.Value {
	m := table[name]
	if m == nil {
		m = &memo{}
		table[name] = m
	}
	switch m.state {
	case inProgress:
		return cty.DynamicVal
	case done:
		return m.val
	}
	m.state = inProgress
	m.val = compute()
	m.state = done
	return m.val
}

func (in *instance) computeVariable(name string) cty.Value {
	decl := in.mod.variables[name]
	var v cty.Value
	var from hcl.Expression // where the value is written; nil for --var
	switch {
	case in.call != nil && in.call.inputs[name] != nil:
		from = in.call.inputs[name].Expr
		v = in.parent.eval(from, in.callScope)
	case in.call == nil && in.rootVars != nil && hasVarValue(in.rootVars, name):
		vv := in.rootVars[name]
		if vv.raw != nil {
			v = in.rawVariable(decl, *vv.raw)
		} else {
			from = vv.expr
			v = in.eval(from, nil)
		}
	case decl.def != nil:
		from = decl.def
		v = in.eval(from, nil)
	default:
		return cty.DynamicVal
	}
	if v.IsNull() && decl.def != nil && !decl.nullable {
		from = decl.def
		v = in.eval(from, nil)
	}
	cv, ok := convertToVarType(decl, v)
	if !ok && from != nil && v.IsWhollyKnown() {
		// Terraform rejects the value; unknown, it would make no finding,
		// so the mistake is worth a word where it is written.
		in.l.diagAt(graph.DiagWarning, from.Range(), fmt.Sprintf(
			"variable %q must be %s, not %s (Terraform rejects it); s3lint takes it as unknown",
			name, decl.typ.ty.FriendlyNameForConstraint(), describeValue(v)))
	}
	return cv
}

func hasVarValue(m map[string]varValue, name string) bool {
	_, ok := m[name]
	return ok
}

// rawVariable reads a --var value as Terraform does: literally for
// untyped and primitive-typed variables (converted to the type later), as an
// HCL expression for every other type, "any" included.
func (in *instance) rawVariable(decl *variableDecl, raw string) cty.Value {
	if decl.typ.ok && decl.typ.parseHCL {
		if v, ok := parseLiteralExpr(raw, in.l.opts.Limits.MaxNesting); ok {
			return v
		}
		return cty.DynamicVal
	}
	return cty.StringVal(raw)
}

// variableType reads a variable's type constraint, including the legacy
// bare keywords list and map, and whether -var values for it are parsed as
// HCL. ok is false for a constraint that does not parse.
func variableType(expr hcl.Expression) (ty cty.Type, defaults *typeexpr.Defaults, parseHCL, ok bool) {
	if expr == nil {
		return cty.DynamicPseudoType, nil, false, true
	}
	switch hcl.ExprAsKeyword(expr) {
	case "list":
		return cty.List(cty.DynamicPseudoType), nil, true, true
	case "map":
		return cty.Map(cty.DynamicPseudoType), nil, true, true
	}
	ty, defaults, d := typeexpr.TypeConstraintWithDefaults(expr)
	if d.HasErrors() {
		return cty.DynamicPseudoType, nil, false, false
	}
	return ty, defaults, !ty.IsPrimitiveType(), true
}

// convertToVarType converts a variable's value to its declared type; ok is
// false when the value cannot have that type (it is unknown then).
func convertToVarType(decl *variableDecl, v cty.Value) (cty.Value, bool) {
	if decl.typeExpr == nil || !v.IsWhollyKnown() && v.Type() == cty.DynamicPseudoType {
		return v, true
	}
	ty, defaults, ok := decl.typ.ty, decl.typ.defaults, decl.typ.ok
	if !ok {
		return v, true
	}
	if defaults != nil && !v.IsNull() {
		v = defaults.Apply(v)
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		return cty.UnknownVal(ty), false
	}
	return cv, true
}

// local returns the value of a local value.
func (in *instance) local(name string) cty.Value {
	if m := in.locals[name]; m != nil && m.state == inProgress {
		a := in.mod.locals[name]
		in.l.diagAt(graph.DiagWarning, a.NameRange,
			fmt.Sprintf("local.%s depends on itself (a reference cycle, which Terraform rejects); its value is unknown", name))
	}
	return memoized(in.locals, name, func() cty.Value {
		expr := in.mod.locals[name].Expr
		return in.bounded(in.eval(expr, nil), expr.Range())
	})
}

// output returns the value of an output of this module instance.
func (in *instance) output(name string) cty.Value {
	a := in.mod.outputs[name]
	if a == nil {
		return cty.DynamicVal
	}
	return memoized(in.outputs, name, func() cty.Value { return in.bounded(in.eval(a.Expr, nil), a.Expr.Range()) })
}

// expansion is the result of evaluating count or for_each.
type expansion struct {
	scopes []*scope
	keys   []cty.Value // instance keys: NilVal, numbers or strings
	// known is false when count/for_each could not be known: a single
	// scope with unknown keys stands for all instances.
	known bool
	// truncated is set when there were more instances than the limit.
	truncated bool
}

// expand evaluates a block's count or for_each in this module.
func (in *instance) expand(count, forEach hcl.Expression, limit int) expansion {
	switch {
	case count != nil:
		v := in.eval(count, nil)
		if !v.IsKnown() || v.IsNull() {
			return expansion{scopes: []*scope{{countIndex: cty.UnknownVal(cty.Number)}}, keys: []cty.Value{cty.UnknownVal(cty.Number)}}
		}
		nv, err := convert.Convert(v, cty.Number)
		if err != nil {
			in.rejectedExpansion(count, "count", "a whole number, 0 or more", v)
			return expansion{known: true}
		}
		bf := nv.AsBigFloat()
		n, acc := bf.Int64()
		if acc != big.Exact || n < 0 {
			want := "a whole number, 0 or more"
			if bf.IsInt() && bf.Sign() > 0 {
				want = "a whole number below 2^63"
			}
			in.rejectedExpansion(count, "count", want, v)
			return expansion{known: true}
		}
		e := expansion{known: true}
		if n > int64(limit) {
			n, e.truncated = int64(limit), true
		}
		for i := range n {
			if in.l.stop.Expired() {
				break
			}
			idx := cty.NumberIntVal(i)
			e.scopes = append(e.scopes, &scope{countIndex: idx})
			e.keys = append(e.keys, idx)
		}
		return e
	case forEach != nil:
		v := in.eval(forEach, nil)
		unknown := expansion{scopes: []*scope{{
			eachKey: cty.UnknownVal(cty.String), eachValue: cty.DynamicVal, forEach: forEach, forEachInst: in,
		}}, keys: []cty.Value{cty.UnknownVal(cty.String)}}
		// A map may hold unknown values under known keys; a set's elements
		// are its keys, each looked at below: asking the whole set first
		// would sort a huge one twice.
		if !v.IsKnown() {
			return unknown
		}
		if v.IsNull() || !v.CanIterateElements() {
			if !v.IsNull() {
				in.rejectedExpansion(forEach, "for_each", "a map or a set of strings", v)
			}
			return expansion{known: true}
		}
		e := expansion{known: true}
		isSet := v.Type().IsSetType() || v.Type().IsTupleType() || v.Type().IsListType()
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			if isSet {
				k = ev
			}
			if !k.IsWhollyKnown() {
				return unknown
			}
			if k.Type() != cty.String {
				sk, err := convert.Convert(k, cty.String)
				if err != nil || sk.IsNull() {
					continue
				}
				k = sk
			}
			if len(e.scopes) == limit {
				e.truncated = true
				break
			}
			if in.l.stop.Expired() {
				break
			}
			e.scopes = append(e.scopes, &scope{eachKey: k, eachValue: ev, forEach: forEach, forEachInst: in})
			e.keys = append(e.keys, k)
		}
		return e
	default:
		return expansion{scopes: []*scope{nil}, keys: []cty.Value{cty.NilVal}, known: true}
	}
}

// rejectedExpansion warns about a count or for_each that Terraform
// rejects: the block then has no instances to check.
func (in *instance) rejectedExpansion(expr hcl.Expression, arg, want string, v cty.Value) {
	if !v.IsWhollyKnown() {
		return
	}
	in.l.diagAt(graph.DiagWarning, expr.Range(), fmt.Sprintf(
		"%s must be %s, not %s (Terraform rejects it); no instance of this block is checked", arg, want, describeValue(v)))
}

// instanceKey renders an instance key as Terraform does in addresses.
func instanceKey(k cty.Value) string {
	switch {
	case k == cty.NilVal:
		return ""
	case !k.IsKnown():
		if k.Type() == cty.Number {
			return "[count.index]"
		}
		return "[each.key]"
	case k.Type() == cty.Number:
		bf := k.AsBigFloat()
		i, _ := bf.Int64()
		return "[" + strconv.FormatInt(i, 10) + "]"
	default:
		return fmt.Sprintf("[%q]", k.AsString())
	}
}

// collect turns per-instance values into the value Terraform exposes for a
// counted or for_each'd block: a tuple, an object keyed by each.key, or a
// single value.
func collect(e expansion, vals []cty.Value, hasCount, hasForEach bool) cty.Value {
	if !e.known || e.truncated {
		return cty.DynamicVal
	}
	switch {
	case hasCount:
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case hasForEach:
		if len(vals) == 0 {
			return cty.EmptyObjectVal
		}
		m := make(map[string]cty.Value, len(vals))
		for i, k := range e.keys {
			m[k.AsString()] = vals[i]
		}
		return cty.ObjectVal(m)
	default:
		if len(vals) == 0 {
			return cty.DynamicVal
		}
		return vals[0]
	}
}

// relDir is dir relative to base, slash-separated.
func relDir(base, dir string) string {
	rel, err := filepath.Rel(base, dir)
	if err != nil {
		return dir
	}
	return filepath.ToSlash(rel)
}

// parseLiteralExpr reads a --var value as an HCL expression with no
// references, as Terraform does for non-string variables; one nested
// deeper than maxNesting is unknown.
func parseLiteralExpr(src string, maxNesting int) (cty.Value, bool) {
	if nestingOffset([]byte(src), false, maxNesting) >= 0 {
		return cty.NilVal, false
	}
	expr, d := hclsyntax.ParseExpression([]byte(src), "<var>", hcl.InitialPos)
	if d.HasErrors() || len(expr.Variables()) > 0 {
		return cty.NilVal, false
	}
	v, d := expr.Value(nil)
	if d.HasErrors() {
		return cty.NilVal, false
	}
	return v, true
}

// evalNaming is eval for an interpolation of a string template that builds
// a policy string: a bucket's id or bucket attribute whose name cannot be
// known before apply gives the symbol standing for the name (bucketSymbol)
// instead of unknown. A bucket name holds no "/" and no wildcard, so the
// ARN a template builds from it has the same shape as the bucket's own,
// and matches it. Elsewhere the name stays unknown, so that no expression
// computes with the symbol as if it were the name.
func (in *instance) evalNaming(part hclsyntax.Expression, sc *scope) cty.Value {
	v := in.eval(part, sc)
	if v.IsKnown() {
		return v
	}
	if name, ok := in.bucketSymbol(part, sc); ok {
		return cty.StringVal(name)
	}
	return v
}

// bucketSymbol is the symbolic name of the aws_s3_bucket instance whose id
// or bucket attribute expr reads (aws_s3_bucket.logs.id,
// aws_s3_bucket.logs[0].bucket, aws_s3_bucket.logs[each.key].id), taken
// from the instance's arn; ok is false when expr is anything else or the
// name is known.
func (in *instance) bucketSymbol(expr hclsyntax.Expression, sc *scope) (string, bool) {
	var inst hcl.Expression
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		tr := e.Traversal
		if len(tr) < 3 || tr.RootName() != "aws_s3_bucket" || !namesBucket(tr[len(tr)-1]) {
			return "", false
		}
		inst = &hclsyntax.ScopeTraversalExpr{Traversal: tr[:len(tr)-1], SrcRange: e.SrcRange}
	case *hclsyntax.RelativeTraversalExpr:
		tr := e.Traversal
		if len(tr) == 0 || !namesBucket(tr[len(tr)-1]) {
			return "", false
		}
		ix, isIndex := e.Source.(*hclsyntax.IndexExpr)
		if !isIndex {
			return "", false
		}
		coll, isTraversal := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !isTraversal || len(coll.Traversal) != 2 || coll.Traversal.RootName() != "aws_s3_bucket" || len(tr) != 1 {
			return "", false
		}
		inst = ix
	default:
		return "", false
	}
	// A fresh expression: not memoized with the module's own.
	ctx := in.evalContext(inst.Variables(), sc)
	obj := in.l.clean(valueOf(inst, ctx))
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute("arn") {
		return "", false
	}
	arn := obj.GetAttr("arn")
	if !arn.IsKnown() || arn.IsNull() || arn.Type() != cty.String {
		return "", false
	}
	_, name, ok := strings.Cut(arn.AsString(), ":s3:::")
	if !ok || !strings.HasPrefix(name, "<name of ") || strings.ContainsAny(name, "/*?") {
		return "", false
	}
	return name, true
}

// namesBucket reports whether a traversal step reads a bucket's name.
func namesBucket(step hcl.Traverser) bool {
	a, ok := step.(hcl.TraverseAttr)
	return ok && (a.Name == "id" || a.Name == "bucket")
}
