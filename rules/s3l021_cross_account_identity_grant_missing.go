package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L021 finds bucket policies that grant a role or user of another account
// whose own policies do not allow the access.
var S3L021 = &Def{
	M: Meta{
		ID:        "S3L021",
		Name:      "cross-account-identity-grant-missing",
		Title:     "bucket policy grants a principal of another account whose own policies do not allow it",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"iam", "bucket-policy", "cross-account"},
		Doc: `A bucket policy that names a role or user of the bucket's own account is enough on its own. One
that names a role or user of **another** account is not: across accounts AWS evaluates the request
once for each account, and the caller's own identity policies (capped by its permissions
boundary) must allow it too. So a bucket policy in account B that grants
` + "`arn:aws:iam::A:role/reader`" + ` s3:GetObject does nothing for that role until an identity policy
of the role in account A allows s3:GetObject on the bucket: every call gets 403 Access Denied.

The rule reports the principal entry of the bucket policy statement when it names a role or user
that the configuration defines, the role or user is in one account and the bucket in another,
both accounts are known (a provider with ` + "`allowed_account_ids`" + ` naming one account or an
` + "`assume_role`" + ` ARN, literal ARNs), and the engine denies a request the statement grants only
because the caller's side does not allow it: the bucket policy allows, no Deny matches, and
nothing else — Block Public Access, the KMS key, a VPC endpoint policy, MFA delete — takes part in
the denial. A grant of every S3 action ("s3:*", "*") to a caller whose own policies allow some S3
action on the bucket is left alone: the caller takes what it needs (a least-privilege role), and
the rest of the grant is not meant for it. Likewise, when the caller's own policies allow some of
what a statement (or another statement of the same bucket policy) grants, the other actions are
reported only if they are listing, reading, writing or deleting (s3:ListBucket, s3:GetObject,
s3:PutObject, s3:DeleteObject): the extras of a module's "read" set (s3:GetObjectTagging,
s3:GetObjectVersion) go unused by a role that only reads objects, and so do the bucket versioning
actions AWS's cross-account replication example grants the replication role, while a loader
granted s3:PutObject that may only list cannot load. (An
action the caller's own policies ask for and its permissions boundary refuses is reported
whatever it is.) The message names both sides with their file and line; related locations point at
the role or user and its identity policies (or at its permissions boundary, when the identity
policies allow and the boundary does not).

Bad:

` + "```hcl" + `
provider "aws" {
  allowed_account_ids = ["111111111111"]          # the bucket's account
}

provider "aws" {
  alias               = "app"
  allowed_account_ids = ["222222222222"]          # the application account
}

resource "aws_iam_role" "reader" {
  provider           = aws.app
  name               = "reader"                   # no identity policy allows S3
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.reader.arn }  # 403: the role's own policies do not allow it
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.data.arn}/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_iam_role_policy" "reader" {
  provider = aws.app
  role     = aws_iam_role.reader.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "${aws_s3_bucket.data.arn}/*"
    }]
  })
}
` + "```" + `

Fix: allow the actions on the bucket's resources in an identity policy of the role or user (in
its own account); when the identity policies allow and a permissions boundary does not, add them
to the boundary.

The rule stays silent for grants to a whole account (` + "`arn:aws:iam::A:root`" + ` delegates to the
account, and some principal of it may be allowed) and to principals that the configuration does
not define (their policies are not known), when it cannot know that the two accounts differ (a
provider without ` + "`allowed_account_ids`" + ` or ` + "`assume_role`" + `, a variable without a value), when the
decision is unknown (a managed policy outside the configuration, a condition, a template
condition), when a Deny decides it (S3L060), when Block Public Access rejects or restricts the
bucket policy (S3L040, S3L041), when the KMS key or a VPC endpoint policy also denies it (S3L080,
S3L081, S3L070, S3L022), and when an identity policy of the principal names the action and the
bucket but does not match the request — on the bucket ARN for object actions (S3L010) or the
reverse (S3L011), a misspelt action (S3L013), another prefix or a condition: that mismatch is the
thing to fix. CloudFormation templates do not say which account they are deployed to, so the
roles, users and buckets they define have no known account and the rule never reports on them.`,
	},
	Run: runS3L021,
}

