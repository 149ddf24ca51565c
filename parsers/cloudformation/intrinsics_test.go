package cloudformation_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// resourceValues returns the Resource items (value or "?") of the first
// statement of the ManagedPolicy "P" (see policyWith), in order.
func resourceValues(t *testing.T, l *loaded) []string {
	t.Helper()
	return vals(stmt(t, l.policy("P", graph.IdentityPolicy), 0).Resource.Items)
}

// policyWith wraps resource values in a managed policy named P.
func policyWith(values ...string) string {
	var b strings.Builder
	b.WriteString("  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource:\n")
	for _, v := range values {
		b.WriteString("              - " + v + "\n")
	}
	return b.String()
}

func acctOf(l *loaded, file string) string {
	return string(graph.SymbolicAccount("stack " + l.dir + "/" + file))
}

func TestParameters(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  WithDefault: {Type: String, Default: from-default}
  NoDefault: {Type: String}
  FromList: {Type: String, Default: overridden}
  FromObject: {Type: String}
  Later: {Type: String, Default: x}
  Number: {Type: Number, Default: 42}
  Names: {Type: CommaDelimitedList, Default: "a, b,c"}
  FileNames: {Type: CommaDelimitedList}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/bucket}
  SsmFromFile: {Type: "AWS::SSM::Parameter::Value<String>"}
  SsmName: {Type: "AWS::SSM::Parameter::Name", Default: /app/name}
Resources:
` + policyWith(
		"!Ref WithDefault", "!Ref NoDefault", "!Ref FromList", "!Ref FromObject", "!Ref Later", "!Ref Number",
		"!Select [0, !Ref Names]", "!Select [1, !Ref Names]", "!Select [2, !Ref Names]",
		"!Select [1, !Ref FileNames]", "!Select [1, !Ref Subnets]",
		"!Ref Ssm", "!Ref SsmFromFile", "!Ref SsmName",
		`!Join ["+", !Ref Names]`, `!Sub "${WithDefault}/${NoDefault}"`, `!Sub "${WithDefault}/${Later}"`)
	files := tree{
		"t.yaml":      src,
		"list.json":   `[{"ParameterKey": "FromList", "ParameterValue": "from-list"}, {"ParameterKey": "Later", "ParameterValue": "list"}, {"ParameterKey": "SsmFromFile", "ParameterValue": "/from/file"}, {"ParameterKey": "FileNames", "ParameterValue": "x,y"}]`,
		"object.json": `{"Parameters": {"FromObject": "from-object", "Later": "object"}, "Tags": {"team": "a"}}`,
	}
	l := load(t, files, withParams("list.json", "object.json"))
	l.noDiags()
	eq(t, "values", resourceValues(t, l), []string{
		"from-default", "?", "from-list", "from-object", "object", "42",
		"a", "b", "c",
		"y", "subnet-2",
		"?", "?", "/app/name",
		"a+b+c", "shape(from-default/…)", "from-default/object",
	})

	// Without the files, only defaults.
	l = load(t, files)
	l.noDiags()
	eq(t, "values without files", resourceValues(t, l), []string{
		"from-default", "?", "overridden", "?", "x", "42",
		"a", "b", "c",
		"?", "subnet-2",
		"?", "?", "/app/name",
		"a+b+c", "shape(from-default/…)", "from-default/x",
	})

	// The later file wins.
	l = load(t, files, withParams("object.json", "list.json"))
	is(t, "Later from the last file", resourceValues(t, l)[4], "list")
}

// A scalar parameter takes the range of the Ref; so should every element
// of a list parameter, rather than pointing into the Parameters section.
func TestListParameterItemRanges(t *testing.T) {
	src := `Parameters:
  Arns: {Type: CommaDelimitedList, Default: "arn:aws:s3:::a/*,arn:aws:s3:::b/*"}
  One: {Type: String, Default: "arn:aws:s3:::c/*"}
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: !Ref Arns
            NotResource: !Ref One
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	st := stmt(t, l.policy("P", graph.IdentityPolicy), 0)
	checkItems(t, src, "scalar parameter", st.NotResource, []item{{"arn:aws:s3:::c/*", "!Ref One", 0}})
	want := []string{"arn:aws:s3:::a/*@" + at(t, src, "!Ref Arns"), "arn:aws:s3:::b/*@" + at(t, src, "!Ref Arns")}
	eq(t, "list parameter", items(st.Resource), want)
}

