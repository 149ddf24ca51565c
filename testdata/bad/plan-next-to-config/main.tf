resource "aws_iam_policy" "p" {
  name   = "p"
  policy = var.policy
}
variable "policy" {
  type = string
}
