variable "account_id" {
  type = string
}

variable "security_account_id" {
  type = string
}

variable "prefix" {
  type = string
}

variable "public_subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
}
