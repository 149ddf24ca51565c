package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/terraform"
)

// Policies read from files beside the module are located in those files.

const filePolicy = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["s3:GetObject"],
    "Resource": "arn:aws:s3:::acme"
  }]
}
`

func TestLocateFilePolicies(t *testing.T) {
	bucket := `resource "aws_s3_bucket" "b" { bucket = "acme" }` + "\n"
	runLocCases(t, []locCase{
		{
			name: "file with path.module",
			files: tree{
				"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("${path.module}/policy.json")
}
`,
				"policy.json": filePolicy,
			},
			policy: "aws_iam_policy.p",
			file:   "policy.json",
			want:   []string{`arn:aws:s3:::acme@"arn:aws:s3:::acme"`},
			span:   `"arn:aws:s3:::acme"`,
		},
		{
			name: "file relative to the root module, from a child module",
			files: tree{
				"main.tf": `module "m" { source = "./m" }` + "\n",
				"m/main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("policies/read.json")
}
`,
				"policies/read.json": filePolicy,
			},
			policy: "module.m.aws_iam_policy.p",
			file:   "policies/read.json",
			elem:   "Action",
			want:   []string{`s3:GetObject@"s3:GetObject"`},
		},
		{
			name: "file passed to a module through a local",
			files: tree{
				"main.tf": `
locals { policy = file("${path.module}/policies/p.json") }
module "m" {
  source = "./m"
  policy = local.policy
}
`,
				"m/main.tf": `
variable "policy" { type = string }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = var.policy
}
`,
				"policies/p.json": filePolicy,
			},
			policy: "module.m.aws_iam_policy.p",
			file:   "policies/p.json",
			want:   []string{`arn:aws:s3:::acme@"arn:aws:s3:::acme"`},
		},
		{
			name: "templatefile with a variable",
			files: tree{
				"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = templatefile("${path.module}/policy.json.tpl", { bucket = aws_s3_bucket.b.arn })
}
`,
				"policy.json.tpl": `{
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": ["${bucket}/*", "${bucket}"]
  }]
}
`,
			},
			policy: "aws_iam_policy.p",
			file:   "policy.json.tpl",
			// Interpolations map to their whole ${…}, literal text exactly.
			want: []string{`arn:aws:s3:::acme/*@"${bucket}/*"`, `arn:aws:s3:::acme@"${bucket}"#0`},
			span: `"${bucket}/*"`,
		},
		{
			name: "templatefile whose variables shadow module names",
			files: tree{
				"main.tf": bucket + `
locals { bucket = "not-this" }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = templatefile("${path.module}/p.tftpl", { bucket = "arn:aws:s3:::acme" })
}
`,
				"p.tftpl": `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${bucket}"}]}`,
			},
			policy: "aws_iam_policy.p",
			file:   "p.tftpl",
			want:   []string{`arn:aws:s3:::acme@"${bucket}"`},
		},
		{
			name: "jsondecode of a file",
			files: tree{
				"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode(jsondecode(file("${path.module}/policy.json")))
}
`,
				"policy.json": filePolicy,
			},
			policy: "aws_iam_policy.p",
			file:   "policy.json",
			want:   []string{`arn:aws:s3:::acme@"arn:aws:s3:::acme"`},
		},
		{
			name: "merge into a decoded template file",
			files: tree{
				"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode(merge(jsondecode(templatefile("${path.module}/p.tpl", { b = aws_s3_bucket.b.arn })), { Id = "merged" }))
}
`,
				"p.tpl": `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${b}/*"}]}`,
			},
			policy: "aws_iam_policy.p",
			file:   "p.tpl",
			want:   []string{`arn:aws:s3:::acme/*@"${b}/*"`},
		},
		{
			name: "template of one interpolation",
			files: tree{
				"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = templatefile("${path.module}/p.tpl", { arn = aws_s3_bucket.b.arn })
}
`,
				"p.tpl": `${jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = arn}]})}`,
			},
			policy: "aws_iam_policy.p",
			file:   "p.tpl",
			// Not followed inside: the whole interpolation, in the file.
			want: []string{`arn:aws:s3:::acme@${jsonencode`},
		},
		{
			name: "source_policy_documents with a file",
			files: tree{
				"main.tf": `
data "aws_iam_policy_document" "d" {
  source_policy_documents = [file("${path.module}/extra.json")]
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::acme"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
`,
				"extra.json": `{"Statement": [{"Sid": "File", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::file/*"}]}`,
			},
			policy: "aws_iam_policy.p",
			file:   "extra.json",
			want:   []string{`arn:aws:s3:::file/*@"arn:aws:s3:::file/*"`},
		},
	})
}

// A template with an unknown variable is unknown as a whole; its other
// statements are still checked, located in the file.
func TestLocateTemplateFileUnknownVar(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
variable "reader" { type = string }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = templatefile("${path.module}/p.json.tpl", { reader = var.reader, bucket = "acme" })
}
`,
		"p.json.tpl": `{
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}"},
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::acme", "Principal": {"AWS": "${reader}"}}
  ]
}
`,
	})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	st := stmt(t, d, 0)
	eqList(t, "resources", items(st.Resource), []string{"arn:aws:s3:::acme"})
	eq(t, "resource", g.start(st.Resource.Items[0].Range), g.at(t, "p.json.tpl", `"arn:aws:s3:::${bucket}"`, 0))
	eq(t, "action", g.start(st.Action.Items[0].Range), g.at(t, "p.json.tpl", `"s3:GetObject"`, 0))
	st = stmt(t, d, 1)
	if st.Principal == nil || len(st.Principal.Entries) != 1 || !st.Principal.Entries[0].Unknown {
		t.Errorf("want an unknown principal\n%s", g.dump())
	}
}

// A %{ for } directive maps what it renders to the directive; the text
// after it is exact again.
func TestLocateTemplateFileDirective(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = templatefile("${path.module}/p.tpl", { buckets = ["a", "b"] })
}
`,
		"p.tpl": `{
  "Statement": [{
    "Effect": "Allow",
    "Resource": [
      %{~ for i, b in buckets ~}
      "arn:aws:s3:::${b}/*"${i < length(buckets) - 1 ? "," : ""}
      %{~ endfor ~}
    ],
    "Action": "s3:GetObject"
  }]
}
`,
	})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	st := stmt(t, d, 0)
	eqList(t, "resources", items(st.Resource), []string{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"})
	for _, it := range st.Resource.Items {
		r := it.Range
		if g.rel(r.File) != "p.tpl" || r.Start.Line < 5 || r.End.Line > 7 {
			t.Errorf("item %s located at %s, outside the for directive (p.tpl:5-7)", it.V, g.r(r))
		}
	}
	eq(t, "action", g.start(st.Action.Items[0].Range), g.at(t, "p.tpl", `"s3:GetObject"`, 0))
}

// Invalid JSON in a policy file: the warning points at the syntax error in
// the file.
func TestFilePolicyInvalidJSON(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("${path.module}/bad.json")
}
`,
		"bad.json": "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}\n",
	})
	g.noErrors(t)
	warns := g.diags(graph.DiagWarning)
	if len(warns) != 1 || !strings.HasPrefix(warns[0], "bad.json:3:24: policy: not valid JSON") {
		t.Errorf("warnings %q, want one at bad.json:3:24", warns)
	}
}

// The positions come from the file as the function read it: a file
// outside the scan root is read by neither, and nothing points into it.
func TestFilePolicyOutsideRoot(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "policy.json"), []byte(filePolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, tree{"main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("../` + filepath.Base(outside) + `/policy.json")
}
resource "aws_iam_policy" "t" {
  name   = "t"
  policy = templatefile("` + filepath.ToSlash(filepath.Join(outside, "policy.json")) + `", {})
}
`})
	g := &loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir}}), dir: dir}
	if len(g.Policies) != 2 {
		t.Fatalf("want 2 policies\n%s", g.dump())
	}
	out := filepath.ToSlash(outside)
	for _, p := range g.Policies {
		if p.Doc == nil {
			continue
		}
		if strings.HasPrefix(filepath.ToSlash(p.Doc.Range.File), out) {
			t.Errorf("%s: the document points outside the scan root: %s", p.Address, p.Doc.Range)
		}
		for _, st := range p.Doc.Statements {
			if !st.Unknown || strings.HasPrefix(filepath.ToSlash(st.Range.File), out) {
				t.Errorf("%s: the policy outside the root was read\n%s", p.Address, g.dump())
			}
		}
	}
}
