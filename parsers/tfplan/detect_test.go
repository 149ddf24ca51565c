package tfplan_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/tfplan"
)

// A plan is recognised by what it holds, whatever the file is called.
func TestDetectByContent(t *testing.T) {
	validJSON(t, "fixedPlan", fixedPlan)
	validJSON(t, "stateJSON", stateJSON)
	for _, name := range []string{
		"plan.json",
		"x.json",
		"tfplan.json",
		"PLAN.JSON",
		"deep/er/terraform-plan.json",
		"out.plan.json",
	} {
		t.Run(name, func(t *testing.T) {
			l := load(t, tree{name: fixedPlan})
			b := l.bucket("aws_s3_bucket.fixed")
			if !b.Name.Is("fixed-bucket") || b.Format != graph.TerraformPlan {
				t.Errorf("bucket = %s (%v)", sv(b.Name), b.Format)
			}
			if want := filepath.ToSlash(filepath.Dir(filepath.Join(l.dir, name))); b.Root != want {
				t.Errorf("Root = %q, want the plan's directory %q", b.Root, want)
			}
			if len(l.Diagnostics) != 0 {
				t.Errorf("diagnostics: %v", l.diags())
			}
		})
	}
}

// A plan given by its path is read, as is a plan in a directory.
func TestDetectExplicitFile(t *testing.T) {
	dir := writeTree(t, tree{"a/plan.json": fixedPlan, "b/other.json": strings.ReplaceAll(fixedPlan, "fixed-bucket", "other-bucket")})
	l := loadPaths(t, dir, nil, filepath.Join(dir, "a", "plan.json"))
	if len(l.Buckets) != 1 || !l.Buckets[0].Name.Is("fixed-bucket") {
		t.Fatalf("buckets: %v", l.addresses())
	}
	if l.Buckets[0].Root != dir+"/a" {
		t.Errorf("Root = %q", l.Buckets[0].Root)
	}
	// The same file twice (by path and through its directory) loads once.
	l = loadPaths(t, dir, nil, filepath.Join(dir, "a", "plan.json"), filepath.Join(dir, "a"), dir+"/a/")
	if len(l.Buckets) != 1 {
		t.Errorf("a file named twice loads twice: %v", l.addresses())
	}
	// A path that does not exist is the Terraform loader's to report.
	l = loadPaths(t, dir, nil, filepath.Join(dir, "missing.json"), filepath.Join(dir, "b"))
	if len(l.Buckets) != 1 || len(l.Diagnostics) != 0 {
		t.Errorf("buckets %v, diagnostics %v", l.addresses(), l.diags())
	}
}

// The issue: "Recognise terraform show -json output by content (format_version
// with planned_values or values), whatever the file is called." A plan saved
// without the .json extension (`terraform show -json tfplan > tfplan`, or a
// CI artifact called plan.out) is ignored.
func TestDetectWithoutJSONExtension(t *testing.T) {
	for _, name := range []string{"tfplan", "plan.out", "plan.tfplan"} {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, tree{name: fixedPlan})
			for _, path := range []string{dir, filepath.Join(dir, name)} {
				l := loadPaths(t, dir, nil, path)
				if len(l.Buckets) != 1 {
					t.Errorf("scan of %s: plan %s not loaded", path, name)
				}
			}
		})
	}
}

// A binary plan file (a zip) with no extension is not JSON at all and must
// never produce a diagnostic, whatever the walk decides about names.
func TestBinaryPlanIgnored(t *testing.T) {
	zip := "PK\x03\x04\x14\x00\x08\x00\x08\x00\x00\x00tfplan\xed\x9c\x7b\x70\x1c\xd5\x75\xc6\xef\xec\xae\xa4PK\x01\x02"
	l := load(t, tree{"tfplan": zip, "plan.bin": zip, "fixed.json": fixedPlan})
	if len(l.Diagnostics) != 0 || len(l.Buckets) != 1 {
		t.Errorf("diagnostics %v, buckets %v", l.diags(), l.addresses())
	}
}

