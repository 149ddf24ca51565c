resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-x" }]
  })
}
