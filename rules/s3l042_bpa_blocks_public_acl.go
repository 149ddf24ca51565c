package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L042 finds public bucket ACLs that Block Public Access rejects or
// ignores.
var S3L042 = &Def{
	M: Meta{
		ID:        "S3L042",
		Name:      "bpa-blocks-public-acl",
		Title:     "public bucket ACL rejected or ignored by Block Public Access",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"acl", "block-public-access"},
		Doc: `A public ACL — the canned ACLs public-read, public-read-write and authenticated-read, or a
grant to the AllUsers or AuthenticatedUsers group — meets two Block Public Access settings:

- **BlockPublicAcls** makes S3 reject it: PutBucketAcl (Terraform's ` + "`aws_s3_bucket_acl`" + `, or the
  ` + "`acl`" + `/` + "`grant`" + ` arguments of ` + "`aws_s3_bucket`" + `) fails with 403 Access Denied, and S3 refuses a
  bucket that CloudFormation creates with the ACL (` + "`AccessControl`" + `; the error code S3 answers
  with there is not documented): the apply or the stack fails. This is an error.
- **IgnorePublicAcls** alone lets the ACL be stored but makes S3 ignore its public grants: the
  readers it was written for get 403 Access Denied. This is a warning.

The same holds for an upload of the configuration that sends a public canned ACL with its object
(the ` + "`acl`" + ` argument of Terraform's ` + "`aws_s3_object`" + `, ` + "`aws_s3_bucket_object`" + ` and ` + "`aws_s3_object_copy`" + `):
with BlockPublicAcls on, S3 rejects the PutObject with 403 Access Denied and the apply fails (an
error); with IgnorePublicAcls alone, the object's ACL is ignored, and the rule warns when nothing
else lets anonymous callers read the object (a bucket policy that does leaves the ACL harmless;
every key must be known, as the provider stores it, and ` + "`authenticated-read`" + `, meant for other
accounts' callers, is not judged). The uploads of one resource block are reported once.

In Terraform, a public ` + "`aws_s3_bucket_acl`" + ` or upload must also wait for the
` + "`aws_s3_bucket_public_access_block`" + ` that turns BlockPublicAcls off: a new bucket has it on until
that change is applied, and Terraform applies resources that do not depend on each other in
parallel, so the ACL's request fails with 403 Access Denied whenever it reaches S3 first (often on
the first apply only). That is a warning, at the ACL, when the ACL does not depend on the public
access block, directly or transitively (` + "`depends_on`" + `, as the AWS provider's own example writes it,
or a reference to the block's ` + "`bucket`" + `); it is silent when an account-level block may keep the
flag on.

An ACL or upload read from a Terraform plan that leaves it as it is, or from a state file, sends no
request: Block Public Access does not remove ACLs already in place, so BlockPublicAcls refuses
nothing there, and only the IgnorePublicAcls warning applies.

Either is on when the bucket's public access block says so, when the account's
` + "`aws_s3_account_public_access_block`" + ` in the same account does, and — since April 2023 — for
every new bucket whose configuration declares no public access block.

ACLs are only in use when object ownership is ObjectWriter or BucketOwnerPreferred. With
BucketOwnerEnforced (the default for new buckets since April 2023) S3 refuses any ACL but
private and bucket-owner-full-control with 400 AccessControlListNotSupported — S3L031 reports
that, and this rule stays silent. It also stays silent when the ownership, the ACL, a grantee or
a flag is not known before deployment, when an account-level block may or may not be in the
bucket's account, and for buckets read from a Terraform plan or state that declare no public access
block (the bucket may predate the 2023 default).

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id
  rule { object_ownership = "ObjectWriter" }
}

resource "aws_s3_bucket_acl" "site" {
  bucket     = aws_s3_bucket.site.id
  acl        = "public-read"   # no public access block: BlockPublicAcls is on, 403
  depends_on = [aws_s3_bucket_ownership_controls.site]
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read"
  depends_on = [
    aws_s3_bucket_ownership_controls.site,
    aws_s3_bucket_public_access_block.site,
  ]
}
` + "```" + `

Fix: if the bucket is meant to be public through its ACL, turn BlockPublicAcls and
IgnorePublicAcls off for it (an account-level setting must be turned off at the account) and
make the ACL depend on that change. Better, drop the ACL: keep ACLs disabled and grant read
access with a bucket policy (see S3L040) or serve the content through CloudFront.`,
	},
	Run: runS3L042,
}

