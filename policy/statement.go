package policy

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// Ref is a statement that took part in a decision, with how surely it
// matched the request.
type Ref struct {
	Policy    *graph.Policy
	Statement *graph.Statement // nil when the whole document is unknown
	Match     Truth
}

// Range is where the statement (or, for an unknown document, the policy)
// is.
func (r Ref) Range() graph.Range {
	if r.Statement != nil {
		return r.Statement.Range
	}
	return r.Policy.DocRange
}

// verdict is what one policy says about a request.
type verdict struct {
	// allow: some Allow statement matches; allowDirect: one whose
	// principal names the caller itself (resource policies only).
	allow, allowDirect, deny Truth
	// allowSession: an Allow that names the role session itself.
	allowSession   Truth
	allows, denies []Ref
}

func emptyVerdict() verdict { return verdict{allow: no, allowDirect: no, allowSession: no, deny: no} }

// principalMode says how a policy's Principal element is read.
type principalMode uint8

const (
	noPrincipal principalMode = iota // identity policies and boundaries
	withPrincipal
	gatewayPrincipal // gateway endpoint policies: accounts mean their root user
)

// evalPolicy evaluates a policy document against the request.
func evalPolicy(p *graph.Policy, req *Request, mode principalMode) verdict {
	v := emptyVerdict()
	if p == nil || req.skip[p] {
		return v
	}
	if p.Doc == nil {
		why := maybe("the " + p.Kind.String() + " " + p.Address + ", which cannot be known before deployment")
		v.allow, v.allowDirect, v.deny = why, why, why
		v.allows = append(v.allows, Ref{Policy: p, Match: why})
		v.denies = append(v.denies, Ref{Policy: p, Match: why})
		return v
	}
	for _, st := range p.Doc.Statements {
		match, direct, session := statementMatches(st, req, mode)
		if match.T == No {
			continue
		}
		ref := Ref{Policy: p, Statement: st, Match: match}
		isAllow, isDeny := st.IsAllow(), st.IsDeny()
		if !isAllow && !isDeny {
			// An effect that cannot be known might be either.
			eff := maybe("the Effect of the statement at " + st.Range.Short())
			match = match.And(eff)
			direct = direct.And(eff)
			session = session.And(eff)
			isAllow, isDeny = true, true
		}
		if isAllow {
			v.allow = v.allow.Or(match)
			v.allowDirect = v.allowDirect.Or(direct)
			v.allowSession = v.allowSession.Or(session)
			v.allows = append(v.allows, ref)
		}
		if isDeny {
			v.deny = v.deny.Or(match)
			v.denies = append(v.denies, ref)
		}
	}
	return v
}

// statementMatches decides whether a statement applies to the request:
// match through any principal form, direct through a principal that names
// the caller itself, session through the caller's role session ARN.
func statementMatches(st *graph.Statement, req *Request, mode principalMode) (match, direct, session Truth) {
	if st.Unknown {
		m := maybe("the statement at " + st.Range.Short() + ", which cannot be known before deployment")
		return m, m, no
	}
	base := matchActions(st, req)
	if base.T == No {
		return no, no, no
	}
	base = base.And(matchResources(st, req))
	if base.T == No {
		return no, no, no
	}
	for i := range st.Conditions {
		base = base.And(evalCondition(&st.Conditions[i], req, st.LiteralVariables))
		if base.T == No {
			return no, no, no
		}
	}
	if mode == noPrincipal {
		return base, base, no
	}
	switch {
	case st.NotPrincipal != nil:
		d := notPrincipalApplies(st.NotPrincipal, &req.Caller, !st.IsAllow(), req.roots)
		return base.And(d), base.And(d), no
	case st.Principal != nil:
		pm := matchPrincipal(st.Principal, &req.Caller, mode == gatewayPrincipal, req.roots)
		return base.And(pm.direct.Or(pm.account)), base.And(pm.direct), base.And(pm.session)
	}
	// A resource policy statement without a principal is invalid.
	return no, no, no
}

func matchActions(st *graph.Statement, req *Request) Truth {
	el, negate := st.Action, false
	if !el.Present {
		el, negate = st.NotAction, true
	}
	if !el.Present {
		return no
	}
	if el.Unknown {
		return maybe("the actions of the statement at " + st.Range.Short())
	}
	out := no
	for _, it := range el.Items {
		if !it.Known() {
			out = out.Or(maybe("an action that cannot be known before deployment"))
			continue
		}
		if MatchAction(it.V, req.Action) {
			out = yes
			break
		}
	}
	if negate {
		return out.Not()
	}
	return out
}

func matchResources(st *graph.Statement, req *Request) Truth {
	el, negate := st.Resource, false
	if !el.Present {
		el, negate = st.NotResource, true
	}
	if !el.Present {
		// Key policies and trust policies may leave Resource out in
		// templates that tools fill in; elsewhere it is invalid.
		return maybe("a statement without Resource")
	}
	if el.Unknown {
		return maybe("the resources of the statement at " + st.Range.Short())
	}
	out := no
	for _, it := range el.Items {
		if !it.Known() {
			if shapeMisses(it, req) {
				continue
			}
			if len(el.Items) == 1 && it.Range == el.Range {
				// A Resource written as one partly known string
				// (parseResources makes it the element's only item).
				out = out.Or(maybe("the resources of the statement at " + st.Range.Short()))
			} else {
				out = out.Or(maybe("a resource that cannot be known before deployment"))
			}
			continue
		}
		pattern, t := substituteVariables(it.V, req, st.LiteralVariables)
		if t.T != Yes {
			// A variable without a value matches no ARN (No); one whose
			// value is unknown may match (Maybe).
			out = out.Or(t)
			continue
		}
		out = out.Or(req.matchResource(pattern, req.Resource))
		if out.T == Yes {
			break
		}
	}
	if negate {
		return out.Not()
	}
	return out
}

// shapeMisses reports whether a partly known Resource entry (graph.ShapeOf)
// matches the request's ARN for no value of its unknown parts: its pattern
// with "*" for each of them, which matches whatever they could, does not
// ("arn:aws:s3:::${var.b}/*" never names a bucket). A policy variable in
// the known text leaves it undecided.
func shapeMisses(it graph.String, req *Request) bool {
	shape, ok := it.Shape()
	if !ok || strings.Contains(shape, "${") {
		return false
	}
	return req.matchResource(graph.Starred(shape), req.Resource).T == No
}

// matchResource matches a Resource pattern against the request's ARN. A
// symbolic bucket name may be any name except those of other buckets whose
// names the graph knows (bucket names are unique).
func (req *Request) matchResource(pattern, arn string) Truth {
	if pattern == "*" || glob(pattern, arn) {
		return yes
	}
	if !hasSymbol(pattern) && !hasSymbol(arn) {
		return no
	}
	// Settled before matchSymbols, which would work out (and word) a maybe
	// first: with symbolic names (every CDK bucket) this runs for every
	// statement of every policy of every decision.
	if req.named != nil {
		_, pb, pok := BucketARN(pattern)
		_, vb, vok := BucketARN(arn)
		if pok && vok && pb != vb {
			if (hasSymbol(vb) && !hasSymbol(pb) && req.named[pb]) || (hasSymbol(pb) && !hasSymbol(vb) && req.named[vb]) {
				return no
			}
			// Two buckets of the configuration are two buckets, whatever
			// names AWS gives them.
			if req.named[pb] && req.named[vb] {
				return no
			}
		}
	}
	return matchSymbols(pattern, arn)
}
