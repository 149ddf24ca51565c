package tfplan

import (
	"strings"

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
	for _, e := range entities(plans) {
		roots[e.Root] = true
	}
	covered := map[string]bool{}
	for _, e := range entities(cfg) {
		if roots[e.Root] {
			covered[e.Root] = true
		}
	}
	if len(covered) > 0 {
		relocate(cfg, plans, covered)
		drop(cfg, covered)
	}
	cfg.Merge(plans)
	cfg.LinkBucketsByName()
}

// entities lists every entity of a graph.
func entities(g *graph.Graph) []*graph.Entity {
	var out []*graph.Entity
	for _, b := range g.Buckets {
		out = append(out, &b.Entity)
	}
	for _, p := range g.Policies {
		out = append(out, &p.Entity)
	}
	for _, p := range g.Principals {
		out = append(out, &p.Entity)
	}
	for _, k := range g.Keys {
		out = append(out, &k.Entity)
	}
	for _, e := range g.Endpoints {
		out = append(out, &e.Entity)
	}
	for _, a := range g.AccountBlocks {
		out = append(out, &a.Entity)
	}
	for _, a := range g.AccessPoints {
		out = append(out, &a.Entity)
	}
	return out
}

type entityKey struct{ root, address, typ string }

func keyOf(e *graph.Entity) entityKey { return entityKey{e.Root, e.Address, e.Type} }

// looseKey drops instance keys: the configuration may know a resource only
// as aws_s3_bucket.logs[count.index] when the plan has [0] and [1].
func looseKey(e *graph.Entity) entityKey {
	return entityKey{e.Root, configAddress(e.Address), e.Type}
}

// relocate moves plan entities of covered roots to the places of their
// twins in the configuration.
func relocate(cfg, plans *graph.Graph, covered map[string]bool) {
	ranges := map[entityKey]graph.Range{}
	for _, e := range entities(cfg) {
		ranges[keyOf(e)] = e.Range
		if _, ok := ranges[looseKey(e)]; !ok {
			ranges[looseKey(e)] = e.Range
		}
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
		if lk := (policyKey{looseKey(&p.Entity), p.Kind}); lk != k {
			twins[lk] = append(twins[lk], p)
		}
	}
	move := func(e *graph.Entity) {
		if !covered[e.Root] {
			return
		}
		if r, ok := ranges[keyOf(e)]; ok {
			e.Range = r
		} else if r, ok := ranges[looseKey(e)]; ok {
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
	for _, a := range plans.AccountBlocks {
		move(&a.Entity)
	}
	for _, a := range plans.AccessPoints {
		move(&a.Entity)
	}
	relocateSettings(cfg, plans, covered)
	// A delivery's finding goes to the argument naming its bucket: the
	// twin's in the configuration, when it has one.
	// A resource may configure several (replication rules, origins): the
	// twin is the one named alike ("replication rule \"all\""), else the
	// resource's first.
	type named struct {
		entityKey
		what string
	}
	what := func(d *graph.Delivery) string {
		// The name before " of ADDRESS" (the name itself may hold " of ").
		if i := strings.LastIndex(d.What, " of "); i >= 0 {
			return d.What[:i]
		}
		return d.What
	}
	twinDelivery := map[entityKey]*graph.Delivery{}
	twinNamed := map[named]*graph.Delivery{}
	for _, d := range cfg.Deliveries {
		for _, k := range []entityKey{keyOf(&d.Entity), looseKey(&d.Entity)} {
			if _, ok := twinDelivery[k]; !ok {
				twinDelivery[k] = d
			}
			if _, ok := twinNamed[named{k, what(d)}]; !ok {
				twinNamed[named{k, what(d)}] = d
			}
		}
	}
	for _, d := range plans.Deliveries {
		if !covered[d.Root] {
			continue
		}
		move(&d.Entity)
		tw := twinNamed[named{keyOf(&d.Entity), what(d)}]
		if tw == nil {
			tw = twinNamed[named{looseKey(&d.Entity), what(d)}]
		}
		if tw == nil {
			tw = twinDelivery[keyOf(&d.Entity)]
		}
		if tw == nil {
			tw = twinDelivery[looseKey(&d.Entity)]
		}
		if tw != nil && tw.Kind == d.Kind {
			d.BucketRef.Range, d.Prefix.Range, d.KeyRef.Range = tw.BucketRef.Range, tw.Prefix.Range, tw.KeyRef.Range
		}
	}
	// Each plan file is matched on its own; within one, a policy's twin is
	// the one with the same name (a role's inline policies come in the
	// plan's order, not the configuration's), else the next in order.
	type useKey struct {
		file string
		policyKey
	}
	used := map[useKey]int{}
	for _, p := range plans.Policies {
		if !covered[p.Root] {
			continue
		}
		move(&p.Entity)
		k := policyKey{keyOf(&p.Entity), p.Kind}
		loose := len(twins[k]) == 0
		if loose {
			// Every instance of a block the configuration could not
			// expand is written by that one block.
			k = policyKey{looseKey(&p.Entity), p.Kind}
		}
		uk := useKey{p.DocRange.File, k}
		var twin *graph.Policy
		for _, t := range twins[k] {
			if p.Name.Known() && p.Name.V != "" && t.Name.Is(p.Name.V) {
				twin = t
				break
			}
		}
		if twin == nil {
			i := used[uk]
			used[uk]++
			if i >= len(twins[k]) {
				if !loose || len(twins[k]) == 0 {
					continue
				}
				i = len(twins[k]) - 1
			}
			twin = twins[k][i]
		}
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
	// Items equal in value first; then each of the rest takes the item at
	// its own index if that is free, else the first free item not known,
	// else the first free one.
	taken := make([]bool, len(theirs.Items))
	placed := make([]bool, len(mine.Items))
	for i := range mine.Items {
		it := &mine.Items[i]
		it.Range = theirs.Range
		for j, t := range theirs.Items {
			if !taken[j] && t.Known() && t.V == it.V {
				it.Range, taken[j], placed[i] = t.Range, true, true
				break
			}
		}
	}
	pick := func(i int) int {
		if i < len(theirs.Items) && !taken[i] {
			return i
		}
		for j, t := range theirs.Items {
			if !taken[j] && !t.Known() {
				return j
			}
		}
		for j := range theirs.Items {
			if !taken[j] {
				return j
			}
		}
		return -1
	}
	for i := range mine.Items {
		if placed[i] {
			continue
		}
		if j := pick(i); j >= 0 {
			mine.Items[i].Range, taken[j] = theirs.Items[j].Range, true
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
	g.AccountBlocks = filter(g.AccountBlocks, func(a *graph.AccountPublicAccessBlock) bool { return keep(&a.Entity) })
	g.AccessPoints = filter(g.AccessPoints, func(a *graph.AccessPoint) bool { return keep(&a.Entity) })
	g.SettingLinks = filter(g.SettingLinks, func(s *graph.SettingLink) bool { return !covered[s.Root] })
	g.Deliveries = filter(g.Deliveries, func(d *graph.Delivery) bool { return keep(&d.Entity) })
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
