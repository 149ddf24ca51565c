variable "bucket" {
  type = string
}
variable "count_of" {
  type = number
}
resource "aws_s3_bucket" "b" {
  count  = var.count_of
  bucket = var.bucket
}
