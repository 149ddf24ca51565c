package cloudformation_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/cloudformation"
)

// errCase is a template with one defect: the diagnostic expected (at the
// start of the only occurrence of where, or at line:col given literally
// when where starts with a digit), and whether the rest of the template
// still loads (its bucket "fine").
type errCase struct {
	name, file, src string
	where, msg      string
	restLoads       bool
}

const fineBucket = "  Fine:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: fine}\n"

func policyResource(v string) string {
	return "  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: " + v + "\n"
}

var errCases = []errCase{
	{name: "RefUndefined", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource("!Ref Nowhere"),
		where: "!Ref Nowhere", msg: "Ref to Nowhere, which is neither a parameter nor a resource of this template", restLoads: true},
	{name: "RefUndefinedJSON", file: "t.json", src: `{"Resources": {"Fine": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "fine"}},
 "P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Ref": "Nowhere"}}]}}}}}`,
		where: `{"Ref": "Nowhere"}`, msg: "Ref to Nowhere", restLoads: true},
	{name: "RefUndefinedInSub", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource(`!Sub "arn:aws:s3:::${Nowhere}/*"`),
		where: `!Sub "arn:aws:s3:::${Nowhere}/*"`, msg: "Ref to Nowhere", restLoads: true},
	{name: "GetAttUndefined", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource("!GetAtt Nowhere.Arn"),
		where: "!GetAtt Nowhere.Arn", msg: "Fn::GetAtt of Nowhere, which is not a resource of this template", restLoads: true},
	{name: "GetAttUndefinedLong", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource("{Fn::GetAtt: [Nowhere, Arn]}"),
		where: "{Fn::GetAtt: [Nowhere, Arn]}", msg: "Fn::GetAtt of Nowhere", restLoads: true},
	{name: "UnknownFunction", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource("{Fn::Frobnicate: [a, b]}"),
		where: "{Fn::Frobnicate: [a, b]}", msg: "unrecognised intrinsic function Fn::Frobnicate", restLoads: true},
	{name: "UnknownTag", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource("!Frobnicate x"),
		where: "!Frobnicate x", msg: "unknown tag !Frobnicate", restLoads: true},
	{name: "SubUnterminated", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource(`!Sub "arn:aws:s3:::${Fine/*"`),
		where: `!Sub "arn:aws:s3:::${Fine/*"`, msg: "Fn::Sub: a ${ without its closing }", restLoads: true},
	{name: "SubBadShape", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource(`!Sub [a, b, c]`),
		where: `!Sub [a, b, c]`, msg: "Fn::Sub takes a string, or a list of a string and a mapping of variables", restLoads: true},
	{name: "IfBadShape", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource(`!If [OnlyOne]`),
		where: `!If [OnlyOne]`, msg: "Fn::If takes a condition name and two values", restLoads: true},
	{name: "IfUndefinedCondition", file: "t.yaml", src: "Resources:\n" + fineBucket + policyResource(`!If [Nowhere, a, b]`),
		where: `!If [Nowhere, a, b]`, msg: "condition Nowhere is not defined in Conditions", restLoads: true},
	{name: "ResourceUndefinedCondition", file: "t.yaml", src: "Resources:\n" + fineBucket + "  B:\n    Type: AWS::S3::Bucket\n    Condition: Nowhere\n",
		where: "B:\n", msg: "condition Nowhere is not defined in Conditions", restLoads: true},
	{name: "FindInMapMissing", file: "t.yaml", src: "Mappings:\n  M:\n    a: {b: c}\nResources:\n" + fineBucket + policyResource(`!FindInMap [M, x, b]`),
		where: `!FindInMap [M, x, b]`, msg: "Fn::FindInMap: x is not in the mapping", restLoads: true},
	{name: "CircularConditions", file: "t.yaml", src: "Conditions:\n  A: !Condition B\n  B: !And [!Condition A, !Equals [x, x]]\nResources:\n" + fineBucket + "  B1:\n    Type: AWS::S3::Bucket\n    Condition: A\n",
		where: "!Condition A", msg: "circular condition: A depends on itself", restLoads: true},
	{name: "CircularNames", file: "t.yaml", src: "Resources:\n" + fineBucket +
		"  One:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref Two}\n  Two:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Sub \"${One}-2\"}\n",
		where: "!Ref Two", msg: "circular reference: the name of Two depends on itself", restLoads: true},
	{name: "ResourcesList", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  - Fine\n  - Other\n",
		where: "- Fine", msg: "Resources must be a mapping of logical IDs to resources"},
	{name: "ResourcesString", file: "t.json", src: `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": "none"}`,
		where: `"none"`, msg: "Resources must be a mapping"},
	{name: "NoResources", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: nothing\n",
		where: "AWSTemplateFormatVersion", msg: "the template has no Resources section"},
	{name: "ResourceWithoutType", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + fineBucket + "  NoType:\n    Properties: {BucketName: x}\n",
		where: "Properties: {BucketName: x}", msg: "resource NoType has no Type", restLoads: true},
	{name: "ResourceNotMapping", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + fineBucket + "  Scalar: 5\n",
		where: "5\n", msg: "resource Scalar must be a mapping with a Type", restLoads: true},
	{name: "PropertiesNotMapping", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + fineBucket + "  B:\n    Type: AWS::S3::Bucket\n    Properties: [a]\n",
		where: "[a]", msg: "Properties of B must be a mapping", restLoads: true},
	{name: "MalformedJSON", file: "t.json", src: `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Fine": {"Type": "AWS::S3::Bucket",}}}`,
		where: `}}}`, msg: "unexpected '}', expected a string key"},
	{name: "MalformedJSONUnterminated", file: "t.json", src: "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}, \"Description\": \"open\n",
		where: "\n", msg: "control character 0x0a in string"},
	{name: "MalformedJSONTruncated", file: "t.json", src: `{"Resources": {"B": {"Type": "AWS::S3::Bucket"`,
		where: "END", msg: "unexpected end of input, expected ',' or '}'"},
	{name: "YAMLInvalidUTF8", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + fineBucket + "  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: \"a\xffb\"}\n",
		where: "\xffb", msg: "YAML: invalid leading UTF-8 octet (byte 0xff)"},
	{name: "YAMLControlCharacter", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + fineBucket + "  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: \"\u00e9\x00b\"}\n",
		where: "\x00b", msg: "YAML: control characters are not allowed (U+0000)"},
	{name: "YAMLTabIndent", file: "t.yaml", src: "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n  \tType: AWS::S3::Bucket\n",
		where: "\tType", msg: "YAML: found character that cannot start any token (a tab: YAML indents with spaces only)"},
	{name: "JSONTemplateExtension", file: "stack.template", src: "{\"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {]}\n",
		where: "]}", msg: "unexpected ']', expected a string key"},
}

