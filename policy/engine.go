package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/s3lint/s3lint/graph"
)

// Network says how a request reaches S3.
type Network uint8

// The networks.
const (
	// NetworkUnknown: the request may or may not come through a VPC
	// endpoint; keys that depend on it are unknown.
	NetworkUnknown Network = iota
	// NetworkInternet: not through a VPC endpoint (aws:SourceVpce and
	// aws:SourceVpc are absent).
	NetworkInternet
	// NetworkEndpoint: through Request.Endpoint.
	NetworkEndpoint
)

// Request is one S3 request to decide.
type Request struct {
	Caller   Caller
	Action   string // "s3:GetObject"
	Resource string // arn:aws:s3:::bucket/key; may hold symbols such as <key>
	// Context holds condition keys the user fixes; the engine adds what the
	// caller and network imply and assumes a typical request (HTTPS, a
	// direct call) for the rest it needs. In a Decision it is the context
	// the engine decided with, which other decisions may share: read it,
	// Clone it to change it.
	Context  Context
	Network  Network
	Endpoint *graph.Endpoint
	// ObjectOwner is the account that owns the object, when it is not the
	// bucket owner (objects uploaded by another account to an ObjectWriter
	// bucket).
	ObjectOwner graph.Account
	// Multipart asks about a multipart upload, which needs kms:Decrypt as
	// well as kms:GenerateDataKey on SSE-KMS buckets.
	Multipart bool
	// NoKMS asks about an object that is not encrypted with KMS whatever
	// the bucket's default encryption (one uploaded with its own SSE-S3
	// header): the bucket's key is not involved.
	NoKMS bool
	// Replication is set for the requests of a replication rule that
	// replicates SSE-KMS objects (graph.Delivery.KMSObjects): reading a
	// source object for replication needs kms:Decrypt on the source
	// bucket's key, and s3:ReplicateObject needs kms:Encrypt on the
	// rule's replica key. Without it those actions need no KMS.
	Replication *ReplicationKMS
	// Conditions fixes template conditions (see Decide): only the policy
	// alternatives that agree with them are in place.
	Conditions map[string]bool

	act   *Action
	named map[string]bool
	// roots are the configurations of the graph's roles and users, by ARN
	// (see distinctPrincipals).
	roots map[string]string
	// skip holds the alternatives of template policies that are not in
	// place in the world being decided (see Engine.Decide).
	skip map[*graph.Policy]bool
}

// Engine decides requests against a graph.
type Engine struct {
	g       *graph.Graph
	buckets map[string]*graph.Bucket // by name, literal or symbolic
	named   map[string]bool          // names (literal or symbolic) of the graph's buckets
	// roots are the configurations (graph.Entity.Root) of the graph's roles
	// and users, by their ARN as a caller has it; "" for an ARN that
	// several configurations declare.
	roots   map[string]string
	intents []Intent // memoized by Intents
	// derive guards intents: rules run concurrently over one engine.
	derive sync.Once
	// decisions are the decisions on intents that are not allowed, by
	// intents' index (nil: allowed).
	decisions []*Decision
	decided   sync.Once
	// deriveFailed and decideFailed hold a panic of deriving intents or
	// deciding them, for every later caller.
	deriveFailed, decideFailed any
	// bpa holds each bucket's Block Public Access (*graph.Bucket → BPA),
	// which every decision on the bucket asks for.
	bpa sync.Map
	// contexts holds the contexts prepareContext made for requests that
	// bring none of their own (contextKey → Context): many decisions share
	// a caller and a bucket. They are shared, and never changed.
	contexts sync.Map
}

// contextKey is everything prepareContext fills a context from, for a
// request that brings no context of its own.
type contextKey struct {
	kind     CallerKind
	account  graph.Account
	arn      string
	service  string
	network  Network
	endpoint *graph.Endpoint
	bucket   *graph.Bucket
}

// NewEngine indexes the graph for decisions.
func NewEngine(g *graph.Graph) *Engine {
	e := &Engine{g: g, buckets: map[string]*graph.Bucket{}, named: map[string]bool{}, roots: map[string]string{}}
	for _, p := range g.Principals {
		c, ok := CallerFor(p)
		if !ok || c.ARN == "" {
			continue
		}
		if root, dup := e.roots[c.ARN]; dup && root != p.Root {
			e.roots[c.ARN] = ""
			continue
		}
		e.roots[c.ARN] = p.Root
	}
	for _, b := range g.Buckets {
		if b.Name.Known() && b.Name.V != "" {
			if _, dup := e.buckets[b.Name.V]; !dup {
				e.buckets[b.Name.V] = b
			}
			e.named[b.Name.V] = true
		}
		if b.ARN.Known() {
			if _, name, ok := BucketARN(b.ARN.V); ok {
				if _, dup := e.buckets[name]; !dup {
					e.buckets[name] = b
				}
				e.named[name] = true
			}
		}
	}
	return e
}

