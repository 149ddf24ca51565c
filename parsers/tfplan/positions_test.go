package tfplan_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
)

// span is the range of the first occurrence of a one-line marker in the
// written plan.json, as "plan.json:L:C-L:C".
func (l *loaded) span(marker string) string {
	const nth = 0
	l.t.Helper()
	const file = "plan.json"
	start := l.at(file, marker, nth)
	i := strings.LastIndex(start, ":")
	col := 0
	_, _ = fmt.Sscanf(start[i+1:], "%d", &col)
	j := strings.LastIndex(start[:i], ":")
	return start + "-" + start[j+1:i] + ":" + fmt.Sprint(col+utf8.RuneCountInString(marker))
}

// The policy of a pretty plan: every element points at the exact place
// inside the escaped string.
const prettyPolicyPlan = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_iam_policy.reader",
          "mode": "managed",
          "type": "aws_iam_policy",
          "name": "reader",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "description": "caf\u00e9 \u0026 cr\u00e8me",
            "name": "reader",
            "path": "/",
            "policy": "{\"Statement\":[{\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-data\",\"Sid\":\"ReadData\"},{\"Action\":\"s3:PutObject\",\"Condition\":{\"StringEquals\":{\"s3:x-amz-acl\":\"bucket-owner-full-control\"}},\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::acme-data/*\",\"arn:aws:s3:::acme-logs/*\"]}],\"Version\":\"2012-10-17\"}"
          },
          "sensitive_values": {}
        }
      ]
    }
  }
}
`

func TestPositionsPretty(t *testing.T) {
	validJSON(t, "pretty", prettyPolicyPlan)
	l := load(t, tree{"plan.json": prettyPolicyPlan})
	p := l.policy("aws_iam_policy.reader")
	if p.Doc == nil || len(p.Doc.Statements) != 2 {
		t.Fatalf("doc: %+v", p.Doc)
	}
	f := "plan.json"
	s0, s1 := p.Doc.Statements[0], p.Doc.Statements[1]
	checks := []struct {
		what string
		got  graph.Range
		want string
	}{
		{"Action[0]", s0.Action.Items[0].Range, l.span(`\"s3:ListBucket\"`)},
		{"Action[1]", s0.Action.Items[1].Range, l.span(`\"s3:GetObject\"`)},
		{"Action key", s0.Action.KeyRange, l.at(f, `\"Action\"`, 0) + "-" + endOf(l.span(`\"s3:GetObject\"]`))},
		{"Resource 0", s0.Resource.Items[0].Range, l.span(`\"arn:aws:s3:::acme-data\"`)},
		{"Resource key", s0.Resource.KeyRange, l.at(f, `\"Resource\"`, 0) + "-" + endOf(l.span(`\"arn:aws:s3:::acme-data\"`))},
		{"Effect", s0.Effect.Range, l.span(`\"Allow\"`)},
		{"Sid", s0.Sid.Range, l.span(`\"ReadData\"`)},
		{"Action 1", s1.Action.Items[0].Range, l.span(`\"s3:PutObject\"`)},
		{"Resource 1.0", s1.Resource.Items[0].Range, l.span(`\"arn:aws:s3:::acme-data/*\"`)},
		{"Resource 1.1", s1.Resource.Items[1].Range, l.span(`\"arn:aws:s3:::acme-logs/*\"`)},
		{"Condition value", s1.Conditions[0].Values[0].Range, l.span(`\"bucket-owner-full-control\"`)},
		{"Condition key", s1.Conditions[0].Key.Range, l.span(`\"s3:x-amz-acl\"`)},
	}
	for _, c := range checks {
		if l.rng(c.got) != c.want {
			t.Errorf("%s at %s, want %s", c.what, l.rng(c.got), c.want)
		}
	}
	// The statement starts at its '{' inside the string; the document at
	// the string's first character; DocRange is the whole attribute.
	if got, want := l.start(s0.Range), l.at(f, `{\"Action\":[`, 0); got != want {
		t.Errorf("statement 0 at %s, want %s", got, want)
	}
	if got, want := l.start(s1.Range), l.at(f, `{\"Action\":\"s3:PutObject`, 0); got != want {
		t.Errorf("statement 1 at %s, want %s", got, want)
	}
	if got, want := l.start(p.Doc.Range), l.at(f, `{\"Statement\"`, 0); got != want {
		t.Errorf("document at %s, want %s", got, want)
	}
	if got, want := l.start(p.DocRange), l.at(f, `"policy"`, 0); got != want {
		t.Errorf("DocRange at %s, want the policy key %s", got, want)
	}
	if p.DocRange.End.Byte != strings.Index(prettyPolicyPlan, `\"2012-10-17\"}"`)+len(`\"2012-10-17\"}"`) {
		t.Errorf("DocRange ends at byte %d", p.DocRange.End.Byte)
	}
	if got, want := l.start(p.Range), l.at(f, `{
          "address": "aws_iam_policy.reader"`, 0); got != want {
		t.Errorf("entity at %s, want %s", got, want)
	}
	// Values are decoded.
	if !s1.Conditions[0].Operator.Is("StringEquals") || !s0.Sid.Is("ReadData") {
		t.Errorf("condition %s sid %s", sv(s1.Conditions[0].Operator), sv(s0.Sid))
	}
}

