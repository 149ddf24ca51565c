package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L031 finds ACLs on buckets whose ACLs are disabled.
var S3L031 = &Def{
	M: Meta{
		ID:        "S3L031",
		Name:      "acl-on-acl-disabled-bucket",
		Title:     "bucket with ACLs disabled is given an ACL, or a policy demands one",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"acl", "object-ownership"},
		Doc: `With object ownership **BucketOwnerEnforced** — set explicitly, or by default: every bucket
created since April 2023 without an ownership setting gets it — ACLs are disabled. S3 then
refuses to store an ACL that gives anyone but the bucket owner access: PutBucketAcl fails with
400 AccessControlListNotSupported, creating a bucket with such an ACL fails with 400
InvalidBucketAclWithObjectOwnership, and so does turning BucketOwnerEnforced on while the bucket
ACL grants others. Uploads that send an ACL other than ` + "`bucket-owner-full-control`" + ` fail with 400
AccessControlListNotSupported. These are not 403 Access Denied, but the same kind of breakage:
the apply fails, or the access the ACL was written for never exists.

The rule reports, on a bucket whose ownership is BucketOwnerEnforced:

- a canned ACL other than ` + "`private`" + ` and ` + "`bucket-owner-full-control`" + ` — ` + "`aws_s3_bucket_acl`" + `, the ` + "`acl`" + ` argument of
  ` + "`aws_s3_bucket`" + `, CloudFormation's ` + "`AccessControl`" + ` (` + "`PublicRead`" + `, ` + "`LogDeliveryWrite`" + ` …);
- a grant to the AllUsers, AuthenticatedUsers or LogDelivery group (` + "`grant`" + ` blocks,
  ` + "`access_control_policy`" + `), including log delivery by ACL (` + "`log-delivery-write`" + `);
- an upload of the configuration that sends such a canned ACL with its object (` + "`public-read`" + `,
  ` + "`public-read-write`" + `, ` + "`authenticated-read`" + `, ` + "`aws-exec-read`" + `): the ` + "`acl`" + ` argument of Terraform's
  ` + "`aws_s3_object`" + `, ` + "`aws_s3_bucket_object`" + ` (its name before provider version 4) and ` + "`aws_s3_object_copy`" + `,
  whose PutObject (PutObjectAcl when only the ACL changes; CopyObject for a copy) S3 rejects. The
  uploads of one resource block (a ` + "`for_each`" + ` over a site's files) are reported once;
- a bucket policy statement that makes uploads send another ACL: an Allow of s3:PutObject
  conditioned on ` + "`StringEquals`" + ` (or ` + "`StringLike`" + `) ` + "`s3:x-amz-acl`" + ` with only ACLs that grant others
  (` + "`public-read`" + `, ` + "`public-read-write`" + `, ` + "`authenticated-read`" + `, ` + "`aws-exec-read`" + `,
  ` + "`log-delivery-write`" + `), whose uploads S3 rejects; or a Deny of s3:PutObject with ` + "`StringNotEquals`" + `
  (or ` + "`StringNotLike`" + `) on such values, which leaves no upload that can succeed.

In Terraform, an ` + "`aws_s3_bucket_acl`" + ` (or an upload whose ` + "`acl`" + ` does) that gives others access must also wait for the
` + "`aws_s3_bucket_ownership_controls`" + ` that enables ACLs (ObjectWriter or BucketOwnerPreferred): a
new bucket has ACLs disabled until that change is applied, and Terraform applies resources that do
not depend on each other in parallel, so PutBucketAcl fails with 400 AccessControlListNotSupported
whenever it reaches S3 first (often on the first apply only). That is a warning, at the ACL, when
the ACL does not depend on the ownership controls, directly or transitively (` + "`depends_on`" + `, as the
AWS provider's own example writes it).

The rule stays silent where AWS's documentation does not settle the outcome: a ` + "`private`" + ` or
` + "`bucket-owner-full-control`" + ` ACL (AWS accepts ACLs that give the bucket owner full control;
field reports say a separate PutBucketAcl call fails even with ` + "`private`" + `, so drop it anyway),
grants to canonical user IDs or e-mail addresses (which may be the owner's own), policies whose
ACL values include ` + "`private`" + `, ` + "`bucket-owner-read`" + ` or ` + "`bucket-owner-full-control`" + `, and whatever is not
known before deployment. For buckets read from a Terraform plan or state that declare no
ownership setting it also stays silent: the bucket may predate the 2023 default.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = "log-delivery-write"   # no ownership setting: BucketOwnerEnforced, 400
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.logs.arn}/*"
    }]
  })
}
` + "```" + `

Fix: drop the ACL and grant the access in the bucket policy — server access logs through the
` + "`logging.s3.amazonaws.com`" + ` service principal, public reads through a policy (with Block Public
Access relaxed) or CloudFront. If ACLs are really needed, set object ownership to
BucketOwnerPreferred or ObjectWriter and make the ACL depend on that setting — as they are for a
bucket that receives CloudFront standard logs, which CloudFront writes through an ACL grant (the
finding says so when a distribution of the configuration logs into the bucket).`,
	},
	Run: runS3L031,
}

