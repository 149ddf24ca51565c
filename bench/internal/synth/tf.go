package synth

import (
	"fmt"
	"strings"
)

var bucketKeys = []string{"raw", "curated", "exports", "artifacts", "reports", "media", "backups", "uploads", "archive", "staging"}

// moduleSet is one copy of the shared Terraform modules.
type moduleSet struct{ suffix string }

func (m moduleSet) dir(kind string) string { return "modules/" + kind + m.suffix }

// writeModules writes the shared modules of a set.
func (r *Repo) writeModules(m moduleSet) {
	// s3-bucket: a bucket with its companions and an optional KMS key.
	d := m.dir("s3-bucket")
	f := r.newFile(d+"/variables.tf", "tf")
	f.L(`variable "name" {
  description = "Bucket name."
  type        = string
}

variable "account_id" {
  description = "Account that owns the bucket and its key."
  type        = string
}

variable "versioning" {
  type    = bool
  default = true
}

variable "kms" {
  description = "Encrypt with a customer managed KMS key instead of SSE-S3."
  type        = bool
  default     = false
}

variable "reader_role_arns" {
  description = "Roles the key policy lets use the key."
  type        = list(string)
  default     = []
}

variable "tags" {
  type    = map(string)
  default = {}
}`)
	f = r.newFile(d+"/main.tf", "tf")
	f.L(`resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms ? aws_kms_key.this[0].arn : null
    }
    bucket_key_enabled = var.kms
  }
}`)
	f = r.newFile(d+"/kms.tf", "tf")
	f.L(`resource "aws_kms_key" "this" {
  count                   = var.kms ? 1 : 0
  description             = "Encrypts objects of ${var.name}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count         = var.kms ? 1 : 0
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this[0].key_id
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = length(var.reader_role_arns) > 0 ? [1] : []
    content {
      sid       = "BucketReaders"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = var.reader_role_arns
      }
    }
  }
}`)
	f = r.newFile(d+"/policy.tf", "tf")
	f.L(`resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
    ]
  })
  depends_on = [aws_s3_bucket_public_access_block.this]
}`)
	f = r.newFile(d+"/outputs.tf", "tf")
	f.L(`output "id" {
  value = aws_s3_bucket.this.id
}

output "arn" {
  value = aws_s3_bucket.this.arn
}

output "key_arn" {
  value = var.kms ? aws_kms_key.this[0].arn : null
}`)
	f = r.newFile(d+"/versions.tf", "tf")
	f.L(`terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}`)

	// iam-role: a role with read access to some buckets.
	d = m.dir("iam-role")
	f = r.newFile(d+"/variables.tf", "tf")
	f.L(`variable "name" {
  type = string
}

variable "service" {
  type    = string
  default = "lambda.amazonaws.com"
}

variable "bucket_arns" {
  type = list(string)
}

variable "key_arns" {
  type    = list(string)
  default = []
}`)
	f = r.newFile(d+"/main.tf", "tf")
	f.L(`data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [var.service]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "access" {
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket"]
    resources = var.bucket_arns
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["", "tables/*", "_manifests/*"]
    }
  }

  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = [for arn in var.bucket_arns : "${arn}/*"]
  }

  dynamic "statement" {
    for_each = length(var.key_arns) > 0 ? [1] : []
    content {
      sid       = "Decrypt"
      actions   = ["kms:Decrypt"]
      resources = var.key_arns
    }
  }
}

resource "aws_iam_role_policy" "access" {
  name   = "${var.name}-access"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.access.json
}`)
	f = r.newFile(d+"/outputs.tf", "tf")
	f.L(`output "role_arn" {
  value = aws_iam_role.this.arn
}

output "role_name" {
  value = aws_iam_role.this.name
}`)

	// data-lake: zones built from s3-bucket, and a reader role from iam-role.
	d = m.dir("data-lake")
	f = r.newFile(d+"/variables.tf", "tf")
	f.L(`variable "name" {
  type = string
}

variable "account_id" {
  type = string
}

variable "zones" {
  type    = set(string)
  default = ["landing", "curated"]
}

variable "tags" {
  type    = map(string)
  default = {}
}`)
	f = r.newFile(d+"/main.tf", "tf")
	f.L(`module "zone" {
  source   = "../s3-bucket%[1]s"
  for_each = var.zones

  name       = "${var.name}-${each.key}"
  account_id = var.account_id
  versioning = true
  tags       = merge(var.tags, { Zone = each.key })
}

module "reader" {
  source = "../iam-role%[1]s"

  name        = "${var.name}-reader"
  service     = "glue.amazonaws.com"
  bucket_arns = [for z in module.zone : z.arn]
}`, m.suffix)
	f = r.newFile(d+"/outputs.tf", "tf")
	f.L(`output "bucket_arns" {
  value = { for k, z in module.zone : k => z.arn }
}

output "reader_role_arn" {
  value = module.reader.role_arn
}`)

	// queue: unrelated resources s3lint ignores.
	d = m.dir("queue")
	f = r.newFile(d+"/variables.tf", "tf")
	f.L(`variable "name" {
  type = string
}

variable "retention_seconds" {
  type    = number
  default = 345600
}`)
	f = r.newFile(d+"/main.tf", "tf")
	f.L(`resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "this" {
  name                      = var.name
  message_retention_seconds = var.retention_seconds
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
}`)
	f = r.newFile(d+"/outputs.tf", "tf")
	f.L(`output "arn" {
  value = aws_sqs_queue.this.arn
}

output "url" {
  value = aws_sqs_queue.this.id
}`)
}

