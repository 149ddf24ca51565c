package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L012 finds bucket policy statements that name only other buckets.
var S3L012 = &Def{
	M: Meta{
		ID:        "S3L012",
		Name:      "bucket-policy-foreign-resource",
		Title:     "bucket policy statement names only other buckets",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "very-high",
		Tags:      []string{"bucket-policy", "arn"},
		Doc: `A bucket policy can only govern the bucket it is attached to and that bucket's objects.
S3 checks this when the policy is written: a statement whose Resource names nothing but other
buckets (a copy-pasted ARN, a wrong variable, a typo in the name) makes PutBucketPolicy fail
with "MalformedPolicy: Policy has invalid resource", so the apply fails and whatever access the
policy was meant to grant is never granted.

The rule reports a statement of a bucket policy when the bucket's name is known and none of the
statement's Resource entries can match the bucket or any object in it.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.data.arn}/*"   # another bucket
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
      Resource  = "${aws_s3_bucket.logs.arn}/*"
` + "```" + `

Fix: name the bucket the policy is attached to (its ARN, or its ARN followed by /* or a
prefix); grants on other buckets belong in those buckets' policies.`,
	},
	Run: runS3L012,
}

func runS3L012(p *Pass) error {
	eachStatement(p.Graph, func(k graph.PolicyKind) bool { return k == graph.BucketPolicy }, func(pol *graph.Policy, st *graph.Statement) {
		name, arn, where := bucketOf(pol)
		if arn == "" {
			return
		}
		res, ok := knownResources(st)
		if !ok || len(res) == 0 {
			return
		}
		var foreign []string
		for _, r := range res {
			if keySymbolOnly(r.V) && !graph.HasSymbol(arn) {
				// A symbol only in the key (AWSLogs/<account of aws>/*):
				// the bucket part is literal and decides.
				if policy.CanMatchBucketOrObject(policy.SymbolsAsStars(r.V), arn) {
					return
				}
			} else if graph.HasSymbol(r.V) != graph.HasSymbol(arn) {
				// A name not known before deployment may be this
				// bucket's, unless it is another bucket's known name:
				// only those, and resources that cannot name a bucket
				// or object at all, are certainly foreign.
				literal := r.V
				if graph.HasSymbol(r.V) {
					literal = arn
				}
				_, bucket, exact := policy.BucketARN(literal)
				if (!exact || !p.bucketNames()[bucket]) && policy.S3Kinds(r.V)&(policy.KindBucket|policy.KindObject) != 0 {
					return
				}
			} else if policy.CanMatchBucketOrObject(r.V, arn) {
				return
			}
			foreign = append(foreign, display(r.V))
		}
		f := Finding{
			Range:    st.Resource.KeyRange,
			Resource: pol.Address,
			Message: fmt.Sprintf("every Resource of this statement (%s) names something other than bucket %s, "+
				"which this policy is attached to: S3 rejects the policy (MalformedPolicy: Policy has invalid resource) "+
				"and the apply fails; use %q or %q", list(foreign), name, display(arn), display(arn+"/*")),
		}
		if r := pol.BucketRef.Range; !r.IsZero() && r != where {
			// When the bucket argument is the mistake, this is the line
			// to fix.
			f.Related = append(f.Related, Related{Range: r, Message: "the policy is attached to bucket " + name + " here"})
		}
		if !where.IsZero() {
			f.Related = append(f.Related, Related{Range: where, Message: "bucket " + name + " is declared here"})
		}
		p.Report(f)
	})
	return nil
}

// bucketOf returns the name and ARN of the bucket a bucket policy is
// attached to, and where the bucket is declared, when the name is known.
func bucketOf(pol *graph.Policy) (name, arn string, where graph.Range) {
	if b := pol.Bucket; b != nil {
		switch {
		case b.ARN.Known():
			// The ARN is known even when the name is symbolic.
			_, name, _ = policy.BucketARN(b.ARN.V)
			if addr := graph.SymbolAddress(name); addr != "" {
				name = addr
			}
			return name, b.ARN.V, b.Range
		case b.Name.Known() && b.Name.V != "":
			return b.Name.V, "arn:aws:s3:::" + b.Name.V, b.Range
		}
		return "", "", graph.Range{}
	}
	if pol.BucketRef.Known() && pol.BucketRef.V != "" {
		ref := pol.BucketRef.V
		if part, bucket, ok := policy.BucketARN(ref); ok {
			return bucket, "arn:" + part + ":s3:::" + bucket, graph.Range{}
		}
		if !policy.HasWildcard(ref) {
			return ref, "arn:aws:s3:::" + ref, graph.Range{}
		}
	}
	return "", "", graph.Range{}
}

// keySymbolOnly reports whether an S3 ARN holds symbols only after its
// bucket name, in the object key.
func keySymbolOnly(arn string) bool {
	if !graph.HasSymbol(arn) {
		return false
	}
	a, ok := policy.ParseARN(arn)
	if !ok {
		return false
	}
	bucket, key, hasKey := strings.Cut(a.Resource, "/")
	return hasKey && !graph.HasSymbol(a.Partition+a.Region+a.Account+bucket) && graph.HasSymbol(key)
}
