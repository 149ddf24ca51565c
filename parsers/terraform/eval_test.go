package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/terraform"
)

// probeList is a policy whose only statement's resources are expr.
func probeList(expr string) string {
	return `
data "aws_iam_policy_document" "probe" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ` + expr + `
  }
}

resource "aws_iam_policy" "probe" {
  name   = "probe"
  policy = data.aws_iam_policy_document.probe.json
}
`
}

// probeName is a bucket named by expr.
func probeName(expr string) string {
	return "\nresource \"aws_s3_bucket\" \"probe\" {\n  bucket = " + expr + "\n}\n"
}

// evalCase evaluates expr after a prelude of declarations: as a bucket name
// when want has one element and list is false, as the resources of a policy
// statement otherwise. In want, <acct> stands for the symbolic account of
// the default provider of the root module.
type evalCase struct {
	name    string
	prelude string
	files   tree // more files; main.tf is the prelude and the probe
	expr    string
	list    bool
	want    []string
	opts    []func(string, *terraform.Options)
	skip    string
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.skip != "" {
				bug(t, c.skip)
			}
			files := tree{}
			for k, v := range c.files {
				files[k] = v
			}
			if c.list {
				files["main.tf"] = c.prelude + probeList(c.expr)
			} else {
				files["main.tf"] = c.prelude + probeName(c.expr)
			}
			done := make(chan *loaded, 1)
			go func() { done <- load(t, files, c.opts...) }()
			var g *loaded
			select {
			case g = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("load did not finish")
			}
			g.noErrors(t)
			acct := string(graph.SymbolicAccount("aws in " + g.dir))
			want := make([]string, len(c.want))
			for i, w := range c.want {
				w = strings.ReplaceAll(w, "<acct>", acct)
				want[i] = strings.ReplaceAll(w, "<scope>", "@"+strings.ReplaceAll(strings.ReplaceAll(g.dir, "%", "%25"), "/", "%2F"))
			}
			if c.list {
				d := g.doc(t, "aws_iam_policy.probe", graph.IdentityPolicy)
				eqList(t, "resources", items(stmt(t, d, 0).Resource), want)
				return
			}
			b := g.bucket(t, "aws_s3_bucket.probe")
			eq(t, "bucket name", s(b.Name), want[0])
		})
	}
}

func TestLocals(t *testing.T) {
	runEvalCases(t, []evalCase{
		{
			name: "local referencing locals and variables",
			prelude: `
variable "env" { default = "prod" }
locals {
  prefix = "acme"
  name   = "${local.prefix}-${var.env}"
  full   = upper(local.name)
}
`,
			expr: "lower(local.full)",
			want: []string{"acme-prod"},
		},
		{
			name: "locals in several blocks and files",
			prelude: `
locals { a = "x" }
locals { b = "${local.a}${local.c}" }
`,
			files: tree{"locals.tf": `locals { c = "z" }`},
			expr:  "local.b",
			want:  []string{"xz"},
		},
		{
			name: "local referencing a resource attribute",
			prelude: `
resource "aws_s3_bucket" "data" { bucket = "acme-data" }
locals { arns = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"] }
`,
			expr: "local.arns",
			list: true,
			want: []string{"arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"},
		},
		{
			name:    "a local referencing itself is unknown",
			prelude: `locals { a = "${local.a}-x" }`,
			expr:    "local.a",
			want:    []string{"?"},
		},
		{
			name: "a cycle of locals is unknown",
			prelude: `
locals {
  a = "${local.b}-a"
  b = "${local.c}-b"
  c = "${local.a}-c"
}
`,
			expr: "local.b",
			want: []string{"?"},
		},
		{
			name: "a cycle through resources is unknown",
			prelude: `
resource "aws_s3_bucket" "x" { bucket = "${aws_s3_bucket.y.id}-x" }
resource "aws_s3_bucket" "y" { bucket = "${aws_s3_bucket.x.id}-y" }
`,
			expr: "aws_s3_bucket.x.id",
			want: []string{"?"},
		},
		{
			name: "a cycle through a count is unknown",
			prelude: `
resource "aws_s3_bucket" "x" {
  count  = length(aws_s3_bucket.x)
  bucket = "x"
}
`,
			expr: "length(aws_s3_bucket.x)",
			want: []string{"?"},
		},
		{
			name:    "a long chain of locals is evaluated once each",
			prelude: chainedLocals(300),
			expr:    "tostring(length(local.l299))",
			want:    []string{"2"},
		},
		{
			name:    "a local referencing an undeclared local is unknown",
			prelude: `locals { a = "${local.nope}-a" }`,
			expr:    "local.a",
			want:    []string{"?"},
		},
	})
}

