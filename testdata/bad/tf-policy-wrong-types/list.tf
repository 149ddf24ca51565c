resource "aws_iam_policy" "list" {
  policy = ["s3:GetObject"]
}
resource "aws_iam_role_policy" "list_encoded" {
  role   = "r"
  policy = jsonencode(["s3:GetObject"])
}
