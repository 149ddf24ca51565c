variable "bucket" {
  type    = string
  default = "acme-tfvars-binary"
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.bucket}" }] })
}
