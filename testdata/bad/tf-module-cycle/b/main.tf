module "a" {
  source = "../a"
}
output "name" {
  value = module.a.name
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${module.a.name}" }] })
}
