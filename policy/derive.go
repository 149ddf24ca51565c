package policy

import (
	"slices"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
)

// Intent is a request that some Allow statement means to grant: a role's
// identity policy naming a bucket, or a bucket policy naming a principal of
// the graph. Rules ask the engine whether intents are actually allowed.
type Intent struct {
	Request Request
	Bucket  *graph.Bucket
	// Policy and Statement state the intent; Item is the Action entry.
	Policy    *graph.Policy
	Statement *graph.Statement
	Item      graph.String
	// seq is the intent's place in its engine's Intents, plus one; 0 for
	// intents made elsewhere.
	seq   int
	owner *Engine
}

// coreActions are the actions a wildcard stands for when deriving intents:
// listing, reading, writing and deleting. Exact action names are taken as
// written.
var coreActions = []string{"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"}

// IsCoreAction reports whether an action is one of the four that listing,
// reading, writing and deleting need.
func IsCoreAction(action string) bool {
	for _, a := range coreActions {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}

// Intents derives the requests that the graph's policies mean to allow, in
// a deterministic order. The result is computed once per engine and shared:
// callers must not modify it.
func (e *Engine) Intents() []Intent {
	e.derive.Do(func() {
		defer rememberPanic(&e.deriveFailed)
		e.intents = e.deriveIntents()
		for i := range e.intents {
			e.intents[i].seq, e.intents[i].owner = i+1, e
		}
	})
	if e.deriveFailed != nil {
		panic(e.deriveFailed)
	}
	return e.intents
}

// DecideIntent decides an intent's request. Every intent of Intents is
// decided once for its outcome, on every core, the first time any is asked
// about: most rules ask about all of them. Only refusals and unknowns are
// decided again and kept whole; an allowed intent's decision is made when
// asked for (IntentOutcome answers whether it is allowed without that), so
// that a template with a hundred thousand grants neither works out nor
// holds a hundred thousand explanations.
func (e *Engine) DecideIntent(in *Intent) Decision {
	if in.owner != e {
		return e.Decide(in.Request)
	}
	e.decideAll()
	if d := e.decisions[in.seq-1]; d != nil {
		return *d
	}
	return e.Decide(in.Request)
}

// IntentOutcome is the outcome of DecideIntent.
func (e *Engine) IntentOutcome(in *Intent) Outcome {
	if in.owner != e {
		return e.Decide(in.Request).Outcome
	}
	e.decideAll()
	if d := e.decisions[in.seq-1]; d != nil {
		return d.Outcome
	}
	return Allow
}

func (e *Engine) decideAll() {
	e.decided.Do(func() {
		defer rememberPanic(&e.decideFailed)
		intents := e.Intents()
		e.decisions = make([]*Decision, len(intents))
		parallel.Each(len(intents), func(i int) {
			// Most intents are allowed: their outcome is enough.
			if e.outcome(intents[i].Request) == Allow {
				return
			}
			if d := e.Decide(intents[i].Request); d.Outcome != Allow {
				e.decisions[i] = &d
			}
		})
	})
	if e.decideFailed != nil {
		panic(e.decideFailed)
	}
}

// rememberPanic keeps a panic of work done once for every caller, so that each
// rule that needs the work fails as the first did, instead of finding it
// done and empty; the first caller's panic goes on.
func rememberPanic(failed *any) {
	if v := recover(); v != nil {
		*failed = v
		panic(v)
	}
}

func (e *Engine) deriveIntents() []Intent {
	// Each principal's and each bucket's statements are expanded on every
	// core, and the intents added in graph order, so that the result and
	// its de-duplication are the same whatever the scheduling.
	byARN := map[string]*graph.Principal{}
	callers := make([]*Caller, len(e.g.Principals))
	for i, p := range e.g.Principals {
		c, ok := CallerFor(p)
		if !ok {
			continue
		}
		callers[i] = &c
		if _, dup := byARN[c.ARN]; !dup {
			byARN[c.ARN] = p
		}
	}
	identity := make([][]Intent, len(e.g.Principals))
	parallel.Each(len(e.g.Principals), func(i int) {
		c, p := callers[i], e.g.Principals[i]
		if c == nil {
			return
		}
		collect := func(in Intent) { identity[i] = append(identity[i], in) }
		pols := append([]*graph.Policy{}, p.Policies...)
		for _, g := range p.Groups {
			pols = append(pols, g.Policies...)
		}
		for _, pol := range pols {
			if pol.Doc == nil {
				continue
			}
			for _, st := range pol.Doc.Statements {
				if !st.IsAllow() || st.Unknown {
					continue
				}
				e.statementIntents(*c, pol, st, nil, collect)
			}
		}
	})
	resource := make([][]Intent, len(e.g.Buckets))
	parallel.Each(len(e.g.Buckets), func(i int) {
		b := e.g.Buckets[i]
		collect := func(in Intent) { resource[i] = append(resource[i], in) }
		eachGrant(b, func(pol *graph.Policy, st *graph.Statement) {
			for _, c := range policyCallers(st, byARN) {
				e.statementIntents(c, pol, st, b, collect)
			}
		})
	})
	lists := slices.Concat(identity, resource)
	total := 0
	for _, list := range lists {
		total += len(list)
	}
	// The same request stated twice is one intent, the first.
	out := make([]Intent, 0, total)
	seen := make(map[requestKey]bool, total)
	for _, list := range lists {
		for _, in := range list {
			k := requestKeyOf(in)
			if !seen[k] {
				seen[k] = true
				out = append(out, in)
			}
		}
	}
	return out
}

// AccessIntents are the intents the access table shows: Intents, and the
// requests bucket policies grant to whole accounts ("arn:aws:iam::ID:root"
// or the bare ID), asked as the account's root user. A grant to an account
// lets in whichever of its principals their own policies allow, so the
// rules, which judge principals the configuration declares, leave these
// out; the table shows them so that the account's access is not missing.
func (e *Engine) AccessIntents() []Intent {
	intents := e.Intents()
	return append(append([]Intent(nil), intents...), e.AccountIntents()...)
}

// AccountIntents are the intents of bucket policy grants to whole accounts
// that Intents leaves out (see AccessIntents), in a deterministic order.
// They are not the engine's own: decide them with Decide.
func (e *Engine) AccountIntents() []Intent {
	intents := e.Intents()
	seen := make(map[requestKey]bool, len(intents))
	for _, in := range intents {
		seen[requestKeyOf(in)] = true
	}
	var out []Intent
	for _, b := range e.g.Buckets {
		eachGrant(b, func(pol *graph.Policy, st *graph.Statement) {
			for _, c := range accountCallers(st) {
				e.statementIntents(c, pol, st, b, func(in Intent) {
					if k := requestKeyOf(in); !seen[k] {
						seen[k] = true
						out = append(out, in)
					}
				})
			}
		})
	}
	return out
}

// eachGrant calls fn for every Allow statement of a bucket's policies
// whose Principal is known: the grants intents are read from.
func eachGrant(b *graph.Bucket, fn func(pol *graph.Policy, st *graph.Statement)) {
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if st.IsAllow() && !st.Unknown && st.Principal != nil && !st.Principal.Unknown {
				fn(pol, st)
			}
		}
	}
}

