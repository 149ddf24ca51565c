# A module that calls itself, directly and through "../<own name>".
module "again" {
  source = "./"
}
module "again_by_name" {
  source = "../tf-module-self"
}
resource "aws_s3_bucket" "b" {
  bucket = "acme-self"
}
