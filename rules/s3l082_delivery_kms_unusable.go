package rules

import (
	"fmt"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L082 finds deliveries into SSE-KMS buckets that cannot encrypt with
// the bucket's or their own key.
var S3L082 = &Def{
	M: Meta{
		ID:        "S3L082",
		Name:      "delivery-kms-unusable",
		Title:     "an AWS service delivering into a bucket cannot use its KMS key",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"logging", "kms", "encryption", "delivery"},
		Doc: `Objects written into a bucket whose default encryption is SSE-KMS are encrypted with the bucket's
key on the writer's behalf, so the writer must be allowed to use the key. For an AWS service that
delivers logs (see S3L032) only the key policy can allow it — a service is not an identity of the
account, so delegating the key to the account does not admit it — and some deliveries cannot
write SSE-KMS objects at all:

- **S3 server access logs**: the S3 User Guide supports only SSE-S3 default encryption on the
  destination bucket, so a target bucket with SSE-KMS or DSSE-KMS default encryption gets no logs.
  Deliveries are reported to work when a customer-managed key's policy admits
  ` + "`logging.s3.amazonaws.com`" + `; the rule is silent in that case, since AWS's documentation and
  behaviour disagree.
- **Application and Classic Load Balancer access logs** support only SSE-S3 on the bucket.
- **A CloudTrail trail with a KMS key** (` + "`kms_key_id`" + `, ` + "`KMSKeyId`" + `): the key policy must allow
  ` + "`cloudtrail.amazonaws.com`" + ` ` + "`kms:GenerateDataKey*`" + `, or creating the trail fails
  (InsufficientEncryptionPolicyException).
- **VPC flow logs, NLB access logs and CloudFront standard logs** into a bucket whose default key is
  a customer-managed key: the key policy must allow ` + "`delivery.logs.amazonaws.com`" + `
  ` + "`kms:GenerateDataKey*`" + `, or no logs arrive.
- **S3 Inventory reports encrypted with a KMS key of their own** (` + "`encryption { sse_kms { key_id } }`" + ` of
  ` + "`aws_s3_bucket_inventory`" + `): S3 generates the data key as ` + "`s3.amazonaws.com`" + `, with
  ` + "`aws:SourceAccount`" + ` and ` + "`aws:SourceArn`" + ` of the source bucket, so the key policy must allow it
  ` + "`kms:GenerateDataKey`" + ` (AWS's inventory guide gives the statement), or no report is written.
  CloudFormation's inventory destination has no encryption setting; a key created in a plan is
  found through the configuration's reference.

The rule reports at the argument that names the destination bucket (or the trail's key) when the
key policy in the configuration — or the default key policy, for a key that declares none —
definitely does not allow the service, or a Deny refuses it.

It stays silent when the key is not in the configuration, for the AWS-managed ` + "`aws/s3`" + ` key
(services cannot be named in its key policy, but whether each delivery falls back or fails is not
documented), for a trail without a key of its own writing into a bucket with a customer-managed
default key (the key policy then needs CloudTrail too, but AWS documents this only in passing),
for AWS Config unless its recorder uses Config's service-linked role (a role of the account uses
the key with its own IAM policies; with the service-linked role the key policy of
` + "`s3_kms_key_arn`" + ` / ` + "`S3KmsKeyArn`" + ` must allow ` + "`config.amazonaws.com`" + `), and when the answer depends on values not known before deployment, such as an
encryption-context condition on a trail ARN whose region is not fixed.

Bad:

` + "```hcl" + `
resource "aws_flow_log" "vpc" {
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.logs.arn   # default key aws_kms_key.logs, whose policy only delegates to the account
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_kms_key" "logs" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      { Effect = "Allow", Principal = { Service = "delivery.logs.amazonaws.com" },
        Action = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource = "*" },
    ]
  })
}
` + "```" + `

Fix: add a key policy statement for the delivering service, or, where the service cannot write
SSE-KMS objects, deliver into a bucket with SSE-S3 default encryption.`,
	},
	Run: runS3L082,
}

