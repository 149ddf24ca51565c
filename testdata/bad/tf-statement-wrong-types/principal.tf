resource "aws_s3_bucket" "principal" {
  bucket = "acme-principal"
}
resource "aws_s3_bucket_policy" "principal" {
  bucket = aws_s3_bucket.principal.id
  policy = jsonencode({ Statement = [
    { Effect = "Allow", Principal = 123456789012, Action = "s3:GetObject", Resource = "${aws_s3_bucket.principal.arn}/*" },
    { Effect = "Allow", Principal = { AWS = 123456789012 }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.principal.arn}/*" },
    { Effect = "Allow", Principal = ["arn:aws:iam::123456789012:root"], Action = "s3:GetObject", Resource = "${aws_s3_bucket.principal.arn}/*" },
  ] })
}