// chainedLocals declares l0 … l(n-1), each built from the previous one
// twice, so that evaluation without memoisation would take 2^n steps.
func chainedLocals(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = [\"a\", \"b\"]\n")
	for i := 1; i < n; i++ {
		b.WriteString("  l" + itoa(i) + " = length(local.l" + itoa(i-1) + ") > 1 ? local.l" + itoa(i-1) + " : local.l" + itoa(i-1) + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

func TestResourceReferences(t *testing.T) {
	const buckets = `
resource "aws_s3_bucket" "src" { bucket = "src-bucket" }
resource "aws_s3_bucket" "gen" { bucket_prefix = "gen-" }
`
	runEvalCases(t, []evalCase{
		{name: "bucket arn", prelude: buckets, expr: "aws_s3_bucket.src.arn", want: []string{"arn:aws:s3:::src-bucket"}},
		{name: "bucket id", prelude: buckets, expr: "aws_s3_bucket.src.id", want: []string{"src-bucket"}},
		{name: "bucket bucket", prelude: buckets, expr: "aws_s3_bucket.src.bucket", want: []string{"src-bucket"}},
		{name: "bucket domain name", prelude: buckets, expr: "aws_s3_bucket.src.bucket_domain_name", want: []string{"src-bucket.s3.amazonaws.com"}},
		{name: "bucket_prefix makes the arn symbolic", prelude: buckets, expr: "aws_s3_bucket.gen.arn", want: []string{"arn:aws:s3:::<name of aws_s3_bucket.gen<scope>>"}},
		{name: "bucket_prefix makes the id unknown", prelude: buckets, expr: `"${aws_s3_bucket.gen.id}-x"`, want: []string{"?"}},
		{name: "unmodelled attribute is unknown", prelude: buckets, expr: "aws_s3_bucket.src.hosted_zone_id", want: []string{"?"}},
		{
			name:    "attribute written in the configuration",
			prelude: `resource "aws_s3_bucket" "t" { tags = { Name = "from-tag" } }`,
			expr:    `aws_s3_bucket.t.tags["Name"]`,
			want:    []string{"from-tag"},
		},
		{
			name:    "unmodelled resource type is unknown",
			prelude: `resource "aws_sns_topic" "t" { name = "topic" }`,
			expr:    "aws_sns_topic.t.name",
			want:    []string{"?"},
		},
		{
			name:    "undeclared resource is unknown",
			prelude: "",
			expr:    `"${aws_s3_bucket.nope.id}-x"`,
			want:    []string{"?"},
		},
		{
			name: "role arn with path and allowed_account_ids",
			prelude: `
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
resource "aws_iam_role" "r" {
  name               = "reader"
  path               = "/svc/"
  assume_role_policy = "{}"
}
`,
			expr: "aws_iam_role.r.arn",
			want: []string{"arn:aws:iam::111122223333:role/svc/reader"},
		},
		{
			name: "role arn without path, id and name",
			prelude: `
provider "aws" { allowed_account_ids = ["111122223333"] }
resource "aws_iam_role" "r" {
  name               = "reader"
  assume_role_policy = "{}"
}
`,
			expr: `[aws_iam_role.r.arn, aws_iam_role.r.id, aws_iam_role.r.name]`,
			list: true,
			want: []string{"arn:aws:iam::111122223333:role/reader", "reader", "reader"},
		},
		{
			name: "several allowed_account_ids leave the account symbolic",
			prelude: `
provider "aws" { allowed_account_ids = ["111122223333", "999988887777"] }
resource "aws_iam_role" "r" {
  name               = "reader"
  assume_role_policy = "{}"
}
`,
			expr: "aws_iam_role.r.arn",
			want: []string{"arn:aws:iam::<acct>:role/reader"},
		},
		{
			name: "role arn with the account of assume_role",
			prelude: `
provider "aws" {
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/x"
  }
}
resource "aws_iam_role" "r" {
  name               = "writer"
  assume_role_policy = "{}"
}
`,
			expr: "aws_iam_role.r.arn",
			want: []string{"arn:aws:iam::444455556666:role/writer"},
		},
		{
			name: "allowed_account_ids from a variable",
			prelude: `
variable "account" { default = "111122223333" }
provider "aws" { allowed_account_ids = [var.account] }
data "aws_caller_identity" "me" {}
`,
			expr: "data.aws_caller_identity.me.account_id",
			want: []string{"111122223333"},
		},
		{
			// The name is the provider's choice: a symbol stands for it in
			// the ARN, with the form it takes (the prefix and a unique
			// suffix), and the name and ID stay unknown.
			name: "role arn with a name_prefix is symbolic",
			prelude: `
resource "aws_iam_role" "r" {
  name_prefix        = "reader-"
  assume_role_policy = "{}"
}
`,
			expr: `[aws_iam_role.r.arn, aws_iam_role.r.id, aws_iam_role.r.name]`,
			list: true,
			want: []string{"arn:aws:iam::<acct>:role/<name of aws_iam_role.r<scope>#reader-%2A>", "?", "?"},
		},
		{
			// Without name or name_prefix, the provider's name is
			// "terraform-" and a unique suffix.
			name: "role arn without a name is symbolic",
			prelude: `
resource "aws_iam_role" "r" {
  assume_role_policy = "{}"
}
`,
			expr: `aws_iam_role.r.arn`,
			want: []string{"arn:aws:iam::<acct>:role/<name of aws_iam_role.r<scope>#terraform-%2A>"},
		},
		{
			// A name from an input without a value may be anything.
			name: "role arn with an unknown name is symbolic",
			prelude: `
variable "name" { type = string }
resource "aws_iam_role" "r" {
  name               = var.name
  assume_role_policy = "{}"
}
`,
			expr: `aws_iam_role.r.arn`,
			want: []string{"arn:aws:iam::<acct>:role/<name of aws_iam_role.r<scope>>"},
		},
		{
			name: "role arn with an unknown path is unknown",
			prelude: `
variable "path" { type = string }
resource "aws_iam_role" "r" {
  name               = "reader"
  path               = var.path
  assume_role_policy = "{}"
}
`,
			expr: "aws_iam_role.r.arn",
			want: []string{"?"},
		},
		{
			name: "user and managed policy arns",
			prelude: `
provider "aws" { allowed_account_ids = ["111122223333"] }
resource "aws_iam_user" "u" { name = "alice" }
resource "aws_iam_group" "g" {
  name = "devs"
  path = "/teams/"
}
resource "aws_iam_policy" "p" {
  name   = "read"
  path   = "/app/"
  policy = "{}"
}
`,
			expr: `[aws_iam_user.u.arn, aws_iam_group.g.arn, aws_iam_policy.p.arn, aws_iam_policy.p.id]`,
			list: true,
			want: []string{
				"arn:aws:iam::111122223333:user/alice",
				"arn:aws:iam::111122223333:group/teams/devs",
				"arn:aws:iam::111122223333:policy/app/read",
				"arn:aws:iam::111122223333:policy/app/read",
			},
		},
		{
			name:    "caller identity without a stated account is symbolic",
			prelude: `data "aws_caller_identity" "current" {}`,
			expr:    `"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"`,
			want:    []string{"arn:aws:iam::<acct>:root"},
		},
		{
			name: "caller identity with the account of assume_role",
			prelude: `
provider "aws" {
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/x"
  }
}
data "aws_caller_identity" "current" {}
`,
			expr: "data.aws_caller_identity.current.account_id",
			want: []string{"444455556666"},
		},
		{
			name:    "partition defaults to aws",
			prelude: `data "aws_partition" "current" {}`,
			expr:    `"arn:${data.aws_partition.current.partition}:s3:::x"`,
			want:    []string{"arn:aws:s3:::x"},
		},
		{
			name: "partition and bucket arn in China",
			prelude: `
provider "aws" { region = "cn-north-1" }
data "aws_partition" "current" {}
resource "aws_s3_bucket" "b" { bucket = "cn-bucket" }
`,
			expr: `[data.aws_partition.current.partition, data.aws_partition.current.dns_suffix, aws_s3_bucket.b.arn]`,
			list: true,
			want: []string{"aws-cn", "amazonaws.com.cn", "arn:aws-cn:s3:::cn-bucket"},
		},
		{
			name: "partition in GovCloud",
			prelude: `
provider "aws" { region = "us-gov-west-1" }
data "aws_partition" "current" {}
`,
			expr: "data.aws_partition.current.partition",
			want: []string{"aws-us-gov"},
		},
		{
			name: "region",
			prelude: `
provider "aws" { region = "eu-central-1" }
data "aws_region" "current" {}
resource "aws_s3_bucket" "b" { bucket = "b" }
`,
			expr: `[data.aws_region.current.name, aws_s3_bucket.b.bucket_regional_domain_name]`,
			list: true,
			want: []string{"eu-central-1", "b.s3.eu-central-1.amazonaws.com"},
		},
		{
			name:    "region unknown without a provider region",
			prelude: `data "aws_region" "current" {}`,
			expr:    `"x-${data.aws_region.current.name}"`,
			want:    []string{"?"},
		},
		{
			name: "data sources of an aliased provider",
			prelude: `
provider "aws" { allowed_account_ids = ["111122223333"] }
provider "aws" {
  alias               = "other"
  region              = "cn-northwest-1"
  allowed_account_ids = ["222233334444"]
}
data "aws_caller_identity" "other" { provider = aws.other }
data "aws_partition" "other" { provider = aws.other }
`,
			expr: `"${data.aws_partition.other.partition}:${data.aws_caller_identity.other.account_id}"`,
			want: []string{"aws-cn:222233334444"},
		},
		{
			name: "data aws_s3_bucket",
			prelude: `
data "aws_s3_bucket" "ext" { bucket = "external" }
`,
			expr: "data.aws_s3_bucket.ext.arn",
			want: []string{"arn:aws:s3:::external"},
		},
		{
			name: "depends_on and lifecycle do not disturb evaluation",
			prelude: `
resource "aws_s3_bucket" "x" {
  bucket     = "with-meta"
  depends_on = [aws_s3_bucket.y]
  lifecycle { prevent_destroy = true }
}
resource "aws_s3_bucket" "y" { bucket = "y" }
`,
			expr: "aws_s3_bucket.x.id",
			want: []string{"with-meta"},
		},
	})
}

func TestCountAndForEachValues(t *testing.T) {
	runEvalCases(t, []evalCase{
		{
			name: "splat over count",
			prelude: `
resource "aws_s3_bucket" "c" {
  count  = 3
  bucket = "c-${count.index}"
}
`,
			expr: "aws_s3_bucket.c[*].arn",
			list: true,
			want: []string{"arn:aws:s3:::c-0", "arn:aws:s3:::c-1", "arn:aws:s3:::c-2"},
		},
		{
			name: "legacy splat over count",
			prelude: `
resource "aws_s3_bucket" "c" {
  count  = 2
  bucket = "c-${count.index}"
}
`,
			expr: "aws_s3_bucket.c.*.id",
			list: true,
			want: []string{"c-0", "c-1"},
		},
		{
			name: "index into count",
			prelude: `
resource "aws_s3_bucket" "c" {
  count  = 2
  bucket = "c-${count.index}"
}
`,
			expr: "aws_s3_bucket.c[1].id",
			want: []string{"c-1"},
		},
		{
			name: "count zero gives an empty list",
			prelude: `
resource "aws_s3_bucket" "c" {
  count  = 0
  bucket = "c"
}
`,
			expr: `concat(["x"], aws_s3_bucket.c[*].arn)`,
			list: true,
			want: []string{"x"},
		},
		{
			name: "count from a conditional",
			prelude: `
variable "enabled" { default = true }
resource "aws_s3_bucket" "c" {
  count  = var.enabled ? 1 : 0
  bucket = "enabled"
}
`,
			expr: "aws_s3_bucket.c[0].id",
			want: []string{"enabled"},
		},
		{
			name: "unknown count makes the splat unknown",
			prelude: `
variable "n" { type = number }
resource "aws_s3_bucket" "c" {
  count  = var.n
  bucket = "c-${count.index}"
}
`,
			expr: "aws_s3_bucket.c[*].arn",
			list: true,
			want: []string{"<unknown list>"},
		},
		{
			name: "for_each map: index by key",
			prelude: `
resource "aws_s3_bucket" "m" {
  for_each = { logs = "acme-logs", data = "acme-data" }
  bucket   = each.value
}
`,
			expr: `aws_s3_bucket.m["logs"].arn`,
			want: []string{"arn:aws:s3:::acme-logs"},
		},
		{
			name: "for_each: for expression in key order",
			prelude: `
resource "aws_s3_bucket" "m" {
  for_each = { z = "acme-z", a = "acme-a", m = "acme-m" }
  bucket   = "${each.key}-${each.value}"
}
`,
			expr: "[for k, b in aws_s3_bucket.m : b.id]",
			list: true,
			want: []string{"a-acme-a", "m-acme-m", "z-acme-z"},
		},
		{
			name: "for_each: values() and splat",
			prelude: `
resource "aws_s3_bucket" "m" {
  for_each = toset(["b", "a"])
  bucket   = "s-${each.value}"
}
`,
			expr: "values(aws_s3_bucket.m)[*].arn",
			list: true,
			want: []string{"arn:aws:s3:::s-a", "arn:aws:s3:::s-b"},
		},
		{
			name: "for_each over objects",
			prelude: `
variable "buckets" {
  default = {
    logs = { name = "acme-logs", public = false }
    web  = { name = "acme-web", public = true }
  }
}
resource "aws_s3_bucket" "m" {
  for_each = var.buckets
  bucket   = each.value.name
}
`,
			expr: `[for k, b in aws_s3_bucket.m : b.arn if var.buckets[k].public]`,
			list: true,
			want: []string{"arn:aws:s3:::acme-web"},
		},
		{
			name: "for_each chained over another resource",
			prelude: `
resource "aws_s3_bucket" "m" {
  for_each = toset(["a", "b"])
  bucket   = "acme-${each.key}"
}
resource "aws_s3_bucket_policy" "p" {
  for_each = aws_s3_bucket.m
  bucket   = each.value.id
  policy   = "{}"
}
`,
			expr: `[for p in aws_s3_bucket_policy.p : p.id]`,
			list: true,
			want: []string{"acme-a", "acme-b"},
		},
		{
			name: "unknown for_each makes the collection unknown",
			prelude: `
variable "names" { type = set(string) }
resource "aws_s3_bucket" "m" {
  for_each = var.names
  bucket   = each.key
}
`,
			expr: "[for b in aws_s3_bucket.m : b.arn]",
			list: true,
			want: []string{"<unknown list>"},
		},
		{
			name: "for expression producing an object",
			prelude: `
locals {
  names = ["a", "b"]
  arns  = { for n in local.names : n => "arn:aws:s3:::${n}" }
}
`,
			expr: `[local.arns["b"], local.arns.a]`,
			list: true,
			want: []string{"arn:aws:s3:::b", "arn:aws:s3:::a"},
		},
		{
			name:    "conditional",
			prelude: `variable "env" { default = "prod" }`,
			expr:    `var.env == "prod" ? "acme-prod" : "acme-dev"`,
			want:    []string{"acme-prod"},
		},
		{
			name:    "conditional on an unknown is unknown",
			prelude: `variable "env" { type = string }`,
			expr:    `var.env == "prod" ? "acme-prod" : "acme-dev"`,
			want:    []string{"?"},
		},
		{
			name:    "heredoc",
			prelude: `locals { n = "acme" }`,
			expr:    "trimspace(<<EOT\n  ${local.n}-heredoc\nEOT\n)",
			want:    []string{"acme-heredoc"},
		},
		{
			name:    "indented heredoc",
			prelude: `locals { n = "acme" }`,
			expr:    "<<-EOT\n    ${local.n}\n      nested\n    EOT\n",
			want:    []string{"acme\n  nested\n"},
		},
		{
			name:    "template for directive",
			prelude: `locals { envs = ["dev", "prod"] }`,
			expr:    `"%{for e in local.envs}${e};%{endfor}"`,
			want:    []string{"dev;prod;"},
		},
		{
			name:    "template for directive with strip markers in a heredoc",
			prelude: `locals { envs = ["dev", "prod"] }`,
			expr:    "<<-EOT\n  %{~ for i, e in local.envs ~}\n  ${i}=${e}\n  %{~ endfor ~}\n  EOT\n",
			// As HCL (and so Terraform) renders it: the strip markers
			// remove the newlines next to the directives, and the
			// indentation of the flush heredoc is kept on the lines that
			// follow a stripped newline.
			want: []string{"  0=dev\n  1=prod\n"},
		},
		{
			name:    "template if directive",
			prelude: `variable "public" { default = false }`,
			expr:    `"acme%{if var.public}-public%{else}-private%{endif}"`,
			want:    []string{"acme-private"},
		},
		{
			name:    "escaped interpolation is literal",
			prelude: "",
			expr:    `"$${aws:username}-%%{x}"`,
			want:    []string{"${aws:username}-%{x}"},
		},
		{
			name:    "terraform.workspace and path.root",
			prelude: "",
			expr:    `"${terraform.workspace}-${path.root}-${path.module}"`,
			want:    []string{"default-.-."},
		},
	})
}

func TestFunctions(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	runEvalCases(t, []evalCase{
		{
			name: "jsonencode",
			expr: `jsonencode({ b = ["x"], a = 1 })`,
			want: []string{`{"a":1,"b":["x"]}`},
		},
		{
			name: "jsondecode",
			expr: `jsondecode("{\"Resource\": [\"arn:aws:s3:::a\", \"arn:aws:s3:::b\"]}").Resource`,
			list: true,
			want: []string{"arn:aws:s3:::a", "arn:aws:s3:::b"},
		},
		{name: "format", expr: `format("arn:aws:s3:::%s/%s", "b", "*")`, want: []string{"arn:aws:s3:::b/*"}},
		{name: "formatlist", expr: `formatlist("arn:aws:s3:::%s/*", ["a", "b"])`, list: true, want: []string{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"}},
		{name: "join", expr: `join("-", ["a", "b", "c"])`, want: []string{"a-b-c"}},
		{name: "concat", expr: `concat(["a"], ["b", "c"], [])`, list: true, want: []string{"a", "b", "c"}},
		{name: "merge", expr: `values(merge({ a = "1", b = "2" }, { a = "3" }))`, list: true, want: []string{"3", "2"}},
		{name: "lookup with default", expr: `lookup({ a = "x" }, "b", "dflt")`, want: []string{"dflt"}},
		{name: "lookup", expr: `lookup({ a = "x" }, "a", "dflt")`, want: []string{"x"}},
		{name: "element wraps around", expr: `element(["a", "b", "c"], 4)`, want: []string{"b"}},
		{name: "flatten", expr: `flatten([["a"], ["b", ["c"]], []])`, list: true, want: []string{"a", "b", "c"}},
		{name: "distinct", expr: `distinct(["a", "b", "a", "c", "b"])`, list: true, want: []string{"a", "b", "c"}},
		{name: "replace", expr: `replace("acme.prod.data", ".", "-")`, want: []string{"acme-prod-data"}},
		{name: "replace regex", expr: `replace("acme-prod", "/-(.*)$/", "_$1")`, want: []string{"acme_prod"}},
		{
			name:    "try falls back",
			prelude: `locals { obj = { a = "x" } }`,
			expr:    `try(local.obj.missing, "fallback")`,
			want:    []string{"fallback"},
		},
		{
			name:    "try takes the first that works",
			prelude: `locals { obj = { a = "x" } }`,
			expr:    `try(local.obj.a, "fallback")`,
			want:    []string{"x"},
		},
		{name: "can", expr: `can(regex("^acme", "acme-x")) ? "yes" : "no"`, want: []string{"yes"}},
		{name: "can false", expr: `can(tonumber("x")) ? "yes" : "no"`, want: []string{"no"}},
		{name: "coalesce skips empty strings and nulls", expr: `coalesce(null, "", "b", "c")`, want: []string{"b"}},
		{name: "tolist of toset sorts", expr: `tolist(toset(["b", "a", "b"]))`, list: true, want: []string{"a", "b"}},
		{name: "toset", expr: `toset(["b", "a", "b"])`, list: true, want: []string{"a", "b"}},
		{name: "tomap", expr: `tomap({ a = "x" })["a"]`, want: []string{"x"}},
		{name: "keys are sorted", expr: `keys({ b = 1, a = 2 })`, list: true, want: []string{"a", "b"}},
		{name: "values in key order", expr: `values({ b = "x", a = "y" })`, list: true, want: []string{"y", "x"}},
		{name: "length of a string", expr: `tostring(length("acme"))`, want: []string{"4"}},
		{name: "split and slice", expr: `slice(split(",", "a,b,c"), 1, 3)`, list: true, want: []string{"b", "c"}},
		{name: "compact", expr: `compact(["a", "", "b"])`, list: true, want: []string{"a", "b"}},
		{name: "contains", expr: `contains(["a"], "a") ? "in" : "out"`, want: []string{"in"}},
		{name: "zipmap", expr: `zipmap(["k"], ["v"])["k"]`, want: []string{"v"}},
		{name: "setproduct", expr: `[for p in setproduct(["a", "b"], ["1"]) : join("", p)]`, list: true, want: []string{"a1", "b1"}},
		{name: "sha256 is computed", expr: `substr(sha256("x"), 0, 8)`, want: []string{"2d711642"}},
		{name: "timestamp is unknown", expr: `"t-${timestamp()}"`, want: []string{"?"}},
		{name: "uuid is unknown", expr: `"u-${uuid()}"`, want: []string{"?"}},
		{name: "provider function arn_build", expr: `provider::aws::arn_build("aws", "s3", "", "", "b")`, want: []string{"arn:aws:s3:::b"}},
		{
			name:  "templatefile inside the scan dir",
			files: tree{"templates/arn.tpl": "arn:aws:s3:::${name}/%{ for p in prefixes }${p}%{ endfor }*"},
			expr:  `templatefile("${path.module}/templates/arn.tpl", { name = "acme", prefixes = ["a/", "b/"] })`,
			want:  []string{"arn:aws:s3:::acme/a/b/*"},
		},
		{
			name:  "file inside the scan dir",
			files: tree{"name.txt": "acme-from-file\n"},
			expr:  `trimspace(file("${path.module}/name.txt"))`,
			want:  []string{"acme-from-file"},
		},
		{
			name:  "file relative to the root module",
			files: tree{"name.txt": "acme-relative"},
			expr:  `file("name.txt")`,
			want:  []string{"acme-relative"},
		},
		{
			name:  "jsondecode of a policy file",
			files: tree{"policy.json": `{"Statement": [{"Resource": ["arn:aws:s3:::f/*"]}]}`},
			expr:  `jsondecode(file("${path.module}/policy.json")).Statement[0].Resource`,
			list:  true,
			want:  []string{"arn:aws:s3:::f/*"},
		},
		{
			name: "file outside the scan root by absolute path is not read",
			expr: `"x-${file("` + filepath.ToSlash(filepath.Join(outside, "secret.txt")) + `")}"`,
			want: []string{"?"},
		},
		{
			name: "file outside the scan root by relative path is not read",
			expr: `"x-${file("../` + filepath.Base(outside) + `/secret.txt")}"`,
			want: []string{"?"},
		},
		{
			name: "templatefile outside the scan root is not read",
			expr: `"x-${templatefile("${path.module}/../` + filepath.Base(outside) + `/secret.txt", {})}"`,
			want: []string{"?"},
		},
		{
			name: "file that does not exist is unknown",
			expr: `"x-${file("nope.txt")}"`,
			want: []string{"?"},
		},
		{
			name:  "fileexists inside the root",
			files: tree{"here.txt": ""},
			expr:  `"${fileexists("${path.module}/here.txt")}-${fileexists("${path.module}/nope.txt")}"`,
			want:  []string{"true-false"},
		},
	})
}

// A symbolic link inside the scan root that points outside it must not be
// followed by file(): the loader promises never to read outside the roots.
func TestFileSymlinkOutsideRoot(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, tree{"main.tf": probeName(`"x-${file("${path.module}/link.txt")}"`)})
	if err := os.Symlink(secret, filepath.Join(dir, "link.txt")); err != nil {
		t.Skip("no symlinks:", err)
	}
	g := &loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir}}), dir: dir}
	name := g.bucket(t, "aws_s3_bucket.probe").Name
	if name.Known() {
		t.Errorf("file() read %q through a symlink to a file outside the scan root", name.V)
	}
}

