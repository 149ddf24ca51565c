package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L060 finds Deny statements that cancel what an Allow of the
// configuration grants.
var S3L060 = &Def{
	M: Meta{
		ID:        "S3L060",
		Name:      "explicit-deny-overrides-grant",
		Title:     "an explicit Deny cancels an Allow the configuration grants",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"bucket-policy", "iam", "deny", "not-principal"},
		Doc: `An explicit Deny wins over every Allow, wherever the two are: a Deny in the bucket policy cancels
a grant in a role's identity policy, a Deny in a permissions boundary or in another identity policy
of the role cancels the grant of its own policies, and a Deny in a VPC endpoint policy cancels
everything that passes through the endpoint. When the configuration grants a role, a user, a
service or everyone an action on a bucket and a Deny refuses the same request, the grant is dead
code and the calls get 403 Access Denied (explicit deny).

The usual causes:

- a Deny for ` + "`Principal \"*\"`" + ` with an allow-list (` + "`StringNotEquals aws:PrincipalArn`" + `,
  ` + "`StringNotEquals aws:PrincipalAccount`" + `) that leaves out a role or a service the configuration
  grants — AWS services calling S3 themselves carry no ` + "`aws:PrincipalArn`" + `, so the negated test is
  true for them;
- ` + "`NotPrincipal`" + ` in a Deny. AWS applies such a Deny unless *every* identity of the caller is listed:
  for a role, its assumed-role session (` + "`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`" + `), the role and
  the account. A Deny whose NotPrincipal lists only the role ARN denies the role's sessions, i.e.
  every request the role makes. IAM also applies it to every principal that has a permissions
  boundary, listed or not;
- a Deny in an identity policy or a boundary written for "everything else" (` + "`NotResource`" + `,
  ` + "`NotAction`" + `) that also catches the bucket.

The rule asks the engine about every request that the configuration's policies mean to grant
(see "Requests worth asking" in docs/engine.md). It reports a Deny statement when the decision
is EXPLICIT DENY, the Deny surely matches, and the Allow that states the grant matches too; once
per Deny, at its NotPrincipal, its first condition, its Principal or its Effect (the element that
makes it apply), with the cancelled grants as related locations. The finding is an error when the
decision rests on the configuration alone, and a warning when the Deny matches only because of a
value the engine assumes for a typical request (` + "`aws:SecureTransport`" + ` true, ` + "`aws:ViaAWSService`" + `
false); the message then says so. When MFA delete or the bucket's KMS key refuses the request as
well, the message adds it: narrowing the Deny alone will not be enough.

A bucket policy Deny with ` + "`NotPrincipal`" + ` and no condition is also reported when the roles and
users it lists are not exempt after all (a role without its assumed-role sessions or the account, a
user without the account), although the configuration grants them nothing: they are named there to
be let in, and the Deny refuses every request of theirs that it covers (roles of CI or other
stacks, administrators). A NotPrincipal that lists any session of the role and the account is left
alone.

A Deny in a VPC endpoint policy is reported when the bucket refuses requests that do not come
through an endpoint (so the callers must use one) and every S3 endpoint of the configuration
refuses the request too.

The rule stays silent for Denies that are clearly meant:

- Denies that do not match a typical request: ` + "`Bool aws:SecureTransport false`" + ` (the engine
  assumes HTTPS), Denies on unencrypted uploads or a missing ACL header (their keys are not known
  before the request is made, so the decision is UNKNOWN), Denies whose exemption covers the
  caller;
- carve-outs: a Deny that refuses only some of what a wildcard Allow grants (` + "`s3:*`" + ` allowed,
  ` + "`s3:DeleteObject`" + ` denied; ` + "`BUCKET/*`" + ` allowed, ` + "`BUCKET/private/*`" + ` denied);
- Denies on missing MFA (S3L051's), Denies that lock the deployer out of the bucket policy
  (S3L061's), and requests that only MFA delete or a KMS key refuses, with no Deny statement
  (S3L050's, S3L022's, S3L080's), and Denies in KMS key policies (S3L080's);
- every decision that is not certain: an unknown bucket name, account, principal, network or
  condition value (a Deny on ` + "`aws:SourceVpce`" + ` when nothing says whether the caller comes through
  the endpoint), a managed policy outside the configuration, a Deny that only some of a
  template's alternatives put in place.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect       = "Deny"
      NotPrincipal = { AWS = [aws_iam_role.app.arn] }   # misses the role's sessions
      Action       = "s3:*"
      Resource     = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = { ArnNotLike = { "aws:PrincipalArn" = [
        aws_iam_role.app.arn,                            # every session of the role
        aws_iam_role.deploy.arn,                         # and whoever manages the bucket (S3L061)
      ] } }
    }]
` + "```" + `

Fix: narrow the Deny so that it no longer matches the grants that are meant — exempt the roles
with ` + "`ArnNotLike aws:PrincipalArn`" + ` (it compares the role ARN, which covers every session), AWS
services with ` + "`Bool aws:PrincipalIsAWSService false`" + `, or leave their actions or resources out of the
Deny — or remove the grants that are not meant. Replace NotPrincipal in a Deny with
` + "`Principal \"*\"`" + ` and ` + "`ArnNotLike aws:PrincipalArn`" + `; keeping NotPrincipal, it must also list the
assumed-role session ARN and the account.`,
	},
	Run: runS3L060,
}

