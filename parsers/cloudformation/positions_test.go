package cloudformation_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// item is one expected Action/Resource item: its value and the text whose
// span it must have (the whole intrinsic for resolved values).
type item struct {
	value string // "?" for unknown
	text  string // unique in the source
	n     int    // occurrence of text, when not unique (0: must be unique)
}

func checkItems(t *testing.T, src, what string, got graph.Strings, want []item) {
	t.Helper()
	var w []string
	for _, it := range want {
		r := ""
		if it.n > 0 {
			r = span(t, src, it.text, it.n)
		} else {
			r = at(t, src, it.text)
		}
		w = append(w, it.value+"@"+r)
	}
	eq(t, what, items(got), w)
}

const positionsYAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Prefix: {Type: String, Default: logs/}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: données-ü
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: «日本語»
            Effect: Allow
            Action:
              - s3:GetObject                # plain, with a comment
              - "s3:PutObject"
              - 's3:DeleteObject'
              - !Sub s3:ListBucket
              - !Sub "s3:GetObjectTagging"
              - &acl s3:GetObjectAcl
              - *acl
              - Fn::Sub: s3:GetObjectVersion
            Resource:
              - arn:aws:s3:::données-ü/plain
              - "arn:aws:s3:::données-ü/dq/\u00e9"
              - !GetAtt Bucket.Arn
              - !Join ["", [!GetAtt Bucket.Arn, "/*"]]
              - !Join
                - ""
                - - !GetAtt Bucket.Arn
                  - /block/*
              - !Sub "arn:aws:s3:::données-ü/${Prefix}*"
              - |
                  literal-é
              - >-
                  folded
                  line
              - !Ref AWS::NoValue
              - !ImportValue Other
          - {Sid: flow, Effect: Deny, Action: [s3:*, "s3:Get*"], Resource: "*"}
          - Sid: ünï
            Effect: Allow
            Action: s3:GetBucketLocation
            Resource: [ 'arn:aws:s3:::ü/*' , !Sub "${Bucket.Arn}/ü" , !Ref Prefix ]
`

func TestPositionsYAML(t *testing.T) {
	src := positionsYAML
	l := load(t, tree{"t.yaml": src})
	l.noDiags()

	b := l.bucket("Bucket")
	is(t, "bucket name", sv(b.Name), "données-ü@"+span(t, src, "données-ü", 1))
	is(t, "bucket ARN", b.ARN.V, "arn:aws:s3:::données-ü")
	is(t, "bucket range", pos(b.Range), startOf(t, src, "Bucket:\n")+"-"+strings.Split(span(t, src, "données-ü", 1), "-")[1])

	p := l.policy("Policy", graph.IdentityPolicy)
	is(t, "DocRange", pos(p.DocRange), startOf(t, src, "PolicyDocument:")+"-"+strings.Split(at(t, src, "!Ref Prefix ]"), "-")[1])
	is(t, "Doc.Range", pos(p.Doc.Range), startOf(t, src, "Version: \"2012")+"-"+strings.Split(at(t, src, "!Ref Prefix ]"), "-")[1])
	is(t, "Version", sv(p.Doc.Version), `2012-10-17@`+at(t, src, `"2012-10-17"`))

	st := stmt(t, p, 0)
	is(t, "Sid", sv(st.Sid), "«日本語»@"+at(t, src, "«日本語»"))
	is(t, "Effect", sv(st.Effect), "Allow@"+span(t, src, "Allow", 1))
	is(t, "statement range", pos(st.Range), startOf(t, src, "Sid: «")+"-"+strings.Split(at(t, src, "!ImportValue Other"), "-")[1])
	checkItems(t, src, "Action", st.Action, []item{
		{"s3:GetObject", "s3:GetObject", 1},
		{"s3:PutObject", `"s3:PutObject"`, 0},
		{"s3:DeleteObject", `'s3:DeleteObject'`, 0},
		{"s3:ListBucket", `!Sub s3:ListBucket`, 0},
		{"s3:GetObjectTagging", `!Sub "s3:GetObjectTagging"`, 0},
		{"s3:GetObjectAcl", `&acl s3:GetObjectAcl`, 0}, // the anchor is part of the node
		{"s3:GetObjectAcl", `*acl`, 0},
		{"s3:GetObjectVersion", `Fn::Sub: s3:GetObjectVersion`, 0},
	})
	checkItems(t, src, "Resource", st.Resource, []item{
		{"arn:aws:s3:::données-ü/plain", "arn:aws:s3:::données-ü/plain", 0},
		{"arn:aws:s3:::données-ü/dq/é", `"arn:aws:s3:::données-ü/dq/\u00e9"`, 0},
		{"arn:aws:s3:::données-ü", "!GetAtt Bucket.Arn", 1},
		{"arn:aws:s3:::données-ü/*", `!Join ["", [!GetAtt Bucket.Arn, "/*"]]`, 0},
		{"arn:aws:s3:::données-ü/block/*", "!Join\n                - \"\"\n                - - !GetAtt Bucket.Arn\n                  - /block/*", 0},
		{"arn:aws:s3:::données-ü/logs/*", `!Sub "arn:aws:s3:::données-ü/${Prefix}*"`, 0},
		{"literal-é\n", "|\n                  literal-é", 0},
		{"folded line", ">-\n                  folded\n                  line", 0},
		// AWS::NoValue removed its element.
		{"?", "!ImportValue Other", 0},
	})
	is(t, "Resource list range", pos(st.Resource.Range), startOf(t, src, "- arn:aws:s3:::données-ü/plain")+"-"+strings.Split(at(t, src, "!ImportValue Other"), "-")[1])

	flow := stmt(t, p, 1)
	is(t, "flow statement range", pos(flow.Range), at(t, src, `{Sid: flow, Effect: Deny, Action: [s3:*, "s3:Get*"], Resource: "*"}`))
	is(t, "flow Effect", sv(flow.Effect), "Deny@"+at(t, src, "Deny"))
	checkItems(t, src, "flow Action", flow.Action, []item{{"s3:*", "s3:*", 0}, {"s3:Get*", `"s3:Get*"`, 0}})
	is(t, "flow Action list range", pos(flow.Action.Range), at(t, src, `[s3:*, "s3:Get*"]`))
	checkItems(t, src, "flow Resource", flow.Resource, []item{{"*", `"*"`, 0}})

	last := stmt(t, p, 2)
	checkItems(t, src, "last Action", last.Action, []item{{"s3:GetBucketLocation", "s3:GetBucketLocation", 0}})
	is(t, "single Action range", pos(last.Action.Range), at(t, src, "s3:GetBucketLocation"))
	is(t, "single Action key range", pos(last.Action.KeyRange), at(t, src, "Action: s3:GetBucketLocation"))
	checkItems(t, src, "last Resource", last.Resource, []item{
		{"arn:aws:s3:::ü/*", `'arn:aws:s3:::ü/*'`, 0},
		{"arn:aws:s3:::données-ü/ü", `!Sub "${Bucket.Arn}/ü"`, 0},
		{"logs/", "!Ref Prefix", 0},
	})
}

// Plain scalars in block context may hold "}", "]" and ",", which are flow
// indicators only inside flow collections; and a plain scalar may go on over
// several lines. The item range must still cover the whole scalar.
func TestPositionsYAMLPlainScalarsWithIndicators(t *testing.T) {
	src := `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: b}
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource:
              - !Sub ${Bucket.Arn}/*
              - !Sub arn:${AWS::Partition}:s3:::${Bucket}/x
              - arn:aws:s3:::b/a,b
              - arn:aws:s3:::b/[x]
              - arn:aws:s3:::b/very/long/path
                /continued
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	st := stmt(t, l.policy("Policy", graph.IdentityPolicy), 0)
	want := []string{
		"arn:aws:s3:::b/*@" + at(t, src, "!Sub ${Bucket.Arn}/*"),
		"arn:aws:s3:::b/x@" + at(t, src, "!Sub arn:${AWS::Partition}:s3:::${Bucket}/x"),
		"arn:aws:s3:::b/a,b@" + at(t, src, "arn:aws:s3:::b/a,b"),
		"arn:aws:s3:::b/[x]@" + at(t, src, "arn:aws:s3:::b/[x]"),
		"arn:aws:s3:::b/very/long/path /continued@" + at(t, src, "arn:aws:s3:::b/very/long/path\n                /continued"),
	}
	got := items(st.Resource)
	// The values are right…
	for i := range want {
		if i < len(got) && strings.Split(got[i], "@")[0] != strings.Split(want[i], "@")[0] {
			t.Errorf("item %d value: got %s, want %s", i, got[i], want[i])
		}
	}
	// …the ranges are not: scanPlain stops at '}', ']' and ',' and at the end
	// of the first line.
	eq(t, "Resource items", got, want)
}

const positionsJSON = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Bücket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "日本-data"}},
    "Policy": {
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {
        "PolicyDocument": {
          "Statement": [
            {
              "Sid": "😀 emoji",
              "Effect": "Allow",
              "Action": ["s3:GetObject", "s3:Put\u004fbject"],
              "Resource": [
                "arn:aws:s3:::日本-data\/escaped",
                {"Fn::GetAtt": ["Bücket", "Arn"]},
                {"Fn::Sub": "${Bücket.Arn}/\ud83d\ude00/*"},
                {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bücket"}, "/j"]]},
                {"Ref": "AWS::NoValue"},
                {"Fn::If": ["Never", "x", "arn:aws:s3:::else"]}
              ]
            },
            {"Effect": "Deny", "Action": "s3:*", "Resource": {"Fn::Sub": "${Bücket.Arn}"}}
          ]
        }
      }
    }
  },
  "Conditions": {"Never": {"Fn::Equals": ["a", "b"]}}
}
`

func TestPositionsJSON(t *testing.T) {
	src := positionsJSON
	l := load(t, tree{"t.json": src})
	l.noDiags()
	b := l.bucket("Bücket")
	is(t, "bucket name", sv(b.Name), `日本-data@`+at(t, src, `"日本-data"`))
	is(t, "bucket range", pos(b.Range), at(t, src, `"Bücket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "日本-data"}}`))
	p := l.policy("Policy", graph.IdentityPolicy)
	st := stmt(t, p, 0)
	is(t, "Sid", sv(st.Sid), "😀 emoji@"+at(t, src, `"😀 emoji"`))
	checkItems(t, src, "Action", st.Action, []item{
		{"s3:GetObject", `"s3:GetObject"`, 0},
		{"s3:PutObject", `"s3:Put\u004fbject"`, 0},
	})
	checkItems(t, src, "Resource", st.Resource, []item{
		{"arn:aws:s3:::日本-data/escaped", `"arn:aws:s3:::日本-data\/escaped"`, 0},
		{"arn:aws:s3:::日本-data", `{"Fn::GetAtt": ["Bücket", "Arn"]}`, 0},
		{"arn:aws:s3:::日本-data/😀/*", `{"Fn::Sub": "${Bücket.Arn}/\ud83d\ude00/*"}`, 0},
		{"arn:aws:s3:::日本-data/j", `{"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bücket"}, "/j"]]}`, 0},
		// Fn::If gives the range of the branch taken.
		{"arn:aws:s3:::else", `"arn:aws:s3:::else"`, 0},
	})
	is(t, "statement range", pos(st.Range), startOf(t, src, "{\n              \"Sid\"")+"-"+endOf(t, src, "]\n            }"))
	d := stmt(t, p, 1)
	checkItems(t, src, "Deny Resource", d.Resource, []item{{"arn:aws:s3:::日本-data", `{"Fn::Sub": "${Bücket.Arn}"}`, 0}})
	is(t, "DocRange", pos(p.DocRange), startOf(t, src, `"PolicyDocument"`)+"-"+endOf(t, src, "]\n        }"))
}

// endOf is the L:C where the only occurrence of needle ends.
func endOf(t testing.TB, src, needle string) string {
	t.Helper()
	_, e, _ := strings.Cut(at(t, src, needle), "-")
	return e
}

// Windows line endings and tabs inside flow collections do not shift
// positions.
func TestPositionsCRLF(t *testing.T) {
	src := strings.ReplaceAll(`Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [	"s3:GetObject",	s3:PutObject ]
            Resource:
              - arn:aws:s3:::crlf/*
              - "arn:aws:s3:::crlf/q"
`, "\n", "\r\n")
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	st := stmt(t, l.policy("Policy", graph.IdentityPolicy), 0)
	checkItems(t, src, "Action", st.Action, []item{{"s3:GetObject", `"s3:GetObject"`, 0}, {"s3:PutObject", "s3:PutObject", 0}})
	checkItems(t, src, "Resource", st.Resource, []item{{"arn:aws:s3:::crlf/*", "arn:aws:s3:::crlf/*", 0}, {"arn:aws:s3:::crlf/q", `"arn:aws:s3:::crlf/q"`, 0}})

	jsrc := strings.ReplaceAll(`{"Resources": {"Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument":
{"Statement": [{"Effect": "Allow",
  "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::crlf/*"}]}}}}}
`, "\n", "\r\n")
	l = load(t, tree{"t.json": jsrc})
	l.noDiags()
	st = stmt(t, l.policy("Policy", graph.IdentityPolicy), 0)
	checkItems(t, jsrc, "JSON Resource", st.Resource, []item{{"arn:aws:s3:::crlf/*", `"arn:aws:s3:::crlf/*"`, 0}})
}
