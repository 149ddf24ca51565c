package policy

import (
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// TestDecideOriginAccessIdentity: a CloudFront origin access identity is an
// IAM user of CloudFront's pseudo-account (CloudFront
// private-content-restricting-access-to-s3), in no account a configuration
// deploys to, so only a bucket policy that names it lets it in.
func TestDecideOriginAccessIdentity(t *testing.T) {
	oaiARN := graph.OAIARN("aws", "E1ABCDEF")
	symbolic := graph.SymbolicAccount("stack app.yaml")
	runDecideCases(t, []decideCase{
		{name: "granted by its ARN", want: Unknown, build: func(w *world) Request {
			// Allowed by the bucket policy; the identity's own side is
			// CloudFront's, not in the configuration.
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(oaiARN), "s3:GetObject"))
			return getObject(w.from(oaiARN))
		}},
		{name: "no bucket policy, known account", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			return getObject(w.from(oaiARN))
		}, check: stepIs(CheckAccounts, Denied)},
		{name: "no bucket policy, symbolic account", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", string(symbolic))
			return getObject(w.from(oaiARN))
		}},
		{name: "no bucket policy, account not known", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", "")
			return getObject(w.from(oaiARN))
		}},
		{name: "a grant to the account's root does not name it", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", string(symbolic))
			w.bucketPolicy(b, grant(awsPrincipal("arn:aws:iam::"+string(symbolic)+":root"), "s3:GetObject"))
			return getObject(w.from(oaiARN))
		}},
		{name: "a grant to another identity", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(graph.OAIARN("aws", "E2OTHER")), "s3:GetObject"))
			return getObject(w.from(oaiARN))
		}},
		{name: "a grant by canonical user ID may name it", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, grant(`{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, "s3:GetObject"))
			return getObject(w.from(oaiARN))
		}},
		{name: "NoKMS leaves the key out", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.sseKMS(b, w.key(""))
			w.bucketPolicy(b, grant(awsPrincipal(oaiARN), "s3:GetObject"))
			req := getObject(w.from(oaiARN))
			req.NoKMS = true
			return req
		}, check: stepIs(CheckKMS, NotInvolved)},
		{name: "without NoKMS the key refuses it", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.sseKMS(b, w.key(""))
			w.bucketPolicy(b, grant(awsPrincipal(oaiARN), "s3:GetObject"))
			return getObject(w.from(oaiARN))
		}, check: stepIs(CheckKMS, Denied)},
	})
}

func TestSetNotKnown(t *testing.T) {
	w := newWorld(t)
	b := w.bucket("b", acctA)
	w.bucketPolicy(b, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
		"Condition":{"StringEquals":{"aws:PrincipalAccount":"cloudfront"}}}]}`)
	e := NewEngine(w.g)
	req := getObject(w.from(graph.OAIARN("aws", "E1ABCDEF")))
	if d := e.Decide(req); d.Outcome != Unknown && d.Outcome != Allow {
		t.Fatalf("filled-in aws:PrincipalAccount: outcome %v, want the condition to match", d.Outcome)
	}
	req.Context = Context{}
	req.Context.SetNotKnown("aws:PrincipalAccount")
	d := e.Decide(req)
	if d.Outcome != Unknown {
		t.Fatalf("aws:PrincipalAccount not known: outcome %v, want unknown\n%s", d.Outcome, trace(d))
	}
	if v := d.Request.Context.Get("aws:PrincipalAccount"); v.State != KeyUnknown {
		t.Fatalf("the engine filled in a key set not known: %+v", v)
	}
}
