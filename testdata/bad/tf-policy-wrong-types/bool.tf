resource "aws_s3_bucket_policy" "bool" {
  bucket = "acme-bool"
  policy = true
}
