package terraform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/terraform"
)

// bucketNamed is a configuration whose only bucket is named by expr.
func bucketNamed(expr string) string {
	return "resource \"aws_s3_bucket\" \"b\" {\n  bucket = " + expr + "\n}\n"
}

func TestVariables(t *testing.T) {
	type opt = func(string, *terraform.Options)
	cases := []struct {
		name  string
		files tree
		opts  []opt
		want  string // name of aws_s3_bucket.b; "?" when unknown
		skip  string
	}{
		{
			name:  "default",
			files: tree{"main.tf": `variable "x" { default = "from-default" }` + "\n" + bucketNamed("var.x")},
			want:  "from-default",
		},
		{
			name: "terraform.tfvars overrides the default",
			files: tree{
				"main.tf":          `variable "x" { default = "from-default" }` + "\n" + bucketNamed("var.x"),
				"terraform.tfvars": `x = "from-tfvars"`,
			},
			want: "from-tfvars",
		},
		{
			name: "terraform.tfvars.json is read after terraform.tfvars",
			files: tree{
				"main.tf":               `variable "x" { default = "from-default" }` + "\n" + bucketNamed("var.x"),
				"terraform.tfvars":      `x = "from-tfvars"`,
				"terraform.tfvars.json": `{"x": "from-tfvars-json"}`,
			},
			want: "from-tfvars-json",
		},
		{
			name: "auto.tfvars after terraform.tfvars, in lexical order",
			files: tree{
				"main.tf":               `variable "x" {}` + "\n" + bucketNamed("var.x"),
				"terraform.tfvars":      `x = "from-tfvars"`,
				"terraform.tfvars.json": `{"x": "from-tfvars-json"}`,
				"b.auto.tfvars":         `x = "from-b"`,
				"a.auto.tfvars":         `x = "from-a"`,
			},
			want: "from-b",
		},
		{
			name: "auto.tfvars and auto.tfvars.json share one lexical order",
			files: tree{
				"main.tf":            `variable "x" {}` + "\n" + bucketNamed("var.x"),
				"a.auto.tfvars":      `x = "from-a"`,
				"c.auto.tfvars.json": `{"x": "from-c-json"}`,
				"b.auto.tfvars":      `x = "from-b"`,
			},
			want: "from-c-json",
		},
		{
			name: "VarFiles after the auto-loaded files, in order",
			files: tree{
				"main.tf":       `variable "x" {}` + "\n" + bucketNamed("var.x"),
				"z.auto.tfvars": `x = "from-auto"`,
				"one.tfvars":    `x = "from-one"`,
				"two.tfvars":    `x = "from-two"`,
			},
			opts: []opt{withVarFiles("one.tfvars", "two.tfvars")},
			want: "from-two",
		},
		{
			name: "a VarFile that does not set the variable leaves the earlier value",
			files: tree{
				"main.tf":       `variable "x" {}` + "\n" + `variable "y" { default = "" }` + "\n" + bucketNamed("var.x"),
				"z.auto.tfvars": `x = "from-auto"`,
				"other.tfvars":  `y = "unrelated"`,
			},
			opts: []opt{withVarFiles("other.tfvars")},
			want: "from-auto",
		},
		{
			name: "Vars are applied last",
			files: tree{
				"main.tf":       `variable "x" {}` + "\n" + bucketNamed("var.x"),
				"z.auto.tfvars": `x = "from-auto"`,
				"one.tfvars":    `x = "from-one"`,
			},
			opts: []opt{withVarFiles("one.tfvars"), withVars("x=from-cli")},
			want: "from-cli",
		},
		{
			name:  "the last of several Vars wins",
			files: tree{"main.tf": `variable "x" {}` + "\n" + bucketNamed("var.x")},
			opts:  []opt{withVars("x=first", "x=second")},
			want:  "second",
		},
		{
			name:  "Vars value may contain =",
			files: tree{"main.tf": `variable "x" { type = string }` + "\n" + bucketNamed("var.x")},
			opts:  []opt{withVars("x=a=b")},
			want:  "a=b",
		},
		{
			name:  "Vars value of a string variable is taken literally",
			files: tree{"main.tf": `variable "x" { type = string }` + "\n" + bucketNamed("var.x")},
			opts:  []opt{withVars(`x=["a","b"]`)},
			want:  `["a","b"]`,
		},
		{
			name:  "Vars value of an untyped variable is taken literally",
			files: tree{"main.tf": `variable "x" {}` + "\n" + bucketNamed("var.x")},
			opts:  []opt{withVars(`x="quoted"`)},
			want:  `"quoted"`,
		},
		{
			name:  "Vars value of a list(string) variable is parsed as HCL",
			files: tree{"main.tf": `variable "x" { type = list(string) }` + "\n" + bucketNamed(`join("+", var.x)`)},
			opts:  []opt{withVars(`x=["a","b"]`)},
			want:  "a+b",
		},
		{
			name:  "Vars value of a map(string) variable is parsed as HCL",
			files: tree{"main.tf": `variable "x" { type = map(string) }` + "\n" + bucketNamed(`var.x["env"]`)},
			opts:  []opt{withVars(`x={env="prod"}`)},
			want:  "prod",
		},
		{
			name:  "Vars value of a number variable",
			files: tree{"main.tf": `variable "n" { type = number }` + "\n" + bucketNamed(`"b-${var.n + 1}"`)},
			opts:  []opt{withVars("n=41")},
			want:  "b-42",
		},
		{
			name:  "Vars value of a bool variable",
			files: tree{"main.tf": `variable "on" { type = bool }` + "\n" + bucketNamed(`var.on ? "yes" : "no"`)},
			opts:  []opt{withVars("on=true")},
			want:  "yes",
		},
		{
			// Terraform parses -var values of variables whose type is not a
			// primitive type as HCL, and `any` is not primitive.
			name:  "Vars value of an any variable is parsed as HCL",
			files: tree{"main.tf": `variable "x" { type = any }` + "\n" + bucketNamed(`join("+", var.x)`)},
			opts:  []opt{withVars(`x=["a","b"]`)},
			want:  "a+b",
		},
		{
			// Terraform still accepts the bare keywords list and map as
			// list(any) and map(any), and parses -var values for them as
			// HCL.
			name:  "Vars value of a legacy `type = list` variable is parsed as HCL",
			files: tree{"main.tf": `variable "x" { type = list }` + "\n" + bucketNamed(`join("+", var.x)`)},
			opts:  []opt{withVars(`x=["a","b"]`)},
			want:  "a+b",
		},
		{
			name: "nullable = false: a null input takes the default",
			files: tree{
				"main.tf":          `variable "x" {` + "\n  default  = \"d\"\n  nullable = false\n}\n" + bucketNamed("var.x"),
				"terraform.tfvars": "x = null\n",
			},
			want: "d",
		},
		{
			// Since Terraform 1.1 a variable is nullable unless it says
			// otherwise: null set explicitly stays null and the bucket
			// name is then generated.
			name: "a null passed to a nullable variable stays null",
			files: tree{
				"main.tf":   "module \"m\" {\n  source = \"./m\"\n  x = null\n}\n",
				"m/main.tf": `variable "x" { default = "from-default" }` + "\n" + bucketNamed("var.x"),
			},
			want: "?",
		},
		{
			name:  "Vars for an undeclared variable are ignored",
			files: tree{"main.tf": `variable "x" { default = "d" }` + "\n" + bucketNamed("var.x")},
			opts:  []opt{withVars("nope=1", "malformed")},
			want:  "d",
		},
		{
			name:  "number default converted to a string variable",
			files: tree{"main.tf": `variable "x" {` + "\n  type    = string\n  default = 5\n}\n" + bucketNamed("var.x")},
			want:  "5",
		},
		{
			name:  "bool default converted to a string variable",
			files: tree{"main.tf": `variable "x" {` + "\n  type    = string\n  default = true\n}\n" + bucketNamed("var.x")},
			want:  "true",
		},
		{
			name:  "string default converted to a number variable",
			files: tree{"main.tf": `variable "n" {` + "\n  type    = number\n  default = \"7\"\n}\n" + bucketNamed(`"b-${var.n * 2}"`)},
			want:  "b-14",
		},
		{
			name: "tfvars number given to a string variable",
			files: tree{
				"main.tf":          `variable "x" { type = string }` + "\n" + bucketNamed(`"b-${var.x}"`),
				"terraform.tfvars": "x = 42\n",
			},
			want: "b-42",
		},
		{
			name: "object type with optional() defaults",
			files: tree{"main.tf": `
variable "cfg" {
  type = object({
    name   = string
    suffix = optional(string, "logs")
    tags   = optional(map(string), {})
  })
  default = { name = "acme" }
}
` + bucketNamed(`"${var.cfg.name}-${var.cfg.suffix}-${length(var.cfg.tags)}"`)},
			want: "acme-logs-0",
		},
		{
			name: "object type with optional() defaults overridden by tfvars",
			files: tree{
				"main.tf": `
variable "cfg" {
  type = object({
    name   = string
    suffix = optional(string, "logs")
  })
}
` + bucketNamed(`"${var.cfg.name}-${var.cfg.suffix}"`),
				"terraform.tfvars": `cfg = { name = "acme", suffix = "data" }`,
			},
			want: "acme-data",
		},
		{
			name: "list of objects with optional() defaults",
			files: tree{"main.tf": `
variable "buckets" {
  type = list(object({
    name = string
    env  = optional(string, "dev")
  }))
  default = [{ name = "a" }, { name = "b", env = "prod" }]
}
` + bucketNamed(`join(",", [for b in var.buckets : "${b.name}-${b.env}"])`)},
			want: "a-dev,b-prod",
		},
		{
			name: "optional() attribute without a default is null",
			files: tree{"main.tf": `
variable "cfg" {
  type    = object({ name = string, prefix = optional(string) })
  default = { name = "acme" }
}
` + bucketNamed(`var.cfg.prefix == null ? var.cfg.name : "x"`)},
			want: "acme",
		},
		{
			name:  "a variable without a value is unknown",
			files: tree{"main.tf": `variable "x" { type = string }` + "\n" + bucketNamed(`"acme-${var.x}"`)},
			want:  "?",
		},
		{
			name: "tfvars of a called module are not read",
			files: tree{
				"main.tf":                    "module \"m\" {\n  source = \"./modules/m\"\n  x = \"from-caller\"\n}\n",
				"modules/m/main.tf":          `variable "x" {}` + "\n" + bucketNamed("var.x"),
				"modules/m/terraform.tfvars": `x = "from-module-tfvars"`,
			},
			want: "from-caller",
		},
		{
			name: "tfvars setting an undeclared variable are ignored",
			files: tree{
				"main.tf":          `variable "x" { default = "d" }` + "\n" + bucketNamed("var.x"),
				"terraform.tfvars": "y = 1\n",
			},
			want: "d",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.skip != "" {
				bug(t, c.skip)
			}
			g := load(t, c.files, c.opts...)
			g.noErrors(t)
			if len(g.Buckets) != 1 {
				t.Fatalf("want 1 bucket, got %d\n%s", len(g.Buckets), g.dump())
			}
			eq(t, "bucket name", s(g.Buckets[0].Name), c.want)
		})
	}
}