// tfRoot writes one root module live/<team>/<env>/ and returns its files.
// defect is "" or one of the tf* defect kinds.
func (r *Repo) tfRoot(team, env string, m moduleSet, defect string, seq int) {
	dir := fmt.Sprintf("live/%s/%s", team, env)
	prefix := fmt.Sprintf("acme-%s-%s", team, env)
	keys := append([]string{"logs"}, r.subset(bucketKeys, 1, 4)...)
	kms := map[string]bool{}
	var kmsKeys []string
	for _, k := range keys[1:] {
		if r.chance(0.4) {
			kms[k] = true
			kmsKeys = append(kmsKeys, k)
		}
	}
	withLake := r.chance(0.3)
	withQueues := r.chance(0.5)
	withLambda := r.chance(0.5)
	withTable := r.chance(0.4)
	withETL := r.chance(0.5)
	withCI := r.chance(0.5)

	f := r.newFile(dir+"/providers.tf", "tf")
	f.L(`terraform {
  required_version = ">= 1.5"
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "%s/terraform.tfstate"
    region = "eu-west-1"
  }
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]
  default_tags {
    tags = {
      Team = var.team
    }
  }
}`, dir)

	f = r.newFile(dir+"/variables.tf", "tf")
	f.L(`variable "team" {
  type = string
}

variable "env" {
  type = string
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "account_id" {
  type = string
}

variable "buckets" {
  description = "Buckets of this environment, by short name."
  type = map(object({
    versioning = bool
    kms        = bool
  }))
}`)
	if withQueues {
		f.L(`
variable "queue_count" {
  type    = number
  default = 1
}`)
	}

	f = r.newFile(dir+"/terraform.tfvars", "tf")
	f.L(`team       = "%s"
env        = "%s"
account_id = "111111111111"
region     = "%s"

buckets = {`, team, env, r.pick([]string{"eu-west-1", "eu-central-1", "us-east-1", "us-west-2"}))
	for _, k := range keys {
		f.L(`  %s = {
    versioning = %v
    kms        = %v
  }`, k, k != "logs" && r.chance(0.7), kms[k])
	}
	f.L("}")
	if withQueues {
		f.L("\nqueue_count = %d", 1+r.rng.IntN(3))
	}

	f = r.newFile(dir+"/main.tf", "tf")
	f.L(`locals {
  name_prefix = "%s"
  common_tags = {
    Team        = var.team
    Environment = var.env
    ManagedBy   = "terraform"
  }
}

module "buckets" {
  source   = "../../../%s"
  for_each = var.buckets

  name             = "${local.name_prefix}-${each.key}"
  account_id       = var.account_id
  versioning       = each.value.versioning
  kms              = each.value.kms
  reader_role_arns = [aws_iam_role.app.arn]
  tags             = local.common_tags
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "${local.name_prefix}-app"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = local.common_tags
}

data "aws_iam_policy_document" "app" {
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in module.buckets : b.arn]
  }

  statement {
    sid       = "ReadWriteObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [for b in module.buckets : "${b.arn}/*"]
  }`, prefix, m.dir("s3-bucket"))
	if len(kmsKeys) > 0 {
		var refs []string
		for _, k := range kmsKeys {
			refs = append(refs, fmt.Sprintf("module.buckets[%q].key_arn", k))
		}
		f.L(`
  statement {
    sid       = "UseBucketKeys"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [%s]
  }`, strings.Join(refs, ", "))
	}
	f.L(`}

resource "aws_iam_role_policy" "app" {
  name   = "${local.name_prefix}-app"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app.json
}`)
	if withCI {
		f.L(`
resource "aws_iam_policy" "log_reader" {
  name        = "${local.name_prefix}-log-reader"
  description = "Read the access logs of ${var.env}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListLogs"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = module.buckets["logs"].arn
        Condition = {
          StringLike = { "s3:prefix" = ["access/*", "audit/*"] }
        }
      },
      {
        Sid      = "ReadLogs"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${module.buckets["logs"].arn}/*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "log_reader" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.log_reader.arn
}`)
	}
	if withETL {
		f.L(`
resource "aws_iam_role" "etl" {
  name               = "${local.name_prefix}-etl"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy" "etl" {
  name   = "etl-logs"
  role   = aws_iam_role.etl.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["s3:ListBucket"],
          "Resource": ["${module.buckets["logs"].arn}"]
        },
        {
          "Effect": "Allow",
          "Action": ["s3:GetObject", "s3:PutObject"],
          "Resource": ["${module.buckets["logs"].arn}/etl/*"]
        }
      ]
    }
  EOT
}`)
	}
	if withQueues {
		f.L(`
resource "aws_sqs_queue" "events" {
  count                     = var.queue_count
  name                      = "${local.name_prefix}-events-${count.index}"
  message_retention_seconds = 86400
  tags                      = local.common_tags
}`)
		f.L(`
module "jobs" {
  source = "../../../%s"
  name   = "${local.name_prefix}-jobs"
}`, m.dir("queue"))
	}
	if withLambda {
		f.L(`
resource "aws_lambda_function" "handler" {
  function_name = "${local.name_prefix}-handler"
  role          = aws_iam_role.app.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/build/handler.zip"
  memory_size   = %d
  timeout       = 30

  environment {
    variables = {
      DATA_BUCKET = module.buckets["%s"].id
      LOG_BUCKET  = module.buckets["logs"].id
    }
  }
}`, 128<<r.rng.IntN(4), keys[len(keys)-1])
	}
	if withTable {
		f.L(`
resource "aws_dynamodb_table" "state" {
  name         = "${local.name_prefix}-state"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = %v
  }
}`, env == "prod")
	}
	if withLake {
		f.L(`
module "lake" {
  source     = "../../../%s"
  name       = "${local.name_prefix}-lake"
  account_id = var.account_id
  zones      = [%s]
  tags       = local.common_tags
}`, m.dir("data-lake"), quoteJoin(r.subset([]string{"landing", "raw", "curated", "published", "sandbox"}, 1, 3)))
	}

	r.tfDefect(f, defect, seq)

	f = r.newFile(dir+"/outputs.tf", "tf")
	f.L(`output "bucket_ids" {
  description = "Bucket names, by short name."
  value       = { for k, b in module.buckets : k => b.id }
}

output "bucket_arns" {
  description = "Bucket ARNs, by short name."
  value       = { for k, b in module.buckets : k => b.arn }
}

output "kms_key_arns" {
  description = "Customer managed keys of the encrypted buckets."
  value       = { for k, b in module.buckets : k => b.key_arn if var.buckets[k].kms }
}

output "app_role_arn" {
  description = "Role of the application."
  value       = aws_iam_role.app.arn
}

output "app_role_name" {
  value = aws_iam_role.app.name
}`)
	if withQueues {
		f.L(`
output "event_queue_urls" {
  value = aws_sqs_queue.events[*].id
}`)
	}
	if withLambda {
		f.L(`
output "handler_arn" {
  value = aws_lambda_function.handler.arn
}`)
	}
	if withLake {
		f.L(`
output "lake_reader_role_arn" {
  value = module.lake.reader_role_arn
}`)
	}
}

