package tfplan_test

import (
	"strings"
	"testing"
)

// mirrorState is `terraform show -json` of a state: since version 4 of the
// AWS provider, the bucket's computed policy attribute holds the document
// that aws_s3_bucket_policy put.
const mirrorState = `{
 "format_version": "1.0",
 "terraform_version": "1.9.5",
 "values": {
  "root_module": {
   "resources": [
    {
     "address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data",
     "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
     "values": {
      "bucket": "acme-state-data", "arn": "arn:aws:s3:::acme-state-data", "id": "acme-state-data",
      "policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/reader\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::acme-state-data/*\"}]}"
     },
     "sensitive_values": {}
    },
    {
     "address": "aws_s3_bucket_policy.data", "mode": "managed", "type": "aws_s3_bucket_policy", "name": "data",
     "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
     "values": {
      "bucket": "acme-state-data", "id": "acme-state-data",
      "policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/reader\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::acme-state-data/*\"}]}"
     },
     "sensitive_values": {}
    },
    {
     "address": "aws_s3_bucket.legacy", "mode": "managed", "type": "aws_s3_bucket", "name": "legacy",
     "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
     "values": {
      "bucket": "acme-state-legacy", "arn": "arn:aws:s3:::acme-state-legacy", "id": "acme-state-legacy",
      "policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::acme-state-legacy/*\"}]}"
     },
     "sensitive_values": {}
    }
   ]
  }
 }
}`

// The bucket's mirror of its policy resource's document is not a policy of
// its own; a bucket's policy attribute with no policy resource is.
func TestBucketPolicyMirror(t *testing.T) {
	validJSON(t, "mirrorState", mirrorState)
	l := load(t, tree{"terraform.tfstate.json": mirrorState})
	if len(l.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", l.diags())
	}
	var addrs []string
	for _, p := range l.Policies {
		addrs = append(addrs, p.Address)
	}
	if got := strings.Join(addrs, " "); got != "aws_s3_bucket_policy.data aws_s3_bucket.legacy" {
		t.Errorf("policies %q, want the legacy bucket's own and the policy resource's", got)
	}
	if b := l.bucket("aws_s3_bucket.data"); len(b.Policies) != 1 || b.Policies[0].Address != "aws_s3_bucket_policy.data" {
		t.Errorf("data bucket's policies: %d", len(b.Policies))
	}
	if b := l.bucket("aws_s3_bucket.legacy"); len(b.Policies) != 1 {
		t.Errorf("legacy bucket's policies: %d, want its own", len(b.Policies))
	}
}
