package rules

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// eachStatement calls fn for every statement of every known policy document
// whose kind passes the filter.
func eachStatement(g *graph.Graph, kinds func(graph.PolicyKind) bool, fn func(p *graph.Policy, st *graph.Statement)) {
	for _, p := range g.Policies {
		if p.Doc == nil || (kinds != nil && !kinds(p.Kind)) {
			continue
		}
		for _, st := range p.Doc.Statements {
			if !st.Unknown {
				fn(p, st)
			}
		}
	}
}

// s3Policies are the kinds of policy whose Resource elements name S3
// resources for S3 actions. A stand-alone document may be attached as any
// of them, and its statements are judged on their own.
func s3Policies(k graph.PolicyKind) bool {
	switch k {
	case graph.IdentityPolicy, graph.BucketPolicy, graph.AccessPointPolicy, graph.EndpointPolicy, graph.StandalonePolicy:
		return true
	}
	return false
}

// actionItem is one entry of an Action element with the actions it names.
type actionItem struct {
	text     string
	acts     []*policy.Action
	wildcard bool
	broad    bool // "*" or "s3:*": everything, so intent cannot be read from it
}

// isBroadAction reports an Action entry that names every S3 action ("*",
// "s3:*"), from which no intent can be read.
func isBroadAction(a string) bool {
	return a == "*" || strings.EqualFold(a, "s3:*")
}

// grantsEverything reports a statement whose Action is "*" or "s3:*", from
// which no intent can be read.
func grantsEverything(st *graph.Statement) bool {
	for _, it := range st.Action.Items {
		if it.Known() && isBroadAction(it.V) {
			return true
		}
	}
	return false
}

// namesS3Actions reports whether a statement's Action names S3 actions (or
// every action), so that its resources are S3's.
func namesS3Actions(st *graph.Statement) bool {
	for _, a := range st.Action.Items {
		if a.Known() && (a.V == "*" || strings.HasPrefix(strings.ToLower(a.V), "s3:")) {
			return true
		}
	}
	return false
}

// actionItems reads a statement's Action element; ok is false when the
// element is absent or not wholly known.
func actionItems(st *graph.Statement) (items []actionItem, ok bool) {
	if !st.Action.Present || !st.Action.AllKnown() {
		return nil, false
	}
	for _, it := range st.Action.Items {
		ai := actionItem{text: it.V, wildcard: policy.HasWildcard(it.V)}
		ai.broad = isBroadAction(it.V)
		if ai.wildcard {
			ai.acts = policy.ExpandAction(it.V)
		} else if a := policy.LookupAction(it.V); a != nil {
			ai.acts = []*policy.Action{a}
		}
		items = append(items, ai)
	}
	return items, true
}

// evident returns the action names of items that evidently mean actions
// satisfying want: exact names, and wildcards all of whose actions satisfy
// it (s3:*Object*, s3:ListBucket*). Broad wildcards never count.
func evident(items []actionItem, want func(*policy.Action) bool) []string {
	var out []string
	for _, ai := range items {
		if ai.evidently(want) {
			out = append(out, ai.text)
		}
	}
	return out
}

// evidently reports whether the item evidently means actions satisfying
// want, as evident counts it.
func (ai actionItem) evidently(want func(*policy.Action) bool) bool {
	if ai.broad || len(ai.acts) == 0 {
		return false
	}
	for _, a := range ai.acts {
		if !want(a) {
			return false
		}
	}
	return true
}

// madeUpFor returns what evident and hasBroad return for items, less what
// another statement of the same document grants (or denies) on what cover
// accepts, for the same principal: the statement's mistake then costs no
// request. The other statement must have the same effect and principal,
// the same conditions (or none), and a known Action; its Resource may be
// partly or wholly unknown, and then may name whatever cover asks about. No
// sibling mends a statement S3 rejects outright (rejected). A broad item
// ("*", "s3:*") is made up for by any such statement that grants some
// action chosen by want.
func madeUpFor(pol *graph.Policy, st *graph.Statement, items []actionItem, want func(*policy.Action) bool,
	rejected bool, cover func(*resourceIndex) bool) (names []string, broad bool) {
	var others [][]actionItem
	if pol.Doc != nil && st.Effect.Known() && !rejected {
		for _, o := range siblingStatements(pol) {
			if o == st || o.Unknown || !o.Effect.Is(st.Effect.V) || !sameConditions(o.Conditions, st.Conditions) || o.NotAction.Present ||
				!samePrincipal(o.Principal, st.Principal) || !samePrincipal(o.NotPrincipal, st.NotPrincipal) {
				continue
			}
			oitems, ok := actionItems(o)
			if !ok {
				continue
			}
			res, ok := siblingResources(o)
			if !ok || !cover(indexResources(res)) {
				continue
			}
			others = append(others, oitems)
		}
	}
	grants := func(ai actionItem) bool {
		return slices.ContainsFunc(others, func(o []actionItem) bool { return actionsWithin(ai, o) })
	}
	for _, ai := range items {
		switch {
		case ai.broad:
			// "s3:*" reaching only the bucket is reported for the access
			// it seems to intend; another statement that grants some of
			// that access where it applies shows it is intended there.
			broad = broad || !slices.ContainsFunc(others, func(o []actionItem) bool { return anyAction(o, want) })
		case ai.evidently(want) && !grants(ai):
			names = append(names, ai.text)
		}
	}
	return names, broad
}

