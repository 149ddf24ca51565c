package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L070 finds buckets that may only be reached through a VPC endpoint whose
// own policy does not let the bucket's requests through.
var S3L070 = &Def{
	M: Meta{
		ID:        "S3L070",
		Name:      "vpce-policy-excludes-bucket",
		Title:     "a bucket reachable only through a VPC endpoint whose policy does not let its requests through",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"vpc-endpoint", "bucket-policy", "network"},
		Doc: `A common way to keep a bucket private to a VPC is a bucket policy Deny for every request that
does not come through the VPC's endpoint: ` + "`Deny, Principal \"*\", s3:*, StringNotEquals aws:SourceVpce <endpoint ID>`" + `
(or ` + "`aws:SourceVpc <VPC ID>`" + `). Every request then has to pass the endpoint too, and a VPC
endpoint has a policy of its own: it never grants, but it filters every request that goes
through it. When that endpoint policy does not allow the bucket (its Resource names other
buckets only, or only ` + "`BUCKET/*`" + ` while callers list ` + "`BUCKET`" + `) or the action, the requests the
bucket's policies grant get 403 Access Denied through the endpoint, and the bucket policy denies
them everywhere else: nobody can make them.

The rule ties the bucket policy's condition to the endpoints of the configuration: a value of
` + "`aws:SourceVpce`" + ` names an endpoint by its ID, a value of ` + "`aws:SourceVpc`" + ` the S3 endpoints of the
configuration in that VPC. Endpoint and VPC IDs are assigned by AWS at creation, but a reference
(` + "`aws_vpc_endpoint.s3.id`" + `, ` + "`!Ref Endpoint`" + `) and the resource it names agree before
deployment; a literal VPC ID matches an endpoint whose VPC is written as that literal. An
endpoint counts as an S3 endpoint when its service name ends in ` + "`.s3`" + `, or, when the service name
is not known before deployment (` + "`!Sub com.amazonaws.${AWS::Region}.s3`" + `), when its policy names
S3 actions only.

For every request that a policy of the configuration means to grant a role or user on the bucket
(see "Requests worth asking" in docs/engine.md) and that the bucket policy's Deny refuses outside
an endpoint, the engine decides the request through each endpoint the condition admits. When the
endpoint policy of every one of them does not allow it — while the identity and bucket policies
allow the request and nothing denies it — the request cannot succeed from anywhere, and the rule
reports each endpoint policy at the place to change: the Resource of the statement that allows
the action, the Principal or Condition of the statement that allows both, or the Action of its
first statement.

The rule stays silent when one of the admitted endpoints lets the request through, has no policy
(AWS's default allows everything) or a policy not known before deployment; when the condition
admits an endpoint or VPC that is not in the configuration (a literal ` + "`vpce-…`" + ` ID, a parameter
without a value), which the request may come through; when a Deny, in the endpoint policy or
elsewhere, refuses the request (S3L060 reports Denies that cancel grants); and when the decision
depends on values not known before deployment. In Terraform, ` + "`aws_vpc`" + ` IDs are not yet
symbolic (the loader does not model that resource), so an ` + "`aws:SourceVpc`" + ` condition that refers to
an ` + "`aws_vpc`" + ` resource is not tied to its endpoints and the rule stays silent for it.

Bad:

` + "```hcl" + `
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = ["arn:aws:s3:::acme-artifacts/*"]    # the data bucket is missing
    }]
  })
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = "${aws_s3_bucket.data.arn}/*"
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
      Resource  = ["arn:aws:s3:::acme-artifacts/*", "${aws_s3_bucket.data.arn}/*"]
` + "```" + `

Fix: allow the bucket (` + "`arn:aws:s3:::BUCKET`" + ` for listing, ` + "`arn:aws:s3:::BUCKET/*`" + ` for objects) and
the actions its callers need in the endpoint policy. In a gateway endpoint policy an account
principal (` + "`arn:aws:iam::ACCOUNT:root`" + `) stands for the account's root user only: name roles by
ARN, or use ` + "`\"*\"`" + ` with an ` + "`aws:PrincipalArn`" + ` condition.`,
	},
	Run: runS3L070,
}