// Graph returns the graph the engine decides over.
func (e *Engine) Graph() *graph.Graph { return e.g }

// BucketOf returns the bucket of the graph that a bucket or object ARN
// names, or nil.
func (e *Engine) BucketOf(arn string) *graph.Bucket {
	_, name, ok := BucketARN(arn)
	if !ok {
		return nil
	}
	return e.buckets[name]
}

// BucketARNOf is the ARN of a bucket, symbolic when its name is unknown.
func BucketARNOf(b *graph.Bucket) string {
	if b.ARN.Known() && b.ARN.V != "" {
		return b.ARN.V
	}
	name := b.Name.V
	if !b.Name.Known() || name == "" {
		name = graph.SymbolicName(b.Address, b.Root)
	}
	return "arn:aws:s3:::" + name
}

// kmsRead and kmsWrite are the S3 actions that use the bucket's KMS key.
var (
	kmsRead  = map[string]bool{"s3:getobject": true, "s3:getobjectversion": true}
	kmsWrite = map[string]bool{"s3:putobject": true}
	// mfaActions need the root user's MFA when MFA delete is on.
	mfaActions = map[string]bool{"s3:deleteobjectversion": true, "s3:putbucketversioning": true}
	// rootAlways are the calls the bucket owner's root user can always
	// make, so that a policy that locks everyone out can be removed.
	rootAlways = map[string]bool{"s3:getbucketpolicy": true, "s3:putbucketpolicy": true, "s3:deletebucketpolicy": true}
)

// ReplicationKMS is the replica key of a replication rule that replicates
// SSE-KMS objects.
type ReplicationKMS struct {
	// Key is the replica key when it is in the graph; KeyRef is as
	// written, At where.
	Key    *graph.Key
	KeyRef string
	At     graph.Range
}

// decider accumulates one decision.
type decider struct {
	e      *Engine
	req    *Request
	b      *graph.Bucket
	d      *Decision
	same   Truth // caller and bucket owner are the same account
	object bool
	// noBucket: the resource is not a bucket or object at all.
	noBucket bool
	// bpaBlocked and bpaRestricts are the settings and policies that keep
	// the bucket policy out, or cut outside callers off.
	bpaBlocked, bpaRestricts []Location
	// unpaid: the caller is anonymous and the bucket is a Requester Pays
	// bucket, which serves no anonymous request.
	unpaid Truth
	// quiet leaves the explanation out (the steps' details and places,
	// the deciding statements, the fix): only the outcome is wanted. It
	// never changes a Truth, so the outcome is the same.
	quiet bool
}

// maxWorldConditions bounds the template conditions a decision enumerates.
const maxWorldConditions = 6

// Decide answers whether the request is allowed, walking AWS's checklist in
// order and recording each step.
//
// A template may produce one of several bucket or identity policies
// depending on conditions not decided before deployment. Decide answers
// for every assignment of those conditions: when the answers agree, that is
// the answer; when they differ, the answer is UNKNOWN and depends on the
// conditions, with the answer for each written in the trace.
func (e *Engine) Decide(req Request) Decision { return e.decide(req, false) }

// outcome is Decide's outcome, without the explanation: most intended
// requests are allowed, and the steps, places and fix that explain a
// decision cost a large share of making it.
func (e *Engine) outcome(req Request) Outcome { return e.decide(req, true).Outcome }

func (e *Engine) decide(req Request, quiet bool) Decision {
	rivals := rivalPolicies(e.BucketOf(req.Resource))
	if len(rivals) < 2 {
		return e.decideWorlds(req, nil, quiet)
	}
	// S3 keeps one bucket policy per bucket: of several resources that
	// each put one, only one is in place (in Terraform the last applied),
	// and which the configuration does not say. Decide with each alone.
	var (
		first  Decision
		whens  []string
		why    []string
		differ bool
	)
	for i, r := range rivals {
		others := map[*graph.Policy]bool{}
		for j, o := range rivals {
			if j != i {
				for _, p := range o {
					others[p] = true
				}
			}
		}
		d := e.decideWorlds(req, others, quiet)
		switch {
		case i == 0:
			first = d
		case d.Outcome != first.Outcome:
			differ = true
		default:
			// The same answer whichever is in place: each one's
			// deciding statements decide it.
			for _, loc := range d.Deciding {
				if !slices.ContainsFunc(first.Deciding, func(l Location) bool { return l.Range == loc.Range }) {
					first.Deciding = append(first.Deciding, loc)
				}
			}
			first.Allows = appendNewRefs(first.Allows, d.Allows)
			first.Denies = appendNewRefs(first.Denies, d.Denies)
		}
		why = append(why, d.Why...)
		whens = append(whens, "with "+r[0].Address+": "+d.Outcome.String())
	}
	if !differ {
		if first.Outcome == Unknown {
			first.Why = maybe(why...).Why
		}
		if s := first.Step(CheckBucketPolicy); s != nil && !quiet {
			// The steps are the first one's; say that the others agree.
			var others []string
			for _, r := range rivals[1:] {
				others = append(others, r[0].Address)
			}
			verb, them := "sets", "it"
			if len(others) > 1 {
				verb, them = "set", "them"
			}
			s.Detail += fmt.Sprintf(" (with %s in place: %s %s the bucket's policy too, and S3 keeps one, but the answer is the same with %s)",
				rivals[0][0].Address, strings.Join(others, " and "), verb, them)
		}
		return first
	}
	first.Outcome, first.Fix, first.Cases = Unknown, "", nil
	first.Why = []string{"which of the bucket's policies is in place"}
	if !quiet {
		// The bucket policy step says so, in place of the first one's.
		step := Step{Check: CheckBucketPolicy, Status: Undecided,
			Detail: fmt.Sprintf("%d resources each set the bucket policy of %s, and only one of them is in place; %s (the other steps are for the first)",
				len(rivals), first.Bucket.Address, strings.Join(whens, "; ")),
			Where: rivalLocations(rivals)}
		if s := first.Step(CheckBucketPolicy); s != nil {
			*s = step
		} else {
			first.Steps = append(first.Steps, step)
		}
	}
	return first
}