// An unknown variable must not produce known policy items.
func TestUnknownVariableYieldsNoKnownItems(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "bucket" { type = string }
variable "arns" { type = list(string) }

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.bucket}/*", var.bucket]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = var.arns
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}

resource "aws_iam_policy" "q" {
  name   = "q"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.bucket}/*" }]
  })
}
`})
	g.noErrors(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	eqList(t, "statement 0 resources", items(stmt(t, d, 0).Resource), []string{"?", "?"})
	eqList(t, "statement 0 actions", items(stmt(t, d, 0).Action), []string{"s3:GetObject"})
	eqList(t, "statement 1 resources", items(stmt(t, d, 1).Resource), []string{"<unknown list>"})
	for _, st := range d.Statements {
		if st.Resource.AllKnown() {
			t.Errorf("statement %d: resources known", st.Index)
		}
	}
	// jsonencode of a value with an unknown part is unknown as a whole.
	q := g.policy(t, "aws_iam_policy.q", graph.IdentityPolicy)
	if q.Doc != nil {
		for _, st := range q.Doc.Statements {
			if st.Resource.AllKnown() {
				t.Errorf("q: resources known: %v", items(st.Resource))
			}
		}
	}
}

func TestParseErrorHCL(t *testing.T) {
	g := load(t, tree{
		"bad.tf":      "resource \"aws_s3_bucket\" \"x\" {\n  bucket = \"x\"\n\n  x = \"ééé\" oops\n}\n",
		"good.tf":     bucketNamed(`"good"`),
		"mod/main.tf": bucketNamed(`"in-other-module"`),
	})
	errs := g.diags(graph.DiagError)
	if len(errs) == 0 {
		t.Fatalf("no error for bad.tf\n%s", g.dump())
	}
	found := false
	for _, d := range g.Diagnostics {
		if d.Severity == graph.DiagError {
			eq(t, "error file", g.rel(d.Range.File), "bad.tf")
			eq(t, "error file field", g.rel(d.File), "bad.tf")
			// Columns count characters: "ééé" is 6 bytes but 3 columns.
			if g.start(d.Range) == "bad.tf:4:13" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no error at bad.tf:4:13: %q", errs)
	}
	var names []string
	for _, b := range g.Buckets {
		names = append(names, s(b.Name))
	}
	names = sortedStrings(names)
	// The valid files of the same module and other modules are still
	// loaded (and what could be parsed of bad.tf may be too).
	for _, want := range []string{"good", "in-other-module"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("bucket %q not loaded; have %q", want, names)
		}
	}
}

func TestParseErrorUnclosedBlock(t *testing.T) {
	g := load(t, tree{
		"bad.tf":      "locals {\n  a = \"x\"\n",
		"other/ok.tf": bucketNamed(`"still-here"`),
	})
	errs := g.diags(graph.DiagError)
	if len(errs) == 0 || !strings.HasPrefix(errs[0], "bad.tf:") {
		t.Fatalf("want an error in bad.tf, got %q", errs)
	}
	eq(t, "bucket", s(g.bucket(t, "aws_s3_bucket.b").Name), "still-here")
}

func TestParseErrorJSON(t *testing.T) {
	g := load(t, tree{
		"bad.tf.json": "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"x\": { \"bucket\": \"x\", }\n    }\n  }\n}\n",
		"good.tf":     bucketNamed(`"good"`),
		"m/main.tf":   bucketNamed(`"other"`),
	})
	errs := g.diags(graph.DiagError)
	if len(errs) == 0 {
		t.Fatalf("no error for bad.tf.json\n%s", g.dump())
	}
	found := false
	for _, d := range g.Diagnostics {
		if d.Severity == graph.DiagError && g.start(d.Range) == "bad.tf.json:4:27" {
			found = true
		}
	}
	if !found {
		t.Errorf("no error at bad.tf.json:4:27 (the trailing comma): %q", errs)
	}
	var names []string
	for _, b := range g.Buckets {
		names = append(names, s(b.Name))
	}
	if !strings.Contains(strings.Join(names, " "), "good") || !strings.Contains(strings.Join(names, " "), "other") {
		t.Errorf("buckets = %q, want good and other", names)
	}
}

// A .tf.json file with invalid UTF-8 is an error at the first bad byte,
// as HCL reports it for .tf files; the rest of the file is still read.
func TestInvalidUTF8InJSON(t *testing.T) {
	g := load(t, tree{"main.tf.json": "{\"resource\": {\"aws_s3_bucket\": {\"b\": {\"bucket\": \"acme-\xff\", \"tags\": {}}}}}\n"})
	want := []string{"main.tf.json:1:55: Invalid character encoding: All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor."}
	if got := g.diags(graph.DiagError); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n got  %q\n want %q", got, want)
	}
	if len(g.Buckets) != 1 {
		t.Errorf("%d buckets, want the one of the file", len(g.Buckets))
	}
}

func TestParseErrorInTfvars(t *testing.T) {
	g := load(t, tree{
		"main.tf":          `variable "x" { default = "d" }` + "\n" + bucketNamed("var.x"),
		"terraform.tfvars": "x = \n",
	})
	errs := g.diags(graph.DiagError)
	if len(errs) == 0 || !strings.HasPrefix(errs[0], "terraform.tfvars:") {
		t.Fatalf("want an error in terraform.tfvars, got %q", errs)
	}
	if len(g.Buckets) != 1 {
		t.Fatalf("buckets: %d", len(g.Buckets))
	}
}

func TestSkippedDirectoriesAndOverrides(t *testing.T) {
	g := load(t, tree{
		"main.tf":                          bucketNamed(`"root"`),
		"override.tf":                      bucketNamed(`"from-override"`),
		"main_override.tf":                 bucketNamed(`"from-main-override"`),
		"override.tf.json":                 `{"resource": {"aws_s3_bucket": {"b": {"bucket": "from-json-override"}}}}`,
		".terraform/modules/x/main.tf":     bucketNamed(`"in-dot-terraform"`),
		".git/hooks/main.tf":               bucketNamed(`"in-dot-git"`),
		"sub/.terraform/modules/y/main.tf": bucketNamed(`"in-nested-dot-terraform"`),
		"sub/main.tf":                      bucketNamed(`"sub"`),
		"sub/x_override.tf.json":           `{"resource": {"aws_s3_bucket": {"b": {"bucket": "from-sub-override"}}}}`,
		"notes.txt":                        "resource",
		"main.tf.bak":                      bucketNamed(`"backup"`),
	})
	g.noDiags(t)
	var names []string
	for _, b := range g.Buckets {
		names = append(names, s(b.Name))
	}
	eqList(t, "buckets", sortedStrings(names), []string{"root", "sub"})
}

// A file given as a path stands for its module directory.
func TestFilePathStandsForItsDirectory(t *testing.T) {
	g := load(t, tree{
		"stack/a.tf":   bucketNamed(`"a-${var.x}"`),
		"stack/b.tf":   `variable "x" { default = "x" }`,
		"other/c.tf":   bucketNamed(`"not-scanned"`),
		"stack/m/m.tf": `resource "aws_s3_bucket" "m" { bucket = "sub" }`,
	}, withPaths("stack/a.tf"))
	g.noDiags(t)
	var names []string
	for _, b := range g.Buckets {
		names = append(names, s(b.Name))
	}
	eqList(t, "buckets", names, []string{"a-x"})
}

func TestMissingPath(t *testing.T) {
	dir := t.TempDir()
	g := terraform.Load(terraform.Options{Paths: []string{filepath.Join(dir, "nope")}})
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Severity != graph.DiagError {
		t.Fatalf("want one error, got %+v", g.Diagnostics)
	}
}

// Paths relative to the working directory work as absolute ones do, and a
// root scanned as "." gives the provider its plain name.
func TestRelativePath(t *testing.T) {
	dir := writeTree(t, tree{
		"main.tf": `
data "aws_caller_identity" "me" {}
resource "aws_s3_bucket" "b" {
  bucket = "acct-${data.aws_caller_identity.me.account_id}"
}
`,
		"sub/main.tf": bucketNamed(`"sub"`),
	})
	t.Chdir(dir)
	g := &loaded{Graph: terraform.Load(terraform.Options{Paths: []string{"."}}), dir: "."}
	g.noDiags(t)
	if len(g.Buckets) != 2 {
		t.Fatalf("buckets:\n%s", g.dump())
	}
	b := g.Buckets[0]
	eq(t, "file", b.Range.File, "main.tf")
	eq(t, "account", b.Account, graph.SymbolicAccount("aws"))
	eq(t, "name", s(b.Name), "acct-<account of aws>")
	eq(t, "sub file", g.Buckets[1].Range.File, "sub/main.tf")
	eq(t, "sub account", g.Buckets[1].Account, graph.SymbolicAccount("aws in sub"))
}

// Loading the same tree repeatedly gives identical graphs.
func TestDeterminism(t *testing.T) {
	files := tree{
		"main.tf": `
variable "names" { default = ["c", "a", "b"] }
locals {
  m = { for n in var.names : n => "acme-${n}" }
}
resource "aws_s3_bucket" "b" {
  for_each = local.m
  bucket   = each.value
}
resource "aws_s3_bucket" "c" {
  count  = 3
  bucket = "count-${count.index}"
}
data "aws_iam_policy_document" "d" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [for k, b in aws_s3_bucket.b : "${b.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.d.json
}
resource "aws_iam_role" "r" {
  for_each           = toset(["x", "y", "z"])
  name               = "role-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_policy" "p" {
  name   = "pol"
  policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_policy_attachment" "a" {
  name       = "a"
  roles      = [for r in aws_iam_role.r : r.name]
  policy_arn = aws_iam_policy.p.arn
}
module "reg" {
  source = "terraform-aws-modules/s3-bucket/aws"
}
module "local" {
  for_each = toset(["one", "two"])
  source   = "./modules/m"
  name     = each.key
}
`,
		"modules/m/main.tf": `
variable "name" {}
resource "aws_s3_bucket" "this" { bucket = "mod-${var.name}" }
output "arn" { value = aws_s3_bucket.this.arn }
`,
		"b/main.tf":   bucketNamed(`"acme-a"`) + "\nresource \"aws_s3_bucket_policy\" \"byname\" {\n  bucket = \"acme-c\"\n  policy = \"{}\"\n}\n",
		"bad/main.tf": "resource {",
	}
	dir := writeTree(t, files)
	var first string
	for i := range 5 {
		g := &loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir}}), dir: dir, files: files}
		got := g.dump()
		if i == 0 {
			first = got
			if !strings.Contains(first, `aws_s3_bucket.b["a"]`) || !strings.Contains(first, `module.local["two"].aws_s3_bucket.this`) {
				t.Fatalf("unexpected graph:\n%s", first)
			}
			continue
		}
		if got != first {
			t.Fatalf("load %d differs from load 0:\n--- first\n%s\n--- now\n%s", i, first, got)
		}
	}
	// Loading the directory through two equivalent paths gives the same
	// graph as well.
	g := &loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir + "/"}}), dir: dir, files: files}
	if got := g.dump(); got != first {
		t.Errorf("trailing slash changes the graph:\n--- first\n%s\n--- now\n%s", first, got)
	}
}

func TestEmptyDirectory(t *testing.T) {
	g := load(t, tree{"README.md": "nothing"})
	g.noDiags(t)
	if len(g.Buckets)+len(g.Policies)+len(g.Principals) != 0 {
		t.Fatalf("unexpected graph:\n%s", g.dump())
	}
}

// An unreadable file is reported, not fatal.
func TestUnreadableFile(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root reads everything")
	}
	dir := writeTree(t, tree{"a.tf": bucketNamed(`"a"`), "b.tf": bucketNamed(`"b2"`)})
	if err := os.Chmod(filepath.Join(dir, "b.tf"), 0); err != nil {
		t.Fatal(err)
	}
	g := &loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir}}), dir: dir}
	errs := g.diags(graph.DiagError)
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "b.tf") {
		t.Fatalf("errors = %q", errs)
	}
	eq(t, "bucket", s(g.bucket(t, "aws_s3_bucket.b").Name), "a")
}

// A --var-file that cannot be read is reported once, however many root
// modules the scan has.
func TestMissingVarFileReportedOnce(t *testing.T) {
	g := load(t, tree{
		"a/main.tf": bucketNamed(`"a"`),
		"b/main.tf": bucketNamed(`"b"`),
	}, withVarFiles("missing.tfvars"))
	errs := g.diags(graph.DiagError)
	if len(errs) != 1 || !strings.Contains(errs[0], "missing.tfvars") {
		t.Errorf("errors = %q", errs)
	}
}

// A --var-file with a syntax error is reported once.
func TestBadVarFileReportedOnce(t *testing.T) {
	g := load(t, tree{
		"a/main.tf":  bucketNamed(`"a"`),
		"b/main.tf":  bucketNamed(`"b"`),
		"bad.tfvars": "x = \n",
	}, withVarFiles("bad.tfvars"))
	errs := g.diags(graph.DiagError)
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "bad.tfvars:1:5: ") {
		t.Errorf("errors = %q", errs)
	}
	eq(t, "buckets", len(g.Buckets), 2)
}

// Overlapping scan paths do not load a module twice.
func TestOverlappingPaths(t *testing.T) {
	g := load(t, tree{
		"main.tf":     bucketNamed(`"root"`),
		"sub/main.tf": bucketNamed(`"sub"`),
	}, withPaths(".", "sub", "sub/main.tf", "./sub/"))
	g.noDiags(t)
	var names []string
	for _, b := range g.Buckets {
		names = append(names, s(b.Name))
	}
	eqList(t, "buckets", sortedStrings(names), []string{"root", "sub"})
}

// Configuration in JSON syntax is evaluated like native syntax.
func TestJSONSyntax(t *testing.T) {
	g := load(t, tree{
		"main.tf.json": `{
  "//": "a comment",
  "variable": {
    "env": { "default": "prod" },
    "names": { "type": "list(string)", "default": ["a", "b"] }
  },
  "locals": { "prefix": "acme-${var.env}" },
  "provider": { "aws": [{ "region": "eu-west-1", "allowed_account_ids": ["111122223333"] }] },
  "resource": {
    "aws_s3_bucket": {
      "c": { "//": "counted", "count": 2, "bucket": "${local.prefix}-${count.index}" },
      "e": { "for_each": "${toset(var.names)}", "bucket": "${local.prefix}-${each.key}" }
    },
    "aws_iam_role": {
      "r": {
        "name": "r",
        "assume_role_policy": "{}",
        "inline_policy": [{ "name": "x", "policy": "${jsonencode({Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = aws_s3_bucket.c[*].arn}]})}" }]
      }
    }
  },
  "data": {
    "aws_iam_policy_document": {
      "d": {
        "dynamic": {
          "statement": {
            "for_each": "${var.names}",
            "content": { "actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::${statement.value}"] }
          }
        }
      }
    }
  }
}`,
		"policy.tf": `
resource "aws_iam_policy" "d" {
  name   = "d"
  policy = data.aws_iam_policy_document.d.json
}
`,
	})
	g.noDiags(t)
	var names []string
	for _, b := range g.Buckets {
		names = append(names, b.Address+"="+s(b.Name))
	}
	eqList(t, "buckets", sortedStrings(names), []string{
		`aws_s3_bucket.c[0]=acme-prod-0`, `aws_s3_bucket.c[1]=acme-prod-1`,
		`aws_s3_bucket.e["a"]=acme-prod-a`, `aws_s3_bucket.e["b"]=acme-prod-b`,
	})
	eq(t, "account", string(g.bucket(t, "aws_s3_bucket.c[0]").Account), "111122223333")
	eq(t, "name at", g.start(g.bucket(t, "aws_s3_bucket.c[0]").Name.Range), g.at(t, "main.tf.json", `"${local.prefix}-${count.index}"`, 0))
	r := g.principal(t, "aws_iam_role.r")
	eqList(t, "role policies", policiesOf(r), []string{"aws_iam_role.r/x"})
	inline := g.policies("aws_iam_role.r", graph.IdentityPolicy)
	if len(inline) != 1 || inline[0].Doc == nil {
		t.Fatalf("inline policy:\n%s", g.dump())
	}
	eqList(t, "inline resources", resourcesOf(inline[0].Doc), []string{"arn:aws:s3:::acme-prod-0", "arn:aws:s3:::acme-prod-1"})
	eqList(t, "document resources", resourcesOf(g.doc(t, "aws_iam_policy.d", graph.IdentityPolicy)), []string{"arn:aws:s3:::a", "arn:aws:s3:::b"})
}

// Loads share no mutable state: several may run at once.
func TestConcurrentLoads(t *testing.T) {
	files := tree{
		"main.tf": policyDocTF + `
module "m" {
  for_each = toset(["a", "b"])
  source   = "./modules/store"
  name     = "acme-${each.key}"
}
`,
		"modules/store/main.tf": storeModule,
	}
	dir := writeTree(t, files)
	want := (&loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir}}), dir: dir}).dump()
	const n = 4
	got := make(chan string, n)
	for range n {
		go func() {
			got <- (&loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir}}), dir: dir}).dump()
		}()
	}
	for range n {
		if g := <-got; g != want {
			t.Fatalf("concurrent load differs:\n%s\n---\n%s", want, g)
		}
	}
}

// TestDuplicateBlocks: a second resource or module call of one name is an
// error at the second, naming the first; the first is the one read.
func TestDuplicateBlocks(t *testing.T) {
	g := load(t, tree{
		"a.tf":      "resource \"aws_s3_bucket\" \"b\" { bucket = \"acme-first\" }\nmodule \"m\" { source = \"./m\" }\n",
		"b.tf":      "resource \"aws_s3_bucket\" \"b\" { bucket = \"acme-second\" }\nmodule \"m\" { source = \"./m\" }\n",
		"m/main.tf": "variable \"x\" {\n  default = 1\n}\n",
	})
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, fmt.Sprintf("%s %s %s", g.start(d.Range), d.Severity, d.Message))
	}
	want := []string{
		"b.tf:1:1 error Duplicate resource aws_s3_bucket.b: resource aws_s3_bucket.b is already declared at " + g.dir + "/a.tf:1; Terraform refuses a module that declares it twice, and s3lint reads only the first",
		"b.tf:2:1 error Duplicate module m: module m is already declared at " + g.dir + "/a.tf:2; Terraform refuses a module that declares it twice, and s3lint reads only the first",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(g.Buckets) != 1 || g.Buckets[0].Name.V != "acme-first" {
		t.Errorf("buckets %+v", g.Buckets)
	}
}
