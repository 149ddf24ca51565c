package terraform_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// locCase loads files and checks where the items of one statement element
// of one policy are: each want is "value@needle#n" where needle's n-th
// occurrence (0 when #n is left out) in file is where the item starts, or
// "value@file:line:col".
type locCase struct {
	name   string
	files  tree
	policy string // address
	kind   graph.PolicyKind
	stmt   int
	elem   string // Action, Resource, NotResource, Principal
	file   string // where needles are searched; main.tf by default
	want   []string
	// span, when set, is a needle whose exact extent is the range of the
	// first item.
	span string
	bug  string
}

func runLocCases(t *testing.T, cases []locCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := load(t, c.files)
			g.noDiags(t)
			d := g.doc(t, c.policy, c.kind)
			st := stmt(t, d, c.stmt)
			var ss graph.Strings
			switch c.elem {
			case "Action":
				ss = st.Action
			case "Resource", "":
				ss = st.Resource
			case "NotResource":
				ss = st.NotResource
			case "Principal":
				if st.Principal == nil || len(st.Principal.Entries) == 0 {
					t.Fatalf("no principal\n%s", g.dump())
				}
				ss = graph.Strings{Present: true, Items: st.Principal.Entries[0].Values}
			}
			file := c.file
			if file == "" {
				file = "main.tf"
			}
			var want []string
			for _, w := range c.want {
				val, where, _ := strings.Cut(w, "@")
				if strings.Contains(where, ".tf:") || strings.Contains(where, ".json:") || strings.Contains(where, ".tfvars:") {
					want = append(want, val+"@"+where)
					continue
				}
				n := 0
				if i := strings.LastIndex(where, "#"); i >= 0 {
					n = int(where[i+1] - '0')
					where = where[:i]
				}
				want = append(want, val+"@"+g.at(t, file, where, n))
			}
			got := g.itemsAt(ss)
			if c.bug != "" && strings.Join(got, "|") != strings.Join(want, "|") {
				t.Logf("got %q", got)
				bug(t, c.bug)
			}
			eqList(t, c.elem+" items", got, want)
			if c.span != "" && len(ss.Items) > 0 {
				eq(t, "range of first item", g.r(ss.Items[0].Range), g.span(t, file, c.span, 0))
			}
		})
	}
}

