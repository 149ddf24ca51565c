# Findings that suppressions hide, and some they do not.

resource "aws_iam_policy" "kept" {
  name   = "kept"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data" }] })
}

# s3lint:ignore S3L010 the replica job reads these objects through another policy
resource "aws_iam_policy" "replica" {
  name   = "replica"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data" }] })
}

resource "aws_iam_policy" "typo" {
  name = "typo"
  policy = jsonencode({ Statement = [{
    Effect   = "Allow"
    Action   = ["s3:GetObjekt"] # s3lint:ignore S3L013 exp:2099-12-31 kept until the SDK upgrade
    Resource = "arn:aws:s3:::acme-data/*"
  }] })
}

resource "aws_iam_policy" "expired" {
  name = "expired"
  # s3lint:ignore S3L010 exp:2020-01-01 the migration was due in 2020
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::acme-data" }] })
}

# s3lint:ignore S3L011 nothing here lists buckets
resource "aws_iam_policy" "unused" {
  name   = "unused"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data/*" }] })
}
