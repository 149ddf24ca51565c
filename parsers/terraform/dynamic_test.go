package terraform_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/parsers/terraform"
)

// Dynamic blocks that decodeBody expands itself (plainDynamic) make the
// same graph, to the last range and diagnostic, as dynblock makes of them;
// the ones it leaves to dynblock (unknown, null or scalar for_each, labels,
// stray arguments, sensitive values) too, trivially.
func TestPlainDynamicBlocksAsDynblock(t *testing.T) {
	files := tree{"main.tf": `
variable "buckets" { default = ["alpha", "beta"] }
variable "accounts" { default = ["111122223333", "444455556666"] }
variable "unknown" {}
locals {
  grants = { a = "id-a", b = "id-b" }
  pair   = ["x", { y = 1 }]
}

data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.buckets
    content {
      sid       = "Read${statement.key}"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::${statement.value}/*"]
      dynamic "principals" {
        for_each = var.accounts
        iterator = acct
        content {
          type        = "AWS"
          identifiers = ["arn:aws:iam::${acct.value}:root", "${statement.value}"]
        }
      }
      principals {
        type        = "Service"
        identifiers = ["${statement.value}.amazonaws.com"]
      }
      dynamic "condition" {
        for_each = statement.value == "beta" ? [1] : []
        content {
          test     = "StringEquals"
          variable = "s3:prefix"
          values   = ["home/"]
        }
      }
    }
  }
  dynamic "statement" {
    for_each = toset(["s3:PutObject", "s3:GetObjct"])
    content {
      actions   = [statement.key, statement.value]
      resources = ["arn:aws:s3:::alpha/*"]
    }
  }
  dynamic "statement" {
    for_each = local.pair
    content {
      actions   = ["s3:ListBucket"]
      resources = ["arn:aws:s3:::${statement.key}"]
    }
  }
  dynamic "statement" {
    for_each = []
    content {
      actions = ["s3:DeleteObject"]
    }
  }
  statement {
    sid       = "Static"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::alpha/*"]
  }
}

data "aws_iam_policy_document" "fallbacks" {
  dynamic "statement" {
    for_each = var.unknown
    content {
      actions   = ["s3:GetObject"]
      resources = ["*"]
    }
  }
  dynamic "statement" {
    for_each = null
    content { actions = ["s3:GetObject"] }
  }
  dynamic "statement" {
    for_each = "scalar"
    content { actions = ["s3:GetObject"] }
  }
  dynamic "statement" {
    for_each = [1]
    labels   = ["x"]
    content { actions = ["s3:GetObject"] }
  }
  dynamic "statement" {
    for_each = [1]
    stray    = true
    content { actions = ["s3:GetObject"] }
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_policy" "f" {
  name   = "f"
  policy = data.aws_iam_policy_document.fallbacks.json
}

resource "aws_s3_bucket_acl" "g" {
  bucket = "alpha"
  access_control_policy {
    dynamic "grant" {
      for_each = local.grants
      content {
        grantee {
          type = "CanonicalUser"
          id   = grant.value
        }
        permission = "READ"
      }
    }
    owner { id = "owner" }
  }
}

# dynblock reads bodies with dynamic blocks against a schema: labels counted
# from the first block of a type, attributes named like a block type left out.
data "aws_iam_policy_document" "labels" {
  statement "x" {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = [1]
    content {
      actions   = ["s3:PutObject"]
      resources = ["*"]
    }
  }
}
data "aws_iam_policy_document" "labels_after" {
  dynamic "statement" {
    for_each = [1]
    content {
      actions   = ["s3:PutObject"]
      resources = ["*"]
    }
  }
  statement "x" {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "labels" {
  name   = "labels"
  policy = data.aws_iam_policy_document.labels.json
}
resource "aws_iam_policy" "labels_after" {
  name   = "labels_after"
  policy = data.aws_iam_policy_document.labels_after.json
}
resource "aws_s3_bucket" "clash" {
  bucket = "clash"
  dynamic "bucket" {
    for_each = []
    content {}
  }
}
resource "aws_s3_bucket" "website" {
  bucket  = "website"
  website = { index_document = "i" }
  dynamic "grant" {
    for_each = []
    content {}
  }
}
resource "aws_s3_bucket" "by_website" { bucket = aws_s3_bucket.website.website.index_document }
resource "aws_s3_bucket_lifecycle_configuration" "nested" {
  bucket = "alpha"
  dynamic "rule" {
    for_each = ["a"]
    content {
      id         = rule.value
      status     = "Enabled"
      expiration = "not a block here"
      filter { prefix = "p/" }
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "l" {
  bucket = "alpha"
  dynamic "rule" {
    for_each = { expire = 30, archive = sensitive(90) }
    content {
      id     = rule.key
      status = "Enabled"
      expiration { days = rule.value }
    }
  }
}
`}
	dir := writeTree(t, files)
	dump := func() string { return terraform.DeepDump(terraform.Load(terraform.Options{Paths: []string{dir}})) }
	terraform.SetPlainDynamic(false)
	defer terraform.SetPlainDynamic(true)
	want := dump()
	terraform.SetPlainDynamic(true)
	got := dump()
	if got != want {
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d differs:\nplainDynamic: %s\ndynblock:     %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("lengths differ: %d lines, dynblock %d", len(gl), len(wl))
	}
	for _, s := range []string{"Read0", "Read1", "s3:GetObjct", "444455556666", "beta.amazonaws.com", "id-b"} {
		if !strings.Contains(got, s) {
			t.Errorf("the graph lacks %q: the test no longer covers what it should", s)
		}
	}
}