// vpceGate is a bucket policy Deny that refuses requests that do not come
// through given VPC endpoints or VPCs.
type vpceGate struct {
	st   *graph.Statement
	cond *graph.Condition
}

// vpceGates lists the bucket's Deny statements with a negated string
// condition on aws:SourceVpce or aws:SourceVpc.
func vpceGates(b *graph.Bucket) []vpceGate {
	var out []vpceGate
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if st.Unknown || !st.IsDeny() {
				continue
			}
			for i := range st.Conditions {
				c := &st.Conditions[i]
				if vpceKey(c) != "" && vpceNegated(c.Operator) {
					out = append(out, vpceGate{st: st, cond: c})
					break
				}
			}
		}
	}
	return out
}

// vpceKey returns the condition's key in its canonical spelling when it is
// aws:SourceVpce or aws:SourceVpc, else "".
func vpceKey(c *graph.Condition) string {
	if !c.Key.Known() {
		return ""
	}
	switch strings.ToLower(c.Key.V) {
	case "aws:sourcevpce":
		return "aws:SourceVpce"
	case "aws:sourcevpc":
		return "aws:SourceVpc"
	}
	return ""
}

// vpceNegated reports whether an operator is a negated string comparison
// without a set qualifier (StringNotEquals, StringNotLike, their
// IgnoreCase and IfExists forms): true when the key is absent, as it is for
// every request that does not come through an endpoint.
func vpceNegated(op graph.String) bool {
	if !op.Known() {
		return false
	}
	switch strings.TrimSuffix(strings.ToLower(op.V), "ifexists") {
	case "stringnotequals", "stringnotequalsignorecase", "stringnotlike":
		return true
	}
	return false
}

// vpceWays are the endpoints of the graph through which a gate lets
// requests in, with the evidence in words. ok is false when the gate admits
// a way the configuration does not hold (an endpoint ID or VPC written as a
// literal, a value not known before deployment): requests may come through
// it, so nothing can be said.
func vpceWays(g *graph.Graph, gate vpceGate) (ways []*graph.Endpoint, how string, ok bool) {
	c := gate.cond
	if c.Unknown || len(c.Values) == 0 {
		return nil, "", false
	}
	key := vpceKey(c)
	like := strings.Contains(strings.ToLower(c.Operator.V), "like")
	seen := map[*graph.Endpoint]bool{}
	var hows []string
	for _, v := range c.Values {
		if !v.Known() || v.V == "" {
			return nil, "", false
		}
		matches := func(s graph.String) bool {
			if !s.Known() || s.V == "" {
				return false
			}
			return s.V == v.V || (like && policy.HasWildcard(v.V) && policy.MatchResource(v.V, s.V))
		}
		var found []*graph.Endpoint
		for _, e := range g.Endpoints {
			id := e.ID
			if key == "aws:SourceVpc" {
				id = e.VpcID
			}
			if matches(id) && vpceForS3(e) {
				found = append(found, e)
			}
		}
		if len(found) == 0 {
			// An endpoint or VPC outside the configuration (or one
			// without an S3 endpoint in it): a way in the rule cannot
			// judge.
			return nil, "", false
		}
		for _, e := range found {
			if !seen[e] {
				seen[e] = true
				ways = append(ways, e)
			}
		}
		if key == "aws:SourceVpc" {
			var addrs []string
			for _, e := range found {
				addrs = append(addrs, e.Address)
			}
			word := "endpoint"
			if len(addrs) > 1 {
				word = "endpoints"
			}
			hows = append(hows, fmt.Sprintf("VPC %s, whose S3 %s in the configuration %s %s", policy.Display(v.V), word, vpceIsAre(len(addrs)), list(addrs)))
		} else {
			hows = append(hows, policy.Display(v.V))
		}
	}
	return ways, c.Operator.V + " " + c.Key.V + " " + strings.Join(hows, ", "), true
}

func vpceIsAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// vpceForS3 reports whether an endpoint is an S3 endpoint: its service name
// ends in .s3, or, when the name is not known, its policy names S3 actions
// only.
func vpceForS3(e *graph.Endpoint) bool {
	if e.Service.Known() && e.Service.V != "" {
		return strings.HasSuffix(strings.ToLower(e.Service.V), ".s3")
	}
	if e.Policy == nil || e.Policy.Doc == nil {
		return false
	}
	named := false
	for _, st := range e.Policy.Doc.Statements {
		if st.Unknown {
			return false
		}
		for _, el := range []graph.Strings{st.Action, st.NotAction} {
			if el.Unknown {
				return false
			}
			for _, it := range el.Items {
				if !it.Known() || !strings.HasPrefix(strings.ToLower(it.V), "s3:") {
					return false
				}
				named = true
			}
		}
	}
	return named
}

// vpceHit is one intended request the endpoint policy keeps out.
type vpceHit struct {
	who, action, bucket string
	object              bool
	bucketARN           string
	grant               graph.Range
}

// vpceFinding collects the requests one place of an endpoint policy keeps
// out.
type vpceFinding struct {
	ep    *graph.Endpoint
	where vpceWhere
	gates []vpceGateUse
	hits  []vpceHit
	seen  map[string]bool
}

// vpceGateUse is a gate of a bucket with the endpoints it admits.
type vpceGateUse struct {
	gate vpceGate
	b    *graph.Bucket
	ways []*graph.Endpoint
	how  string
}

func runS3L070(p *Pass) error {
	e := p.Engine()
	intents := e.Intents()
	byBucket := map[*graph.Bucket][]*policy.Intent{}
	for i := range intents {
		in := &intents[i]
		c := in.Request.Caller
		if in.Bucket == nil || c.Principal == nil || (c.Kind != policy.CallerRole && c.Kind != policy.CallerUser) {
			continue
		}
		byBucket[in.Bucket] = append(byBucket[in.Bucket], in)
	}
	found := map[string]*vpceFinding{}
	var order []*vpceFinding
	for _, b := range p.Graph.Buckets {
		ins := byBucket[b]
		if len(ins) == 0 {
			continue
		}
		for _, gate := range vpceGates(b) {
			ways, how, ok := vpceWays(p.Graph, gate)
			if !ok {
				continue
			}
			use := vpceGateUse{gate: gate, b: b, ways: ways, how: how}
			for _, in := range ins {
				if !vpceOnlyThrough(e, in, gate) {
					continue
				}
				// Every way in must keep the request out: through any
				// other, it gets in.
				type block struct {
					ep *graph.Endpoint
					w  vpceWhere
				}
				var blocks []block
				for _, ep := range ways {
					if ep.Policy == nil || ep.Policy.Doc == nil {
						// The default policy allows everything; an
						// unknown one may.
						break
					}
					req := in.Request
					req.Network, req.Endpoint = policy.NetworkEndpoint, ep
					d := e.Decide(req)
					if !vpceBlocks(d) {
						break
					}
					blocks = append(blocks, block{ep, vpceLocate(d, ep)})
				}
				if len(blocks) != len(ways) {
					continue
				}
				for _, bl := range blocks {
					k := bl.ep.Address + "|" + bl.ep.Root + "|" + bl.w.at.String()
					f := found[k]
					if f == nil {
						f = &vpceFinding{ep: bl.ep, where: bl.w, seen: map[string]bool{}}
						found[k] = f
						order = append(order, f)
					}
					f.addGate(use)
					who := in.Request.Caller.Label()
					hk := who + "|" + in.Request.Action + "|" + in.Request.Resource
					if f.seen[hk] {
						continue
					}
					f.seen[hk] = true
					act := policy.LookupAction(in.Request.Action)
					f.hits = append(f.hits, vpceHit{who: who, action: in.Request.Action, bucket: bucketLabel(b),
						object: act != nil && act.ObjectLevel(), bucketARN: policy.BucketARNOf(b), grant: intentRange(in)})
				}
			}
		}
	}
	for _, f := range order {
		p.Report(f.finding())
	}
	return nil
}

