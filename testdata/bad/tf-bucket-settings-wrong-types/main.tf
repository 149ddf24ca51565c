resource "aws_s3_bucket" "b" {
  bucket = "acme-settings"
  acl    = 7
  versioning {
    enabled    = "yes please"
    mfa_delete = ["on"]
  }
  grant {
    type        = 12
    permissions = "READ"
  }
}
resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status     = true
    mfa_delete = 1
  }
}
resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = "maybe"
  block_public_policy     = ["true"]
  ignore_public_acls      = {}
  restrict_public_buckets = 2
}
resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    object_ownership = 5
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = ["aws:kms"]
      kms_master_key_id = 42
    }
  }
}
resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  acl    = false
  access_control_policy {
    grant {
      grantee {
        type = ["Group"]
        uri  = 3
      }
      permission = {}
    }
    owner {
      id = []
    }
  }
}
resource "aws_s3_account_public_access_block" "a" {
  block_public_policy = "sometimes"
}
