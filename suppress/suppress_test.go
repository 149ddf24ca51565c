package suppress

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// today is the date the tests run on.
var today = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// at is a finding in a test: "file:line RULE" or "file:line RULE resource".
type at string

func (a at) finding(dir string) rules.Finding {
	parts := strings.Fields(string(a))
	file, line, _ := strings.Cut(parts[0], ":")
	var n int
	_, _ = fmt.Sscan(line, &n)
	f := rules.Finding{RuleID: parts[1], Severity: rules.Error, Message: "m",
		Range: graph.Range{File: filepath.Join(dir, file), Start: graph.Pos{Line: n, Col: 3}, End: graph.Pos{Line: n, Col: 9}}}
	if len(parts) > 2 {
		f.Resource = parts[2]
	}
	return f
}

type applyCase struct {
	name     string
	files    map[string]string
	findings []at
	// suppressed are the findings that are suppressed, with the reason:
	// "file:line RULE: reason".
	suppressed []string
	// diags are "file:line: severity: message" prefixes of the
	// diagnostics, in order.
	diags []string
	// entities are "address root" pairs (root relative to the test
	// directory), for module calls.
	entities []string
	ran      func(id string) bool
}

func runApply(t *testing.T, tc applyCase) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range tc.files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var fs []rules.Finding
	for _, a := range tc.findings {
		fs = append(fs, a.finding(dir))
	}
	g := &graph.Graph{}
	for _, e := range tc.entities {
		addr, root, _ := strings.Cut(e, " ")
		g.Policies = append(g.Policies, &graph.Policy{Entity: graph.Entity{Address: addr, Root: filepath.Join(dir, root)}})
	}
	known := func(id string) bool { return id >= "S3L010" && id <= "S3L099" }
	kept, sup, diags := Apply(g, fs, Options{Now: func() time.Time { return today }, Known: known, Ran: tc.ran})
	if len(kept)+len(sup) != len(fs) {
		t.Fatalf("%d kept + %d suppressed of %d findings", len(kept), len(sup), len(fs))
	}
	rel := func(r graph.Range) string {
		p, _ := filepath.Rel(dir, r.File)
		return fmt.Sprintf("%s:%d", filepath.ToSlash(p), r.Start.Line)
	}
	var got []string
	for _, s := range sup {
		if s.Suppression.Kind != rules.InSource {
			t.Errorf("kind %q", s.Suppression.Kind)
		}
		got = append(got, fmt.Sprintf("%s %s: %s", rel(s.Range), s.RuleID, s.Suppression.Justification))
	}
	if !reflect.DeepEqual(got, tc.suppressed) && (len(got) != 0 || len(tc.suppressed) != 0) {
		t.Errorf("suppressed:\n got %q\nwant %q", got, tc.suppressed)
	}
	var gotDiags []string
	for _, d := range diags {
		gotDiags = append(gotDiags, fmt.Sprintf("%s: %s: %s", rel(d.Range), d.Severity, d.Message))
	}
	ok := len(gotDiags) == len(tc.diags)
	for i := 0; ok && i < len(tc.diags); i++ {
		ok = strings.HasPrefix(gotDiags[i], tc.diags[i])
	}
	if !ok {
		t.Errorf("diagnostics:\n got %q\nwant %q", gotDiags, tc.diags)
	}
}

const policy = `resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::b"
    }]
  })
}
`

// edit replaces the first old in policy.
func edit(old, replacement string) string { return strings.Replace(policy, old, replacement, 1) }

