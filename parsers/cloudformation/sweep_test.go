package cloudformation_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// Templates CloudFormation accepts that a sweep of public repositories
// found s3lint refusing: none may be an input error.
func TestAcceptedTemplates(t *testing.T) {
	for name, src := range map[string]string{
		// A module makes resources <ModuleID><ResourceID>.
		"module.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Storage: {Type: Acme::S3::SecureBucket::MODULE}
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "${StorageBucket.Arn}/*"}]
`,
		// SAM adds roles for state machines too.
		"statemachine.yaml": `Transform: AWS::Serverless-2016-10-31
Resources:
  Flow: {Type: AWS::Serverless::StateMachine, Properties: {Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}}
  Data: {Type: AWS::S3::Bucket}
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
        Statement: [{Effect: Allow, Principal: {AWS: !GetAtt FlowRole.Arn}, Action: s3:GetObject, Resource: !Sub "${Data.Arn}/*"}]
`,
		// AWS::Include at the level of resources.
		"include.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/x.yaml}}
`,
		// org-formation's dialect: its tool binds the reference to
		// another stack before CloudFormation sees the template.
		"orgformation.yaml": `AWSTemplateFormatVersion: "2010-09-09-OC"
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref LogArchiveBinding
`,
		// Rule functions in their short forms.
		"rules.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String}
Rules:
  KnownEnv:
    Assertions:
      - Assert: !Contains [[dev, prod], !Ref Env]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
`,
	} {
		t.Run(name, func(t *testing.T) {
			l := load(t, tree{name: src})
			for _, d := range l.Diagnostics {
				if d.Severity == graph.DiagError {
					t.Errorf("input error on an accepted template: %s", strings.Join(l.diags(), "; "))
					break
				}
			}
		})
	}
}

// A dynamic reference is resolved at deployment: unknown, never a name.
func TestDynamicReferenceIsUnknown(t *testing.T) {
	l := load(t, tree{"t.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: "{{resolve:ssm:/app/logs-bucket-name}}"
`})
	l.noDiags()
	b := l.bucket("Logs")
	if b.Name.Known() {
		t.Errorf("name = %q, want unknown", b.Name.V)
	}
	if !strings.Contains(b.ARN.V, "<name of Logs") {
		t.Errorf("ARN = %q, want a symbolic bucket ARN", b.ARN.V)
	}
}

// A bucket named by a parameter without a value still has a bucket ARN.
func TestUnknownNameStillMakesABucketARN(t *testing.T) {
	l := load(t, tree{"t.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name: {Type: String}
  HasName: {Type: String, Default: "yes"}
Conditions:
  Named: !Equals [!Ref HasName, "yes"]
Resources:
  ByParam:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Ref Name}
  Optional:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !If [Named, !Ref Name, !Ref AWS::NoValue]}
`})
	l.noDiags()
	for _, id := range []string{"ByParam", "Optional"} {
		if arn := l.bucket(id).ARN; !strings.HasPrefix(arn.V, "arn:aws:s3:::<name of "+id) {
			t.Errorf("%s ARN = %q, want a symbolic bucket ARN", id, arn.V)
		}
	}
}
