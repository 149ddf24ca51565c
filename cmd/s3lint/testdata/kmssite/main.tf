# A public site whose bucket encrypts with KMS by default: the page the
# configuration uploads with SSE-S3 can be read anonymously, the others not.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket" "site" {
  bucket = "acme-kmssite"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "site" {
  bucket     = aws_s3_bucket.site.id
  depends_on = [aws_s3_bucket_public_access_block.site]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = ["s3:GetObject", "s3:PutObject"], Resource = "${aws_s3_bucket.site.arn}/*" }]
  })
}

resource "aws_s3_object" "index" {
  bucket                 = aws_s3_bucket.site.id
  key                    = "index.html"
  content                = "<h1>hello</h1>"
  server_side_encryption = "AES256"
}
