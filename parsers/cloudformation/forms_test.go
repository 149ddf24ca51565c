package cloudformation_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// formCase is one intrinsic written in the three ways a template may write
// it, and the value it resolves to ("?" for unknown; ACCT stands for the
// symbolic account of the template).
type formCase struct {
	name       string
	short      string // YAML short form
	longYAML   string // YAML long form (a block mapping)
	json       string // JSON
	want       string
	wantKnown  bool
	conditions bool // uses the conditions, which need the parameters file
}

var formCases = []formCase{
	{name: "Ref", short: `!Ref Env`, longYAML: "Ref: Env", json: `{"Ref": "Env"}`, want: "dev", wantKnown: true},
	{name: "SubString", short: `!Sub "arn:aws:s3:::${Bucket}/${Env}/*"`, longYAML: `Fn::Sub: "arn:aws:s3:::${Bucket}/${Env}/*"`,
		json: `{"Fn::Sub": "arn:aws:s3:::${Bucket}/${Env}/*"}`, want: "arn:aws:s3:::data/dev/*", wantKnown: true},
	{name: "SubList", short: `!Sub ["arn:aws:s3:::${B}/*", {B: !Ref Bucket}]`,
		longYAML: "Fn::Sub:\n  - arn:aws:s3:::${B}/*\n  - B:\n      Ref: Bucket",
		json:     `{"Fn::Sub": ["arn:aws:s3:::${B}/*", {"B": {"Ref": "Bucket"}}]}`, want: "arn:aws:s3:::data/*", wantKnown: true},
	{name: "GetAttDotted", short: `!GetAtt Bucket.Arn`, longYAML: "Fn::GetAtt: [Bucket, Arn]", json: `{"Fn::GetAtt": ["Bucket", "Arn"]}`,
		want: "arn:aws:s3:::data", wantKnown: true},
	{name: "GetAttList", short: `!GetAtt [Role, Arn]`, longYAML: "Fn::GetAtt:\n  - Role\n  - Arn", json: `{"Fn::GetAtt": ["Role", "Arn"]}`,
		want: "arn:aws:iam::ACCT:role/svc/app", wantKnown: true},
	{name: "Join", short: `!Join ["", ["arn:aws:s3:::", !Ref Bucket, "/*"]]`,
		longYAML: "Fn::Join:\n  - \"\"\n  - - \"arn:aws:s3:::\"\n    - Ref: Bucket\n    - /*",
		json:     `{"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}, "/*"]]}`, want: "arn:aws:s3:::data/*", wantKnown: true},
	{name: "Select", short: `!Select [1, !Ref Names]`, longYAML: "Fn::Select: [1, {Ref: Names}]", json: `{"Fn::Select": ["1", {"Ref": "Names"}]}`,
		want: "b", wantKnown: true},
	{name: "SplitSelect", short: `!Select [2, !Split ["/", "a/b/c"]]`, longYAML: "Fn::Select:\n  - 2\n  - Fn::Split: [/, a/b/c]",
		json: `{"Fn::Select": [2, {"Fn::Split": ["/", "a/b/c"]}]}`, want: "c", wantKnown: true},
	{name: "FindInMap", short: `!FindInMap [Map, !Ref Env, Bucket]`, longYAML: "Fn::FindInMap: [Map, {Ref: Env}, Bucket]",
		json: `{"Fn::FindInMap": ["Map", {"Ref": "Env"}, "Bucket"]}`, want: "dev-bucket", wantKnown: true},
	{name: "IfEquals", short: `!If [IsYes, yes-branch, no-branch]`, longYAML: "Fn::If: [IsYes, yes-branch, no-branch]",
		json: `{"Fn::If": ["IsYes", "yes-branch", "no-branch"]}`, want: "yes-branch", wantKnown: true, conditions: true},
	{name: "IfFalse", short: `!If [IsNo, yes-branch, no-branch]`, longYAML: "Fn::If: [IsNo, yes-branch, no-branch]",
		json: `{"Fn::If": ["IsNo", "yes-branch", "no-branch"]}`, want: "no-branch", wantKnown: true, conditions: true},
	{name: "IfAndNotCondition", short: `!If [Both, both, not-both]`, longYAML: "Fn::If: [Both, both, not-both]",
		json: `{"Fn::If": ["Both", "both", "not-both"]}`, want: "both", wantKnown: true, conditions: true},
	{name: "IfOr", short: `!If [Either, either, neither]`, longYAML: "Fn::If: [Either, either, neither]",
		json: `{"Fn::If": ["Either", "either", "neither"]}`, want: "neither", wantKnown: true, conditions: true},
	{name: "ImportValue", short: `!ImportValue SharedBucketArn`, longYAML: "Fn::ImportValue: SharedBucketArn",
		json: `{"Fn::ImportValue": "SharedBucketArn"}`, want: "?"},
	{name: "GetStackOutput", short: "!GetStackOutput {StackName: Storage, OutputName: BucketArn}",
		longYAML: "Fn::GetStackOutput: {StackName: Storage, OutputName: BucketArn}",
		json:     `{"Fn::GetStackOutput": {"StackName": "Storage", "OutputName": "BucketArn"}}`, want: "?"},
	{name: "Base64", short: `!Base64 abc`, longYAML: "Fn::Base64: abc", json: `{"Fn::Base64": "abc"}`, want: "?"},
	{name: "GetAZs", short: `!Select [0, !GetAZs ""]`, longYAML: "Fn::Select: [0, {Fn::GetAZs: \"\"}]",
		json: `{"Fn::Select": [0, {"Fn::GetAZs": ""}]}`, want: "?"},
	{name: "Cidr", short: `!Select [0, !Cidr ["10.0.0.0/16", 4, 8]]`, longYAML: "Fn::Select:\n  - 0\n  - Fn::Cidr: [10.0.0.0/16, 4, 8]",
		json: `{"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}]}`, want: "?"},
}

