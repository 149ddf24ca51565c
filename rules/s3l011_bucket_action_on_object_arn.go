package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L011 finds bucket actions whose statement names objects of the bucket
// but not the bucket itself.
var S3L011 = &Def{
	M: Meta{
		ID:        "S3L011",
		Name:      "bucket-action-on-object-arn",
		Title:     "bucket action granted on object ARNs only",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "very-high",
		Tags:      []string{"iam", "arn"},
		Doc: `Bucket-level actions such as s3:ListBucket, s3:GetBucketLocation and s3:PutBucketPolicy
are authorized against the bucket ARN (arn:aws:s3:::BUCKET), never against object ARNs
(arn:aws:s3:::BUCKET/* or a prefix). A statement that lists them with only object ARNs matches no
request: listing the bucket fails with 403 Access Denied (and, without s3:ListBucket, reading a
missing key returns 403 instead of 404). A Deny written this way protects nothing. In a bucket
policy S3 refuses such a statement outright (MalformedPolicy: Action does not apply to any
resource(s) in statement), so the apply fails.

The rule reports each object ARN (or access point object ARN) in a statement whose bucket-level
actions cannot reach its bucket because no Resource of the statement names the bucket itself.
A bucket action that another statement of the same document (or of another identity policy that
every principal of this one has) grants on the bucket, to the same
principal (same effect, the same conditions or none), costs no request, and the rule leaves it
out, unless S3 rejects the statement anyway (a bucket policy statement with an action named exactly that
applies to none of its Resources). An Allow of an identity or VPC endpoint policy that names a
bucket as well and has object actions too, as the console's visual editor writes them (every
chosen action against every chosen resource), is left alone: each action reaches something, and
whether listing the other buckets was meant too is a guess. A Deny gets no such allowance (it is
written to protect, and misses what it names), nor does a bucket or access point policy, whose
Resources are all about one bucket: another bucket's object ARN there is more likely a typo.

Bad:

` + "```hcl" + `
data "aws_iam_policy_document" "list" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["${aws_s3_bucket.data.arn}/*"]   # objects, not the bucket
  }
}
` + "```" + `

Good:

` + "```hcl" + `
    resources = [aws_s3_bucket.data.arn]
` + "```" + `

An ARN partly unknown before deployment is checked for what it is whatever its unknown parts
hold: "arn:aws:s3:::${var.bucket}/*" with a variable without a value, !Sub
"arn:${AWS::Partition}:s3:::${DataBucket}/*" with a parameter without a default, a !Join of the
same, or "${var.bucket_arn}/*" (taken for the objects of the bucket whose ARN the variable holds)
names objects, never a bucket, because a bucket name has no "/". The rule stays silent where the
unknown part could make the difference: an ARN whose "/" comes only from an unknown part
("arn:aws:s3:::${var.bucket}"), a wildcard in the bucket part, an access point, a wholly unknown
entry, an ARN in JSON text (a heredoc or a template file, where an interpolation may write quotes
and commas, and so several strings), and a statement beside another that lists what may be the same bucket (any bucket ARN
counts when the name is not known, and so does a Resource not known at all).

Fix: add the bucket ARN to the statement, or put the bucket-level actions in a statement of their
own that names the bucket. To limit listing to a prefix, keep the bucket ARN and add a condition
on s3:prefix.

s3lint fix adds the bucket ARN beside the object ARN when the element is a string whose value it
can read, or a template whose literal tail ("/*", "/logs/*") is all that separates it from the
bucket ARN ("${aws_s3_bucket.b.arn}/*" gives aws_s3_bucket.b.arn; !Sub "${Bucket.Arn}/*" gives
!Sub "${Bucket.Arn}"; "arn:aws:s3:::${var.bucket}/*" gives "arn:aws:s3:::${var.bucket}", since a
variable or local value is the same wherever the module uses it), in an Allow (a Deny that starts to apply would refuse calls that work
today).`,
	},
	Run: runS3L011,
}

