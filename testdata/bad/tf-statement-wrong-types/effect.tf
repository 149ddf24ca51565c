resource "aws_iam_policy" "effect" {
  policy = jsonencode({ Statement = [
    { Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-effect" },
    { Effect = "allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-effect" },
    { Effect = "Permit", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-effect" },
    { Effect = 1, Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-effect" },
  ] })
}