// A state (values only) is read like a plan.
func TestDetectState(t *testing.T) {
	l := load(t, tree{"terraform.tfstate.json": stateJSON})
	if len(l.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", l.diags())
	}
	b := l.bucket("aws_s3_bucket.state")
	if !b.Name.Is("acme-state") || !b.ARN.Is("arn:aws:s3:::acme-state") {
		t.Errorf("bucket %s %s", sv(b.Name), sv(b.ARN))
	}
	if len(b.Policies) != 0 || len(l.policies("aws_s3_bucket.state")) != 0 {
		t.Errorf("an empty policy string is no policy")
	}
	r := l.principal("aws_iam_role.state")
	// The caller identity in the state gives the provider's account.
	if r.Account != "222233334444" || !r.ARN.Is("arn:aws:iam::222233334444:role/state-role") {
		t.Errorf("role account %q ARN %s", r.Account, sv(r.ARN))
	}
	if r.Trust == nil || r.Trust.Doc == nil || len(r.Trust.Doc.Statements) != 1 {
		t.Fatalf("trust policy not read")
	}
}

// The issue recognises a state by format_version and values; terraform_version
// is not required.
func TestDetectStateWithoutTerraformVersion(t *testing.T) {
	src := `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_s3_bucket.s","mode":"managed","type":"aws_s3_bucket","name":"s","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"acme-no-version"},"sensitive_values":{}}]}}}`
	validJSON(t, "state", src)
	l := load(t, tree{"state.json": src})
	if len(l.Buckets) != 1 {
		t.Errorf("state with format_version and values not loaded: %v", l.diags())
	}
}

// An empty state ({"format_version":"1.0"}, what `terraform show -json` prints
// before the first apply) and a plan with nothing to do load nothing, quietly.
func TestEmptyPlanAndState(t *testing.T) {
	l := load(t, tree{
		"empty-state.json":  `{"format_version":"1.0"}`,
		"empty-state2.json": `{"format_version":"1.0","terraform_version":"1.9.5"}`,
		"noop.json":         `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"configuration":{"root_module":{}},"timestamp":"2026-11-28T10:00:00Z","applyable":false,"complete":true,"errored":false}`,
		"nullvalues.json":   `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":null}`,
		"state-empty.json":  `{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`,
	})
	if len(l.Diagnostics) != 0 || len(l.addresses()) != 0 {
		t.Errorf("diagnostics %v, entities %v", l.diags(), l.addresses())
	}
}

// JSON that is not a plan is left alone, silently, even when it is broken.
func TestOtherJSONIgnored(t *testing.T) {
	files := tree{
		"package.json":        `{"name": "app", "version": "1.0.0", "scripts": {"build": "tsc"}}`,
		"broken/package.json": `{"name": "app", "version": `,
		"tsconfig.json":       `{"compilerOptions": {"strict": true}} // comment`,
		"cfn/template.json": `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket",
			"Properties": {"BucketName": "cfn-bucket"}}}}`,
		"main.tf.json":          `{"resource": {"aws_s3_bucket": {"b": {"bucket": "tf-json-bucket"}}}}`,
		"terraform.tfvars.json": `{"format": "x", "bucket": "vars-bucket", "values": {"a": 1}, "planned_values": "no"}`,
		"policy.json":           `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`,
		"list.json":             `[{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {}}]`,
		"string.json":           `"format_version terraform_version planned_values"`,
		"empty.json":            ``,
		"schema.json":           `{"format_version": "1.0", "provider_schemas": {"registry.terraform.io/hashicorp/aws": {}}}`,
		"validate.json":         `{"format_version": "1.0", "valid": true, "error_count": 0, "warning_count": 0, "diagnostics": []}`,
		"version.json":          `{"terraform_version": "1.9.5", "platform": "linux_amd64", "provider_selections": {}, "terraform_outdated": false}`,
		"nested/format.json":    `{"meta": {"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {}}}`,
		// A plan-shaped file in a directory the walk skips.
		"node_modules/pkg/plan.json":   fixedPlan,
		".terraform/modules/plan.json": fixedPlan,
		".git/plan.json":               fixedPlan,
	}
	l := load(t, files)
	if len(l.Diagnostics) != 0 {
		t.Errorf("diagnostics for JSON that is not a plan: %v", l.diags())
	}
	if got := l.addresses(); len(got) != 0 {
		t.Errorf("entities from JSON that is not a plan: %v", got)
	}
}

