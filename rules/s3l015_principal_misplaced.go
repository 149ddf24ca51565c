package rules

import (
	"fmt"

	"github.com/s3lint/s3lint/graph"
)

// S3L015 finds statements whose Principal element the policy's kind
// forbids or requires: S3 or IAM refuses the whole policy.
var S3L015 = &Def{
	M: Meta{
		ID:        "S3L015",
		Name:      "principal-misplaced",
		Title:     "bucket policy statement without a valid Principal, or identity policy statement with one",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "very-high",
		Tags:      []string{"bucket-policy", "iam"},
		Doc: `A bucket policy is a resource policy: each of its statements must say whom it applies to, with
Principal or NotPrincipal. S3 refuses a bucket policy with a statement that has neither
("MalformedPolicy: Missing required field Principal"). An identity policy is the opposite: it
applies to the user, group or role it is attached to, and IAM refuses one whose statement names a
Principal or NotPrincipal ("MalformedPolicyDocument: Policy document should not specify a
principal"). Either way the apply fails, and whatever access the policy was meant to grant (or
deny) is never in place: the calls it was written for keep getting 403 Access Denied, or keep
succeeding where a Deny was meant to stop them. Statements moved between a role's policy and a
bucket's policy are the usual cause.

The rule reports a statement of a bucket policy (aws_s3_bucket_policy, AWS::S3::BucketPolicy, a
plan's bucket policy) that has neither Principal nor NotPrincipal, and the Principal or
NotPrincipal of a statement of an identity policy (inline or managed, of a user, group or role).
It also reports a bucket policy's Principal or NotPrincipal written as something other than "*" or
an object — a list of ARNs, or one ARN as a string — which S3 rejects as well (MalformedPolicy).
A Principal whose value cannot be known before deployment still counts as present. Other kinds
of policy (access point, VPC endpoint, key and trust policies) and stand-alone policy documents,
whose kind the scan cannot know, are left alone.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"                        # no Principal: S3 rejects the policy
      Action   = "s3:GetObject"
      Resource = "${aws_s3_bucket.site.arn}/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
      Principal = { AWS = aws_iam_role.reader.arn }
` + "```" + `

Fix: in a bucket policy, name the principals the statement is for; in an identity policy, drop
the Principal (the policy already applies to whoever it is attached to), or move the statement to
the bucket's policy if it was meant to grant other accounts access.`,
	},
	Run: runS3L015,
}

func runS3L015(p *Pass) error {
	kinds := func(k graph.PolicyKind) bool { return k == graph.BucketPolicy || k == graph.IdentityPolicy }
	eachStatement(p.Graph, kinds, func(pol *graph.Policy, st *graph.Statement) {
		switch pol.Kind {
		case graph.BucketPolicy:
			for _, spec := range principalElements(st) {
				if spec.el == nil || spec.el.Invalid == "" {
					continue
				}
				p.Report(Finding{
					Range:    spec.el.Range,
					Resource: pol.Address,
					Message: fmt.Sprintf("this %s is %s, but it must be \"*\" or an object such as {\"AWS\": [ARN, …]}: "+
						"S3 rejects the bucket policy (MalformedPolicy) and the apply fails; write the principals under their type, "+
						"for example {\"AWS\": [\"arn:aws:iam::111122223333:root\"]} or {\"Service\": \"logging.s3.amazonaws.com\"}",
						spec.name, spec.el.Invalid),
				})
			}
			if st.Principal != nil || st.NotPrincipal != nil {
				return
			}
			p.Report(Finding{
				Range:    st.Range,
				Resource: pol.Address,
				Message: "this bucket policy statement names no Principal: every statement of a bucket policy must say " +
					"whom it applies to, so S3 rejects the policy (MalformedPolicy: Missing required field Principal) " +
					"and the apply fails; add a Principal, or move the statement to the identity policy of the " +
					"user or role it was meant for",
			})
		case graph.IdentityPolicy:
			for _, spec := range principalElements(st) {
				if spec.el == nil {
					continue
				}
				p.Report(Finding{
					Range:    spec.el.Range,
					Resource: pol.Address,
					Message: "an identity policy statement cannot name a " + spec.name + ": the policy applies to the " +
						"user, group or role it is attached to, so IAM rejects it (MalformedPolicyDocument: Policy " +
						"document should not specify a principal) and the apply fails; remove the " + spec.name +
						", or move the statement to the bucket's policy if it was meant for other principals",
				})
			}
		}
	})
	return nil
}

// principalElement is a statement's Principal or NotPrincipal (el is nil
// when the statement has none), with its name.
type principalElement struct {
	el   *graph.PrincipalSpec
	name string
}

func principalElements(st *graph.Statement) []principalElement {
	return []principalElement{{st.Principal, "Principal"}, {st.NotPrincipal, "NotPrincipal"}}
}
