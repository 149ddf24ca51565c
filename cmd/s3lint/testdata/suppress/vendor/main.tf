# Excluded by .s3lint.yaml: never reported.
resource "aws_iam_policy" "vendored" {
  name   = "vendored"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data" }] })
}