// accountCallers are the root users of the accounts a statement's AWS
// principals name as a whole.
func accountCallers(st *graph.Statement) []Caller {
	var out []Caller
	for _, e := range st.Principal.Entries {
		if !e.Type.Is("AWS") {
			continue
		}
		for _, v := range e.Values {
			if !v.Known() {
				continue
			}
			if c, ok := CallerFromARN(v.V); ok && c.Kind == CallerRoot && c.Account.IsID() {
				out = append(out, c)
			}
		}
	}
	return out
}

// requestKey identifies an intent's request: the same request stated twice
// is one intent.
type requestKey struct{ caller, action, resource string }

func requestKeyOf(in Intent) requestKey {
	return requestKey{in.Request.Caller.Key(), in.Request.Action, in.Request.Resource}
}

// policyCallers are the callers a resource policy statement names that the
// engine can ask about: principals of the graph, services, and everyone
// (as an anonymous caller) when the statement is unconditional.
func policyCallers(st *graph.Statement, byARN map[string]*graph.Principal) []Caller {
	var out []Caller
	if st.Principal.Wildcard {
		if len(st.Conditions) == 0 {
			out = append(out, Caller{Kind: CallerAnonymous})
		}
		return out
	}
	for _, e := range st.Principal.Entries {
		if !e.Type.Known() {
			continue
		}
		for _, v := range e.Values {
			if !v.Known() {
				continue
			}
			switch e.Type.V {
			case "AWS":
				if v.V == "*" && len(st.Conditions) == 0 {
					out = append(out, Caller{Kind: CallerAnonymous})
				} else if p := byARN[v.V]; p != nil {
					if c, ok := CallerFor(p); ok {
						out = append(out, c)
					}
				}
			case "Service":
				out = append(out, Caller{Kind: CallerService, Service: v.V})
			}
		}
	}
	return out
}

