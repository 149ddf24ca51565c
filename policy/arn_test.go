package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// ARNs have the shape arn:partition:service:region:account:resource; the
// resource part may itself contain colons (IAM role paths, KMS aliases, …),
// so only the first five colons split.
func TestParseARN(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:s3:::b", ARN{"aws", "s3", "", "", "b"}, true},
		{"arn:aws:s3:::b/k/x", ARN{"aws", "s3", "", "", "b/k/x"}, true},
		{"arn:aws-cn:s3:::b", ARN{"aws-cn", "s3", "", "", "b"}, true},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap", ARN{"aws", "s3", "us-east-1", "123456789012", "accesspoint/ap"}, true},
		{"arn:aws:iam::123456789012:role/a:b", ARN{"aws", "iam", "", "123456789012", "role/a:b"}, true},
		{"arn:aws:s3:::b:c:d", ARN{"aws", "s3", "", "", "b:c:d"}, true},
		{"arn:aws:s3::::", ARN{"aws", "s3", "", "", ":"}, true},
		{"arn:aws:s3:::", ARN{"aws", "s3", "", "", ""}, true},
		{"arn:*:s3:*:*:*", ARN{"*", "s3", "*", "*", "*"}, true},
		{"arn:::::", ARN{}, true},

		{"", ARN{}, false},
		{"*", ARN{}, false},
		{"b", ARN{}, false},
		{"arn", ARN{}, false},
		{"arn:aws:s3", ARN{}, false},
		{"arn:aws:s3::", ARN{}, false},
		{"arn:aws:s3:*", ARN{}, false},
		{"ARN:aws:s3:::b", ARN{}, false}, // the prefix is lower-case "arn"
		{"urn:aws:s3:::b", ARN{}, false},
		{" arn:aws:s3:::b", ARN{}, false},
	}
	for _, tc := range tests {
		got, ok := ParseARN(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseARN(%q) = %#v, %v; want %#v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && got.String() != tc.in {
			t.Errorf("ParseARN(%q).String() = %q, want the input back", tc.in, got.String())
		}
	}
}

func TestS3KindHasOnly(t *testing.T) {
	bo := KindBucket | KindObject
	if !bo.Has(KindBucket) || !bo.Has(bo) || bo.Has(KindAccessPoint) || bo.Has(KindBucket|KindAccessPoint) {
		t.Errorf("Has is wrong for %06b", bo)
	}
	if !S3Kind(0).Has(0) || S3Kind(0).Has(KindBucket) {
		t.Error("Has is wrong for the empty set")
	}
	if !bo.Only(bo) || !bo.Only(KindAny) || bo.Only(KindBucket) || S3Kind(0).Only(KindAny) {
		t.Errorf("Only is wrong for %06b", bo)
	}
	if KindAny != KindBucket|KindObject|KindAccessPoint|KindAccessPointObject|KindOtherS3|KindNonS3 {
		t.Error("KindAny is not the union of every kind")
	}
}

const (
	bucketK = KindBucket
	objectK = KindObject
	apK     = KindAccessPoint
	apoK    = KindAccessPointObject
	otherK  = KindOtherS3
	nonS3K  = KindNonS3
)

