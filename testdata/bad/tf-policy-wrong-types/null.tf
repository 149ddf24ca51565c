resource "aws_iam_policy" "null" {
  policy = null
}
resource "aws_iam_policy" "null_encoded" {
  policy = jsonencode(null)
}
