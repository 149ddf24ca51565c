package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L030 finds buckets whose ownership setting leaves objects that other
// accounts upload in those accounts' hands.
var S3L030 = &Def{
	M: Meta{
		ID:        "S3L030",
		Name:      "object-writer-foreign-objects",
		Title:     "objects other accounts upload stay theirs, out of reach of the bucket policy",
		Severity:  Warning,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"object-ownership", "acl", "cross-account"},
		Doc: `With object ownership **ObjectWriter** the account that uploads an object owns it. With
**BucketOwnerPreferred** the same holds for every upload that does not send the
` + "`bucket-owner-full-control`" + ` ACL. The bucket owner's bucket policy Allows do not reach objects
another account owns: only the object's ACL, which its writer sets, can grant access to them. So
when a bucket policy lets another account upload, the owner's own roles and everyone the bucket
policy grants get 403 Access Denied on GetObject of those objects (the owner can still delete
them, and a Deny still applies).

The rule reports the ownership setting of a bucket when a statement of its bucket policy allows
s3:PutObject to an account that is known to differ from the bucket's (a 12-digit ID, or the
account in a role or user ARN) and the engine does not find the upload denied. For
BucketOwnerPreferred it stays silent when the bucket policy requires the
` + "`bucket-owner-full-control`" + ` ACL on uploads (an Allow of s3:PutObject with
` + "`StringEquals s3:x-amz-acl bucket-owner-full-control`" + `, or a Deny with ` + "`StringNotEquals`" + `): the
bucket owner then owns every object. With ObjectWriter that requirement gives the owner's account
full control through the object ACL, but the writer still owns the object and the bucket
policy's Allows still do not reach it, so the rule still reports it.

The rule stays silent when it cannot tell that the writer is another account: an account that is
not known before deployment, a CloudFormation template (which does not say which account it is
deployed to) granting a single literal account, a role of the configuration whose account is not
stated, and AWS services such as delivery.logs.amazonaws.com, whose accounts the configuration
does not name. When a policy lets two different literal accounts upload, at least one of them is
not the bucket's, and the rule reports the bucket even when the bucket's own account is not
known.

Bad:

` + "```hcl" + `
provider "aws" {
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket_ownership_controls" "reports" {
  bucket = aws_s3_bucket.reports.id
  rule {
    object_ownership = "ObjectWriter"   # uploads of 222222222222 stay 222222222222's
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:root" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.reports.arn}/incoming/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_s3_bucket_ownership_controls" "reports" {
  bucket = aws_s3_bucket.reports.id
  rule {
    object_ownership = "BucketOwnerEnforced"   # the bucket owner owns every object
  }
}
` + "```" + `

Fix: set object ownership to BucketOwnerEnforced (ACLs disabled; the bucket owner owns every
object; writers must send no ACL or ` + "`bucket-owner-full-control`" + `). If ACLs must stay enabled, use
BucketOwnerPreferred and require ` + "`bucket-owner-full-control`" + ` in the bucket policy:

` + "```json" + `
{
  "Effect": "Deny",
  "Principal": "*",
  "Action": "s3:PutObject",
  "Resource": "arn:aws:s3:::BUCKET/*",
  "Condition": {"StringNotEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
}
` + "```" + `

Objects uploaded before the change keep their owner: copy them over themselves (as the bucket
owner) to take ownership.`,
	},
	Run: runS3L030,
}

// foreignWriter is an account that a bucket policy statement lets upload
// objects to the bucket.
type foreignWriter struct {
	account graph.Account
	caller  policy.Caller
	object  string      // the object ARN the statement lets it upload
	at      graph.Range // the principal entry that names it
	// when lists the template conditions under which the policy that
	// names it is in place, when not every alternative names it.
	when []string
	// foreign: the account is known to differ from the bucket's.
	foreign bool
}

func runS3L030(p *Pass) error {
	e := p.Engine()
	for _, b := range p.Graph.Buckets {
		own := b.ObjectOwnership()
		if !own.Known() || (own.V != graph.ObjectWriter && own.V != graph.BucketOwnerPreferred) {
			continue
		}
		writers := uploaders(e, b, own.V == graph.BucketOwnerPreferred)
		var foreign []foreignWriter
		ids := map[graph.Account]bool{}
		for _, w := range writers {
			if w.foreign {
				foreign = append(foreign, w)
			}
			if w.account.IsID() {
				ids[w.account] = true
			}
		}
		certain := len(foreign) > 0
		if !certain {
			if len(ids) < 2 {
				continue
			}
			// Two different accounts may upload: at most one of them
			// owns the bucket.
			for _, w := range writers {
				if w.account.IsID() {
					foreign = append(foreign, w)
				}
			}
		}
		p.Report(foreignObjectsFinding(e, b, own, foreign, certain))
	}
	return nil
}