// appendNewRefs appends the refs of more that refs does not hold yet.
func appendNewRefs(refs, more []Ref) []Ref {
	for _, r := range more {
		if !slices.ContainsFunc(refs, func(o Ref) bool { return o.Policy == r.Policy && o.Statement == r.Statement }) {
			refs = append(refs, r)
		}
	}
	return refs
}

// rivalPolicies are the bucket's policies grouped by the resource that puts
// them (graph.Bucket.PolicyResources), when there is more than one.
func rivalPolicies(b *graph.Bucket) [][]*graph.Policy {
	if b == nil || len(b.Policies) < 2 {
		return nil
	}
	if groups := b.PolicyResources(); len(groups) > 1 {
		return groups
	}
	return nil
}

func rivalLocations(rivals [][]*graph.Policy) []Location {
	var out []Location
	for _, r := range rivals {
		out = append(out, Location{Range: r[0].DocRange, What: "bucket policy " + r[0].Address})
	}
	return out
}

// decideWorlds decides the request with the policies in base left out,
// under every assignment of the template conditions that choose among
// alternative policies.
func (e *Engine) decideWorlds(req Request, base map[*graph.Policy]bool, quiet bool) Decision {
	conds, variants := e.variantConditions(&req)
	if len(conds) == 0 {
		return e.decideOnce(req, withBase(e.fixedSkip(&req, variants), base), quiet)
	}
	if len(conds) > maxWorldConditions {
		d := e.decideOnce(req, base, quiet)
		d.Outcome, d.Fix = Unknown, ""
		d.Why = []string{"the template conditions " + strings.Join(conds, ", ")}
		return d
	}
	var (
		first    Decision
		outcomes []Outcome
		whens    []string
		why      []string
		differ   bool
		cases    []Case
	)
	for mask := range 1 << len(conds) {
		world := map[string]bool{}
		for c, v := range req.Conditions {
			world[c] = v
		}
		for i, c := range conds {
			world[c] = mask&(1<<i) != 0
		}
		skip := withBase(map[*graph.Policy]bool{}, base)
		for _, p := range variants {
			for k, v := range p.Variant.When {
				if world[k] != v {
					skip[p] = true
					break
				}
			}
		}
		d := e.decideOnce(req, skip, quiet)
		cases = append(cases, Case{When: world, Outcome: d.Outcome})
		if mask == 0 {
			first = d
		} else if d.Outcome != first.Outcome {
			differ = true
		}
		why = append(why, d.Why...)
		seen := false
		for _, o := range outcomes {
			seen = seen || o == d.Outcome
		}
		if !seen {
			outcomes = append(outcomes, d.Outcome)
			whens = append(whens, describeWorld(conds, world)+": "+d.Outcome.String())
		}
	}
	if !differ {
		if first.Outcome == Unknown {
			first.Why = maybe(why...).Why
		}
		return first
	}
	first.Outcome, first.Fix, first.Cases = Unknown, "", cases
	first.Why = []string{"the template conditions " + strings.Join(conds, ", ")}
	first.Steps = append(first.Steps, Step{Check: CheckConditions, Status: Undecided,
		Detail: "the template puts a different policy in place depending on its conditions; when " + strings.Join(whens, "; when ") +
			" (the steps above are for the first case)"})
	return first
}

