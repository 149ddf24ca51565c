locals {
  self   = local.self
  ping   = local.pong
  pong   = "${local.ping}-x"
  bucket = "acme-${local.self}"
}
resource "aws_s3_bucket" "b" {
  bucket = local.bucket
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${local.ping}" }] })
}
