package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/policy"
)

// S3L091 finds roles and users that may read objects of a bucket but not
// list it, so that a missing key answers 403 instead of 404.
var S3L091 = &Def{
	M: Meta{
		ID:        "S3L091",
		Name:      "get-without-list",
		Title:     "principal may read objects but not list the bucket, so missing keys return 403",
		Severity:  Note,
		Since:     "0.1.0",
		Default:   true,
		Precision: "medium",
		Tags:      []string{"iam", "bucket-policy"},
		Doc: `S3 hides whether a key exists from callers that may not list the bucket. GetObject and
HeadObject on a key that does not exist return 404 Not Found (NoSuchKey) only when the caller has
s3:ListBucket on the bucket; without it they return 403 Access Denied. Code that checks whether
an object exists (HeadObject, "download if present", Terraform's aws_s3_object data source, a
cache lookup) then sees a permissions error instead of "not found", and the 403 sends people
looking for a policy problem that does not exist.

The rule reports a role or user of the configuration once per bucket, at the grant of
s3:GetObject, when the engine decides that this grant is allowed and that s3:ListBucket on the
bucket is denied: no policy names it for the principal, or the policy that does is denied (a Deny,
a boundary, Block Public Access). It is a note: reading without listing is a sound least-privilege
design when the code never asks for keys that may be missing.

Bad:

` + "```hcl" + `
data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObject"]                  # a missing key gives 403
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
}
` + "```" + `

Good:

` + "```hcl" + `
data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
  }
}
` + "```" + `

Fix: allow s3:ListBucket on the bucket ARN (arn:aws:s3:::BUCKET, not BUCKET/*); a condition on
s3:prefix can limit it to the prefixes the principal reads. If a 403 for missing keys is
acceptable, ignore the note.

The rule stays silent for anonymous callers and AWS services (a public website is rightly
readable and not listable), when either decision is unknown (a condition on s3:prefix, a managed
policy outside the configuration), and when the principal's s3:ListBucket grant names only
object ARNs: S3L011 reports that. Its counterpart for listing without reading is S3L090.`,
	},
	Run: runS3L091,
}

func runS3L091(p *Pass) error {
	e := p.Engine()
	for _, g := range principalIntents(p) {
		var get *policy.Intent
		for _, in := range g.intents {
			if strings.EqualFold(in.Request.Action, "s3:GetObject") && e.IntentOutcome(in) == policy.Allow {
				get = in
				break
			}
		}
		if get == nil {
			continue
		}
		arn := policy.BucketARNOf(g.bucket)
		list := g.first("s3:ListBucket")
		var d policy.Decision
		if list != nil {
			res, ok := knownResources(list.Statement)
			if !ok || !indexResources(res).mayMatch(arn, policy.KindBucket, p.bucketNames()) {
				// Granted on object ARNs only: S3L011's.
				continue
			}
			if !e.IntentOutcome(list).Denied() {
				continue
			}
			d = e.DecideIntent(list)
		} else {
			d = e.Decide(policy.Request{Caller: g.caller, Action: "s3:ListBucket", Resource: arn})
		}
		if !d.Outcome.Denied() {
			continue
		}
		why, related := denial(d)
		var state, fix string
		switch {
		case d.Outcome == policy.ExplicitDeny:
			state = "s3:ListBucket is denied " + why
			fix = "narrow what denies s3:ListBucket"
			if list == nil {
				fix += fmt.Sprintf(" and allow it on %q", displayAt(arn, intentRange(get)))
			}
		case list == nil:
			state = "no policy allows s3:ListBucket"
			fix = fmt.Sprintf("allow s3:ListBucket on %q (a condition on s3:prefix can limit it)", displayAt(arn, intentRange(get)))
		default:
			state = "s3:ListBucket is granted but still denied, " + why
			fix = "make the grant of s3:ListBucket count"
			if d.Fix != "" {
				fix = d.Fix
			}
		}
		if list != nil {
			related = append([]Related{{Range: intentRange(list), Message: "s3:ListBucket is granted here, but denied"}}, related...)
		}
		name := bucketLabel(g.bucket)
		if !g.bucket.Range.IsZero() {
			related = append(related, Related{Range: g.bucket.Range, Message: "bucket " + name + " is declared here"})
		}
		p.Report(Finding{
			Range:    intentRange(get),
			Resource: get.Policy.Address,
			Message: fmt.Sprintf("%s may read objects of bucket %s (s3:GetObject is allowed here) but not list it (%s), "+
				"so GetObject and HeadObject on a key that does not exist get 403 Access Denied instead of 404 Not Found; "+
				"if %s needs to tell missing keys apart, %s; otherwise ignore this note",
				g.caller.Label(), name, state, g.caller.Label(), fix),
			Related: related,
		})
	}
	return nil
}