// uploaders lists the accounts that the bucket's policies let upload
// objects, other than the bucket owner's own account, and that the engine
// does not find denied. With preferred (BucketOwnerPreferred), only uploads
// without bucket-owner-full-control count: uploads with it hand the object
// to the bucket owner.
func uploaders(e *policy.Engine, b *graph.Bucket, preferred bool) []foreignWriter {
	arn := policy.BucketARNOf(b)
	var out []foreignWriter
	// A principal entry that several alternatives of a template policy
	// share is one place: it is reported once, with the conditions under
	// which it is in place unless every alternative has it.
	byPlace := map[graph.Range]int{}
	alternatives := map[string]int{}
	for _, pol := range b.Policies {
		if pol.Variant != nil {
			alternatives[pol.Variant.Group]++
		}
	}
	whens := map[graph.Range][]string{}
	groups := map[graph.Range]string{}
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if st.Unknown || !st.IsAllow() || st.Principal == nil || st.Principal.Unknown || st.Principal.Wildcard {
				continue
			}
			if !statementAllowsPut(st) {
				continue
			}
			object := objectARNIn(st, arn)
			if object == "" {
				continue
			}
			for _, ent := range st.Principal.Entries {
				if !ent.Type.Is("AWS") || ent.Unknown {
					continue
				}
				for _, v := range ent.Values {
					if !v.Known() {
						continue
					}
					caller, ok := policy.CallerFromARN(v.V)
					if !ok || caller.Kind == policy.CallerAnonymous || caller.Kind == policy.CallerService || !caller.Account.Known() ||
						caller.Account == graph.OAIAccount {
						// Who owns what a CloudFront origin access identity
						// uploads is not documented: silent.
						continue
					}
					if pol.Variant != nil {
						whens[v.Range] = append(whens[v.Range], pol.Variant.Describe())
						groups[v.Range] = pol.Variant.Group
					}
					if _, dup := byPlace[v.Range]; dup {
						continue
					}
					same, known := caller.Account.SameAs(b.Account)
					if known && same {
						continue
					}
					if !mayUpload(e, caller, object, preferred) {
						continue
					}
					byPlace[v.Range] = len(out)
					out = append(out, foreignWriter{account: caller.Account, caller: caller, object: object, at: v.Range, foreign: known && !same})
				}
			}
		}
	}
	for i := range out {
		w := &out[i]
		if ws := whens[w.at]; len(ws) > 0 && len(ws) < alternatives[groups[w.at]] {
			w.when = ws
		}
	}
	return out
}

// statementAllowsPut reports whether a statement's Action names
// s3:PutObject, exactly or by a wildcard.
func statementAllowsPut(st *graph.Statement) bool {
	if !st.Action.Present || st.NotAction.Present {
		return false
	}
	for _, it := range st.Action.Items {
		if it.Known() && policy.MatchAction(it.V, "s3:PutObject") {
			return true
		}
	}
	return false
}

// objectARNIn is an object of the bucket that a statement's Resource names,
// with wildcards standing for any key, or "" when it names none.
func objectARNIn(st *graph.Statement, bucketARN string) string {
	res, ok := knownResources(st)
	if !ok {
		return ""
	}
	prefix := bucketARN + "/"
	for _, r := range res {
		if strings.HasPrefix(r.V, prefix) && len(r.V) > len(prefix) {
			return prefix + policy.WildcardsAsKey(r.V[len(prefix):])
		}
	}
	for _, r := range res {
		if policy.CanMatchObjectIn(r.V, bucketARN) {
			return prefix + "<key>"
		}
	}
	return ""
}

// mayUpload reports whether the engine leaves an upload by the caller from
// another account possible: not certainly denied. With preferred, it asks
// about uploads that send no ACL, or the private one: those stay the
// writer's.
func mayUpload(e *policy.Engine, c policy.Caller, object string, preferred bool) bool {
	req := policy.Request{Caller: c, Action: "s3:PutObject", Resource: object}
	if !preferred {
		return crossAccountMay(e.Decide(req))
	}
	for _, acl := range []string{"", "private"} {
		ctx := policy.Context{}
		if acl == "" {
			ctx.SetAbsent("s3:x-amz-acl")
		} else {
			ctx.Set("s3:x-amz-acl", acl)
		}
		req.Context = ctx
		if crossAccountMay(e.Decide(req)) {
			return true
		}
	}
	return false
}

