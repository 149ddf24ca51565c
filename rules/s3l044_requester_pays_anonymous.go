package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L044 finds Requester Pays buckets that grant everyone access: S3
// serves such a bucket only to signed requests, whose account it charges.
var S3L044 = &Def{
	M: Meta{
		ID:        "S3L044",
		Name:      "requester-pays-anonymous",
		Title:     "requester pays bucket serving anonymous clients",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"public", "requester-pays", "website", "bucket-policy"},
		Doc: `A Requester Pays bucket charges each request and download to the account of whoever makes it, so
S3 serves it only to signed requests: every anonymous (unsigned) request gets 403 Access Denied,
whatever the bucket policy or the ACLs allow. A grant to everyone (` + "`Principal: \"*\"`" + `) keeps
its use there — signed requests from any AWS account that accepts the charges
(` + "`x-amz-request-payer: requester`" + `, ` + "`--request-payer requester`" + `) get through it, which is how
open datasets are shared — so such a grant alone is not reported. What cannot work is what only
anonymous clients use:

- a **static website** (` + "`aws_s3_bucket_website_configuration`" + ` or the ` + "`website`" + ` block): the
  website endpoint serves anonymous requests only, so on a Requester Pays bucket every page gets
  403; reported when the bucket policy lets everyone read the objects, which shows the site is
  meant to be public;
- a bucket policy statement that lets everyone read only with an ` + "`aws:Referer`" + ` or
  ` + "`aws:UserAgent`" + ` condition: the usual way to serve a site's pages or images to browsers, which
  send unsigned requests.

The rule reports the payer (` + "`aws_s3_bucket_request_payment_configuration`" + ` with
` + "`payer = \"Requester\"`" + `, or the ` + "`request_payer`" + ` argument of older providers) when the engine finds
the anonymous read refused for want of a payer alone — Block Public Access lets the grant work and
no Deny may refuse it anyway — with the website configuration and the statements as related
locations. It stays silent when the payer is not known. A CloudFront origin without origin
access control on such a bucket, whose requests are anonymous too, is S3L033's. CloudFormation has
no Requester Pays property, so only Terraform configurations and plans are checked.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_request_payment_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  payer  = "Requester"          # the bucket serves a public website
}
` + "```" + `

Good: keep the bucket owner paying for a public website, or serve the site from another bucket.`,
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
		read := func(st *graph.Statement) (string, string) {
			if !anonymousRead(st) {
				return "", ""
			}
			return "s3:GetObject", objectARNIn(st, arn)
		}
		browsers := func(st *graph.Statement) (string, string) {
			if !slices.ContainsFunc(st.Conditions, browserCondition) {
				return "", ""
			}
			return read(st)
		}
		var r publicReaders
		what := ""
		if b.Website != nil {
			r, what = publicReadersOf(e, b, read, unpaidRefuses), "website"
		}
		if len(r.statements) == 0 {
			r, what = publicReadersOf(e, b, browsers, unpaidRefuses), "browsers"
		}
		if len(r.statements) == 0 {
			continue
		}
		var related []Related
		if what == "website" {
			related = append(related, Related{Range: b.Website.Range, Message: "the website configuration of " + b.Address})
		}
		for _, st := range r.statements {
			related = append(related, Related{Range: bpaPublicAt(st), Message: "this statement lets everyone read objects"})
		}
		use := "it serves a static website, whose endpoint makes only anonymous requests, and its bucket policy lets everyone read the pages"
		if what == "browsers" {
			use = "its bucket policy lets everyone read objects only with an aws:Referer or aws:UserAgent condition, which is for browsers, and browsers send unsigned requests"
		}
		rp := b.RequestPayment
		p.Report(r.qualify(Finding{
			Range:    rp.Payer.Range,
			Resource: rp.Address,
			Message: fmt.Sprintf("bucket %s is a Requester Pays bucket, but %s: S3 refuses every anonymous request to a Requester Pays "+
				"bucket with 403 Access Denied, as it has no account to charge (signed requests that accept the charges still work); "+
				"set the payer back to BucketOwner to serve anonymous clients, or serve them from a bucket whose owner pays",
				bucketWhere(b), use),
			Related: related,
		}))
	}
	return nil
}

// browserCondition reports whether a condition tests what browsers send
// (the page that links, the browser's name): a grant for anonymous
// clients.
func browserCondition(c graph.Condition) bool {
	k := strings.ToLower(c.Key.V)
	return c.Key.Known() && (k == "aws:referer" || k == "aws:useragent")
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
	// A Deny that may match (one on aws:SourceVpce or aws:SourceIp) tells
	// callers who may sign.
	return !slices.ContainsFunc(d.Denies, func(r policy.Ref) bool { return r.Match.T != policy.No })
}