func TestLocateJSONEncode(t *testing.T) {
	bucket := `resource "aws_s3_bucket" "b" { bucket = "acme" }` + "\n"
	runLocCases(t, []locCase{
		{
			name: "literal and reference items",
			files: tree{"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"]
    }]
  })
}
`},
			policy: "aws_iam_policy.p",
			want: []string{
				"arn:aws:s3:::acme@aws_s3_bucket.b.arn, ",
				`arn:aws:s3:::acme/*@"${aws_s3_bucket.b.arn}/*"`,
			},
			span: "aws_s3_bucket.b.arn",
		},
		{
			name: "single string element and a statement object",
			files: tree{"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = { Sid = "Läsa", Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.b.arn}/*" }
  })
}
`},
			policy: "aws_iam_policy.p",
			// Columns count characters ("ä" is one).
			want: []string{"arn:aws:s3:::acme/*@main.tf:6:87"},
		},
		{
			name: "action items",
			files: tree{"main.tf": `
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject",
                  "s3:ListBucket"]
      Resource = "*"
    }]
  })
}
`},
			policy: "aws_iam_policy.p",
			elem:   "Action",
			want:   []string{`s3:GetObject@"s3:GetObject"`, `s3:ListBucket@"s3:ListBucket"`},
		},
		{
			name: "for expression items point at the value expression",
			files: tree{"main.tf": `
resource "aws_s3_bucket" "logs" {
  for_each = toset(["a", "b"])
  bucket   = "logs-${each.key}"
}
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = [for b in aws_s3_bucket.logs : "${b.arn}/*"]
    }]
  })
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::logs-a/*@"${b.arn}/*"`, `arn:aws:s3:::logs-b/*@"${b.arn}/*"`},
		},
		{
			name: "concat items point at their lists",
			files: tree{"main.tf": `
locals { extra = ["arn:aws:s3:::extra/*"] }
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = concat(["arn:aws:s3:::first/*"], local.extra)
    }]
  })
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::first/*@"arn:aws:s3:::first/*"`, `arn:aws:s3:::extra/*@"arn:aws:s3:::extra/*"`},
		},
		{
			name: "conditional picks the branch",
			files: tree{"main.tf": `
variable "env" { default = "prod" }
locals {
  prod = ["arn:aws:s3:::prod/*"]
  dev  = ["arn:aws:s3:::dev/*"]
}
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = var.env == "prod" ? local.prod : local.dev
    }]
  })
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::prod/*@"arn:aws:s3:::prod/*"`},
		},
		{
			name: "merge of statement objects",
			files: tree{"main.tf": `
locals {
  base = { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::base/*" }
}
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [
      local.base,
      merge(local.base, { Resource = "arn:aws:s3:::merged/*" }),
    ]
  })
}
`},
			policy: "aws_iam_policy.p",
			stmt:   1,
			want:   []string{`arn:aws:s3:::merged/*@"arn:aws:s3:::merged/*"`},
		},
		{
			name: "statements built by a for expression",
			files: tree{"main.tf": `
locals {
  buckets = { a = "acme-a", b = "acme-b" }
}
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [for k, v in local.buckets : {
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::${v}/*"
    }]
  })
}
`},
			policy: "aws_iam_policy.p",
			stmt:   1,
			want:   []string{`arn:aws:s3:::acme-b/*@"arn:aws:s3:::${v}/*"`},
		},
	})
}

func TestLocateHeredoc(t *testing.T) {
	bucket := `resource "aws_s3_bucket" "b" { bucket = "acme" }` + "\n"
	runLocCases(t, []locCase{
		{
			name: "plain heredoc",
			files: tree{"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": ["arn:aws:s3:::acme", "arn:aws:s3:::acme/*"]
  }]
}
EOT
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::acme@"arn:aws:s3:::acme"`, `arn:aws:s3:::acme/*@"arn:aws:s3:::acme/*"`},
			span:   `"arn:aws:s3:::acme"`,
		},
		{
			name: "indented heredoc with interpolations",
			files: tree{"main.tf": bucket + `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["s3:GetObject"],
          "Resource": [
            "${aws_s3_bucket.b.arn}/home/$${aws:username}/*",
            "${aws_s3_bucket.b.arn}"
          ]
        }
      ]
    }
  EOT
}
`},
			policy: "aws_iam_policy.p",
			want: []string{
				`arn:aws:s3:::acme/home/${aws:username}/*@"${aws_s3_bucket.b.arn}/home`,
				`arn:aws:s3:::acme@"${aws_s3_bucket.b.arn}"`,
			},
			span: `"${aws_s3_bucket.b.arn}/home/$${aws:username}/*"`,
		},
		{
			name: "heredoc action after an escaped interpolation on the same line",
			files: tree{"main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Resource": "arn:aws:s3:::b/$${aws:username}", "Action": "s3:GetObject"}]}
  EOT
}
`},
			policy: "aws_iam_policy.p",
			elem:   "Action",
			want:   []string{`s3:GetObject@"s3:GetObject"`},
		},
		{
			name: "heredoc with non-ASCII text and count.index",
			files: tree{"main.tf": `
resource "aws_iam_policy" "p" {
  count  = 2
  name   = "p-${count.index}"
  policy = <<-EOT
    {"Statement": [{"Sid": "Läsrättighet", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b-${count.index}/*"}]}
  EOT
}
`},
			policy: "aws_iam_policy.p[1]",
			want:   []string{`arn:aws:s3:::b-1/*@"arn:aws:s3:::b-${count.index}/*"`},
			span:   `"arn:aws:s3:::b-${count.index}/*"`,
		},
		{
			name:   "heredoc indented with tabs",
			files:  tree{"main.tf": "resource \"aws_iam_policy\" \"p\" {\n\tname   = \"p\"\n\tpolicy = <<-EOT\n\t\t{\n\t\t\t\"Statement\": [{\n\t\t\t\t\"Effect\": \"Allow\",\n\t\t\t\t\"Action\": \"s3:GetObject\",\n\t\t\t\t\"Resource\": \"arn:aws:s3:::tabs/*\"\n\t\t\t}]\n\t\t}\n\tEOT\n}\n"},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::tabs/*@main.tf:8:17`},
		},
		{
			name: "quoted JSON string with escapes",
			files: tree{"main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::quoted/*\"}]}"
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::quoted/*@\"arn:aws:s3:::quoted/*\"`},
			span:   `\"arn:aws:s3:::quoted/*\"`,
		},
		{
			name:   "CRLF line endings",
			files:  tree{"main.tf": strings.ReplaceAll("resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = <<-EOT\n    {\n      \"Statement\": [{\n        \"Effect\": \"Allow\",\n        \"Action\": \"s3:GetObject\",\n        \"Resource\": \"arn:aws:s3:::crlf/*\"\n      }]\n    }\n  EOT\n}\n", "\n", "\r\n")},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::crlf/*@main.tf:8:21`},
		},
	})
}

func TestLocateThroughReferences(t *testing.T) {
	runLocCases(t, []locCase{
		{
			name: "policy in a local",
			files: tree{"main.tf": `
locals {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::from-local/*"
    }]
  })
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = local.policy
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::from-local/*@"arn:aws:s3:::from-local/*"`},
		},
		{
			name: "heredoc policy in a local",
			files: tree{"main.tf": `
locals {
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::heredoc-local/*"}]}
  EOT
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = local.policy
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::heredoc-local/*@"arn:aws:s3:::heredoc-local/*"`},
		},
		{
			name: "statement object in a local, resources in another",
			files: tree{"main.tf": `
locals {
  arns = ["arn:aws:s3:::one/*", "arn:aws:s3:::two/*"]
  stmt = {
    Effect   = "Allow"
    Action   = "s3:GetObject"
    Resource = local.arns
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [local.stmt] })
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::one/*@"arn:aws:s3:::one/*"`, `arn:aws:s3:::two/*@"arn:aws:s3:::two/*"`},
		},
		{
			name: "variable default",
			files: tree{"main.tf": `
variable "arns" { default = ["arn:aws:s3:::default/*"] }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = var.arns }] })
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::default/*@"arn:aws:s3:::default/*"`},
		},
		{
			name: "variable set in terraform.tfvars",
			files: tree{
				"main.tf": `
variable "arns" { default = ["arn:aws:s3:::default/*"] }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = var.arns }] })
}
`,
				"terraform.tfvars": "arns = [\n  \"arn:aws:s3:::tfvars/*\",\n]\n",
			},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::tfvars/*@terraform.tfvars:2:3`},
		},
		{
			name: "resource attribute is located where the policy references it",
			files: tree{"main.tf": `
resource "aws_s3_bucket" "b" { bucket = "acme" }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = aws_s3_bucket.b.arn }] })
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::acme@aws_s3_bucket.b.arn }`},
		},
		{
			name: "policy read with file() is located in the file",
			files: tree{
				"main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("${path.module}/policy.json")
}
`,
				"policy.json": "{\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": \"s3:GetObject\",\n    \"Resource\": \"arn:aws:s3:::from-file/*\"\n  }]\n}\n",
			},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::from-file/*@policy.json:5:17`},
			bug:    "a policy read with file()/templatefile() is located at the file() call, not inside the JSON file that holds it (locate.go textNode has no case for file functions)",
		},
	})
}

// A policy passed to a local module through a variable is located where
// the caller wrote it.
func TestLocateThroughModules(t *testing.T) {
	runLocCases(t, []locCase{
		{
			name: "whole policy from the caller",
			files: tree{
				"main.tf": `
module "m" {
  source = "./modules/m"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::from-caller/*"
    }]
  })
}
`,
				"modules/m/main.tf": `
variable "policy" { type = string }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = var.policy
}
`,
			},
			policy: "module.m.aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::from-caller/*@"arn:aws:s3:::from-caller/*"`},
		},
		{
			name: "resource ARN from the caller, template in the module",
			files: tree{
				"main.tf": `
resource "aws_s3_bucket" "b" { bucket = "acme" }
module "m" {
  source     = "./modules/m"
  bucket_arn = aws_s3_bucket.b.arn
}
`,
				"modules/m/main.tf": `
variable "bucket_arn" { type = string }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [var.bucket_arn, "${var.bucket_arn}/*"]
    }]
  })
}
`,
			},
			policy: "module.m.aws_iam_policy.p",
			want: []string{
				// An item written as a reference is located at the
				// reference in the policy.
				`arn:aws:s3:::acme@modules/m/main.tf:9:19`,
				`arn:aws:s3:::acme/*@modules/m/main.tf:9:35`,
			},
		},
		{
			name: "module output used by the root",
			files: tree{
				"main.tf": `
module "m" { source = "./modules/m" }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = module.m.policy
}
`,
				"modules/m/main.tf": `
output "policy" {
  value = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::from-output/*" }]
  })
}
`,
			},
			policy: "aws_iam_policy.p",
			file:   "modules/m/main.tf",
			want:   []string{`arn:aws:s3:::from-output/*@"arn:aws:s3:::from-output/*"`},
		},
		{
			name: "for_each module with each.value",
			files: tree{
				"main.tf": `
module "m" {
  for_each = { a = "arn:aws:s3:::a/*", b = "arn:aws:s3:::b/*" }
  source   = "./modules/m"
  arn      = each.value
}
`,
				"modules/m/main.tf": `
variable "arn" { type = string }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = var.arn }] })
}
`,
			},
			policy: `module.m["b"].aws_iam_policy.p`,
			file:   "modules/m/main.tf",
			want:   []string{`arn:aws:s3:::b/*@var.arn }`},
		},
		{
			name: "for_each module with a list from each.value",
			files: tree{
				"main.tf": `
module "m" {
  for_each = { a = ["arn:aws:s3:::a/*"], b = ["arn:aws:s3:::b/*"] }
  source   = "./modules/m"
  arns     = each.value
}
`,
				"modules/m/main.tf": `
variable "arns" { type = list(string) }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = var.arns }] })
}
`,
			},
			policy: `module.m["b"].aws_iam_policy.p`,
			want:   []string{`arn:aws:s3:::b/*@"arn:aws:s3:::b/*"`},
		},
	})
}

func TestLocateTfJSON(t *testing.T) {
	main := `{
  "resource": {
    "aws_s3_bucket": {
      "b": { "bucket": "acme-json" }
    },
    "aws_iam_policy": {
      "p": {
        "name": "p",
        "policy": "${jsonencode({\"Statement\" = [{Effect = \"Allow\", Action = [\"s3:GetObject\"], Resource = [aws_s3_bucket.b.arn, \"arn:aws:s3:::x/*\"]}]})}"
      },
      "q": {
        "name": "q",
        "policy": "${data.aws_iam_policy_document.d.json}"
      },
      "plain": {
        "name": "plain",
        "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::plain/*\"}]}"
      }
    }
  },
  "data": {
    "aws_iam_policy_document": {
      "d": {
        "statement": [
          {
            "actions": ["s3:PutObject"],
            "resources": ["${aws_s3_bucket.b.arn}/*", "arn:aws:s3:::lit"]
          }
        ]
      }
    }
  }
}
`
	files := tree{"main.tf.json": main}
	runLocCases(t, []locCase{
		{
			name:   "jsonencode template with escaped quotes",
			files:  files,
			file:   "main.tf.json",
			policy: "aws_iam_policy.p",
			want: []string{
				`arn:aws:s3:::acme-json@aws_s3_bucket.b.arn, `,
				`arn:aws:s3:::x/*@\"arn:aws:s3:::x/*\"`,
			},
		},
		{
			name:   "jsonencode template action",
			files:  files,
			file:   "main.tf.json",
			policy: "aws_iam_policy.p",
			elem:   "Action",
			want:   []string{`s3:GetObject@\"s3:GetObject\"`},
			span:   `\"s3:GetObject\"`,
		},
		{
			name:   "policy document in JSON syntax",
			files:  files,
			file:   "main.tf.json",
			policy: "aws_iam_policy.q",
			want: []string{
				`arn:aws:s3:::acme-json/*@"${aws_s3_bucket.b.arn}/*"`,
				`arn:aws:s3:::lit@"arn:aws:s3:::lit"`,
			},
		},
		{
			name:   "plain escaped JSON string",
			files:  files,
			file:   "main.tf.json",
			policy: "aws_iam_policy.plain",
			want:   []string{`arn:aws:s3:::plain/*@\"arn:aws:s3:::plain/*\"`},
		},
	})
}

// Items rendered by a %{for} directive cannot be mapped character by
// character; they must still be located inside the directive that wrote
// them, never elsewhere.
func TestLocateHeredocDirective(t *testing.T) {
	g := load(t, tree{"main.tf": `
locals { buckets = ["a", "b"] }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<-EOT
    {
      "Statement": [{
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": [
          %{~ for i, b in local.buckets ~}
          "arn:aws:s3:::${b}/*"${i < length(local.buckets) - 1 ? "," : ""}
          %{~ endfor ~}
        ]
      }]
    }
  EOT
}
`})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	st := stmt(t, d, 0)
	eqList(t, "resources", items(st.Resource), []string{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"})
	for _, it := range st.Resource.Items {
		r := it.Range
		if g.rel(r.File) != "main.tf" || r.Start.Line < 11 || r.End.Line > 13 || (r.Start.Line == 11 && r.Start.Col < 11) {
			t.Errorf("item %s located at %s, outside the for directive (main.tf:11:11-13:24)", it.V, g.r(r))
		}
	}
	// The items after the directive are exact again.
	eq(t, "action", g.start(st.Action.Items[0].Range), g.at(t, "main.tf", `"s3:GetObject"`, 0))
}

// A \u escape in a quoted string must not shift the positions of what
// follows it in the same string.
func TestLocateQuotedUnicodeEscape(t *testing.T) {
	src := `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = "{\"Statement\": [{\"Sid\": \"caf\u00e9\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::u/*\"}]}"
}
`
	g := load(t, tree{"main.tf": src})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	st := stmt(t, d, 0)
	eq(t, "sid", s(st.Sid), "café")
	got := g.start(st.Resource.Items[0].Range)
	// The item starts at the escaped quote: either at its backslash or at
	// the quote itself (see the test of quoted strings), never elsewhere.
	want1, want2 := g.at(t, "main.tf", `\"arn:aws:s3:::u/*\"`, 0), g.at(t, "main.tf", `"arn:aws:s3:::u/*\"`, 0)
	if got != want1 && got != want2 {
		t.Errorf("resource item at %s, want %s", got, want1)
	}
}

// Documents rendered by aws_iam_policy_document and combined with
// jsondecode/concat/merge keep the positions of the statements that wrote
// them.
func TestLocateDecodedDocuments(t *testing.T) {
	runLocCases(t, []locCase{
		{
			name: "concat of decoded statements",
			files: tree{"main.tf": `
data "aws_iam_policy_document" "a" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::a/*"]
  }
}
data "aws_iam_policy_document" "b" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(jsondecode(data.aws_iam_policy_document.a.json).Statement, jsondecode(data.aws_iam_policy_document.b.json).Statement)
  })
}
`},
			policy: "aws_iam_policy.p",
			stmt:   1,
			want:   []string{`arn:aws:s3:::b/*@"arn:aws:s3:::b/*"`},
		},
		{
			name: "merge into a decoded document",
			files: tree{"main.tf": `
data "aws_iam_policy_document" "a" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::a/*"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode(merge(jsondecode(data.aws_iam_policy_document.a.json), { Id = "merged" }))
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::a/*@"arn:aws:s3:::a/*"`},
		},
		{
			name: "document from a module output",
			files: tree{
				"main.tf": `
module "m" { source = "./m" }
resource "aws_s3_bucket_policy" "p" {
  bucket = "acme"
  policy = module.m.json
}
`,
				"m/main.tf": `
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
output "json" { value = data.aws_iam_policy_document.d.json }
`,
			},
			policy: "aws_s3_bucket_policy.p",
			kind:   graph.BucketPolicy,
			file:   "m/main.tf",
			want:   []string{`arn:aws:s3:::acme/*@"arn:aws:s3:::acme/*"`},
		},
	})
}

// Strip markers (~) remove newlines next to directives; the text after them
// must still be located exactly.
func TestLocateAfterStripMarker(t *testing.T) {
	runLocCases(t, []locCase{
		{
			name: "item after a stripped directive",
			files: tree{"main.tf": `
variable "public" { default = false }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<-EOT
    {
      "Statement": [{
        %{~ if var.public ~}
        "Principal": "*",
        %{~ endif ~}
        "Resource": "arn:aws:s3:::x/*",
        "Effect": "Allow",
        "Action": "s3:GetObject"
      }]
    }
  EOT
}
`},
			policy: "aws_iam_policy.p",
			want:   []string{`arn:aws:s3:::x/*@"arn:aws:s3:::x/*"`},
			span:   `"arn:aws:s3:::x/*"`,
		},
	})
}