// Malformed or truncated plan JSON is an error at the exact place; the
// other plans of the scan still load.
func TestMalformedPlan(t *testing.T) {
	missingComma := "{\n  \"format_version\": \"1.2\",\n  \"terraform_version\": \"1.9.5\"\n  \"planned_values\": {}\n}\n"
	truncated := fixedPlan[:strings.Index(fixedPlan, `"resource_changes"`)+30]
	trailing := fixedPlan + "\n[\"trailer\"]\n"
	badEscape := strings.Replace(fixedPlan, `"fixed-bucket", "force_destroy"`, `"fixed\x-bucket", "force_destroy"`, 1)
	control := "{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.5\",\n \"planned_values\": {\"root_module\": {\"resources\": [{\"address\": \"a\tb\"}]}}}"
	trailingComma := "{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.5\", \"planned_values\": {\"root_module\": {},},}"
	files := tree{
		"a/missing-comma.json":  missingComma,
		"b/truncated.json":      truncated,
		"c/trailing.json":       trailing,
		"d/bad-escape.json":     badEscape,
		"e/control.json":        control,
		"f/trailing-comma.json": trailingComma,
		"ok/plan.json":          fixedPlan,
	}
	l := load(t, files)
	if !l.hasBucket("aws_s3_bucket.fixed") {
		t.Errorf("the valid plan did not load beside the broken ones")
	}
	want := map[string]string{
		"a/missing-comma.json": locate(t, "a/missing-comma.json", missingComma, `"planned_values"`, 0),
		"b/truncated.json":     locate(t, "b/truncated.json", truncated+"$", "$", 0),
		"c/trailing.json":      locate(t, "c/trailing.json", trailing, `["trailer"]`, 0),
		"d/bad-escape.json":    locate(t, "d/bad-escape.json", badEscape, `x-bucket`, 0),
		"e/control.json":       locate(t, "e/control.json", control, "\t", 0),
		// The error is at the '}' after the first trailing comma.
		"f/trailing-comma.json": locate(t, "f/trailing-comma.json", trailingComma, "}", 1),
	}
	got := map[string]graph.Diagnostic{}
	for _, d := range l.Diagnostics {
		if _, dup := got[l.rel(d.File)]; dup {
			t.Errorf("two diagnostics for %s", d.File)
		}
		got[l.rel(d.File)] = d
	}
	for file, at := range want {
		d, ok := got[file]
		if !ok {
			t.Errorf("%s: no diagnostic", file)
			continue
		}
		if d.Severity != graph.DiagError {
			t.Errorf("%s: severity %s", file, d.Severity)
		}
		if l.start(d.Range) != at {
			t.Errorf("%s: error at %s, want %s (%s)", file, l.start(d.Range), at, d.Message)
		}
		if !strings.Contains(d.Message, "not valid JSON") {
			t.Errorf("%s: message %q does not say the plan is not valid JSON", file, d.Message)
		}
		if d.Range.File != d.File {
			t.Errorf("%s: range in %q", file, d.Range.File)
		}
	}
	if len(got) != len(want) {
		t.Errorf("diagnostics: %v", l.diags())
	}
}

// A plan in a format this version cannot read is an error that says so.
func TestUnsupportedFormatVersion(t *testing.T) {
	for _, tc := range []struct{ version, want string }{
		{"2.0", "unsupported plan format version"},
		{"99.1", "unsupported plan format version"},
		{"abc", "invalid format version"},
		{"", "format version is missing"},
	} {
		t.Run(tc.version, func(t *testing.T) {
			src := strings.Replace(fixedPlan, `"format_version": "1.2"`, `"format_version": "`+tc.version+`"`, 1)
			files := tree{"new/plan.json": src, "ok/plan.json": fixedPlan}
			l := load(t, files)
			if len(l.Buckets) != 1 || l.Buckets[0].Root != l.dir+"/ok" {
				t.Errorf("buckets: %v", l.addresses())
			}
			if len(l.Diagnostics) != 1 {
				t.Fatalf("diagnostics: %v", l.diags())
			}
			d := l.Diagnostics[0]
			if d.Severity != graph.DiagError || !strings.Contains(d.Message, tc.want) || !strings.Contains(d.Message, "Terraform plan") {
				t.Errorf("diagnostic %s %q", d.Severity, d.Message)
			}
			if at := l.start(d.Range); at != locate(t, "new/plan.json", src, `"`+tc.version+`"`, 0) {
				t.Errorf("error at %s, want the format_version value", at)
			}
		})
	}
	// A state in an unsupported format.
	src := strings.Replace(stateJSON, `"format_version": "1.0"`, `"format_version": "3.0"`, 1)
	l := load(t, tree{"state.json": src})
	if len(l.Diagnostics) != 1 || !strings.Contains(l.Diagnostics[0].Message, "unsupported state format version") ||
		!strings.Contains(l.Diagnostics[0].Message, "Terraform state") {
		t.Errorf("diagnostics: %v", l.diags())
	}
	if len(l.Buckets) != 0 {
		t.Errorf("a state in an unsupported format was loaded")
	}
}

