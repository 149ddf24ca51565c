package policy

import (
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// viaServiceKey is a key policy that lets the role app use the key only
// through S3 in eu-west-1.
const viaServiceKey = `{"Statement":[
	{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"kms:*","Resource":"*"},
	{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Decrypt","Resource":"*",
	 "Condition":{"StringEquals":{"kms:ViaService":"s3.eu-west-1.amazonaws.com"}}}]}`

// TestDecideKMSViaService: S3 calls KMS from the bucket's region (KMS
// developer guide, kms:ViaService: SERVICE.REGION.amazonaws.com); where the
// region is not known, or its partition's endpoints are elsewhere, a
// condition on it decides nothing.
func TestDecideKMSViaService(t *testing.T) {
	read := func(region, arn string) func(w *world) Request {
		return func(w *world) Request {
			b := w.bucket("b", acctA)
			b.Region = region
			if arn != "" {
				b.ARN = graph.StringOf(arn, b.Range)
			}
			w.sseKMS(b, w.key(viaServiceKey))
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}
	}
	runDecideCases(t, []decideCase{
		{name: "bucket in the condition's region", want: Allow, build: read("eu-west-1", "")},
		{name: "bucket in another region", want: ImplicitDeny, build: read("us-east-1", ""),
			check: stepIs(CheckKMS, Denied)},
		{name: "region not known", want: Unknown, build: read("", "")},
		{name: "China", want: Unknown, build: read("cn-north-1", "arn:aws-cn:s3:::b")},
	})
}

// TestDecideReplicationKMS: replication of SSE-KMS objects reads with
// kms:Decrypt on the source's key and writes replicas with kms:Encrypt on
// the rule's replica key (S3 User Guide, replicating encrypted objects).
func TestDecideReplicationKMS(t *testing.T) {
	replicate := `{"Statement":{"Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:ReplicateObject"],"Resource":"arn:aws:s3:::b/*"}}`
	encrypt := `{"Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/k"}}`
	decrypt := `{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/k"}}`
	replica := func(w *world, grants ...string) Request {
		b := w.bucket("b", acctA)
		k := w.key("")
		r := w.role("repl", acctA)
		w.attach(r, replicate)
		for _, g := range grants {
			w.attach(r, g)
		}
		return Request{Caller: w.as(r), Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::b/x",
			Replication: &ReplicationKMS{Key: k, KeyRef: "arn:aws:kms:us-east-1:111122223333:key/k", At: b.Range}}
	}
	source := func(w *world, grants ...string) Request {
		b := w.bucket("b", acctA)
		w.sseKMS(b, w.key(""))
		r := w.role("repl", acctA)
		w.attach(r, replicate)
		for _, g := range grants {
			w.attach(r, g)
		}
		return Request{Caller: w.as(r), Action: "s3:GetObjectVersionForReplication", Resource: "arn:aws:s3:::b/x",
			Replication: &ReplicationKMS{}}
	}
	runDecideCases(t, []decideCase{
		{name: "replica without kms:Encrypt", want: ImplicitDeny, build: func(w *world) Request { return replica(w, decrypt) },
			check: stepIs(CheckKMS, Denied, "replica key", "kms:Encrypt")},
		{name: "replica with kms:Encrypt", want: Allow, build: func(w *world) Request { return replica(w, encrypt) }},
		{name: "replica key not in the configuration", want: Unknown, build: func(w *world) Request {
			req := replica(w, encrypt)
			req.Replication.Key = nil
			return req
		}},
		{name: "source without kms:Decrypt", want: ImplicitDeny, build: func(w *world) Request { return source(w, encrypt) },
			check: stepIs(CheckKMS, Denied, "kms:Decrypt")},
		{name: "source with kms:Decrypt", want: Allow, build: func(w *world) Request { return source(w, decrypt) }},
		{name: "source objects without KMS", want: Allow, build: func(w *world) Request {
			req := source(w)
			req.Replication, req.NoKMS = nil, true
			return req
		}},
	})
}

// TestFailingKeyConditions names the conditions of a statement that S3's
// request to KMS does not meet, and only those.
func TestFailingKeyConditions(t *testing.T) {
	w := newWorld(t)
	b := w.bucket("b", acctA)
	b.Region = "eu-west-1"
	k := w.key("")
	w.sseKMS(b, k)
	b.Encryption.BucketKey = graph.BoolOf(false, b.Range)
	r := w.role("app", acctA)
	pol := w.attach(r, `{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{
		"StringEquals":{"kms:ViaService":"s3.eu-west-1.amazonaws.com"},
		"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::b"},
		"StringNotEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}}`)
	e := NewEngine(w.g)
	failing := e.FailingKeyConditions(getObject(w.as(r)), "kms:Decrypt", k, pol.Doc.Statements[0])
	if len(failing) != 1 || failing[0].Key.V != "kms:EncryptionContext:aws:s3:arn" {
		t.Fatalf("failing conditions %v, want only the encryption context (the object's ARN is sent)", failing)
	}
	b.Encryption.BucketKey = graph.BoolOf(true, b.Range)
	if failing := e.FailingKeyConditions(getObject(w.as(r)), "kms:Decrypt", k, pol.Doc.Statements[0]); len(failing) != 0 {
		t.Errorf("with an S3 Bucket Key the bucket's ARN is sent: failing %v", failing)
	}
}
