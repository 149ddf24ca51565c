resource "aws_iam_policy" "resource" {
  policy = jsonencode({ Statement = [
    { Effect = "Allow", Action = "s3:GetObject", Resource = [["arn:aws:s3:::acme-resource"]] },
    { Effect = "Allow", Action = "s3:GetObject", Resource = { arn = "arn:aws:s3:::acme-resource" } },
    { Effect = "Allow", Action = "s3:GetObject", Resource = true },
  ] })
}
