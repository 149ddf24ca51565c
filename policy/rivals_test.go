package policy

import (
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// rivalPolicy adds a bucket policy of b put by a resource of its own.
func (w *world) rivalPolicy(b *graph.Bucket, addr, src string) *graph.Policy {
	w.t.Helper()
	p := w.policy(graph.BucketPolicy, addr, string(b.Account), src)
	p.Bucket, p.BucketRef = b, b.Name
	b.Policies = append(b.Policies, p)
	return p
}

// denyAll is a bucket policy that denies everyone everything on bucket b.
const denyAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}`

// S3 keeps one bucket policy per bucket (PutBucketPolicy replaces it
// whole): when two resources set it, the one applied last is in place, and
// the engine decides with each alone.
func TestDecideRivalBucketPolicies(t *testing.T) {
	runDecideCases(t, []decideCase{
		// Only one of the two lets the other account's role in.
		{name: "one of two grants", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.rivalPolicy(b, "aws_s3_bucket_policy.readers", grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			w.rivalPolicy(b, "aws_s3_bucket_policy.others", grant(awsPrincipal(rootARN("777788889999")), "s3:GetObject"))
			return getObject(w.as(r))
		}, check: func(t *testing.T, d Decision) {
			stepIs(CheckBucketPolicy, Undecided, "2 resources each set the bucket policy", "aws_s3_bucket_policy.readers: ALLOW",
				"aws_s3_bucket_policy.others: IMPLICIT DENY")(t, d)
			whyMentions("which of the bucket's policies is in place")(t, d)
		}},
		// Both grant: allowed whichever is in place.
		{name: "both grant", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.rivalPolicy(b, "aws_s3_bucket_policy.readers", grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			w.rivalPolicy(b, "aws_s3_bucket_policy.account", grant(awsPrincipal(rootARN(acctB)), "s3:GetObject"))
			return getObject(w.as(r))
		}, check: stepIs(CheckBucketPolicy, Allowed, "with aws_s3_bucket_policy.readers in place: aws_s3_bucket_policy.account sets the bucket's policy too",
			"the answer is the same with it")},
		// Both deny: each one's Deny decides.
		{name: "both deny", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			p1 := w.rivalPolicy(b, "aws_s3_bucket_policy.one", denyAll)
			p2 := w.rivalPolicy(b, "aws_s3_bucket_policy.two", denyAll)
			w.deciding = append(w.deciding, p1.Doc.Statements[0], p2.Doc.Statements[0])
			return getObject(w.as(r))
		}},
		// The alternatives of one resource (a template's conditions) are
		// not rivals: the resource's documents stay together.
		{name: "one resource's documents together", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.rivalPolicy(b, "aws_s3_bucket_policy.b", grant(awsPrincipal(roleARN(acctA, "app")), "s3:GetObject"))
			p := w.rivalPolicy(b, "aws_s3_bucket_policy.b", denyAll)
			w.deciding = append(w.deciding, p.Doc.Statements[0])
			return getObject(w.as(r))
		}},
	})
}
