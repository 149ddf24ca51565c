package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L010 finds object actions whose statement names the bucket but none of
// its objects.
var S3L010 = &Def{
	M: Meta{
		ID:        "S3L010",
		Name:      "object-action-on-bucket-arn",
		Title:     "object action granted on a bucket ARN only",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "very-high",
		Tags:      []string{"iam", "arn"},
		Doc: `Object-level actions such as s3:GetObject, s3:PutObject and s3:DeleteObject are
authorized against object ARNs (arn:aws:s3:::BUCKET/KEY), never against the bucket ARN
(arn:aws:s3:::BUCKET). A statement that lists them with only the bucket ARN matches no request:
an Allow grants nothing and the call fails with 403 Access Denied; a Deny protects nothing. In a
bucket policy S3 refuses such a statement outright (MalformedPolicy: Action does not apply to any
resource(s) in statement), so the apply fails.

The rule reports each bucket (or access point) ARN in a statement whose object actions cannot
reach any object in it because no other Resource of the statement covers its objects. Access
points, Multi-Region Access Points (arn:aws:s3::ACCOUNT:accesspoint/ALIAS) included, name their
objects ACCESS-POINT-ARN/object/KEY.
"s3:*" on a bucket ARN alone is reported as a warning: it still grants the bucket-level actions,
but no object can be read or written. A bucket whose name is not known before deployment (a
variable without a value, bucket_prefix) still has a bucket ARN, so aws_s3_bucket.b.arn is judged
too; since its name may be any name, another Resource that could be its objects keeps the rule
silent. An object action that another statement of the same document (or of another identity
policy that every principal of this one has: a role's other inline policy, say) grants on the
objects, to the same principal (same effect, the same conditions or none), costs no request, and the rule
leaves it out (a statement whose Resource is partly or wholly unknown may be that one): an action repeated in the bucket's statement next to s3:ListBucket is common and
harmless, and so is "s3:*" on the bucket ARN beside a statement that grants object access, or the
pair of aws:SecureTransport Denies that CDK writes, one for the bucket and one for its objects. A bucket policy
statement that S3 rejects (an action named exactly that applies to none of its Resources) is
reported whatever its siblings say. An Allow of an identity or VPC endpoint policy that names
other buckets' objects as well and has bucket-level actions too (s3:ListBucket on one bucket,
s3:GetObject on another) is left alone: each action reaches something, and whether the objects
of this bucket were meant too is a guess. A Deny gets no such allowance (it is written to
protect, and misses what it names), nor does a bucket or access point policy (another bucket's
objects there are more likely a typo).

Bad:

` + "```hcl" + `
resource "aws_iam_policy" "reader" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = aws_s3_bucket.data.arn   # the bucket, not its objects
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
      Resource = "${aws_s3_bucket.data.arn}/*"
` + "```" + `

Fix: add the object ARN ("arn:aws:s3:::BUCKET/*", or a narrower prefix) to the statement, or
move the object actions to a statement of their own that names it.

s3lint fix adds "BUCKET_ARN/*" beside the bucket ARN when the element is written in the file as
a string, a template or a reference to a resource's arn (Terraform: "${aws_s3_bucket.b.arn}/*";
CloudFormation: !Sub "${Bucket.Arn}/*"): a single value becomes a list of two, and a list gets
the new element after it, on a line of its own when the list has one element per line. Only an
Allow is fixed: a Deny that starts to apply would refuse calls that work today. A value that
comes from a variable, a local, a module output or a function, the s3:* warning (where object
access may not be intended) and plans are left to you.`,
	},
	Run: runS3L010,
}

