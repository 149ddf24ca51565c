package cloudformation_test

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/cloudformation"
)

// producer exports its bucket's ARN under a literal name, and its KMS key's
// ARN under a name known only at deployment.
const producer = `AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  Never: !Equals [a, b]
  Maybe: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Shared:
    Type: AWS::S3::Bucket
  Key:
    Type: AWS::KMS::Key
Outputs:
  SharedArn:
    Value: !GetAtt Shared.Arn
    Export: {Name: shared-arn}
  KeyArn:
    Value: !GetAtt Key.Arn
    Export: {Name: !Sub "${AWS::StackName}-key-arn"}
  Gone:
    Condition: Never
    Value: !GetAtt Shared.Arn
    Export: {Name: gone-arn}
  Perhaps:
    Condition: Maybe
    Value: !GetAtt Shared.Arn
    Export: {Name: perhaps-arn}
`

// consumer imports values by name.
func consumer(names ...string) string {
	var b strings.Builder
	b.WriteString(`AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reader:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]}
  Read:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Reader]
      PolicyDocument:
        Statement:
`)
	for _, n := range names {
		b.WriteString("          - {Effect: Allow, Action: \"s3:ListBucket\", Resource: " + n + "}\n")
	}
	return b.String()
}

// A template reads the values other templates of the scan export, and
// becomes part of their account: stacks import only within one account
// and region.
func TestImportValue(t *testing.T) {
	l := load(t, tree{
		"data.yaml": producer,
		"app.yaml": consumer(
			"!ImportValue shared-arn",
			`!ImportValue {"Fn::Sub": "shared-${AWS::NoSuchThing}"}`,
			"!ImportValue key-arn",
			"!ImportValue gone-arn",
			"!ImportValue perhaps-arn",
			"!ImportValue nobody-exports-this",
		),
	})
	shared := l.bucket("Shared")
	p := l.policy("Read", 0)
	var got []string
	for i := range p.Doc.Statements {
		got = append(got, resources(stmt(t, p, i).Resource)...)
	}
	eq(t, "imported resources", got, []string{shared.ARN.V, "?", "?", "?", "?", "?"})
	if pos := l.rng(stmt(t, p, 0).Resource.Items[0].Range); pos != "app.yaml:13:64-13:87" {
		t.Errorf("the imported value is at %s, want the import", pos)
	}
	if reader := l.principal("Reader"); reader.Account != shared.Account {
		t.Errorf("the importing stack's account is %q, want the exporter's %q", reader.Account, shared.Account)
	}
}

// A name two templates export differently (one template per environment,
// each deployed to its own account) is not resolved, nor is what another
// template exports from it; a stack that imports nothing keeps an account
// of its own.
func TestImportValueUnresolved(t *testing.T) {
	bucket := func(name string) string {
		return `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: {BucketName: ` + name + `}
Outputs:
  Name:
    Value: !Ref B
    Export: {Name: bucket-name}
`
	}
	l := load(t, tree{
		"dev/data.yaml":  bucket("acme-dev"),
		"prod/data.yaml": bucket("acme-prod"),
		"relay.yaml": `Resources:
  Q:
    Type: AWS::SQS::Queue
Outputs:
  Relayed:
    Value: !ImportValue bucket-name
    Export: {Name: relayed-name}
`,
		"app.yaml":  consumer("!ImportValue bucket-name", "!ImportValue relayed-name"),
		"lone.yaml": consumer("arn:aws:s3:::acme-dev"),
	})
	p := l.policies("Read")
	for _, pol := range p {
		for i := range pol.Doc.Statements {
			for _, v := range resources(stmt(t, pol, i).Resource) {
				if v != "?" && v != "arn:aws:s3:::acme-dev" {
					t.Errorf("%s: resource %q, want unknown", l.rel(pol.Range.File), v)
				}
			}
		}
	}
	var accounts []string
	for _, pr := range l.Principals {
		accounts = append(accounts, string(pr.Account))
	}
	if len(accounts) != 2 || accounts[0] == accounts[1] {
		t.Errorf("the two unrelated stacks' accounts: %v, want two different ones", accounts)
	}
}