// cancelDeny is a Deny statement that cancels grants.
type cancelDeny struct {
	pol     *graph.Policy
	st      *graph.Statement
	grants  []cancelledGrant
	seen    map[string]bool
	assumed map[string]string // assumed context keys its conditions test
	// notPrincipal holds, for callers whose role the NotPrincipal lists,
	// what else it would have to list; boundary the callers it denies
	// because they have a permissions boundary.
	notPrincipal, boundary []string
	services, principals   bool
	also                   []string // what else refuses some of the grants
	boundaryOf             string   // the principal whose boundary the policy is
}

// cancelledGrant is a grant the Deny cancels.
type cancelledGrant struct {
	who, action string
	at          graph.Range
}

func runS3L060(p *Pass) error {
	skip := map[*graph.Statement]bool{}
	for _, l := range findLockouts(p) {
		skip[l.st] = true
	}
	eachStatement(p.Graph, nil, func(_ *graph.Policy, st *graph.Statement) {
		if st.IsDeny() && hasMFAKey(st) {
			skip[st] = true
		}
	})
	e := p.Engine()
	found := map[string]*cancelDeny{}
	var order []*cancelDeny
	record := func(d policy.Decision, in *policy.Intent, deciding []policy.Ref) {
		for _, r := range deciding {
			k := r.Statement.Range.String()
			cd := found[k]
			if cd == nil {
				cd = &cancelDeny{pol: r.Policy, st: r.Statement, seen: map[string]bool{}, assumed: map[string]string{}}
				if c := in.Request.Caller.Principal; c != nil && c.Boundary == r.Policy {
					cd.boundaryOf = c.Address
				}
				found[k] = cd
				order = append(order, cd)
			}
			cd.add(d, in)
		}
	}
	intents := e.Intents()
	for i := range intents {
		in := &intents[i]
		if e.IntentOutcome(in) == policy.Allow {
			continue
		}
		d := e.DecideIntent(in)
		switch d.Outcome {
		case policy.ExplicitDeny:
			// Denies in KMS key policies refuse kms: actions, which
			// S3L080 reports.
			record(d, in, cancelling(d, in, skip, func(k graph.PolicyKind) bool { return k != graph.KeyPolicy }))
		case policy.Unknown:
			if d2, refs := endpointDeny(e, in, skip); len(refs) > 0 {
				record(d2, in, refs)
			}
		}
	}
	for _, cd := range order {
		p.Report(cd.finding())
	}
	notPrincipalSelfDenials(p, found, skip)
	return nil
}

// hasMFAKey reports whether a statement tests for MFA (S3L051's Denies).
func hasMFAKey(st *graph.Statement) bool {
	for _, c := range st.Conditions {
		if c.Key.Known() && (strings.EqualFold(c.Key.V, "aws:MultiFactorAuthPresent") || strings.EqualFold(c.Key.V, "aws:MultiFactorAuthAge")) {
			return true
		}
	}
	return false
}

