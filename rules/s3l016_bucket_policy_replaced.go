package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// S3L016 finds buckets whose bucket policy is set by more than one
// resource: S3 keeps one, and the access the others grant is lost.
var S3L016 = &Def{
	M: Meta{
		ID:        "S3L016",
		Name:      "bucket-policy-replaced",
		Title:     "bucket policy set by more than one resource",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "very-high",
		Tags:      []string{"bucket-policy"},
		Doc: `A bucket has one bucket policy. Each resource that sets it (an aws_s3_bucket_policy, the policy
argument of an aws_s3_bucket, an AWS::S3::BucketPolicy) replaces the whole policy with its own
document, so when two resources set the policy of one bucket, the one applied last wins and the
other's statements are gone: whatever only they allow gets 403 Access Denied, and whatever only
they deny is let through. Terraform applies the two in either order (in parallel when neither
depends on the other) and shows a change on every plan afterwards, as each finds the other's
document in place. For a CloudFormation stack, whether creating the second fails (the bucket
already has a policy) or replaces the first is not something this rule relies on: either way the
two are never in place together. The usual cause is a second team or module adding "its"
statement with a policy resource of its own.

The rule reports every resource after the first that sets the policy of a bucket, with the others
as related locations; only resources of the bucket's own configuration (Terraform root module,
template) count, since whether two configurations that name one bucket are both deployed is not
theirs to say. Alternatives of one resource (a template's Fn::If choosing between
documents) are one resource, and a bucket is left alone when one of its policy resources may not
exist — behind a count or for_each whose value is not known before apply, or under a template
Condition not decided before deployment —, since two such resources are often alternatives
(count = var.public ? 1 : 0 beside count = var.public ? 0 : 1; Condition: IsProd beside
Condition: IsDev). When the other policy's bucket is not known before deployment, it is
not reported. While two resources fight over one policy, the other rules do not guess which one
is in place: a request that one allows and the other does not is undecided for them.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "readers" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.readers.json
}

resource "aws_s3_bucket_policy" "tls_only" {
  bucket = aws_s3_bucket.data.id          # replaces the readers' policy, or is replaced by it
  policy = data.aws_iam_policy_document.tls_only.json
}
` + "```" + `

Good:

` + "```hcl" + `
data "aws_iam_policy_document" "data" {
  source_policy_documents = [
    data.aws_iam_policy_document.readers.json,
    data.aws_iam_policy_document.tls_only.json,
  ]
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.data.json
}
` + "```" + `

Fix: merge the documents into one policy for the bucket — in Terraform with
source_policy_documents of an aws_iam_policy_document, in CloudFormation by moving the
statements into one AWS::S3::BucketPolicy — and remove the other resources.`,
	},
	Run: runS3L016,
}

func runS3L016(p *Pass) error {
	for _, b := range p.Graph.Buckets {
		var setters []*graph.Policy
		undecided := false
		for _, group := range b.PolicyResources() {
			pol := group[0]
			if pol.Root != b.Root {
				// Another configuration that names the bucket: whether
				// both are deployed is not the configuration's to say.
				continue
			}
			setters = append(setters, pol)
			undecided = undecided || pol.Undecided()
		}
		if len(setters) < 2 || undecided {
			// A resource behind a count or for_each not known before
			// apply may not exist: two such resources are often
			// alternatives (count = var.public ? 1 : 0, and ? 0 : 1).
			continue
		}
		for i, pol := range setters[1:] {
			var others []string
			var related []Related
			for j, o := range setters {
				if j == i+1 {
					continue
				}
				others = append(others, o.Address)
				related = append(related, Related{Range: policyPlace(o), Message: "bucket policy " + o.Address + " of the same bucket"})
			}
			how := "each resource replaces it whole, and the one applied last wins"
			if pol.Format == graph.CloudFormation {
				how = "the stack cannot put both in place (creating the second either fails or replaces the first)"
			}
			p.Report(Finding{
				Range:    policyPlace(pol),
				Resource: pol.Address,
				Message: fmt.Sprintf("%s sets the bucket policy of %s, and so does %s: a bucket has one policy, %s, "+
					"so the access only the other grants gets 403 Access Denied (and what only the other denies is let "+
					"through); merge the statements into one policy for the bucket", pol.Address, bucketLabel(b), strings.Join(others, " and "), how),
				Related: related,
			})
		}
	}
	return nil
}

// policyPlace is where a policy names its bucket, or else where its
// document is.
func policyPlace(pol *graph.Policy) graph.Range {
	if r := pol.BucketRef.Range; !r.IsZero() {
		return r
	}
	return pol.DocRange
}