// Grantee groups of ACLs.
const (
	aclAllUsers     = "http://acs.amazonaws.com/groups/global/AllUsers"
	aclAuthUsers    = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	aclLogDelivery  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
	aclOwnerControl = "bucket-owner-full-control"
)

// aclOthers are the canned ACLs that give others than the owner access, and
// whom.
var aclOthers = map[string]string{
	"public-read":        "everyone (AllUsers) read access",
	"public-read-write":  "everyone (AllUsers) read and write access",
	"authenticated-read": "every AWS account (AuthenticatedUsers) read access",
	"aws-exec-read":      "Amazon EC2 read access",
	"log-delivery-write": "the S3 log delivery group write access",
}

// aclUnsettled are canned ACLs that S3 may or may not accept with ACLs
// disabled: they give the owner full control, and AWS's documentation
// does not say how S3 reads them on such a bucket.
var aclUnsettled = []string{"private", "bucket-owner-read", aclOwnerControl}

func runS3L031(p *Pass) error {
	for _, b := range p.Graph.Buckets {
		aclOrdering(p, b)
		own := b.ObjectOwnership()
		if !own.Known() || own.V != graph.BucketOwnerEnforced {
			continue
		}
		if own.Origin == graph.Default && b.Format == graph.TerraformPlan {
			// The bucket may exist already, created before the 2023
			// default.
			continue
		}
		for _, acl := range b.ACLs {
			aclFindings(p, b, own, acl)
		}
		for _, u := range uploadsOf(b) {
			objectACLFinding(p, b, own, u)
		}
		for _, pol := range b.Policies {
			if pol.Doc == nil {
				continue
			}
			for _, st := range pol.Doc.Statements {
				if !st.Unknown {
					aclPolicyFinding(p, b, own, pol, st)
				}
			}
		}
	}
	return nil
}

// aclOwnership words why ACLs are disabled, and points at the setting.
func aclOwnership(b *graph.Bucket, own graph.String) (string, Related) {
	if own.Origin == graph.Default {
		return "it declares no object ownership, so a bucket created now gets BucketOwnerEnforced (AWS's default since April 2023), which disables ACLs",
			Related{Range: b.Range, Message: "bucket " + bucketLabel(b) + " declares no object ownership: BucketOwnerEnforced (ACLs disabled)"}
	}
	where := b.Address
	if b.Ownership != nil && b.Ownership.Address != "" {
		where = b.Ownership.Address
	}
	return "its object ownership is BucketOwnerEnforced (set in " + where + "), which disables ACLs",
		Related{Range: own.Range, Message: "object ownership BucketOwnerEnforced disables ACLs here"}
}

// aclCall names the call that fails for an ACL of a bucket.
func aclCall(b *graph.Bucket, acl *graph.ACL) string {
	switch {
	case b.Format == graph.CloudFormation:
		return "CloudFormation creates the bucket with this ACL, which S3 refuses with 400 InvalidBucketAclWithObjectOwnership, and the stack fails"
	case acl.Address != b.Address:
		return "PutBucketAcl fails with 400 AccessControlListNotSupported and the apply fails"
	}
	return "S3 refuses the ACL with 400 (InvalidBucketAclWithObjectOwnership when the bucket is created with it, " +
		"AccessControlListNotSupported when PutBucketAcl sets it later) and the apply fails"
}

