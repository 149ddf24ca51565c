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

// A bucket policy whose bucket is unknown may be the policy of every bucket
// of its configuration that has none of its own, and of no other; linking
// again after a merge starts afresh.
func TestUnknownBucketPolicies(t *testing.T) {
	r := Range{File: "main.tf"}
	unknown := &Policy{Entity: Entity{Address: "aws_s3_bucket_policy.u", Root: "a"}, Kind: BucketPolicy, BucketRef: StringUnknown(r), BucketFromInput: true}
	named := &Policy{Entity: Entity{Address: "aws_s3_bucket_policy.n", Root: "a"}, Kind: BucketPolicy, BucketRef: StringOf("named", r)}
	elsewhere := &Policy{Entity: Entity{Address: "aws_s3_bucket_policy.o", Root: "a"}, Kind: BucketPolicy, BucketRef: StringOf("outside", r)}
	withPolicy := &Bucket{Entity: Entity{Address: "aws_s3_bucket.named", Root: "a"}, Name: StringOf("named", r)}
	bare := &Bucket{Entity: Entity{Address: "aws_s3_bucket.bare", Root: "a"}, Name: StringUnknown(r)}
	otherRoot := &Bucket{Entity: Entity{Address: "aws_s3_bucket.other", Root: "b"}, Name: StringUnknown(r)}
	// A reference to a resource or module output that is not known names
	// that, not any bucket.
	resource := &Policy{Entity: Entity{Address: "aws_s3_bucket_policy.r", Root: "a"}, Kind: BucketPolicy, BucketRef: StringUnknown(r)}
	g := &Graph{Policies: []*Policy{unknown, named, elsewhere, resource}, Buckets: []*Bucket{withPolicy, bare, otherRoot}}
	g.LinkBucketsByName()
	g.LinkBucketsByName()
	if len(withPolicy.Policies) != 1 || withPolicy.MaybePolicies != nil {
		t.Errorf("bucket with a policy: %v, maybe %v", withPolicy.Policies, withPolicy.MaybePolicies)
	}
	if len(bare.MaybePolicies) != 1 || bare.MaybePolicies[0] != unknown {
		t.Errorf("bucket without a policy: maybe %v, want only %s", bare.MaybePolicies, unknown.Address)
	}
	if otherRoot.MaybePolicies != nil {
		t.Errorf("bucket of another configuration: maybe %v", otherRoot.MaybePolicies)
	}
	// Merged later, a policy that names the bare bucket takes the doubt away.
	bare.Name = StringOf("bare", r)
	g.Policies = append(g.Policies, &Policy{Entity: Entity{Address: "x", Root: "c"}, Kind: BucketPolicy, BucketRef: StringOf("bare", r)})
	g.LinkBucketsByName()
	if bare.MaybePolicies != nil || len(bare.Policies) != 1 {
		t.Errorf("after linking by name: policies %v, maybe %v", bare.Policies, bare.MaybePolicies)
	}
}