func TestTerraform(t *testing.T) {
	for _, tc := range []applyCase{
		{
			name:       "trailing comment covers its line only",
			files:      map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L010 read by the replica`)},
			findings:   []at{"main.tf:6 S3L010", "main.tf:7 S3L010", "main.tf:6 S3L011"},
			suppressed: []string{"main.tf:6 S3L010: read by the replica"},
		},
		{
			name:       "slash comment",
			files:      map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" // s3lint:ignore S3L010 slashes`)},
			findings:   []at{"main.tf:6 S3L010"},
			suppressed: []string{"main.tf:6 S3L010: slashes"},
		},
		{
			name:       "comment above an attribute",
			files:      map[string]string{"main.tf": edit("      Action", "      # s3lint:ignore S3L010 above\n      Action")},
			findings:   []at{"main.tf:7 S3L010", "main.tf:8 S3L010"},
			suppressed: []string{"main.tf:7 S3L010: above"},
		},
		{
			name:       "comment above an object covers the statement",
			files:      map[string]string{"main.tf": edit("    Statement = [{", "    # s3lint:ignore S3L010 the whole statement\n    Statement = [{")},
			findings:   []at{"main.tf:7 S3L010", "main.tf:8 S3L010", "main.tf:11 S3L010"},
			suppressed: []string{"main.tf:7 S3L010: the whole statement", "main.tf:8 S3L010: the whole statement"},
		},
		{
			name: "comment above the resource covers the block",
			files: map[string]string{"main.tf": "# s3lint:ignore S3L010 legacy\n" + policy + `resource "aws_iam_policy" "q" {
  policy = "{}"
}
`},
			findings:   []at{"main.tf:2 S3L010", "main.tf:7 S3L010", "main.tf:11 S3L010", "main.tf:13 S3L010"},
			suppressed: []string{"main.tf:2 S3L010: legacy", "main.tf:7 S3L010: legacy", "main.tf:11 S3L010: legacy"},
		},
		{
			name:       "trailing comment on a block header covers the block",
			files:      map[string]string{"main.tf": edit(`"p" {`, `"p" { # s3lint:ignore S3L010 header`)},
			findings:   []at{"main.tf:7 S3L010"},
			suppressed: []string{"main.tf:7 S3L010: header"},
		},
		{
			name: "stacked comments above a nested block",
			files: map[string]string{"main.tf": `data "aws_iam_policy_document" "d" {
  statement {
    actions = ["s3:ListBucket"]
  }
  # s3lint:ignore S3L010 first
  # s3lint:ignore S3L011 second
  # an ordinary comment
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b"]
  }
}
`},
			findings:   []at{"main.tf:3 S3L010", "main.tf:9 S3L010", "main.tf:10 S3L011"},
			suppressed: []string{"main.tf:9 S3L010: first", "main.tf:10 S3L011: second"},
		},
		{
			name: "heredoc policy",
			files: map[string]string{"main.tf": `resource "aws_iam_policy" "p" {
  # s3lint:ignore S3L010 heredoc
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::b"}]}
EOF
  name = "p"
}
`},
			findings:   []at{"main.tf:4 S3L010", "main.tf:5 S3L010", "main.tf:7 S3L010"},
			suppressed: []string{"main.tf:4 S3L010: heredoc", "main.tf:5 S3L010: heredoc"},
		},
		{
			name:     "a blank line detaches the comment",
			files:    map[string]string{"main.tf": "# s3lint:ignore S3L010 detached\n\n" + policy},
			findings: []at{"main.tf:3 S3L010"},
			diags:    []string{"main.tf:1: note: s3lint:ignore S3L010 applies to nothing"},
		},
		{
			name:     "a comment marker inside a string is text",
			files:    map[string]string{"main.tf": edit(`name = "p"`, `name = "p # s3lint:ignore S3L010 not a comment"`)},
			findings: []at{"main.tf:2 S3L010"},
		},
		{
			name:     "another rule",
			files:    map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L011 wrong rule`)},
			findings: []at{"main.tf:6 S3L010"},
			diags:    []string{"main.tf:6: note: s3lint:ignore S3L011 matches no finding; remove it"},
		},
		{
			name:       "one of two IDs unused",
			files:      map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L010,S3L011 both`)},
			findings:   []at{"main.tf:6 S3L010"},
			suppressed: []string{"main.tf:6 S3L010: both"},
			diags:      []string{"main.tf:6: note: s3lint:ignore S3L011 matches no finding; remove it"},
		},
		{
			name:  "unused, but the rule did not run",
			files: map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L011 off in the config`)},
			ran:   func(id string) bool { return id != "S3L011" },
		},
		{
			name:     "missing reason",
			files:    map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L010`)},
			findings: []at{"main.tf:6 S3L010"},
			diags:    []string{"main.tf:6: error: s3lint:ignore: s3lint:ignore needs a reason after the rule IDs; it suppresses nothing"},
		},
		{
			name:     "unknown rule",
			files:    map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L010,S3L999 typo`)},
			findings: []at{"main.tf:6 S3L010"},
			diags:    []string{"main.tf:6: error: s3lint:ignore: unknown rule S3L999 (see s3lint rules); it suppresses nothing"},
		},
		{
			name:     "expired yesterday",
			files:    map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L010 exp:2026-11-27 until the migration`)},
			findings: []at{"main.tf:6 S3L010"},
			diags:    []string{"main.tf:6: note: s3lint:ignore S3L010 expired on 2026-11-27 and no longer applies"},
		},
		{
			name:       "expires today",
			files:      map[string]string{"main.tf": edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L010 exp:2026-11-28 until the migration`)},
			findings:   []at{"main.tf:6 S3L010"},
			suppressed: []string{"main.tf:6 S3L010: until the migration"},
		},
		{
			name:       "file-wide",
			files:      map[string]string{"main.tf": policy + "# s3lint:ignore-file S3L010 generated\n", "other.tf": policy},
			findings:   []at{"main.tf:2 S3L010", "main.tf:7 S3L010", "main.tf:7 S3L011", "other.tf:7 S3L010"},
			suppressed: []string{"main.tf:2 S3L010: generated", "main.tf:7 S3L010: generated"},
		},
		{
			name:       "overlapping suppressions are both used",
			files:      map[string]string{"main.tf": "# s3lint:ignore S3L010 block\n" + edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L010 line`)},
			findings:   []at{"main.tf:7 S3L010"},
			suppressed: []string{"main.tf:7 S3L010: block"},
		},
		{
			name: "CRLF line ends",
			files: map[string]string{"main.tf": strings.ReplaceAll("# s3lint:ignore S3L010 windows\n"+
				edit(`"s3:GetObject"`, `"s3:GetObject" # s3lint:ignore S3L011 trailing`), "\n", "\r\n")},
			findings:   []at{"main.tf:7 S3L010", "main.tf:7 S3L011"},
			suppressed: []string{"main.tf:7 S3L010: windows", "main.tf:7 S3L011: trailing"},
		},
		{
			name: "module calls",
			files: map[string]string{
				"main.tf": `# s3lint:ignore S3L010 vendored
module "data" {
  source = "./modules/data"
}
module "other" {
  source = "./modules/data"
}
`,
				"modules/data/main.tf": `module "inner" { # s3lint:ignore S3L011 inner is vendored too
  source = "../inner"
}
` + policy,
				"modules/inner/main.tf": policy,
			},
			entities: []string{
				"module.data.aws_iam_policy.p .",
				"module.other.aws_iam_policy.p .",
				`module.data.module.inner["x"].aws_iam_policy.p .`,
				`module.other.module.inner["x"].aws_iam_policy.p .`,
			},
			findings: []at{
				"modules/data/main.tf:9 S3L010 module.data.aws_iam_policy.p",
				"modules/data/main.tf:9 S3L010 module.other.aws_iam_policy.p",
				`modules/inner/main.tf:7 S3L010 module.data.module.inner["x"].aws_iam_policy.p`,
				`modules/inner/main.tf:7 S3L011 module.other.module.inner["x"].aws_iam_policy.p`,
				`modules/inner/main.tf:7 S3L011 module.data.module.inner["x"].aws_iam_policy.p`,
			},
			suppressed: []string{
				"modules/data/main.tf:9 S3L010: vendored",
				"modules/inner/main.tf:7 S3L010: vendored",
				"modules/inner/main.tf:7 S3L011: inner is vendored too",
				"modules/inner/main.tf:7 S3L011: inner is vendored too",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) { runApply(t, tc) })
	}
}