// A compact plan (one line, as `terraform show -json` writes it), with
// unicode escapes in the plan before the policy and inside it: \u0026 in the
// plan's own string (the policy text has '&'), \\u0026 in the policy's JSON
// (jsonencode escaped '&'), raw UTF-8 (é) and \u00e9.
func TestPositionsCompactWithEscapes(t *testing.T) {
	policy := `"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Condition\":{\"StringLike\":{\"s3:prefix\":\"a\u0026b\\u0026c\u003cd\"}},\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::acme-caf\u00e9/*\",\"arn:aws:s3:::acme-data/*\"],\"Sid\":\"é\u0026\\u0026é\"},{\"Action\":\"s3:ListBucket\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-data\"}],\"Version\":\"2012-10-17\"}"`
	src := `{"format_version":"1.2","terraform_version":"1.9.5","variables":{"note":{"value":"x \u0026 y é"}},"planned_values":{"root_module":{"resources":[{"address":"aws_iam_policy.p","mode":"managed","type":"aws_iam_policy","name":"p","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"description":"\u0026\u0026 é","name":"p","path":"/","policy":` + policy + `},"sensitive_values":{}}]}}}`
	validJSON(t, "compact", src)
	if !compact(src) {
		t.Fatal("not one line")
	}
	f := "plan.json"
	l := load(t, tree{f: src})
	p := l.policy("aws_iam_policy.p")
	if p.Doc == nil || len(p.Doc.Statements) != 2 {
		t.Fatalf("doc %+v", p.Doc)
	}
	s0, s1 := p.Doc.Statements[0], p.Doc.Statements[1]
	if got := sv(s0.Conditions[0].Values[0]); got != "a&b&c<d" {
		t.Errorf("condition value %q", got)
	}
	if got := items(s0.Resource); !eq(got, []string{"arn:aws:s3:::acme-café/*", "arn:aws:s3:::acme-data/*"}) {
		t.Errorf("resources %v", got)
	}
	if got := sv(s0.Sid); got != "é&&é" {
		t.Errorf("sid %q", got)
	}
	checks := []struct {
		what string
		got  graph.Range
		want string
	}{
		{"condition value", s0.Conditions[0].Values[0].Range, l.span(`\"a\u0026b\\u0026c\u003cd\"`)},
		{"resource café", s0.Resource.Items[0].Range, l.span(`\"arn:aws:s3:::acme-caf\u00e9/*\"`)},
		{"resource data", s0.Resource.Items[1].Range, l.span(`\"arn:aws:s3:::acme-data/*\"`)},
		{"sid", s0.Sid.Range, l.span(`\"é\u0026\\u0026é\"`)},
		{"list bucket", s1.Action.Items[0].Range, l.span(`\"s3:ListBucket\"`)},
		{"resource 1", s1.Resource.Items[0].Range, l.span(`\"arn:aws:s3:::acme-data\"`)},
		{"resource key 1", s1.Resource.KeyRange, l.at(f, `\"Resource\"`, 1) + "-" + endOf(l.span(`\"arn:aws:s3:::acme-data\"`))},
	}
	for _, c := range checks {
		if l.rng(c.got) != c.want {
			t.Errorf("%s at %s, want %s", c.what, l.rng(c.got), c.want)
		}
	}
	// All on line 1, columns counting characters (é is one column).
	if s1.Resource.Items[0].Range.Start.Line != 1 {
		t.Errorf("line %d", s1.Resource.Items[0].Range.Start.Line)
	}
}