// siblingStatements are the statements that stand beside those of a
// policy: its own, and for an identity policy those of the other identity
// policies that every principal it is attached to has too (inline,
// attached, through a group), since a grant there reaches each of them.
// Policies that a template may or may not put in place are left out.
func siblingStatements(pol *graph.Policy) []*graph.Statement {
	out := pol.Doc.Statements
	if pol.Kind != graph.IdentityPolicy || len(pol.Attached) == 0 {
		return out
	}
	has := func(pr *graph.Principal, q *graph.Policy) bool {
		if slices.Contains(pr.Policies, q) {
			return true
		}
		return slices.ContainsFunc(pr.Groups, func(g *graph.Principal) bool { return slices.Contains(g.Policies, q) })
	}
	first := pol.Attached[0]
	candidates := append([]*graph.Policy(nil), first.Policies...)
	for _, g := range first.Groups {
		candidates = append(candidates, g.Policies...)
	}
	seen := map[*graph.Policy]bool{pol: true}
	for _, q := range candidates {
		if seen[q] || q.Doc == nil || q.Variant != nil || q.Undecided() || q.Kind != graph.IdentityPolicy {
			continue
		}
		seen[q] = true
		if !slices.ContainsFunc(pol.Attached, func(pr *graph.Principal) bool { return !has(pr, q) }) {
			out = append(out[:len(out):len(out)], q.Doc.Statements...)
		}
	}
	return out
}

// sameConditions reports whether two Condition elements are known to be
// the same (no condition at all, or the same operators, keys and values in
// any order): two statements with the same principal and the same
// conditions apply to exactly the same requests, such as the pair of
// aws:SecureTransport Denies that CDK writes, one for the bucket and one
// for its objects.
func sameConditions(a, b []graph.Condition) bool {
	if len(a) != len(b) {
		return false
	}
	set := func(cs []graph.Condition) (map[string]bool, bool) {
		out := map[string]bool{}
		for _, c := range cs {
			if c.Unknown || !c.Operator.Known() || !c.Key.Known() {
				return nil, false
			}
			vals := make([]string, 0, len(c.Values))
			for _, v := range c.Values {
				if !v.Known() {
					return nil, false
				}
				vals = append(vals, v.V)
			}
			slices.Sort(vals)
			vals = slices.Compact(vals)
			out[c.Operator.V+"\x00"+strings.ToLower(c.Key.V)+"\x00"+strings.Join(vals, "\x00")] = true
		}
		return out, true
	}
	as, ok1 := set(a)
	bs, ok2 := set(b)
	return ok1 && ok2 && maps.Equal(as, bs)
}

// samePrincipal reports whether two Principal (or NotPrincipal) elements
// are known to name the same principals: both absent, or both known with
// the same identifiers by type (in any order).
func samePrincipal(a, b *graph.PrincipalSpec) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Unknown || b.Unknown || a.Wildcard != b.Wildcard {
		return false
	}
	set := func(p *graph.PrincipalSpec) (map[string]bool, bool) {
		out := map[string]bool{}
		for _, e := range p.Entries {
			if e.Unknown || !e.Type.Known() {
				return nil, false
			}
			for _, v := range e.Values {
				if !v.Known() {
					return nil, false
				}
				out[e.Type.V+" "+v.V] = true
			}
		}
		return out, true
	}
	as, ok1 := set(a)
	bs, ok2 := set(b)
	return ok1 && ok2 && maps.Equal(as, bs)
}

