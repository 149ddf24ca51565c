package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L014 finds S3 ARNs in Resource and NotResource that can never match.
var S3L014 = &Def{
	M: Meta{
		ID:        "S3L014",
		Name:      "malformed-s3-arn",
		Title:     "malformed S3 ARN that can never match a resource",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"iam", "resource", "arn"},
		Doc: `IAM matches a Resource entry against the ARN of the resource a request touches, character
by character. An S3 ARN that no real resource can have matches nothing: the statement grants (or
denies) nothing on it, and the requests it was written for get 403 Access Denied. S3 checks the
resources of a bucket policy when it is written, so there the apply fails with MalformedPolicy
(Policy has invalid resource).

The rule reports Resource and NotResource entries, in policies of any kind, that are S3 ARNs of
an impossible shape:

- bucket and object ARNs with a region or an account (` + "`arn:aws:s3:us-east-1:123456789012:b`" + `):
  they are ` + "`arn:PARTITION:s3:::BUCKET[/KEY]`" + `, region and account empty;
- access point ARNs without a region or an account
  (` + "`arn:aws:s3::123456789012:accesspoint/x`" + `): they are
  ` + "`arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME[/object/KEY]`" + ` (a Multi-Region Access Point has
  no region, but its name is an alias ending in .mrap);
- a wrong number of colons (` + "`arn:aws:s3:b`" + `, ` + "`arn:aws:s3::b/*`" + `, ` + "`arn:aws:s3::::b`" + `);
- a bucket name no bucket can have: outside 3 to 63 lowercase letters, digits, dots and
  hyphens, not beginning or ending with a letter or digit, two dots in a row, an IP address.
  Only the bucket name has rules: object keys may hold anything;
- a partition that does not exist (` + "`arn:amazon:s3:::b`" + `), or, in Terraform, one other than the
  partition the provider's region belongs to (` + "`arn:aws:s3:::b`" + ` with region cn-north-1, where
  ARNs begin arn:aws-cn:).

It also reports entries that are no ARN at all, which the policy's service refuses when it is
written (IAM: MalformedPolicyDocument, Resource must be in ARN format or "*"; S3: MalformedPolicy,
Policy has invalid resource), so the apply fails: most often a bucket's name where its ARN belongs
(` + "`aws_s3_bucket.b.bucket`" + ` or ` + "`.id`" + ` instead of ` + "`.arn`" + `, ` + "`!Ref Bucket`" + ` instead of ` + "`!GetAtt Bucket.Arn`" + `,
` + "`\"acme-data/*\"`" + `). An empty name (` + "`\"/*\"`" + `, an optional input left empty), policy variables,
placeholders, and booleans or numbers (values of the wrong type, which the loaders report) are
not judged.

Uppercase letters, underscores and names longer than 63 characters are a warning: buckets
created in us-east-1 before March 2018 may have such names. A mistaken Deny or an Allow's
NotResource is a warning too: it lets through more than meant, but causes no 403.

The rule stays silent when it cannot be sure the ARN is wrong:

- wildcards (* and ?) and IAM policy variables (${aws:username}) may stand for any text, so a
  bucket name is judged only on what is written before them (a wildcard also matches "/", so
  what follows it may be in the object key: arn:aws:s3:::*SageMaker* is fine), and a wildcard
  where colons are missing may stand for them;
- an empty bucket name (arn:aws:s3:::/*) is what an optional input left empty renders — a
  parameter's default in the Fn::If branch that its condition rules out, a variable that a count
  guards — and whether it is ever deployed is not known;
- placeholders that a module or script fills in later (<bucket>, {{bucket}}, __BUCKET__,
  _S3_BUCKET_ARN_, %s, BUCKET_NAME, an unrendered ${…} template) are not defects;
- values unknown before deployment, and names s3lint makes up for them, are not judged;
- other services' ARNs are not this rule's business, nor are s3-object-lambda, s3-outposts and
  s3express ARNs (other formats), nor S3 resource types other than buckets, objects and
  access points (batch jobs, Storage Lens, Access Grants);
- the partition is compared only when the configuration says where it deploys: a Terraform
  provider with a literal region. A CloudFormation stack may deploy to any partition
  (${AWS::Partition} is unknown), so there only partitions that do not exist are reported.

Bad:

` + "```hcl" + `
    resources = [
      "arn:aws:s3:us-east-1:111122223333:acme-data/*",
      "arn:aws:s3::acme-data",
      "arn:aws:s3:::Acme_Data",
    ]
` + "```" + `

Good:

` + "```hcl" + `
    resources = [
      "arn:aws:s3:::acme-data/*",
      "arn:aws:s3:::acme-data",
      "arn:aws:s3:us-east-1:111122223333:accesspoint/reports",
      "arn:aws:s3:::acme-data/home/${aws:username}/*",
    ]
` + "```" + `

Fix: write bucket and object ARNs as arn:PARTITION:s3:::BUCKET and arn:PARTITION:s3:::BUCKET/KEY,
access point ARNs with their region and account, and the bucket's real name. In Terraform, build
ARNs from the resource (aws_s3_bucket.b.arn) or from data.aws_partition.current.partition; in
CloudFormation, from !GetAtt Bucket.Arn or ${AWS::Partition}.`,
	},
	Run: runS3L014,
}

