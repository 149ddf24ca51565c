package cloudformation_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/fuzzcheck"
	"github.com/s3lint/s3lint/parsers/cloudformation"
)

// fuzzLoad writes src as a template file (name) beside a fixed valid
// template and loads both: the loader must not panic (Load turns a panic
// into an "internal error" diagnostic), the fixed template must still
// load, every range into the fuzzed file lies inside it, and a second load
// gives the same graph.
func fuzzLoad(t *testing.T, dir, name string, src []byte) {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	g := cloudformation.Load(cloudformation.Options{Paths: []string{dir}})
	fixed := false
	for _, b := range g.Buckets {
		fixed = fixed || b.Address == "FixedBucket" && b.Name.Is("fixed-bucket")
	}
	if !fixed {
		t.Fatalf("the fixed template did not load beside the fuzzed file")
	}
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("panic while loading: %s", d.Message)
		}
		if d.File == "" {
			t.Fatalf("diagnostic without a file: %+v", d)
		}
		if d.Range.Start.Byte > d.Range.End.Byte {
			t.Fatalf("diagnostic range ends before it starts: %+v", d)
		}
	}
	checkRanges(t, g, path, len(src))
	// Every range anywhere in the graph, not only those checkRanges
	// names, lies inside the file.
	if bad := fuzzcheck.BadRange(g, fuzzcheck.Sizes{path: len(src), filepath.ToSlash(path): len(src)}); bad != "" {
		t.Fatal(bad)
	}
	if again := cloudformation.Load(cloudformation.Options{Paths: []string{dir}}); !reflect.DeepEqual(g, again) {
		t.Fatalf("two loads of the same template differ")
	}
}

// fuzzDir makes the directory shared by the inputs of one fuzzing process,
// with the fixed template in it.
func fuzzDir(f *testing.F) string {
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fixed"), 0o755); err != nil {
		f.Fatal(err)
	}
	fixed := "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  FixedBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: fixed-bucket\n"
	if err := os.WriteFile(filepath.Join(dir, "fixed", "template.yaml"), []byte(fixed), 0o644); err != nil {
		f.Fatal(err)
	}
	return dir
}