func runS3L010(p *Pass) error {
	eachStatement(p.Graph, s3Policies, func(pol *graph.Policy, st *graph.Statement) {
		items, ok := actionItems(st)
		if !ok {
			return
		}
		res, ok := knownResources(st)
		if !ok {
			return
		}
		if len(evident(items, (*policy.Action).ObjectLevel)) == 0 && !hasBroad(items) {
			return
		}
		ix := indexResources(res)
		rejected := rejectedByS3(pol, items, res)
		for _, r := range res {
			if certainlyMalformed(pol, r.V) {
				continue
			}
			var container, prefix string
			var objects policy.S3Kind
			var containerLevel func(*policy.Action) bool
			hasObjects := func() bool { return ix.hasKind(objects) }
			switch policy.S3Kinds(r.V) {
			case policy.KindBucket:
				container, prefix, objects, containerLevel = "bucket", r.V+"/", policy.KindObject, (*policy.Action).BucketLevel
			case policy.KindAccessPoint:
				container, prefix, objects, containerLevel = "access point", r.V+"/object/", policy.KindAccessPointObject, accessPointLevel
			default:
				if !policy.IsMultiRegionAccessPointARN(r.V) {
					continue
				}
				// S3Kinds calls a Multi-Region Access Point's object ARNs
				// access point objects, or other S3 resources when a
				// wildcard may stand for the region; the access points
				// themselves are no objects.
				objects = policy.KindAccessPointObject | policy.KindOtherS3
				container, prefix, containerLevel = "Multi-Region Access Point", r.V+"/object/", accessPointLevel
				hasObjects = func() bool {
					return slices.ContainsFunc(res, func(o graph.String) bool {
						return policy.S3Kinds(o.V)&objects != 0 && !policy.IsMultiRegionAccessPointARN(o.V)
					})
				}
			}
			if ix.mayCoverPrefix(prefix, objects, p.bucketNames()) {
				continue
			}
			if spansBuckets(pol, st) && hasObjects() && anyAction(items, containerLevel) {
				// The statement's object actions reach the objects it
				// names, and its bucket actions this bucket: whether they
				// were also meant for this bucket's objects is a guess.
				continue
			}
			objActs, broad := madeUpFor(pol, st, items, (*policy.Action).ObjectLevel, rejected, func(o *resourceIndex) bool {
				return o.mayCoverPrefix(prefix, objects, p.bucketNames())
			})
			if len(objActs) > 0 || broad {
				reportObjectOnBucket(p, pol, st, r, container, prefix+"*", objActs, rejected)
			}
		}
	})
	return nil
}

func reportObjectOnBucket(p *Pass, pol *graph.Policy, st *graph.Statement, r graph.String, container, objects string, objActs []string, rejected bool) {
	if len(objActs) == 0 {
		msg := fmt.Sprintf("s3:* on the %s ARN %s alone covers only %s-level actions: every object "+
			"read or write (s3:GetObject, s3:PutObject …) gets 403 Access Denied; add %q if object access is intended",
			container, displayAt(r.V, r.Range), container, displayAt(objects, r.Range))
		if st.IsDeny() {
			// A Deny that misses the objects refuses nothing that works:
			// what it was written to refuse still gets through.
			msg = fmt.Sprintf("s3:* on the %s ARN %s alone covers only %s-level actions, so this Deny never applies to "+
				"object reads and writes (s3:GetObject, s3:PutObject …); add %q if it is meant to",
				container, displayAt(r.V, r.Range), container, displayAt(objects, r.Range))
		}
		p.Report(Finding{Severity: Warning, Range: r.Range, Resource: pol.Address, Message: msg})
		return
	}
	verb, consequence := neverMatches(pol, st, len(objActs), rejected)
	p.Report(Finding{
		Range:    r.Range,
		Resource: pol.Address,
		Message: fmt.Sprintf("%s %s authorized against objects, but this statement names only the %s %s, %s; "+
			"add %q to the Resource", list(objActs), verb, container, displayAt(r.V, r.Range), consequence, displayAt(objects, r.Range)),
		Fix: safeFix(func() *Fix {
			return p.resourceFix(pol, st, r, fmt.Sprintf("add %q to the Resource", displayAt(objects, r.Range)), func(el element) (string, bool) {
				return objectsElement(el, r.V, strings.TrimPrefix(objects, r.V))
			})
		}),
	})
}