func runS3L021(p *Pass) error {
	e := p.Engine()
	var groups []*xacctGroup
	idx := map[string]*xacctGroup{}
	boundary := map[*xacctGroup]bool{}
	// used holds the grants (statement and caller) of which the caller may
	// make some request: it takes what it needs of them.
	used := map[string]bool{}
	intents := e.Intents()
	for i := range intents {
		// Intents of either side: a request that an identity policy also
		// names is derived from it first, and it is the same request.
		in := &intents[i]
		c, b := in.Request.Caller, in.Bucket
		if b == nil || in.Policy == nil || c.Principal == nil ||
			(c.Kind != policy.CallerRole && c.Kind != policy.CallerUser) || !xacctForeign(c.Account, b.Account) {
			continue
		}
		d := e.Decide(xacctRequest(in))
		if d.Outcome == policy.Allow {
			if grant := bucketGrant(&d, &c); grant.Statement != nil {
				used[grantKey(grant.Statement, c)] = true
				used[policyGrantKey(grant.Policy, c)] = true
			}
			continue
		}
		if !identitySideMissing(&d, c.Principal) {
			continue
		}
		grant := bucketGrant(&d, &c)
		if grant.Statement == nil {
			// Granted through the account only: some other principal of
			// it may be allowed.
			continue
		}
		bnd := identityAllows(&d, in.Request.Action)
		if !bnd && identityMeans(c.Principal, b, in.Request.Action) {
			continue
		}
		if !bnd && grantsEverything(grant.Statement) && identityReaches(c.Principal, b) {
			// A grant of every S3 action to a caller whose own policies
			// reach the bucket for some: it takes what it needs (a
			// least-privilege role), and the rest is not meant.
			continue
		}
		k := grantKey(grant.Statement, c)
		g := idx[k]
		if g == nil {
			g = &xacctGroup{caller: c, bucket: b, pol: grant.Policy, st: grant.Statement}
			idx[k] = g
			groups = append(groups, g)
		}
		g.intents = append(g.intents, in)
		boundary[g] = boundary[g] || bnd
	}
	for _, g := range groups {
		if (used[grantKey(g.st, g.caller)] || used[policyGrantKey(g.pol, g.caller)]) && !boundary[g] {
			// The caller's side allows some of what the statement (or
			// another statement of the same bucket policy) grants and
			// does not ask for the rest (a boundary that cuts off what
			// its policies ask for is reported whatever the action): of
			// the rest, only listing, reading, writing and deleting are
			// surely meant. The extras of a module's "read" set (object
			// tags, versions) go unused by a least-privilege caller, and
			// so do the bucket versioning actions AWS's cross-account
			// replication example grants the replication role.
			g.intents = slices.DeleteFunc(g.intents, func(in *policy.Intent) bool { return !policy.IsCoreAction(in.Request.Action) })
			if len(g.intents) == 0 {
				continue
			}
		}
		p.Report(identityGrantFinding(g, boundary[g]))
	}
	return nil
}

// grantKey identifies a statement's grant to one caller.
func grantKey(st *graph.Statement, c policy.Caller) string { return fmt.Sprintf("%p|%s", st, c.Key()) }

// policyGrantKey identifies the grants of a bucket policy to one caller.
func policyGrantKey(pol *graph.Policy, c policy.Caller) string {
	return fmt.Sprintf("policy %p|%s", pol, c.Key())
}

// bucketGrant is the bucket policy Allow that surely matches the request
// and names the caller itself, or the zero Ref.
func bucketGrant(d *policy.Decision, c *policy.Caller) policy.Ref {
	for _, r := range d.Allows {
		if r.Policy.Kind == graph.BucketPolicy && r.Match.T == policy.Yes && r.Statement != nil && !principalEntry(r.Statement, c).IsZero() {
			return r
		}
	}
	return policy.Ref{}
}

// identityPolicies are the identity policies of a principal, its groups'
// included.
func identityPolicies(pr *graph.Principal) []*graph.Policy {
	pols := append([]*graph.Policy{}, pr.Policies...)
	for _, g := range pr.Groups {
		pols = append(pols, g.Policies...)
	}
	return pols
}

// identitySideMissing reports whether a cross-account request is implicitly
// denied only because the caller's side does not allow it: the bucket
// policy allows, the identity step denies, and every place that decided it
// is the principal, its identity policies or its boundary.
func identitySideMissing(d *policy.Decision, pr *graph.Principal) bool {
	if d.Outcome != policy.ImplicitDeny || !xacctOthersQuiet(d) ||
		xacctStatus(d, policy.CheckIdentity) != policy.Denied ||
		xacctStatus(d, policy.CheckBucketPolicy) != policy.Allowed ||
		xacctStatus(d, policy.CheckAccounts) != policy.Denied {
		return false
	}
	places := map[graph.Range]bool{pr.Range: true}
	for _, pol := range identityPolicies(pr) {
		places[pol.DocRange] = true
	}
	if pr.Boundary != nil {
		places[pr.Boundary.DocRange] = true
	}
	return xacctDecidedAt(d, places)
}