func FuzzLoadYAML(f *testing.F) {
	seeds := []string{
		"",
		positionsYAML,
		iamTemplate,
		samTemplate,
		formsYAML(false),
		formsYAML(true),
		"AWSTemplateFormatVersion: x\nResources: {B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub \"${\"}}}}\n",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !GetAtt\n",
		"Resources:\n  A: &a {Type: AWS::S3::Bucket}\n  B:\n    <<: [*a, *a]\n    Properties: {BucketName: !Ref A}\n",
		"Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  X: {Type: AWS::S3::Bucket, Condition: A}\n",
		"Resources:\n  A: {Type: AWS::S3::Bucket, Properties: {BucketName: !Ref B}}\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: !GetAtt A.Arn}}\n",
		"Transform: AWS::Serverless-2016-10-31\nResources:\n  F: {Type: AWS::Serverless::Function, Properties: {Policies: [{S3ReadPolicy: {}}, !Ref X, [1], 2]}}\n",
		"Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: !If [C, !Select [9, !Split [\",\", !Join [\"\", [!FindInMap [M, a, b, {DefaultValue: d}]]]]], !Ref AWS::NoValue]\nConditions: {C: !Equals [!Ref AWS::Region, x]}\n",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: |\n      block\n    }\n",
		"Resources: !Ref x\n",
		"Resources:\n  B: !GetAtt [A, B, C]\n",
		"%YAML 1.1\n---\nResources:\n  B: {Type: AWS::S3::Bucket}\n...\n---\nfoo: bar\n",
		"Resources:\n  \"\\u00e9\": {Type: AWS::S3::Bucket}\n",
		"\ufeffAWSTemplateFormatVersion: \"2010-09-09\"\r\nResources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      BucketName: crlf\r\n",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: \"a\\0b\", Tags: [{Key: \"\x00\", Value: \"\xff\xfe\"}]}\n",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {ObjectLockConfiguration: {Rule: {DefaultRetention: {Days: 1e999999, Years: 0x7fffffffffffffffff}}}}\n",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: " + strings.Repeat("[", 400) + strings.Repeat("]", 400) + "\n",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: " + strings.Repeat("!Join [\"\", [", 60) + "x" + strings.Repeat("]]", 60) + "\n",
		"a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\nResources:\n  B: {Type: AWS::S3::Bucket, Metadata: [*d, *d, *d, *d]}\n",
		"Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function: {Runtime: python3.12}\nResources:\n  Data:\n    Type: AWS::S3::Bucket\n  Reader:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Policies:\n        - S3ReadPolicy: {BucketName: !Ref Data}\n        - Statement:\n            - Effect: Allow\n              Action: s3:PutObject\n              Resource: !Sub \"${Data.Arn}/out/*\"\n      Events:\n        Upload: {Type: S3, Properties: {Bucket: !Ref Data, Events: s3:ObjectCreated:*}}\n",
		bucketYAML("      PublicAccessBlockConfiguration: !If [IsProd, {BlockPublicAcls: yes}, !Ref AWS::NoValue]\n      OwnershipControls: {Rules: [!If [IsProd, !Ref AWS::NoValue, {ObjectOwnership: ObjectWriter}]]}\n      AccessControl: [PublicRead]\n      VersioningConfiguration: !Ref Env\n      BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !Sub [\"${A}/alias/${!x}\", {A: !If [IsProd, !Ref EnvAlias, !Join [\"\", [!GetAtt Key.Arn]]]}]}}]}\n") +
			"  AP: {Type: AWS::S3::AccessPoint, Properties: {Bucket: !Ref B, PublicAccessBlockConfiguration: !Ref AWS::NoValue, VpcConfiguration: vpc-1}}\n  EP: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcEndpointType: !If [IsProd, Interface, Interface]}}\n",
		// Deliveries into buckets, with odd destinations.
		"Resources:\n  L: {Type: AWS::S3::Bucket, Properties: {LoggingConfiguration: {}}}\n  T: {Type: AWS::CloudTrail::Trail, Properties: {S3BucketName: !Ref L, KMSKeyId: [x], IsOrganizationTrail: maybe}}\n" +
			"  A: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Type: network, LoadBalancerAttributes: [{Key: access_logs.s3.enabled, Value: true}, {Key: access_logs.s3.bucket, Value: !Join [\"\", [!GetAtt L.Arn]]}, {Value: x}]}}\n" +
			"  F: {Type: AWS::EC2::FlowLog, Properties: {LogDestinationType: s3, LogDestination: !Join [\"\", [!GetAtt L.Arn, /p]]}}\n  D: {Type: AWS::CloudFront::Distribution, Properties: {DistributionConfig: {Logging: !Ref AWS::NoValue}}}\n" +
			"  C: {Type: AWS::Config::DeliveryChannel, Properties: {S3BucketName: !Ref L}}\n  R: {Type: AWS::Config::ConfigurationRecorder, Properties: {RoleARN: 3}}\n",
		// Origins read through origin access control, and keys a custom
		// resource receives.
		"Resources:\n  K: {Type: AWS::KMS::Key}\n  B: {Type: AWS::S3::Bucket, Properties: {BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref K}}]}}}\n" +
			"  D: {Type: AWS::CloudFront::Distribution, Properties: {DistributionConfig: {Origins: [{Id: a, DomainName: !GetAtt B.RegionalDomainName, OriginAccessControlId: x, OriginPath: !Ref D}, {OriginAccessControlId: \"\"}, 7, !If [C, {OriginAccessControlId: [1]}, !Ref AWS::NoValue]]}}}\n" +
			"  U: {Type: Custom::Updater, Properties: {Key: [[!GetAtt K.Arn]], Id: !GetAtt D.Id, Arn: !Sub \"${D}\"}}\n  V: {Type: AWS::CloudFormation::CustomResource, Properties: !Ref K}\n",
		// Origins read through origin access identities, and replication
		// rules, with odd shapes.
		"Resources:\n  O: {Type: AWS::CloudFront::CloudFrontOriginAccessIdentity}\n  B: {Type: AWS::S3::Bucket, Properties: {ReplicationConfiguration: {Role: [x], Rules: [{Status: Enabled, Destination: {Bucket: !GetAtt B.Arn, AccessControlTranslation: 1}, Filter: {And: {Prefix: !Ref O}}, DeleteMarkerReplication: []}, 4, !If [C, {Status: Enabled}, !Ref AWS::NoValue]]}}}\n" +
			"  D: {Type: AWS::CloudFront::Distribution, Properties: {DistributionConfig: {DefaultCacheBehavior: {LambdaFunctionAssociations: !Ref O}, CacheBehaviors: 3, Origins: [{Id: a, DomainName: !GetAtt B.RegionalDomainName, S3OriginConfig: {OriginAccessIdentity: !Sub \"origin-access-identity/cloudfront/${O}\"}}, {S3OriginConfig: {OriginAccessIdentity: [1]}}, {S3OriginConfig: 5}]}}}\n",
		// Replication of SSE-KMS objects into ARNs built from names.
		"Resources:\n  K: {Type: AWS::KMS::Key}\n  B: {Type: AWS::S3::Bucket, Properties: {ReplicationConfiguration: {Role: r, Rules: [{Status: Enabled, SourceSelectionCriteria: {SseKmsEncryptedObjects: {Status: !Ref K}}, Destination: {Bucket: !Sub [\"arn:${AWS::Partition}:s3:::${B}/${}\", {B: []}], EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt [K, Arn]}}}, {Status: Enabled, SourceSelectionCriteria: 1, Destination: {Bucket: !Join [\"\", [\"arn:aws:s3:::\", !Ref B, !Ref B]], EncryptionConfiguration: []}}]}}}\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := fuzzDir(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if trace := os.Getenv("S3LINT_FUZZ_TRACE"); trace != "" {
			_ = os.WriteFile(filepath.Join(trace, fmt.Sprintf("last-%d", os.Getpid())), src, 0o644)
		}
		fuzzLoad(t, dir, "fuzz.yaml", src)
	})
}

