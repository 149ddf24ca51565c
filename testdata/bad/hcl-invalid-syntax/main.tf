resource "aws_s3_bucket" "b" {
  bucket = = "acme"
}

resource aws_iam_policy {
  policy ==
}