// TestS3Kinds pins the kinds of S3 resource each Resource pattern shape can
// match (resource types from the Service Authorization Reference:
// bucket arn:aws:s3:::B, object arn:aws:s3:::B/KEY, accesspoint
// arn:aws:s3:R:A:accesspoint/N, accesspointobject …/N/object/KEY, and the
// regional job, storage-lens, access-grants types).
func TestS3Kinds(t *testing.T) {
	tests := []struct {
		pattern string
		want    S3Kind
	}{
		{"*", KindAny},

		// Buckets and objects.
		{"arn:aws:s3:::b", bucketK},
		{"arn:aws-us-gov:s3:::b", bucketK},
		{"arn:aws:s3:::b/k", objectK},
		{"arn:aws:s3:::b/a/b/c", objectK},
		{"arn:aws:s3:::b/*", objectK},
		{"arn:aws:s3:::b/k*", objectK},
		{"arn:aws:s3:::b/?", objectK},
		{"arn:aws:s3:::b/*/x/*", objectK},
		// A wildcard in the bucket name may span "/": both.
		{"arn:aws:s3:::b*", bucketK | objectK},
		{"arn:aws:s3:::*", bucketK | objectK},
		{"arn:aws:s3:::b?", bucketK | objectK},
		{"arn:aws:s3:::*/k", bucketK | objectK},
		{"arn:*:s3:::b", bucketK},
		// Region and account wildcards that can be empty keep buckets and
		// objects, and add the regional kinds.
		{"arn:aws:s3:*:*:*", bucketK | objectK | apK | apoK | otherK},
		{"arn:aws:s3:*::b", bucketK | otherK},
		// ? is exactly one character: the region cannot be empty.
		{"arn:aws:s3:?::b", otherK},

		// Access points and their objects.
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap", apK},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k", apoK},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/*", apoK},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/a*/object/k", apoK},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/*", apK | apoK},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap*", apK | apoK},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap/*", apK | apoK},
		// A wildcard region may also be the empty region of a
		// multi-region access point.
		{"arn:aws:s3:*:123456789012:accesspoint/ap", apK | otherK},
		{"arn:aws:s3:*:*:accesspoint/*", objectK | apK | apoK | otherK}, // also objects of a bucket named "accesspoint", and multi-region access points
		{"arn:aws:s3:us-east-1:123456789012:*", apK | apoK | otherK},
		{"arn:aws:s3:us-east-1:123456789012:?ob/1", apK | apoK | otherK},
		{"arn:aws:s3:us-east-1:123456789012:access*", apK | apoK | otherK},

		// Other S3 resource types.
		{"arn:aws:s3:us-east-1:123456789012:job/1", otherK},
		{"arn:aws:s3:us-east-1:123456789012:job/*", otherK},
		{"arn:aws:s3:us-east-1:123456789012:storage-lens/cfg", otherK},
		{"arn:aws:s3:us-east-1:123456789012:storage-lens-group/g", otherK},
		{"arn:aws:s3:us-east-1:123456789012:access-grants/default", otherK},
		{"arn:aws:s3:us-west-2:123456789012:async-request/mrap/op/token", otherK},

		// Not S3. The service segment cannot hold a wildcard, so "s3*" is
		// some other service (or nothing).
		{"arn:aws:iam::123456789012:role/r", nonS3K},
		{"arn:aws:kms:us-east-1:123456789012:key/k", nonS3K},
		{"arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/ap", nonS3K},
		{"arn:aws:s3express:us-east-1:123456789012:bucket/b--use1-az4--x-s3", nonS3K},
		{"arn:aws:sqs:*:*:*", nonS3K},
		{"arn:aws:S3:::b", nonS3K},
		{"arn:aws:s3*:::b", nonS3K},

		// Malformed.
		{"", 0},
		{"b", 0},
		{"b/*", 0},
		{"arn:aws:s3", 0},
		{"arn:aws:s3:us-east-1:123456789012:", 0},
		// Too few colons but a wildcard that may stand for the missing
		// ones: anything.
		{"arn:aws:s3:*", KindAny},
		{"arn:*", KindAny},
	}
	for _, tc := range tests {
		if got := S3Kinds(tc.pattern); got != tc.want {
			t.Errorf("S3Kinds(%q) = %06b, want %06b", tc.pattern, got, tc.want)
		}
	}
}