func FuzzLoadJSON(f *testing.F) {
	seeds := []string{
		"",
		"{}",
		positionsJSON,
		formsJSON(),
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": ["${A}", {"A": {"Ref": "AWS::NoValue"}}]}}}}}`,
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Select": ["-1", []]}}}}}`,
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket"}, "B": {"Type": "AWS::S3::Bucket"}}}`,
		`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}"}}}}`,
		`{"Transform": ["AWS::Serverless-2016-10-31"], "Resources": {"F": {"Type": "AWS::Serverless::Function", "Properties": {"Policies": [{"S3CrudPolicy": {"BucketName": {"Fn::GetAtt": ["F", "Arn"]}}}]}}}}`,
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Metadata": [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}}}`,
		"\ufeff{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"\\ud83d\\ude00\\/\\u00e9\"}}}}",
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket",}}}`,
		"{\r\n\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"\x00\xff\"}}}}\r\n",
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"ObjectLockConfiguration": {"Rule": {"DefaultRetention": {"Days": 1e999999, "Years": -123456789012345678901234567890}}}}}}}`,
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Metadata": ` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}}}`,
		`{"Resources": {"P": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "B"}, "PolicyDocument": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}, "B": {"Type": "AWS::S3::Bucket"}}}`,
		`{"Conditions": {"A": {"Condition": "A"}}, "Resources": {"B": {"Type": "AWS::S3::Bucket", "Condition": "A"}}}`,
		`{"Resources": {"K": {"Type": "AWS::KMS::Key"}, "A": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": {"Ref": "A"}, "TargetKeyId": {"Ref": "A"}}}, "B": {"Type": "AWS::S3::Bucket", "Properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": null}, "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"Fn::If": ["C", {"Ref": "AWS::NoValue"}, {}]}, {"ServerSideEncryptionByDefault": {"KMSMasterKeyID": {"Ref": "A"}}}]}}}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := fuzzDir(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzLoad(t, dir, "fuzz.json", src)
	})
}

// The seeds and regression inputs also run as ordinary tests; this checks
// that the fuzz helpers accept a well-formed template.
func TestFuzzHelperAcceptsTemplates(t *testing.T) {
	dir := writeTree(t, tree{"fixed/template.yaml": "Resources:\n  FixedBucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: fixed-bucket}\n"})
	fuzzLoad(t, dir, "x.yaml", []byte(iamTemplate))
	g := cloudformation.Load(cloudformation.Options{Paths: []string{dir}})
	if len(g.Principals) == 0 || g.Buckets[0].Format != graph.CloudFormation {
		t.Errorf("the fuzzed template was not loaded")
	}
}

// yamlAliasCycle reports whether src is YAML in which an alias refers to a
// node that contains it (yaml.v3 accepts "a: &a [*a]").
func yamlAliasCycle(src []byte) bool {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil {
		return false
	}
	onPath := map[*yaml.Node]bool{}
	done := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n == nil || done[n] {
			return false
		}
		if onPath[n] {
			return true
		}
		onPath[n] = true
		defer delete(onPath, n)
		if n.Kind == yaml.AliasNode && walk(n.Alias) {
			return true
		}
		for _, c := range n.Content {
			if walk(c) {
				return true
			}
		}
		done[n] = true
		return false
	}
	return walk(&doc)
}

const childLoadEnv = "S3LINT_CF_TEST_CHILD_LOAD"

// childLoad loads dir in a child process (TestSelfReferencingAlias in child
// mode) and returns what it printed.
func childLoad(dir string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSelfReferencingAlias$")
	cmd.Env = append(os.Environ(), childLoadEnv+"="+dir)
	return cmd.CombinedOutput()
}

