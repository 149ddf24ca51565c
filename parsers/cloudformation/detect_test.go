package cloudformation_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// A small valid template in each syntax, naming one bucket.
func yamlBucket(name string) string {
	return "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: " + name + "\n"
}

func jsonBucket(name string) string {
	return `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "` + name + `"}}}}`
}

// bucketNames lists the known names of the loaded buckets, sorted.
func (l *loaded) bucketNames() []string {
	out := []string{}
	for _, b := range l.Buckets {
		out = append(out, b.Name.V)
	}
	sort.Strings(out)
	return out
}

func TestDetectTemplatesByContent(t *testing.T) {
	l := load(t, tree{
		// AWSTemplateFormatVersion alone is enough…
		"versioned.yaml": yamlBucket("versioned"),
		"versioned.json": jsonBucket("versioned-json"),
		// …and so are Resources with AWS:: types, without it.
		"bare.yml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: bare}\n",
		"bare.json": `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "bare-json"}},
			"Fn": {"Type": "AWS::Lambda::Function"}, "C": {"Type": "Custom::Thing"}}}`,
		// .template holds either syntax.
		"stack.template":      "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: tpl-yaml}\n",
		"json-stack.template": `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "tpl-json"}}}}`,
		// Upper-case extensions.
		"UPPER.YAML": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: upper}\n",
		// CDK output is an ordinary template.
		"cdk.out/App.template.json": `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "cdk"}}}}`,
		// A byte-order mark does not hide a template.
		"bom.json": "\ufeff" + jsonBucket("bom-json"),
		"bom.yaml": "\ufeff" + yamlBucket("bom-yaml"),
		// Not a candidate extension.
		"notes.txt": yamlBucket("txt"),
	})
	l.noDiags()
	eq(t, "bucket names", l.bucketNames(), []string{"bare", "bare-json", "bom-json", "bom-yaml", "cdk",
		"tpl-json", "tpl-yaml", "upper", "versioned", "versioned-json"})
	for _, b := range l.Buckets {
		if b.Format != graph.CloudFormation || b.Type != "AWS::S3::Bucket" {
			t.Errorf("bucket %s: format %v type %q", b.Address, b.Format, b.Type)
		}
	}
}

