package rules

import (
	"fmt"
	"slices"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L044 finds Requester Pays buckets that grant everyone access: S3
// serves such a bucket only to signed requests, whose account it charges.
var S3L044 = &Def{
	M: Meta{
		ID:        "S3L044",
		Name:      "requester-pays-anonymous",
		Title:     "anonymous access granted on a Requester Pays bucket",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"public", "requester-pays", "bucket-policy", "acl"},
		Doc: `A Requester Pays bucket charges each request and download to the account of whoever makes it, so
S3 must know that account: it refuses every anonymous (unsigned) request to the bucket with 403
Access Denied, whatever the bucket policy or the ACLs allow. Making a bucket Requester Pays
therefore takes away the public access it grants — a public dataset, a download bucket, a
bucket behind a website or a CDN that fetches anonymously — and granting everyone access on a
Requester Pays bucket grants nothing.

The rule reports a bucket whose payer is known to be Requester (` + "`aws_s3_bucket_request_payment_configuration`" + `
with ` + "`payer = \"Requester\"`" + `, or the ` + "`request_payer`" + ` argument of older providers) when a statement of its bucket
policy allows everyone (` + "`Principal: \"*\"`" + ` or ` + "`{\"AWS\": \"*\"}`" + `) s3:GetObject on its objects or
s3:ListBucket on the bucket, with no condition or only conditions that unsigned requests meet
(aws:Referer, aws:UserAgent, aws:SecureTransport), and nothing else would refuse that anonymous
request anyway (Block Public Access, a Deny; those are S3L040, S3L041 and S3L060's). It also reports
a public-read or public-read-write ACL of the bucket where ACLs take effect. It points at the
payer, with the public statements or the ACL as related locations. Signed requests still work,
from the bucket owner's account as before and from other accounts when they accept the charges
(` + "`x-amz-request-payer: requester`" + `, ` + "`--request-payer requester`" + `), which the configuration cannot show:
the rule says nothing about them.

It stays silent when the payer is not known, when the public statement has other conditions
(aws:SourceIp, aws:PrincipalOrgID …: its callers may sign), and for grants to AWS services. CloudFormation
has no Requester Pays property, so only Terraform configurations and plans are checked. A
static website endpoint serves only anonymous requests, so a Requester Pays bucket's website
answers 403 as well; website configurations are not read, and the rule reports the public
statement such a site needs.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_request_payment_configuration" "dataset" {
  bucket = aws_s3_bucket.dataset.id
  payer  = "Requester"          # the policy below lets everyone read
}
` + "```" + `

Good: keep the bucket owner paying for a public dataset, or remove the public grant and share
the data with the accounts that pay.`,
	},
	Run: runS3L044,
}

func runS3L044(p *Pass) error {
	e := p.Engine()
	for _, b := range p.Graph.Buckets {
		if pays, known := b.RequesterPays(); !pays || !known {
			continue
		}
		arn := policy.BucketARNOf(b)
		ask := func(st *graph.Statement) (string, string) {
			if !anonymousAllow(st) {
				return "", ""
			}
			if statementNames(st, "s3:GetObject") {
				if object := objectARNIn(st, arn); object != "" {
					return "s3:GetObject", object
				}
			}
			if statementNames(st, "s3:ListBucket") && bucketARNIn(st, arn) {
				return "s3:ListBucket", arn
			}
			return "", ""
		}
		var related []Related
		r := publicReadersOf(e, b, ask, unpaidRefuses)
		for _, st := range r.statements {
			related = append(related, Related{Range: bpaPublicAt(st), Message: "this statement grants everyone access"})
		}
		grants := len(r.statements) > 0
		for _, acl := range b.ACLs {
			if !acl.Canned.Known() || acl.Canned.V != "public-read" && acl.Canned.V != "public-read-write" {
				continue
			}
			req := policy.Request{Caller: policy.Caller{Kind: policy.CallerAnonymous}, Action: "s3:ListBucket", Resource: arn}
			if d := e.Decide(req); unpaidRefuses(d) && aclAllows(d) {
				related = append(related, Related{Range: acl.Canned.Range, Message: "this ACL (" + acl.Canned.V + ") grants everyone access"})
				grants = true
				r.always = true
			}
		}
		if !grants {
			continue
		}
		rp := b.RequestPayment
		p.Report(r.qualify(Finding{
			Range:    rp.Payer.Range,
			Resource: rp.Address,
			Message: fmt.Sprintf("bucket %s is a Requester Pays bucket, but it grants everyone access: S3 refuses every anonymous request to a "+
				"Requester Pays bucket with 403 Access Denied, since it has no account to charge, so the public grant gives nothing; "+
				"set the payer back to BucketOwner to keep the bucket public, or drop the public grant and let callers sign their "+
				"requests with x-amz-request-payer: requester",
				bucketWhere(b)),
			Related: related,
		}))
	}
	return nil
}

// unpaidRefuses reports whether the engine refuses an anonymous request for
// want of a payer only: its caller step denies, Block Public Access
// certainly lets the public grant work, and no Deny surely matches.
func unpaidRefuses(d policy.Decision) bool {
	if s := d.Step(policy.CheckCaller); s == nil || s.Status != policy.Denied {
		return false
	}
	if s := d.Step(policy.CheckBPA); s != nil && (s.Status == policy.Denied || s.Status == policy.Undecided) {
		return false
	}
	return !slices.ContainsFunc(d.Denies, func(r policy.Ref) bool { return r.Match.T == policy.Yes })
}

// aclAllows reports whether the engine finds the bucket's ACL step to
// allow the request.
func aclAllows(d policy.Decision) bool {
	s := d.Step(policy.CheckACL)
	return s != nil && s.Status == policy.Allowed
}

// bucketARNIn reports whether a statement's known Resource names the
// bucket itself.
func bucketARNIn(st *graph.Statement, bucketARN string) bool {
	res, ok := knownResources(st)
	return ok && slices.ContainsFunc(res, func(r graph.String) bool { return policy.MatchResource(r.V, bucketARN) })
}
