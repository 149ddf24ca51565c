package rules

import (
	"fmt"

	"github.com/s3lint/s3lint/graph"
)

// S3L040 finds public bucket policies that Block Public Access rejects.
var S3L040 = &Def{
	M: Meta{
		ID:        "S3L040",
		Name:      "bpa-blocks-public-policy",
		Title:     "public bucket or access point policy rejected by BlockPublicPolicy",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"bucket-policy", "block-public-access"},
		Doc: `With BlockPublicPolicy on, S3 refuses to store a bucket policy that is public: PutBucketPolicy
fails with 403 Access Denied, so the apply (or the stack) fails and none of the policy's
statements — not even the private ones — are ever in place. BlockPublicPolicy is on when the
bucket's public access block says so, when the account's does
(` + "`aws_s3_account_public_access_block`" + ` in the same account: the most restrictive setting
wins), and — since April 2023 — for every new bucket whose configuration declares no public
access block at all.

AWS calls a policy public unless every Allow is limited to fixed principals (accounts, roles,
users, services) or to fixed values of aws:PrincipalOrgID, aws:SourceVpce, aws:SourceVpc,
aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:userid, aws:SourceIp (/8 or narrower, or
a private range), s3:x-amz-server-side-encryption-aws-kms-key-id or s3:DataAccessPointArn/Account.
Deny statements never make a policy public.

The rule reports the first public statement of each bucket policy whose bucket certainly has
BlockPublicPolicy on, and points at the setting (or the bucket, for the default) and at the
other public statements. When a CloudFormation policy depends on a condition not decided before
deployment, each alternative is judged on its own; the message says under which conditions the
policy is public ("when IsPublic is true"), and alternatives that are public alike are reported
once.

Access points have Block Public Access settings of their own, all on unless the access point is
created otherwise, and fixed once it exists: S3 refuses a public access point policy
(PutAccessPointPolicy, 403) while the access point's BlockPublicPolicy is on. The rule reports
the first public statement of such a policy (` + "`aws_s3_access_point`" + `'s policy argument,
` + "`aws_s3control_access_point_policy`" + `, ` + "`AWS::S3::AccessPoint`" + `'s Policy) when the access point's
network origin is the Internet; policies of access points reachable only from a VPC, and policies
that depend on a template condition, are left alone. An access point created with
BlockPublicPolicy off is still refused while its bucket's BlockPublicPolicy is on (the bucket's
own setting, the account's, or the 2023 default): S3 applies it to the bucket's access points of
the same account too.

It stays silent when AWS's semantics or the values are uncertain: a policy that is only perhaps
public (values not known before deployment, a Principal "*" limited by aws:PrincipalArn or
aws:PrincipalAccount, which AWS does not document as non-public, IfExists or ForAnyValue forms
of the restricting keys, a restricting value such as ${AWS::AccountId} written without Fn::Sub,
which is no IAM policy variable and which AWS may take as text), a flag whose value is not known, an account-level block that may or
may not be in the bucket's account, and buckets read from a Terraform plan or state that declare no
public access block (the bucket may predate the 2023 default). For Terraform and CloudFormation
sources it assumes that the configuration creates the bucket: a bucket created before April
2023 and imported keeps the settings it had. A relaxed public access block that the policy does
not wait for is S3L043's.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"                 # public, and no public access block: 403
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })
}
` + "```" + `

Good (a public website: relax Block Public Access first):

` + "```hcl" + `
resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "site" {
  bucket     = aws_s3_bucket.site.id
  policy     = jsonencode({ … })
  depends_on = [aws_s3_bucket_public_access_block.site]
}
` + "```" + `

In CloudFormation, give the bucket
` + "`PublicAccessBlockConfiguration: {BlockPublicPolicy: false, RestrictPublicBuckets: false}`" + `
(omitted flags are false; the CDK's ` + "`BlockPublicAccess.BLOCK_ACLS`" + ` does this).

Fix: if the bucket is meant to be public, turn BlockPublicPolicy (and RestrictPublicBuckets) off
for it and make the policy depend on that change; an account-level block must be relaxed at the
account. Otherwise make the policy non-public: name the principals, or limit Principal "*"
with aws:PrincipalOrgID, aws:SourceVpce, aws:SourceArn or aws:SourceIp.`,
	},
	Run: runS3L040,
}