// aclFix says what to do about an ACL on a bucket with ACLs disabled; a
// public one (everyone, every AWS account) also needs Block Public Access
// relaxed, or S3 refuses it next with 403 (S3L042).
func aclFix(p *Pass, b *graph.Bucket, logDelivery, public bool) string {
	relax := relaxFor(p, b, public)
	if receivesCloudFrontLogs(p, b) {
		// CloudFront standard logs are written with an ACL grant: the
		// policy cannot stand in for it.
		return "CloudFront standard logs go to this bucket and need ACLs, so set object ownership to " +
			"BucketOwnerPreferred (or ObjectWriter) before the ACL"
	}
	if logDelivery {
		return "drop the ACL and let server access logs in through the bucket policy " +
			"(an Allow of s3:PutObject for the service principal logging.s3.amazonaws.com); " +
			"if ACLs are really needed, set object ownership to BucketOwnerPreferred or ObjectWriter first"
	}
	return "drop the ACL and grant the access in the bucket policy; " +
		"if ACLs are really needed, set object ownership to BucketOwnerPreferred or ObjectWriter first" + relax
}

// receivesCloudFrontLogs reports whether a distribution of the
// configuration writes its standard logs into b.
func receivesCloudFrontLogs(p *Pass, b *graph.Bucket) bool {
	for _, d := range p.Graph.Deliveries {
		if d.Kind == graph.CloudFrontLogs && d.Bucket == b {
			return true
		}
	}
	return false
}

func aclFindings(p *Pass, b *graph.Bucket, own graph.String, acl *graph.ACL) {
	why, rel := aclOwnership(b, own)
	if acl.Canned.Known() && acl.Canned.Origin == graph.Explicit {
		if whom, ok := aclOthers[acl.Canned.V]; ok {
			p.Report(Finding{
				Range:    acl.Canned.Range,
				Resource: acl.Address,
				Message: fmt.Sprintf("the canned ACL %s gives %s to bucket %s, but %s: %s; %s",
					acl.Canned.V, whom, bucketLabel(b), why, aclCall(b, acl), aclFix(p, b, acl.Canned.V == "log-delivery-write", policy.PublicCannedACL(acl.Canned.V))),
				Related: []Related{rel},
			})
		}
	}
	// Grant blocks with several permissions become one grant each, at
	// the same place: report each place once.
	type place struct {
		at    graph.Range
		group string
		perms []string
		log   bool
	}
	var places []*place
	byRange := map[graph.Range]*place{}
	for _, g := range acl.Grants {
		if !g.URI.Known() {
			continue
		}
		var group string
		switch g.URI.V {
		case aclAllUsers:
			group = "everyone (AllUsers)"
		case aclAuthUsers:
			group = "every AWS account (AuthenticatedUsers)"
		case aclLogDelivery:
			group = "the S3 log delivery group"
		default:
			continue
		}
		pl := byRange[g.Range]
		if pl == nil {
			pl = &place{at: g.Range, group: group, log: g.URI.V == aclLogDelivery}
			byRange[g.Range] = pl
			places = append(places, pl)
		}
		if g.Permission.Known() && g.Permission.V != "" {
			pl.perms = append(pl.perms, g.Permission.V)
		}
	}
	for _, pl := range places {
		what := "access"
		if len(pl.perms) > 0 {
			what = list(pl.perms)
		}
		p.Report(Finding{
			Range:    pl.at,
			Resource: acl.Address,
			Message: fmt.Sprintf("this ACL grant gives %s %s on bucket %s, but %s: %s; %s",
				pl.group, what, bucketLabel(b), why, aclCall(b, acl), aclFix(p, b, pl.log, !pl.log)),
			Related: []Related{rel},
		})
	}
}

