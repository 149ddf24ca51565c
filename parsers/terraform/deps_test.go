package terraform_test

import (
	"testing"
)

func TestDependsOn(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-deps"
}

resource "aws_s3_bucket_public_access_block" "pab" {
  bucket              = aws_s3_bucket.b.id
  block_public_policy = false
}

locals {
  via_local = aws_s3_bucket_public_access_block.pab.bucket
}

# Through a local.
resource "aws_s3_bucket_policy" "local" {
  bucket = local.via_local
  policy = "{}"
}

# depends_on, and a resource s3lint does not model in between.
resource "time_sleep" "wait" {
  depends_on      = [aws_s3_bucket_public_access_block.pab]
  create_duration = "5s"
}

resource "aws_s3_bucket_policy" "explicit" {
  bucket     = aws_s3_bucket.b.id
  policy     = "{}"
  depends_on = [time_sleep.wait, module.m]
}

# count and for_each reach every instance.
resource "aws_s3_bucket_policy" "counted" {
  count  = 2
  bucket = aws_s3_bucket.b.id
  policy = "{}"
}

resource "aws_s3_bucket_policy" "each" {
  for_each = { a = aws_s3_bucket_public_access_block.pab.bucket }
  bucket   = each.value
  policy   = "{}"
}

resource "aws_s3_bucket_policy" "uses_counted" {
  bucket = aws_s3_bucket_policy.counted[0].bucket
  policy = "{}"
}

module "m" {
  source = "./m"
  bucket = aws_s3_bucket_public_access_block.pab.bucket
}

module "after" {
  source     = "./after"
  depends_on = [aws_s3_bucket.b]
}

resource "aws_s3_bucket_policy" "from_output" {
  bucket = module.m.bucket
  policy = "{}"
}
`,
		"m/main.tf": `
variable "bucket" {}

resource "aws_s3_bucket_policy" "inner" {
  bucket = var.bucket
  policy = "{}"
}

output "bucket" {
  value = aws_s3_bucket_policy.inner.bucket
}
`,
		"after/main.tf": `
resource "aws_s3_bucket_policy" "late" {
  bucket = "acme-deps"
  policy = "{}"
}
`,
	})
	g.noErrors(t)
	deps := g.DependsOn[g.dir]
	if deps == nil {
		t.Fatalf("no dependencies for root %s: %v", g.dir, g.DependsOn)
	}
	for addr, want := range map[string][]string{
		"aws_s3_bucket.b":                        {},
		"aws_s3_bucket_public_access_block.pab":  {"aws_s3_bucket.b"},
		"aws_s3_bucket_policy.local":             {"aws_s3_bucket_public_access_block.pab"},
		"time_sleep.wait":                        {"aws_s3_bucket_public_access_block.pab"},
		"aws_s3_bucket_policy.explicit":          {"aws_s3_bucket.b", "module.m.aws_s3_bucket_policy.inner", "time_sleep.wait"},
		"aws_s3_bucket_policy.counted[0]":        {"aws_s3_bucket.b"},
		`aws_s3_bucket_policy.each["a"]`:         {"aws_s3_bucket_public_access_block.pab"},
		"aws_s3_bucket_policy.uses_counted":      {"aws_s3_bucket_policy.counted[0]", "aws_s3_bucket_policy.counted[1]"},
		"module.m.aws_s3_bucket_policy.inner":    {"aws_s3_bucket_public_access_block.pab"},
		"module.after.aws_s3_bucket_policy.late": {"aws_s3_bucket.b"},
		"aws_s3_bucket_policy.from_output":       {"module.m.aws_s3_bucket_policy.inner"},
	} {
		got, ok := deps[addr]
		if !ok {
			t.Errorf("%s: no entry", addr)
			continue
		}
		eqList(t, addr, got, want)
	}
}

func TestDependsOnJSON(t *testing.T) {
	g := load(t, tree{
		"main.tf.json": `{
  "resource": {
    "aws_s3_bucket": {"b": {"bucket": "acme-deps-json"}},
    "aws_s3_bucket_public_access_block": {"pab": {"bucket": "${aws_s3_bucket.b.id}", "block_public_policy": false}},
    "aws_s3_bucket_policy": {
      "ref": {"bucket": "${aws_s3_bucket_public_access_block.pab.bucket}", "policy": "{}"},
      "dep": {"bucket": "acme-deps-json", "policy": "{}", "depends_on": ["aws_s3_bucket_public_access_block.pab"]},
      "none": {"bucket": "${aws_s3_bucket.b.id}", "policy": "{}"}
    }
  }
}`,
	})
	g.noErrors(t)
	deps := g.DependsOn[g.dir]
	for addr, want := range map[string][]string{
		"aws_s3_bucket_policy.ref":  {"aws_s3_bucket_public_access_block.pab"},
		"aws_s3_bucket_policy.dep":  {"aws_s3_bucket_public_access_block.pab"},
		"aws_s3_bucket_policy.none": {"aws_s3_bucket.b"},
	} {
		got, ok := deps[addr]
		if !ok {
			t.Errorf("%s: no entry", addr)
			continue
		}
		eqList(t, addr, got, want)
	}
}