const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reader:
    Type: AWS::IAM::Policy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::b
          - Effect: Allow
            Action: s3:ListBucket
            Resource: arn:aws:s3:::b/*
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: "b # s3lint:ignore S3L010 quoted"
      Tags:
        - Key: note
          Value: |
            # s3lint:ignore S3L010 block scalar
`

// tedit replaces the first old in template.
func tedit(old, replacement string) string { return strings.Replace(template, old, replacement, 1) }

func TestTemplates(t *testing.T) {
	for _, tc := range []applyCase{
		{
			name:       "trailing comment",
			files:      map[string]string{"t.yaml": tedit("s3:GetObject", "s3:GetObject # s3lint:ignore S3L010 replica")},
			findings:   []at{"t.yaml:9 S3L010", "t.yaml:10 S3L010", "t.yaml:12 S3L010"},
			suppressed: []string{"t.yaml:9 S3L010: replica"},
		},
		{
			name: "above a list item",
			files: map[string]string{"t.yaml": tedit("          - Effect: Allow\n            Action: s3:GetObject",
				"          # s3lint:ignore S3L010 statement\n          - Effect: Allow\n            Action: s3:GetObject")},
			findings:   []at{"t.yaml:10 S3L010", "t.yaml:11 S3L010", "t.yaml:13 S3L010"},
			suppressed: []string{"t.yaml:10 S3L010: statement", "t.yaml:11 S3L010: statement"},
		},
		{
			name:       "above a resource",
			files:      map[string]string{"t.yaml": tedit("  Reader:", "  # s3lint:ignore S3L010,S3L011 resource\n  Reader:")},
			findings:   []at{"t.yaml:10 S3L010", "t.yaml:14 S3L011", "t.yaml:16 S3L010"},
			suppressed: []string{"t.yaml:10 S3L010: resource", "t.yaml:14 S3L011: resource"},
		},
		{
			name:     "markers in scalars are text",
			files:    map[string]string{"t.yaml": template},
			findings: []at{"t.yaml:17 S3L010", "t.yaml:21 S3L010", "t.yaml:22 S3L010"},
		},
		{
			name:       "file-wide",
			files:      map[string]string{"t.yaml": "# s3lint:ignore-file S3L011 generated\n" + template},
			findings:   []at{"t.yaml:11 S3L010", "t.yaml:14 S3L011"},
			suppressed: []string{"t.yaml:14 S3L011: generated"},
		},
		{
			name:       "CRLF line ends",
			files:      map[string]string{"t.yaml": strings.ReplaceAll(tedit("s3:GetObject", "s3:GetObject # s3lint:ignore S3L010 crlf"), "\n", "\r\n")},
			findings:   []at{"t.yaml:9 S3L010", "t.yaml:12 S3L010"},
			suppressed: []string{"t.yaml:9 S3L010: crlf"},
		},
		{
			name:     "not a template",
			files:    map[string]string{"k8s.yaml": "kind: Pod # s3lint:ignore S3L010 no\n"},
			findings: []at{"k8s.yaml:1 S3L010"},
		},
		{
			name: "metadata",
			files: map[string]string{"t.yaml": tedit("    Type: AWS::IAM::Policy\n", `    Type: AWS::IAM::Policy
    Metadata:
      s3lint:
        ignore:
          - id: S3L010
            reason: read by the replica
            expires: 2027-01-31
          - {id: [S3L011, S3L013], reason: both}
          - id: S3L090
            reason: gone
            expires: 2026-01-01
`)},
			findings: []at{"t.yaml:19 S3L010 Reader", "t.yaml:22 S3L011 Reader", "t.yaml:26 S3L010 Bucket",
				"t.yaml:28 S3L010 Reader"},
			suppressed: []string{"t.yaml:19 S3L010: read by the replica", "t.yaml:22 S3L011: both", "t.yaml:28 S3L010: read by the replica"},
			diags: []string{"t.yaml:11: note: Metadata s3lint ignore S3L013 matches no finding; remove it",
				"t.yaml:12: note: Metadata s3lint ignore S3L090 expired on 2026-01-01 and no longer applies"},
		},
		{
			name: "metadata problems",
			files: map[string]string{"t.yaml": tedit("    Type: AWS::IAM::Policy\n", `    Type: AWS::IAM::Policy
    Metadata:
      s3lint:
        ignroe: []
        ignore:
          - id: S3L010
          - id: S3L0
            reason: typo
          - id: S3L-10
            reason: not an ID
          - reason: no id
            expire: 2027-01-01
`)},
			findings: []at{"t.yaml:21 S3L010 Reader"},
			diags: []string{
				`t.yaml:7: error: Metadata s3lint ignore: unknown key "ignroe" in Metadata s3lint (want ignore); it suppresses nothing`,
				"t.yaml:9: error: Metadata s3lint ignore: the ignore entry needs a reason; it suppresses nothing",
				`t.yaml:10: error: Metadata s3lint ignore: unknown rule S3L0 (see s3lint rules)`,
				`t.yaml:12: error: Metadata s3lint ignore: "S3L-10" is not a rule ID (want S3L010)`,
				`t.yaml:14: error: Metadata s3lint ignore: unknown key "expire" in an ignore entry (want id, reason, expires)`,
				"t.yaml:14: error: Metadata s3lint ignore: the ignore entry names no rule: add id: S3L010",
			},
		},
		{
			name: "JSON template",
			files: map[string]string{"t.json": `{
  "Resources": {
    "Reader": {
      "Type": "AWS::IAM::Policy",
      "Metadata": {"s3lint": {"ignore": [{"id": "S3L010", "reason": "json"}]}},
      "Properties": {"PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}]}}
    },
    "Other": {"Type": "AWS::IAM::Policy", "Properties": {}}
  }
}
`},
			findings:   []at{"t.json:7 S3L010 Reader", "t.json:9 S3L010 Other"},
			suppressed: []string{"t.json:7 S3L010: json"},
		},
		{
			name: "CDK path",
			files: map[string]string{"cdk.out/Stack.template.json": `{
  "Resources": {
    "ReaderPolicy1A2B3C": {
      "Type": "AWS::IAM::Policy",
      "Metadata": {
        "aws:cdk:path": "Stack/Reader/Policy/Resource",
        "s3lint": {"ignore": [{"id": "S3L010", "reason": "cdk"}]}
      },
      "Properties": {}
    },
    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}}
  }
}
`},
			// A finding about the policy, reported at the bucket.
			findings:   []at{"cdk.out/Stack.template.json:11 S3L010 Stack/Reader/Policy"},
			suppressed: []string{"cdk.out/Stack.template.json:11 S3L010: cdk"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) { runApply(t, tc) })
	}
}

// TestReadsOnlyFilesThatMayHoldDirectives: a file the loaders read without
// the word s3lint in it is not read again; one that has it, and one no
// loader read, are, under whatever name the loader used for them.
func TestReadsOnlyFilesThatMayHoldDirectives(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"quiet.tf":  policy,
		"marked.tf": "# s3lint:ignore-file S3L010 read from the marked file\n" + policy,
		"unread.tf": policy,
		"t.yaml":    "Resources: {}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := &graph.Graph{}
	g.NoteRead(filepath.Join(dir, "quiet.tf"), []byte(files["quiet.tf"]))
	// Named otherwise than the findings name it: matched by cleaned path.
	g.NoteRead(dir+"/./marked.tf", []byte(files["marked.tf"]))
	g.NoteRead(filepath.Join(dir, "t.yaml"), []byte(files["t.yaml"]))
	var fs []rules.Finding
	for _, a := range []at{"quiet.tf:5 S3L010", "marked.tf:6 S3L010", "unread.tf:5 S3L010", "t.yaml:1 S3L010"} {
		fs = append(fs, a.finding(dir))
	}
	var read []string
	var mu sync.Mutex
	readFile := func(name string) ([]byte, error) { // on several cores at once
		rel, _ := filepath.Rel(dir, name)
		mu.Lock()
		read = append(read, filepath.ToSlash(rel))
		mu.Unlock()
		return os.ReadFile(name)
	}
	kept, sup, diags := Apply(g, fs, Options{Now: func() time.Time { return today }, ReadFile: readFile})
	sort.Strings(read)
	if want := []string{"marked.tf", "unread.tf"}; !reflect.DeepEqual(read, want) {
		t.Errorf("read %q, want %q", read, want)
	}
	if len(sup) != 1 || !strings.HasSuffix(sup[0].Range.File, "marked.tf") || len(kept) != 3 || len(diags) != 0 {
		t.Errorf("kept %d, suppressed %+v, diagnostics %+v", len(kept), sup, diags)
	}
}