// objectACLFinding reports uploads of the configuration that send an ACL
// giving others access to a bucket with ACLs disabled.
func objectACLFinding(p *Pass, b *graph.Bucket, own graph.String, u *upload) {
	acl := u.acl
	if !givesOthersOnObject(acl) || !u.sent {
		// An object that exists already keeps its ACL, which ACLs
		// disabled only ignore: no request fails.
		return
	}
	why, rel := aclOwnership(b, own)
	p.Report(Finding{
		Range:    acl.Canned.Range,
		Resource: u.block,
		Message: fmt.Sprintf("%s with the canned ACL %s to bucket %s, but %s: "+
			"S3 rejects the upload (%s) with 400 AccessControlListNotSupported and the apply fails; "+
			"drop the acl argument and grant the access in the bucket policy (public reads: a policy with Block Public Access relaxed, or CloudFront); "+
			"if ACLs are really needed, set object ownership to BucketOwnerPreferred or ObjectWriter first%s",
			u.name(), acl.Canned.V, bucketLabel(b), why, u.call(), relaxFor(p, b, policy.PublicCannedACL(acl.Canned.V))),
		Related: []Related{rel},
	})
}

// relaxFor is what a public ACL needs besides ACLs enabled: BlockPublicAcls
// off, unless the configuration turns it off for the bucket already.
func relaxFor(p *Pass, b *graph.Bucket, public bool) string {
	if !public || p.Engine().BlockPublicAccess(b).BlockPublicAcls.On.T == policy.No {
		return ""
	}
	return ", and BlockPublicAcls off for the bucket (it is on for new buckets)"
}

// aclPolicyFinding reports a bucket policy statement that makes uploads
// send an ACL that S3 refuses on a bucket with ACLs disabled.
func aclPolicyFinding(p *Pass, b *graph.Bucket, own graph.String, pol *graph.Policy, st *graph.Statement) {
	if !statementAllowsPut(st) || (!st.IsAllow() && !st.IsDeny()) {
		return
	}
	for i := range st.Conditions {
		c := &st.Conditions[i]
		if !c.Key.Known() || !strings.EqualFold(c.Key.V, "s3:x-amz-acl") || !c.Operator.Known() || c.Unknown {
			continue
		}
		op := c.Operator.V
		like := strings.Contains(op, "Like")
		fold := strings.Contains(op, "IgnoreCase")
		var applies bool
		switch {
		case st.IsAllow():
			// IfExists would let uploads without the header through.
			applies = op == "StringEquals" || op == "StringEqualsIgnoreCase" || op == "StringLike"
		default:
			applies = op == "StringNotEquals" || op == "StringNotEqualsIgnoreCase" || op == "StringNotLike" ||
				op == "StringNotEqualsIfExists" || op == "StringNotEqualsIgnoreCaseIfExists" || op == "StringNotLikeIfExists"
		}
		if !applies || len(c.Values) == 0 {
			continue
		}
		values, ok := aclDemanded(c.Values, like, fold)
		if !ok {
			continue
		}
		values = "the ACL " + values
		if like {
			values = "an ACL matching " + strings.TrimPrefix(values, "the ACL ")
		}
		why, rel := aclOwnership(b, own)
		var msg string
		if st.IsAllow() {
			msg = fmt.Sprintf("this Allow lets s3:PutObject through only for uploads that send %s (s3:x-amz-acl), but bucket %s has ACLs disabled: %s; "+
				"S3 rejects such uploads with 400 AccessControlListNotSupported, so this grant never lets an upload succeed; "+
				"drop the condition (or require bucket-owner-full-control) and grant read access in the bucket policy instead",
				values, bucketLabel(b), why)
		} else {
			msg = fmt.Sprintf("this Deny refuses every upload (s3:PutObject) that does not send %s (s3:x-amz-acl) with 403 Access Denied, but bucket %s has ACLs disabled: %s; "+
				"S3 rejects the uploads that send it with 400 AccessControlListNotSupported, so no upload the Deny applies to can succeed; "+
				"require bucket-owner-full-control instead, or drop the condition",
				values, bucketLabel(b), why)
		}
		if pol.Variant != nil {
			msg += " (this policy is in place when " + pol.Variant.Describe() + ")"
		}
		p.Report(Finding{Range: c.Range, Resource: pol.Address, Message: msg, Related: []Related{rel}})
		return
	}
}