func runS3L014(p *Pass) error {
	eachStatement(p.Graph, nil, func(pol *graph.Policy, st *graph.Statement) {
		for _, el := range []struct {
			name string
			s    graph.Strings
		}{{"Resource", st.Resource}, {"NotResource", st.NotResource}} {
			for _, it := range el.s.Items {
				if !it.Known() {
					continue
				}
				if msg, ok := notAnARN(pol, st, el.name, it.V); ok {
					p.Report(Finding{Range: it.Range, Resource: pol.Address, Message: msg})
					continue
				}
				if graph.HasSymbol(it.V) {
					continue
				}
				d, bad := policy.CheckS3ARN(it.V, pol.Partition)
				if !bad {
					continue
				}
				sev, msg := malformedARN(pol, st, el.name, it.V, d)
				p.Report(Finding{Range: it.Range, Resource: pol.Address, Severity: sev, Message: msg})
			}
		}
	})
	return nil
}

// notAnARN words a Resource entry that is not an ARN at all, which the
// service that stores the policy refuses: a bucket's name (literal, or a
// reference to its id or name that is not known before deployment) where
// its ARN belongs, or another service's name.
func notAnARN(pol *graph.Policy, st *graph.Statement, element, v string) (string, bool) {
	shown, bucket := v, ""
	if graph.HasSymbol(v) {
		// Only a bare name or ID the loader made up for a value not
		// known before deployment: it is still no ARN.
		if !bareSymbol(v) {
			return "", false
		}
		shown = display(v)
	} else {
		b, bad := policy.NotAnARN(v)
		if !bad {
			return "", false
		}
		bucket = b
	}
	refuses := "IAM refuses the policy (MalformedPolicyDocument: Resource must be in ARN format or \"*\") and the apply fails"
	switch pol.Kind {
	case graph.BucketPolicy:
		refuses = "S3 refuses the bucket policy (MalformedPolicy: Policy has invalid resource) and the apply fails"
	case graph.KeyPolicy:
		refuses = "KMS refuses the key policy (MalformedPolicyDocument) and the apply fails"
	case graph.EndpointPolicy, graph.AccessPointPolicy, graph.StandalonePolicy:
		refuses = "the policy is refused when it is put in place"
	}
	msg := fmt.Sprintf("%s %s is not an ARN: policies name resources by ARN (or \"*\"), so %s", element, shown, refuses)
	part := pol.Partition
	if part == "" {
		part = "aws"
	}
	if !namesS3Actions(st) {
		// Another service's resource: its ARN is that service's to say.
		return msg + "; write the resource's ARN", true
	}
	switch {
	case bucket != "" && bucket == v:
		msg += fmt.Sprintf("; for the bucket %s write arn:%s:s3:::%s (and arn:%s:s3:::%s/* for its objects)", bucket, part, v, part, bucket)
	case bucket != "":
		msg += fmt.Sprintf("; for the bucket %s write arn:%s:s3:::%s", bucket, part, v)
	case pol.Format == graph.CloudFormation:
		msg += "; for a bucket, use its ARN (!GetAtt Bucket.Arn) instead of its name (!Ref Bucket), and the ARN followed by /* for its objects"
	case pol.Format == graph.Terraform || pol.Format == graph.TerraformPlan:
		msg += "; for a bucket, use its ARN (aws_s3_bucket.NAME.arn) instead of its name or ID, and the ARN followed by /* for its objects"
	default:
		msg += fmt.Sprintf("; for a bucket, use its ARN (arn:%s:s3:::NAME), and the ARN followed by /* for its objects", part)
	}
	return msg, true
}