func TestParameterFileErrors(t *testing.T) {
	l := load(t, tree{
		"bad.json":    `{"Parameters": [1, 2]}`,
		"broken.json": `[{"ParameterKey": `,
		"t.yaml":      yamlBucket("still-loaded"),
	}, withParams("bad.json", "broken.json", "missing.json"))
	var got []string
	for _, d := range l.Diagnostics {
		if d.Severity != graph.DiagError || !d.Range.IsZero() {
			t.Errorf("diagnostic %+v", d)
		}
		got = append(got, l.rel(d.File))
	}
	sort.Strings(got)
	eq(t, "files with errors", got, []string{"bad.json", "broken.json", "missing.json"})
	eq(t, "buckets", l.bucketNames(), []string{"still-loaded"})
}

// Parameter files in the {"Parameters": {…}} shape may hold numbers and
// lists; CloudFormation would receive the number as written and a list as
// a comma-delimited string.
func TestParameterFileNonStringValues(t *testing.T) {
	src := `Parameters:
  Account: {Type: String}
  Names: {Type: CommaDelimitedList}
Resources:
` + policyWith(`!Sub "arn:aws:iam::${Account}:root"`, "!Select [1, !Ref Names]")
	l := load(t, tree{"t.yaml": src, "p.json": `{"Parameters": {"Account": 123456789012, "Names": ["a", "b"]}}`}, withParams("p.json"))
	l.noDiags()
	got := resourceValues(t, l)
	want := []string{"arn:aws:iam::123456789012:root", "b"}
	eq(t, "values", got, want)
}

func TestPseudoParameters(t *testing.T) {
	src := "Resources:\n" + policyWith(
		"!Ref AWS::AccountId", "!Ref AWS::Partition", "!Ref AWS::URLSuffix",
		"!Ref AWS::Region", "!Ref AWS::StackName", "!Ref AWS::StackId", "!Ref AWS::NoValue",
		`!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"`,
		`!Sub "s3.${AWS::URLSuffix}"`,
		`!Sub "arn:aws:s3:${AWS::Region}:${AWS::AccountId}:accesspoint/x"`,
		`!Join ["", ["a", !Ref AWS::NoValue, "b"]]`)
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	acct := acctOf(l, "t.yaml")
	if !graph.Account(acct).IsSymbol() {
		t.Fatalf("account %q is not symbolic", acct)
	}
	eq(t, "values", resourceValues(t, l), []string{
		acct, "aws", "amazonaws.com", "?", "?", "?",
		"arn:aws:iam::" + acct + ":root", "s3.amazonaws.com", "shape(arn:aws:s3:…:<account>:accesspoint/x)", "ab",
	})
	if a := l.policy("P", graph.IdentityPolicy).Account; string(a) != acct {
		t.Errorf("entity account %q, want %q", a, acct)
	}
}

