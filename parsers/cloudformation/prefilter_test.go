package cloudformation_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/s3lint/s3lint/parsers/cloudformation"
)

// TestTemplatesFoundBeforeParsing: files that cannot hold a template are
// not parsed, and every way of writing one still is, escapes included.
func TestTemplatesFoundBeforeParsing(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		template  bool // a template with a bucket B
	}{
		{"version only.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n", true},
		{"resources.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", true},
		{"flow.yaml", "{Resources: {B: {Type: 'AWS::S3::Bucket'}}}\n", true},
		{"sam.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  B:\n    Type: AWS::S3::Bucket\n", true},
		{"alias.yaml", "x: &t AWS::S3::Bucket\nResources:\n  B:\n    Type: *t\n", true},
		{"template.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`, true},
		{"escaped.json", `{"\u0052esources": {"B": {"Type": "\u0041WS::S3::Bucket"}}}`, true},
		{"escaped.yaml", "\"\\x52esources\":\n  B:\n    Type: \"\\x41WS::S3::Bucket\"\n", true},
		{"manifest.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n", false},
		{"workflow.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n", false},
		{"package.json", `{"name": "app", "dependencies": {"aws-cdk-lib": "2.0.0"}}`, false},
		{"resources elsewhere.yaml", "Resources:\n  cpu: 2\n  memory: 4Gi\n", false},
		{"broken.yaml", "a: [1, 2\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cloudformation.MayBeTemplate([]byte(tc.src)); got != tc.template {
				t.Errorf("MayBeTemplate = %v, want %v", got, tc.template)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tc.name), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			g := cloudformation.Load(cloudformation.Options{Paths: []string{dir}})
			if found := len(g.Buckets) == 1; found != tc.template || len(g.Diagnostics) != 0 {
				t.Errorf("buckets %d, diagnostics %v; want a bucket: %v", len(g.Buckets), g.Diagnostics, tc.template)
			}
		})
	}
}