// identityAllows reports whether an identity policy statement surely
// matches the request, so that a denied identity step is the permissions
// boundary's doing.
func identityAllows(d *policy.Decision, action string) bool {
	for _, r := range d.Allows {
		if r.Policy.Kind == graph.IdentityPolicy && r.Match.T == policy.Yes && r.Statement != nil && xacctMeansAction(r.Statement, action) {
			return true
		}
	}
	return false
}

// identityMeans reports whether an identity policy Allow of the principal
// names the action and the bucket though it does not match the request.
func identityMeans(pr *graph.Principal, b *graph.Bucket, action string) bool {
	for _, pol := range identityPolicies(pr) {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if !st.Unknown && st.IsAllow() && xacctMeansAction(st, action) && xacctNamesBucket(st, b) {
				return true
			}
		}
	}
	return false
}

// identityReaches reports whether an identity policy Allow of the principal
// names some S3 action on the bucket or its objects.
func identityReaches(pr *graph.Principal, b *graph.Bucket) bool {
	for _, pol := range identityPolicies(pr) {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if !st.Unknown && st.IsAllow() && xacctNamesBucket(st, b) && namesS3Actions(st) {
				return true
			}
		}
	}
	return false
}

// principalEntry is the Principal entry of a statement that names the
// caller, or the zero range.
func principalEntry(st *graph.Statement, c *policy.Caller) graph.Range {
	if st.Principal == nil {
		return graph.Range{}
	}
	for _, e := range st.Principal.Entries {
		for _, v := range e.Values {
			if v.Known() && (v.V == c.ARN || (c.Session != "" && v.V == c.Session)) {
				return v.Range
			}
		}
	}
	return graph.Range{}
}

func identityGrantFinding(g *xacctGroup, boundary bool) Finding {
	c, b, pr := &g.caller, g.bucket, g.caller.Principal
	reqs := make([]policy.Request, 0, len(g.intents))
	for _, in := range g.intents {
		reqs = append(reqs, in.Request)
	}
	acts := xacctActions(reqs)
	name := bucketLabel(b)
	kind := c.Kind.String()
	callerAcct := policy.Display(string(c.Account))
	related := []Related{{Range: pr.Range, Message: fmt.Sprintf("%s %s is declared here, in account %s", kind, c.Label(), callerAcct)}}
	var side, fix string
	switch {
	case boundary:
		bnd := pr.BoundaryARN.V
		if pr.Boundary != nil {
			bnd = pr.Boundary.Address + " (" + pr.Boundary.DocRange.Short() + ")"
			related = append(related, Related{Range: pr.Boundary.DocRange, Message: fmt.Sprintf("permissions boundary %s of %s does not allow %s",
				pr.Boundary.Address, c.Label(), list(acts))})
		}
		side = fmt.Sprintf("the %s's identity policies allow it and its permissions boundary %s does not", kind, bnd)
		fix = fmt.Sprintf("add %s to the permissions boundary of %s", xacctGrants(reqs), c.Label())
	default:
		var pols []string
		for _, pol := range identityPolicies(pr) {
			if pol.DocRange.IsZero() {
				continue
			}
			pols = append(pols, pol.Address+", "+pol.DocRange.Short())
			related = append(related, Related{Range: pol.DocRange, Message: fmt.Sprintf("identity policy %s of %s allows none of %s on bucket %s",
				pol.Address, c.Label(), list(acts), name)})
		}
		if len(pols) == 0 {
			side = "the " + kind + " has no identity policy in the configuration"
		} else {
			side = "no identity policy of the " + kind + " allows it (" + strings.Join(pols, "; ") + ")"
		}
		fix = fmt.Sprintf("allow %s in an identity policy of %s (in account %s)", xacctGrants(reqs), c.Label(), callerAcct)
	}
	verb := "gets"
	if len(acts) > 1 {
		verb = "get"
	}
	msg := fmt.Sprintf("this grant of %s %s (bucket %s, account %s) names %s %s of account %s (%s) for %s, but %s: "+
		"across accounts the bucket policy's grant is not enough and the caller's own policies must allow too, so %s %s 403 Access Denied; %s",
		g.pol.Kind, g.pol.Address, name, policy.Display(string(b.Account)), kind, c.Label(), callerAcct, pr.Range.Short(), list(acts),
		side, list(acts), verb, fix)
	return Finding{Range: principalEntry(g.st, c), Resource: g.pol.Address, Message: msg, Related: related}
}