func quoteJoin(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// tfDefect appends a planted defect to a root module's main.tf.
func (r *Repo) tfDefect(f *File, defect string, seq int) {
	switch defect {
	case "":
	case dTFDoc010:
		f.L(`
data "aws_iam_policy_document" "reporting" {
  statement {
    sid       = "ReadLogs"
    actions   = ["s3:GetObject"]`)
		f.L(`    resources = [module.buckets["logs"].arn]`)
		f.Mark("S3L010")
		f.L(`  }
}

resource "aws_iam_policy" "reporting" {
  name   = "${local.name_prefix}-reporting"
  policy = data.aws_iam_policy_document.reporting.json
}`)
	case dTFJSON011:
		f.L(`
resource "aws_iam_policy" "inventory" {
  name = "${local.name_prefix}-inventory"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:ListBucket"]`)
		f.L(`      Resource = "${module.buckets["logs"].arn}/*"`)
		f.Mark("S3L011")
		f.L(`    }]
  })
}`)
	case dTFHeredoc013:
		f.L(`
resource "aws_iam_policy" "archiver" {
  name   = "${local.name_prefix}-archiver"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",`)
		f.L(`          "Action": "s3:GetObjekt",`)
		f.Mark("S3L013")
		f.L(`          "Resource": "${module.buckets["logs"].arn}/archive/*"
        }
      ]
    }
  EOT
}`)
	case dTFModule013:
		mdir := fmt.Sprintf("modules/legacy-export-%d", seq)
		f.L(`
module "legacy_export" {
  source      = "../../../%s"
  for_each    = toset(["logs", "archive"])
  bucket_name = "${local.name_prefix}-${each.key}"
}`, mdir)
		mv := r.newFile(mdir+"/variables.tf", "tf")
		mv.L(`variable "bucket_name" {
  description = "Bucket the export job writes to."
  type        = string
}`)
		mm := r.newFile(mdir+"/main.tf", "tf")
		mm.L(`resource "aws_iam_policy" "export" {
  name = "${var.bucket_name}-export"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"`)
		mm.L(`      Action   = ["s3:PutObjects"]`)
		mm.Mark("S3L013")
		mm.L(`      Resource = "arn:aws:s3:::${var.bucket_name}/exports/*"
    }]
  })
}`)
	case dTF040:
		f.L(`
resource "aws_s3_bucket" "site" {
  bucket = "${local.name_prefix}-site"
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"`)
		f.L(`      Principal = "*"`)
		f.Mark("S3L040")
		f.L(`      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.site]
}`)
	case dTF080:
		f.L(`
resource "aws_kms_key" "audit" {
  description         = "Audit trail of ${var.env}"
  enable_key_rotation = true`)
		f.L(`  policy = jsonencode({`)
		f.Mark("S3L080")
		f.L(`    Version = "2012-10-17"
    Statement = [{
      Sid       = "KeyAdministrators"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.account_id}:role/key-admin" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_s3_bucket" "audit" {
  bucket = "${local.name_prefix}-audit"
}

resource "aws_s3_bucket_public_access_block" "audit" {
  bucket                  = aws_s3_bucket.audit.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audit" {
  bucket = aws_s3_bucket.audit.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.audit.arn
    }
  }
}

resource "aws_iam_role" "auditor" {
  name               = "${local.name_prefix}-auditor"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy" "auditor" {
  name = "audit-read"
  role = aws_iam_role.auditor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:ListBucket", Resource = aws_s3_bucket.audit.arn },
      { Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.audit.arn}/*" },
      { Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.audit.arn },
    ]
  })
}`)
	default:
		panic("tfDefect: " + defect)
	}
}
