package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Dependencies. Terraform orders an apply by references: a resource waits
// for every resource its configuration refers to — directly, or through
// locals, input variables, module outputs, count and for_each — and for
// what its depends_on (or its module call's depends_on) names. Resources
// with no such path between them are applied in parallel. The adapter
// records, for every resource instance, the instances it waits for
// directly (graph.Graph.DependsOn); rules close them transitively.
//
// Terraform orders whole resources, not instances: a reference to one
// instance of a counted resource waits for all of them, and so does this.

// depWalker finds the resources expressions refer to, remembering what
// each local, variable and output leads to.
type depWalker struct {
	memo map[depKey][]string
	busy map[depKey]bool
}

// depKey names a value of a module instance: "local.x", "var.x",
// "output.x", "module" (every resource of the instance) or "call" (the
// depends_on of the instance's module call).
type depKey struct {
	in   *instance
	what string
}

func newDepWalker() *depWalker {
	return &depWalker{memo: map[depKey][]string{}, busy: map[depKey]bool{}}
}

// dependencies lists, sorted, the resource instances ri waits for.
func (w *depWalker) dependencies(ri *resInstance) []string {
	decl := ri.decl
	trs := decl.traversals
	for _, e := range []hcl.Expression{decl.count, decl.forEach} {
		if e != nil {
			trs = append(trs, ri.in.mod.references(e)...)
		}
	}
	for _, s := range decl.dependsOn {
		trs = append(trs, refTraversal(s))
	}
	set := map[string]bool{}
	for _, tr := range trs {
		for _, a := range w.ref(ri.in, ri.sc, tr) {
			set[a] = true
		}
	}
	for _, a := range w.callDeps(ri.in) {
		set[a] = true
	}
	delete(set, ri.addr)
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// refTraversal turns an address as depends_on names it (aws_s3_bucket.b,
// data.aws_x.y, module.m) back into a traversal.
func refTraversal(s string) hcl.Traversal {
	parts := strings.Split(s, ".")
	tr := hcl.Traversal{hcl.TraverseRoot{Name: parts[0]}}
	for _, p := range parts[1:] {
		tr = append(tr, hcl.TraverseAttr{Name: p})
	}
	return tr
}

// remember computes what a named value leads to once; a value needed while
// it is being computed is a reference cycle, which leads nowhere more.
func (w *depWalker) remember(k depKey, compute func() []string) []string {
	if out, ok := w.memo[k]; ok {
		return out
	}
	if w.busy[k] {
		return nil
	}
	w.busy[k] = true
	out := compute()
	delete(w.busy, k)
	w.memo[k] = out
	return out
}

// expr lists the resource instances an expression refers to.
func (w *depWalker) expr(in *instance, sc *scope, e hcl.Expression) []string {
	if in == nil || e == nil {
		return nil
	}
	var out []string
	for _, tr := range in.mod.references(e) {
		out = append(out, w.ref(in, sc, tr)...)
	}
	return out
}

// ref lists the resource instances a reference leads to.
func (w *depWalker) ref(in *instance, sc *scope, tr hcl.Traversal) []string {
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
		return w.remember(depKey{in, "local." + name}, func() []string {
			return w.expr(in, nil, in.mod.locals[name].Expr)
		})
	case "var":
		name, ok := attrStep(tr, 1)
		if !ok || in.call == nil || in.call.inputs[name] == nil {
			// A root module's variables come from outside the
			// configuration: they refer to no resource.
			return nil
		}
		return w.remember(depKey{in, "var." + name}, func() []string {
			return w.expr(in.parent, in.callScope, in.call.inputs[name].Expr)
		})
	case "module":
		return w.moduleRef(in, tr)
	case "each":
		if sc == nil || sc.forEach == nil {
			return nil
		}
		return w.expr(sc.forEachInst, nil, sc.forEach)
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
		key, rest = "data."+typ, tr[2:]
	}
	if len(rest) == 0 {
		return nil
	}
	name, ok := rest[0].(hcl.TraverseAttr)
	if !ok {
		return nil
	}
	rs := in.resources[key+"."+name.Name]
	if rs == nil {
		return nil
	}
	out := make([]string, 0, len(rs.insts))
	for _, ri := range rs.insts {
		out = append(out, ri.addr)
	}
	return out
}

// moduleRef follows module.NAME.OUTPUT to what the output refers to in
// each instance of the call (or the one an index picks); module.NAME alone
// (as depends_on names it) stands for every resource of the module.
func (w *depWalker) moduleRef(in *instance, tr hcl.Traversal) []string {
	name, ok := attrStep(tr, 1)
	if !ok {
		return nil
	}
	cs := in.children[name]
	if cs == nil || !cs.followed {
		return nil
	}
	insts, rest := cs.insts, tr[2:]
	if len(rest) > 0 {
		if _, isIndex := rest[0].(hcl.TraverseIndex); isIndex {
			if ci, r := pickInstance(cs.insts, cs.exp.keys, rest); ci != nil {
				insts, rest = []*instance{ci}, r
			} else {
				rest = rest[1:]
			}
		}
	}
	out0, named := "", false
	if len(rest) > 0 {
		if a, ok := rest[0].(hcl.TraverseAttr); ok {
			out0, named = a.Name, true
		}
	}
	var out []string
	for _, ci := range insts {
		if named {
			if o := ci.mod.outputs[out0]; o != nil {
				out = append(out, w.remember(depKey{ci, "output." + out0}, func() []string {
					deps := w.expr(ci, nil, o.Expr)
					// What refers to an output waits for its depends_on.
					for _, s := range ci.mod.outputDeps[out0] {
						deps = append(deps, w.ref(ci, nil, refTraversal(s))...)
					}
					return deps
				})...)
			}
			continue
		}
		out = append(out, w.remember(depKey{ci, "module"}, func() []string { return w.everything(ci) })...)
	}
	return out
}

// everything lists every resource instance of a module instance and of the
// modules it calls.
func (w *depWalker) everything(in *instance) []string {
	var out []string
	for _, d := range in.mod.resOrder {
		if rs := in.resources[d.key]; rs != nil {
			for _, ri := range rs.insts {
				out = append(out, ri.addr)
			}
		}
	}
	for _, c := range in.mod.callOrder {
		if cs := in.children[c.name]; cs != nil {
			for _, ci := range cs.insts {
				out = append(out, w.everything(ci)...)
			}
		}
	}
	return out
}

// callDeps lists what the depends_on of a module instance's call, and of
// the calls above it, names: every resource of the module waits for it.
func (w *depWalker) callDeps(in *instance) []string {
	if in == nil || in.call == nil {
		return nil
	}
	return w.remember(depKey{in, "call"}, func() []string {
		var out []string
		for _, s := range in.call.dependsOn {
			out = append(out, w.ref(in.parent, in.callScope, refTraversal(s))...)
		}
		return append(out, w.callDeps(in.parent)...)
	})
}
