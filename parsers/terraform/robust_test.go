package terraform_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// Odd, invalid or hostile configurations must load without panicking or
// hanging; what cannot be evaluated is unknown.
func TestRobustness(t *testing.T) {
	deep := strings.Repeat("[", 600) + `"x"` + strings.Repeat("]", 600)
	cases := map[string]string{
		"missing block label":        `resource "aws_s3_bucket" { bucket = "x" }`,
		"unknown dynamic for_each":   `variable "v" {}` + "\n" + `data "aws_iam_policy_document" "d" {` + "\n" + `  dynamic "statement" {` + "\n    for_each = var.v\n    content {\n      actions = [statement.value]\n    }\n  }\n}\n" + `resource "aws_iam_policy" "p" { policy = data.aws_iam_policy_document.d.json }`,
		"for_each null":              `resource "aws_s3_bucket" "b" { for_each = null }`,
		"count null":                 `resource "aws_s3_bucket" "b" { count = null }`,
		"count negative":             `resource "aws_s3_bucket" "b" { count = -1 }`,
		"count fractional":           `resource "aws_s3_bucket" "b" { count = 1.5 }`,
		"count huge":                 `resource "aws_s3_bucket" "b" { count = 1e12 }`,
		"count of a list":            `resource "aws_s3_bucket" "b" { count = ["a"] }`,
		"for_each of objects":        `resource "aws_s3_bucket" "b" { for_each = toset([{a = 1}]) }`,
		"module count and for_each":  `module "m" {` + "\n  source = \"./m\"\n  count = 1\n  for_each = {a = 1}\n}\n",
		"unknown provider alias":     `variable "a" {}` + "\n" + `provider "aws" { alias = var.a }` + "\n" + `resource "aws_s3_bucket" "b" { provider = aws.nope }`,
		"bare references":            `locals { a = local }` + "\n" + `resource "aws_s3_bucket" "b" { bucket = "${var}${module}${data}${aws_s3_bucket}${self}${count}${each}${path}${terraform}" }`,
		"references with splats":     `resource "aws_s3_bucket" "b" { bucket = data.x[*].y }` + "\n" + `resource "aws_iam_policy" "p" { policy = jsonencode({ Statement = aws_s3_bucket.b[*] }) }`,
		"module output of nothing":   `module "m" { source = "./m" }` + "\n" + `resource "aws_s3_bucket" "b" { bucket = module.m.nope }`,
		"source from a variable":     `variable "s" { default = "./m" }` + "\n" + `module "m" { source = var.s }`,
		"empty source":               `module "m" { source = "" }`,
		"deeply nested JSON":         `resource "aws_iam_policy" "p" { policy = jsonencode(` + deep + `) }`,
		"policy not an object":       `resource "aws_iam_policy" "p" { policy = jsonencode(["a"]) }`,
		"policy a number":            `resource "aws_iam_policy" "p" { policy = 42 }`,
		"policy invalid JSON":        `resource "aws_iam_policy" "p" { policy = "{\"Statement\": [" }`,
		"statement wrong shapes":     `resource "aws_iam_policy" "p" { policy = jsonencode({ Statement = [null, "x", 1, { Resource = [["x"]], Principal = { AWS = null }, Condition = "c" }] }) }`,
		"principals without type":    `data "aws_iam_policy_document" "d" {` + "\n  statement {\n    principals {\n      identifiers = [\"*\"]\n    }\n    condition {\n      test = \"Bool\"\n    }\n  }\n}\n" + `resource "aws_iam_policy" "p" { policy = data.aws_iam_policy_document.d.json }`,
		"template recursion":         `resource "aws_s3_bucket" "b" { bucket = templatefile("t.tpl", {}) }`,
		"file of a directory":        `resource "aws_s3_bucket" "b" { bucket = file(path.module) }`,
		"home-relative file":         `resource "aws_s3_bucket" "b" { bucket = file("~/.aws/credentials") }`,
		"range limit":                `resource "aws_s3_bucket" "b" { bucket = join(",", [for i in range(100000000) : i]) }`,
		"self reference in resource": `resource "aws_s3_bucket" "b" { bucket = aws_s3_bucket.b.id }`,
		"data source cycle":          `data "aws_iam_policy_document" "a" { source_policy_documents = [data.aws_iam_policy_document.b.json] }` + "\n" + `data "aws_iam_policy_document" "b" { source_policy_documents = [data.aws_iam_policy_document.a.json] }` + "\n" + `resource "aws_iam_policy" "p" { policy = data.aws_iam_policy_document.a.json }`,
		"heredoc without end":        "locals {\n  a = <<EOT\nno end\n",
		"unterminated string":        "locals {\n  a = \"abc\n}\n",
		"binary garbage":             "\x00\x01\xff\xfe resource",
		"only comments":              "# nothing\n/* here */\n// at all\n",
		"empty file":                 "",
		"duplicate resources":        `resource "aws_s3_bucket" "b" { bucket = "one" }` + "\n" + `resource "aws_s3_bucket" "b" { bucket = "two" }`,
		"duplicate locals":           "locals { a = 1 }\nlocals { a = 2 }\n" + `resource "aws_s3_bucket" "b" { bucket = local.a }`,
		"ephemeral and check blocks": `ephemeral "aws_secret" "s" {}` + "\n" + `check "c" {` + "\n  data \"aws_s3_bucket\" \"x\" { bucket = \"x\" }\n}\n" + `import {` + "\n  to = aws_s3_bucket.b\n  id = \"b\"\n}\n" + `moved {` + "\n  from = aws_s3_bucket.a\n  to = aws_s3_bucket.b\n}\n",
		"unknown function":           `resource "aws_s3_bucket" "b" { bucket = nosuchfunc("x") }`,
		"provider function unknown":  `resource "aws_s3_bucket" "b" { bucket = provider::aws::nope("x") }`,
		"sensitive values":           `variable "v" {` + "\n  default = \"acme\"\n  sensitive = true\n}\n" + `resource "aws_s3_bucket" "b" { bucket = sensitive(var.v) }`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			files := tree{"main.tf": src, "m/main.tf": `output "x" { value = "x" }`, "t.tpl": `${templatefile("t.tpl", {})}`}
			done := make(chan *loaded, 1)
			go func() { done <- load(t, files) }()
			select {
			case g := <-done:
				// Every diagnostic is located in a file of the scan.
				for _, d := range g.Diagnostics {
					if d.File == "" && d.Range.File == "" {
						t.Errorf("diagnostic without a file: %+v", d)
					}
				}
				_ = g.dump()
			case <-timeout():
				t.Fatal("load did not finish")
			}
		})
	}
}

