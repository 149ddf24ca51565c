resource "aws_iam_policy" "statement_string" {
  policy = jsonencode({ Version = "2012-10-17", Statement = "Allow everything" })
}
resource "aws_iam_policy" "statement_number" {
  policy = jsonencode({ Statement = 7 })
}
resource "aws_iam_policy" "statement_missing" {
  policy = jsonencode({ Version = "2012-10-17" })
}