func runS3L082(p *Pass) error {
	for _, d := range p.Graph.Deliveries {
		b := d.Bucket
		switch d.Kind {
		case graph.ServerAccessLogs, graph.ELBAccessLogs:
			if b == nil {
				continue
			}
			if kms, _ := b.Encryption.UsesKMS(); !kms {
				continue
			}
			if d.Kind == graph.ServerAccessLogs && b.Encryption.Key != nil &&
				policy.ServiceKeyUse(b.Encryption.Key, d.Kind.Service(), "kms:GenerateDataKey", nil).Outcome == policy.Allow {
				// AWS documents SSE-KMS targets as unsupported, yet
				// deliveries are reported to work when the key policy
				// admits the logging service: uncertain, so silent.
				continue
			}
			what := "S3 server access logs can be delivered only to buckets with SSE-S3 (AES256) default encryption"
			if d.Kind == graph.ELBAccessLogs {
				what = "load balancer access logs support only SSE-S3 (AES256) default encryption on the bucket"
			}
			p.Report(Finding{Range: d.BucketRef.Range, Resource: d.Address,
				Message: fmt.Sprintf("%s go to %s, whose default encryption is %s; %s, so the logs are never delivered; "+
					"use a log bucket with SSE-S3 default encryption", d.What, b.Address, b.Encryption.Algorithm.V, what),
				Related: []Related{{Range: b.Encryption.Range, Message: "default encryption of " + b.Address}}})
		case graph.CloudTrailLogs:
			reportOwnKey(p, d, "cloudtrail.amazonaws.com", sourceContext(d, true, "kms:EncryptionContext:aws:cloudtrail:arn"),
				"so creating the trail fails with InsufficientEncryptionPolicyException")
		case graph.ConfigSnapshots:
			if usesConfigServiceRole(d) {
				reportOwnKey(p, d, "config.amazonaws.com", sourceContext(d, false),
					"so Config cannot deliver snapshots and history files")
			}
		case graph.S3Reports:
			// Inventory reports encrypted with a key of their own: S3
			// generates the data key, as the service, for the source
			// bucket (AWS's inventory guide gives the statement).
			reportOwnKey(p, d, "s3.amazonaws.com", sourceContext(d, true), "so S3 cannot write the reports")
		case graph.VendedLogs, graph.CloudFrontLogs:
			if b == nil || b.Encryption == nil || b.Encryption.Key == nil {
				continue
			}
			if kms, _ := b.Encryption.UsesKMS(); !kms {
				continue
			}
			kv := policy.ServiceKeyUse(b.Encryption.Key, "delivery.logs.amazonaws.com", "kms:GenerateDataKey", nil)
			if !kv.Outcome.Denied() {
				continue
			}
			p.Report(keyFinding(d, b.Encryption.Key, d.BucketRef.Range, "delivery.logs.amazonaws.com", kv,
				"so the logs are never delivered"))
		}
	}
	return nil
}

// sourceContext is what a service sends about the source it delivers for:
// aws:SourceAccount, and, when withARN, aws:SourceArn and the encryption
// context keys arnKeys, all the source's ARN.
func sourceContext(d *graph.Delivery, withARN bool, arnKeys ...string) policy.Context {
	ctx := policy.Context{}
	if withARN && d.SourceARN.Known() {
		for _, k := range append([]string{"aws:SourceArn"}, arnKeys...) {
			ctx.Set(k, d.SourceARN.V)
		}
	}
	if a, ok := accountOf(d); ok {
		ctx.Set("aws:SourceAccount", a)
	}
	return ctx
}

// reportOwnKey reports a delivery whose own key (d.Key: a trail's, a
// delivery channel's, an inventory's) does not let the service generate
// data keys.
func reportOwnKey(p *Pass, d *graph.Delivery, service string, ctx policy.Context, consequence string) {
	if d.Key == nil {
		return
	}
	kv := policy.ServiceKeyUse(d.Key, service, "kms:GenerateDataKey", ctx)
	if kv.Outcome.Denied() {
		p.Report(keyFinding(d, d.Key, d.KeyRef.Range, service, kv, consequence))
	}
}

// keyFinding words a key policy that refuses a delivering service.
func keyFinding(d *graph.Delivery, k *graph.Key, at graph.Range, service string, kv policy.KeyVerdict, consequence string) Finding {
	why := "its key policy has no statement that allows " + service + " kms:GenerateDataKey (delegating to the account does not cover AWS services)"
	if kv.Policy != nil && k.Policy == nil {
		why = "it has the default key policy, which admits only the account's IAM identities, not AWS services"
	}
	f := Finding{Range: at, Resource: d.Address,
		Message: fmt.Sprintf("%s are encrypted with %s, but %s, %s; add a key policy statement allowing the service principal %s kms:GenerateDataKey*",
			d.What, k.Address, why, consequence, service)}
	if kv.Outcome == policy.ExplicitDeny {
		f.Message = fmt.Sprintf("%s are encrypted with %s, but a Deny of its key policy refuses %s kms:GenerateDataKey, %s; exempt the service principal from the Deny",
			d.What, k.Address, service, consequence)
		for _, r := range kv.Denies {
			f.Related = append(f.Related, Related{Range: r.Range(), Message: "the Deny"})
		}
	}
	f.Related = append(f.Related, keyPolicyRelated(k))
	return f
}