// Other YAML and JSON found in repositories is left to other loaders,
// silently.
func TestOtherFilesIgnoredSilently(t *testing.T) {
	l := load(t, tree{
		"k8s/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          resources:
            limits: {cpu: "1"}
---
apiVersion: v1
kind: Service
metadata: {name: web}
`,
		"docker-compose.yml": "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n",
		".github/workflows/ci.yml": `name: ci
on: [push]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: aws cloudformation deploy --template-file t.yaml
        env: {AWS_REGION: us-east-1}
`,
		".gitlab-ci.yml":    "include: x\njob:\n  script: !reference [.setup, script]\n",
		"package.json":      `{"name": "app", "version": "1.0.0", "dependencies": {"aws-cdk-lib": "2.0.0"}}`,
		"package-lock.json": `{"name": "app", "lockfileVersion": 3, "packages": {"": {"name": "app"}, "node_modules/aws-cdk-lib": {"version": "2.0.0", "resolved": "https://registry.npmjs.org/aws-cdk-lib/-/aws-cdk-lib-2.0.0.tgz"}}}`,
		// Terraform JSON, even when it looks like a template.
		"main.tf.json":            `{"resource": {"aws_s3_bucket": {"b": {"bucket": "tf-json"}}}}`,
		"odd.tf.json":             jsonBucket("tf-json-template"),
		"terraform.tfvars.json":   `{"bucket_name": "x", "tags": {"Resources": "AWS::S3::Bucket"}}`,
		"prod.auto.tfvars.json":   `{"region": "us-east-1"}`,
		"plan.json":               `{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [{"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "values": {"bucket": "plan"}}]}}, "resource_changes": []}`,
		"cdk.json":                `{"app": "npx ts-node bin/app.ts", "context": {}}`,
		"cdk.out/manifest.json":   `{"version": "36.0.0", "artifacts": {"App": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "App.template.json"}, "metadata": {"/App/Bucket/Resource": [{"type": "aws:cdk:logicalId", "data": "Bucket83908E77"}]}}}}`,
		"cdk.out/tree.json":       `{"version": "tree-0.1", "tree": {"id": "App", "path": "", "children": {"App": {"id": "App", "path": "App", "children": {"Bucket": {"id": "Bucket", "path": "App/Bucket", "children": {"Resource": {"id": "Resource", "path": "App/Bucket/Resource", "attributes": {"aws:cdk:cloudformation:type": "AWS::S3::Bucket", "aws:cdk:cloudformation:props": {}}}}}}}}}}`,
		"cdk.out/App.assets.json": `{"version": "36.0.0", "files": {}, "dockerImages": {}}`,
		// Serverless Framework: resources are nested, lower case.
		"serverless.yml": "service: s\nprovider: {name: aws}\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n",
		// Resources that are not CloudFormation resources.
		"other-resources.yaml": "Resources:\n  cpu: 2\n  memory: 4Gi\n",
		"typed.yaml":           "Resources:\n  A:\n    Type: Widget\n",
		"list.json":            `[{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}]`,
		"empty.yaml":           "",
		"empty.json":           "",
		"comment.yaml":         "# nothing here\n",
		"scalar.yaml":          "just a string\n",
	})
	l.noDiags()
	if len(l.Buckets)+len(l.Policies)+len(l.Principals)+len(l.Keys)+len(l.Endpoints) != 0 {
		t.Errorf("non-templates were loaded:\n%s", l.dump())
	}
}

// Malformed YAML and JSON that is not a template is none of this loader's
// business: no diagnostic.
func TestMalformedNonTemplatesSilent(t *testing.T) {
	l := load(t, tree{
		"k8s.yaml":                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   labels: {}\n",
		"compose.yml":             "services:\n  web:\n    image: [nginx\n",
		".github/workflows/a.yml": "on: push\njobs:\n  a:\n    steps:\n      - run: \"unterminated\n",
		"package.json":            `{"name": "app", "version": }`,
		"data.json":               `{"a": [1, 2,]}`,
		"tabs.yaml":               "a:\n\tb: 1\n",
		"bad-anchor.yaml":         "a: *nowhere\n",
		"deep.json":               strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		"ok.yaml":                 yamlBucket("still-loaded"),
	})
	l.noDiags()
	eq(t, "buckets", l.bucketNames(), []string{"still-loaded"})
}

func TestSkippedDirectories(t *testing.T) {
	l := load(t, tree{
		"node_modules/pkg/template.yaml":  yamlBucket("in-node-modules"),
		"app/node_modules/x/t.json":       jsonBucket("nested-node-modules"),
		".git/t.yaml":                     yamlBucket("in-git"),
		".terraform/modules/m/stack.json": jsonBucket("in-terraform"),
		"infra/stack.yaml":                yamlBucket("infra"),
		"infra/.hidden-but-fine/t.yaml":   yamlBucket("hidden-dir"),
		"infra/node_modules_not/t.yaml":   yamlBucket("similar-name"),
	})
	l.noDiags()
	eq(t, "buckets", l.bucketNames(), []string{"hidden-dir", "infra", "similar-name"})
}

// Paths may name files as well as directories; files are read once even
// when named twice; missing paths are left to the Terraform loader.
func TestExplicitPaths(t *testing.T) {
	dir := writeTree(t, tree{
		"a.yaml":              yamlBucket("a"),
		"b.json":              jsonBucket("b"),
		"node_modules/c.yaml": yamlBucket("c"),
		"readme.md":           yamlBucket("md"),
		"sub/d.yaml":          yamlBucket("d"),
	})
	l := loadDir(t, dir, withPaths("a.yaml", "a.yaml", "./a.yaml", "node_modules/c.yaml", "readme.md", "sub", "sub/d.yaml", "missing.yaml", "missing-dir"))
	l.noDiags()
	eq(t, "buckets", l.bucketNames(), []string{"a", "c", "d"})
}

// A directory that cannot be read is skipped without a diagnostic.
func TestUnreadableDirectory(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root reads every directory")
	}
	dir := writeTree(t, tree{"ok/a.yaml": yamlBucket("a"), "locked/b.yaml": yamlBucket("b")})
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o755) })
	l := loadDir(t, dir)
	l.noDiags()
	eq(t, "buckets", l.bucketNames(), []string{"a"})
}

// A YAML template may be written in flow style, starting with '{'; it is
// YAML all the same when its file is .yaml.
func TestFlowStyleYAMLTemplate(t *testing.T) {
	src := "{AWSTemplateFormatVersion: \"2010-09-09\", Resources: {Flow: {Type: AWS::S3::Bucket, Properties: {BucketName: flow}}}}\n"
	l := load(t, tree{"flow.yaml": src})
	l.noDiags()
	eq(t, "buckets", l.bucketNames(), []string{"flow"})
}

// A template without AWSTemplateFormatVersion is still a template when one
// of its resources has a type from the CloudFormation registry (third-party
// types such as Datadog::Monitors::Monitor).
func TestDetectTemplateWithThirdPartyTypes(t *testing.T) {
	src := `Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties: {BucketName: third-party}
  Monitor:
    Type: Datadog::Monitors::Monitor
    Properties: {Name: m}
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	eq(t, "buckets", l.bucketNames(), []string{"third-party"})
}

// Fn::ForEach (AWS::LanguageExtensions) writes a list under Resources; the
// template is valid and must not be reported as malformed.
func TestForEachResourcesNotAnError(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [a, b]
    - ${Name}Bucket:
        Type: AWS::S3::Bucket
  Plain:
    Type: AWS::S3::Bucket
    Properties: {BucketName: plain}
`
	l := load(t, tree{"t.yaml": src})
	eq(t, "buckets", l.bucketNames(), []string{"plain"})
	// Not an error: only a note that the loop is not expanded.
	eq(t, "diagnostics", l.diags(), []string{"note t.yaml:4:3: Fn::ForEach::Buckets is not expanded: the resources it makes are not checked"})
}