// statementIntents adds the intents of one Allow statement for a caller;
// only is the bucket of a bucket policy (its statements speak of it alone).
func (e *Engine) statementIntents(c Caller, pol *graph.Policy, st *graph.Statement, only *graph.Bucket, add func(Intent)) {
	if !st.Action.Present || !st.Resource.Present || st.Resource.Unknown || st.Action.Unknown {
		return
	}
	type act struct {
		a    *Action
		item graph.String
	}
	var acts []act
	for _, it := range st.Action.Items {
		if !it.Known() {
			continue
		}
		if !HasWildcard(it.V) {
			if a := LookupAction(it.V); a != nil && a.Service == "s3" && (a.ObjectLevel() || a.BucketLevel()) {
				acts = append(acts, act{a, it})
			}
			continue
		}
		for _, name := range coreActions {
			if MatchAction(it.V, name) {
				acts = append(acts, act{LookupAction(name), it})
			}
		}
	}
	if len(acts) == 0 {
		return
	}
	for _, r := range st.Resource.Items {
		if !r.Known() {
			continue
		}
		for _, b := range e.bucketsFor(r.V, only) {
			bucketARN := BucketARNOf(b)
			for _, a := range acts {
				var res string
				switch {
				case a.a.BucketLevel():
					// Named with an object pattern, a bucket action is
					// still meant for the bucket (and fails: S3L011).
					res = bucketARN
				case a.a.ObjectLevel():
					res = objectFor(r.V, bucketARN)
					if res == "" {
						// Named with the bucket ARN (S3L010): meant for
						// its objects.
						res = bucketARN + "/<key>"
					}
				default:
					continue
				}
				add(Intent{
					Request: Request{Caller: c, Action: a.a.String(), Resource: res},
					Bucket:  b, Policy: pol, Statement: st, Item: a.item,
				})
			}
		}
	}
}

// bucketsFor finds the buckets of the graph a Resource pattern names
// specifically; "*" and patterns without a bucket name say nothing about
// which bucket a principal is meant to use.
func (e *Engine) bucketsFor(pattern string, only *graph.Bucket) []*graph.Bucket {
	if only != nil {
		if CanMatchBucketOrObject(pattern, BucketARNOf(only)) || matchSym(pattern, BucketARNOf(only)).T != No ||
			matchSym(pattern, BucketARNOf(only)+"/<key>").T != No {
			return []*graph.Bucket{only}
		}
		return nil
	}
	a, ok := ParseARN(pattern)
	if !ok || a.Service != "s3" || a.Region != "" || a.Account != "" {
		return nil
	}
	name, _, _ := strings.Cut(a.Resource, "/")
	if strings.Trim(name, "*?") == "" {
		return nil
	}
	if !HasWildcard(name) {
		if b := e.buckets[name]; b != nil {
			return []*graph.Bucket{b}
		}
		return nil
	}
	var out []*graph.Bucket
	for _, b := range e.g.Buckets {
		arn := BucketARNOf(b)
		if matchSym(pattern, arn).T == Yes || matchSym(pattern, arn+"/<key>").T == Yes {
			out = append(out, b)
		}
	}
	return out
}

var wildcardsAsKey = strings.NewReplacer("*", "<key>", "?", "<key>")

