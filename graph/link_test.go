package graph

import "testing"

// A key ARN that reaches a bucket through a module input links the bucket's
// encryption to the key; an ARN of a key outside the graph links nothing.
func TestLinkKeysByARN(t *testing.T) {
	r := Range{File: "main.tf"}
	k := &Key{Entity: Entity{Address: "aws_kms_key.k"}, ARN: StringOf(SymbolicKeyARN("aws", "", "111122223333", "aws_kms_key.k", "root"), r)}
	in := &Bucket{Encryption: &Encryption{Algorithm: StringOf("aws:kms", r), KeyID: StringOf(k.ARN.V, r)}}
	out := &Bucket{Encryption: &Encryption{Algorithm: StringOf("aws:kms", r), KeyID: StringOf("arn:aws:kms:eu-west-1:111122223333:key/abc", r)}}
	unknown := &Bucket{Encryption: &Encryption{Algorithm: StringOf("aws:kms", r), KeyID: StringUnknown(r)}}
	g := &Graph{Keys: []*Key{k}, Buckets: []*Bucket{in, out, unknown, {}}}
	g.LinkKeysByARN()
	if in.Encryption.Key != k || out.Encryption.Key != nil || unknown.Encryption.Key != nil {
		t.Errorf("links: %v %v %v", in.Encryption.Key, out.Encryption.Key, unknown.Encryption.Key)
	}
}