// Values that are clearly defined in the odd cases above.
func TestRobustnessValues(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "v" {
  default   = "acme"
  sensitive = true
}
resource "aws_s3_bucket" "sens" { bucket = sensitive(var.v) }
resource "aws_s3_bucket" "dup" { bucket = "first" }
resource "aws_s3_bucket" "dup" { bucket = "second" }
`})
	eq(t, "sensitive values are ordinary values", s(g.bucket(t, "aws_s3_bucket.sens").Name), "acme")
	// A duplicate resource is a Terraform error; the first one is kept.
	eq(t, "duplicate", s(g.bucket(t, "aws_s3_bucket.dup").Name), "first")
	eq(t, "buckets", len(g.Buckets), 2)

	// Marks made inside a template, or nested in a value, are stripped
	// too; so is every mark made after the first (the loader only looks
	// for marks once sensitive() has been called).
	m := load(t, tree{"main.tf": `
locals {
  names = { a = sensitive("nested") }
}
resource "aws_s3_bucket" "plain" { bucket = "plain" }
resource "aws_s3_bucket" "tmpl" { bucket = templatefile("${path.module}/name.tpl", {}) }
resource "aws_s3_bucket" "nested" { bucket = local.names.a }
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = sensitive(["s3:GetObject"]), Resource = "*" }] })
}
`, "name.tpl": `${sensitive("from-template")}`})
	eq(t, "plain", s(m.bucket(t, "aws_s3_bucket.plain").Name), "plain")
	eq(t, "marked in a template", s(m.bucket(t, "aws_s3_bucket.tmpl").Name), "from-template")
	eq(t, "marked in a local", s(m.bucket(t, "aws_s3_bucket.nested").Name), "nested")
	pd := m.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	if len(pd.Statements) != 1 || len(pd.Statements[0].Action.Items) != 1 || pd.Statements[0].Action.Items[0].V != "s3:GetObject" {
		t.Errorf("a policy with a sensitive action list: want s3:GetObject\n%s", m.dump())
	}

	h := load(t, tree{"main.tf": `resource "aws_iam_policy" "p" { policy = jsonencode({ Statement = [null, "x", { Resource = [["x"]] }] }) }`})
	d := h.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	if len(d.Problems) == 0 {
		t.Errorf("want problems for malformed statements\n%s", h.dump())
	}
}

// A resource's value is made whenever something asks for it, wherever
// that is written (even a tfvars file, which Terraform refuses), and holds
// what references see: a block of an attribute's name hides it.
func TestResourceValuesOnDemand(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
variable "name" {}
resource "aws_s3_bucket" "src" { bucket = "src-bucket" }
resource "aws_s3_bucket" "b" { bucket = var.name }
resource "aws_s3_bucket" "arnblock" {
  bucket = "x"
  arn {}
}
`,
		"terraform.tfvars": `name = aws_s3_bucket.src.bucket`,
	})
	eq(t, "bucket named from tfvars", s(g.bucket(t, "aws_s3_bucket.b").Name), "src-bucket")
	eq(t, "ARN hidden by a block", s(g.bucket(t, "aws_s3_bucket.arnblock").ARN), "?")
}