// crossAccountMay reads a decision as if the caller were in another
// account than the bucket, which is the case the rule is about even when
// the engine cannot tell the accounts apart: then the bucket's side must
// grant (a bucket policy Allow or an ACL grant that may match) and no Deny
// may match for sure.
func crossAccountMay(d policy.Decision) bool {
	if d.Outcome.Denied() {
		return false
	}
	if s := d.Step(policy.CheckConditions); s != nil {
		// The template puts different policies in place: in some of
		// them the upload is not denied.
		return true
	}
	for _, r := range d.Denies {
		if r.Match.T == policy.Yes {
			return false
		}
	}
	for _, r := range d.Allows {
		if r.Policy.Kind == graph.BucketPolicy && r.Match.T != policy.No {
			return true
		}
	}
	if s := d.Step(policy.CheckACL); s != nil && (s.Status == policy.Allowed || s.Status == policy.Undecided) {
		// The owner's own grant in every ACL says nothing about other
		// accounts; only a grant of WRITE to others does.
		return d.Bucket != nil && aclMayGrantWrite(d.Bucket)
	}
	return false
}

// aclMayGrantWrite reports whether a bucket ACL may let others than the
// owner write: public-read-write, or a WRITE or FULL_CONTROL grant.
func aclMayGrantWrite(b *graph.Bucket) bool {
	for _, acl := range b.ACLs {
		if !acl.Canned.Known() || acl.Canned.V == "public-read-write" {
			return true
		}
		for _, g := range acl.Grants {
			if !g.Permission.Known() || g.Permission.V == "WRITE" || g.Permission.V == "FULL_CONTROL" {
				return true
			}
		}
	}
	return false
}

// requiresFullControl reports whether uploads by the caller without the
// bucket-owner-full-control ACL are refused.
func requiresFullControl(e *policy.Engine, c policy.Caller, object string) bool {
	return !mayUpload(e, c, object, true)
}

func foreignObjectsFinding(e *policy.Engine, b *graph.Bucket, own graph.String, writers []foreignWriter, certain bool) Finding {
	name := bucketLabel(b)
	accounts := make([]string, 0, len(writers))
	for _, w := range writers {
		accounts = append(accounts, policy.Display(string(w.account)))
	}
	sort.Strings(accounts)
	accounts = distinctStrings(accounts)
	who, uploads := "account "+accounts[0], "uploads"
	if len(accounts) > 1 {
		who, uploads = "accounts "+list(accounts), "upload"
	}
	owner := "the bucket owner"
	if b.Account.IsID() {
		owner = "the bucket owner " + string(b.Account)
	}
	if !certain {
		owner += " (at most one of them is the bucket's own account)"
	}
	setting := "object ownership " + own.V
	if own.Origin == graph.Default {
		setting = "object ownership is not set, so " + own.V + " applies"
	}
	var msg string
	switch own.V {
	case graph.ObjectWriter:
		full := true
		for _, w := range writers {
			full = full && requiresFullControl(e, w.caller, w.object)
		}
		msg = fmt.Sprintf("%s on bucket %s: the bucket policy lets %s upload objects (s3:PutObject), and those objects belong to the uploader, not to %s, "+
			"so the bucket policy's Allows do not reach them", setting, name, who, owner)
		if full {
			msg += ": the required bucket-owner-full-control ACL gives the owner's account full control through the object ACL, " +
				"but principals and accounts that only the bucket policy grants get 403 Access Denied on those objects"
		} else {
			msg += ": the owner's own roles and everyone the bucket policy grants get 403 Access Denied on GetObject of those objects " +
				"unless the uploader's object ACL grants it"
		}
		msg += "; set object ownership to BucketOwnerEnforced (or BucketOwnerPreferred with a bucket policy that requires the bucket-owner-full-control ACL)"
	default:
		msg = fmt.Sprintf("%s on bucket %s, but nothing requires the bucket-owner-full-control ACL: objects that %s %s without it (s3:PutObject) belong to the uploader, not to %s, "+
			"and the bucket policy's Allows do not reach them, so the owner's own roles and everyone the bucket policy grants get 403 Access Denied on GetObject; "+
			"add a bucket policy Deny of s3:PutObject with StringNotEquals s3:x-amz-acl bucket-owner-full-control, or set object ownership to BucketOwnerEnforced", setting, name, who, uploads, owner)
	}
	f := Finding{Range: own.Range, Resource: b.Address, Message: msg}
	if b.Ownership != nil && b.Ownership.Address != "" {
		f.Resource = b.Ownership.Address
	}
	for _, w := range writers {
		m := "account " + policy.Display(string(w.account)) + " may upload objects here (s3:PutObject)"
		if len(w.when) > 0 {
			m += ", when " + strings.Join(w.when, " or when ")
		}
		f.Related = append(f.Related, Related{Range: w.at, Message: m})
	}
	return f
}
