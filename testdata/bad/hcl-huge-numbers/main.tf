resource "aws_s3_bucket" "many" {
  count  = 99999999999999999999999
  bucket = "acme-many-${count.index}"
}
resource "aws_s3_bucket" "overflow" {
  count  = 1e400
  bucket = "acme-overflow"
}
resource "aws_iam_policy" "version" {
  policy = jsonencode({ Version = 1e400, Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-huge/${99999999999999999999999}" }] })
}
resource "aws_iam_role" "r" {
  name                 = "r"
  max_session_duration = -99999999999999999999999
  assume_role_policy   = jsonencode({ Statement = [] })
}