func TestErrors(t *testing.T) {
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) {
			l := load(t, tree{c.file: c.src, "other/ok.yaml": yamlBucket("other-file")})
			want := c.file
			switch {
			case c.where == "END":
				want += ":" + offPos(c.src, len(c.src))
			case len(c.where) > 2 && c.where[1] == ':' && c.where[0] >= '0' && c.where[0] <= '9':
				n, _ := strconv.Atoi(c.where[:1])
				want += ":" + strings.Split(span(t, c.src, c.where[2:], n), "-")[0]
			default:
				want += ":" + startOf(t, c.src, c.where)
			}
			l.wantError(want, c.msg)
			for _, d := range l.Diagnostics {
				if strings.Contains(d.Message, "internal error") {
					t.Errorf("panic: %s", d.Message)
				}
			}
			names := strings.Join(l.bucketNames(), " ")
			if !strings.Contains(names, "other-file") {
				t.Errorf("the other file was not loaded: %v", names)
			}
			if c.restLoads && !strings.Contains(names, "fine") {
				t.Errorf("the rest of the template was not loaded: %v\n%s", names, l.dump())
			}
		})
	}
}

// Each defect is reported once, even when the value is evaluated several
// times (bucket name, ARN, every branch of a condition).
func TestErrorsReportedOnce(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref Nowhere
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: !If [IsProd, Allow, Deny]
            Action: s3:GetObject
            Resource: !GetAtt Missing.Arn
`
	l := load(t, tree{"t.yaml": src})
	eq(t, "diagnostics", l.diags(), []string{
		"error t.yaml:" + startOf(t, src, "!Ref Nowhere") + ": Ref to Nowhere, which is neither a parameter nor a resource of this template",
		"error t.yaml:" + startOf(t, src, "!GetAtt Missing.Arn") + ": Fn::GetAtt of Missing, which is not a resource of this template",
	})
	if n := len(l.policies("P")); n != 2 {
		t.Errorf("%d variants of P, want 2", n)
	}
}

// yaml.v3 reports syntax errors by line only: the diagnostic is at the
// start of that line, and its message is yaml.v3's.
func TestMalformedYAML(t *testing.T) {
	sources := map[string]string{
		"indent.yaml":   "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: {}\n",
		"flow.yaml":     "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B: {Type: AWS::S3::Bucket\n  C: x\n",
		"quote.yml":     "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: \"unterminated\n",
		"tab.template":  "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n\tB: x\n",
		"mapping.yaml":  "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: a: b\n",
		"ok/fine.yaml":  yamlBucket("fine"),
		"ok/other.json": jsonBucket("other"),
	}
	l := load(t, tree(sources))
	eq(t, "buckets", l.bucketNames(), []string{"fine", "other"})
	lineRE := regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	for name, src := range sources {
		if strings.HasPrefix(name, "ok/") {
			continue
		}
		var n yaml.Node
		err := yaml.Unmarshal([]byte(src), &n)
		if err == nil {
			t.Fatalf("%s: yaml.v3 accepts it", name)
		}
		m := lineRE.FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("%s: yaml.v3 error without a line: %v", name, err)
		}
		l.wantError(name+":"+m[1]+":1", "YAML: "+m[2])
	}
	if len(l.Diagnostics) != 5 {
		t.Errorf("diagnostics:\n%s", strings.Join(l.diags(), "\n"))
	}
}

// An alias to an anchor that does not exist is malformed YAML like any
// other, so it should be reported with a line.
func TestUnknownAnchor(t *testing.T) {
	src := "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: *nowhere}\n"
	l := load(t, tree{"t.yaml": src})
	if len(l.Diagnostics) != 1 || l.Diagnostics[0].Severity != graph.DiagError || l.rel(l.Diagnostics[0].File) != "t.yaml" ||
		!strings.Contains(l.Diagnostics[0].Message, "unknown anchor 'nowhere'") {
		t.Fatalf("diagnostics: %v", l.diags())
	}
	is(t, "position", pos(l.Diagnostics[0].Range), at(t, src, "*nowhere"))
}

// A billion-laughs alias bomb must end quickly with an error, and the other
// files must still load.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	b.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *a9\n")
	// The same bomb through merge keys.
	var m strings.Builder
	m.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&m, "  m%d: &m%d {", i, i)
		for k := range 10 {
			fmt.Fprintf(&m, "k%d: *m%d, ", k, i-1)
		}
		m.WriteString("x: 0}\n")
	}
	m.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      <<: *m9\n")
	start := time.Now()
	l := load(t, tree{"bomb.yaml": b.String(), "merge-bomb.yaml": m.String(), "ok.yaml": yamlBucket("fine")})
	limit := 5 * time.Second
	if raceEnabled {
		limit = 90 * time.Second
	}
	if d := time.Since(start); d > limit {
		t.Errorf("the alias bombs took %v", d)
	}
	// At the alias whose expansion ran out of nodes: here the 8th *a4, in a5.
	l.wantError("bomb.yaml:"+strings.Split(span(t, b.String(), "*a4", 8), "-")[0], "alias *a4 expands the document to more than a million nodes (an alias bomb?); not read")
	l.wantError("merge-bomb.yaml:"+strings.Split(span(t, m.String(), "*m4", 7), "-")[0], "alias *m4 expands the document to more than a million nodes")
	eq(t, "buckets", l.bucketNames(), []string{"fine"})
}

// Deep nesting past --max-nesting is an error in JSON and YAML, at the
// first value past the limit; nothing overflows the stack, and an
// intrinsic nested beyond the evaluator's depth (but within the limit) is
// unknown.
func TestDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	jsrc := `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "Metadata": ` + deep + "}"
	deepObj := strings.Repeat(`{"a": `, 10000) + "1" + strings.Repeat("}", 10000)
	osrc := `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Metadata": ` + deepObj + "}}}"
	ysrc := "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Deep:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: deep-yaml}\n    Metadata: " + deep + "\n"
	// Block nesting, each level a mapping one space deeper.
	var block strings.Builder
	block.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n")
	for i := range 300 {
		fmt.Fprintf(&block, "%sk:\n", strings.Repeat(" ", i+1))
	}
	block.WriteString("Resources:\n  B: {Type: AWS::S3::Bucket}\n")
	// 100 levels of !Select [0, [ are 200 of YAML, within the limit, and
	// more than the evaluator follows.
	psrc := "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: " +
		strings.Repeat("!Select [0, [", 100) + "x" + strings.Repeat("]]", 100) + "\n"
	// Unrelated deep YAML is not a template: no error.
	files := tree{"deep.json": jsrc, "deep-object.json": osrc, "deep.yaml": ysrc, "block.yaml": block.String(), "policy.yaml": psrc,
		"data.yaml": deep, "ok.yaml": yamlBucket("fine")}
	l := load(t, files)
	const msg = "nesting deeper than 256 levels (--max-nesting); the file is not read"
	// Metadata is at level 1: its 256th [ is the last allowed, and the
	// first value past the limit is the 257th.
	l.wantError("deep.json:1:"+strconv.Itoa(strings.Index(jsrc, "[")+257), msg)
	l.wantError("deep-object.json:1:"+strconv.Itoa(strings.Index(osrc, `{"a"`)+6*254+1), msg)
	// The root, Resources and Deep are three levels: the 254th [ is past.
	l.wantError("deep.yaml:6:"+strconv.Itoa(len("    Metadata: ")+254), msg)
	l.wantError("block.yaml:258:257", msg)
	eq(t, "buckets", l.bucketNames(), []string{"fine"})
	for _, d := range l.Diagnostics {
		if strings.Contains(d.Message, "internal error") || strings.Contains(d.File, "data.yaml") {
			t.Errorf("unexpected: %s %s", d.File, d.Message)
		}
	}
	if p := l.policies("P"); len(p) != 1 || p[0].Doc == nil || len(p[0].Doc.Statements) != 1 {
		t.Errorf("the deep policy was not loaded:\n%s", l.dump())
	}
	// With the limit raised, yaml.v3's own bound of 10 000 levels is the
	// one that holds, and everything loads.
	l = load(t, files, func(_ string, o *cloudformation.Options) { o.Limits.MaxNesting = 20000 })
	eq(t, "buckets", l.bucketNames(), []string{"", "", "", "deep-yaml", "fine"})
	if len(l.Diagnostics) != 0 {
		t.Errorf("diagnostics with --max-nesting 20000:\n  %s", strings.Join(l.diags(), "\n  "))
	}
}

