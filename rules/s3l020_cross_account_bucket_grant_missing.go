package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L020 finds identity policies that grant access to a bucket of another
// account whose bucket policy does not let that access in.
var S3L020 = &Def{
	M: Meta{
		ID:        "S3L020",
		Name:      "cross-account-bucket-grant-missing",
		Title:     "identity policy grants a bucket of another account that does not allow it",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"iam", "bucket-policy", "cross-account"},
		Doc: `Within one account an Allow in the caller's identity policy is enough. Across accounts it is
not: AWS evaluates the request once for the caller's account and once for the bucket owner's,
and **both** must allow. A role or user in account A whose identity policy grants s3:GetObject on
a bucket owned by account B still gets 403 Access Denied until B's bucket policy (or, for
bucket-level actions, its ACL) allows A's role or user, or the whole account A. With object
ownership BucketOwnerEnforced — the default since April 2023 — the bucket policy is the only
way in.

The rule reports the identity grant (its Action entry) when a role or user of the configuration
is in one account, the bucket in another, and both accounts are known: a provider with
` + "`allowed_account_ids`" + ` naming one account or an ` + "`assume_role`" + ` ARN, or literal ARNs. It asks the
engine about each request the identity policy means to grant and reports those that are denied
only because the bucket side does not allow them: the identity policies (and any permissions
boundary) allow, no Deny matches, and nothing else — Block Public Access, the KMS key, a VPC
endpoint policy, MFA delete — takes part in the denial. An identity policy that allows every S3
action ("s3:*", "*") on a bucket whose policy lets the caller in for some is left alone: the
bucket's owner chose which, and the rest of the broad grant is not a need. The message names both
sides with their file and line, and points at the bucket policy (or at the bucket, when it has
none).

Bad:

` + "```hcl" + `
provider "aws" {
  allowed_account_ids = ["111111111111"]          # the application account
}

provider "aws" {
  alias               = "data"
  allowed_account_ids = ["222222222222"]          # the data account
}

resource "aws_s3_bucket" "data" {
  provider = aws.data
  bucket   = "acme-data"                          # no bucket policy
}

resource "aws_iam_role_policy" "reader" {
  role = aws_iam_role.reader.id                   # a role in 111111111111
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"                    # 403: acme-data does not let 111111111111 in
      Resource = "${aws_s3_bucket.data.arn}/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "data" {
  provider = aws.data
  bucket   = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.reader.arn } # or "arn:aws:iam::111111111111:root"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.data.arn}/*"
    }]
  })
}
` + "```" + `

Fix: add a statement to the bucket policy of the bucket's account that allows the role's (or
user's) ARN — or the whole account, which then delegates to its IAM policies — the actions on the
resources the identity policy names.

The rule stays silent when it cannot know that the two accounts differ: a provider without
` + "`allowed_account_ids`" + ` or ` + "`assume_role`" + `, an account from a variable without a value. A
CloudFormation template never says which account it is deployed to (` + "`AWS::AccountId`" + ` is a
symbol), so in templates the rule never reports: the roles and buckets a template defines have no
known account. It stays silent too when the decision is unknown (a condition, a managed policy
outside the configuration, a template condition), when a Deny decides it (S3L060), when the
bucket policy is rejected or restricted by Block Public Access (S3L040, S3L041), when the bucket's
KMS key or a VPC endpoint policy also denies the request (S3L080, S3L081, S3L070, S3L022), and when
a bucket policy statement names the caller (or its account), the action and the bucket but does
not match the request — a grant on the bucket ARN for object actions (S3L010) or the reverse
(S3L011), an action name that does not exist (S3L013), another prefix or a condition: the grant
is there, and it is that mismatch to fix. Grants of the bucket's own account need no bucket
policy and are never reported, and neither are identity grants that name buckets only through a
wildcard in the bucket name (` + "`arn:aws:s3:::acme-*/*`" + `): they are meant for many buckets, perhaps
only those of the caller's own account.`,
	},
	Run: runS3L020,
}

// xacctGroup is what one identity statement means to grant one caller on
// one bucket of another account and is denied.
type xacctGroup struct {
	caller  policy.Caller
	bucket  *graph.Bucket
	pol     *graph.Policy
	st      *graph.Statement
	intents []*policy.Intent
}

func runS3L020(p *Pass) error {
	e := p.Engine()
	var groups []*xacctGroup
	idx := map[string]*xacctGroup{}
	intents := e.Intents()
	for i := range intents {
		in := &intents[i]
		c, b := in.Request.Caller, in.Bucket
		if b == nil || in.Policy == nil || in.Policy.Kind != graph.IdentityPolicy || c.Principal == nil ||
			(c.Kind != policy.CallerRole && c.Kind != policy.CallerUser) || !xacctForeign(c.Account, b.Account) ||
			!xacctNamesBucketByName(in.Statement, b) {
			continue
		}
		d := e.Decide(xacctRequest(in))
		if !bucketSideMissing(&d, b) || bucketMeans(b, &c, in.Request.Action) {
			continue
		}
		if grantsEverything(in.Statement) && bucketReaches(b, &c) {
			// Every S3 action in the caller's own policy, and a bucket
			// policy that lets it in for some: the bucket owner chose
			// which, and the rest of the broad grant is not meant.
			continue
		}
		k := fmt.Sprintf("%p|%p|%s", in.Statement, b, c.Key())
		g := idx[k]
		if g == nil {
			g = &xacctGroup{caller: c, bucket: b, pol: in.Policy, st: in.Statement}
			idx[k] = g
			groups = append(groups, g)
		}
		g.intents = append(g.intents, in)
	}
	for _, g := range groups {
		p.Report(bucketGrantFinding(g))
	}
	return nil
}