// AWS::NoValue removes list elements and object keys.
func TestNoValue(t *testing.T) {
	src := `Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Sid: !Ref AWS::NoValue
            Effect: Allow
            Action: [s3:GetObject, !Ref AWS::NoValue, s3:PutObject]
            Resource: "*"
            Condition: !Ref AWS::NoValue
          - !Ref AWS::NoValue
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref AWS::NoValue
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	p := l.policy("P", graph.IdentityPolicy)
	if len(p.Doc.Statements) != 1 {
		t.Fatalf("%d statements, want 1", len(p.Doc.Statements))
	}
	st := stmt(t, p, 0)
	if st.Sid.V != "" || st.Conditions != nil {
		t.Errorf("Sid %s, conditions %v: not removed", sv(st.Sid), st.Conditions)
	}
	eq(t, "actions", vals(st.Action.Items), []string{"s3:GetObject", "s3:PutObject"})
	b := l.bucket("B")
	if b.Name.Known() {
		t.Errorf("a bucket named AWS::NoValue has a known name %s", sv(b.Name))
	}
	is(t, "ARN", b.ARN.V, "arn:aws:s3:::"+graph.SymbolicName("B", l.dir+"/t.yaml"))
}

func TestRefAndGetAttToResources(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Named:
    Type: AWS::S3::Bucket
    Properties: {BucketName: named-bucket}
  Unnamed:
    Type: AWS::S3::Bucket
  Role:
    Type: AWS::IAM::Role
    Properties: {RoleName: app-role, Path: /service/}
  PlainRole:
    Type: AWS::IAM::Role
  User:
    Type: AWS::IAM::User
    Properties: {UserName: alice, Path: /people/}
  Group:
    Type: AWS::IAM::Group
    Properties: {GroupName: devs}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: mp
      Path: /pol/
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:ListBucket", Resource: "*"}]}
  Point:
    Type: AWS::S3::AccessPoint
    Properties: {Bucket: !Ref Named, Name: my-ap}
  Queue:
    Type: AWS::SQS::Queue
` + policyWith(
		"!Ref Named", "!Ref Unnamed", "!GetAtt Named.Arn", "!GetAtt Unnamed.Arn", "!GetAtt Named.DomainName",
		"!GetAtt Named.RegionalDomainName", "!GetAtt Named.WebsiteURL",
		"!Ref Role", "!GetAtt Role.Arn", "!GetAtt PlainRole.Arn", "!GetAtt Role.RoleId",
		"!Ref User", "!GetAtt User.Arn", "!Ref Group", "!GetAtt Group.Arn",
		"!Ref Managed", "!GetAtt Managed.PolicyArn",
		"!Ref Point", "!GetAtt Point.Name", "!GetAtt Point.Arn",
		"!Ref Queue", "!GetAtt Queue.Arn")
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	file := l.dir + "/t.yaml"
	acct := acctOf(l, "t.yaml")
	unnamed := graph.SymbolicName("Unnamed", file)
	eq(t, "values", resourceValues(t, l), []string{
		"named-bucket", unnamed, "arn:aws:s3:::named-bucket", "arn:aws:s3:::" + unnamed, "named-bucket.s3.amazonaws.com",
		"?", "?",
		"app-role", "arn:aws:iam::" + acct + ":role/service/app-role", "arn:aws:iam::" + acct + ":role/" + graph.SymbolicGeneratedName("PlainRole", file, "*-??????????*"), "?",
		"alice", "arn:aws:iam::" + acct + ":user/people/alice", "devs", "arn:aws:iam::" + acct + ":group/devs",
		"arn:aws:iam::" + acct + ":policy/pol/mp", "arn:aws:iam::" + acct + ":policy/pol/mp",
		"my-ap", "my-ap", "?",
		"?", "?",
	})
	// The symbolic name stands for the bucket and yields correct ARNs.
	u := l.bucket("Unnamed")
	if u.Name.Known() || u.ARN.V != "arn:aws:s3:::"+unnamed || graph.SymbolAddress(u.ARN.V) != "Unnamed" {
		t.Errorf("unnamed bucket: name %s, ARN %s", sv(u.Name), sv(u.ARN))
	}
}

func TestSub(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: prod}
  Unknown: {Type: String}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub "data-${Env}"}
  Role:
    Type: AWS::IAM::Role
    Properties: {RoleName: r}
