resource "aws_s3_bucket" "bom" {
  bucket = "acme-bom"
}

resource "aws_iam_policy" "bom" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Action = "s3:GetObject"
      Resource = aws_s3_bucket.bom.arn
    }]
  })
}
