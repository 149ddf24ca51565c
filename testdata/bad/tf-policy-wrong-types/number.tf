resource "aws_iam_policy" "number" {
  policy = 42
}