// actionsWithin reports whether every action of ai is an action of items;
// a broad ai needs an item as broad.
func actionsWithin(ai actionItem, items []actionItem) bool {
	for _, it := range items {
		switch {
		case !it.broad:
		case it.text == "*", strings.EqualFold(it.text, ai.text):
			return true
		case !ai.broad && len(ai.acts) > 0 && !slices.ContainsFunc(ai.acts, func(a *policy.Action) bool { return a.Service != "s3" }):
			return true // s3:* grants every S3 action
		}
	}
	if ai.broad {
		return false
	}
	for _, a := range ai.acts {
		found := false
		for _, it := range items {
			if slices.Contains(it.acts, a) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(ai.acts) > 0
}

// spansBuckets reports whether an Allow statement of pol may legitimately
// name several buckets: identity policies (and stand-alone documents
// written as one) and VPC endpoint policies. A bucket or access point policy is about
// its own bucket, so a statement there that names another bucket's
// resources is more likely a typo than a second purpose.
func spansBuckets(pol *graph.Policy, st *graph.Statement) bool {
	if !st.IsAllow() {
		// A Deny is written to protect: one that misses some resources
		// it names protects less than it seems to, whatever else it does.
		return false
	}
	switch pol.Kind {
	case graph.EndpointPolicy:
		return true
	case graph.IdentityPolicy, graph.StandalonePolicy:
		return st.Principal == nil && st.NotPrincipal == nil
	}
	return false
}

// anyAction reports whether some action of items satisfies want.
func anyAction(items []actionItem, want func(*policy.Action) bool) bool {
	for _, ai := range items {
		if slices.ContainsFunc(ai.acts, want) {
			return true
		}
	}
	return false
}

func hasBroad(items []actionItem) bool {
	for _, ai := range items {
		if ai.broad {
			return true
		}
	}
	return false
}

// knownResources returns the statement's Resource items when the element is
// present, wholly known, and no NotResource muddles it.
func knownResources(st *graph.Statement) ([]graph.String, bool) {
	if !st.Resource.Present || !st.Resource.AllKnown() || st.NotResource.Present {
		return nil, false
	}
	return st.Resource.Items, true
}

// list formats names as "a", "a and b", "a, b and c", at most four.
func list(names []string) string {
	if len(names) > 4 {
		names = append(names[:3:3], fmt.Sprintf("%d more", len(names)-3))
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}

// neverMatches words the consequence of n actions that never match the
// statement's resources: "is"/"are", and what happens — a rejected bucket
// policy, requests that get 403, or a Deny that protects nothing.
func neverMatches(pol *graph.Policy, st *graph.Statement, n int, rejected bool) (verb, consequence string) {
	verb, them := "are", "them"
	if n == 1 {
		verb, them = "is", "it"
	}
	switch {
	case rejected:
		return verb, "so S3 rejects this bucket policy (MalformedPolicy: Action does not apply to any resource(s) in statement) and the apply fails"
	case st.IsDeny():
		return verb, "so this Deny never applies to " + them
	case pol.Kind == graph.EndpointPolicy:
		return verb, "so the endpoint never lets " + them + " through and the calls get 403 Access Denied"
	default:
		return verb, "so this statement never allows " + them + " and the calls get 403 Access Denied unless another policy allows " + them
	}
}

// rejectedByS3 reports whether S3 refuses a bucket policy statement because
// an action named exactly applies to none of its resources. S3 validates
// bucket policies this way when they are written; IAM does not validate
// identity policies, so for them the same mistake surfaces as 403.
func rejectedByS3(pol *graph.Policy, items []actionItem, res []graph.String) bool {
	if pol.Kind != graph.BucketPolicy {
		return false
	}
	for _, ai := range items {
		if ai.wildcard || len(ai.acts) != 1 {
			continue
		}
		applies := false
		for _, r := range res {
			if ai.acts[0].CanApplyTo(kindPattern(r)) {
				applies = true
				break
			}
		}
		if !applies {
			return true
		}
	}
	return false
}

// anyMatches reports whether some resource pattern matches arn exactly.
func anyMatches(res []graph.String, arn string) bool {
	for _, r := range res {
		if policy.MatchResource(r.V, arn) {
			return true
		}
	}
	return false
}

// resourceIndex is the Resource list of a statement, prepared for asking
// many times whether some pattern can name an ARN: a statement generated
// from a for_each may list thousands of ARNs, and asking about each one
// against all the others must not cost their square.
type resourceIndex struct {
	res      []graph.String
	kinds    []policy.S3Kind // S3Kinds of each pattern (of its kindPattern; any kind when unknown)
	symbolic []bool          // graph.HasSymbol of each pattern
	shaped   []bool          // partly known (resourcePatterns)
	unknown  []bool          // wholly unknown (siblingResources): may name anything
	exact    map[string]bool // the known patterns as written
}

// hasKind reports whether some pattern may name a resource of kind.
func (ix *resourceIndex) hasKind(kind policy.S3Kind) bool {
	return slices.ContainsFunc(ix.kinds, func(k policy.S3Kind) bool { return k&kind != 0 })
}

func indexResources(res []graph.String) *resourceIndex {
	ix := &resourceIndex{res: res, kinds: make([]policy.S3Kind, len(res)), symbolic: make([]bool, len(res)),
		shaped: make([]bool, len(res)), unknown: make([]bool, len(res)), exact: make(map[string]bool, len(res))}
	for i, r := range res {
		if _, shaped := r.Shape(); shaped {
			ix.kinds[i], ix.shaped[i] = policy.S3Kinds(kindPattern(r)), true
			continue
		}
		if !r.Known() {
			ix.kinds[i], ix.unknown[i] = policy.KindAny, true
			continue
		}
		ix.kinds[i] = policy.S3Kinds(r.V)
		ix.symbolic[i] = graph.HasSymbol(r.V)
		ix.exact[r.V] = true
	}
	return ix
}

// mayCoverPrefix reports whether some resource pattern can match an ARN
// extending prefix (kind is the kind of such ARNs: objects, or access point
// objects). A symbolic name stands for a name not known before deployment,
// so when exactly one side holds a symbol the two may name the same bucket:
// any resource of the right kind then counts.
func (ix *resourceIndex) mayCoverPrefix(prefix string, kind policy.S3Kind, named map[string]bool) bool {
	return ix.exact[prefix+"*"] || ix.mayName(prefix, kind, policy.CanMatchPrefix, named)
}

// mayMatch reports whether some resource pattern can match arn, an ARN of
// the given kind, with the same care for symbolic names as mayCoverPrefix.
func (ix *resourceIndex) mayMatch(arn string, kind policy.S3Kind, named map[string]bool) bool {
	return ix.exact[arn] || ix.mayName(arn, kind, policy.MatchResource, named)
}

// mayName is mayCoverPrefix and mayMatch with their matcher. named holds the
// names of buckets known in the graph: a literal ARN of one of them cannot
// be a bucket whose name is a symbol, since bucket names are unique. A
// pattern that cannot match the kind at all (S3Kinds errs towards "could")
// is passed over without matching.
func (ix *resourceIndex) mayName(target string, kind policy.S3Kind, match func(pattern, target string) bool, named map[string]bool) bool {
	if strings.Contains(target, graph.UnknownPart) {
		// A partly known target may be whatever a pattern of its kind names.
		return ix.hasKind(kind)
	}
	targetSymbolic := graph.HasSymbol(target)
	for i, r := range ix.res {
		if ix.kinds[i]&kind == 0 {
			continue
		}
		if ix.unknown[i] {
			return true
		}
		if ix.shaped[i] {
			if match(graph.Starred(r.V), target) {
				return true
			}
			continue
		}
		if ix.symbolic[i] != targetSymbolic {
			literal := r.V // the side without the symbol
			if !targetSymbolic {
				literal = target
			}
			if _, bucket, ok := policy.BucketARN(literal); ok && named[bucket] {
				continue
			}
			return true
		}
		if match(r.V, target) {
			return true
		}
	}
	return false
}

// display renders an ARN for messages: a symbolic bucket name as the
// Terraform reference that produces it ("${aws_s3_bucket.b.arn}/*").
func display(arn string) string {
	addr := graph.SymbolAddress(arn)
	if addr == "" {
		// Other symbols (an account's) as the engine shows them.
		return policy.Display(arn)
	}
	_, bucket, ok := policy.BucketARN(arn)
	if !ok || graph.SymbolAddress(bucket) != addr || !strings.HasPrefix(bucket, "<name of ") || !strings.HasSuffix(bucket, ">") {
		return policy.Display(arn)
	}
	_, rest, _ := strings.Cut(arn, bucket)
	rest = policy.Display(rest)
	if !strings.Contains(addr, ".") {
		// A CloudFormation logical ID: Fn::Sub syntax.
		return "${" + addr + ".Arn}" + rest
	}
	return "${" + addr + ".arn}" + rest
}

// displayAt is display for a message about the policy element at r: a
// bucket of another CloudFormation template (a value imported with
// Fn::ImportValue) has no ${X.Arn} in r's template, and shows as the
// engine shows it.
func displayAt(arn string, r graph.Range) string {
	if scope := graph.SymbolScope(arn); scope != "" && !strings.Contains(graph.SymbolAddress(arn), ".") &&
		filepath.ToSlash(scope) != filepath.ToSlash(r.File) {
		return policy.Display(arn)
	}
	return display(arn)
}

// principalsByARN indexes the graph's roles and users by their ARN as a
// caller has it (several where copies of a configuration declare one).
func principalsByARN(g *graph.Graph) map[string][]*graph.Principal {
	out := map[string][]*graph.Principal{}
	for _, pr := range g.Principals {
		if c, ok := policy.CallerFor(pr); ok {
			out[c.ARN] = append(out[c.ARN], pr)
		}
	}
	return out
}