// A module source that is a symbolic link to a directory outside the scan
// root must not be read either.
func TestModuleSymlinkOutsideRoot(t *testing.T) {
	outside := writeTree(t, tree{"main.tf": bucketNamed(`"outside-module"`)})
	dir := writeTree(t, tree{"main.tf": "module \"m\" {\n  source = \"./link\"\n}\n"})
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Skip("no symlinks:", err)
	}
	g := &loaded{Graph: terraform.Load(terraform.Options{Paths: []string{dir}}), dir: dir}
	if len(g.Buckets) != 0 {
		t.Errorf("module outside the scan root was read through a symlink:\n%s", g.dump())
	}
}

func TestCountAndForEachInstances(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		want  []string // address=name
		notes int
	}{
		{
			name: "count known",
			src: `
resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "b-${count.index}"
}`,
			want: []string{"aws_s3_bucket.b[0]=b-0", "aws_s3_bucket.b[1]=b-1"},
		},
		{
			name: "count as a string",
			src: `
resource "aws_s3_bucket" "b" {
  count  = "2"
  bucket = "b-${count.index}"
}`,
			want: []string{"aws_s3_bucket.b[0]=b-0", "aws_s3_bucket.b[1]=b-1"},
		},
		{
			name: "count zero",
			src: `
resource "aws_s3_bucket" "b" {
  count  = 0
  bucket = "b"
}`,
			want: []string{},
		},
		{
			name: "count unknown",
			src: `
variable "n" { type = number }
resource "aws_s3_bucket" "b" {
  count  = var.n
  bucket = "b-${count.index}"
}
resource "aws_s3_bucket" "c" {
  count  = var.n
  bucket = "fixed"
}`,
			want: []string{"aws_s3_bucket.b[count.index]=?", "aws_s3_bucket.c[count.index]=fixed"},
		},
		{
			name: "for_each map",
			src: `
resource "aws_s3_bucket" "b" {
  for_each = { logs = "acme-logs", data = "acme-data" }
  bucket   = "${each.value}-${each.key}"
}`,
			want: []string{`aws_s3_bucket.b["data"]=acme-data-data`, `aws_s3_bucket.b["logs"]=acme-logs-logs`},
		},
		{
			name: "for_each set of strings",
			src: `
variable "names" {
  type    = set(string)
  default = ["y", "x"]
}
resource "aws_s3_bucket" "b" {
  for_each = var.names
  bucket   = "${each.key}-${each.value}"
}`,
			want: []string{`aws_s3_bucket.b["x"]=x-x`, `aws_s3_bucket.b["y"]=y-y`},
		},
		{
			name: "for_each toset",
			src: `
resource "aws_s3_bucket" "b" {
  for_each = toset(["y", "x", "y"])
  bucket   = each.key
}`,
			want: []string{`aws_s3_bucket.b["x"]=x`, `aws_s3_bucket.b["y"]=y`},
		},
		{
			name: "for_each empty map",
			src: `
resource "aws_s3_bucket" "b" {
  for_each = {}
  bucket   = each.key
}`,
			want: []string{},
		},
		{
			name: "for_each unknown",
			src: `
variable "names" { type = set(string) }
resource "aws_s3_bucket" "b" {
  for_each = var.names
  bucket   = each.key
}`,
			want: []string{`aws_s3_bucket.b[each.key]=?`},
		},
		{
			name: "for_each map with unknown values keeps known keys",
			src: `
variable "v" { type = string }
resource "aws_s3_bucket" "b" {
  for_each = { a = var.v, b = "known" }
  bucket   = "${each.key}-${each.value}"
}`,
			want: []string{`aws_s3_bucket.b["a"]=?`, `aws_s3_bucket.b["b"]=b-known`},
		},
		{
			name: "for_each keys with special characters",
			src: `
resource "aws_s3_bucket" "b" {
  for_each = { "a.b/c" = "x", "q\"" = "y" }
  bucket   = each.value
}`,
			want: []string{`aws_s3_bucket.b["a.b/c"]=x`, `aws_s3_bucket.b["q\""]=y`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := load(t, tree{"main.tf": c.src})
			g.noErrors(t)
			got := []string{}
			for _, b := range g.Buckets {
				got = append(got, b.Address+"="+s(b.Name))
			}
			eqList(t, "buckets", sortedStrings(got), c.want)
		})
	}
}

// MaxInstances bounds count and for_each, with a note.
func TestMaxInstances(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  count  = 50
  bucket = "b-${count.index}"
}
`}, func(_ string, o *terraform.Options) { o.Limits.MaxInstances = 5 })
	if len(g.Buckets) != 5 {
		t.Fatalf("want 5 buckets, got %d", len(g.Buckets))
	}
	notes := g.diags(graph.DiagNote)
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "main.tf:2:1: ") {
		t.Errorf("notes = %q", notes)
	}
}

// Terraform converts a number or bool given to a string argument (the
// provider schema says string), so `bucket = 12345` names the bucket
// "12345".
func TestPrimitiveConvertedToStringArgument(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "suffix" {
  type    = number
  default = 7
}
resource "aws_s3_bucket" "b" { bucket = 12345 }
resource "aws_iam_role" "r" {
  name               = var.suffix
  assume_role_policy = "{}"
}
`})
	g.noErrors(t)
	b := g.bucket(t, "aws_s3_bucket.b")
	r := g.principal(t, "aws_iam_role.r")
	eq(t, "bucket name", s(b.Name), "12345")
	eq(t, "bucket arn", s(b.ARN), "arn:aws:s3:::12345")
	eq(t, "role name", s(r.Name), "7")
}
