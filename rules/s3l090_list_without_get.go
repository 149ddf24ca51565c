package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L090 finds roles and users that may list a bucket but read nothing in
// it.
var S3L090 = &Def{
	M: Meta{
		ID:        "S3L090",
		Name:      "list-without-get",
		Title:     "principal may list a bucket but read nothing in it",
		Severity:  Note,
		Since:     "0.1.0",
		Default:   true,
		Precision: "medium",
		Tags:      []string{"iam", "bucket-policy", "least-privilege"},
		Doc: `Listing a bucket (s3:ListBucket on arn:aws:s3:::BUCKET) and reading its objects
(s3:GetObject on arn:aws:s3:::BUCKET/KEY) are separate permissions on separate ARNs. A role or
user that is granted only the first can run ` + "`aws s3 ls s3://BUCKET`" + ` and see every key, but
` + "`aws s3 cp`" + `, ` + "`aws s3 sync`" + ` and every GetObject get 403 Access Denied. Policies
written this way usually meant to grant reading too and forgot the object ARN or the action.

The rule reports a role or user of the configuration once per bucket, at the grant of
s3:ListBucket, when a policy names that bucket for it, the engine decides that s3:ListBucket on
the bucket is allowed and s3:GetObject on its objects is denied (no policy allows it, or a Deny
matches), and no policy names any object action on that bucket for it: neither a read nor a
write or delete, which listing serves by design (` + "`aws s3 sync`" + ` uploads, cleanup jobs such
as the CDK's autoDeleteObjects provider). It is a note: listing without reading is sometimes the
design (an inventory job, a UI that shows keys), and then the note can be ignored or suppressed.

Bad:

` + "```hcl" + `
resource "aws_iam_role_policy" "reports" {
  role = aws_iam_role.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:ListBucket"          # ls works, cp gets 403
      Resource = aws_s3_bucket.reports.arn
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:ListBucket"
      Resource = aws_s3_bucket.reports.arn
    }, {
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "${aws_s3_bucket.reports.arn}/*"
    }]
` + "```" + `

Fix: allow s3:GetObject on the bucket's objects ("arn:aws:s3:::BUCKET/*", or the prefix the
principal needs) next to the list grant.

The rule stays silent for anonymous callers and AWS services, when either decision is unknown
(a condition on s3:prefix or aws:SourceVpce, a managed policy outside the configuration, a
bucket name not known before deployment), and when a policy names an object action on the bucket
for the principal, even on a prefix or in a way that is denied: a read grant that does not work
is reported by the rules that find why (S3L010 for a read granted on the bucket ARN, for
instance).
Its counterpart for reading without listing is S3L091.`,
	},
	Run: runS3L090,
}

// intentGroup is what the policies mean to grant one role or user of the
// graph on one bucket, in the order the intents were derived.
type intentGroup struct {
	caller  policy.Caller
	bucket  *graph.Bucket
	intents []*policy.Intent
}

// principalIntents groups the engine's intents of roles and users of the
// graph by principal and bucket; anonymous callers and services are left
// out (a public website is readable and rightly not listable).
func principalIntents(p *Pass) []*intentGroup {
	type key struct {
		caller string
		bucket *graph.Bucket
	}
	var out []*intentGroup
	idx := map[key]*intentGroup{}
	intents := p.Engine().Intents()
	for i := range intents {
		in := &intents[i]
		c := in.Request.Caller
		if in.Bucket == nil || c.Principal == nil || (c.Kind != policy.CallerRole && c.Kind != policy.CallerUser) {
			continue
		}
		k := key{c.Key(), in.Bucket}
		g := idx[k]
		if g == nil {
			g = &intentGroup{caller: c, bucket: in.Bucket}
			idx[k] = g
			out = append(out, g)
		}
		g.intents = append(g.intents, in)
	}
	return out
}

// first returns the group's first intent for an action, or nil.
func (g *intentGroup) first(action string) *policy.Intent {
	for _, in := range g.intents {
		if strings.EqualFold(in.Request.Action, action) {
			return in
		}
	}
	return nil
}

// objectWork reports whether some policy means the principal to do
// anything with the bucket's objects: read them (a read that fails is
// reported by the rules that find why), or write or delete them, which
// listing serves by design (aws s3 sync uploads, cleanup jobs).
func (g *intentGroup) objectWork() bool {
	for _, in := range g.intents {
		if a := policy.LookupAction(in.Request.Action); a != nil && a.ObjectLevel() {
			return true
		}
	}
	return false
}

// bucketLabel names a bucket for messages: its name when known, else its
// address.
func bucketLabel(b *graph.Bucket) string {
	if b.Name.Known() && b.Name.V != "" && !graph.HasSymbol(b.Name.V) {
		return b.Name.V
	}
	return b.Address
}

// denial words why a request is denied, and points at the Deny statements
// and settings that deny it.
func denial(d policy.Decision) (why string, related []Related) {
	if d.Outcome == policy.ImplicitDeny {
		return "no policy allows it", nil
	}
	for _, loc := range d.Deciding {
		if loc.Range.IsZero() {
			continue
		}
		related = append(related, Related{Range: loc.Range, Message: d.Request.Action + " is denied here: " + loc.What})
	}
	for _, loc := range d.Deciding {
		if loc.What != "" {
			return "explicitly: " + loc.What, related
		}
	}
	return "explicitly", related
}

// intentRange is where an intent is stated: its Action entry, else its
// statement.
func intentRange(in *policy.Intent) graph.Range {
	if !in.Item.Range.IsZero() {
		return in.Item.Range
	}
	return in.Statement.Range
}

func runS3L090(p *Pass) error {
	e := p.Engine()
	for _, g := range principalIntents(p) {
		list := g.first("s3:ListBucket")
		if list == nil || g.objectWork() {
			continue
		}
		if e.IntentOutcome(list) != policy.Allow {
			continue
		}
		arn := policy.BucketARNOf(g.bucket)
		read := e.Decide(policy.Request{Caller: g.caller, Action: "s3:GetObject", Resource: arn + "/<key>"})
		if !read.Outcome.Denied() {
			continue
		}
		why, related := denial(read)
		lift := ""
		if read.Outcome == policy.ExplicitDeny {
			lift = "narrow what denies it and "
		}
		name := bucketLabel(g.bucket)
		f := Finding{
			Range:    intentRange(list),
			Resource: list.Policy.Address,
			Message: fmt.Sprintf("%s may list bucket %s but read nothing in it: s3:ListBucket is allowed here, while s3:GetObject "+
				"on its objects is denied (%s), so `aws s3 ls` works and GetObject (`aws s3 cp`, downloads) gets 403 Access Denied; "+
				"if %s should read, %sallow s3:GetObject on %q (or the prefix it needs); if listing alone is intended, ignore this note",
				g.caller.Label(), name, why, g.caller.Label(), lift, displayAt(arn+"/*", intentRange(list))),
			Related: related,
		}
		if !g.bucket.Range.IsZero() {
			f.Related = append(f.Related, Related{Range: g.bucket.Range, Message: "bucket " + name + " is declared here"})
		}
		p.Report(f)
	}
	return nil
}
