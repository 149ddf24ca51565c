package tfplan

import (
	"github.com/s3lint/s3lint/graph"
)

// Overlay merges the graph of plans into the graph of the configurations.
// A plan that sits in the directory of a root module it was made from
// replaces what was evaluated from that configuration — the plan knows the
// values — while findings keep pointing at the .tf files: every entity,
// statement and element takes the place of its twin in the configuration
// (matched by address, then by position and value), where there is one.
func Overlay(cfg, plans *graph.Graph) {
	roots := map[string]bool{}
	for _, p := range plans.Policies {
		roots[p.Root] = true
	}
	for _, b := range plans.Buckets {
		roots[b.Root] = true
	}
	covered := map[string]bool{}
	for _, b := range cfg.Buckets {
		if roots[b.Root] {
			covered[b.Root] = true
		}
	}
	for _, p := range cfg.Policies {
		if roots[p.Root] {
			covered[p.Root] = true
		}
	}
	for _, p := range cfg.Principals {
		if roots[p.Root] {
			covered[p.Root] = true
		}
	}
	if len(covered) > 0 {
		relocate(cfg, plans, covered)
		drop(cfg, covered)
	}
	cfg.Merge(plans)
	cfg.LinkBucketsByName()
}

type entityKey struct{ root, address, typ string }

func keyOf(e *graph.Entity) entityKey { return entityKey{e.Root, e.Address, e.Type} }

// relocate moves plan entities of covered roots to the places of their
// twins in the configuration.
func relocate(cfg, plans *graph.Graph, covered map[string]bool) {
	ranges := map[entityKey]graph.Range{}
	for _, b := range cfg.Buckets {
		ranges[keyOf(&b.Entity)] = b.Range
	}
	for _, p := range cfg.Principals {
		ranges[keyOf(&p.Entity)] = p.Range
	}
	for _, k := range cfg.Keys {
		ranges[keyOf(&k.Entity)] = k.Range
	}
	for _, e := range cfg.Endpoints {
		ranges[keyOf(&e.Entity)] = e.Range
	}
	// Policies: by address and kind, in source order (a role has a trust
	// policy and inline policies under one address).
	type policyKey struct {
		entityKey
		kind graph.PolicyKind
	}
	twins := map[policyKey][]*graph.Policy{}
	for _, p := range cfg.Policies {
		k := policyKey{keyOf(&p.Entity), p.Kind}
		twins[k] = append(twins[k], p)
		ranges[keyOf(&p.Entity)] = p.Range
	}
	move := func(e *graph.Entity) {
		if r, ok := ranges[keyOf(e)]; ok && covered[e.Root] {
			e.Range = r
		}
	}
	for _, b := range plans.Buckets {
		move(&b.Entity)
	}
	for _, p := range plans.Principals {
		move(&p.Entity)
	}
	for _, k := range plans.Keys {
		move(&k.Entity)
	}
	for _, e := range plans.Endpoints {
		move(&e.Entity)
	}
	used := map[policyKey]int{}
	for _, p := range plans.Policies {
		if !covered[p.Root] {
			continue
		}
		move(&p.Entity)
		k := policyKey{keyOf(&p.Entity), p.Kind}
		i := used[k]
		used[k]++
		if i >= len(twins[k]) {
			continue
		}
		twin := twins[k][i]
		p.DocRange = twin.DocRange
		if p.Doc != nil {
			relocateDoc(p.Doc, twin.Doc, twin.DocRange)
		}
	}
}

// relocateDoc moves a document's parts to their twins: statements by
// index, elements by name, items by equal value or else by index.
func relocateDoc(doc, twin *graph.Document, fallback graph.Range) {
	doc.Range = fallback
	if twin != nil {
		doc.Range = twin.Range
	}
	for i, st := range doc.Statements {
		var ts *graph.Statement
		if twin != nil && i < len(twin.Statements) {
			ts = twin.Statements[i]
		}
		at := doc.Range
		if ts != nil {
			at = ts.Range
		}
		st.Range = at
		st.Effect.Range, st.Sid.Range = at, at
		pairs := []struct{ mine, theirs *graph.Strings }{
			{&st.Action, nil}, {&st.NotAction, nil}, {&st.Resource, nil}, {&st.NotResource, nil},
		}
		if ts != nil {
			pairs[0].theirs, pairs[1].theirs = &ts.Action, &ts.NotAction
			pairs[2].theirs, pairs[3].theirs = &ts.Resource, &ts.NotResource
		}
		for _, pr := range pairs {
			relocateStrings(pr.mine, pr.theirs, at)
		}
		for _, spec := range []*graph.PrincipalSpec{st.Principal, st.NotPrincipal} {
			if spec == nil {
				continue
			}
			spec.Range = at
			for j := range spec.Entries {
				spec.Entries[j].Type.Range, spec.Entries[j].ValueRange = at, at
				for k := range spec.Entries[j].Values {
					spec.Entries[j].Values[k].Range = at
				}
			}
		}
		for j := range st.Conditions {
			c := &st.Conditions[j]
			c.Range, c.Operator.Range, c.Key.Range = at, at, at
			for k := range c.Values {
				c.Values[k].Range = at
			}
		}
		if ts != nil {
			if st.Principal != nil && ts.Principal != nil {
				st.Principal.Range = ts.Principal.Range
			}
			for j := range st.Conditions {
				if j < len(ts.Conditions) {
					st.Conditions[j].Range = ts.Conditions[j].Range
				}
			}
		}
	}
	for i := range doc.Problems {
		doc.Problems[i].Range = doc.Range
	}
}

func relocateStrings(mine, theirs *graph.Strings, at graph.Range) {
	if !mine.Present {
		return
	}
	if theirs == nil || !theirs.Present {
		mine.Range, mine.KeyRange = at, at
		for i := range mine.Items {
			mine.Items[i].Range = at
		}
		return
	}
	mine.Range, mine.KeyRange = theirs.Range, theirs.KeyRange
	for i := range mine.Items {
		it := &mine.Items[i]
		it.Range = theirs.Range
		found := false
		for _, t := range theirs.Items {
			if t.Known() && t.V == it.V {
				it.Range, found = t.Range, true
				break
			}
		}
		if !found && len(theirs.Items) == len(mine.Items) {
			it.Range = theirs.Items[i].Range
		}
	}
}

// drop removes what was evaluated from the configurations that plans
// cover.
func drop(g *graph.Graph, covered map[string]bool) {
	keep := func(e *graph.Entity) bool { return !covered[e.Root] }
	g.Buckets = filter(g.Buckets, func(b *graph.Bucket) bool { return keep(&b.Entity) })
	g.Policies = filter(g.Policies, func(p *graph.Policy) bool { return keep(&p.Entity) })
	g.Principals = filter(g.Principals, func(p *graph.Principal) bool { return keep(&p.Entity) })
	g.Keys = filter(g.Keys, func(k *graph.Key) bool { return keep(&k.Entity) })
	g.Endpoints = filter(g.Endpoints, func(e *graph.Endpoint) bool { return keep(&e.Entity) })
}

func filter[T any](xs []T, keep func(T) bool) []T {
	out := xs[:0]
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}
