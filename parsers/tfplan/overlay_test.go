package tfplan_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/tfplan"
)

// overlayTF is a root module whose bucket name comes from a variable that
// only the plan knows.
const overlayTF = `variable "bucket" {
  type    = string
  default = "acme-default"
}

resource "aws_s3_bucket" "data" {
  bucket = var.bucket
}

resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "List"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:aws:s3:::${var.bucket}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::zeta/*", "arn:aws:s3:::acme-fixed"]
      },
    ]
  })
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::elsewhere/*"
    }]
  })
}
`

// overlayPlan is the plan of overlayTF with bucket = "acme-resolved". The
// second statement's resources are in another order than in the
// configuration (as a set would be), so items map by value.
const overlayPlan = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "variables": {"bucket": {"value": "acme-resolved"}},
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
            "name": "reader",
            "path": "/",
            "policy": "{\"Statement\":[{\"Action\":[\"s3:ListBucket\"],\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::acme-resolved/*\"],\"Sid\":\"List\"},{\"Action\":[\"s3:GetObject\"],\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::acme-fixed\",\"arn:aws:s3:::zeta/*\"]}],\"Version\":\"2012-10-17\"}"
          },
          "sensitive_values": {}
        },
        {
          "address": "aws_s3_bucket.data",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "data",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {"bucket": "acme-resolved", "force_destroy": false},
          "sensitive_values": {}
        },
        {
          "address": "aws_s3_bucket_policy.data",
          "mode": "managed",
          "type": "aws_s3_bucket_policy",
          "name": "data",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "policy": "{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Resource\":\"arn:aws:s3:::elsewhere/*\"}],\"Version\":\"2012-10-17\"}"
          },
          "sensitive_values": {}
        }
      ]
    }
  },
  "resource_changes": [
    {"address": "aws_iam_policy.reader", "mode": "managed", "type": "aws_iam_policy", "name": "reader", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"arn": true, "id": true, "policy_id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"arn": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "aws_s3_bucket_policy.data", "mode": "managed", "type": "aws_s3_bucket_policy", "name": "data", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"bucket": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}}
  ],
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
    "root_module": {
      "resources": [
        {"address": "aws_iam_policy.reader", "mode": "managed", "type": "aws_iam_policy", "name": "reader", "provider_config_key": "aws",
         "expressions": {"name": {"constant_value": "reader"}, "policy": {"references": ["var.bucket", "var.bucket"]}}, "schema_version": 0},
        {"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data", "provider_config_key": "aws",
         "expressions": {"bucket": {"references": ["var.bucket"]}}, "schema_version": 0},
        {"address": "aws_s3_bucket_policy.data", "mode": "managed", "type": "aws_s3_bucket_policy", "name": "data", "provider_config_key": "aws",
         "expressions": {"bucket": {"references": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]}, "policy": {}}, "schema_version": 0}
      ],
      "variables": {"bucket": {"default": "acme-default"}}
    }
  }
}
`

// A plan next to its configuration: its entities replace the
// configuration's, at the configuration's places.
func TestOverlayNextToConfiguration(t *testing.T) {
	validJSON(t, "overlayPlan", overlayPlan)
	files := tree{"main.tf": overlayTF, "tfplan.json": overlayPlan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	for _, d := range l.Diagnostics {
		if d.Severity == graph.DiagError {
			t.Errorf("diagnostic: %v", l.diags())
		}
	}
	// One of each, from the plan.
	if len(l.Buckets) != 1 || len(l.Policies) != 2 {
		t.Fatalf("entities: %v", l.addresses())
	}
	b := l.bucket("aws_s3_bucket.data")
	if b.Format != graph.TerraformPlan || !b.Name.Is("acme-resolved") {
		t.Errorf("bucket %v %s", b.Format, sv(b.Name))
	}
	if got, want := l.start(b.Range), l.at("main.tf", `resource "aws_s3_bucket" "data"`, 0); got != want {
		t.Errorf("bucket at %s, want %s", got, want)
	}
	reader := l.policy("aws_iam_policy.reader")
	if reader.Format != graph.TerraformPlan {
		t.Errorf("reader from %v", reader.Format)
	}
	if got, want := l.start(reader.Range), l.at("main.tf", `resource "aws_iam_policy" "reader"`, 0); got != want {
		t.Errorf("reader at %s, want %s", got, want)
	}
	if got, want := l.start(reader.DocRange), l.at("main.tf", `policy = jsonencode({`, 0); got != want {
		t.Errorf("reader DocRange at %s, want %s", got, want)
	}
	s0, s1 := reader.Doc.Statements[0], reader.Doc.Statements[1]
	// Statements by index; items by value, else by index.
	checks := []struct {
		what string
		got  graph.Range
		want string
	}{
		{"statement 0", s0.Range, l.at("main.tf", "{\n        Sid", 0)},
		{"statement 1", s1.Range, l.at("main.tf", "{\n        Effect", 0)},
		{"list action", s0.Action.Items[0].Range, l.at("main.tf", `"s3:ListBucket"`, 0)},
		{"list resource (by index)", s0.Resource.Items[0].Range, l.at("main.tf", `"arn:aws:s3:::${var.bucket}/*"`, 0)},
		{"list resource key", s0.Resource.KeyRange, l.at("main.tf", `Resource = ["arn:aws:s3:::${var.bucket}/*"]`, 0)},
		{"get resource zeta (by value)", s1.Resource.Items[1].Range, l.at("main.tf", `"arn:aws:s3:::zeta/*"`, 0)},
		{"get resource fixed (by value)", s1.Resource.Items[0].Range, l.at("main.tf", `"arn:aws:s3:::acme-fixed"`, 0)},
		{"sid", s0.Sid.Range, l.at("main.tf", "{\n        Sid", 0)},
	}
	for _, c := range checks {
		if l.start(c.got) != c.want {
			t.Errorf("%s at %s, want %s", c.what, l.start(c.got), c.want)
		}
	}
	// Values stay the plan's.
	if got := items(s1.Resource); !eq(got, []string{"arn:aws:s3:::acme-fixed", "arn:aws:s3:::zeta/*"}) {
		t.Errorf("values %v", got)
	}
	bp := l.policy("aws_s3_bucket_policy.data")
	if bp.Bucket != b {
		t.Errorf("bucket policy linked to %v", bp.Bucket)
	}
	if got, want := l.start(bp.Doc.Statements[0].Resource.Items[0].Range), l.at("main.tf", `"arn:aws:s3:::elsewhere/*"`, 0); got != want {
		t.Errorf("bucket policy resource at %s, want %s", got, want)
	}
	if got, want := l.start(bp.Doc.Statements[0].Principal.Range), l.at("main.tf", `Principal = { AWS`, 0); got != want {
		t.Errorf("principal at %s, want %s", got, want)
	}
	// Nothing points into the plan.
	for _, p := range l.Policies {
		for _, r := range []graph.Range{p.Range, p.DocRange, p.Doc.Range} {
			if strings.HasSuffix(r.File, ".json") {
				t.Errorf("%s: range in %s", p.Address, l.rng(r))
			}
		}
	}
}

// End to end: the findings of the plan point into the .tf, once; the
// configuration's own evaluation (with the variable's default) does not
// report as well.
func TestOverlayFindingsInConfiguration(t *testing.T) {
	files := tree{"main.tf": overlayTF, "tfplan.json": overlayPlan}
	dir := writeTree(t, files)
	fs, _ := runScan(t, dir)
	got := wheres(fs)
	want := []string{
		locate(t, "main.tf", overlayTF, `"arn:aws:s3:::${var.bucket}/*"`, 0) + " S3L011",
		locate(t, "main.tf", overlayTF, `"arn:aws:s3:::acme-fixed"`, 0) + " S3L010",
		locate(t, "main.tf", overlayTF, `Resource  = "arn:aws:s3:::elsewhere/*"`, 0) + " S3L012",
	}
	if !eq(sorted(got), sorted(want)) {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
	for _, f := range fs {
		if strings.Contains(f.Message, "acme-default") {
			t.Errorf("a finding from the configuration's defaults: %s", f.Message)
		}
		if f.RuleID == "S3L011" && !strings.Contains(f.Message, "acme-resolved") {
			t.Errorf("S3L011 does not name the resolved bucket: %s", f.Message)
		}
	}
}

// A plan in a directory without configuration keeps its JSON positions;
// a second root without a plan keeps its configuration.
func TestOverlayTwoRoots(t *testing.T) {
	other := strings.ReplaceAll(overlayTF, "acme-default", "acme-other")
	files := tree{
		"live/main.tf":       overlayTF,
		"live/tfplan.json":   overlayPlan,
		"other/main.tf":      other,
		"plans/tfplan.json":  strings.ReplaceAll(overlayPlan, "acme-resolved", "acme-elsewhere"),
		"plans/README.md":    "plans from CI\n",
		"live/.terraform/x":  "",
		"other/variables.tf": "",
	}
	dir := writeTree(t, files)
	fs, res := runScan(t, dir)
	byFile := map[string][]string{}
	for _, f := range fs {
		file, _, _ := strings.Cut(f.where, ":")
		byFile[file] = append(byFile[file], f.RuleID)
	}
	for file, want := range map[string][]string{
		"live/main.tf":      {"S3L010", "S3L011", "S3L012"},
		"other/main.tf":     {"S3L010", "S3L011", "S3L012"},
		"plans/tfplan.json": {"S3L010", "S3L011", "S3L012"},
	} {
		if got := sorted(byFile[file]); !eq(got, want) {
			t.Errorf("%s: %v, want %v", file, got, want)
		}
	}
	if len(byFile) != 3 {
		t.Errorf("findings: %v", wheres(fs))
	}
	for _, f := range fs {
		switch {
		case strings.HasPrefix(f.where, "other/"):
			if f.RuleID == "S3L011" && !strings.Contains(f.Message, "acme-other") {
				t.Errorf("other root: %s", f.Message)
			}
		case strings.HasPrefix(f.where, "plans/"):
			if f.RuleID == "S3L011" && !strings.Contains(f.Message, "acme-elsewhere") {
				t.Errorf("plan without configuration: %s", f.Message)
			}
		}
	}
	// The plan without configuration: exact JSON positions.
	plan := files["plans/tfplan.json"]
	for _, f := range fs {
		if f.RuleID == "S3L011" && strings.HasPrefix(f.where, "plans/") {
			if want := locate(t, "plans/tfplan.json", plan, `\"arn:aws:s3:::acme-elsewhere/*\"`, 0) + " S3L011"; f.where != want {
				t.Errorf("S3L011 at %s, want %s", f.where, want)
			}
		}
	}
	// The graph: buckets from the plans and from the other configuration.
	formats := map[string]graph.Format{}
	for _, b := range res.Graph.Buckets {
		formats[strings.TrimPrefix(b.Root, dir+"/")] = b.Format
	}
	if formats["live"] != graph.TerraformPlan || formats["other"] != graph.Terraform || formats["plans"] != graph.TerraformPlan || len(res.Graph.Buckets) != 3 {
		t.Errorf("buckets by root: %v (%d)", formats, len(res.Graph.Buckets))
	}
}

