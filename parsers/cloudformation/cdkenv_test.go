package cloudformation_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/cloudformation"
)

// cdkManifest is a cloud assembly manifest with two stacks in their own
// environments and one environment-agnostic stack.
const cdkManifest = `{
  "version": "48.0.0",
  "artifacts": {
    "Data": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/eu-west-1",
             "properties": {"templateFile": "Data.template.json"}},
    "China": {"type": "aws:cloudformation:stack", "environment": "aws://222233334444/cn-north-1",
              "properties": {"templateFile": "China.template.json"}},
    "Anywhere": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
                 "properties": {"templateFile": "Anywhere.template.json"}},
    "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}
  }
}`

// cdkStack is a template with a bucket named after its stack's account and
// region, as CDK apps name them.
const cdkStack = `{
  "Resources": {
    "Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Join": ["-", ["logs", {"Ref": "AWS::AccountId"}, {"Ref": "AWS::Region"}]]}}},
    "LogsPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Logs"}, "PolicyDocument": {"Statement": [
      {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}},
       "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Logs"}, "/*"]]}}]}}}
  }
}`

// A CDK stack's account and region come from its cloud assembly's
// manifest: the template holds them only where the app used them.
func TestCDKManifestEnvironment(t *testing.T) {
	l := load(t, tree{
		"cdk.out/manifest.json":          cdkManifest,
		"cdk.out/Data.template.json":     cdkStack,
		"cdk.out/China.template.json":    cdkStack,
		"cdk.out/Anywhere.template.json": cdkStack,
		"elsewhere/Data.template.json":   cdkStack, // no manifest beside it
	})
	l.noDiags()
	for _, tc := range []struct {
		file, account, region, name, policyARN string
	}{
		{"cdk.out/Data.template.json", "111122223333", "eu-west-1", "logs-111122223333-eu-west-1", "arn:aws:s3:::logs-111122223333-eu-west-1/*"},
		{"cdk.out/China.template.json", "222233334444", "cn-north-1", "logs-222233334444-cn-north-1", "arn:aws-cn:s3:::logs-222233334444-cn-north-1/*"},
		{"cdk.out/Anywhere.template.json", "", "", "", ""},
		{"elsewhere/Data.template.json", "", "", "", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b *graph.Bucket
			for _, x := range l.Buckets {
				if l.rel(x.Root) == tc.file {
					b = x
				}
			}
			if b == nil {
				t.Fatalf("no bucket from %s", tc.file)
			}
			if tc.account == "" {
				if !b.Account.IsSymbol() || b.Region != "" || b.Name.Known() {
					t.Errorf("account %q, region %q, name %+v: want a symbolic account, no region, an unknown name", b.Account, b.Region, b.Name)
				}
				return
			}
			if string(b.Account) != tc.account || b.Region != tc.region || !b.Name.Is(tc.name) {
				t.Errorf("account %q, region %q, name %q; want %s, %s, %s", b.Account, b.Region, b.Name.V, tc.account, tc.region, tc.name)
			}
			res := b.Policies[0].Doc.Statements[0].Resource.Items[0]
			if !res.Is(tc.policyARN) {
				t.Errorf("policy resource %q, want %q", res.V, tc.policyARN)
			}
			// The bucket's own ARN is in the stack's partition too.
			if want := strings.TrimSuffix(tc.policyARN, "/*"); !b.ARN.Is(want) {
				t.Errorf("bucket ARN %q, want %q", b.ARN.V, want)
			}
		})
	}
}

// A manifest the scan does not walk (excluded, or outside the paths) is
// not read.
func TestCDKManifestOnlyWhenWalked(t *testing.T) {
	l := load(t, tree{
		"cdk.out/manifest.json":      cdkManifest,
		"cdk.out/Data.template.json": cdkStack,
	}, withPaths("cdk.out/Data.template.json"))
	l.noDiags()
	if len(l.Buckets) != 1 || !strings.HasPrefix(string(l.Buckets[0].Account), "<account of") {
		t.Errorf("buckets %d, account %q: want one, in a symbolic account", len(l.Buckets), l.Buckets[0].Account)
	}
}

// A manifest's environment keeps the parts that are an account ID and a
// region; CDK's placeholders and anything else are left open.
func TestCDKEnvironmentForms(t *testing.T) {
	for _, tc := range []struct {
		in, account, region string
		ok                  bool
	}{
		{"aws://111122223333/eu-west-1", "111122223333", "eu-west-1", true},
		{"aws://111122223333/unknown-region", "111122223333", "", true},
		{"aws://unknown-account/us-gov-west-1", "", "us-gov-west-1", true},
		{"aws://unknown-account/unknown-region", "", "", false},
		{"aws://${AWS::AccountId}/${AWS::Region}", "", "", false},
		{"aws://1111222233/eu-west-1", "", "eu-west-1", true}, // not 12 digits
		{"aws://111122223333", "", "", false},
		{"azure://111122223333/eu-west-1", "", "", false},
		{"", "", "", false},
	} {
		account, region, ok := cloudformation.CDKEnvironment(tc.in)
		if account != tc.account || region != tc.region || ok != tc.ok {
			t.Errorf("%q: %q %q %v, want %q %q %v", tc.in, account, region, ok, tc.account, tc.region, tc.ok)
		}
	}
}