// Names that refer to each other through resources that are not circular
// must still be evaluated in linear time: each name may be referred to many
// times, and the evaluator recomputes it every time.
func TestNameReferencesDoNotExplode(t *testing.T) {
	// B0's name needs B1's twice, B1's needs B2's twice, …: 2^n evaluations
	// without memoisation. 40 levels is a 5 kB template.
	const n = 40
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n")
	for i := range n {
		fmt.Fprintf(&b, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Select [0, [!Ref B%d, !Ref B%d]]\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: leaf\n", n)
	done := make(chan *loaded, 1)
	go func() { done <- load(t, tree{"t.yaml": b.String()}) }()
	select {
	case l := <-done:
		is(t, "B0", l.bucket("B0").Name.V, "leaf")
	case <-time.After(10 * time.Second):
		t.Fatalf("a %d-resource template did not load in 10s", n+1)
	}
}

// Every Ref, Fn::GetAtt and function of a template should be checked, not
// only those in the properties the loader reads: CloudFormation rejects the
// template either way.
func TestUndefinedReferencesInUnreadProperties(t *testing.T) {
	src := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: b
      Tags:
        - {Key: owner, Value: !Ref Nowhere}
  Q:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !GetAtt MissingKey.Arn
Outputs:
  Out:
    Value: {Fn::Frobnicate: x}
`
	l := load(t, tree{"t.yaml": src})
	want := []string{
		"error t.yaml:" + startOf(t, src, "!Ref Nowhere") + ": Ref to Nowhere, which is neither a parameter nor a resource of this template",
		"error t.yaml:" + startOf(t, src, "!GetAtt MissingKey.Arn") + ": Fn::GetAtt of MissingKey, which is not a resource of this template",
		"error t.yaml:" + startOf(t, src, "{Fn::Frobnicate: x}") + ": unrecognised intrinsic function Fn::Frobnicate",
	}
	eq(t, "diagnostics", l.diags(), want)
}

// An undefined condition used by Fn::If in a policy is one defect: it
// should be reported once, at the Fn::If.
func TestUndefinedConditionReportedOnce(t *testing.T) {
	src := "Resources:\n" + policyResource("!If [Nowhere, arn:aws:s3:::a, arn:aws:s3:::b]")
	l := load(t, tree{"t.yaml": src})
	want := []string{"error t.yaml:" + startOf(t, src, "!If [Nowhere") + ": condition Nowhere is not defined in Conditions"}
	eq(t, "diagnostics", l.diags(), want)
}

// A second YAML document is a warning at its first line; the first is read,
// and a "---" before the only document, or an empty second one, is not a
// second document.
func TestSecondYAMLDocument(t *testing.T) {
	src := "---\n" + yamlBucket("first") + "---\n# nothing\n---\n" + yamlBucket("second")
	l := load(t, tree{"t.yaml": src, "one.yaml": "---\n" + yamlBucket("only") + "---\n"})
	line := strings.Count(src[:strings.LastIndex(src, "---\n")+4], "\n") + 1
	eq(t, "diagnostics", l.diags(), []string{
		fmt.Sprintf("warning t.yaml:%d:1: a second YAML document starts here; a template is one document, and s3lint reads only the first", line),
	})
	eq(t, "buckets", l.bucketNames(), []string{"first", "only"})
}