// Stacks of a CDK app in different environments cannot import from each
// other: a name exported in one account is not read in another.
func TestImportValueOtherAccount(t *testing.T) {
	l := load(t, tree{
		"cdk.out/manifest.json": `{"version": "48.0.0", "artifacts": {
  "Data": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/eu-west-1", "properties": {"templateFile": "Data.template.json"}},
  "App": {"type": "aws:cloudformation:stack", "environment": "aws://444455556666/eu-west-1", "properties": {"templateFile": "App.template.json"}}}}`,
		"cdk.out/Data.template.json": `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}},
  "Outputs": {"E": {"Value": {"Fn::GetAtt": ["B", "Arn"]}, "Export": {"Name": "Data:ExportsOutputFnGetAttBArn"}}}}`,
		"cdk.out/App.template.json": `{"Resources": {"Read": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
  {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::ImportValue": "Data:ExportsOutputFnGetAttBArn"}}]}}}}}`,
	})
	eq(t, "resource", resources(stmt(t, l.policy("Read", 0), 0).Resource), []string{"?"})
}

// resources lists a Resource element's values, "?" for an unknown one.
func resources(s graph.Strings) []string {
	if s.Unknown {
		return []string{"?"}
	}
	return vals(s.Items)
}

// A bucket policy in another stack, on a bucket whose name CloudFormation
// chooses and whose Ref the bucket's stack exports, is that bucket's.
func TestImportedBucketPolicy(t *testing.T) {
	l := load(t, tree{
		"data.yaml": `Resources:
  Vault:
    Type: AWS::S3::Bucket
Outputs:
  VaultName:
    Value: !Ref Vault
    Export: {Name: vault-name}
`,
		"access.yaml": `Resources:
  VaultPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !ImportValue vault-name
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {"aws:SecureTransport": "false"}}}]
`,
	})
	if b := l.bucket("Vault"); len(b.Policies) != 1 || b.Policies[0].Address != "VaultPolicy" {
		t.Errorf("policies of Vault: %v", policyNames(b.Policies))
	}
}

func policyNames(ps []*graph.Policy) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Address)
	}
	return out
}

// A template that imports may export too, and so on down a chain of
// stacks: data → platform (re-exports the bucket, exports its own role)
// → app.
func TestImportValueChain(t *testing.T) {
	l := load(t, tree{
		"a-data.yaml": `Resources:
  Data:
    Type: AWS::S3::Bucket
Outputs:
  DataArn:
    Value: !GetAtt Data.Arn
    Export: {Name: data-arn}
`,
		"b-platform.yaml": `Resources:
  Queue:
    Type: AWS::SQS::Queue
Outputs:
  AppBucketArn:
    Value: !ImportValue data-arn
    Export: {Name: platform-bucket-arn}
`,
		"c-app.yaml": consumer("!ImportValue platform-bucket-arn"),
	})
	data := l.bucket("Data")
	eq(t, "resource", resources(stmt(t, l.policy("Read", 0), 0).Resource), []string{data.ARN.V})
	if reader := l.principal("Reader"); reader.Account != data.Account {
		t.Errorf("the app stack's account is %q, want the data stack's %q", reader.Account, data.Account)
	}
}

// Only the templates that import a name whose value a round made known are
// read again: b-app imports what b exports, c only what a does.
func TestImportValueRereadsDependents(t *testing.T) {
	var loads atomic.Int32
	cloudformation.SetTestHookLoadFile(func(limits.Stop) { loads.Add(1) })
	defer cloudformation.SetTestHookLoadFile(nil)
	out := func(name, value string) string {
		return "Outputs:\n  X:\n    Value: " + value + "\n    Export: {Name: " + name + "}\n"
	}
	l := load(t, tree{
		"a.yaml":     "Resources:\n  Data:\n    Type: AWS::S3::Bucket\n" + out("a-arn", "!GetAtt Data.Arn"),
		"b.yaml":     "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Uses:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !ImportValue a-arn}\n" + out("b-arn", "!ImportValue a-arn"),
		"b-app.yaml": consumer("!ImportValue b-arn"),
		"c.yaml":     "Resources:\n  Uses:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !ImportValue a-arn}\n",
	})
	// 4 reads, then b, b-app and c with a's exports, then b-app with b's.
	if got := loads.Load(); got != 8 {
		t.Errorf("%d template loads, want 8", got)
	}
	eq(t, "b-app's resource", resources(stmt(t, l.policy("Read", 0), 0).Resource), []string{l.bucket("Data").ARN.V})
}