func runS3L042(p *Pass) error {
	e := p.Engine()
	for _, b := range p.Graph.Buckets {
		if len(b.ACLs) == 0 && len(b.ObjectACLs) == 0 {
			continue
		}
		own := b.ObjectOwnership()
		if !own.Known() || own.V == graph.BucketOwnerEnforced {
			// ACLs are disabled (S3L031), or perhaps they are.
			continue
		}
		bpaACLOrdering(p, e, b)
		for _, u := range uploadsOf(b) {
			objectPublicACL(p, e, b, u)
		}
		for _, acl := range b.ACLs {
			if policy.IsPublicACL(acl).T != policy.Yes {
				continue
			}
			at, what := bpaPublicGrant(acl)
			block := bpaFlagState(e, p.Graph, b, bpaBlockPublicAcls)
			ignore := bpaFlagState(e, p.Graph, b, bpaIgnorePublicAcls)
			f := Finding{Range: at, Resource: acl.Address}
			switch {
			case block.certain(b) && !acl.Unchanged:
				// BlockPublicAcls refuses requests that set a public
				// ACL; one in place already stays.
				rejects := "S3 rejects PutBucketAcl with 403 Access Denied"
				switch {
				case b.Format == graph.CloudFormation:
					rejects = "S3 refuses the public ACL that CloudFormation sets when it creates the bucket (CreateBucket, PutBucketAcl)"
				case acl.Address == b.Address:
					rejects = "S3 rejects the CreateBucket or PutBucketAcl call that sets it with 403 Access Denied"
				}
				f.Message = fmt.Sprintf("%s on bucket %s, but BlockPublicAcls is on for it%s: %s and %s; "+
					"if the bucket is meant to be public through its ACL, %s; better, drop the ACL and grant access with a bucket policy (with BlockPublicPolicy off)",
					what, bucketLabel(b), block.because(), rejects, bpaFails(b.Format),
					bpaRelax(b, block, bpaBlockPublicAcls, []bpaFlag{bpaIgnorePublicAcls}, acl.Address, "aws_s3_bucket_acl"))
				f.Related = block.related(b, bpaBlockPublicAcls)
			case (block.on == policy.No || acl.Unchanged) && ignore.certain(b):
				f.Severity = Warning
				f.Message = fmt.Sprintf("%s on bucket %s, but IgnorePublicAcls is on for it%s: S3 stores the ACL and ignores its public grants, "+
					"so the requests they are meant to allow get 403 Access Denied; "+
					"if the bucket is meant to be public through its ACL, %s; better, drop the ACL and grant access with a bucket policy (with BlockPublicPolicy off)",
					what, bucketLabel(b), ignore.because(),
					bpaRelax(b, ignore, bpaIgnorePublicAcls, nil, acl.Address, "aws_s3_bucket_acl"))
				f.Related = ignore.related(b, bpaIgnorePublicAcls)
			default:
				continue
			}
			f.Message = bpaCapitalize(f.Message)
			f.Related = bpaBucketRelated(b, f.Related)
			p.Report(f)
		}
	}
	return nil
}

// bpaACLOrdering reports a public Terraform ACL — an aws_s3_bucket_acl, or
// an upload's acl — that does not wait for the
// aws_s3_bucket_public_access_block that turns BlockPublicAcls off: a new
// bucket has BlockPublicAcls on until that change is applied, so the
// request that sends the ACL fails when it reaches S3 first.
func bpaACLOrdering(p *Pass, e *policy.Engine, b *graph.Bucket) {
	pab := b.PublicAccessBlock
	if b.Format != graph.Terraform || pab == nil || pab.Address == "" || pab.Address == b.Address ||
		!pab.BlockPublicAcls.IsFalse() || e.BlockPublicAccess(b).BlockPublicAcls.On.T != policy.No {
		// No resource of the configuration turns the flag off, or it
		// stays on for the account: not an ordering problem.
		return
	}
	deps := p.Graph.DependsOn[b.Root]
	if _, known := deps[pab.Address]; !known {
		return
	}
	public := func(acl *graph.ACL) bool { return policy.IsPublicACL(acl).T == policy.Yes }
	for _, sd := range unorderedACLs(b, deps, pab.Address, public, public) {
		kind := "a public ACL"
		if sd.upload {
			kind = "an upload with a public ACL"
		}
		msg := fmt.Sprintf("%s, %s, and %s, which turns BlockPublicAcls off for bucket %s, do not depend on each other, so "+
			"Terraform applies them in parallel: when %s reaches S3 first, while the new bucket still has BlockPublicAcls on "+
			"(AWS's default for new buckets since April 2023), %s fails with 403 Access Denied; %s",
			sd.addr, kind, pab.Address, bucketLabel(b), sd.what, sd.call, orderingFix(p, b, sd, pab.Address))
		if sd.reversed {
			msg = fmt.Sprintf("%s, which turns BlockPublicAcls off for bucket %s, depends on %s, %s, so Terraform %s, "+
				"while the new bucket still has BlockPublicAcls on (AWS's default for new buckets since April 2023): %s fails with "+
				"403 Access Denied; remove that dependency and %s",
				pab.Address, bucketLabel(b), sd.addr, kind, sd.first, sd.call, waitFor(sd.addr, pab.Address, sd.what))
		}
		off := pab.Address + " turns BlockPublicAcls off here"
		if pab.BlockPublicAcls.Origin == graph.Default {
			off = pab.Address + " leaves block_public_acls out, which turns BlockPublicAcls off"
		}
		p.Report(Finding{Range: sd.at, Resource: sd.addr, Severity: Warning, Message: msg,
			Related: []Related{{Range: pab.BlockPublicAcls.Range, Message: off}}})
	}
}

