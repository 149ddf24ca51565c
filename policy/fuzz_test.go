package policy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// parseForFuzz parses any JSON text into a document, or nil.
func parseForFuzz(src string) *graph.Document {
	if !json.Valid([]byte(src)) {
		return nil
	}
	d := &locDecoder{src: src, dec: json.NewDecoder(strings.NewReader(src))}
	d.dec.UseNumber()
	n, err := d.value()
	if err != nil {
		return nil
	}
	return Parse(n)
}

// FuzzDecide feeds arbitrary bucket, identity and key policies, actions,
// resources and context values to the engine: it must never panic, and its
// answers must hang together (an UNKNOWN says what it depends on, a deny
// is never decided by nothing).
func FuzzDecide(f *testing.F) {
	f.Add(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
		`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, ``, "s3:GetObject", "arn:aws:s3:::b/k", "aws:SourceIp=10.0.0.1")
	f.Add(`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}}}`,
		`{"Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::x"}]}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}}`, "s3:PutObject", "arn:aws:s3:::b/${aws:username}", "")
	f.Add(`{"Statement":{"Effect":"Allow","Principal":{"CanonicalUser":"x"},"Action":"s3:List*","Resource":"arn:aws:s3:::b","Condition":{"ForAllValues:IpAddress":{"aws:SourceIp":["::/0"]},"DateLessThan":{"aws:CurrentTime":"2020-01-01"},"Null":{"s3:prefix":"true"}}}}`,
		`{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}}`, ``, "s3:ListBucket", "arn:aws:s3:::b", "s3:prefix=home/")
	f.Add(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`+"\n---\n"+
		`{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`,
		`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, ``, "s3:GetObject", "arn:aws:s3:::b/k", "aws:SecureTransport=false")
	f.Fuzz(func(t *testing.T, bucketSrc, identitySrc, keySrc, action, resource, ctx string) {
		g := &graph.Graph{}
		r := graph.Range{File: "f.tf", Start: graph.Pos{Line: 1, Col: 1}}
		b := &graph.Bucket{Entity: graph.Entity{Address: "aws_s3_bucket.b", Account: "111122223333", Range: r},
			Name: graph.StringOf("b", r), ARN: graph.StringOf("arn:aws:s3:::b", r)}
		g.Buckets = append(g.Buckets, b)
		// A second document after a line "---" is the policy of a second
		// resource on the same bucket: a rival, of which S3 keeps one.
		first, rival, hasRival := strings.Cut(bucketSrc, "\n---\n")
		if d := parseForFuzz(first); d != nil {
			p := &graph.Policy{Entity: b.Entity, Kind: graph.BucketPolicy, Doc: d, Bucket: b}
			b.Policies = append(b.Policies, p)
		}
		if d := parseForFuzz(rival); hasRival && d != nil {
			e := b.Entity
			e.Address = "aws_s3_bucket_policy.rival"
			b.Policies = append(b.Policies, &graph.Policy{Entity: e, Kind: graph.BucketPolicy, Doc: d, Bucket: b})
		}
		role := &graph.Principal{Entity: graph.Entity{Address: "aws_iam_role.r", Account: "111122223333", Range: r}, Kind: graph.Role,
			Name: graph.StringOf("r", r), ARN: graph.StringOf("arn:aws:iam::111122223333:role/r", r)}
		g.Principals = append(g.Principals, role)
		if d := parseForFuzz(identitySrc); d != nil {
			(&graph.Policy{Entity: role.Entity, Kind: graph.IdentityPolicy, Doc: d}).AttachTo(role)
		}
		if d := parseForFuzz(keySrc); d != nil {
			k := &graph.Key{Entity: graph.Entity{Address: "aws_kms_key.k", Account: "111122223333", Range: r},
				ARN: graph.StringOf("arn:aws:kms:us-east-1:111122223333:key/k", r)}
			k.Policy = &graph.Policy{Entity: k.Entity, Kind: graph.KeyPolicy, Doc: d}
			b.Encryption = &graph.Encryption{Algorithm: graph.StringOf("aws:kms", r), Key: k, KeyID: graph.StringOf("k", r)}
			g.Keys = append(g.Keys, k)
		}
		c := Context{}
		for _, kv := range strings.Split(ctx, "&") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				c.Set(k, strings.Split(v, ",")...)
			} else if kv != "" {
				c.SetAbsent(kv)
			}
		}
		e := NewEngine(g)
		callers := []Caller{{Kind: CallerAnonymous}, {Kind: CallerService, Service: "logging.s3.amazonaws.com"}}
		if rc, ok := CallerFor(role); ok {
			callers = append(callers, rc)
		}
		if cc, ok := CallerFromARN("arn:aws:sts::444455556666:assumed-role/x/s"); ok {
			callers = append(callers, cc)
		}
		for _, caller := range callers {
			for _, net := range []Network{NetworkUnknown, NetworkInternet} {
				req := Request{Caller: caller, Action: action, Resource: resource, Context: c, Network: net}
				d := e.Decide(req)
				if o := e.outcome(req); o != d.Outcome {
					t.Fatalf("%s %s %s: outcome without the explanation %v, with it %v", caller.Label(), action, resource, o, d.Outcome)
				}
				if d.Outcome == Unknown && len(d.Why) == 0 {
					t.Fatalf("UNKNOWN without a reason for %s %s %s", caller.Label(), action, resource)
				}
				if len(d.Steps) == 0 {
					t.Fatalf("no steps")
				}
			}
		}
		for _, in := range e.Intents() {
			if o, d := e.outcome(in.Request), e.Decide(in.Request); o != d.Outcome {
				t.Fatalf("intent %s %s: outcome without the explanation %v, with it %v", in.Request.Action, in.Request.Resource, o, d.Outcome)
			}
		}
		_ = e.AccessTable(e.Intents())
	})
}