// WildcardsAsKey writes each wildcard of an object key pattern as the
// symbol <key>: the key a request for "any such object" names.
func WildcardsAsKey(keyPattern string) string { return wildcardsAsKey.Replace(keyPattern) }

// objectFor is the object ARN an object pattern stands for in bucket
// bucketARN: its wildcards become the symbol <key>. It is "" when the
// pattern names no object of the bucket.
func objectFor(pattern, bucketARN string) string {
	prefix := bucketARN + "/"
	if strings.HasPrefix(pattern, prefix) && len(pattern) > len(prefix) {
		return prefix + WildcardsAsKey(pattern[len(prefix):])
	}
	if matchSym(pattern, prefix+"<key>").T != No {
		return prefix + "<key>"
	}
	return ""
}

// Access is what each caller the graph relates to a bucket can do with it.
type Access struct {
	Bucket *graph.Bucket
	Rows   []AccessRow
}

// AccessRow is one caller's access to a bucket.
type AccessRow struct {
	Caller Caller
	// Cells hold the decisions for list, read, write and delete.
	Cells [4]AccessCell
	// Broken are the intended requests that are denied, in the order the
	// policies state them.
	Broken []Decision
}

// AccessCell is one decision of the access table.
type AccessCell struct {
	Decision Decision
	// Intended: some policy means to grant this.
	Intended bool
}

// AccessKinds name the columns of the access table.
var AccessKinds = [4]string{"list", "read", "write", "delete"}

// AccessActions are the actions that stand for the columns.
var AccessActions = [4]string{"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"}

// accessColumn maps an intended action to its column, or -1.
func accessColumn(action string) int {
	for i, a := range AccessActions {
		if strings.EqualFold(a, action) {
			return i
		}
	}
	return -1
}

// AccessTable decides, for each bucket, what every caller that some policy
// relates to it can list, read, write and delete. A cell that a policy
// means to grant is decided for the request the policy names (its key
// prefix); the others for any key.
func (e *Engine) AccessTable(intents []Intent) []Access {
	type rowKey struct {
		b *graph.Bucket
		c string
	}
	type row struct {
		AccessRow
		intents []Intent
		first   [4]*Intent
	}
	rows := map[rowKey]*row{}
	byBucket := map[*graph.Bucket][]*row{}
	for i := range intents {
		in := &intents[i]
		k := rowKey{in.Bucket, in.Request.Caller.Key()}
		r := rows[k]
		if r == nil {
			r = &row{AccessRow: AccessRow{Caller: in.Request.Caller}}
			rows[k] = r
			byBucket[in.Bucket] = append(byBucket[in.Bucket], r)
		}
		r.intents = append(r.intents, *in)
		if col := accessColumn(in.Request.Action); col >= 0 && r.first[col] == nil {
			r.first[col] = in
		}
	}
	var out []Access
	for _, b := range e.g.Buckets {
		rs := byBucket[b]
		if len(rs) == 0 {
			continue
		}
		acc := Access{Bucket: b}
		arn := BucketARNOf(b)
		for _, r := range rs {
			decided := map[string]Decision{}
			for i, act := range AccessActions {
				req := Request{Caller: r.Caller, Action: act, Resource: arn}
				if i > 0 {
					req.Resource = arn + "/<key>"
				}
				if in := r.first[i]; in != nil {
					req = in.Request
					r.Cells[i].Intended = true
				}
				d := e.Decide(req)
				r.Cells[i].Decision = d
				decided[req.Action+"|"+req.Resource] = d
			}
			for _, in := range r.intents {
				d, ok := decided[in.Request.Action+"|"+in.Request.Resource]
				if !ok {
					d = e.DecideIntent(&in)
					decided[in.Request.Action+"|"+in.Request.Resource] = d
				}
				if d.Outcome.Denied() {
					r.Broken = append(r.Broken, d)
				}
			}
			acc.Rows = append(acc.Rows, r.AccessRow)
		}
		sort.SliceStable(acc.Rows, func(i, j int) bool { return acc.Rows[i].Caller.Label() < acc.Rows[j].Caller.Label() })
		out = append(out, acc)
	}
	return out
}
