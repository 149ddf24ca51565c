# CRLF line endings, otherwise correct: one S3L010 at 10:18.
resource "aws_s3_bucket" "crlf" {
  bucket = "acme-crlf"
}

resource "aws_iam_policy" "crlf" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Action = "s3:PutObject"
      Resource = "arn:aws:s3:::acme-crlf"
    }]
  })
}
