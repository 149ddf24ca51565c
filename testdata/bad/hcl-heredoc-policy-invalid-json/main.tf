# The heredoc is fine HCL, but the policy inside is not JSON.
resource "aws_iam_policy" "p" {
  name   = "broken"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-x",}
  ]
}
POLICY
}
