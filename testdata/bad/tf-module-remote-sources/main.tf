module "registry" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
}
module "git" {
  source = "git::https://example.com/modules.git//s3?ref=v1"
}
module "github" {
  source = "github.com/acme/modules//bucket"
}
module "s3" {
  source = "s3::https://s3.amazonaws.com/acme-modules/bucket.zip"
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = module.registry.s3_bucket_arn }] })
}