` + policyWith(
		`!Sub "${Env}"`, `!Sub "${Bucket}"`, `!Sub "${Bucket.Arn}/*"`, `!Sub "${Role.Arn}"`,
		`!Sub "arn:${AWS::Partition}:s3:::${Bucket}"`, `!Sub "${!Literal}-${Env}"`, `!Sub "a ${!Bucket.Arn} b"`,
		`!Sub ["${Name}/${Other}/${Env}", {Name: !Ref Bucket, Other: literal}]`,
		`!Sub ["${Bucket}", {Bucket: overridden}]`,
		`!Sub ["${X}", {X: !Ref Unknown}]`,
		`!Sub "${Unknown}-x"`, `!Sub "${AWS::Region}"`, `!Sub "no variables"`, `!Sub ""`,
		"!Sub |\n                arn:aws:s3:::${Bucket}/block")
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	acct := acctOf(l, "t.yaml")
	eq(t, "values", resourceValues(t, l), []string{
		"prod", "data-prod", "arn:aws:s3:::data-prod/*", "arn:aws:iam::" + acct + ":role/r",
		"arn:aws:s3:::data-prod", "${Literal}-prod", "a ${Bucket.Arn} b",
		"data-prod/literal/prod", "overridden", "?",
		"shape(…-x)", "?", "no variables", "",
		"arn:aws:s3:::data-prod/block\n",
	})
}

func TestFindInMap(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev}
Mappings:
  Buckets:
    dev: {Name: dev-data, Arns: [arn:aws:s3:::d1, arn:aws:s3:::d2]}
    "123": {Name: numeric-key}
Resources:
` + policyWith(
		"!FindInMap [Buckets, !Ref Env, Name]", "!FindInMap [Buckets, 123, Name]",
		"!Select [1, !FindInMap [Buckets, dev, Arns]]",
		"!FindInMap [Buckets, prod, Name, {DefaultValue: fallback}]",
		"!FindInMap [Buckets, dev, Name, {DefaultValue: unused}]",
		"!FindInMap [Buckets, !Ref AWS::Region, Name]")
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	eq(t, "values", resourceValues(t, l), []string{"dev-data", "numeric-key", "arn:aws:s3:::d2", "fallback", "dev-data", "?"})
}

