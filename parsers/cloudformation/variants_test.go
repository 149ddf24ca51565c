package cloudformation_test

import "testing"

// A policy under an undecided condition becomes one alternative per branch,
// each marked with the conditions under which it is in place; a decided
// condition makes one policy with no variant.
func TestPolicyVariants(t *testing.T) {
	l := load(t, tree{"t.yaml": `Parameters:
  Access: {Type: String, AllowedValues: [Public, Private]}
Conditions:
  IsPublic: !Equals [!Ref Access, Public]
  Never: !Equals [a, b]
Resources:
  B: {Type: AWS::S3::Bucket}
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - !If
            - IsPublic
            - {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: !Sub "${B.Arn}/*"}
            - !Ref AWS::NoValue
          - !If [Never, {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*"}, !Ref AWS::NoValue]
  Q:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - !If [Never, {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*"}, !Ref AWS::NoValue]
`})
	ps := l.policies("P")
	if len(ps) != 2 {
		t.Fatalf("P: %d policies, want 2", len(ps))
	}
	for _, p := range ps {
		if p.Variant == nil || len(p.Variant.When) != 1 || p.Variant.Group != ps[0].Variant.Group {
			t.Fatalf("P variant: %+v", p.Variant)
		}
		n := len(p.Doc.Statements)
		if p.Variant.When["IsPublic"] != (n == 1) {
			t.Errorf("%s: %d statements", p.Variant.Describe(), n)
		}
	}
	if got := ps[0].Variant.Describe(); got != "IsPublic is false" && got != "IsPublic is true" {
		t.Errorf("Describe() = %q", got)
	}
	q := l.policies("Q")
	if len(q) != 1 || q[0].Variant != nil {
		t.Errorf("Q (a decided condition): %d policies, variant %+v", len(q), q[0].Variant)
	}
	if b := l.bucket("B"); len(b.Policies) != 3 {
		t.Errorf("B has %d policies, want the two alternatives of P and Q", len(b.Policies))
	}
}
