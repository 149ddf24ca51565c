terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = [var.account_id]
}

data "aws_caller_identity" "current" {}

module "reports" {
  source            = "../../modules/app-bucket"
  name              = "${var.prefix}-reports"
  reader_role_names = [aws_iam_role.etl.name]
}

module "exports" {
  source = "../../modules/app-bucket"
  name   = "${var.prefix}-exports"
}

resource "aws_iam_role" "etl" {
  name = "etl"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "glue.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# The ETL job writes its results to the exports bucket.
resource "aws_iam_role_policy" "etl_write" {
  name = "write-exports"
  role = aws_iam_role.etl.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "WriteResults"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:AbortMultipartUpload"]
        Resource = module.exports.bucket_arn
      },
      {
        Sid      = "ListResults"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:ListObjectsV2"]
        Resource = module.exports.bucket_arn
      },
    ]
  })
}

# Auditors in the security account may read the reports.
resource "aws_s3_bucket_policy" "reports" {
  bucket = module.reports.bucket_name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "AuditorsRead",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::${var.security_account_id}:role/auditor"},
          "Action": ["s3:GetObject", "s3:ListBucket"],
          "Resource": [
            "arn:aws:s3:::${var.prefix}-reports",
            "arn:aws:s3:::${var.prefix}-report/*"
          ]
        }
      ]
    }
  EOT
}