// Fn::If with a decided condition takes its branch; with an undecided one
// the policy is loaded once per branch.
func TestIfVariants(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev}
  Region: {Type: String, Default: eu}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  InEU: !Equals [!Ref Region, eu]
  Literal: !Equals [x, x]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: !If [IsProd, Deny, Allow]
            Action: s3:GetObject
            Resource:
              - !If [IsProd, arn:aws:s3:::prod/*, arn:aws:s3:::dev/*]
              - !If [InEU, arn:aws:s3:::eu/*, !Ref AWS::NoValue]
              - !If [Literal, arn:aws:s3:::always/*, arn:aws:s3:::never/*]
          - !If
            - IsProd
            - {Effect: Deny, Action: "s3:*", Resource: "*"}
            - !Ref AWS::NoValue
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	ps := l.policies("P")
	var got []string
	for _, p := range ps {
		var sts []string
		for _, st := range p.Doc.Statements {
			sts = append(sts, fmt.Sprintf("%s %v", st.Effect.V, vals(st.Resource.Items)))
		}
		got = append(got, strings.Join(sts, " | "))
	}
	sort.Strings(got)
	eq(t, "variants", got, []string{
		"Allow [arn:aws:s3:::dev/* arn:aws:s3:::always/*]",
		"Allow [arn:aws:s3:::dev/* arn:aws:s3:::eu/* arn:aws:s3:::always/*]",
		"Deny [arn:aws:s3:::prod/* arn:aws:s3:::always/*] | Deny [*]",
		"Deny [arn:aws:s3:::prod/* arn:aws:s3:::eu/* arn:aws:s3:::always/*] | Deny [*]",
	})
	for _, p := range ps {
		if p.DocRange != ps[0].DocRange || p.Address != "P" {
			t.Errorf("variant %s at %s", p.Address, l.rng(p.DocRange))
		}
	}

	// A parameters file decides the conditions.
	l = load(t, tree{"t.yaml": src, "p.json": `[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "Region", "ParameterValue": "us"}]`},
		withParams("p.json"))
	l.noDiags()
	ps = l.policies("P")
	if len(ps) != 1 {
		t.Fatalf("%d policies with decided conditions, want 1", len(ps))
	}
	eq(t, "decided statement 0", vals(stmt(t, ps[0], 0).Resource.Items), []string{"arn:aws:s3:::prod/*", "arn:aws:s3:::always/*"})
	is(t, "decided statement 1", stmt(t, ps[0], 1).Effect.V, "Deny")
}

// Conditions on resources: a resource whose condition is false is never
// created; true and undecided ones are loaded.
func TestResourceConditions(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  Never: !Equals [a, b]
  Always: !Not [!Condition Never]
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Skipped:
    Type: AWS::S3::Bucket
    Condition: Never
    Properties: {BucketName: skipped}
  Kept:
    Type: AWS::S3::Bucket
    Condition: Always
    Properties: {BucketName: kept}
  Maybe:
    Type: AWS::S3::Bucket
    Condition: IsProd
    Properties: {BucketName: maybe}
  SkippedPolicy:
    Type: AWS::S3::BucketPolicy
    Condition: Never
    Properties:
      Bucket: !Ref Kept
      PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*"}]}
  SkippedRole:
    Type: AWS::IAM::Role
    Condition: Never
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	eq(t, "buckets", l.bucketNames(), []string{"kept", "maybe"})
	if len(l.Policies) != 0 || len(l.Principals) != 0 {
		t.Errorf("skipped resources loaded:\n%s", l.dump())
	}
	l = load(t, tree{"t.yaml": src, "p.json": `{"Parameters": {"Env": "test"}}`}, withParams("p.json"))
	l.noDiags()
	eq(t, "buckets with Env=test", l.bucketNames(), []string{"kept"})
}

// {"ParameterKey": k, "UsePreviousValue": true} keeps the value the stack
// has: it cannot be known offline, and is certainly not "".
func TestParameterFileUsePreviousValue(t *testing.T) {
	src := "Parameters:\n  Name: {Type: String, Default: from-default}\nResources:\n" + policyWith(`!Sub "arn:aws:s3:::${Name}/*"`)
	l := load(t, tree{"t.yaml": src, "p.json": `[{"ParameterKey": "Name", "UsePreviousValue": true}]`}, withParams("p.json"))
	l.noDiags()
	got := resourceValues(t, l)
	eq(t, "values", got, []string{"shape(arn:aws:s3:::…/*)"})
}

// YAML scalars keep the text CloudFormation reads: an unquoted date is a
// string, an account ID a number written as is, null and booleans as such.
func TestYAMLScalarTypes(t *testing.T) {
	src := `Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Sid: 12
            Effect: Allow
            Principal: {AWS: [123456789012, "210987654321"]}
            Action: [s3:GetObject, true, 1.50]
            Resource: "*"
            Condition: {Bool: {aws:SecureTransport: false}, NumericLessThan: {s3:max-keys: 10}}
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	p := l.policy("P", graph.IdentityPolicy)
	is(t, "Version", p.Doc.Version.V, "2012-10-17")
	st := stmt(t, p, 0)
	is(t, "Sid", st.Sid.V, "12")
	eq(t, "principals", vals(st.Principal.Entries[0].Values), []string{"123456789012", "210987654321"})
	eq(t, "actions", vals(st.Action.Items), []string{"s3:GetObject", "true", "1.50"})
	var conds []string
	for _, c := range st.Conditions {
		conds = append(conds, c.Operator.V+" "+c.Key.V+" "+strings.Join(vals(c.Values), ","))
	}
	eq(t, "conditions", conds, []string{"Bool aws:SecureTransport false", "NumericLessThan s3:max-keys 10"})
	if len(p.Doc.Problems) != 0 {
		t.Errorf("problems: %+v", p.Doc.Problems)
	}
}

// TestModuleInputs: a module fragment declares its parameters as Inputs;
// a Ref to one is a parameter's value (its default, or unknown), not a
// reference to something missing.
func TestModuleInputs(t *testing.T) {
	src := "Inputs:\n  Name: {Type: String}\n  Env: {Type: String, Default: prod}\nResources:\n" +
		policyWith(`!Sub "arn:aws:s3:::${Name}/*"`, `!Sub "arn:aws:s3:::data-${Env}"`)
	l := load(t, tree{"module.yaml": src})
	l.noDiags()
	eq(t, "values", resourceValues(t, l), []string{"shape(arn:aws:s3:::…/*)", "arn:aws:s3:::data-prod"})
}