// bareSymbol reports whether s is one symbol of a name or ID and nothing
// else.
func bareSymbol(s string) bool {
	if !strings.HasPrefix(s, "<name of ") && !strings.HasPrefix(s, "<id of ") {
		return false
	}
	return strings.IndexByte(s, '>') == len(s)-1
}

// malformedARN words a finding for an S3 ARN that can never match, and rates
// it: an error when it fails the apply or leads to 403, a warning when it
// only lets through more than meant, or when the name may belong to a
// legacy bucket.
func malformedARN(pol *graph.Policy, st *graph.Statement, element, arn string, d policy.S3ARNDefect) (Severity, string) {
	msg := fmt.Sprintf("%s is not a valid S3 ARN: %s", display(arn), d.Problem)
	if d.Partition {
		msg = fmt.Sprintf("%s has the wrong partition: %s", display(arn), d.Problem)
	}
	sev, consequence := Error, ""
	switch {
	case pol.Kind == graph.BucketPolicy:
		consequence = "S3 rejects the bucket policy (MalformedPolicy: Policy has invalid resource) and the apply fails"
	case element == "NotResource" && st.IsDeny():
		consequence = "it excludes nothing, so this Deny also applies to the resource it was meant to spare and those requests get 403 Access Denied"
	case element == "NotResource":
		sev, consequence = Warning, "it excludes nothing, so this statement applies to every resource"
	case st.IsDeny():
		sev, consequence = Warning, "it matches nothing, so this Deny never applies to the resource it was meant for"
	case pol.Kind == graph.EndpointPolicy:
		consequence = "it matches nothing, so the endpoint never lets requests for it through and they get 403 Access Denied"
	default:
		consequence = "it matches nothing, so this statement allows nothing on it and the requests get 403 Access Denied unless another policy allows them"
	}
	if d.Legacy {
		// Only possibly wrong: the bucket may be that old.
		sev, consequence = Warning, "unless it names such a bucket, "+consequence
	}
	msg += "; " + consequence
	switch {
	case d.Suggestion != "":
		msg += fmt.Sprintf("; did you mean %q?", display(d.Suggestion))
	case d.Hint != "":
		msg += "; " + d.Hint
	}
	return sev, msg
}

// certainlyMalformed reports whether S3L014 reports arn as wrong for certain
// (not merely a possible legacy bucket name). Rules that would advise adding
// the bucket or object ARN beside it skip it: the advice would repeat the
// mistake, and S3L014 already says how to correct it.
func certainlyMalformed(pol *graph.Policy, arn string) bool {
	if graph.HasSymbol(arn) {
		return false
	}
	d, bad := policy.CheckS3ARN(arn, pol.Partition)
	return bad && !d.Legacy
}