// A plan of a root that calls a module: the module's resources take the
// places of their blocks in the module's files; for_each and count
// instances share their block.
const moduleRootTF = `module "site" {
  source   = "./modules/site"
  for_each = toset(["blue", "green"])
  color    = each.key
}
`

const moduleSiteTF = `variable "color" {
  type = string
}

resource "aws_s3_bucket" "b" {
  count  = 1
  bucket = "acme-site-${var.color}"
}

resource "aws_iam_policy" "p" {
  name = "site-${var.color}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:PutObject"
      Resource = aws_s3_bucket.b[0].arn
    }]
  })
}
`

func modulePlan() string {
	inst := func(key string) string {
		return `
        {
          "address": "module.site[\"` + key + `\"]",
          "resources": [
            {"address": "module.site[\"` + key + `\"].aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
             "values": {"name": "site-` + key + `", "path": "/", "policy": "{\"Statement\":[{\"Action\":\"s3:PutObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-site-` + key + `\"}],\"Version\":\"2012-10-17\"}"}, "sensitive_values": {}},
            {"address": "module.site[\"` + key + `\"].aws_s3_bucket.b[0]", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "index": 0, "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
             "values": {"bucket": "acme-site-` + key + `", "force_destroy": false}, "sensitive_values": {}}
          ]
        }`
	}
	return `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "child_modules": [` + inst("blue") + `,` + inst("green") + `
      ]
    }
  },
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
    "root_module": {
      "module_calls": {
        "site": {
          "source": "./modules/site",
          "expressions": {"color": {"references": ["each.key"]}},
          "for_each_expression": {"references": []},
          "module": {
            "resources": [
              {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "provider_config_key": "aws",
               "expressions": {"name": {"references": ["var.color"]}, "policy": {"references": ["aws_s3_bucket.b[0].arn", "aws_s3_bucket.b[0]", "aws_s3_bucket.b"]}}, "schema_version": 0},
              {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_config_key": "aws",
               "expressions": {"bucket": {"references": ["var.color"]}}, "schema_version": 0, "count_expression": {"constant_value": 1}}
            ],
            "variables": {"color": {}}
          }
        }
      }
    }
  }
}`
}