func runS3L011(p *Pass) error {
	eachStatement(p.Graph, s3Policies, func(pol *graph.Policy, st *graph.Statement) {
		items, ok := actionItems(st)
		if !ok {
			return
		}
		res, ok := resourcePatterns(st)
		if !ok {
			return
		}
		bucketLevel, apLevel := (*policy.Action).BucketLevel, accessPointLevel
		if len(evident(items, bucketLevel)) == 0 && len(evident(items, apLevel)) == 0 {
			return
		}
		ix := indexResources(res)
		rejected := rejectedByS3(pol, items, res)
		for _, r := range res {
			shape, shaped := r.Shape()
			if !shaped && certainlyMalformed(pol, r.V) {
				continue
			}
			var container, arn string
			level, objectLevel := bucketLevel, (*policy.Action).ObjectLevel
			kind := policy.KindBucket
			switch {
			case shaped:
				if arn, ok = shapeObjects(shape); !ok {
					continue
				}
				container = "bucket"
			case policy.S3Kinds(r.V) == policy.KindObject:
				part, bucket, ok := policy.BucketARN(r.V)
				if !ok {
					continue
				}
				container, arn = "bucket", "arn:"+part+":s3:::"+bucket
			case policy.S3Kinds(r.V) == policy.KindAccessPointObject:
				ap, _, found := strings.Cut(r.V, "/object/")
				if !found || policy.HasWildcard(ap) {
					continue
				}
				container, arn, level, objectLevel, kind = "access point", ap, apLevel, accessPointObjectLevel, policy.KindAccessPoint
			default:
				continue
			}
			if ix.mayMatch(arn, kind, p.bucketNames()) {
				continue
			}
			if spansBuckets(pol, st) && ix.hasKind(kind) && anyAction(items, objectLevel) {
				// The statement's bucket actions reach the buckets it
				// names, and its object actions these objects: whether
				// they were also meant for this bucket is a guess (the
				// console's visual editor writes such statements).
				continue
			}
			acts, _ := madeUpFor(pol, st, items, level, rejected, func(o *resourceIndex) bool {
				return o.mayMatch(arn, kind, p.bucketNames())
			})
			if len(acts) == 0 {
				continue
			}
			verb, consequence := neverMatches(pol, st, len(acts), rejected)
			shown, add := displayAt(r.V, r.Range), displayAt(arn, r.Range)
			if shaped {
				shown, add = p.displayShape(pol, r, shape, arn)
				if strings.Count(shape, graph.UnknownPart) == 1 {
					shown += ", whatever its unknown part holds"
				} else {
					shown += ", whatever its unknown parts hold"
				}
			}
			addition := fmt.Sprintf("add %q to the Resource", add)
			if strings.Contains(add, "${…}") {
				// The source's template could not be cut: say it in words.
				addition = "add the ARN of the " + container + " itself (this entry without its object part) to the Resource"
			}
			p.Report(Finding{
				Range:    r.Range,
				Resource: pol.Address,
				Message: fmt.Sprintf("%s %s authorized against the %s, but this statement names only objects (%s), %s; %s",
					list(acts), verb, container, shown, consequence, addition),
				Fix: safeFix(func() *Fix {
					return p.resourceFix(pol, st, r, fmt.Sprintf("add %q to the Resource", add), func(el element) (string, bool) {
						bare := el.syn == synHCL && hclAssigned(el.src, st.Resource.Range.Start.Byte)
						return containerElement(el, r.V, arn, bare)
					})
				}),
			})
		}
	})
	return nil
}

// accessPointLevel: an S3 action authorized against an access point
// itself, not its objects.
func accessPointLevel(a *policy.Action) bool {
	return a.Service == "s3" && a.AppliesTo("accesspoint") && !a.AppliesTo("accesspointobject")
}

// accessPointObjectLevel: an S3 action authorized against objects through
// an access point.
func accessPointObjectLevel(a *policy.Action) bool {
	return a.Service == "s3" && a.AppliesTo("accesspointobject")
}