// Values of the wrong type anywhere never panic; at worst the file is an
// error, and the other plans of the scan still load.
func TestWrongTypesNoPanic(t *testing.T) {
	res := func(values string) string {
		return `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[` + values + `]}}}`
	}
	bucket := func(values string) string {
		return res(`{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":` + values + `}`)
	}
	typed := func(typ, values string) string {
		return res(`{"address":"` + typ + `.x","mode":"managed","type":"` + typ + `","name":"x","values":` + values + `}`)
	}
	cases := map[string]string{
		"format_version number":    `{"format_version":1.2,"terraform_version":"1.9.5","planned_values":{}}`,
		"format_version list":      `{"format_version":["1.2"],"terraform_version":"1.9.5","planned_values":{}}`,
		"planned_values list":      `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":[]}`,
		"planned_values string":    `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":"x"}`,
		"root_module list":         `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":[1]}}`,
		"resources object":         `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":{}}}}`,
		"resources of numbers":     res(`1, "x", null, [], true`),
		"child_modules string":     `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"child_modules":"x"}}}`,
		"child_modules of nulls":   `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"child_modules":[null, 1]}}}`,
		"address number":           res(`{"address":1,"mode":"managed","type":"aws_s3_bucket","values":{}}`),
		"type list":                res(`{"address":"aws_s3_bucket.b","mode":"managed","type":["aws_s3_bucket"],"values":{}}`),
		"values null":              bucket(`null`),
		"values list":              bucket(`[]`),
		"values missing":           res(`{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket"}`),
		"bucket number":            bucket(`{"bucket":12}`),
		"bucket list":              bucket(`{"bucket":["a"]}`),
		"bucket object":            bucket(`{"bucket":{"a":1}}`),
		"policy null":              bucket(`{"bucket":"a","policy":null}`),
		"policy number":            bucket(`{"bucket":"a","policy":1}`),
		"policy object":            bucket(`{"bucket":"a","policy":{"Version":"2012-10-17"}}`),
		"policy list":              bucket(`{"bucket":"a","policy":["{}"]}`),
		"policy not json":          bucket(`{"bucket":"a","policy":"{not json"}`),
		"policy json list":         bucket(`{"bucket":"a","policy":"[1,2]"}`),
		"policy statement number":  bucket(`{"bucket":"a","policy":"{\"Statement\":5}"}`),
		"policy action numbers":    bucket(`{"bucket":"a","policy":"{\"Statement\":[{\"Effect\":1,\"Action\":[1,null,{}],\"Resource\":{\"a\":1},\"Principal\":[],\"Condition\":[]}]}"}`),
		"arn number":               bucket(`{"bucket":"a","arn":5}`),
		"role inline_policy obj":   typed("aws_iam_role", `{"name":"r","inline_policy":{"policy":"{}"}}`),
		"role inline_policy nums":  typed("aws_iam_role", `{"name":"r","inline_policy":[1,null,"x",{"policy":5,"name":[]}]}`),
		"role managed arns nums":   typed("aws_iam_role", `{"name":"r","managed_policy_arns":[1,null,{}],"permissions_boundary":7}`),
		"role managed arns string": typed("aws_iam_role", `{"name":"r","managed_policy_arns":"arn:aws:iam::aws:policy/x"}`),
		"role name list":           typed("aws_iam_role", `{"name":["r"],"path":5,"assume_role_policy":true}`),
		"attachment lists":         typed("aws_iam_policy_attachment", `{"roles":"r","users":[1],"groups":{"a":1},"policy_arn":[]}`),
		"role attachment nums":     typed("aws_iam_role_policy_attachment", `{"role":1,"policy_arn":2}`),
		"role policy nums":         typed("aws_iam_role_policy", `{"role":[],"policy":"{}","name":3}`),
		"bucket policy nums":       typed("aws_s3_bucket_policy", `{"bucket":5,"policy":"{}"}`),
		"kms key policy nums":      typed("aws_kms_key_policy", `{"key_id":5,"policy":"{}"}`),
		"endpoint policy nums":     typed("aws_vpc_endpoint_policy", `{"vpc_endpoint_id":[],"policy":"{}"}`),
		"endpoint service list":    typed("aws_vpc_endpoint", `{"service_name":[],"policy":"{}"}`),
		"caller identity number":   `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"data.aws_caller_identity.c","mode":"data","type":"aws_caller_identity","name":"c","values":{"account_id":111122223333}}]}}}}`,
		"prior_state list":         `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"prior_state":[]}`,
		"prior_state values null":  `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"prior_state":{"format_version":"1.0","values":null}}`,
		"resource_changes object":  `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":{}}`,
		"change actions string":    `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[{"address":"a.b","change":{"actions":"delete"}}]}`,
		"change null":              `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[{"address":"a.b","change":null}]}`,
		"after_unknown odd":        `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{}}]}},"resource_changes":[{"address":"aws_s3_bucket.b","change":{"actions":["create"],"after_unknown":true}},{"address":5,"change":{"after_unknown":[1]}}]}`,
		"after_unknown list":       `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{}}]}},"resource_changes":[{"address":"aws_s3_bucket.b","change":{"actions":["create"],"after_unknown":[true]}}]}`,
		"configuration list":       `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"configuration":[]}`,
		"provider_config number":   `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"configuration":{"provider_config":{"aws":5}}}`,
		"expressions odd":          `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":5},"allowed_account_ids":{"constant_value":[5]},"assume_role":[{"role_arn":{"constant_value":[1]}}]}}},"root_module":{"resources":[{"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","expressions":{"bucket":{"references":[]}}}]}}}`,
		"references odd":           `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","values":{"policy":"{}"}}]}},"configuration":{"root_module":{"resources":[{"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","expressions":{"bucket":{"references":["", ".", "data", "data.x", "module.", "aws_s3_bucket", "aws_s3_bucket.b[", "aws_s3_bucket.b[\"x"]}}}]}}}`,
		"state values list":        `{"format_version":"1.0","terraform_version":"1.9.5","values":[]}`,
		"state resources nums":     `{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{"resources":[1,2]}}}`,
		"deep nesting":             `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`,
		"deep policy":              bucket(`{"bucket":"a","policy":"` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `"}`),
		"duplicate keys":           `{"format_version":"1.2","format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","address":"aws_s3_bucket.c","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"x","bucket":"y"}}]}},"planned_values":{}}`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, tree{"case/plan.json": src, "fixed/plan.json": fixedPlan})
			l := loadPaths(t, dir, nil, dir)
			if !l.hasBucket("aws_s3_bucket.fixed") {
				t.Errorf("the fixed plan did not load beside %s", name)
			}
			for _, d := range l.Diagnostics {
				if d.File == "" {
					t.Errorf("diagnostic without a file: %+v", d)
				}
			}
		})
	}
}

