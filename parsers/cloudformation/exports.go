package cloudformation

import (
	"bytes"

	"github.com/s3lint/s3lint/graph"
)

// Cross-stack references. A stack exports an output under a name
// (Outputs.X.Export.Name), and other stacks of the same account and region
// read it with Fn::ImportValue. CDK writes every reference from one stack
// of an app to another this way, with literal names
// ("DataStack:ExportsOutputFnGetAttBucket…Arn…"). Templates that import
// are read after the others, with the values those export; an imported
// value is what the exporting template makes of it, symbols included, so
// that a role in one stack granted a bucket of another names that very
// bucket.
//
// A template that imports may export too. After each round, the importing
// templates that import a name whose value the round made known (or
// changed) are read again, at most maxImportRounds times: chains of stacks
// longer than that stay unknown at their end. An export name two templates
// define with different values, or one written with values known only at
// deployment (${AWS::StackName}), is not resolved: the import stays
// unknown, as before.

// export is one exported output: its value as the exporting template
// evaluates it, and the account and region of that stack.
type export struct {
	value   *graph.Node
	account graph.Account
	region  string
	// ambiguous is set when two templates export the name with different
	// values: which one a stack reads depends on where it is deployed.
	ambiguous bool
}

// importsValues reports whether a template's text may import a value; its
// reading then waits for the templates that export.
func importsValues(b []byte) bool {
	return bytes.Contains(b, []byte("ImportValue"))
}

// exports evaluates the outputs a template exports under known names.
// Outputs under a condition that is not decided true are left out: the
// export may not exist.
func (e *evaluator) exports() map[string]*export {
	outs := e.t.root.Get("Outputs")
	if outs == nil || outs.Kind != graph.KindObject {
		return nil
	}
	e.setAssign(nil)
	var out map[string]*export
	for _, f := range outs.Fields {
		o := f.Value
		if o == nil || o.Kind != graph.KindObject {
			continue
		}
		ex := o.Get("Export")
		if ex == nil || ex.Kind != graph.KindObject {
			continue
		}
		if c := o.Get("Condition"); c != nil && (c.Kind != graph.KindString || e.cond(c.Str, c.Range) != trueTri) {
			continue
		}
		name := e.eval(ex.Get("Name"))
		if name == nil || name.Kind != graph.KindString || name.Str == "" {
			continue
		}
		v := e.eval(o.Get("Value"))
		if v == nil || v.Kind == graph.KindUnknown {
			continue
		}
		if out == nil {
			out = map[string]*export{}
		}
		out[name.Str] = &export{value: v, account: e.t.account, region: e.t.region}
	}
	return out
}

// maxImportRounds bounds how often importing templates are read again.
const maxImportRounds = 4

// changedNames are the export names that next resolves and prev does not,
// or resolves differently (a value that imports made known), or no longer.
func changedNames(next, prev map[string]*export) map[string]bool {
	changed := map[string]bool{}
	for name, x := range next {
		p, ok := prev[name]
		if !ok || p.ambiguous != x.ambiguous || !x.ambiguous && !sameValue(p.value, x.value) {
			changed[name] = true
		}
	}
	for name := range prev {
		if _, ok := next[name]; !ok {
			changed[name] = true
		}
	}
	return changed
}

// dependsOn reports whether a template that imported names needs reading
// again once changed ones are known.
func dependsOn(needs, changed map[string]bool) bool {
	for name := range needs {
		if changed[name] {
			return true
		}
	}
	return false
}

// addExports adds a template's exports to the table of all exports.
func addExports(all, of map[string]*export) {
	for name, x := range of {
		if prev, ok := all[name]; ok {
			if !prev.ambiguous && !sameValue(prev.value, x.value) {
				prev.ambiguous = true
			}
			continue
		}
		all[name] = x
	}
}

// sameValue compares two values by what they hold, not where they are
// written.
func sameValue(a, b *graph.Node) bool {
	if a.Kind != b.Kind || a.Str != b.Str || len(a.List) != len(b.List) || len(a.Fields) != len(b.Fields) {
		return false
	}
	if a.Kind == graph.KindUnknown {
		return false
	}
	for i := range a.List {
		if !sameValue(a.List[i], b.List[i]) {
			return false
		}
	}
	for i := range a.Fields {
		if a.Fields[i].Key != b.Fields[i].Key || !sameValue(a.Fields[i].Value, b.Fields[i].Value) {
			return false
		}
	}
	return true
}

// importedNames are the export names a template imports literally.
func importedNames(n *graph.Node, out map[string]bool) {
	if n == nil {
		return
	}
	if fn, arg, ok := intrinsic(n); ok && fn == "Fn::ImportValue" && arg.Kind == graph.KindString {
		out[arg.Str] = true
		return
	}
	for _, x := range n.List {
		importedNames(x, out)
	}
	for _, f := range n.Fields {
		importedNames(f.Value, out)
	}
}

// joinExporters makes a template that imports part of the stack that
// exports: a stack can only import from its own account and region, so a
// template whose account is a symbol of its own takes the exporters' (when
// they agree on one), and so do its region. It returns the exports the
// template may read: those of its account and region.
func joinExporters(t *template, all map[string]*export, names map[string]bool, ownAccount bool) map[string]*export {
	if len(all) == 0 {
		return nil
	}
	var account graph.Account
	region := ""
	agree := true
	for name := range names {
		x := all[name]
		if x == nil || x.ambiguous {
			continue
		}
		switch {
		case account == "":
			account, region = x.account, x.region
		case x.account != account || x.region != region:
			agree = false
		}
	}
	if ownAccount && agree && account != "" {
		t.account = account
		if t.region == "" {
			t.region = region
		}
	}
	usable := map[string]*export{}
	for name, x := range all {
		if !x.ambiguous && x.account == t.account && (x.region == t.region || x.region == "" || t.region == "") {
			usable[name] = x
		}
	}
	return usable
}

// importValue is Fn::ImportValue: the value another template exports
// under the name, at the place that imports it; unknown when no template
// of the scan exports it (or several do, differently).
func (e *evaluator) importValue(arg *graph.Node, rng graph.Range) *graph.Node {
	name := e.eval(arg)
	if name == nil || name.Kind != graph.KindString {
		return unknownAt(rng)
	}
	if e.importedNames != nil {
		e.importedNames[name.Str] = true
	}
	x := e.imports[name.Str]
	if x == nil {
		return unknownAt(rng)
	}
	return at(x.value, rng)
}