// An alias inside the node it refers to must be an error in a template and
// nothing at all in other YAML; it must never end the process. The load
// runs in a child process, since a stack overflow cannot be recovered.
func TestSelfReferencingAlias(t *testing.T) {
	if dir := os.Getenv(childLoadEnv); dir != "" {
		g := cloudformation.Load(cloudformation.Options{Paths: []string{dir}})
		for _, b := range g.Buckets {
			fmt.Printf("bucket %s\n", b.Name.V)
		}
		for _, d := range g.Diagnostics {
			fmt.Printf("diag %s %s\n", d.Severity, filepath.Base(d.File))
		}
		return
	}
	files := tree{
		"self.yaml":     "a: &a [*a]\n",
		"merge.yaml":    "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: &m {<<: *m}\n",
		"list.template": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: &t [{Key: k, Value: v}, *t]\n",
		"ok.yaml":       yamlBucket("fine"),
	}
	for name, src := range files {
		if name != "ok.yaml" && !yamlAliasCycle([]byte(src)) {
			t.Fatalf("%s: no alias cycle found", name)
		}
	}
	out, err := childLoad(writeTree(t, files))
	if err != nil {
		first, _, _ := strings.Cut(string(out), "\n")
		t.Fatalf("the load crashed: %v\n%s", err, first)
	}
	lines := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		lines[line] = true
	}
	for _, want := range []string{"bucket fine", "diag error merge.yaml", "diag error list.template"} {
		if !lines[want] {
			t.Errorf("no %q in the child's output:\n%s", want, out)
		}
	}
	if lines["diag error self.yaml"] || lines["diag warning self.yaml"] {
		t.Errorf("a diagnostic for YAML that is not a template:\n%s", out)
	}
}

// checkRanges fails when a range in the fuzzed file ends before it starts
// or lies outside the file.
func checkRanges(t *testing.T, g *graph.Graph, path string, size int) {
	t.Helper()
	check := func(what string, r graph.Range) {
		if r.File != filepath.ToSlash(path) {
			return
		}
		if r.Start.Byte > r.End.Byte || r.End.Byte > size || r.Start.Line < 1 || r.Start.Col < 1 ||
			r.Start.Line > r.End.Line || r.Start.Line == r.End.Line && r.Start.Col > r.End.Col {
			t.Fatalf("%s: bad range %+v (file of %d bytes)", what, r, size)
		}
	}
	for _, p := range g.Policies {
		check("policy", p.Range)
		check("DocRange", p.DocRange)
		if p.Doc == nil {
			continue
		}
		check("doc", p.Doc.Range)
		for _, st := range p.Doc.Statements {
			check("statement", st.Range)
			check("effect", st.Effect.Range)
			for _, el := range []graph.Strings{st.Action, st.NotAction, st.Resource, st.NotResource} {
				check("element", el.Range)
				check("element key", el.KeyRange)
				for _, it := range el.Items {
					check("item", it.Range)
				}
			}
		}
	}
	bpa := func(what string, p *graph.PublicAccessBlock) {
		if p == nil {
			return
		}
		check(what, p.Range)
		for _, f := range []graph.Bool{p.BlockPublicAcls, p.IgnorePublicAcls, p.BlockPublicPolicy, p.RestrictPublicBuckets} {
			check(what+" flag", f.Range)
		}
	}
	for _, b := range g.Buckets {
		check("bucket", b.Range)
		check("bucket name", b.Name.Range)
		bpa("public access block", b.PublicAccessBlock)
		if o := b.Ownership; o != nil {
			check("ownership", o.Range)
			check("ownership rule", o.Rule.Range)
		}
		for _, acl := range b.ACLs {
			check("acl", acl.Range)
			check("canned acl", acl.Canned.Range)
		}
		if v := b.Versioning; v != nil {
			check("versioning", v.Range)
			check("versioning status", v.Status.Range)
			check("MFA delete", v.MFADelete.Range)
		}
		if e := b.Encryption; e != nil {
			check("encryption", e.Range)
			check("algorithm", e.Algorithm.Range)
			check("key ID", e.KeyID.Range)
			check("bucket key", e.BucketKey.Range)
		}
		if b.Lifecycle != nil {
			check("lifecycle", b.Lifecycle.Range)
		}
	}
	for _, ap := range g.AccessPoints {
		check("access point", ap.Range)
		check("access point name", ap.Name.Range)
		check("access point VPC", ap.VpcID.Range)
		bpa("access point public access block", ap.PublicAccessBlock)
	}
	for _, e := range g.Endpoints {
		check("endpoint type", e.Type.Range)
		check("endpoint VPC", e.VpcID.Range)
	}
	for _, d := range g.Diagnostics {
		check("diagnostic", d.Range)
	}
}