// A null where an object is expected in the parts that terraform-json
// decodes (provider_config, configuration resources, module calls,
// resource_changes) must not panic: tfplan recovers, but then the whole plan
// is lost with "internal error while reading this plan".
func TestNullsInDecodedPartsNoPanic(t *testing.T) {
	cases := map[string]string{
		"provider_config null entry": `"configuration":{"provider_config":{"aws":null},"root_module":{}}`,
		"config resource null":       `"configuration":{"root_module":{"resources":[null]}}`,
		"module call null":           `"configuration":{"root_module":{"module_calls":{"x":null}}}`,
		"resource_changes null":      `"resource_changes":[null]`,
	}
	for name, part := range cases {
		t.Run(name, func(t *testing.T) {
			src := `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.fixed","mode":"managed","type":"aws_s3_bucket","name":"fixed","values":{"bucket":"fixed-bucket"}}]}},` + part + `}`
			validJSON(t, name, src)
			g := tfplan.Load(tfplan.Options{Paths: []string{writeTree(t, tree{"plan.json": src})}})
			var internal []string
			for _, d := range g.Diagnostics {
				if strings.Contains(d.Message, "internal error") {
					internal = append(internal, d.Message)
				}
			}
			if len(internal) > 0 || len(g.Buckets) != 1 {
				t.Errorf("panic recovered (%v); buckets %d", internal, len(g.Buckets))
			}
		})
	}
}

