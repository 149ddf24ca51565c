# A bucket encrypted with the AWS-managed key aws/s3 (SSE-KMS without a key
# ID), shared with another account and written to by CloudTrail.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket" "shared" {
  bucket = "acme-awss3-shared"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "shared" {
  bucket = aws_s3_bucket.shared.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_policy" "shared" {
  bucket = aws_s3_bucket.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::222222222222:root" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.shared.arn}/*"
      },
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.shared.arn}/AWSLogs/*"
      },
    ]
  })
}

# A bucket of a provider whose account is not known.
provider "aws" {
  alias  = "elsewhere"
  region = "eu-west-1"
}

resource "aws_s3_bucket" "elsewhere" {
  provider = aws.elsewhere
  bucket   = "acme-awss3-elsewhere"
}

resource "aws_s3_bucket_policy" "elsewhere" {
  provider = aws.elsewhere
  bucket   = aws_s3_bucket.elsewhere.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::333333333333:root" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.elsewhere.arn}/*"
    }]
  })
}