const formsYAMLHead = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
  Fixed: {Type: String, Default: "no"}
  Names: {Type: CommaDelimitedList, Default: "a,b,c"}
Mappings:
  Map:
    dev: {Bucket: dev-bucket}
%s
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: data}
  Role:
    Type: AWS::IAM::Role
    Properties: {RoleName: app, Path: /svc/}
`

// The conditions, in short and long YAML form: Fixed is "yes" from the
// parameters file.
const shortConditions = `Conditions:
  IsYes: !Equals [!Ref Fixed, "yes"]
  IsNo: !Equals [!Ref Fixed, "no"]
  Both: !And [!Condition IsYes, !Not [!Condition IsNo]]
  Either: !Or [!Condition IsNo, !Equals [a, b]]`

const longConditions = `Conditions:
  IsYes:
    Fn::Equals: [{Ref: Fixed}, "yes"]
  IsNo:
    Fn::Equals:
      - Ref: Fixed
      - "no"
  Both:
    Fn::And:
      - Condition: IsYes
      - Fn::Not: [{Condition: IsNo}]
  Either:
    Fn::Or: [{Condition: IsNo}, {Fn::Equals: [a, b]}]`

func formsYAML(long bool) string {
	var b strings.Builder
	if long {
		fmt.Fprintf(&b, formsYAMLHead, longConditions)
	} else {
		fmt.Fprintf(&b, formsYAMLHead, shortConditions)
	}
	for _, c := range formCases {
		fmt.Fprintf(&b, "  %s:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource:", c.name)
		if long {
			b.WriteString("\n")
			for i, line := range strings.Split(c.longYAML, "\n") {
				lead := "                "
				if i == 0 {
					lead = "              - "
				}
				b.WriteString(lead + line + "\n")
			}
		} else {
			b.WriteString(" [" + c.short + "]\n")
		}
	}
	return b.String()
}

func formsJSON() string {
	var res []string
	res = append(res, `"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "data"}}`,
		`"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "app", "Path": "/svc/"}}`)
	for _, c := range formCases {
		res = append(res, fmt.Sprintf(`"%s": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [%s]}]}}}`, c.name, c.json))
	}
	return `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "Env": {"Type": "String", "Default": "dev"},
    "Fixed": {"Type": "String", "Default": "no"},
    "Names": {"Type": "CommaDelimitedList", "Default": "a,b,c"}
  },
  "Mappings": {"Map": {"dev": {"Bucket": "dev-bucket"}}},
  "Conditions": {
    "IsYes": {"Fn::Equals": [{"Ref": "Fixed"}, "yes"]},
    "IsNo": {"Fn::Equals": [{"Ref": "Fixed"}, "no"]},
    "Both": {"Fn::And": [{"Condition": "IsYes"}, {"Fn::Not": [{"Condition": "IsNo"}]}]},
    "Either": {"Fn::Or": [{"Condition": "IsNo"}, {"Fn::Equals": ["a", "b"]}]}
  },
  "Resources": {
    ` + strings.Join(res, ",\n    ") + `
  }
}
`
}

// Every intrinsic gives the same value in YAML short form, YAML long form
// and JSON. (Each is the only item of a Resource list, so that an unknown
// value is an unknown item, not an unknown list.)
func TestIntrinsicForms(t *testing.T) {
	files := tree{
		"short/t.yaml":  formsYAML(false),
		"long/t.yaml":   formsYAML(true),
		"json/t.json":   formsJSON(),
		"params.json":   `{"Parameters": {"Fixed": "yes"}}`,
		"nocond/t.yaml": formsYAML(false),
	}
	dir := writeTree(t, files)
	for _, form := range []string{"short/t.yaml", "long/t.yaml", "json/t.json"} {
		t.Run(strings.Split(form, "/")[0], func(t *testing.T) {
			l := loadDir(t, dir, withPaths(form), withParams("params.json"))
			l.noDiags()
			acct := string(graph.SymbolicAccount("stack " + dir + "/" + form))
			for _, c := range formCases {
				p := l.policy(c.name, graph.IdentityPolicy)
				st := stmt(t, p, 0)
				if len(st.Resource.Items) != 1 {
					t.Errorf("%s: Resource items %v", c.name, items(st.Resource))
					continue
				}
				it := st.Resource.Items[0]
				want := strings.ReplaceAll(c.want, "ACCT", acct)
				got := it.V
				if !it.Known() {
					got = "?"
				}
				if got != want || it.Known() != c.wantKnown {
					t.Errorf("%s: Resource = %q (known %v), want %q", c.name, got, it.Known(), want)
				}
				if it.Range.Start.Line == 0 || l.rel(it.Range.File) != form {
					t.Errorf("%s: item range %s", c.name, l.rng(it.Range))
				}
			}
		})
	}
	// Without the parameters file the conditions depend on a parameter
	// whose default may be overridden: each is checked both ways.
	t.Run("undecided", func(t *testing.T) {
		l := loadDir(t, dir, withPaths("nocond/t.yaml"))
		l.noDiags()
		for _, c := range formCases {
			n := len(l.policies(c.name))
			want := 1
			if c.conditions {
				want = 2
			}
			if n != want {
				t.Errorf("%s: %d policies, want %d", c.name, n, want)
			}
		}
	})
}