// A setting whose bucket is unknown makes each bucket of its configuration
// that has no such setting of its own what it may be: values known only
// where the setting and the default agree. Linking again starts afresh,
// and a bucket's own setting stands.
func TestUnknownBucketSettings(t *testing.T) {
	r := Range{File: "main.tf"}
	pab := &PublicAccessBlock{Setting: Setting{Address: "aws_s3_bucket_public_access_block.p"},
		BlockPublicAcls: BoolOf(true, r), IgnorePublicAcls: BoolOf(true, r), BlockPublicPolicy: BoolOf(false, r), RestrictPublicBuckets: BoolUnknown(r)}
	own := &Ownership{Setting: Setting{Address: "aws_s3_bucket_ownership_controls.o"}, Rule: StringOf(BucketOwnerEnforced, r)}
	bare := &Bucket{Entity: Entity{Address: "aws_s3_bucket.bare", Root: "a"}, Name: StringUnknown(r)}
	declared := &PublicAccessBlock{Setting: Setting{Address: "aws_s3_bucket_public_access_block.d"}, BlockPublicPolicy: BoolOf(true, r)}
	withPAB := &Bucket{Entity: Entity{Address: "aws_s3_bucket.with", Root: "a"}, Name: StringUnknown(r), PublicAccessBlock: declared}
	other := &Bucket{Entity: Entity{Address: "aws_s3_bucket.other", Root: "b"}, Name: StringUnknown(r)}
	g := &Graph{Buckets: []*Bucket{bare, withPAB, other}, SettingLinks: []*SettingLink{
		{Root: "a", BucketRef: StringUnknown(r), PublicAccessBlock: pab},
		{Root: "a", BucketRef: StringUnknown(r), Ownership: own},
	}}
	g.LinkBucketsByName()
	g.LinkBucketsByName()
	got := bare.PublicAccessBlock
	if got == nil || !got.BlockPublicAcls.IsTrue() || !got.IgnorePublicAcls.IsTrue() || got.BlockPublicPolicy.Known() || got.RestrictPublicBuckets.Known() {
		t.Fatalf("bare bucket's block: %+v, want acls on, policy flags unknown", got)
	}
	if !bare.ObjectOwnership().Is(BucketOwnerEnforced) || bare.Ownership == nil || bare.Ownership.Address != own.Address {
		t.Errorf("bare bucket's ownership: %+v, want BucketOwnerEnforced from %s", bare.Ownership, own.Address)
	}
	if withPAB.PublicAccessBlock != declared {
		t.Errorf("a bucket's own block was replaced: %+v", withPAB.PublicAccessBlock)
	}
	if other.PublicAccessBlock != nil || other.Ownership != nil {
		t.Errorf("bucket of another configuration got settings: %+v %+v", other.PublicAccessBlock, other.Ownership)
	}
	// Once the setting's bucket is known by name elsewhere, nothing is assumed.
	g.SettingLinks = nil
	g.LinkBucketsByName()
	if bare.PublicAccessBlock != nil || bare.Ownership != nil {
		t.Errorf("assumed settings kept after relinking: %+v %+v", bare.PublicAccessBlock, bare.Ownership)
	}
}

// Copies of one configuration that declare a bucket of the same name each
// link their policy to their own bucket.
func TestPolicyLinksToItsOwnConfigurationsBucket(t *testing.T) {
	r := Range{File: "main.tf"}
	var buckets []*Bucket
	var policies []*Policy
	for _, root := range []string{"one", "two"} {
		buckets = append(buckets, &Bucket{Entity: Entity{Address: "aws_s3_bucket.b", Root: root}, Name: StringOf("acme", r)})
		policies = append(policies, &Policy{Entity: Entity{Address: "aws_s3_bucket_policy.p", Root: root}, Kind: BucketPolicy, BucketRef: StringOf("acme", r)})
	}
	g := &Graph{Buckets: buckets, Policies: policies}
	g.LinkBucketsByName()
	for i, b := range buckets {
		if len(b.Policies) != 1 || b.Policies[0] != policies[i] {
			t.Errorf("bucket of %s: policies %v, want its own configuration's", b.Root, b.Policies)
		}
	}
}

func TestOriginAccessIdentity(t *testing.T) {
	for path, want := range map[string]string{
		"origin-access-identity/cloudfront/E1ABCDEF":                  "E1ABCDEF",
		"origin-access-identity/cloudfront/<id of aws_x.y@dir%2Fsub>": "<id of aws_x.y@dir%2Fsub>",
		"":                                       "",
		"origin-access-identity/cloudfront/":     "",
		"origin-access-identity/cloudfront/E1/x": "",
		"E1ABCDEF":                               "",
		"arn:aws:iam::cloudfront:user/CloudFront": "",
	} {
		id, ok := OAIFromPath(path)
		if id != want || ok != (want != "") {
			t.Errorf("OAIFromPath(%q) = %q, %v; want %q", path, id, ok, want)
		}
	}
	if got := OAIARN("aws-cn", "E1"); got != "arn:aws-cn:iam::cloudfront:user/CloudFront Origin Access Identity E1" {
		t.Errorf("OAIARN = %q", got)
	}
	for _, tc := range []struct {
		a, b        Account
		same, known bool
	}{
		{OAIAccount, "111122223333", false, true},
		{"111122223333", OAIAccount, false, true},
		{OAIAccount, SymbolicAccount("aws"), false, true},
		{OAIAccount, OAIAccount, true, true},
		{OAIAccount, "*", false, false},
		{SymbolicAccount("a"), SymbolicAccount("b"), false, false},
	} {
		if same, known := tc.a.SameAs(tc.b); same != tc.same || known != tc.known {
			t.Errorf("%q.SameAs(%q) = %v, %v; want %v, %v", tc.a, tc.b, same, known, tc.same, tc.known)
		}
	}
}