// variantConditions lists the undecided template conditions that choose
// among the bucket's and the caller's policies, and the policies that are
// such alternatives.
func (e *Engine) variantConditions(req *Request) ([]string, []*graph.Policy) {
	var pols []*graph.Policy
	if b := e.BucketOf(req.Resource); b != nil {
		pols = append(pols, b.Policies...)
	}
	if p := req.Caller.Principal; p != nil {
		pols = append(pols, p.Policies...)
		for _, g := range p.Groups {
			pols = append(pols, g.Policies...)
		}
		if p.Boundary != nil {
			pols = append(pols, p.Boundary)
		}
	}
	seen := map[string]bool{}
	var conds []string
	var variants []*graph.Policy
	for _, p := range pols {
		if p.Variant == nil {
			continue
		}
		variants = append(variants, p)
		for c := range p.Variant.When {
			if _, fixed := req.Conditions[c]; fixed {
				continue
			}
			if !seen[c] {
				seen[c] = true
				conds = append(conds, c)
			}
		}
	}
	sort.Strings(conds)
	return conds, variants
}

// withBase adds the policies of base to skip (which may be nil).
func withBase(skip, base map[*graph.Policy]bool) map[*graph.Policy]bool {
	if len(base) == 0 {
		return skip
	}
	if skip == nil {
		skip = map[*graph.Policy]bool{}
	}
	for p := range base {
		skip[p] = true
	}
	return skip
}

// fixedSkip leaves out the alternatives that disagree with the conditions
// the request fixes.
func (e *Engine) fixedSkip(req *Request, variants []*graph.Policy) map[*graph.Policy]bool {
	if len(req.Conditions) == 0 {
		return nil
	}
	skip := map[*graph.Policy]bool{}
	for _, p := range variants {
		for k, v := range p.Variant.When {
			if fixed, ok := req.Conditions[k]; ok && fixed != v {
				skip[p] = true
			}
		}
	}
	return skip
}

func describeWorld(conds []string, world map[string]bool) string {
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = fmt.Sprintf("%s is %v", c, world[c])
	}
	return strings.Join(parts, " and ")
}

// decideOnce decides the request with the policies in skip left out.
func (e *Engine) decideOnce(req Request, skip map[*graph.Policy]bool, quiet bool) Decision {
	req.skip = skip
	req.act = LookupAction(req.Action)
	req.named = e.named
	req.roots = e.roots
	if req.act != nil {
		req.Action = req.act.String()
	}
	b := e.BucketOf(req.Resource)
	// Room for every check's step: appending them one by one would
	// reallocate the slice four times per decision.
	dc := &decider{e: e, req: &req, b: b, d: &Decision{Bucket: b}, quiet: quiet}
	if !quiet {
		dc.d.Steps = make([]Step, 0, maxSteps)
	}
	if _, _, ok := BucketARN(req.Resource); !ok && b == nil && !strings.HasPrefix(req.Resource, "arn:aws:s3:") {
		// Resource "*" (ListAllMyBuckets) or another service's resource:
		// no bucket, so no bucket policy, settings or owner to consider.
		dc.noBucket = true
	}
	dc.object = strings.Contains(strings.TrimPrefix(req.Resource, "arn:"), "/") && b != nil
	dc.prepareContext()
	return dc.run()
}

func (dc *decider) step(s Step) {
	if !dc.quiet {
		dc.d.Steps = append(dc.d.Steps, s)
	}
}