func (f *vpceFinding) addGate(u vpceGateUse) {
	for _, o := range f.gates {
		if o.gate.cond == u.gate.cond {
			return
		}
	}
	f.gates = append(f.gates, u)
}

// vpceOnlyThrough reports whether the gate refuses the intended request
// when it does not come through an endpoint.
func vpceOnlyThrough(e *policy.Engine, in *policy.Intent, gate vpceGate) bool {
	req := in.Request
	req.Network = policy.NetworkInternet
	d := e.Decide(req)
	for _, r := range d.Denies {
		if r.Statement == gate.st && r.Match.T == policy.Yes {
			return true
		}
	}
	return false
}

// vpceBlocks reports whether the endpoint policy is what denies a request
// through the endpoint: the endpoint step denies, the identity and bucket
// policies allow, and nothing but the endpoint policy denies or may deny.
func vpceBlocks(d policy.Decision) bool {
	if !d.Outcome.Denied() {
		return false
	}
	if s := d.Step(policy.CheckEndpoint); s == nil || s.Status != policy.Denied {
		return false
	}
	if s := d.Step(policy.CheckAccounts); s == nil || s.Status != policy.Allowed {
		return false
	}
	for _, chk := range []string{policy.CheckMFA, policy.CheckKMS, policy.CheckBPA} {
		if s := d.Step(chk); s != nil && s.Status == policy.Denied {
			return false
		}
	}
	for _, r := range d.Denies {
		if r.Match.T != policy.No {
			// The gate itself or another Deny applies or may apply
			// through this endpoint too; a Deny of the endpoint policy
			// that cancels a grant is S3L060's.
			return false
		}
	}
	return true
}

// vpceWhere is the place of the endpoint policy that keeps requests out,
// and what is wrong there.
type vpceWhere struct {
	at   graph.Range
	kind string // "resource", "action", "principal", "condition", "empty"
}

// vpceLocate finds the place of the endpoint policy to change: the
// Resource of the statement that allows the action but not the resource,
// else the Principal or Condition of one that allows both but not the
// caller, else the first Allow's actions, else the whole document.
func vpceLocate(d policy.Decision, ep *graph.Endpoint) vpceWhere {
	pol := ep.Policy
	req := d.Request
	var first, actOnly *graph.Statement
	for _, st := range pol.Doc.Statements {
		if st.Unknown || !st.IsAllow() {
			continue
		}
		if first == nil {
			first = st
		}
		if !vpceElementMatches(st.Action, st.NotAction, func(p string) bool { return policy.MatchAction(p, req.Action) }) {
			continue
		}
		if vpceElementMatches(st.Resource, st.NotResource, func(p string) bool { return p == "*" || policy.MatchResource(p, req.Resource) }) {
			switch {
			case st.Principal != nil && !st.Principal.Wildcard && !st.Principal.Range.IsZero():
				return vpceWhere{at: st.Principal.Range, kind: "principal"}
			case st.NotPrincipal != nil && !st.NotPrincipal.Range.IsZero():
				return vpceWhere{at: st.NotPrincipal.Range, kind: "principal"}
			case len(st.Conditions) > 0:
				return vpceWhere{at: st.Conditions[0].Range, kind: "condition"}
			}
			continue
		}
		if actOnly == nil {
			actOnly = st
		}
	}
	switch {
	case actOnly != nil:
		at := actOnly.Resource.Range
		if !actOnly.Resource.Present {
			at = actOnly.NotResource.Range
		}
		if at.IsZero() {
			at = actOnly.Range
		}
		return vpceWhere{at: at, kind: "resource"}
	case first != nil:
		at := first.Action.Range
		if !first.Action.Present {
			at = first.NotAction.Range
		}
		if at.IsZero() {
			at = first.Range
		}
		return vpceWhere{at: at, kind: "action"}
	}
	at := pol.DocRange
	if at.IsZero() {
		at = ep.Range
	}
	return vpceWhere{at: at, kind: "empty"}
}

