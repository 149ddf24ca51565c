package cloudformation_test

import (
	"testing"
)

// Loading the same files gives the same graph every time, whatever the
// order of the paths: nothing may depend on map iteration or walk order.
func TestDeterminism(t *testing.T) {
	files := tree{
		"a/positions.yaml":  positionsYAML,
		"a/positions.json":  positionsJSON,
		"b/iam.yaml":        iamTemplate,
		"b/sam.yaml":        samTemplate,
		"c/forms.yaml":      formsYAML(false),
		"c/forms-long.yaml": formsYAML(true),
		"c/forms.json":      formsJSON(),
		"d/errors.yaml":     "Resources:\n" + fineBucket + policyResource("!Ref Nowhere") + "  X:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Bogus x}\n",
		"params.json":       `{"Parameters": {"Fixed": "yes"}}`,
		"e/settings.yaml": bucketYAML(`      PublicAccessBlockConfiguration: !If [IsProd, {BlockPublicAcls: true}, !Ref AWS::NoValue]
      AccessControl: !If [IsProd, Private, PublicRead]
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !If [IsProd, !Ref DataAlias, alias/dev-data]
`) + "  AP:\n    Type: AWS::S3::AccessPoint\n    Properties: {Bucket: !Ref B, VpcConfiguration: {VpcId: vpc-1}}\n" +
			"  EP:\n    Type: AWS::EC2::VPCEndpoint\n    Properties: {VpcId: vpc-1, ServiceName: s3}\n",
	}
	dir := writeTree(t, files)
	first := loadDir(t, dir, withParams("params.json"))
	want := first.dump()
	if len(first.Buckets) == 0 || len(first.Policies) == 0 || len(first.Principals) == 0 || len(first.Diagnostics) == 0 {
		t.Fatalf("the corpus loaded too little:\n%s", want)
	}
	for i := range 10 {
		if got := loadDir(t, dir, withParams("params.json")).dump(); got != want {
			t.Fatalf("load %d differs:\n%s\n---- first ----\n%s", i+2, got, want)
		}
	}
	reversed := loadDir(t, dir, withPaths("e", "d", "c", "b", "a"), withParams("params.json"))
	if got := reversed.dump(); got != want {
		t.Fatalf("loading the directories in reverse order differs:\n%s\n---- first ----\n%s", got, want)
	}
}
