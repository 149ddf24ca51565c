data "aws_iam_policy_document" "d" {
  statement {
    effect    = "allow"
    actions   = "s3:GetObject"
    resources = [["arn:aws:s3:::acme-doc/*"]]
    principals {
      type        = 5
      identifiers = "*"
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalAccount"
      values   = "111111111111"
    }
  }
  statement {
    effect    = "Maybe"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-doc/*"]
  }
}

resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
