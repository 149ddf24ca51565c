package rules

import (
	"fmt"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L081 finds principals of another account granted on an SSE-KMS bucket
// whose customer-managed key does not admit them.
var S3L081 = &Def{
	M: Meta{
		ID:        "S3L081",
		Name:      "kms-cross-account-key-grant-missing",
		Title:     "the bucket's KMS key policy does not admit a principal of another account the bucket grants",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"kms", "encryption", "key-policy", "cross-account"},
		Doc: `Sharing an SSE-KMS bucket with another account takes three grants: the bucket policy (or an
ACL) must allow the other account's principal, that principal's own IAM policies must allow the
S3 action, and — easily forgotten — the key policy of the bucket's customer-managed key must
admit the other account or principal for ` + "`kms:Decrypt`" + ` (reads) and ` + "`kms:GenerateDataKey`" + `
(writes). IAM policies alone never let anyone use a key of another account: without the key
policy's statement, every GetObject and PutObject from the other account gets 403 Access Denied
(from KMS) although both S3 sides allow it.

The rule asks the engine about every read and write that a policy of the configuration means to
grant a role or user on a bucket encrypted with a customer-managed key of the configuration
(see "Requests worth asking" in docs/engine.md). It reports the key policy — or the key, when it
has no policy and so AWS's default one, which admits only the key's own account — when the caller
is known to be in another account than the key (both accounts are literal: provider
` + "`allowed_account_ids`" + `, ARNs), the engine denies the request at the KMS key, the S3 side allows
it, and no statement of the key policy admits the caller or its account for the KMS action. The
message also says when the caller's own IAM policies lack the KMS action, which cross-account
use needs as well. A bucket policy's grant to another account as a whole (its root ARN or its
ID) is reported when the key policy names no principal of that account at all — nor everyone,
nor anything not known — and the key has no grants: then none of the account's principals can
use the key.

**CloudFormation:** a template does not say which account it is deployed to, so whether a role of
one template and a key of another (or of a Terraform configuration) are in different accounts is
not known, and the rule stays silent there — except for a stack the CDK synthesized for a fixed
account (its cloud assembly's manifest names it), whose grants to literal accounts it checks.

It also stays silent when either account is not known, when the key is not in the configuration,
for the AWS-managed ` + "`aws/s3`" + ` key (it can never be shared: S3L022), when the S3 side denies the
request, when a Deny refuses the KMS action (S3L080's in key policies, S3L060's in identity
policies), when the key policy admits the account but the caller's IAM policies do not allow the
action (S3L080's), and when the decision depends on values not known before deployment (a
` + "`kms:ViaService`" + ` condition for a region the configuration does not fix, for instance).

Bad:

` + "```hcl" + `
provider "aws" {
  allowed_account_ids = ["111111111111"]
}

resource "aws_kms_key" "shared" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{                                  # only the owner account
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_s3_bucket_policy" "shared" {
  bucket = aws_s3_bucket.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.partner_reader.arn }   # a role of account 222222222222
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.shared.arn}/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:root" }
      Action    = "kms:*"
      Resource  = "*"
    }, {
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/partner-reader" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = "*"
    }]
` + "```" + `

Fix: add a statement to the key policy that allows the other account's principal (or the account,
` + "`arn:aws:iam::ACCOUNT:root`" + `, which then delegates to its IAM policies) ` + "`kms:Decrypt`" + ` and
` + "`kms:GenerateDataKey`" + `, and allow the same actions on the key's ARN in that principal's identity
policy.`,
	},
	Run: runS3L081,
}

func runS3L081(p *Pass) error {
	var gaps []kmsGap
	for _, g := range kmsGaps(p, true) {
		if g.side == kmsKeySide && g.cross {
			gaps = append(gaps, g)
		}
	}
	place := func(g kmsGap) (graph.Range, string) {
		r, _ := kmsKeyPlace(g.key)
		return r, r.String()
	}
	for _, grp := range kmsGroups(gaps, place) {
		p.Report(kmsFinding081(grp))
	}
	return nil
}

func kmsFinding081(grp *kmsGroup) Finding {
	g := grp.first
	k := g.key
	c := g.in.Request.Caller
	who, acts, perms, buckets := grp.words()
	target := "arn:aws:iam::" + string(c.Account) + ":root"
	if arn := kmsCallerARN(c); arn != "" {
		target = arn + " (or its account, " + target + ")"
	}
	_, dflt := kmsKeyPlace(k)
	keyWord := "the key policy of " + k.Address + " admits neither " + who + " nor its account " + string(c.Account)
	fix := "add a statement that allows " + target + " " + perms + " to this key policy"
	if dflt {
		keyWord = k.Address + " has no key policy, so AWS's default one admits only its own account " + string(k.Account)
		fix = "give the key a policy that also allows " + target + " " + perms
	}
	also := ""
	if !g.idAllows {
		also = fmt.Sprintf(", and allow %s on the key's ARN in an identity policy of %s (cross-account use needs both)", perms, who)
	}
	if c.Kind == policy.CallerRoot {
		// A grant to the whole account: none of its principals can use
		// the key.
		f := Finding{Range: grp.at, Resource: k.Address,
			Message: fmt.Sprintf("the key policy of %s admits no principal of account %s: the account (%s) is granted %s on %s, which encrypts with this key "+
				"(SSE-KMS, account %s), so every principal of account %s gets 403 Access Denied from KMS although S3 allows "+grp.them()+"; "+
				"add a statement that allows %s %s to this key policy, and allow %s on the key's ARN in the identity policies of the principals of "+
				"account %s that use the bucket (cross-account use needs both)",
				k.Address, c.Account, who, acts, buckets, k.Account, c.Account, "arn:aws:iam::"+string(c.Account)+":root", perms, perms, c.Account)}
		grp.related(&f, true)
		return f
	}
	f := Finding{Range: grp.at, Resource: k.Address,
		Message: fmt.Sprintf("%s: %s (account %s) is granted %s on %s, which encrypts with this key (SSE-KMS, account %s), so "+grp.they()+" 403 Access Denied from KMS although S3 allows "+grp.them()+"; %s%s",
			keyWord, who, c.Account, acts, buckets, k.Account, fix, also)}
	grp.related(&f, true)
	return f
}