func runS3L040(p *Pass) error {
	e := p.Engine()
	var cands []bpaCandidate
	for _, pol := range p.Graph.Policies {
		b := pol.Bucket
		if pol.Kind != graph.BucketPolicy || b == nil || pol.Doc == nil {
			continue
		}
		pub := bpaPublicStatements(pol)
		if len(pub) == 0 || !bpaFlagState(e, p.Graph, b, bpaBlockPublicPolicy).certain(b) {
			continue
		}
		cands = append(cands, bpaCandidate{pol, pub})
	}
	bpaMerge(p.Graph, cands, func(c bpaCandidate, st *graph.Statement, also []*graph.Statement, when string) {
		pol, b := c.pol, c.pol.Bucket
		s := bpaFlagState(e, p.Graph, b, bpaBlockPublicPolicy)
		call := "PutBucketPolicy"
		if b.Format == graph.CloudFormation {
			call = "PutBucketPolicy (creating " + pol.Address + ")"
		}
		msg := fmt.Sprintf("%sbucket policy %s is public (%s: %s) and BlockPublicPolicy is on for bucket %s%s: "+
			"S3 rejects %s with 403 Access Denied, so %s and none of the policy is in place; "+
			"if the bucket is meant to be public, %s; %s",
			when, pol.Address, bpaStatementName(st), bpaWhyPublic(st), bucketLabel(b), s.because(), call, bpaFails(b.Format),
			bpaRelax(b, s, bpaBlockPublicPolicy, []bpaFlag{bpaRestrictPublicBuckets}, pol.Address, "aws_s3_bucket_policy"), bpaNonPublicFix)
		rel := s.related(b, bpaBlockPublicPolicy)
		rel = append(rel, bpaOtherPublic(also)...)
		p.Report(Finding{
			Range:    bpaPublicAt(st),
			Resource: pol.Address,
			Message:  bpaCapitalize(msg),
			Related:  bpaBucketRelated(b, rel),
		})
	})
	for _, ap := range p.Graph.AccessPoints {
		publicAccessPointPolicy(p, ap)
	}
	return nil
}

// publicAccessPointPolicy reports a public policy of an access point whose
// own BlockPublicPolicy is on: S3 refuses to store it. Only access points
// whose network origin is certainly the Internet are judged.
func publicAccessPointPolicy(p *Pass, ap *graph.AccessPoint) {
	pol := ap.Policy
	if pol == nil || pol.Doc == nil || pol.Undecided() || pol.Variant != nil || !ap.VpcID.Known() || ap.VpcID.V != "" {
		return
	}
	pub := bpaPublicStatements(pol)
	if len(pub) == 0 {
		return
	}
	flag := ap.PublicAccessBlock.BlockPublicPolicy
	if !flag.IsTrue() {
		if flag.IsFalse() {
			bucketBlocksAccessPointPolicy(p, ap, pub)
		}
		return
	}
	st := pub[0]
	setting := "the default: an access point blocks all public access unless created otherwise"
	if flag.Origin == graph.Explicit {
		setting = "set in its public access block configuration"
	}
	call, fails, off := "PutAccessPointPolicy", bpaFails(ap.Format), "public_access_block_configuration { block_public_policy = false }"
	if ap.Format == graph.CloudFormation {
		call, off = "PutAccessPointPolicy (creating "+pol.Address+")", "PublicAccessBlockConfiguration: {BlockPublicPolicy: false}"
	} else if pol.Address != ap.Address {
		call += " (" + pol.Address + ")"
	}
	related := []Related{{Range: flag.Range, Message: "BlockPublicPolicy is on for access point " + ap.Address + " here"}}
	related = append(related, bpaOtherPublic(pub[1:])...)
	p.Report(Finding{
		Range:    bpaPublicAt(st),
		Resource: pol.Address,
		Message: fmt.Sprintf("access point policy of %s is public (%s: %s) and BlockPublicPolicy is on for the access point (%s): "+
			"S3 rejects %s with 403 Access Denied and %s; an access point's Block Public Access settings cannot be "+
			"changed after it is created: if it is meant to be public, create it with %s (and BlockPublicPolicy off for "+
			"the bucket and the account too); %s",
			ap.Address, bpaStatementName(st), bpaWhyPublic(st), setting, call, fails, off, bpaNonPublicFix),
		Related: related,
	})
}

// bucketBlocksAccessPointPolicy reports a public policy of an access point
// whose own BlockPublicPolicy is off while its bucket's is on: S3 refuses
// a public policy for the bucket's access points of the same account too.
func bucketBlocksAccessPointPolicy(p *Pass, ap *graph.AccessPoint, pub []*graph.Statement) {
	b := ap.Bucket
	if b == nil {
		return
	}
	if same, known := ap.Account.SameAs(b.Account); !known || !same {
		return
	}
	e := p.Engine()
	s := bpaFlagState(e, p.Graph, b, bpaBlockPublicPolicy)
	if !s.certain(b) {
		return
	}
	pol, st, fails := ap.Policy, pub[0], bpaFails(ap.Format)
	rel := s.related(b, bpaBlockPublicPolicy)
	rel = append(rel, bpaOtherPublic(pub[1:])...)
	p.Report(Finding{
		Range:    bpaPublicAt(st),
		Resource: pol.Address,
		Message: fmt.Sprintf("access point policy of %s is public (%s: %s) and BlockPublicPolicy, off for the access point, is on for its bucket %s%s: "+
			"S3 refuses public policies for the bucket's access points of the same account too, so PutAccessPointPolicy fails with 403 Access Denied and %s; "+
			"if the access point is meant to be public, %s; %s",
			ap.Address, bpaStatementName(st), bpaWhyPublic(st), bucketLabel(b), s.because(), fails,
			bpaRelax(b, s, bpaBlockPublicPolicy, []bpaFlag{bpaRestrictPublicBuckets}, pol.Address, "aws_s3_bucket_public_access_block"), bpaNonPublicFix),
		Related: bpaBucketRelated(b, rel),
	})
}