func (dc *decider) run() Decision {
	req, b, d := dc.req, dc.b, dc.d
	c := &req.Caller

	// 1. Who is calling, and from which account.
	dc.same = sameAccount(c, b)
	if dc.noBucket && c.Kind != CallerAnonymous && c.Kind != CallerService {
		dc.same = yes
	}
	dc.unpaid = unpaidRequest(c, b)
	dc.step(dc.callerStep())

	// 2. Block Public Access, and whether the bucket policy is in place.
	bpa := dc.bpaStep()

	// 3. Identity policies and the permissions boundary.
	id := dc.identity(req, req.Action)
	dc.step(id.step)

	// 4. The bucket policy.
	rp := dc.bucketPolicy(bpa)
	dc.step(rp.step)

	// 5. ACLs and object ownership.
	acl := dc.acls(bpa)
	dc.step(acl.step)

	// 6. MFA delete.
	mfa := dc.mfaDelete()
	dc.step(mfa.step)

	// 7. The VPC endpoint policy.
	ep := dc.endpoint()
	dc.step(ep.step)

	// 8. The KMS key.
	kms := dc.kms()
	dc.step(kms.step)

	// 9. Same account or cross-account: put the sides together.
	resDirect := rp.allowDirect.Or(acl.allowDirect)
	resAny := resDirect.Or(rp.allow).Or(acl.allow)
	resSession := rp.allowSession
	restricted := bpa.restrict.And(dc.outsideOwner())
	if restricted.T != No {
		resDirect = resDirect.And(restricted.Not())
		resAny = resAny.And(restricted.Not())
		resSession = resSession.And(restricted.Not())
	}
	idEff := id.allow.And(id.boundary)
	// A grant to a role ARN is still limited by the role's boundary; a
	// grant to a user or to the session itself is not.
	resDirectEff := resDirect
	if c.Kind == CallerRole {
		resDirectEff = resDirect.And(id.boundary).Or(resSession)
	}
	var sameCase, crossCase Truth
	switch c.Kind {
	case CallerAnonymous, CallerService:
		sameCase, crossCase = resDirect, resDirect
	case CallerRoot:
		// The root user of the bucket's account is never implicitly
		// denied.
		sameCase, crossCase = yes, idEff.And(resAny)
	default:
		sameCase, crossCase = idEff.Or(resDirectEff), idEff.And(resAny)
	}
	if dc.foreignObject().T != No {
		// Another account owns the object: only its ACL grants, and that
		// is not in the configuration.
		objACL := maybe("the ACL of the object, which its writer sets")
		if c.Kind == CallerAnonymous || c.Kind == CallerService {
			sameCase = objACL
		} else {
			sameCase = idEff.And(objACL)
		}
		crossCase = sameCase
	}
	if rootAlways[strings.ToLower(req.Action)] {
		// Only the bucket owner's account may read, replace or delete the
		// bucket policy: other accounts get 405 Method Not Allowed.
		crossCase = no
	}
	s3allow := combineAccounts(dc.same, sameCase, crossCase)
	if !dc.quiet {
		dc.step(dc.accountsStep(s3allow, restricted))
	}

	allow := s3allow.And(mfa.allow).And(ep.allow).And(kms.allow).And(dc.unpaid.Not())
	deny := id.deny.Or(rp.deny).Or(ep.deny).Or(kms.deny).Or(mfa.deny)
	d.Outcome = outcomeOf(allow, deny)
	d.Request = *req
	if dc.quiet {
		return *d
	}
	d.Allows = append(append(append(append(d.Allows, id.allows...), rp.allows...), ep.allows...), kms.allows...)
	d.Denies = append(append(append(append(d.Denies, id.denies...), rp.denies...), ep.denies...), kms.denies...)
	switch d.Outcome {
	case ExplicitDeny:
		for _, r := range d.Denies {
			if r.Match.T == Yes {
				d.Deciding = append(d.Deciding, Location{Range: r.Range(), What: "Deny in the " + r.Policy.Kind.String() + " " + r.Policy.Address})
			}
		}
		d.Deciding = append(d.Deciding, mfa.where...)
		d.Deciding = append(d.Deciding, kms.denyWhere...)
	case ImplicitDeny:
		dc.implicitDeciders(s3allow, id, rp, ep, kms, restricted)
	case Allow:
		for _, r := range d.Allows {
			if r.Match.T == Yes && r.Statement != nil && r.Policy.Range.File != "" {
				d.Deciding = append(d.Deciding, Location{Range: r.Range(), What: "Allow in the " + r.Policy.Kind.String() + " " + r.Policy.Address})
			}
		}
	default:
		var why []string
		if allow.T == Maybe {
			why = append(why, allow.Why...)
		}
		if deny.T == Maybe {
			why = append(why, deny.Why...)
		}
		d.Why = maybe(why...).Why
	}
	dc.fix()
	return *d
}

// outcomeOf is the outcome of a request that the sides allow and deny as
// given: decided the same way with or without the explanation.
func outcomeOf(allow, deny Truth) Outcome {
	switch {
	case deny.T == Yes:
		return ExplicitDeny
	case allow.T == No:
		return ImplicitDeny
	case allow.T == Yes && deny.T == No:
		return Allow
	}
	return Unknown
}

// unpaidRequest decides whether S3 refuses the request because nobody
// pays for it: a Requester Pays bucket serves only signed requests, since
// it charges the requester's account (requests from other accounts must
// also carry x-amz-request-payer, which the configuration cannot show).
func unpaidRequest(c *Caller, b *graph.Bucket) Truth {
	if c.Kind != CallerAnonymous || b == nil {
		return no
	}
	switch pays, known := b.RequesterPays(); {
	case !known:
		return maybe("who pays for requests to " + b.Address)
	case pays:
		return yes
	}
	return no
}

// sameAccount decides whether the caller is in the bucket owner's account.
func sameAccount(c *Caller, b *graph.Bucket) Truth {
	switch {
	case c.Kind == CallerAnonymous || c.Kind == CallerService:
		return no
	case c.Account == graph.OAIAccount:
		// An origin access identity: no bucket is CloudFront's.
		return no
	case b == nil:
		return maybe("the account that owns the bucket")
	case c.Account == "" || !b.Account.Known():
		return maybe("whether " + c.Label() + " and " + b.Address + " are in the same account")
	}
	if same, known := c.Account.SameAs(b.Account); known {
		return truthOf(same)
	}
	return equalSym(string(c.Account), string(b.Account)).Or(maybe("whether " + display(string(c.Account)) + " and " + display(string(b.Account)) + " are the same account"))
}

// outsideOwner tells whether the caller is neither an AWS service nor a
// principal of the bucket owner's account: RestrictPublicBuckets cuts such
// callers off.
func (dc *decider) outsideOwner() Truth {
	switch dc.req.Caller.Kind {
	case CallerService:
		return no
	case CallerAnonymous:
		return yes
	}
	return dc.same.Not()
}