// objectPublicACL reports uploads of the configuration that send a public
// canned ACL which Block Public Access rejects or ignores.
func objectPublicACL(p *Pass, e *policy.Engine, b *graph.Bucket, u *upload) {
	acl := u.acl
	if !acl.Canned.Known() || acl.Canned.Origin != graph.Explicit || policy.IsPublicACL(acl).T != policy.Yes {
		return
	}
	block := bpaFlagState(e, p.Graph, b, bpaBlockPublicAcls)
	ignore := bpaFlagState(e, p.Graph, b, bpaIgnorePublicAcls)
	sends := fmt.Sprintf("%s to bucket %s with the canned ACL %s, which gives %s", u.name(), bucketLabel(b), acl.Canned.V, objectACLOthers[acl.Canned.V])
	better := "better, drop the acl argument and let the object be read through a bucket policy (with BlockPublicPolicy off) or CloudFront"
	f := Finding{Range: acl.Canned.Range, Resource: u.block}
	switch {
	case block.certain(b) && u.sent:
		f.Message = fmt.Sprintf("%s, but BlockPublicAcls is on for the bucket%s: S3 rejects the upload (%s) with 403 Access Denied and %s; "+
			"if the object is meant to be public through its ACL, %s; %s",
			sends, block.because(), u.call(), bpaFails(b.Format),
			bpaRelax(b, block, bpaBlockPublicAcls, []bpaFlag{bpaIgnorePublicAcls}, u.block, "aws_s3_bucket_public_access_block"), better)
		f.Related = block.related(b, bpaBlockPublicAcls)
	case (block.on == policy.No || !u.sent) && ignore.certain(b) && acl.Canned.V != "authenticated-read" && objectsUnreadable(e, b, u):
		// authenticated-read is meant for other accounts' callers,
		// whom objectsUnreadable does not ask about.
		f.Severity = Warning
		f.Message = fmt.Sprintf("%s, but IgnorePublicAcls is on for the bucket%s: S3 stores the ACL and ignores it, "+
			"and nothing else lets anonymous callers read the object, so they get 403 Access Denied; "+
			"if the object is meant to be public through its ACL, %s; %s",
			sends, ignore.because(),
			bpaRelax(b, ignore, bpaIgnorePublicAcls, nil, u.block, "aws_s3_bucket_public_access_block"), better)
		f.Related = ignore.related(b, bpaIgnorePublicAcls)
	default:
		return
	}
	f.Related = bpaBucketRelated(b, f.Related)
	p.Report(f)
}

// objectsUnreadable reports whether anonymous reads of an upload's objects
// are refused for certain once their ACL is ignored: the bucket policy
// does not let them in either. Every key must be known.
func objectsUnreadable(e *policy.Engine, b *graph.Bucket, u *upload) bool {
	if len(u.keys) == 0 || len(u.keys) != u.n {
		return false
	}
	arn := policy.BucketARNOf(b)
	for _, k := range u.keys {
		d := e.Decide(policy.Request{Caller: policy.Caller{Kind: policy.CallerAnonymous}, Action: "s3:GetObject", Resource: arn + "/" + k})
		if !d.Outcome.Denied() || stepDenied(d, policy.CheckCaller) {
			// Readable, or refused whatever the ACL: a Requester Pays
			// bucket serves no anonymous request, so that the public
			// ACL being ignored is not what keeps anonymous callers out.
			return false
		}
	}
	return true
}

// bpaPublicGrant finds what makes an ACL public and words it: the canned
// ACL, or the first grant to AllUsers or AuthenticatedUsers.
func bpaPublicGrant(acl *graph.ACL) (graph.Range, string) {
	if acl.Canned.Known() {
		switch acl.Canned.V {
		case "public-read", "public-read-write":
			return acl.Canned.Range, fmt.Sprintf("the canned ACL %s grants everyone (AllUsers) access", acl.Canned.V)
		case "authenticated-read":
			return acl.Canned.Range, "the canned ACL authenticated-read grants every AWS account (AuthenticatedUsers) access"
		}
	}
	for _, g := range acl.Grants {
		if !g.URI.Known() {
			continue
		}
		group := ""
		switch {
		case strings.HasSuffix(g.URI.V, "/global/AllUsers"):
			group = "everyone (AllUsers)"
		case strings.HasSuffix(g.URI.V, "/global/AuthenticatedUsers"):
			group = "every AWS account (AuthenticatedUsers)"
		default:
			continue
		}
		perm := "access"
		if g.Permission.Known() && g.Permission.V != "" {
			perm = g.Permission.V
		}
		return g.Range, fmt.Sprintf("this grant gives %s %s", group, perm)
	}
	return acl.Range, "this ACL is public"
}