// A plan with every section Terraform 1.x may write (resource_drift,
// output_changes, relevant_attributes, checks, deferred_changes, outputs and
// provisioners in the configuration) loads like any other.
func TestPlanWithEverySection(t *testing.T) {
	src := `{
  "format_version": "1.2",
  "terraform_version": "1.10.0",
  "variables": {"name": {"value": "acme-all"}, "tags": {"value": {"team": "data"}}, "secret": {"value": "s3cr3t"}},
  "planned_values": {
    "outputs": {"arn": {"sensitive": false}, "name": {"sensitive": false, "type": "string", "value": "acme-all"}},
    "root_module": {
      "resources": [
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
         "values": {"bucket": "acme-all", "tags": {"team": "data"}, "tags_all": {"team": "data"}}, "sensitive_values": {"tags": {}, "tags_all": {}}}
      ]
    }
  },
  "resource_drift": [
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["update"], "before": {"bucket": "acme-all", "tags": null}, "after": {"bucket": "acme-all", "tags": {}}, "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {"tags": {}}}}
  ],
  "resource_changes": [
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["update"], "before": {"bucket": "acme-all", "tags": {}}, "after": {"bucket": "acme-all", "tags": {"team": "data"}}, "after_unknown": {"tags": {}, "tags_all": {}}, "before_sensitive": {"tags": {}}, "after_sensitive": {"tags": {}, "tags_all": {}}}}
  ],
  "deferred_changes": [
    {"reason": "resource_config_unknown",
     "resource_change": {"address": "aws_s3_bucket.later[\"x\"]", "mode": "managed", "type": "aws_s3_bucket", "name": "later", "index": "x", "provider_name": "registry.terraform.io/hashicorp/aws",
       "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"bucket": true}, "before_sensitive": false, "after_sensitive": {}}}}
  ],
  "output_changes": {
    "arn": {"actions": ["no-op"], "before": "arn:aws:s3:::acme-all", "after": "arn:aws:s3:::acme-all", "after_unknown": false, "before_sensitive": false, "after_sensitive": false},
    "name": {"actions": ["create"], "before": null, "after": "acme-all", "after_unknown": false, "before_sensitive": false, "after_sensitive": false}
  },
  "prior_state": {
    "format_version": "1.0",
    "terraform_version": "1.10.0",
    "values": {
      "outputs": {"arn": {"sensitive": false, "value": "arn:aws:s3:::acme-all", "type": "string"}},
      "root_module": {
        "resources": [
          {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
           "values": {"arn": "arn:aws:s3:::acme-all", "bucket": "acme-all", "id": "acme-all", "tags": {}}, "sensitive_values": {"tags": {}}, "depends_on": ["data.aws_caller_identity.me"]},
          {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
           "values": {"account_id": "121212121212", "arn": "arn:aws:iam::121212121212:user/ci", "id": "121212121212", "user_id": "AIDA"}, "sensitive_values": {}}
        ]
      }
    }
  },
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "version_constraint": "~> 5.0", "expressions": {"region": {"constant_value": "eu-west-1"}, "default_tags": [{"tags": {"constant_value": {"owner": "s3lint"}}}]}}},
    "root_module": {
      "outputs": {
        "arn": {"expression": {"references": ["aws_s3_bucket.b.arn", "aws_s3_bucket.b"]}},
        "name": {"expression": {"references": ["var.name"]}, "description": "bucket", "depends_on": ["aws_s3_bucket.b"]},
        "secret": {"sensitive": true, "expression": {"references": ["var.secret"]}}
      },
      "resources": [
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_config_key": "aws",
         "provisioners": [{"type": "local-exec", "expressions": {"command": {"constant_value": "echo hi"}}}],
         "expressions": {"bucket": {"references": ["var.name"]}, "tags": {"references": ["var.tags"]}, "lifecycle_rule": [{"enabled": {"constant_value": true}}]},
         "schema_version": 0, "depends_on": ["data.aws_caller_identity.me"]},
        {"address": "aws_s3_bucket.later", "mode": "managed", "type": "aws_s3_bucket", "name": "later", "provider_config_key": "aws", "schema_version": 0,
         "for_each_expression": {"references": ["data.external.keys.result", "data.external.keys"]}},
        {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me", "provider_config_key": "aws", "schema_version": 0}
      ],
      "variables": {"name": {"default": "acme-default", "description": "the bucket"}, "tags": {"default": {}}, "secret": {"sensitive": true}}
    }
  },
  "relevant_attributes": [
    {"resource": "aws_s3_bucket.b", "attribute": ["tags"]},
    {"resource": "aws_s3_bucket.b", "attribute": ["tags_all", "team"]}
  ],
  "checks": [
    {"address": {"kind": "output_value", "name": "name", "to_display": "output.name"}, "status": "pass",
     "instances": [{"address": {"to_display": "output.name"}, "status": "pass"}]},
    {"address": {"kind": "resource", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "to_display": "aws_s3_bucket.b"}, "status": "unknown",
     "instances": [{"address": {"to_display": "aws_s3_bucket.b"}, "status": "unknown", "problems": [{"message": "not yet"}]}]}
  ],
  "timestamp": "2026-11-28T10:00:00Z",
  "applyable": true,
  "complete": false,
  "errored": false
}`
	validJSON(t, "every section", src)
	l := load(t, tree{"plan.json": src})
	if len(l.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", l.diags())
	}
	b := l.bucket("aws_s3_bucket.b")
	if !b.Name.Is("acme-all") || b.Account != "121212121212" || !b.ARN.Is("arn:aws:s3:::acme-all") {
		t.Errorf("bucket %s %q %s", sv(b.Name), b.Account, sv(b.ARN))
	}
	if len(l.Buckets) != 1 {
		t.Errorf("buckets: %v (a deferred change is not planned)", l.addresses())
	}
}