func TestOverlayModules(t *testing.T) {
	plan := modulePlan()
	validJSON(t, "modulePlan", plan)
	files := tree{"main.tf": moduleRootTF, "modules/site/main.tf": moduleSiteTF, "plan.json": plan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	if len(l.Buckets) != 2 || len(l.Policies) != 2 {
		t.Fatalf("entities %v", l.addresses())
	}
	for _, key := range []string{"blue", "green"} {
		b := l.bucket(`module.site["` + key + `"].aws_s3_bucket.b[0]`)
		if b.Format != graph.TerraformPlan || l.start(b.Range) != l.at("modules/site/main.tf", `resource "aws_s3_bucket" "b"`, 0) {
			t.Errorf("%s: %v at %s", b.Address, b.Format, l.start(b.Range))
		}
		if b.Root != dir {
			t.Errorf("%s: root %q", b.Address, b.Root)
		}
		p := l.policy(`module.site["` + key + `"].aws_iam_policy.p`)
		it := p.Doc.Statements[0].Resource.Items[0]
		if !it.Is("arn:aws:s3:::acme-site-"+key) || l.start(it.Range) != l.at("modules/site/main.tf", `aws_s3_bucket.b[0].arn`, 0) {
			t.Errorf("%s: item %s at %s", p.Address, sv(it), l.start(it.Range))
		}
	}
	fs, _ := runScan(t, dir)
	want := []string{
		locate(t, "modules/site/main.tf", moduleSiteTF, `aws_s3_bucket.b[0].arn`, 0) + " S3L010",
	}
	// Two findings (blue and green) at one place, with different messages.
	if got := wheres(fs); len(got) != 2 || got[0] != want[0] || got[1] != want[0] {
		t.Errorf("findings %v, want twice %v", got, want)
	}
}

// A resource of the plan that the configuration does not have (renamed
// since, or only in the plan) keeps its place in the JSON; the rest of the
// root still maps.
func TestOverlayResourceWithoutTwin(t *testing.T) {
	plan := strings.Replace(overlayPlan, `"address": "aws_iam_policy.reader"`, `"address": "aws_iam_policy.renamed"`, 1)
	files := tree{"main.tf": overlayTF, "tfplan.json": plan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	p := l.policy("aws_iam_policy.renamed")
	if p.Range.File != dir+"/tfplan.json" {
		t.Errorf("entity at %s", l.rng(p.Range))
	}
	if got, want := l.start(p.Doc.Statements[0].Resource.Items[0].Range), l.at("tfplan.json", `\"arn:aws:s3:::acme-resolved/*\"`, 0); got != want {
		t.Errorf("item at %s, want %s", got, want)
	}
	if len(l.policies("aws_iam_policy.reader")) != 0 {
		t.Errorf("the configuration's reader was kept beside the plan")
	}
	if b := l.bucket("aws_s3_bucket.data"); !strings.HasSuffix(b.Range.File, "main.tf") {
		t.Errorf("bucket at %s", l.rng(b.Range))
	}
}

// A role's inline policies are a set: Terraform writes them in its own
// order, not the configuration's. Each must take the place of its twin by
// name, not by index.
func TestOverlayInlinePoliciesByName(t *testing.T) {
	tf := `resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
  inline_policy {
    name = "zz-writer"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::acme-w" }]
    })
  }
  inline_policy {
    name = "aa-reader"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-r/*" }]
    })
  }
}
`
	plan := onePlan("aws_iam_role.r", "aws_iam_role",
		`{"assume_role_policy":"{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}","name":"r","path":"/","inline_policy":[{"name":"aa-reader","policy":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-r/*\"}],\"Version\":\"2012-10-17\"}"},{"name":"zz-writer","policy":"{\"Statement\":[{\"Action\":\"s3:PutObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-w\"}],\"Version\":\"2012-10-17\"}"}]}`,
		`{"arn":true,"id":true,"unique_id":true}`, `{"name":{"constant_value":"r"}}`)
	validJSON(t, "inline", plan)
	files := tree{"main.tf": tf, "plan.json": plan}
	dir := writeTree(t, files)
	fs, _ := runScan(t, dir)
	want := locate(t, "main.tf", tf, `Resource = "arn:aws:s3:::acme-w"`, 0)
	got := wheres(fs)
	if len(got) != 1 || !strings.HasPrefix(got[0], want[:strings.LastIndex(want, ":")]) {
		t.Errorf("findings %v, want on the line of %s", got, want)
	}
}

// A plan whose root has no configuration entities of a kind the overlay
// knows about (only a KMS key and a VPC endpoint without policies) still
// replaces that configuration: no entity twice.
func TestOverlayNoDuplicateKeysOrEndpoints(t *testing.T) {
	tf := `resource "aws_kms_key" "k" {
  description = "k"
}

resource "aws_vpc_endpoint" "e" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.s3"
}
`
	plan := `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[
{"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","values":{"description":"k"}},
{"address":"aws_vpc_endpoint.e","mode":"managed","type":"aws_vpc_endpoint","name":"e","values":{"vpc_id":"vpc-1","service_name":"com.amazonaws.eu-west-1.s3"}}]}}}`
	files := tree{"main.tf": tf, "plan.json": plan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	if len(l.Keys) != 1 || len(l.Endpoints) != 1 {
		t.Errorf("entities %v", l.addresses())
	}
}

// Items map by value, else by index; an item without an equal value must
// not take the place of a configuration item that another item of the plan
// already matched by value. Here the plan lists the resources sorted (as
// aws_iam_policy_document and any set do), the configuration in source
// order with the bucket from a variable.
func TestOverlayItemsReorderedWithVariable(t *testing.T) {
	tf := strings.Replace(overlayTF, `Resource = ["arn:aws:s3:::zeta/*", "arn:aws:s3:::acme-fixed"]`,
		`Resource = ["arn:aws:s3:::zeta/*", "arn:aws:s3:::${var.bucket}"]`, 1)
	plan := strings.Replace(overlayPlan, `[\"arn:aws:s3:::acme-fixed\",\"arn:aws:s3:::zeta/*\"]`,
		`[\"arn:aws:s3:::acme-resolved\",\"arn:aws:s3:::zeta/*\"]`, 1)
	if tf == overlayTF || plan == overlayPlan {
		t.Fatal("fixture not changed")
	}
	files := tree{"main.tf": tf, "tfplan.json": plan}
	dir := writeTree(t, files)
	fs, _ := runScan(t, dir)
	want := locate(t, "main.tf", tf, `"arn:aws:s3:::${var.bucket}"]`, 0) + " S3L010"
	var got []string
	for _, f := range fs {
		if f.RuleID == "S3L010" {
			got = append(got, f.where)
		}
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("S3L010 at %v, want %s", got, want)
	}
}

// countTF counts its buckets and names its policies by a variable without
// a default: the configuration alone cannot expand them (its instances are
// aws_s3_bucket.logs[count.index] and aws_iam_policy.w[each.key]); the plan
// made with -var knows the instances. Every instance of a block lies in the
// block, so the plan's instances still take the block's place.
const countTF = `variable "n" {
  type = number
}

variable "names" {
  type = set(string)
}

resource "aws_s3_bucket" "logs" {
  count  = var.n
  bucket = "acme-logs-${count.index}"
}

resource "aws_iam_policy" "w" {
  for_each = var.names
  name     = each.key
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:PutObject"
      Resource = "arn:aws:s3:::acme-logs-0"
    }]
  })
}
`

func countPlan() string {
	b := func(i string) string {
		return `{"address":"aws_s3_bucket.logs[` + i + `]","mode":"managed","type":"aws_s3_bucket","name":"logs","index":` + i + `,"provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"acme-logs-` + i + `","force_destroy":false},"sensitive_values":{}}`
	}
	p := func(k string) string {
		return `{"address":"aws_iam_policy.w[\"` + k + `\"]","mode":"managed","type":"aws_iam_policy","name":"w","index":"` + k + `","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"name":"` + k + `","path":"/","policy":"{\"Statement\":[{\"Action\":\"s3:PutObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-logs-0\"}],\"Version\":\"2012-10-17\"}"},"sensitive_values":{}}`
	}
	return `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "variables": {"n": {"value": 2}, "names": {"value": ["a", "b"]}},
  "planned_values": {
    "root_module": {
      "resources": [
        ` + b("0") + `,
        ` + b("1") + `,
        ` + p("a") + `,
        ` + p("b") + `
      ]
    }
  },
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
    "root_module": {
      "resources": [
        {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs", "provider_config_key": "aws",
         "expressions": {"bucket": {"references": ["count.index"]}}, "schema_version": 0, "count_expression": {"references": ["var.n"]}},
        {"address": "aws_iam_policy.w", "mode": "managed", "type": "aws_iam_policy", "name": "w", "provider_config_key": "aws",
         "expressions": {"name": {"references": ["each.key"]}, "policy": {}}, "schema_version": 0, "for_each_expression": {"references": ["var.names"]}}
      ],
      "variables": {"n": {}, "names": {}}
    }
  }
}`
}

func TestOverlayInstancesUnknownToConfiguration(t *testing.T) {
	plan := countPlan()
	validJSON(t, "countPlan", plan)
	files := tree{"main.tf": countTF, "plan.json": plan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	if len(l.Buckets) != 2 || len(l.Policies) != 2 {
		t.Fatalf("entities %v", l.addresses())
	}
	var wrong []string
	for _, b := range l.Buckets {
		if l.start(b.Range) != l.at("main.tf", `resource "aws_s3_bucket" "logs"`, 0) {
			wrong = append(wrong, b.Address+" at "+l.start(b.Range))
		}
	}
	fs, _ := runScan(t, dir)
	want := locate(t, "main.tf", countTF, `"arn:aws:s3:::acme-logs-0"`, 0) + " S3L010"
	for _, f := range fs {
		if f.where != want {
			wrong = append(wrong, "finding "+f.where)
		}
	}
	// Both instances are written by one block: one finding, at the block.
	if len(fs) != 1 {
		t.Errorf("findings %v", wheres(fs))
	}
	if len(wrong) > 0 {
		t.Errorf("not in the configuration: %v", wrong)
	}
}

// Two plans of one root (two workspaces: prod.json and staging.json, or a
// plan beside a state): each maps onto the configuration.
func TestOverlayTwoPlansOneRoot(t *testing.T) {
	staging := strings.ReplaceAll(overlayPlan, "acme-resolved", "acme-staging")
	files := tree{"main.tf": overlayTF, "prod.json": overlayPlan, "staging.json": staging}
	dir := writeTree(t, files)
	fs, _ := runScan(t, dir)
	var inJSON []string
	n := 0
	for _, f := range fs {
		if !strings.HasPrefix(f.where, "main.tf:") {
			inJSON = append(inJSON, f.where)
		}
		if f.RuleID == "S3L011" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("S3L011 %d times, want once per plan: %v", n, wheres(fs))
	}
	if len(inJSON) > 0 {
		t.Errorf("findings left in the plans: %v", inJSON)
	}
}

// The issue: "when the plan sits next to (or is scanned together with) the
// configuration it came from, point findings at the .tf file". Scanning the
// plan file alone (s3lint tfplan.json), with main.tf beside it.
func TestOverlayPlanFileAloneBesideConfiguration(t *testing.T) {
	files := tree{"main.tf": overlayTF, "tfplan.json": overlayPlan}
	dir := writeTree(t, files)
	fs, _ := runScan(t, dir, dir+"/tfplan.json")
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	var inJSON []string
	for _, f := range fs {
		if !strings.HasPrefix(f.where, "main.tf:") {
			inJSON = append(inJSON, f.where)
		}
	}
	if len(inJSON) > 0 {
		t.Errorf("findings in the plan: %v", inJSON)
	}
}

// Conditions, principals, NotAction and statements the configuration
// cannot know (a list from a variable without a value) map as well as they
// can: conditions by index, unknown statements onto the document, elements
// the configuration does not write onto their statement.
func TestOverlayConditionsAndUnknownStatements(t *testing.T) {
	tf := `variable "statements" {
  type = any
}

resource "aws_s3_bucket_policy" "p" {
  bucket = "acme-cond"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      NotAction = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::acme-cond/*"]
      Condition = {
        Bool = { "aws:SecureTransport" = "false" }
      }
    }]
  })
}

resource "aws_iam_policy" "dyn" {
  name   = "dyn"
  policy = jsonencode({ Version = "2012-10-17", Statement = var.statements })
}
`
	plan := `{"format_version":"1.2","terraform_version":"1.9.5",
"variables":{"statements":{"value":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-cond"}]}},
"planned_values":{"root_module":{"resources":[
{"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","values":{"bucket":"acme-cond","policy":"{\"Statement\":[{\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}},\"Effect\":\"Deny\",\"NotAction\":[\"s3:GetObject\"],\"NotResource\":[\"arn:aws:s3:::x\"],\"Principal\":\"*\",\"Resource\":[\"arn:aws:s3:::acme-cond/*\"]},{\"Action\":\"s3:GetObjects\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::acme-cond/*\"}],\"Version\":\"2012-10-17\"}"}},
{"address":"aws_iam_policy.dyn","mode":"managed","type":"aws_iam_policy","name":"dyn","values":{"name":"dyn","path":"/","policy":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-cond\"}],\"Version\":\"2012-10-17\"}"}}]}}}`
	validJSON(t, "conditions", plan)
	files := tree{"main.tf": tf, "plan.json": plan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	p := l.policy("aws_s3_bucket_policy.p")
	s0, s1 := p.Doc.Statements[0], p.Doc.Statements[1]
	checks := []struct {
		what string
		got  graph.Range
		want string
	}{
		{"condition", s0.Conditions[0].Range, l.at("main.tf", `"aws:SecureTransport" = "false"`, 0)},
		{"NotAction item", s0.NotAction.Items[0].Range, l.at("main.tf", `"s3:GetObject"`, 0)},
		// Not in the configuration: the statement.
		{"NotResource item", s0.NotResource.Items[0].Range, l.at("main.tf", "{\n      Effect    = \"Deny\"", 0)},
		// A second statement the configuration does not have: the document.
		{"statement 1", s1.Range, l.at("main.tf", "{\n    Version = \"2012-10-17\"\n    Statement = [{", 0)},
		{"statement 1 action", s1.Action.Items[0].Range, l.at("main.tf", "{\n    Version = \"2012-10-17\"\n    Statement = [{", 0)},
	}
	for _, c := range checks {
		if l.start(c.got) != c.want {
			t.Errorf("%s at %s, want %s", c.what, l.start(c.got), c.want)
		}
	}
	dyn := l.policy("aws_iam_policy.dyn")
	if dyn.Doc == nil || len(dyn.Doc.Statements) != 1 {
		t.Fatalf("dyn doc %+v", dyn.Doc)
	}
	if r := dyn.Doc.Statements[0].Resource.Items[0].Range; !strings.HasSuffix(r.File, "main.tf") ||
		r.Start.Line != strings.Count(strings.Split(tf, "Statement = var.statements")[0], "\n")+1 {
		t.Errorf("dyn item at %s", l.rng(r))
	}
	// End to end: S3L013 on the second statement, in the .tf.
	fs, _ := runScan(t, dir)
	for _, f := range fs {
		if !strings.HasPrefix(f.where, "main.tf:") {
			t.Errorf("finding outside the configuration: %s", f.where)
		}
	}
}

// A provider_config_key that provider_config does not list (an older
// Terraform's "module.child:aws" for a provider the child inherits) falls
// back to the provider of that name in the root.
func TestProviderKeyFallback(t *testing.T) {
	src := `{"format_version":"1.2","terraform_version":"1.9.5",
"planned_values":{"root_module":{"child_modules":[{"address":"module.child","resources":[
{"address":"module.child.aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"acme-child"}}]}]}},
"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"allowed_account_ids":{"constant_value":["135791357913"]},"region":{"constant_value":"cn-northwest-1"}}}},
"root_module":{"module_calls":{"child":{"source":"./child","module":{"resources":[
{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_config_key":"module.child:aws"}]}}}}}}`
	validJSON(t, "fallback", src)
	l := load(t, tree{"plan.json": src})
	b := l.bucket("module.child.aws_s3_bucket.b")
	if b.Account != "135791357913" || b.Provider != "aws" || !b.ARN.Is("arn:aws-cn:s3:::acme-child") {
		t.Errorf("provider %q account %q ARN %s", b.Provider, b.Account, sv(b.ARN))
	}
}

// A covered root's deliveries are the plan's, found where the
// configuration names their bucket.
func TestOverlayDeliveries(t *testing.T) {
	tf := `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket" "app" {
  bucket = "acme-app"
}

resource "aws_s3_bucket_logging" "app" {
  bucket        = aws_s3_bucket.app.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "app/"
}
`
	plan := `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
     "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"bucket": "acme-logs"}},
    {"address": "aws_s3_bucket.app", "mode": "managed", "type": "aws_s3_bucket", "name": "app",
     "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"bucket": "acme-app"}},
    {"address": "aws_s3_bucket_logging.app", "mode": "managed", "type": "aws_s3_bucket_logging", "name": "app",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "values": {"bucket": "acme-app", "target_bucket": "acme-logs", "target_prefix": "app/"}}
  ]}},
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
    "root_module": {"resources": [
      {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs", "provider_config_key": "aws",
       "expressions": {"bucket": {"constant_value": "acme-logs"}}},
      {"address": "aws_s3_bucket.app", "mode": "managed", "type": "aws_s3_bucket", "name": "app", "provider_config_key": "aws",
       "expressions": {"bucket": {"constant_value": "acme-app"}}},
      {"address": "aws_s3_bucket_logging.app", "mode": "managed", "type": "aws_s3_bucket_logging", "name": "app", "provider_config_key": "aws",
       "expressions": {"bucket": {"references": ["aws_s3_bucket.app.id", "aws_s3_bucket.app"]},
         "target_bucket": {"references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]},
         "target_prefix": {"constant_value": "app/"}}}
    ]}
  }
}`
	validJSON(t, "plan", plan)
	files := tree{"main.tf": tf, "tfplan.json": plan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	if len(l.Deliveries) != 1 {
		t.Fatalf("deliveries = %d, want 1 (the plan's, replacing the configuration's)", len(l.Deliveries))
	}
	d := l.Deliveries[0]
	if d.Format != graph.TerraformPlan {
		t.Errorf("delivery format = %v, want the plan's", d.Format)
	}
	if d.Bucket == nil || d.Bucket.Address != "aws_s3_bucket.logs" || d.Bucket.Format != graph.TerraformPlan {
		t.Errorf("delivery bucket = %+v, want the plan's aws_s3_bucket.logs", d.Bucket)
	}
	if got, want := l.rng(d.BucketRef.Range), l.at("main.tf", "aws_s3_bucket.logs.id", 0); !strings.HasPrefix(got, want) {
		t.Errorf("BucketRef at %s, want the configuration's argument at %s", got, want)
	}
	if !d.Prefix.Is("app/") || !d.SourceARN.Is("arn:aws:s3:::acme-app") {
		t.Errorf("prefix %q source %q", d.Prefix.V, d.SourceARN.V)
	}
}

// A resource that configures several deliveries (the rules of a
// replication configuration, a distribution's origins, which a plan may
// list in another order) gives each the place of the configuration's
// delivery named alike, not the resource's first.
func TestOverlayDeliveriesByName(t *testing.T) {
	at := func(file string, line int) graph.Range {
		return graph.Range{File: file, Start: graph.Pos{Line: line, Col: 1}, End: graph.Pos{Line: line, Col: 9}}
	}
	delivery := func(file, what string, line int) *graph.Delivery {
		return &graph.Delivery{
			Entity:    graph.Entity{Address: "aws_s3_bucket_replication_configuration.r", Type: "aws_s3_bucket_replication_configuration", Root: "live", Range: at(file, 1)},
			Kind:      graph.Replication,
			What:      what + " of aws_s3_bucket_replication_configuration.r",
			BucketRef: graph.StringOf("dst", at(file, line)),
		}
	}
	// The plan stands in for the root module it holds a bucket of.
	bucket := func(file string) *graph.Bucket {
		return &graph.Bucket{Entity: graph.Entity{Address: "aws_s3_bucket.src", Type: "aws_s3_bucket", Root: "live", Range: at(file, 30)}}
	}
	cfg := &graph.Graph{Buckets: []*graph.Bucket{bucket("live/main.tf")}, Deliveries: []*graph.Delivery{
		delivery("live/main.tf", `replication rule "a"`, 10),
		delivery("live/main.tf", `replication rule "b"`, 20),
		delivery("live/main.tf", `replication rule "copy of pub"`, 30),
		delivery("live/main.tf", `replication rule "copy of priv"`, 40),
	}}
	plans := &graph.Graph{Buckets: []*graph.Bucket{bucket("live/plan.json")}, Deliveries: []*graph.Delivery{
		delivery("live/plan.json", `replication rule "b"`, 5),
		delivery("live/plan.json", `replication rule "a"`, 7),
		delivery("live/plan.json", `replication rule "c"`, 9),
		delivery("live/plan.json", `replication rule "copy of priv"`, 11),
		delivery("live/plan.json", `replication rule "copy of pub"`, 13),
	}}
	tfplan.Overlay(cfg, plans)
	if len(cfg.Deliveries) != 5 {
		t.Fatalf("%d deliveries after the overlay, want the plan's 5", len(cfg.Deliveries))
	}
	lines := map[string]int{}
	for _, d := range cfg.Deliveries {
		if d.BucketRef.Range.File == "live/main.tf" {
			lines[d.What] = d.BucketRef.Range.Start.Line
		}
	}
	for what, want := range map[string]int{
		`replication rule "a" of aws_s3_bucket_replication_configuration.r`: 10,
		`replication rule "b" of aws_s3_bucket_replication_configuration.r`: 20,
		// No twin of its name: the resource's first.
		`replication rule "c" of aws_s3_bucket_replication_configuration.r`: 10,
		// Names that hold " of " themselves.
		`replication rule "copy of pub" of aws_s3_bucket_replication_configuration.r`:  30,
		`replication rule "copy of priv" of aws_s3_bucket_replication_configuration.r`: 40,
	} {
		if lines[what] != want {
			t.Errorf("%s at line %d, want %d (all: %v)", what, lines[what], want, lines)
		}
	}
}