// foreignObject tells whether the object belongs to another account than
// the bucket owner, so that the owner's bucket policy Allows do not reach it.
func (dc *decider) foreignObject() Truth {
	req, b := dc.req, dc.b
	if !dc.object || req.ObjectOwner == "" || b == nil || strings.HasPrefix(strings.ToLower(req.Action), "s3:deleteobject") {
		// The bucket owner may delete any object in its bucket, whoever
		// owns it.
		return no
	}
	own := b.ObjectOwnership()
	if !own.Known() {
		return maybe("the bucket's object ownership")
	}
	if own.V == graph.BucketOwnerEnforced {
		return no
	}
	if same, known := req.ObjectOwner.SameAs(b.Account); known {
		return truthOf(!same)
	}
	return maybe("whether the object's owner is the bucket owner")
}

func combineAccounts(same, sameCase, crossCase Truth) Truth {
	switch same.T {
	case Yes:
		return sameCase
	case No:
		return crossCase
	}
	if sameCase.T == crossCase.T {
		if sameCase.T == Maybe {
			return maybe(append(append(append([]string{}, same.Why...), sameCase.Why...), crossCase.Why...)...)
		}
		return sameCase
	}
	return maybe(append(append(append([]string{}, same.Why...), sameCase.Why...), crossCase.Why...)...)
}

func (dc *decider) callerStep() Step {
	c, b := &dc.req.Caller, dc.b
	s := Step{Check: CheckCaller, Status: Noted}
	if dc.quiet {
		return s
	}
	who := c.Label()
	switch c.Kind {
	case CallerRole:
		s.Detail = fmt.Sprintf("%s, as a session of role %s", who, display(c.ARN))
	case CallerUser:
		s.Detail = fmt.Sprintf("%s, user %s", who, display(c.ARN))
	case CallerRoot:
		s.Detail = "the root user of account " + display(string(c.Account))
	case CallerService:
		s.Detail = "the AWS service " + c.Service
	case CallerAnonymous:
		s.Detail = "an anonymous (unsigned) request"
	}
	if c.Principal != nil {
		s.Where = append(s.Where, Location{Range: c.Principal.Range, What: c.Principal.Address})
	}
	if b == nil {
		s.Detail += fmt.Sprintf("; %s is not a bucket in the configuration", display(dc.req.Resource))
		return s
	}
	switch dc.same.T {
	case Yes:
		s.Detail += "; same account as the bucket " + b.Address + " (" + display(string(b.Account)) + ")"
	case No:
		if c.Kind != CallerAnonymous && c.Kind != CallerService {
			s.Detail += fmt.Sprintf("; cross-account: the caller is in %s, the bucket %s in %s, so both sides must allow", display(string(c.Account)), b.Address, display(string(b.Account)))
		}
	default:
		s.Detail += "; whether the caller is in the bucket's account depends on " + strings.Join(dc.same.Why, ", ")
	}
	switch dc.unpaid.T {
	case Yes:
		s.Status = Denied
		s.Detail += "; " + b.Address + " is a Requester Pays bucket, and S3 refuses every anonymous request to it (403 Access Denied)"
		s.Where = append(s.Where, Location{Range: b.RequestPayment.Payer.Range, What: "Requester Pays of " + b.Address})
	case Maybe:
		s.Status = Undecided
		s.Detail += "; whether " + b.Address + " is a Requester Pays bucket, which refuses anonymous requests, is not known"
		at := b.RequestPayment.Payer.Range
		if at.IsZero() {
			at = b.RequestPayment.Range
		}
		s.Where = append(s.Where, Location{Range: at, What: "request payment of " + b.Address})
	}
	return s
}