// vpceElementMatches evaluates an Action/Resource element (or its Not
// form) with match; unknown items count as matching, so that the place
// found is never one that might already allow.
func vpceElementMatches(el, not graph.Strings, match func(string) bool) bool {
	negate := false
	if !el.Present {
		el, negate = not, true
	}
	if !el.Present || el.Unknown {
		return true
	}
	hit := false
	for _, it := range el.Items {
		if !it.Known() || match(it.V) {
			hit = true
			break
		}
	}
	return hit != negate
}

func (f *vpceFinding) finding() Finding {
	ep := f.ep
	var buckets, actions, whos, resources []string
	for _, h := range f.hits {
		buckets = append(buckets, h.bucket)
		actions = append(actions, h.action)
		whos = append(whos, h.who)
		res := h.bucketARN
		if h.object {
			res += "/*"
		}
		resources = append(resources, display(res))
	}
	buckets, actions, whos, resources = distinctStrings(buckets), distinctStrings(actions), distinctStrings(whos), distinctStrings(resources)
	sort.Strings(actions)
	bucketWord := "bucket " + list(buckets)
	if len(buckets) > 1 {
		bucketWord = "buckets " + list(buckets)
	}
	acts := list(actions)
	var what string
	switch f.where.kind {
	case "resource":
		what = "this Resource does not name " + list(resources)
	case "principal":
		what = "this Principal does not admit " + list(whos)
		if !ep.Type.Known() || !strings.EqualFold(ep.Type.V, "Interface") {
			what += " (in a gateway endpoint policy an account principal stands for the account's root user only)"
		}
	case "condition":
		what = "the conditions of this statement do not hold for them"
	case "action":
		what = "no statement allows " + acts
	default:
		what = "the policy allows nothing"
	}
	var gates []string
	for _, u := range f.gates {
		var addrs []string
		for _, w := range u.ways {
			addrs = append(addrs, w.Address)
		}
		gates = append(gates, fmt.Sprintf("the bucket policy of %s denies every request that does not come through %s (%s)",
			bucketLabel(u.b), vpceOr(addrs), u.how))
	}
	gates = distinctStrings(gates)
	fix := "allow " + acts + " on " + list(resources) + " in this endpoint policy"
	switch f.where.kind {
	case "principal":
		fix = "name the callers' role or user ARNs here, or use \"*\" with an aws:PrincipalArn condition"
	case "condition":
		fix = "make this statement's conditions admit these requests"
	}
	verb := "gets"
	if len(whos) > 1 {
		verb = "get"
	}
	msg := fmt.Sprintf("the policy of VPC endpoint %s does not let %s on %s through: %s; and %s, so %s, granted these requests by the configuration, %s 403 Access Denied from everywhere; %s",
		ep.Address, acts, bucketWord, what, strings.Join(gates, ", and "), list(whos), verb, fix)
	out := Finding{Range: f.where.at, Resource: ep.Address, Message: msg}
	seen := map[string]bool{}
	rel := func(r graph.Range, m string) {
		k := r.String() + "|" + m
		if r.IsZero() || seen[k] {
			return
		}
		seen[k] = true
		out.Related = append(out.Related, Related{Range: r, Message: m})
	}
	for _, u := range f.gates {
		rel(u.gate.cond.Range, fmt.Sprintf("the bucket policy of %s denies requests that do not come through %s here", bucketLabel(u.b), ep.Address))
	}
	for _, h := range f.hits {
		rel(h.grant, fmt.Sprintf("%s is granted %s on %s here", h.who, h.action, h.bucket))
	}
	return out
}

// vpceOr joins names with "or".
func vpceOr(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
