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
		Title:     "requester pays bucket serving anonymous clients or log delivery",
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

- a **static website** (` + "`aws_s3_bucket_website_configuration`" + ` or the ` + "`website`" + ` block): S3's
  website endpoints accept no request to a Requester Pays bucket, so every page gets 403,
  whatever the policies say;
- a bucket policy statement that lets everyone read only with an ` + "`aws:Referer`" + ` condition:
  the usual way to serve a site's pages or images to browsers, which send unsigned requests (an
  ` + "`aws:UserAgent`" + ` condition is not taken for one: the AWS CLI and SDKs, which sign, send one too);
- **S3 server access logging** into the bucket: AWS does not support a Requester Pays bucket as
  the target of server access logs (a Requester Pays bucket may log into a bucket whose owner
  pays). Reported at the target bucket argument of the logging configuration.

The rule reports the payer (` + "`aws_s3_bucket_request_payment_configuration`" + ` with
` + "`payer = \"Requester\"`" + `, or the ` + "`request_payer`" + ` argument of older providers), with the website
configuration or the statements as related locations; for the statements, when the engine finds
the anonymous read refused for want of a payer alone (Block Public Access lets the grant work and
no Deny surely refuses it anyway). It stays silent when the payer is not known. A CloudFront origin without origin
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
	for _, d := range p.Graph.Deliveries {
		if d.Kind != graph.ServerAccessLogs || d.Bucket == nil {
			continue
		}
		if pays, known := d.Bucket.RequesterPays(); pays && known {
			p.Report(Finding{
				Range:    d.BucketRef.Range,
				Resource: d.Address,
				Message: fmt.Sprintf("%s are written to %s, a Requester Pays bucket: AWS does not support a Requester Pays bucket as "+
					"the target of server access logging, whose delivery pays for nothing; log into a bucket whose owner pays, or set "+
					"the payer of %s back to BucketOwner", d.What, d.Bucket.Address, d.Bucket.Address),
				Related: []Related{{Range: d.Bucket.RequestPayment.Payer.Range, Message: "Requester Pays of " + d.Bucket.Address}},
			})
		}
	}
	for _, b := range p.Graph.Buckets {
		if pays, known := b.RequesterPays(); !pays || !known {
			continue
		}
		rp := b.RequestPayment
		if b.Website != nil {
			// S3's website endpoints serve no Requester Pays bucket,
			// whatever its policies say.
			p.Report(Finding{
				Range:    rp.Payer.Range,
				Resource: rp.Address,
				Message: fmt.Sprintf("bucket %s is a Requester Pays bucket, but it serves a static website: S3's website endpoints accept "+
					"no request to a Requester Pays bucket, so every page gets 403 Access Denied; set the payer back to BucketOwner, "+
					"or serve the site from a bucket whose owner pays", bucketWhere(b)),
				Related: []Related{{Range: b.Website.Range, Message: "the website configuration of " + b.Address}},
			})
			continue
		}
		arn := policy.BucketARNOf(b)
		browsers := func(st *graph.Statement) string {
			if !slices.ContainsFunc(st.Conditions, browserCondition) {
				return ""
			}
			return objectARNIn(st, arn)
		}
		r := publicReadersOf(e, b, browsers, unpaidRefuses)
		if len(r.statements) == 0 {
			continue
		}
		var related []Related
		for _, st := range r.statements {
			related = append(related, Related{Range: bpaPublicAt(st), Message: "this statement lets browsers read objects"})
		}
		p.Report(r.qualify(Finding{
			Range:    rp.Payer.Range,
			Resource: rp.Address,
			Message: fmt.Sprintf("bucket %s is a Requester Pays bucket, but its bucket policy lets everyone read objects only with an "+
				"aws:Referer condition, which is for browsers, and browsers send unsigned requests: S3 refuses every "+
				"anonymous request to a Requester Pays bucket with 403 Access Denied, as it has no account to charge (signed requests "+
				"that accept the charges still work); set the payer back to BucketOwner to serve browsers, or serve them from a bucket "+
				"whose owner pays", bucketWhere(b)),
			Related: related,
		}))
	}
	return nil
}

// browserCondition reports whether a condition tests the page that links to
// the object (aws:Referer): a grant for browsers, whose requests are not
// signed. aws:UserAgent is not one: the AWS CLI and SDKs, which sign,
// send one too.
func browserCondition(c graph.Condition) bool {
	return c.Key.Known() && strings.EqualFold(c.Key.V, "aws:Referer")
}

// unpaidRefuses reports whether the engine finds the want of a payer to be
// what refuses an anonymous request (the caller step).
func unpaidRefuses(d policy.Decision) bool { return anonymousRefusedAt(d, policy.CheckCaller) }
