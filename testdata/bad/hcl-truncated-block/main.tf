# The file ends inside a resource block.
resource "aws_s3_bucket" "truncated" {
  bucket = "acme-truncated"

resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow"