// aclDemanded reads the values of an s3:x-amz-acl condition: ok when every
// value is known and can only be an ACL that gives others access (so S3
// refuses it on a bucket with ACLs disabled), with the values worded.
func aclDemanded(vals []graph.String, like, fold bool) (string, bool) {
	var names []string
	for _, v := range vals {
		if !v.Known() {
			return "", false
		}
		pat := v.V
		if fold {
			pat = strings.ToLower(pat)
		}
		match := func(s string) bool {
			if like {
				return policy.MatchResource(pat, s)
			}
			return pat == s
		}
		for _, u := range aclUnsettled {
			if match(u) {
				return "", false
			}
		}
		others := false
		for name := range aclOthers {
			others = others || match(name)
		}
		if !others {
			return "", false
		}
		names = append(names, v.V)
	}
	return strings.Join(names, " or "), true
}

// aclOrdering reports a Terraform aws_s3_bucket_acl that gives others
// access and does not wait for the aws_s3_bucket_ownership_controls that
// enables ACLs on its bucket: a new bucket has ACLs disabled until the
// ownership change, so PutBucketAcl fails when it reaches S3 first.
func aclOrdering(p *Pass, b *graph.Bucket) {
	own := b.Ownership
	if own == nil || own.Address == "" || own.Address == b.Address || b.Format != graph.Terraform || own.Root != b.Root {
		return
	}
	if !own.Rule.Known() || (own.Rule.V != graph.BucketOwnerPreferred && own.Rule.V != graph.ObjectWriter) {
		return
	}
	deps := p.Graph.DependsOn[b.Root]
	if _, known := deps[own.Address]; !known {
		return
	}
	for _, sd := range unorderedACLs(b, deps, own.Address, aclGivesOthers, givesOthersOnObject) {
		msg := fmt.Sprintf("%s and %s, which enables ACLs on bucket %s (%s), do not depend on each other, so Terraform applies them in "+
			"parallel: when %s reaches S3 first, while the new bucket still has ACLs disabled (BucketOwnerEnforced, the default), "+
			"%s fails with 400 AccessControlListNotSupported; %s",
			sd.addr, own.Address, bucketLabel(b), own.Rule.V, sd.what, sd.call, orderingFix(p, b, sd, own.Address))
		if sd.reversed {
			msg = fmt.Sprintf("%s, which enables ACLs on bucket %s (%s), depends on %s, so Terraform %s, while "+
				"the new bucket still has ACLs disabled (BucketOwnerEnforced, the default): %s fails with 400 "+
				"AccessControlListNotSupported; remove that dependency and %s",
				own.Address, bucketLabel(b), own.Rule.V, sd.addr, sd.first, sd.call, waitFor(sd.addr, own.Address, sd.what))
		}
		p.Report(Finding{Range: sd.at, Resource: sd.addr, Severity: Warning, Message: msg,
			Related: []Related{{Range: own.Rule.Range, Message: own.Address + " enables ACLs here"}}})
	}
}

// aclGivesOthers reports whether an ACL gives anyone but the bucket owner
// access: a canned ACL that does, or a grant to a group.
func aclGivesOthers(acl *graph.ACL) bool {
	if acl.Canned.Known() && acl.Canned.Origin == graph.Explicit {
		if _, ok := aclOthers[acl.Canned.V]; ok {
			return true
		}
	}
	for _, g := range acl.Grants {
		if g.URI.Known() && (g.URI.V == aclAllUsers || g.URI.V == aclAuthUsers || g.URI.V == aclLogDelivery) {
			return true
		}
	}
	return false
}

// waitFor says how to make resource from (what, for people) wait for
// resource to, as depends_on can name it from from's module (see
// dependsOnName), or otherwise by a reference for the user to thread
// through the module calls.
func waitFor(from, to, what string) string {
	name, call := dependsOnName(from, to)
	switch {
	case name == "":
		return fmt.Sprintf("make %s depend on %s (through the module calls between them)", what, to)
	case call:
		return fmt.Sprintf("add depends_on = [%s] to %s (the module that holds %s)", name, what, to)
	}
	return fmt.Sprintf("add depends_on = [%s] to %s", name, what)
}