// bucketSideMissing reports whether a cross-account request is implicitly
// denied only because the bucket side does not allow it: the identity side
// allows, the bucket policy and ACL grant nothing, and every place that
// decided it is the bucket or its policies.
func bucketSideMissing(d *policy.Decision, b *graph.Bucket) bool {
	if d.Outcome != policy.ImplicitDeny || !xacctOthersQuiet(d) ||
		xacctStatus(d, policy.CheckIdentity) != policy.Allowed ||
		xacctStatus(d, policy.CheckBucketPolicy) != policy.NotInvolved ||
		xacctStatus(d, policy.CheckACL) != policy.NotInvolved ||
		xacctStatus(d, policy.CheckAccounts) != policy.Denied {
		return false
	}
	places := map[graph.Range]bool{b.Range: true}
	for _, pol := range b.Policies {
		places[pol.DocRange] = true
	}
	return xacctDecidedAt(d, places)
}

// bucketMeans reports whether a bucket policy Allow names the caller (or
// its account, or everyone), the action and the bucket, though the engine
// finds that it does not match the request: the grant is there, and the
// mismatch is for other rules (S3L010, S3L011, S3L013) or deliberate (a
// prefix, a condition).
func bucketMeans(b *graph.Bucket, c *policy.Caller, action string) bool {
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if st.Unknown || !st.IsAllow() {
				continue
			}
			if xacctNamesCaller(st.Principal, c) && xacctMeansAction(st, action) && xacctNamesBucket(st, b) {
				return true
			}
		}
	}
	return false
}

// bucketReaches reports whether a bucket policy Allow names the caller (or
// its account, or everyone) and some S3 action on the bucket or its
// objects.
func bucketReaches(b *graph.Bucket, c *policy.Caller) bool {
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if !st.Unknown && st.IsAllow() && xacctNamesCaller(st.Principal, c) && xacctNamesBucket(st, b) && namesS3Actions(st) {
				return true
			}
		}
	}
	return false
}

func bucketGrantFinding(g *xacctGroup) Finding {
	c, b := &g.caller, g.bucket
	reqs := make([]policy.Request, 0, len(g.intents))
	for _, in := range g.intents {
		reqs = append(reqs, in.Request)
	}
	acts := xacctActions(reqs)
	name := bucketLabel(b)
	owner := policy.Display(string(b.Account))
	callerAcct := policy.Display(string(c.Account))
	var side string
	var related []Related
	if len(b.Policies) == 0 && len(b.MaybePolicies) == 0 {
		side = "it has no bucket policy, which lets no other account in"
		related = append(related, Related{Range: b.Range, Message: fmt.Sprintf("bucket %s (account %s) has no bucket policy: nothing lets %s of account %s in",
			name, owner, c.Label(), callerAcct)})
	} else {
		var pols []string
		for _, pol := range b.Policies {
			pols = append(pols, pol.Address+" ("+pol.DocRange.Short()+")")
			related = append(related, Related{Range: pol.DocRange, Message: fmt.Sprintf("bucket policy %s of %s (account %s) allows neither %s nor account %s %s",
				pol.Address, name, owner, c.Label(), callerAcct, list(acts))})
		}
		for _, pol := range b.MaybePolicies {
			pols = append(pols, pol.Address+" ("+pol.DocRange.Short()+", whose bucket is not known before deployment)")
			related = append(related, Related{Range: pol.DocRange, Message: fmt.Sprintf("bucket policy %s, which may be that of %s (its bucket is not known before deployment), allows neither %s nor account %s %s",
				pol.Address, name, c.Label(), callerAcct, list(acts))})
		}
		side = "its bucket policy " + strings.Join(pols, " and ") + " allows neither the " + c.Kind.String() + " nor account " + callerAcct
	}
	verb := "gets"
	if len(acts) > 1 {
		verb = "get"
	}
	msg := fmt.Sprintf("%s is granted %s on bucket %s by this %s %s, but the bucket is in account %s (%s) and %s: "+
		"across accounts both the caller's identity policy and the bucket's policy must allow, so %s %s 403 Access Denied; "+
		"add a statement to the bucket policy of %s that allows %s (or the whole account %s) %s",
		xacctWho(c), list(acts), name, g.pol.Kind, g.pol.Address, owner, xacctBucketAt(b), side,
		list(acts), verb, name, callerARNText(c), callerAcct, xacctGrants(reqs))
	return Finding{
		Range:    xacctItemRange(g.st, g.intents),
		Resource: g.pol.Address,
		Message:  msg,
		Related:  related,
	}
}

// callerARNText names the caller's ARN for a statement to write: the ARN,
// or, for a Terraform role or user named at apply (whose ARN holds a
// symbol), the reference that renders it (aws_iam_role.writer.arn).
func callerARNText(c *policy.Caller) string {
	if graph.HasSymbol(c.ARN) && c.Principal != nil && c.Principal.Format == graph.Terraform && strings.Contains(c.ARN, "<name of ") &&
		!strings.HasPrefix(c.Principal.Address, "module.") {
		// A root-module resource can be referred to from the root
		// module; one in a module only through that module's outputs.
		return c.Principal.Address + ".arn"
	}
	return policy.Display(c.ARN)
}
