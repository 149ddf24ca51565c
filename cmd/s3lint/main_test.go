package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/internal/golden"
	"github.com/s3lint/s3lint/internal/sarifschema"
	"github.com/s3lint/s3lint/report"
	"github.com/s3lint/s3lint/rules"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// cli runs the whole command line in process.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got), *update, "go test ./cmd/s3lint -update")
}

func TestScanExamples(t *testing.T) {
	code, out, errOut := cli(t, "scan", "../../examples")
	if code != exitFindings {
		t.Errorf("exit code %d, want %d\nstderr: %s", code, exitFindings, errOut)
	}
	for _, want := range []string{
		"../../examples/terraform/envs/prod/main.tf:51:20: error S3L010 s3:PutObject and s3:AbortMultipartUpload",
		"../../examples/terraform/envs/prod/main.tf:56:38: warning S3L013 s3:ListObjectsV2",
		"../../examples/terraform/envs/prod/main.tf:76:13: error S3L010 s3:GetObject",
		"../../examples/terraform/envs/prod/main.tf:77:13: error S3L011 s3:ListBucket",
		"../../examples/cloudformation/reports.yaml:60:29: error S3L010 s3:DeleteObject",
		"[EtlRole]",
		"../../examples/cloudformation/thumbnails.yaml:23:23: warning S3L013 s3:HeadObject",
		"../../examples/terraform/cross-account/main.tf:15:3: error S3L081 the key policy of aws_kms_key.data admits neither aws_iam_role.reader",
		"../../examples/terraform/cross-account/main.tf:102:19: error S3L080 aws_iam_role.archiver is granted s3:PutObject",
		"../../examples/.s3lint.yaml:13:11: error S3L100 expectation broken: aws_iam_role.etl is expected to write objects of module.exports.aws_s3_bucket.this",
		"../../examples/terraform/envs/prod/logging.tf:46:15: error S3L032 access logs of aws_lb.public",
		"the bucket policy grants the ELB account of another region, 127311923021 (us-east-1), but the load balancer deploys to eu-west-1, whose ELB account is 156460612806",
		"10 findings (8 errors, 2 warnings) in 6 files",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("unexpected stderr: %s", errOut)
	}
}

// TestFormats pins the exact output of each format for a small project.
func TestFormats(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := cli(t, "scan", "--format", format, "testdata/project")
			if code != exitFindings {
				t.Errorf("exit code %d, want %d", code, exitFindings)
			}
			checkGolden(t, "project."+format+".golden", out)
			if !strings.Contains(errOut, "terraform-aws-modules/s3-bucket/aws") || !strings.Contains(errOut, "note:") {
				t.Errorf("the registry module note is missing from stderr: %q", errOut)
			}
			if format == "sarif" {
				if err := sarifschema.Validate([]byte(out)); err != nil {
					t.Errorf("SARIF output is not valid: %v", err)
				}
			}
		})
	}
}