// prepareContext fills the keys that the caller, the network and the bucket
// fix, and assumes a typical request for HTTPS and direct calls, leaving
// every key the user set alone.
func (dc *decider) prepareContext() {
	req := dc.req
	if len(req.Context) == 0 {
		key := contextKey{kind: req.Caller.Kind, account: req.Caller.Account, arn: req.Caller.ARN, service: req.Caller.Service,
			network: req.Network, endpoint: req.Endpoint, bucket: dc.b}
		if ctx, ok := dc.e.contexts.Load(key); ok {
			req.Context = ctx.(Context)
			return
		}
		defer func() { dc.e.contexts.Store(key, req.Context) }()
	}
	ctx := make(Context, len(req.Context)+len(engineKeys))
	for k, v := range req.Context {
		ctx[k] = v
	}
	// Keys the request already carries (the caller's choice) stay.
	missing := func(key string) bool {
		_, ok := ctx[lowerKey(key)]
		return !ok
	}
	setKnown := func(key string, values ...string) {
		if missing(key) {
			ctx.Set(key, values...)
		}
	}
	setAssumed := func(key string, values ...string) {
		if missing(key) {
			ctx.Assume(key, values...)
		}
	}
	setAbsent := func(key string) {
		if missing(key) {
			ctx.SetAbsent(key)
		}
	}
	c := &req.Caller
	switch c.Kind {
	case CallerRole, CallerUser, CallerRoot:
		setKnown("aws:PrincipalArn", c.ARN)
		if c.Account != "" {
			setKnown("aws:PrincipalAccount", string(c.Account))
		}
		typ := "AssumedRole"
		switch c.Kind {
		case CallerUser:
			typ = "User"
		case CallerRoot:
			typ = "Account"
		}
		setKnown("aws:PrincipalType", typ)
		setKnown("aws:PrincipalIsAWSService", "false")
		setAbsent("aws:PrincipalServiceName")
		if c.Kind == CallerUser {
			setKnown("aws:username", lastSegment(c.ARN))
		} else {
			setAbsent("aws:username")
		}
		// A principal calling S3 itself: no service acts for it.
		setAbsent("aws:SourceArn")
		setAbsent("aws:SourceAccount")
		setAbsent("aws:SourceOwner")
		setAssumed("aws:ViaAWSService", "false")
		setAbsent("aws:CalledVia")
	case CallerService:
		setKnown("aws:PrincipalIsAWSService", "true")
		setKnown("aws:PrincipalServiceName", c.Service)
		setAbsent("aws:PrincipalArn")
		setAbsent("aws:PrincipalAccount")
		setAbsent("aws:PrincipalOrgID")
		setAbsent("aws:MultiFactorAuthPresent")
		setAbsent("aws:MultiFactorAuthAge")
		setAbsent("aws:userid")
		setAbsent("aws:username")
	case CallerAnonymous:
		for _, k := range []string{"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalServiceName",
			"aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:username", "aws:SourceArn", "aws:SourceAccount",
			"aws:SourceOwner", "aws:CalledVia"} {
			setAbsent(k)
		}
		setKnown("aws:PrincipalType", "Anonymous")
		setKnown("aws:userid", "anonymous")
		setKnown("aws:PrincipalIsAWSService", "false")
		setKnown("aws:ViaAWSService", "false")
	}
	// SDKs, the CLI and the console all use HTTPS.
	setAssumed("aws:SecureTransport", "true")
	if v := ctx.Get("aws:SecureTransport"); v.State == KeyKnown && len(v.Values) == 1 && missing("s3:TlsVersion") {
		switch {
		case strings.EqualFold(v.Values[0], "false"):
			// Plain HTTP: no TLS at all.
			ctx.SetAbsent("s3:TlsVersion")
		case !strings.EqualFold(v.Values[0], "true"):
		case req.Network == NetworkEndpoint && req.Endpoint != nil && req.Endpoint.Type.Is("Interface"):
			// PrivateLink for S3 does not offer TLS 1.3.
			ctx.Assume("s3:TlsVersion", "1.2")
		default:
			// S3 accepts TLS 1.2 and 1.3 only (its "Protecting data in
			// transit with encryption"); which one a client negotiates
			// is its choice.
			ctx.AssumeOneOf("s3:TlsVersion", "1.2", "1.3")
		}
	}
	switch req.Network {
	case NetworkInternet:
		setAbsent("aws:SourceVpce")
		setAbsent("aws:SourceVpc")
		setAbsent("aws:VpcSourceIp")
	case NetworkEndpoint:
		if ep := req.Endpoint; ep != nil {
			if ep.ID.Known() && ep.ID.V != "" {
				setKnown("aws:SourceVpce", ep.ID.V)
			} else {
				setKnown("aws:SourceVpce", "<id of "+ep.Address+">")
			}
			if ep.VpcID.Known() && ep.VpcID.V != "" {
				setKnown("aws:SourceVpc", ep.VpcID.V)
			} else {
				setKnown("aws:SourceVpc", "<vpc of "+ep.Address+">")
			}
		}
		// Requests through an endpoint carry no public source address.
		setAbsent("aws:SourceIp")
	}
	if dc.b != nil && dc.b.Account.Known() {
		setKnown("s3:ResourceAccount", string(dc.b.Account))
	}
	req.Context = ctx
}

// sideResult is one side's contribution to a decision.
type sideResult struct {
	allow, allowDirect, deny, boundary Truth
	allowSession                       Truth
	allows, denies                     []Ref
	step                               Step
	where, denyWhere                   []Location
	fix                                string
}