// A policy pretty-printed inside its string (data.aws_iam_policy_document
// writes "{\n  \"Version\": ...") keeps every element on the plan's line:
// the \n escapes are not line breaks of the file.
func TestPositionsEscapedNewlines(t *testing.T) {
	policy := `"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::acme-data\"\n    }\n  ]\n}"`
	src := "{\n  \"format_version\": \"1.2\",\n  \"terraform_version\": \"1.9.5\",\n  \"planned_values\": {\n    \"root_module\": {\n      \"resources\": [\n        {\n          \"address\": \"aws_iam_role_policy.p\",\n          \"mode\": \"managed\",\n          \"type\": \"aws_iam_role_policy\",\n          \"name\": \"p\",\n          \"values\": {\n            \"name\": \"p\",\n            \"role\": \"r\",\n            \"policy\": " + policy + "\n          }\n        }\n      ]\n    }\n  }\n}\n"
	validJSON(t, "newlines", src)
	l := load(t, tree{"plan.json": src})
	p := l.policy("aws_iam_role_policy.p")
	st := p.Doc.Statements[0]
	if got, want := l.rng(st.Resource.Items[0].Range), l.span(`\"arn:aws:s3:::acme-data\"`); got != want {
		t.Errorf("resource at %s, want %s", got, want)
	}
	if got, want := l.rng(st.Action.Items[0].Range), l.span(`\"s3:GetObject\"`); got != want {
		t.Errorf("action at %s, want %s", got, want)
	}
	if st.Range.Start.Line != 15 || st.Range.End.Line != 15 {
		t.Errorf("statement on lines %d-%d, want 15", st.Range.Start.Line, st.Range.End.Line)
	}
}

// endOf is the end "L:C" of a "file:L:C-L:C" span.
func endOf(span string) string { return span[strings.LastIndex(span, "-")+1:] }

// CRLF line ends (a plan saved by an editor on Windows) do not shift
// columns.
func TestPositionsCRLF(t *testing.T) {
	src := strings.ReplaceAll(prettyPolicyPlan, "\n", "\r\n")
	l := load(t, tree{"plan.json": src})
	p := l.policy("aws_iam_policy.reader")
	it := p.Doc.Statements[1].Resource.Items[0]
	if got, want := l.start(it.Range), locate(t, "plan.json", src, `\"arn:aws:s3:::acme-data/*\"`, 0); got != want {
		t.Errorf("item at %s, want %s", got, want)
	}
}

// A UTF-8 byte-order mark (Windows PowerShell 5.1's "terraform show -json
// tfplan | Out-File -Encoding utf8" writes one) is accepted by the JSON
// parser and the line index, so the plan must load with columns that do
// not count the mark.
func TestPositionsBOM(t *testing.T) {
	src := "\ufeff" + prettyPolicyPlan
	l := load(t, tree{"plan.json": src})
	if len(l.policies("aws_iam_policy.reader")) == 0 {
		t.Fatalf("no policy; %v", l.diags())
	}
	p := l.policy("aws_iam_policy.reader")
	it := p.Doc.Statements[1].Resource.Items[0]
	marker := `\"arn:aws:s3:::acme-data/*\"`
	want := locate(t, "plan.json", strings.TrimPrefix(src, "\ufeff"), marker, 0)
	if got := l.start(it.Range); got != want {
		t.Errorf("item at %s, want %s", got, want)
	}
	// The entity on line 7, column 9, BOM or not.
	if got := l.start(p.Range); got != "plan.json:7:9" {
		t.Errorf("entity at %s", got)
	}
	if got := l.start(l.policy("aws_iam_policy.reader").Range); !strings.HasPrefix(got, "plan.json:7:") {
		t.Errorf("entity at %s", got)
	}
}

