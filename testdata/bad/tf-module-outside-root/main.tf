# Local module sources that leave the scan root: one that exists (the
# repository root, which holds no .tf), one that does not.
module "up" {
  source = "../../.."
}
module "nowhere" {
  source = "../../../../../../../../../../../../no-such-dir"
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${module.up.bucket}" }] })
}
