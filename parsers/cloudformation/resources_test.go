package cloudformation_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

func TestBucketsAndBucketPolicies(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: data-bucket
      VersioningConfiguration: {Status: Enabled}
  Logs:
    Type: AWS::S3::Bucket
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Read
            Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: [s3:GetObject]
            Resource: !Sub "${Data.Arn}/*"
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: {Ref: Logs}
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt Logs.Arn, !Sub "${Logs.Arn}/*"]
            Condition: {Bool: {"aws:SecureTransport": "false"}}
  ForeignPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: someone-elses-bucket
      PolicyDocument: {Statement: [{Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::someone-elses-bucket/*"}]}
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	file := l.dir + "/t.yaml"
	acct := graph.Account(acctOf(l, "t.yaml"))

	data := l.bucket("Data")
	is(t, "Data name", sv(data.Name), "data-bucket@"+at(t, src, "data-bucket"))
	is(t, "Data ARN", sv(data.ARN), "arn:aws:s3:::data-bucket@"+keyRange(t, src, "Data"))
	if data.Type != "AWS::S3::Bucket" || data.Format != graph.CloudFormation || data.Account != acct || data.Provider != "stack "+file {
		t.Errorf("Data entity: %+v", data.Entity)
	}
	is(t, "Data range", pos(data.Range), startOf(t, src, "Data:\n")+"-"+endOf(t, src, "{Status: Enabled}"))

	logs := l.bucket("Logs")
	if logs.Name.Known() {
		t.Errorf("unnamed bucket has a name: %s", sv(logs.Name))
	}
	is(t, "Logs ARN", logs.ARN.V, "arn:aws:s3:::"+graph.SymbolicName("Logs", file))

	dp := l.policy("DataPolicy", graph.BucketPolicy)
	if dp.Bucket != data || len(data.Policies) != 1 || data.Policies[0] != dp {
		t.Errorf("DataPolicy not linked to Data")
	}
	is(t, "BucketRef", sv(dp.BucketRef), "data-bucket@"+at(t, src, "!Ref Data"))
	is(t, "DocRange", pos(dp.DocRange), startOf(t, src, "PolicyDocument:\n        Version")+"-"+endOf(t, src, `!Sub "${Data.Arn}/*"`))
	is(t, "policy type", dp.Type, "AWS::S3::BucketPolicy")
	st := stmt(t, dp, 0)
	is(t, "Sid", st.Sid.V, "Read")
	is(t, "Version", dp.Doc.Version.V, "2012-10-17")
	if st.Principal == nil || len(st.Principal.Entries) != 1 || st.Principal.Entries[0].Type.V != "AWS" ||
		vals(st.Principal.Entries[0].Values)[0] != "arn:aws:iam::"+string(acct)+":root" {
		t.Errorf("principal: %+v", st.Principal)
	}
	checkItems(t, src, "Resource", st.Resource, []item{{"arn:aws:s3:::data-bucket/*", `!Sub "${Data.Arn}/*"`, 0}})

	lp := l.policy("LogsPolicy", graph.BucketPolicy)
	if lp.Bucket != logs {
		t.Errorf("LogsPolicy not linked to Logs")
	}
	if lp.BucketRef.V != graph.SymbolicName("Logs", file) {
		t.Errorf("LogsPolicy BucketRef %s", sv(lp.BucketRef))
	}
	ls := stmt(t, lp, 0)
	if ls.Principal == nil || !ls.Principal.Wildcard || len(ls.Conditions) != 1 || ls.Conditions[0].Key.V != "aws:SecureTransport" {
		t.Errorf("LogsPolicy statement: %+v", ls)
	}
	eq(t, "Logs resources", vals(ls.Resource.Items), []string{"arn:aws:s3:::" + graph.SymbolicName("Logs", file), "arn:aws:s3:::" + graph.SymbolicName("Logs", file) + "/*"})

	fp := l.policy("ForeignPolicy", graph.BucketPolicy)
	if fp.Bucket != nil || fp.BucketRef.V != "someone-elses-bucket" {
		t.Errorf("ForeignPolicy: bucket %v, ref %s", fp.Bucket, sv(fp.BucketRef))
	}
}

// keyRange is the span of a resource's logical ID written as "  ID:" on a
// line of its own.
func keyRange(t testing.TB, src, id string) string {
	t.Helper()
	if strings.Count(src, "\n  "+id+":\n") != 1 {
		t.Fatalf("resource %s is not written once as a block", id)
	}
	off := strings.Index(src, "\n  "+id+":\n") + 3
	return offPos(src, off) + "-" + offPos(src, off+len(id))
}

// A bucket policy that names its bucket by a literal name, or by a
// parameter holding it, is the policy of that bucket when the bucket is in
// the scan, in this template or another (bucket names are global; the
// Terraform loader links them: linkBucketsByName).
func TestBucketPolicyLinkedByName(t *testing.T) {
	src := `Parameters:
  Name: {Type: String, Default: data-bucket}
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties: {BucketName: data-bucket}
  ByName:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: data-bucket
      PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::data-bucket/*"}]}
  ByParam:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Name
      PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::data-bucket/*"}]}
`
	other := `Resources:
  ByNameElsewhere:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: data-bucket
      PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::data-bucket/*"}]}
`
	l := load(t, tree{"t.yaml": src, "other.yaml": other})
	l.noDiags()
	data := l.bucket("Data")
	linked := len(data.Policies) == 3
	for _, addr := range []string{"ByName", "ByParam", "ByNameElsewhere"} {
		p := l.policy(addr, graph.BucketPolicy)
		is(t, addr+" BucketRef", p.BucketRef.V, "data-bucket")
		linked = linked && p.Bucket == data
	}
	for _, addr := range []string{"ByName", "ByParam", "ByNameElsewhere"} {
		if l.policy(addr, graph.BucketPolicy).Bucket != data {
			t.Errorf("%s is not linked to the bucket named data-bucket", addr)
		}
	}
	is(t, "bucket policies", strconv.Itoa(len(data.Policies)), "3")
}

func TestAccessPointKeyAndEndpointPolicies(t *testing.T) {
	src := `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: b}
  AP:
    Type: AWS::S3::AccessPoint
    Properties:
      Bucket: !Ref Bucket
      Name: reports
      Policy:
        Statement:
          - Effect: Allow
            Principal: {AWS: arn:aws:iam::111122223333:role/r}
            Action: s3:GetObject
            Resource: arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: [s3:GetObject, s3:ListBucket]
            Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]
  StaticEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: vpc-1, ServiceName: com.amazonaws.eu-west-1.s3}
  BareKey:
    Type: AWS::KMS::Key
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	ap := l.policy("AP", graph.AccessPointPolicy)
	is(t, "AP type", ap.Type, "AWS::S3::AccessPoint")
	checkItems(t, src, "AP resource", stmt(t, ap, 0).Resource, []item{{"arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*", "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*", 0}})

	if len(l.Keys) != 2 {
		t.Fatalf("keys: %d", len(l.Keys))
	}
	kp := l.policy("Key", graph.KeyPolicy)
	var key, bare *graph.Key
	for _, k := range l.Keys {
		switch k.Address {
		case "Key":
			key = k
		case "BareKey":
			bare = k
		}
	}
	// A key's ARN holds a symbol for the ID AWS picks.
	if key == nil || key.Policy != kp || sv(key.ARN) != "key-arn(Key)@16:3-16:6" || bare == nil || bare.Policy != nil {
		t.Errorf("keys: %+v %+v", key, bare)
	}
	eq(t, "key policy actions", vals(stmt(t, kp, 0).Action.Items), []string{"kms:*"})

	if len(l.Endpoints) != 2 {
		t.Fatalf("endpoints: %d", len(l.Endpoints))
	}
	ep := l.policy("Endpoint", graph.EndpointPolicy)
	e, static := l.Endpoints[0], l.Endpoints[1]
	if e.Address != "Endpoint" || e.Policy != ep || e.Service.Known() {
		t.Errorf("endpoint: %s policy %v service %s", e.Address, e.Policy == ep, sv(e.Service))
	}
	if static.Address != "StaticEndpoint" || static.Policy != nil || static.Service.V != "com.amazonaws.eu-west-1.s3" {
		t.Errorf("static endpoint: %s service %s", static.Address, sv(static.Service))
	}
	eq(t, "endpoint resources", vals(stmt(t, ep, 0).Resource.Items), []string{"arn:aws:s3:::b", "arn:aws:s3:::b/*"})
}

const iamTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      Path: /svc/
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: inline-read
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
        - PolicyName: !Sub "${AWS::Partition}-second"
          PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}'
      ManagedPolicyArns:
        - !Ref Managed
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"
      PermissionsBoundary: !Ref Boundary
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: managed
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*"}]}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
  Attached:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role]
      Users: [alice]
      Groups: [!Ref Devs]
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:DeleteObject", Resource: "*"}]}
  Alice:
    Type: AWS::IAM::User
    Properties:
      UserName: alice
      Groups: [!Ref Devs, ops]
      PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary
      Policies:
        - PolicyName: user-inline
          PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
  Devs:
    Type: AWS::IAM::Group
    Properties:
      GroupName: devs
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  Ops:
    Type: AWS::IAM::Group
    Properties: {GroupName: ops}
  InlinePolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: shared
      Roles: [app]
      Users: [!Ref Alice]
      Groups: [ops, unknown-group]
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:ListBucket", Resource: "*"}]}
  RolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      PolicyName: rp
      RoleName: !Ref Role
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObjectVersion", Resource: "*"}]}
  UserPolicy:
    Type: AWS::IAM::UserPolicy
    Properties:
      PolicyName: up
      UserName: alice
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObjectAcl", Resource: "*"}]}
  GroupPolicy:
    Type: AWS::IAM::GroupPolicy
    Properties:
      PolicyName: gp
      GroupName: !Ref Devs
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObjectTagging", Resource: "*"}]}
  Orphan:
    Type: AWS::IAM::RolePolicy
    Properties:
      PolicyName: orphan
      RoleName: role-elsewhere
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
`

func TestIAM(t *testing.T) {
	src := iamTemplate
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	acct := acctOf(l, "t.yaml")

	role := l.principal("Role")
	if role.Kind != graph.Role || role.Type != "AWS::IAM::Role" {
		t.Errorf("role kind %v type %s", role.Kind, role.Type)
	}
	is(t, "role name", sv(role.Name), "app@"+span(t, src, "app", 1))
	is(t, "role ARN", role.ARN.V, "arn:aws:iam::"+acct+":role/svc/app")
	if role.Trust == nil || role.Trust.Kind != graph.TrustPolicy || role.Trust.Address != "Role" {
		t.Fatalf("trust: %+v", role.Trust)
	}
	eq(t, "trust action", vals(stmt(t, role.Trust, 0).Action.Items), []string{"sts:AssumeRole"})
	eq(t, "role policies", policyAddrs(role), []string{
		"Attached identity policy", "InlinePolicy identity policy", "Managed identity policy",
		"Role identity policy", "Role identity policy", "RolePolicy identity policy",
	})
	eq(t, "role managed ARNs", vals(role.ManagedARNs), []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"})
	is(t, "managed ARN range", pos(role.ManagedARNs[0].Range), at(t, src, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"))
	if role.Boundary == nil || role.Boundary.Address != "Boundary" {
		t.Errorf("boundary: %+v", role.Boundary)
	}
	is(t, "boundary ARN", sv(role.BoundaryARN), "arn:aws:iam::"+acct+":policy/"+graph.SymbolicName("Boundary", l.dir+"/t.yaml")+"@"+at(t, src, "!Ref Boundary"))

	// Inline policies: named, attached, a JSON-string document.
	var inline []*graph.Policy
	for _, p := range l.policies("Role") {
		if p.Kind == graph.IdentityPolicy {
			inline = append(inline, p)
		}
	}
	if len(inline) != 2 {
		t.Fatalf("%d inline policies", len(inline))
	}
	is(t, "inline name", sv(inline[0].Name), "inline-read@"+at(t, src, "inline-read"))
	is(t, "inline name from Sub", inline[1].Name.V, "aws-second")
	eq(t, "inline attached", attachedTo(inline[0]), []string{"Role"})
	js := stmt(t, inline[1], 0)
	jsonStr := `'{"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}'`
	checkItems(t, src, "JSON string document", js.Action, []item{{"s3:ListBucket", jsonStr, 0}})
	is(t, "JSON string DocRange", pos(inline[1].DocRange), startOf(t, src, "PolicyDocument: '")+"-"+endOf(t, src, jsonStr))

	managed := l.policy("Managed", graph.IdentityPolicy)
	is(t, "managed name", managed.Name.V, "managed")
	is(t, "managed ARN", managed.ARN.V, "arn:aws:iam::"+acct+":policy/managed")
	eq(t, "managed attached", attachedTo(managed), []string{"Role"})
	if b := l.policy("Boundary", graph.IdentityPolicy); len(b.Attached) != 0 {
		t.Errorf("the boundary is attached as a policy: %v", attachedTo(b))
	}

	eq(t, "Attached attached", attachedTo(l.policy("Attached", graph.IdentityPolicy)), []string{"Alice", "Devs", "Role"})
	eq(t, "InlinePolicy attached", attachedTo(l.policy("InlinePolicy", graph.IdentityPolicy)), []string{"Alice", "Ops", "Role"})
	is(t, "InlinePolicy name", l.policy("InlinePolicy", graph.IdentityPolicy).Name.V, "shared")
	eq(t, "RolePolicy attached", attachedTo(l.policy("RolePolicy", graph.IdentityPolicy)), []string{"Role"})
	is(t, "RolePolicy name", l.policy("RolePolicy", graph.IdentityPolicy).Name.V, "rp")
	eq(t, "UserPolicy attached", attachedTo(l.policy("UserPolicy", graph.IdentityPolicy)), []string{"Alice"})
	eq(t, "GroupPolicy attached", attachedTo(l.policy("GroupPolicy", graph.IdentityPolicy)), []string{"Devs"})
	eq(t, "Orphan attached", attachedTo(l.policy("Orphan", graph.IdentityPolicy)), []string{})

	alice := l.principal("Alice")
	if alice.Kind != graph.User || alice.ARN.V != "arn:aws:iam::"+acct+":user/alice" {
		t.Errorf("alice: %v %s", alice.Kind, sv(alice.ARN))
	}
	var groups []string
	for _, g := range alice.Groups {
		groups = append(groups, g.Address)
	}
	eq(t, "alice groups", groups, []string{"Devs", "Ops"})
	is(t, "alice boundary", alice.BoundaryARN.V, "arn:aws:iam::123456789012:policy/boundary")
	if alice.Boundary != nil {
		t.Errorf("a boundary outside the template is in the graph")
	}
	eq(t, "alice policies", policyAddrs(alice), []string{"Alice identity policy", "Attached identity policy", "InlinePolicy identity policy", "UserPolicy identity policy"})

	devs := l.principal("Devs")
	if devs.Kind != graph.Group || devs.ARN.V != "arn:aws:iam::"+acct+":group/devs" || devs.Trust != nil {
		t.Errorf("devs: %v %s", devs.Kind, sv(devs.ARN))
	}
	eq(t, "devs managed", vals(devs.ManagedARNs), []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"})
	eq(t, "devs policies", policyAddrs(devs), []string{"Attached identity policy", "GroupPolicy identity policy"})
}

// A conditional entry of Policies (Fn::If around one inline policy) is a
// common way to add a policy only in some stacks: its document must be
// loaded when the condition is true or undecided.
func TestConditionalInlinePolicy(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  Always: !Equals [a, a]
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: r
      Policies:
        - PolicyName: plain
          PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:ListBucket", Resource: "*"}]}
        - !If
          - Always
          - PolicyName: always
            PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
          - !Ref AWS::NoValue
        - !If
          - IsProd
          - PolicyName: prod-only
            PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:PutObject", Resource: "*"}]}
          - !Ref AWS::NoValue
      ManagedPolicyArns:
        - !If [IsProd, arn:aws:iam::aws:policy/AmazonS3FullAccess, !Ref AWS::NoValue]
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	var names []string
	for _, p := range l.principal("Role").Policies {
		names = append(names, p.Name.V)
	}
	want := []string{"plain", "always", "prod-only"}
	eq(t, "role policies", names, want)
}

// A removed ManagedPolicyArns entry (Fn::If to AWS::NoValue with a false
// condition) is no attachment at all.
func TestManagedPolicyArnsNoValue(t *testing.T) {
	src := `Conditions:
  Never: !Equals [a, b]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - !If [Never, arn:aws:iam::aws:policy/AmazonS3FullAccess, !Ref AWS::NoValue]
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	got := vals(l.principal("Role").ManagedARNs)
	want := []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}
	eq(t, "managed ARNs", got, want)
}

// Every branch of a managed policy under an undecided condition is attached
// to the role that lists it, and every branch of a trust policy is the
// role's. Only the last variant of a ManagedPolicy is in byID, and only
// the first of a trust, key or endpoint policy is linked.
func TestVariantsOfAttachedPolicies(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  MP:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: [{Effect: Allow, Action: !If [IsProd, "s3:GetObject", "s3:PutObject"], Resource: "*"}]}
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [!Ref MP]
  Direct:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: direct
      Roles: [!Ref Role]
      PolicyDocument: {Statement: [{Effect: Allow, Action: !If [IsProd, "s3:ListBucket", "s3:GetBucketLocation"], Resource: "*"}]}
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	if n := len(l.policies("MP")); n != 2 {
		t.Fatalf("%d variants of MP", n)
	}
	// Variants attached through the policy's own Roles are all attached.
	eq(t, "role policies from Roles", filterPrefix(policyAddrs(l.principal("Role")), "Direct"), []string{"Direct identity policy", "Direct identity policy"})
	got := filterPrefix(policyAddrs(l.principal("Role")), "MP")
	eq(t, "role policies from ManagedPolicyArns", got, []string{"MP identity policy", "MP identity policy"})
}

func filterPrefix(ss []string, prefix string) []string {
	out := []string{}
	for _, s := range ss {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

func TestCDKPaths(t *testing.T) {
	src := `{
  "Resources": {
    "DataBucket3C1A1B2A": {
      "Type": "AWS::S3::Bucket",
      "UpdateReplacePolicy": "Retain",
      "Metadata": {"aws:cdk:path": "App/Data/Resource"}
    },
    "DataBucketPolicy4A2B": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": {"Ref": "DataBucket3C1A1B2A"},
        "PolicyDocument": {"Statement": [{"Action": "s3:*", "Effect": "Deny", "Principal": {"AWS": "*"},
          "Resource": [{"Fn::GetAtt": ["DataBucket3C1A1B2A", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["DataBucket3C1A1B2A", "Arn"]}, "/*"]]}],
          "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], "Version": "2012-10-17"}
      },
      "Metadata": {"aws:cdk:path": "App/Data/Policy/Resource"}
    },
    "ReaderRole1234": {
      "Type": "AWS::IAM::Role",
      "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}], "Version": "2012-10-17"}},
      "Metadata": {"aws:cdk:path": "App/Reader/Resource"}
    },
    "ReaderRoleDefaultPolicy5678": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyDocument": {"Statement": [{"Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"], "Effect": "Allow",
          "Resource": [{"Fn::GetAtt": ["DataBucket3C1A1B2A", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["DataBucket3C1A1B2A", "Arn"]}, "/*"]]}]}], "Version": "2012-10-17"},
        "PolicyName": "ReaderRoleDefaultPolicy5678",
        "Roles": [{"Ref": "ReaderRole1234"}]
      },
      "Metadata": {"aws:cdk:path": "App/Reader/DefaultPolicy/Resource"}
    },
    "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:xyz"}, "Metadata": {"aws:cdk:path": "App/CDKMetadata/Default"}}
  },
  "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"}},
  "Rules": {"CheckBootstrapVersion": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2"], {"Ref": "BootstrapVersion"}]}]}, "AssertDescription": "old"}]}}
}
`
	l := load(t, tree{"cdk.out/App.template.json": src})
	l.noDiags()
	file := l.dir + "/cdk.out/App.template.json"
	b := l.bucket("App/Data/Resource")
	// The symbol still names the logical ID, which is what CloudFormation
	// uses to generate the name.
	is(t, "bucket ARN", b.ARN.V, "arn:aws:s3:::"+graph.SymbolicName("DataBucket3C1A1B2A", file))
	bp := l.policy("App/Data/Policy/Resource", graph.BucketPolicy)
	if bp.Bucket != b {
		t.Errorf("bucket policy not linked")
	}
	role := l.principal("App/Reader/Resource")
	if role.Trust == nil || role.Trust.Address != "App/Reader/Resource" {
		t.Errorf("trust policy address")
	}
	dp := l.policy("App/Reader/DefaultPolicy/Resource", graph.IdentityPolicy)
	eq(t, "default policy attached", attachedTo(dp), []string{"App/Reader/Resource"})
	eq(t, "default policy resources", vals(stmt(t, dp, 0).Resource.Items), []string{"arn:aws:s3:::" + graph.SymbolicName("DataBucket3C1A1B2A", file), "arn:aws:s3:::" + graph.SymbolicName("DataBucket3C1A1B2A", file) + "/*"})
}

// A policy document that is a string but not JSON is loaded with a problem
// rather than dropped.
func TestPolicyDocumentBadJSONString(t *testing.T) {
	src := "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: '{\"Statement\": ['\n"
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	p := l.policy("P", graph.IdentityPolicy)
	if p.Doc == nil || len(p.Doc.Problems) == 0 {
		t.Errorf("no problem for a broken JSON string document:\n%s", l.dump())
	}
	// A document that is unknown has no Doc.
	l = load(t, tree{"t.yaml": "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: !ImportValue Doc\n"})
	l.noDiags()
	if p := l.policy("P", graph.IdentityPolicy); p.Doc != nil {
		t.Errorf("an imported document is known: %+v", p.Doc)
	}
}
