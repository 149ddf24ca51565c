# The companion of every bad-input case: correct, with one known finding
# (S3L010 at line 14) that every run must still report.
resource "aws_s3_bucket" "companion" {
  bucket = "acme-companion-tf"
}

resource "aws_iam_policy" "companion" {
  name = "companion"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = aws_s3_bucket.companion.arn
    }]
  })
}
