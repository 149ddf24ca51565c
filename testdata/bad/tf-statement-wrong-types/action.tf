resource "aws_iam_policy" "action" {
  policy = jsonencode({ Statement = [
    { Effect = "Allow", Action = { s3 = "GetObject" }, Resource = "arn:aws:s3:::acme-action/*" },
    { Effect = "Allow", Action = 5, Resource = "arn:aws:s3:::acme-action/*" },
    { Effect = "Allow", Action = [["s3:GetObject"]], Resource = "arn:aws:s3:::acme-action/*" },
    { Effect = "Allow", Action = [], Resource = "arn:aws:s3:::acme-action/*" },
  ] })
}