// cancelling returns the Deny statements that surely match an explicitly
// denied intent whose own Allow matches, leaving out skipped statements and
// carve-outs from a wildcard grant. A request that only MFA delete or the
// aws/s3 key refuses has no such statement (S3L050's and S3L022's). With
// kinds set, only Denies in policies of those kinds count.
func cancelling(d policy.Decision, in *policy.Intent, skip map[*graph.Statement]bool, kinds func(graph.PolicyKind) bool) []policy.Ref {
	granted := false
	for _, r := range d.Allows {
		granted = granted || (r.Statement == in.Statement && r.Match.T == policy.Yes)
	}
	if !granted {
		return nil
	}
	var out []policy.Ref
	for _, r := range d.Denies {
		if r.Match.T != policy.Yes || r.Statement == nil || skip[r.Statement] || (kinds != nil && !kinds(r.Policy.Kind)) {
			continue
		}
		if !coversItem(r.Statement, in.Item) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// coversItem reports whether a Deny's actions cover every S3 action of the
// Allow's Action entry: a Deny of s3:DeleteObject under an Allow of s3:*
// carves an exception out of the grant on purpose.
func coversItem(deny *graph.Statement, item graph.String) bool {
	if !item.Known() {
		return false
	}
	acts := []*policy.Action{policy.LookupAction(item.V)}
	if policy.HasWildcard(item.V) {
		acts = nil
		for _, a := range policy.ExpandAction(item.V) {
			if a.Service == "s3" {
				acts = append(acts, a)
			}
		}
	}
	if len(acts) == 0 || acts[0] == nil {
		return false
	}
	el, negate := deny.Action, false
	if !el.Present {
		el, negate = deny.NotAction, true
	}
	if !el.Present || !el.AllKnown() {
		return false
	}
	for _, a := range acts {
		m := false
		for _, it := range el.Items {
			m = m || policy.MatchAction(it.V, a.String())
		}
		if m == negate {
			return false
		}
	}
	return true
}

// endpointDeny looks for a Deny in a VPC endpoint policy that cancels an
// intent the bucket lets through only via an endpoint: the request over
// the internet is explicitly denied, through every S3 endpoint of the
// configuration it is denied, and through one a Deny of its policy decides.
func endpointDeny(e *policy.Engine, in *policy.Intent, skip map[*graph.Statement]bool) (policy.Decision, []policy.Ref) {
	var eps []*graph.Endpoint
	for _, ep := range e.Graph().Endpoints {
		if !ep.Service.Known() {
			// It may be an S3 endpoint that lets the request through.
			return policy.Decision{}, nil
		}
		if strings.HasSuffix(strings.ToLower(ep.Service.V), ".s3") {
			eps = append(eps, ep)
		}
	}
	if len(eps) == 0 {
		return policy.Decision{}, nil
	}
	req := in.Request
	req.Network = policy.NetworkInternet
	if e.Decide(req).Outcome != policy.ExplicitDeny {
		return policy.Decision{}, nil
	}
	var first policy.Decision
	var refs []policy.Ref
	for _, ep := range eps {
		req.Network, req.Endpoint = policy.NetworkEndpoint, ep
		d := e.Decide(req)
		if !d.Outcome.Denied() {
			return policy.Decision{}, nil
		}
		if d.Outcome != policy.ExplicitDeny || len(refs) > 0 {
			continue
		}
		// The bucket and the caller's policies must let the request
		// through this endpoint: only its own policy may deny it.
		admitted := true
		for _, r := range d.Denies {
			admitted = admitted && r.Policy.Kind == graph.EndpointPolicy
		}
		if !admitted {
			continue
		}
		if rs := cancelling(d, in, skip, func(k graph.PolicyKind) bool { return k == graph.EndpointPolicy }); len(rs) > 0 {
			first, refs = d, rs
		}
	}
	return first, refs
}

// add records a cancelled grant and what the decision says about it.
func (cd *cancelDeny) add(d policy.Decision, in *policy.Intent) {
	c := in.Request.Caller
	who := c.Label()
	action := in.Request.Action + " on " + bucketLabel(in.Bucket)
	if k := who + "|" + action; !cd.seen[k] {
		cd.seen[k] = true
		cd.grants = append(cd.grants, cancelledGrant{who: who, action: action, at: intentRange(in)})
	}
	if s := d.Step(policy.CheckMFA); s != nil && s.Status == policy.Denied {
		cd.also = appendNew(cd.also, "MFA delete also refuses "+action+" (S3L050)")
	}
	if s := d.Step(policy.CheckKMS); s != nil && s.Status == policy.Denied {
		cd.also = appendNew(cd.also, "the bucket's KMS key also refuses "+who+" "+action)
	}
	if c.Kind == policy.CallerService {
		cd.services = true
	} else if c.Kind != policy.CallerAnonymous {
		cd.principals = true
	}
	for _, cond := range cd.st.Conditions {
		if !cond.Key.Known() {
			continue
		}
		if v := d.Request.Context.Get(cond.Key.V); v.Assumed && v.State == policy.KeyKnown {
			cd.assumed[v.Name] = strings.Join(v.Values, ",")
		}
	}
	if np := cd.st.NotPrincipal; np != nil && (c.Kind == policy.CallerRole || c.Kind == policy.CallerUser) {
		if pr := c.Principal; pr != nil && (pr.Boundary != nil || pr.BoundaryARN.Known() && pr.BoundaryARN.V != "") {
			cd.boundary = appendNew(cd.boundary, who)
			return
		}
		role, session, account := notPrincipalLists(np, &c)
		if role {
			var missing []string
			if c.Kind == policy.CallerRole && !session {
				missing = append(missing, "its session ARN "+policy.Display(c.Session))
			}
			if !account {
				missing = append(missing, "the account "+policy.Display(string(c.Account)))
			}
			if len(missing) > 0 {
				cd.notPrincipal = appendNew(cd.notPrincipal, who+" (the role ARN is listed, but not "+strings.Join(missing, " nor ")+")")
			}
		}
	}
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// notPrincipalLists tells which identities of the caller a NotPrincipal
// lists literally: its role or user ARN, its session ARN, its account.
func notPrincipalLists(np *graph.PrincipalSpec, c *policy.Caller) (arn, session, account bool) {
	for _, e := range np.Entries {
		if !e.Type.Is("AWS") {
			continue
		}
		for _, v := range e.Values {
			if !v.Known() {
				continue
			}
			switch {
			case v.V == c.ARN:
				arn = true
			case c.Session != "" && v.V == c.Session:
				session = true
			case c.Account != "" && (v.V == string(c.Account) || v.V == "arn:aws:iam::"+string(c.Account)+":root"):
				account = true
			}
		}
	}
	return arn, session, account
}

// fix words how to narrow the Deny, by where it is.
func (cd *cancelDeny) fix() string {
	switch cd.pol.Kind {
	case graph.IdentityPolicy:
		return "narrow the Deny (leave these actions or the bucket out of it)"
	case graph.EndpointPolicy:
		return "narrow the endpoint policy's Deny (leave these actions or the bucket out of it)"
	}
	if cd.st.NotPrincipal != nil {
		return "list them in NotPrincipal (for a role: the assumed-role session ARN, the role ARN and the account) or, better, " +
			"use Principal \"*\" with ArnNotLike aws:PrincipalArn and their ARNs"
	}
	for _, c := range cd.st.Conditions {
		negated, _ := policy.NegatedOperator(c.Operator.V)
		switch strings.ToLower(c.Key.V) {
		case "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:userid":
			if negated {
				var fixes []string
				if cd.principals {
					fixes = append(fixes, "add them to the Deny's exemption (the values of "+c.Key.V+")")
				}
				if cd.services {
					fixes = append(fixes, "exempt services with Bool aws:PrincipalIsAWSService false")
				}
				if len(fixes) > 0 {
					return strings.Join(fixes, " and ")
				}
			}
		}
	}
	if cd.st.Principal != nil && !principalIsEveryone(cd.st.Principal) {
		return "narrow the Deny (take these principals or actions out of it)"
	}
	fix := "narrow the Deny (exempt the roles with ArnNotLike aws:PrincipalArn"
	if cd.services {
		fix += ", services with Bool aws:PrincipalIsAWSService false"
	}
	return fix + ", or leave their actions out)"
}

// denyElement is where the finding points: the element that makes the
// Deny apply to the grants.
func (cd *cancelDeny) denyElement() graph.Range {
	st := cd.st
	switch {
	case st.NotPrincipal != nil && !st.NotPrincipal.Range.IsZero():
		return st.NotPrincipal.Range
	case len(st.Conditions) > 0 && !st.Conditions[0].Range.IsZero():
		return st.Conditions[0].Range
	case st.Principal != nil && !st.Principal.Wildcard && !st.Principal.Range.IsZero():
		return st.Principal.Range
	case !st.Effect.Range.IsZero():
		return st.Effect.Range
	}
	return st.Range
}

func (cd *cancelDeny) finding() Finding {
	// One entry per caller, bucket and line: "r s3:GetObject and
	// s3:PutObject on b (main.tf:12)".
	type group struct {
		who, bucket, at string
		actions         []string
	}
	var groups []*group
	idx := map[string]*group{}
	for _, g := range cd.grants {
		act, bucket, _ := strings.Cut(g.action, " on ")
		k := g.who + "|" + bucket + "|" + g.at.Short()
		if idx[k] == nil {
			idx[k] = &group{who: g.who, bucket: bucket, at: g.at.Short()}
			groups = append(groups, idx[k])
		}
		idx[k].actions = appendNew(idx[k].actions, act)
	}
	var grants []string
	for _, g := range groups {
		grants = append(grants, fmt.Sprintf("%s %s on %s (%s)", g.who, list(g.actions), g.bucket, g.at))
	}
	verb := "cancels the grant of"
	if len(cd.grants) > 1 {
		verb = "cancels the grants of"
	}
	where := cd.pol.Kind.String() + " " + cd.pol.Address
	if cd.boundaryOf != "" {
		where = "permissions boundary " + cd.pol.Address + " of " + cd.boundaryOf
	}
	msg := fmt.Sprintf("this Deny in the %s %s %s: an explicit Deny wins over any Allow, so these requests get 403 Access Denied (explicit deny)",
		where, verb, list(grants))
	var why []string
	if len(cd.notPrincipal) > 0 {
		why = append(why, fmt.Sprintf("NotPrincipal denies every identity it does not list, and a role's requests come from its assumed-role sessions: "+
			"for %s, NotPrincipal must also list the assumed-role session ARN and the account (better: Principal \"*\" with ArnNotLike aws:PrincipalArn and the role ARN)",
			list(cd.notPrincipal)))
	}
	if len(cd.boundary) > 0 {
		why = append(why, fmt.Sprintf("IAM applies a Deny with NotPrincipal to every principal that has a permissions boundary, listed or not (%s); "+
			"use Principal \"*\" with ArnNotLike aws:PrincipalArn instead", list(cd.boundary)))
	}
	var conds []string
	for i := range cd.st.Conditions {
		conds = append(conds, denyCondText(&cd.st.Conditions[i]))
	}
	if len(conds) > 0 {
		why = append(why, "its condition ("+strings.Join(conds, "; ")+") holds for them")
	}
	if len(why) > 0 {
		msg += "; " + strings.Join(why, "; ")
	}
	if len(cd.notPrincipal) == 0 && len(cd.boundary) == 0 {
		msg += "; " + cd.fix() + ", or remove the grants if they are not meant"
	}
	if len(cd.also) > 0 {
		msg += "; once the Deny is narrowed, " + strings.Join(cd.also, "; ")
	}
	var assumed []string
	for k, v := range cd.assumed {
		assumed = append(assumed, k+"="+v)
	}
	sort.Strings(assumed)
	var sev Severity
	if len(assumed) > 0 {
		sev = Warning
		msg += " (this assumes a typical request: " + strings.Join(assumed, ", ") + ")"
	}
	f := Finding{Range: cd.denyElement(), Resource: cd.pol.Address, Message: msg, Severity: sev}
	for _, g := range cd.grants {
		f.Related = append(f.Related, Related{Range: g.at,
			Message: fmt.Sprintf("%s is granted %s here, and the Deny at %s cancels it", g.who, g.action, cd.st.Range.Short())})
	}
	return f
}
