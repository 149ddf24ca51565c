package cloudformation_test

import (
	"testing"

	"github.com/s3lint/s3lint/graph"
)

func TestAnchorsAndAliases(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: &name shared-name
  Read:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - &read
            Effect: Allow
            Action: &actions [s3:GetObject, s3:GetObjectVersion]
            Resource: !Sub "arn:aws:s3:::${Bucket}/*"
  Again:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - *read
          - Effect: Deny
            Action: *actions
            Resource: [*name]
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	is(t, "bucket name", l.bucket("Bucket").Name.V, "shared-name")
	again := l.policy("Again", graph.IdentityPolicy)
	st := stmt(t, again, 0)
	// The alias resolves intrinsics in the template where it is used, and
	// points at the alias.
	is(t, "aliased statement range", pos(st.Range), at(t, src, "*read"))
	eq(t, "aliased statement actions", vals(st.Action.Items), []string{"s3:GetObject", "s3:GetObjectVersion"})
	eq(t, "aliased statement resources", vals(st.Resource.Items), []string{"arn:aws:s3:::shared-name/*"})
	d := stmt(t, again, 1)
	eq(t, "aliased list", vals(d.Action.Items), []string{"s3:GetObject", "s3:GetObjectVersion"})
	is(t, "aliased list range", pos(d.Action.Range), at(t, src, "*actions"))
	checkItems(t, src, "aliased scalar", d.Resource, []item{{"shared-name", "*name", 0}})
	// The original keeps its own positions.
	r := stmt(t, l.policy("Read", graph.IdentityPolicy), 0)
	checkItems(t, src, "anchored list items", r.Action, []item{{"s3:GetObject", "s3:GetObject", 1}, {"s3:GetObjectVersion", "s3:GetObjectVersion", 0}})
}

func TestMergeKeys(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Metadata:
  Common: &common
    Effect: Allow
    Resource: "*"
  Extra: &extra
    Sid: extra
    Effect: Deny
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - <<: *common
            Action: s3:GetObject
          - <<: [*extra, *common]
            Action: s3:PutObject
          - Action: s3:DeleteObject
            <<: *common
            Effect: Deny
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	p := l.policy("Policy", graph.IdentityPolicy)
	s0 := stmt(t, p, 0)
	is(t, "merged Effect", s0.Effect.V, "Allow")
	eq(t, "merged Resource", vals(s0.Resource.Items), []string{"*"})
	eq(t, "own Action", vals(s0.Action.Items), []string{"s3:GetObject"})
	// The earlier mapping of a merge list wins.
	s1 := stmt(t, p, 1)
	is(t, "Sid from the first merged mapping", s1.Sid.V, "extra")
	is(t, "Effect from the first merged mapping", s1.Effect.V, "Deny")
	eq(t, "Resource from the second", vals(s1.Resource.Items), []string{"*"})
	// A key given in the mapping overrides the merged one, wherever it is
	// written.
	s2 := stmt(t, p, 2)
	is(t, "own Effect after the merge", s2.Effect.V, "Deny")
	if len(p.Doc.Problems) != 0 {
		t.Errorf("problems: %v", p.Doc.Problems)
	}
}

// A key written after a merge key must override the merged value: YAML
// merges never override the mapping's own keys. Properties are read with
// Node.Get, which takes the first field, so the merged value wins.
func TestMergeKeyOverriddenAfterMerge(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Metadata:
  BucketDefaults: &bucket
    Type: AWS::S3::Bucket
    Properties:
      BucketName: template-default
Resources:
  Logs:
    <<: *bucket
    Properties:
      BucketName: real-logs
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${Logs.Arn}/*"
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	b := l.bucket("Logs")
	p := l.policy("Policy", graph.BucketPolicy)
	got := []string{b.Name.V, b.ARN.V, p.BucketRef.V, stmt(t, p, 0).Resource.Items[0].V}
	want := []string{"real-logs", "arn:aws:s3:::real-logs", "real-logs", "arn:aws:s3:::real-logs/*"}
	eq(t, "bucket name, ARN, BucketRef, policy resource", got, want)
}

// A tag the loader does not know is an error at the tagged node; the rest
// of the template loads, and the value is unknown.
func TestUnknownTag(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Reff other
  Good:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: good
`
	l := load(t, tree{"t.yaml": src})
	eq(t, "diagnostics", l.diags(), []string{"error t.yaml:" + startOf(t, src, "!Reff") + ": unknown tag !Reff"})
	is(t, "good bucket", l.bucket("Good").Name.V, "good")
	if l.bucket("Bucket").Name.Known() {
		t.Errorf("the name under an unknown tag is known: %s", sv(l.bucket("Bucket").Name))
	}
	// Standard YAML tags are not intrinsics.
	l = load(t, tree{"t.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !!str 123\n"})
	l.noDiags()
	is(t, "!!str name", l.bucket("B").Name.V, "123")
}

// CloudFormation accepts repeated keys and keeps the last; s3lint does the
// same and warns at each one it drops, in YAML and JSON alike.
func TestDuplicateKeys(t *testing.T) {
	ysrc := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: {BucketName: first}
  B:
    Type: AWS::S3::Bucket
    Properties: {BucketName: second}
  Other:
    Type: AWS::S3::Bucket
    Properties: {BucketName: other}
`
	jsrc := `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
  "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "first"}},
  "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "second", "BucketName": "third"}},
  "Other": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "other"}}}}
`
	l := load(t, tree{"t.yaml": ysrc, "t.json": jsrc})
	eq(t, "diagnostics", l.diags(), []string{
		"warning t.json:" + startOf(t, jsrc, `"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "first"`) + `: duplicate key "B": CloudFormation ignores this one and keeps the last`,
		"warning t.json:" + startOf(t, jsrc, `"BucketName": "second"`) + `: duplicate key "BucketName": CloudFormation ignores this one and keeps the last`,
		// The first B.
		"warning t.yaml:3:3" + `: duplicate key "B": CloudFormation ignores this one and keeps the last`,
	})
	eq(t, "buckets", l.bucketNames(), []string{"other", "other", "second", "third"})
}