// concreteARNs are wildcard-free ARNs with the kind AWS gives them.
var concreteARNs = []struct {
	arn  string
	kind S3Kind
}{
	{"arn:aws:s3:::b", bucketK},
	{"arn:aws:s3:::b2", bucketK},
	{"arn:aws:s3:::accesspoint", bucketK},
	{"arn:aws:s3:::b/k", objectK},
	{"arn:aws:s3:::b/a/b/c.txt", objectK},
	{"arn:aws:s3:::b2/k", objectK},
	{"arn:aws:s3:::accesspoint/k", objectK},
	{"arn:aws-cn:s3:::b/k", objectK},
	{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap", apK},
	{"arn:aws:s3:eu-west-1:111111111111:accesspoint/ap", apK},
	{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k", apoK},
	{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/a/b", apoK},
	{"arn:aws:s3:us-east-1:123456789012:job/1", otherK},
	{"arn:aws:s3:us-east-1:123456789012:storage-lens/cfg", otherK},
	{"arn:aws:s3:us-east-1:123456789012:access-grants/default", otherK},
	{"arn:aws:iam::123456789012:role/r", nonS3K},
	{"arn:aws:kms:us-east-1:123456789012:key/k", nonS3K},
	{"arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/ap", nonS3K},
}

// TestS3KindsConcrete: on a wildcard-free ARN S3Kinds names exactly its kind.
func TestS3KindsConcrete(t *testing.T) {
	for _, c := range concreteARNs {
		if got := S3Kinds(c.arn); got != c.kind {
			t.Errorf("S3Kinds(%q) = %06b, want %06b", c.arn, got, c.kind)
		}
	}
}

// TestS3KindsSound checks the promise "errs on the side of could be": when a
// pattern matches a concrete ARN, S3Kinds of the pattern includes that ARN's
// kind.
func TestS3KindsSound(t *testing.T) {
	patterns := []string{"*", "arn:aws:s3:*", "arn:*"}
	for _, c := range concreteARNs {
		patterns = append(patterns, c.arn)
	}
	for _, p := range []string{
		"arn:aws:s3:::b", "arn:aws:s3:::b*", "arn:aws:s3:::b?", "arn:aws:s3:::*", "arn:aws:s3:::*/k",
		"arn:aws:s3:::b/*", "arn:aws:s3:::*/*", "arn:aws:s3:::a*", "arn:aws:s3:::acc*",
		"arn:*:s3:::b*", "arn:aws:s3:*:*:*", "arn:aws:s3:*:*:b*", "arn:aws:s3:*::b", "arn:aws:s3::*:b",
		"arn:aws:s3:*:*:accesspoint/*", "arn:aws:s3:*:*:accesspoint/ap", "arn:aws:s3:*:*:accesspoint/ap/*",
		"arn:aws:s3:us-east-1:*:*", "arn:aws:s3:us-*:123456789012:*", "arn:aws:s3:us-east-1:123456789012:accesspoint/a*",
		"arn:aws:s3:us-east-1:123456789012:accesspoint/*/object/*", "arn:aws:s3:us-east-1:123456789012:*/object/k",
		"arn:aws:s3:*:*:j*", "arn:aws:s3:*:*:*/1", "arn:aws:s3:?????????:*:*",
		"arn:aws:iam::*:*", "arn:aws:*", "arn:aws:s3:*:*", "arn:aws:s3:*:*:*:*",
	} {
		patterns = append(patterns, p, strings.ReplaceAll(p, "*", "?*"))
	}
	for _, p := range patterns {
		k := S3Kinds(p)
		for _, c := range concreteARNs {
			if MatchResource(p, c.arn) && !k.Has(c.kind) {
				t.Errorf("S3Kinds(%q) = %06b lacks %06b although the pattern matches %q", p, k, c.kind, c.arn)
			}
		}
	}
}

// TestS3KindsMultiRegionAccessPoint: a multi-region access point is
// arn:aws:s3::ACCOUNT:accesspoint/ALIAS — empty region, non-empty account
// (s3_resource_types.csv: multiregionaccesspoint). The KindOtherS3 comment
// files multi-region access points under "other", not under KindAccessPoint,
// which names regional access points.
func TestS3KindsMultiRegionAccessPoint(t *testing.T) {
	const mrap = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap"
	if got := S3Kinds(mrap); got != otherK {
		t.Errorf("S3Kinds(%q) = %06b, want %06b (KindOtherS3)", mrap, got, otherK)
	}
	// So the multi-region access point actions apply to it (CanApplyTo maps
	// the multiregionaccesspoint type to KindOtherS3).
	if a := LookupAction("s3:GetMultiRegionAccessPointPolicy"); !a.CanApplyTo(mrap) {
		t.Errorf("s3:GetMultiRegionAccessPointPolicy.CanApplyTo(%q) = false, want true", mrap)
	}
	// A pattern whose region may be empty may name a multi-region access
	// point as well as a regional one.
	for _, p := range []string{"arn:aws:s3:*:123456789012:accesspoint/*", "arn:aws:s3::123456789012:accesspoint/*"} {
		if got := S3Kinds(p); !got.Has(otherK) {
			t.Errorf("S3Kinds(%q) = %06b, want it to include KindOtherS3", p, got)
		}
	}
}

// CanApplyTo: an action applies to a Resource pattern when one of its
// resource types (Service Authorization Reference) is among the kinds the
// pattern can name; actions that take only Resource "*" need exactly "*"
// (§1: ListAllMyBuckets on arn:aws:s3:::* is never granted).
func TestCanApplyTo(t *testing.T) {
	const (
		bucket   = "arn:aws:s3:::b"
		objects  = "arn:aws:s3:::b/*"
		ap       = "arn:aws:s3:us-east-1:123456789012:accesspoint/ap"
		apObject = "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/*"
		job      = "arn:aws:s3:us-east-1:123456789012:job/1"
		key      = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	)
	tests := []struct {
		action  string
		pattern string
		want    bool
	}{
		{"s3:GetObject", objects, true},
		{"s3:GetObject", "arn:aws:s3:::b/k", true},
		{"s3:GetObject", "arn:aws:s3:::b*", true},
		{"s3:GetObject", apObject, true},
		{"s3:GetObject", "*", true},
		{"s3:GetObject", bucket, false}, // the classic 403
		{"s3:GetObject", ap, false},
		{"s3:GetObject", job, false},
		{"s3:GetObject", key, false},
		{"s3:GetObject", "b/*", false}, // not an ARN at all

		{"s3:ListBucket", bucket, true},
		{"s3:ListBucket", ap, true},
		{"s3:ListBucket", "arn:aws:s3:::*", true},
		{"s3:ListBucket", objects, false}, // the other classic 403
		{"s3:ListBucket", apObject, false},
		{"s3:PutBucketPolicy", bucket, true},
		{"s3:PutBucketPolicy", ap, false}, // bucket* only

		{"s3:ListAllMyBuckets", "*", true},
		{"s3:ListAllMyBuckets", "arn:aws:s3:::*", false},
		{"s3:ListAllMyBuckets", bucket, false},
		{"s3:CreateJob", "*", true},
		{"s3:CreateJob", job, false},

		{"s3:DescribeJob", job, true},
		{"s3:DescribeJob", "arn:aws:s3:us-east-1:123456789012:*", true},
		{"s3:DescribeJob", bucket, false},
		{"s3:GetAccessPointPolicy", ap, true},
		{"s3:GetAccessPointPolicy", bucket, false},

		{"kms:Decrypt", key, true},
		{"kms:Decrypt", "arn:aws:kms:*:123456789012:key/*", true},
		{"kms:Decrypt", "*", true},
		{"kms:Decrypt", bucket, false},
		{"kms:Decrypt", objects, false},
		{"kms:CreateKey", "*", true},
		{"kms:CreateKey", key, false},
	}
	for _, tc := range tests {
		a := LookupAction(tc.action)
		if a == nil {
			t.Fatalf("%s is not in the table", tc.action)
		}
		if got := a.CanApplyTo(tc.pattern); got != tc.want {
			t.Errorf("%s.CanApplyTo(%q) = %v, want %v", tc.action, tc.pattern, got, tc.want)
		}
	}
}

// BucketARN names the exact bucket of a bucket or object ARN.
func TestBucketARN(t *testing.T) {
	tests := []struct {
		in                string
		partition, bucket string
		ok                bool
	}{
		{"arn:aws:s3:::b", "aws", "b", true},
		{"arn:aws:s3:::b/k", "aws", "b", true},
		{"arn:aws:s3:::b/*", "aws", "b", true},
		{"arn:aws:s3:::b/a/b/c", "aws", "b", true},
		{"arn:aws-cn:s3:::my.bucket-1", "aws-cn", "my.bucket-1", true},
		{"arn:*:s3:::b", "*", "b", true}, // pinned: the partition comes back as written, wildcard included

		{"arn:aws:s3:::b*", "", "", false},
		{"arn:aws:s3:::b?/k", "", "", false},
		{"arn:aws:s3:::*", "", "", false},
		{"arn:aws:s3:::*/k", "", "", false},
		{"arn:aws:s3:::", "", "", false},
		{"arn:aws:s3:::/k", "", "", false},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap", "", "", false},
		{"arn:aws:s3::123456789012:b", "", "", false},
		{"arn:aws:s3:us-east-1::b", "", "", false},
		{"arn:aws:iam::123456789012:role/r", "", "", false},
		{"arn:aws:s3*:::b", "", "", false},
		{"*", "", "", false},
		{"b", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		p, b, ok := BucketARN(tc.in)
		if p != tc.partition || b != tc.bucket || ok != tc.ok {
			t.Errorf("BucketARN(%q) = %q, %q, %v; want %q, %q, %v", tc.in, p, b, ok, tc.partition, tc.bucket, tc.ok)
		}
	}
}

// ParseARN splits like strings.SplitN(s, ":", 6) with "arn" first.
func TestParseARNSplitsLikeSplitN(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		b := make([]byte, rng.IntN(16))
		for i := range b {
			b[i] = "arn:x"[rng.IntN(5)]
		}
		s := string(b)
		if rng.IntN(2) == 0 {
			s = "arn:" + s
		}
		parts := strings.SplitN(s, ":", 6)
		wantOK := len(parts) == 6 && parts[0] == "arn"
		got, ok := ParseARN(s)
		if ok != wantOK || ok && (got != ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}) {
			t.Fatalf("ParseARN(%q) = %#v, %v; SplitN gives %q", s, got, ok, parts)
		}
	}
}