// A value of the wrong type is reported at the value, by its JSON path and
// the kinds, not with encoding/json's Go types; the other plans still load.
func TestWrongTypeAtTheValue(t *testing.T) {
	head := `{"format_version": "1.2", "terraform_version": "1.9.5",` + "\n"
	for _, tc := range []struct{ name, src, marker, want string }{
		{"values string", head + `"planned_values": {"root_module": {"resources": [` + "\n" +
			`{"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a", "values": {}},` + "\n" +
			`{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": "x"}]}}}`,
			`"x"`, `planned_values.root_module.resources.values is a string; Terraform writes an object there`},
		{"configuration array", head + `"planned_values": {"root_module": {}},` + "\n" + `"configuration": [1]}`,
			`[1]`, `configuration is an array; Terraform writes an object there`},
		{"references in a map", head + `"planned_values": {"root_module": {}},` + "\n" +
			`"configuration": {"root_module": {"resources": [{"address": "a.b", "expressions": {"policy": {"references": 5}}}]}}}`,
			`5}`, `configuration.root_module.resources.expressions.references is a number; Terraform writes an array there`},
		{"format_version number", `{"format_version": 1e400, "planned_values": {}}`,
			`1e400`, `format_version is a number; Terraform writes a string there`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := load(t, tree{"bad/plan.json": tc.src, "ok/plan.json": fixedPlan})
			if len(l.Diagnostics) != 1 {
				t.Fatalf("diagnostics: %v", l.diags())
			}
			d := l.Diagnostics[0]
			if want := "not a Terraform plan s3lint can read: " + tc.want; d.Message != want {
				t.Errorf("message %q\nwant    %q", d.Message, want)
			}
			if got, want := l.start(d.Range), locate(t, "bad/plan.json", tc.src, tc.marker, 0); got != want {
				t.Errorf("error at %s, want %s", got, want)
			}
			if len(l.Buckets) != 1 {
				t.Errorf("the other plan was not loaded: %v", l.addresses())
			}
		})
	}
}
