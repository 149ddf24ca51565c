resource "aws_iam_policy" "string" {
  policy = "s3:GetObject on everything, please"
}
resource "aws_iam_policy" "object" {
  policy = { Statement = [] }
}