// A file with a NUL byte (an image or an archive under a Terraform name) is
// one error at the NUL, not one per character HCL cannot read; the other
// files of the module are still read.
func TestBinaryFile(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
	for _, name := range []string{"image.tf", "image.tf.json"} {
		t.Run(name, func(t *testing.T) {
			files := tree{name: png, "main.tf": `resource "aws_s3_bucket" "b" { bucket = "acme" }`}
			g := load(t, files)
			eqList(t, "errors", g.diags(graph.DiagError),
				[]string{at(t, files, name, "\x00", 0) + ": Binary file: a NUL byte here: this is not a text file (an image or an archive?), so it was not read"})
			eq(t, "bucket", s(g.bucket(t, "aws_s3_bucket.b").Name), "acme")
		})
	}
}

// A .tf.json file may start with a byte-order mark, as a .tf file may; its
// positions are those of the file as written.
func TestJSONWithBOM(t *testing.T) {
	files := tree{"main.tf.json": "\ufeff{\"resource\": {\"aws_s3_bucket\": {\"b\": {\"bucket\": \"acme\"}}},\n \"locals\": 5}\n"}
	g := load(t, files)
	eq(t, "bucket", s(g.bucket(t, "aws_s3_bucket.b").Name), "acme")
	errs := g.diags(graph.DiagError)
	if len(errs) != 1 || !strings.HasPrefix(errs[0], at(t, files, "main.tf.json", "5}", 0)+": Incorrect JSON value type") {
		t.Errorf("errors: %q", errs)
	}
}

// A policy that is meant to be JSON but does not parse is one warning at the
// syntax error, inside the heredoc; the document is unknown, so nothing is
// reported from it. Text that is not JSON at all is left to the policy
// parser.
func TestPolicyInvalidJSON(t *testing.T) {
	files := tree{"main.tf": `resource "aws_iam_policy" "p" {
  count  = 2
  policy = <<POLICY
{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::x",}]}
POLICY
}
`}
	g := load(t, files)
	eqList(t, "warnings", g.diags(graph.DiagWarning),
		[]string{at(t, files, "main.tf", "}]}", 0) + `: policy: not valid JSON: unexpected '}', expected a string key (AWS rejects this document)`})
	ps := g.policies("aws_iam_policy.p[0]", graph.IdentityPolicy)
	if len(ps) == 0 {
		t.Fatalf("no policy aws_iam_policy.p[0]\n%s", g.dump())
	}
	for _, p := range ps {
		if p.Doc != nil && len(p.Doc.Statements) != 0 {
			t.Errorf("statements of an invalid document: %+v", p.Doc.Statements)
		}
	}
}

// A local that depends on itself, directly or through another, is a warning
// at its name (Terraform rejects the cycle) and its value is unknown.
func TestLocalCycle(t *testing.T) {
	files := tree{"main.tf": `locals {
  self = local.self
  ping = local.pong
  pong = "${local.ping}-x"
  fine = "acme"
}
resource "aws_s3_bucket" "b" {
  bucket = "${local.fine}-${local.self}"
}
resource "aws_s3_bucket" "c" {
  bucket = local.ping
}
resource "aws_s3_bucket" "d" {
  bucket = local.fine
}
`}
	g := load(t, files)
	eqList(t, "warnings", g.diags(graph.DiagWarning), []string{
		at(t, files, "main.tf", "self =", 0) + ": local.self depends on itself (a reference cycle, which Terraform rejects); its value is unknown",
		at(t, files, "main.tf", "ping =", 0) + ": local.ping depends on itself (a reference cycle, which Terraform rejects); its value is unknown",
	})
	eq(t, "unknown name", g.bucket(t, "aws_s3_bucket.b").Name.Known(), false)
	eq(t, "known name", s(g.bucket(t, "aws_s3_bucket.d").Name), "acme")
}
