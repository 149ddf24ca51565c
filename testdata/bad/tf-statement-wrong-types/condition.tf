resource "aws_iam_policy" "condition" {
  policy = jsonencode({ Statement = [
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-condition/*", Condition = { Bool = "true" } },
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-condition/*", Condition = { StringEquals = ["a", "b"] } },
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-condition/*", Condition = "aws:SecureTransport" },
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-condition/*", Condition = { NoSuchOperator = { "aws:x" = "y" } } },
  ] })
}