// Positions in the other resource types: a role's trust and inline
// policies, a bucket's policy, an attachment's entity.
func TestPositionsNestedPolicies(t *testing.T) {
	l := load(t, tree{"plan.json": iamPlan})
	app := l.principal("aws_iam_role.app")
	f := "plan.json"
	if got, want := l.rng(app.Trust.Doc.Statements[0].Principal.Entries[0].Values[0].Range), l.span(`\"ecs-tasks.amazonaws.com\"`); got != want {
		t.Errorf("trust principal at %s, want %s", got, want)
	}
	if got, want := l.start(app.Trust.DocRange), l.at(f, `"assume_role_policy"`, 0); got != want {
		t.Errorf("trust DocRange at %s, want %s", got, want)
	}
	var inlineB *graph.Policy
	for _, p := range app.Policies {
		if p.Name.Is("inline-b") {
			inlineB = p
		}
	}
	if inlineB == nil {
		t.Fatal("no inline-b")
	}
	if got, want := l.start(inlineB.DocRange), l.at(f, `"policy": "{\"Statement\":[{\"Action\":\"s3:ListBucket\"`, 0); got != want {
		t.Errorf("inline DocRange at %s, want %s", got, want)
	}
	if got, want := l.rng(inlineB.Doc.Statements[0].Resource.Items[0].Range), l.span(`\"arn:aws:s3:::acme-data\"`); got != want {
		t.Errorf("inline resource at %s, want %s", got, want)
	}
	if got, want := l.rng(inlineB.Name.Range), l.span(`"inline-b"`); got != want {
		t.Errorf("inline name at %s, want %s", got, want)
	}
	// The inline policy's entity is the role.
	if inlineB.Range != app.Range {
		t.Errorf("inline entity %s, role %s", l.rng(inlineB.Range), l.rng(app.Range))
	}
	// A managed ARN kept as written points at its string.
	for _, a := range app.ManagedARNs {
		if a.V == "arn:aws:iam::aws:policy/ReadOnlyAccess" {
			if got, want := l.rng(a.Range), l.span(`"arn:aws:iam::aws:policy/ReadOnlyAccess"`); got != want {
				t.Errorf("managed ARN at %s, want %s", got, want)
			}
		}
	}
}

// Unicode escapes for characters outside the Basic Multilingual Plane are
// surrogate pairs (\ud83d\ude00). Inside a policy string they must decode to
// the same value the plan's own parser gives: the character, not two U+FFFD.
func TestPositionsSurrogatePairs(t *testing.T) {
	src := onePlan("aws_s3_bucket_policy.p", "aws_s3_bucket_policy",
		`{"bucket":"acme-emoji","policy":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::acme-emoji/\ud83d\ude00*\",\"Sid\":\"x\"}],\"Version\":\"2012-10-17\"}"}`,
		`{"id":true}`, `{}`)
	validJSON(t, "surrogates", src)
	l := load(t, tree{"plan.json": src})
	st := l.policy("aws_s3_bucket_policy.p").Doc.Statements[0]
	if got := sv(st.Resource.Items[0]); got != "arn:aws:s3:::acme-emoji/😀*" {
		t.Errorf("resource %q", got)
	}
	// The position is still exact.
	if got, want := l.start(st.Sid.Range), l.at("plan.json", `\"x\"`, 0); got != want {
		t.Errorf("sid after the pair at %s, want %s", got, want)
	}
}