// TestSARIFExamples validates the SARIF written for the bundled examples and
// checks that it carries no absolute path.
func TestSARIFExamples(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.sarif")
	code, stdout, _ := cli(t, "scan", "--format", "sarif", "--output", out, "../../examples")
	if code != exitFindings {
		t.Errorf("exit code %d, want %d", code, exitFindings)
	}
	if stdout != "" {
		t.Errorf("with --output, stdout should be empty, got %q", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifschema.Validate(data); err != nil {
		t.Fatalf("invalid SARIF: %v", err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 || len(doc.Runs[0].Results) != 10 {
		t.Fatalf("want 1 run with 10 results, got %+v", doc)
	}
	for _, r := range doc.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if !strings.HasPrefix(loc.URI, "examples/") || filepath.IsAbs(loc.URI) || loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: uri %q base %q, want the repository-relative path under %%SRCROOT%%", r.RuleID, loc.URI, loc.URIBaseID)
		}
		if r.PartialFingerprints["primaryLocationLineHash"] == "" {
			t.Errorf("%s: no primaryLocationLineHash", r.RuleID)
		}
	}
	wd, _ := os.Getwd()
	if bytes.Contains(data, []byte(filepath.Dir(filepath.Dir(wd)))) && !bytes.Contains(data, []byte(`"%SRCROOT%": {`)) {
		t.Error("SARIF contains an absolute path")
	}
}

// TestFingerprintsSurviveEdits: adding lines above a finding moves it but
// keeps its fingerprint.
func TestFingerprintsSurviveEdits(t *testing.T) {
	src, err := os.ReadFile("testdata/project/app/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fingerprints := func(content string) []string {
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, out, _ := cli(t, "scan", "--format", "json", dir)
		var rep report.JSONReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var fps []string
		for _, f := range rep.Findings {
			fps = append(fps, f.Rule+" "+f.Fingerprint)
		}
		return fps
	}
	before := fingerprints(string(src))
	after := fingerprints("# a comment\n\nlocals {\n  unrelated = 1\n}\n" + string(src))
	if len(before) == 0 || strings.Join(before, ",") != strings.Join(after, ",") {
		t.Errorf("fingerprints changed after an unrelated edit:\nbefore %v\nafter  %v", before, after)
	}
}

// TestParseErrorContinues: a file that does not parse is an input error
// (exit 2, file:line:col on stderr), and the other modules are still
// reported.
func TestParseErrorContinues(t *testing.T) {
	code, out, errOut := cli(t, "scan", "testdata/broken")
	if code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	if !strings.Contains(errOut, "testdata/broken/bad/main.tf:4:1: error: Missing expression") {
		t.Errorf("stderr lacks the parse error with its position: %q", errOut)
	}
	if !strings.Contains(out, "testdata/broken/good/main.tf:4:") || !strings.Contains(out, "S3L010") {
		t.Errorf("the finding in the good module is missing: %q", out)
	}
}

func TestFailOn(t *testing.T) {
	for _, tc := range []struct {
		failOn string
		want   int
	}{
		{"warning", exitFindings},
		{"note", exitFindings},
		{"error", exitOK},
		{"none", exitOK},
	} {
		code, out, _ := cli(t, "scan", "--fail-on", tc.failOn, "testdata/warn")
		if code != tc.want {
			t.Errorf("--fail-on %s: exit code %d, want %d", tc.failOn, code, tc.want)
		}
		if !strings.Contains(out, "warning S3L010") {
			t.Errorf("--fail-on %s: the warning is not reported: %q", tc.failOn, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"scan", "--format", "xml", "testdata/warn"},
		{"scan", "--fail-on", "fatal", "testdata/warn"},
		{"scan", "--var", "novalue", "testdata/warn"},
		{"scan", "--no-such-flag"},
		{"rules", "S3L999"},
		{"frobnicate"},
	} {
		if code, _, errOut := cli(t, args...); code != exitError || errOut == "" {
			t.Errorf("%v: exit code %d (want %d) with stderr %q", args, code, exitError, errOut)
		}
	}
}

func TestMissingPath(t *testing.T) {
	code, _, errOut := cli(t, "scan", "testdata/does-not-exist")
	if code != exitError || !strings.Contains(errOut, "testdata/does-not-exist") {
		t.Errorf("exit code %d, stderr %q: want 2 naming the path", code, errOut)
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := cli(t, "rules")
	if code != exitOK {
		t.Fatalf("exit code %d", code)
	}
	for _, r := range rules.All() {
		m := r.Meta()
		if !strings.Contains(out, m.ID) || !strings.Contains(out, m.Name) {
			t.Errorf("rules output lacks %s %s", m.ID, m.Name)
		}
	}
	code, out, _ = cli(t, "rules", "object-action-on-bucket-arn")
	if code != exitOK || !strings.Contains(out, "S3L010") || !strings.Contains(out, "Bad:") {
		t.Errorf("rules S3L010: exit %d, output %q", code, out)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := cli(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "s3lint ") {
		t.Errorf("version: exit %d, output %q", code, out)
	}
}

func TestVarsFlags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.tf", `
variable "bucket" {
  type = string
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.bucket}" }] })
}
`)
	write("other.tfvars", `bucket = "from-var-file"`)
	// Unknown variable: silent.
	if code, out, _ := cli(t, "scan", dir); code != exitOK {
		t.Errorf("without a value: exit %d, output %q", code, out)
	}
	if code, out, _ := cli(t, "scan", "--var-file", filepath.Join(dir, "other.tfvars"), dir); code != exitFindings || !strings.Contains(out, "from-var-file") {
		t.Errorf("--var-file: exit %d, output %q", code, out)
	}
	if code, out, _ := cli(t, "scan", "--var-file", filepath.Join(dir, "other.tfvars"), "--var", "bucket=from-var", dir); code != exitFindings || !strings.Contains(out, "arn:aws:s3:::from-var,") {
		t.Errorf("--var after --var-file: exit %d, output %q", code, out)
	}
}

// TestCloudFormation: templates are scanned beside Terraform; a broken
// template is an input error with its position while the others are still
// reported; a broken file that is not a template is left alone; parameter
// files supply values.
func TestCloudFormation(t *testing.T) {
	code, out, errOut := cli(t, "scan", "testdata/cfn")
	if code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	if !strings.Contains(errOut, "testdata/cfn/broken.yaml:5:1: error: YAML:") {
		t.Errorf("stderr lacks the YAML error with its line: %q", errOut)
	}
	if strings.Contains(errOut, "k8s.yaml") {
		t.Errorf("a broken file that is not a template was reported: %q", errOut)
	}
	if !strings.Contains(out, "no findings") {
		t.Errorf("without parameters the bucket is unknown and nothing is reported: %q", out)
	}
	_, out, _ = cli(t, "scan", "--parameters", "testdata/cfn/params.json", "testdata/cfn")
	if !strings.Contains(out, "testdata/cfn/stack.yaml:13:23: error S3L010") || !strings.Contains(out, "arn:aws:s3:::acme-from-params") ||
		!strings.Contains(out, "[Reader]") {
		t.Errorf("with parameters the defect is found: %q", out)
	}
	code, _, errOut = cli(t, "scan", "--parameters", "testdata/cfn/missing.json", "testdata/cfn/stack.yaml")
	if code != exitError || !strings.Contains(errOut, "missing.json") {
		t.Errorf("a missing parameters file: exit %d, stderr %q", code, errOut)
	}
}

// TestPlanErrors: a truncated plan is an input error with its position.
func TestPlanErrors(t *testing.T) {
	code, _, errOut := cli(t, "scan", "testdata/plans")
	if code != exitError || !strings.Contains(errOut, "testdata/plans/truncated.json:3:1: error: this Terraform plan is not valid JSON: unexpected end of input") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestExplain pins explain's answer, trace and exit code for requests
// across two accounts and an SSE-KMS bucket.
func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"cross-account-kms", []string{"-p", "aws_iam_role.reader", "-a", "s3:GetObject", "-r", "aws_s3_bucket.data/reports/2026.csv"}, exitFindings},
		{"cross-account-list", []string{"-p", "arn:aws:iam::222222222222:role/reader", "-a", "s3:ListBucket", "-r", "arn:aws:s3:::acme-shared-data"}, exitOK},
		{"unknown-prefix", []string{"-p", "aws_iam_role.archiver", "-a", "s3:PutObject", "-r", "aws_s3_bucket.data/tmp/x"}, exitFindings},
		{"plain-http", []string{"-p", "aws_iam_role.archiver", "-a", "s3:PutObject", "-r", "aws_s3_bucket.data/archive/x", "--context", "aws:SecureTransport=false"}, exitFindings},
		{"anonymous", []string{"-p", "anonymous", "-a", "s3:GetObject", "-r", "aws_s3_bucket.data/archive/x"}, exitFindings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"text", "json"} {
				args := append([]string{"explain", "--format", format}, tc.args...)
				args = append(args, "../../examples/terraform/cross-account")
				code, out, errOut := cli(t, args...)
				if code != tc.code {
					t.Errorf("%s: exit code %d, want %d; stderr: %s", format, code, tc.code, errOut)
				}
				checkGolden(t, "explain/"+tc.name+"."+format+".golden", out)
			}
		})
	}
}

// TestExplainAWSManagedKey: the aws/s3 key across accounts is a DENY that
// no Deny statement writes (JSON keeps EXPLICIT DENY); a service with aws/s3
// is UNKNOWN (AWS does not document it); and where the accounts are not
// known but both sides allow, the accounts step says why that is enough.
func TestExplainAWSManagedKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"awss3-cross-account", []string{"-p", "arn:aws:iam::222222222222:root", "-a", "s3:GetObject", "-r", "aws_s3_bucket.shared/k"}, exitFindings},
		{"awss3-service", []string{"-p", "cloudtrail.amazonaws.com", "-a", "s3:PutObject", "-r", "aws_s3_bucket.shared/AWSLogs/x"}, exitUnknown},
		{"accounts-unknown", []string{"-p", "arn:aws:iam::333333333333:root", "-a", "s3:GetObject", "-r", "aws_s3_bucket.elsewhere/k"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"text", "json"} {
				args := append(append([]string{"explain", "--format", format}, tc.args...), "testdata/awss3")
				code, out, errOut := cli(t, args...)
				if code != tc.code {
					t.Errorf("%s: exit code %d, want %d; stderr: %s", format, code, tc.code, errOut)
				}
				checkGolden(t, "explain/"+tc.name+"."+format+".golden", out)
			}
		})
	}
}

// TestExplainObjectEncryption: on a bucket that encrypts with KMS by
// default, an object uploaded with SSE-S3, and an upload asking for SSE-S3,
// need no key; other objects do, and anonymous callers cannot use one.
func TestExplainObjectEncryption(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"kmssite-sse-s3-object", []string{"-p", "anonymous", "-a", "s3:GetObject", "-r", "aws_s3_bucket.site/index.html"}, exitOK},
		{"kmssite-kms-object", []string{"-p", "anonymous", "-a", "s3:GetObject", "-r", "aws_s3_bucket.site/other.html"}, exitFindings},
		{"kmssite-sse-s3-upload", []string{"-p", "anonymous", "-a", "s3:PutObject", "-r", "aws_s3_bucket.site/new.html", "--context", "s3:x-amz-server-side-encryption=AES256"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"explain"}, tc.args...), "testdata/kmssite")
			code, out, errOut := cli(t, args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			checkGolden(t, "explain/"+tc.name+".text.golden", out)
		})
	}
}

// TestAccessAccountGrants: a bucket policy's grant to a whole account is a
// row of the account's root user.
func TestAccessAccountGrants(t *testing.T) {
	code, out, errOut := cli(t, "access", "testdata/awss3")
	if code != exitOK {
		t.Errorf("exit code %d; stderr: %s", code, errOut)
	}
	checkGolden(t, "explain/access-accounts.text.golden", out)
}

func TestExplainUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-a", "s3:GetObject", "-r", "arn:aws:s3:::b/k"}, "--principal is required"},
		{[]string{"-p", "aws_iam_role.nobody", "-a", "s3:GetObject", "-r", "arn:aws:s3:::b/k"}, `--principal: "aws_iam_role.nobody" is neither a role or user of the configuration`},
		{[]string{"-p", "aws_iam_roles.reader", "-a", "s3:GetObject", "-r", "arn:aws:s3:::b/k"}, "did you mean aws_iam_role.reader?"},
		{[]string{"-p", "aws_iam_role.reader", "-a", "s3:GetObjekt", "-r", "arn:aws:s3:::b/k"}, "did you mean s3:GetObject?"},
		{[]string{"-p", "aws_iam_role.reader", "-a", "s3express:CreateSession", "-r", "arn:aws:s3:::b/k"}, "s3express requests are authorized under rules s3lint does not model"},
		{[]string{"-p", "aws_iam_role.reader", "-a", "s3:GetObject", "-r", "aws_s3_bucket.nothing"}, `--resource: "aws_s3_bucket.nothing" is not a bucket of the configuration`},
		{[]string{"-p", "aws_iam_role.reader", "-a", "s3:GetObject", "-r", "arn:aws:s3:::b/k", "--endpoint", "aws_vpc_endpoint.s3"}, `--endpoint: "aws_vpc_endpoint.s3" is not a VPC endpoint`},
		{[]string{"-p", "aws_iam_role.reader", "-a", "s3:GetObject", "-r", "arn:aws:s3:::b/k", "--context", "novalue"}, `--context "novalue": want KEY=VALUE`},
	} {
		args := append(append([]string{"explain"}, tc.args...), "../../examples/terraform/cross-account")
		code, out, errOut := cli(t, args...)
		if code != exitError || !strings.Contains(errOut, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

func TestAccess(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		code, out, errOut := cli(t, "access", "--format", format, "../../examples/terraform/cross-account")
		if code != exitOK || errOut != "" {
			t.Errorf("%s: exit %d, stderr %q", format, code, errOut)
		}
		checkGolden(t, "explain/access."+format+".golden", out)
	}
}

// TestAccessSuggest: the suggested expectations are a golden, and pasted
// into .s3lint.yaml they all hold: a scan of the same configuration
// reports no S3L100.
func TestAccessSuggest(t *testing.T) {
	code, out, errOut := cli(t, "access", "--suggest", "../../examples")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	checkGolden(t, "explain/access-suggest.yaml.golden", out)
	cfg := filepath.Join(t.TempDir(), ".s3lint.yaml")
	if err := os.WriteFile(cfg, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	_, rep, errOut := cli(t, "scan", "--config", cfg, "--format", "json", "../../examples")
	if strings.Contains(rep, `"rule": "S3L100"`) || strings.Contains(errOut, "error") {
		t.Errorf("the suggestions do not all hold, or the configuration is refused:\n%s\n%s", errOut, rep)
	}
	if !strings.Contains(out, "public: false") || !strings.Contains(out, "can: [") {
		t.Errorf("the suggestions are trivial:\n%s", out)
	}
}

// TestREADMEExplainExample keeps the explain example in the README true.
func TestREADMEExplainExample(t *testing.T) {
	_, out, _ := cli(t, "explain", "-p", "aws_iam_role.reader", "-a", "s3:GetObject", "-r", "aws_s3_bucket.data/reports/2026.csv", "../../examples/terraform/cross-account")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	out = strings.ReplaceAll(out, "../../examples/", "examples/")
	if !strings.Contains(string(readme), out) {
		t.Errorf("README.md's explain example is out of date; it should read:\n%s", out)
	}
}

// TestExplainEndpoint: a bucket policy that admits only the VPC endpoint the
// configuration creates, asked through that endpoint, from the Internet, and
// without saying.
func TestExplainEndpoint(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		want  string
		code  int
	}{
		{[]string{"--endpoint", "aws_vpc_endpoint.s3"}, "decision: ALLOW", exitOK},
		{[]string{"--internet"}, "decision: EXPLICIT DENY", exitFindings},
		{nil, "decision: UNKNOWN — depends on the value of aws:SourceVpce", exitUnknown},
	} {
		args := append([]string{"explain", "-p", "aws_iam_role.app", "-a", "s3:GetObject", "-r", "aws_s3_bucket.private/k"}, tc.flags...)
		code, out, errOut := cli(t, append(args, "testdata/vpce")...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, want %d and %q:\n%s%s", tc.flags, code, tc.code, tc.want, out, errOut)
		}
	}
}
