package rules

import (
	"fmt"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L050 finds buckets with MFA delete.
var S3L050 = &Def{
	M: Meta{
		ID:        "S3L050",
		Name:      "mfa-delete-enabled",
		Title:     "versioning with MFA delete: only the root user with its MFA code may delete versions",
		Severity:  Warning,
		Since:     "0.1.0",
		Default:   true,
		Precision: "very-high",
		Tags:      []string{"versioning", "mfa"},
		Doc: `MFA delete lives in a bucket's versioning configuration. While it is on, permanently deleting an
object version (s3:DeleteObjectVersion) and changing the versioning state
(s3:PutBucketVersioning) need the ` + "`x-amz-mfa`" + ` header with the serial number and a current code of
the bucket owner's **root user's** MFA device, over HTTPS. No policy can grant that: every role,
user and service gets 403 Access Denied on those calls — cleanup jobs, replication tooling,
Terraform itself when it applies the versioning resource as anything but the root user. Only the
root user can turn MFA delete on or off, and only through the CLI or the API.

MFA delete cannot be used with lifecycle rules either, so a configuration that declares both
fails to apply: that case is an error.

The rule reports ` + "`mfa_delete = \"Enabled\"`" + ` in ` + "`aws_s3_bucket_versioning`" + ` and ` + "`mfa_delete = true`" + ` in
the legacy ` + "`versioning`" + ` block of ` + "`aws_s3_bucket`" + ` (which only records that it is on; the provider
cannot turn it on). It names, as related locations, the roles and users that the configuration
grants s3:DeleteObjectVersion or s3:PutBucketVersioning on the bucket and that the engine finds
refused because of MFA delete. CloudFormation cannot set MFA delete (` + "`VersioningConfiguration`" + `
has only ` + "`Status`" + `), so the rule never reports a template. It stays silent when the value is not
known before deployment.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_versioning" "audit" {
  bucket = aws_s3_bucket.audit.id
  mfa    = "arn:aws:iam::111111111111:mfa/root-account-mfa-device 123456"
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Enabled"   # every DeleteObjectVersion but the root user's gets 403
  }
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_s3_bucket_versioning" "audit" {
  bucket = aws_s3_bucket.audit.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "audit" {
  bucket = aws_s3_bucket.audit.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 90
    }
  }
}
` + "```" + `

Fix: if versions must be protected from deletion, use S3 Object Lock or a bucket policy Deny of
s3:DeleteObjectVersion with exceptions for the principals that may delete, and let lifecycle
rules expire old versions; then have the root user turn MFA delete off
(` + "`aws s3api put-bucket-versioning --versioning-configuration Status=Enabled,MFADelete=Disabled --mfa \"SERIAL CODE\"`" + `).
If MFA delete is meant to stay, keep lifecycle rules off the bucket and do not give automation
version deletes.`,
	},
	Run: runS3L050,
}

// mfaDeleteActions are the calls that MFA delete restricts to the root user.
var mfaDeleteActions = map[string]bool{"s3:DeleteObjectVersion": true, "s3:PutBucketVersioning": true}

func runS3L050(p *Pass) error {
	for _, b := range p.Graph.Buckets {
		v := b.Versioning
		if v == nil || !v.MFADelete.IsTrue() || v.MFADelete.Origin != graph.Explicit {
			continue
		}
		name := bucketLabel(b)
		f := Finding{Range: v.MFADelete.Range, Resource: v.Address}
		blocked := mfaBlocked(p.Engine(), b)
		var who []string
		for _, bl := range blocked {
			who = append(who, bl.who+" ("+bl.action+")")
			f.Related = append(f.Related, Related{Range: bl.at,
				Message: fmt.Sprintf("%s is granted %s on bucket %s here, but gets 403 Access Denied: only the root user with its MFA code may", bl.who, bl.action, name)})
		}
		msg := fmt.Sprintf("MFA delete is on for bucket %s: s3:DeleteObjectVersion and s3:PutBucketVersioning need the x-amz-mfa header with the MFA code of the bucket owner's root user, "+
			"so every role, user and service gets 403 Access Denied on them", name)
		if len(who) > 0 {
			msg += ", including what the configuration grants " + list(distinctStrings(who))
		}
		if v.Address != b.Address {
			msg += "; applying " + v.Address + " (PutBucketVersioning) itself needs the root user's credentials and a current MFA code"
		}
		if b.Lifecycle != nil {
			f.Severity = Error
			msg += "; MFA delete cannot be used with lifecycle rules, and " + b.Lifecycle.Address + " declares some for this bucket, so the configuration fails to apply"
			f.Related = append(f.Related, Related{Range: b.Lifecycle.Range, Message: "lifecycle rules of bucket " + name + " are declared here; they cannot coexist with MFA delete"})
		}
		msg += "; unless the root user is meant to do every version delete by hand, turn MFA delete off and protect versions with S3 Object Lock or a bucket policy Deny of s3:DeleteObjectVersion"
		f.Message = msg
		p.Report(f)
	}
	return nil
}

// mfaDenied is a principal that the configuration grants a call that MFA
// delete refuses it.
type mfaDenied struct {
	who, action string
	at          graph.Range
}

// mfaBlocked lists the intents on the bucket for calls that MFA delete
// restricts, by callers other than the root user, that the engine finds
// refused by MFA delete.
func mfaBlocked(e *policy.Engine, b *graph.Bucket) []mfaDenied {
	var out []mfaDenied
	for i := range e.Intents() {
		in := &e.Intents()[i]
		if in.Bucket != b || !mfaDeleteActions[in.Request.Action] || in.Request.Caller.Kind == policy.CallerRoot {
			continue
		}
		if e.IntentOutcome(in) != policy.ExplicitDeny {
			continue
		}
		d := e.DecideIntent(in)
		if s := d.Step(policy.CheckMFA); s == nil || s.Status != policy.Denied {
			continue
		}
		at := in.Item.Range
		if at.IsZero() {
			at = in.Statement.Range
		}
		out = append(out, mfaDenied{who: in.Request.Caller.Label(), action: in.Request.Action, at: at})
	}
	return out
}

// distinctStrings drops repeated strings, keeping the first of each.
func distinctStrings(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