// identity evaluates the caller's identity policies, group policies and
// permissions boundary for an action.
func (dc *decider) identity(req *Request, action string) sideResult {
	c := &req.Caller
	r := sideResult{allow: no, deny: no, boundary: yes, step: Step{Check: CheckIdentity}}
	switch c.Kind {
	case CallerAnonymous, CallerService:
		r.step.Status, r.step.Detail = NotInvolved, "an anonymous caller has no identity policies"
		if c.Kind == CallerService {
			r.step.Detail = "the service " + c.Service + " has no identity policies: only the bucket's grants count"
		}
		return r
	case CallerRoot:
		r.allow = yes
		r.step.Status, r.step.Detail = Allowed, "the root user has every permission in its own account"
		return r
	}
	p := c.Principal
	if p == nil {
		r.allow = maybe("the identity policies of " + display(c.ARN) + ", which are not in the configuration")
		r.step.Status, r.step.Detail = Undecided, "the policies of "+display(c.ARN)+" are not in the configuration"
		return r
	}
	sub := *req
	sub.Action = action
	sub.act = LookupAction(action)
	var pols []*graph.Policy
	pols = append(pols, p.Policies...)
	for _, g := range p.Groups {
		pols = append(pols, g.Policies...)
	}
	var external []string
	managed := append([]graph.String{}, p.ManagedARNs...)
	for _, g := range p.Groups {
		managed = append(managed, g.ManagedARNs...)
	}
	for _, m := range managed {
		switch {
		case !m.Known():
			r.allow = r.allow.Or(maybe("a managed policy attached to " + p.Address + " that cannot be known before deployment"))
			external = append(external, "(unknown)")
		case managedPolicy(m.V) != nil:
			pols = append(pols, managedPolicy(m.V))
		default:
			r.allow = r.allow.Or(maybe("the managed policy " + m.V + ", which is not in the configuration"))
			external = append(external, m.V)
		}
	}
	for _, pol := range pols {
		v := evalPolicy(pol, &sub, noPrincipal)
		r.allow, r.deny = r.allow.Or(v.allow), r.deny.Or(v.deny)
		r.allows, r.denies = append(r.allows, v.allows...), append(r.denies, v.denies...)
	}
	// The permissions boundary caps what identity policies (and grants to
	// the role) can allow.
	bnd := ""
	if p.BoundaryARN.Known() && p.BoundaryARN.V != "" || p.Boundary != nil || !p.BoundaryARN.Known() {
		bp := p.Boundary
		if bp == nil && p.BoundaryARN.Known() {
			bp = managedPolicy(p.BoundaryARN.V)
		}
		switch {
		case bp != nil:
			v := evalPolicy(bp, &sub, noPrincipal)
			r.boundary, r.deny = v.allow, r.deny.Or(v.deny)
			r.denies = append(r.denies, v.denies...)
			bnd = "; permissions boundary " + bp.Address + ": " + v.allow.T.String()
			if v.allow.T == No {
				r.where = append(r.where, Location{Range: bp.DocRange, What: "permissions boundary " + bp.Address + " does not allow " + action})
			}
		case !p.BoundaryARN.Known():
			r.boundary = maybe("the permissions boundary of " + p.Address)
		case p.BoundaryARN.V != "":
			r.boundary = maybe("the permissions boundary " + p.BoundaryARN.V + ", which is not in the configuration")
		}
	}
	total := r.allow.And(r.boundary)
	if dc.quiet {
		return r
	}
	switch {
	case r.deny.T == Yes:
		r.step.Status = Denied
		r.step.Detail = "an identity policy of " + p.Address + " denies " + action
	case total.T == Yes && r.deny.T == No:
		r.step.Status = Allowed
		r.step.Detail = "an identity policy of " + p.Address + " allows " + action
	case total.T == No && r.allow.T == Yes:
		r.step.Status = Denied
		r.step.Detail = "an identity policy of " + p.Address + " allows " + action + ", but its permissions boundary does not"
	case total.T == No:
		r.step.Status = Denied
		r.step.Detail = "no identity policy of " + p.Address + " allows " + action + " on " + display(sub.Resource)
		if len(pols) == 0 && len(external) == 0 {
			r.step.Detail = p.Address + " has no identity policies in the configuration"
		}
	default:
		r.step.Status = Undecided
		r.step.Detail = "whether the identity policies of " + p.Address + " allow " + action + " depends on " + strings.Join(maybe(append(total.Why, r.deny.Why...)...).Why, ", ")
	}
	r.step.Detail += bnd
	r.step.Where = refLocations(r.step.Where, r.allows, r.denies)
	if total.T == No {
		for _, pol := range pols {
			if pol.Range.File != "" {
				r.where = append(r.where, Location{Range: pol.DocRange, What: "identity policy " + pol.Address + " of " + p.Address})
			}
		}
		if len(r.where) == 0 {
			r.where = append(r.where, Location{Range: p.Range, What: p.Address})
		}
	}
	return r
}

// refLocations lists the statements that matched, Yes or Maybe.
func refLocations(locs []Location, allows, denies []Ref) []Location {
	for _, r := range denies {
		if r.Policy.Range.File != "" {
			locs = append(locs, Location{Range: r.Range(), What: "Deny (" + r.Match.T.String() + ") in " + r.Policy.Address})
		}
	}
	for _, r := range allows {
		if r.Policy.Range.File != "" {
			locs = append(locs, Location{Range: r.Range(), What: "Allow (" + r.Match.T.String() + ") in " + r.Policy.Address})
		}
	}
	return locs
}
