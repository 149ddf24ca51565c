# Tabs for indentation, otherwise correct: one S3L010 at 7:14 (a tab is one column).
resource "aws_s3_bucket" "tabs" {
	bucket = "acme-tabs"
}
resource "aws_iam_policy" "tabs" {
	policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject",
		Resource = "arn:aws:s3:::acme-tabs" }] })
}
