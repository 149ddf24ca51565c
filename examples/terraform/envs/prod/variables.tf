variable "account_id" {
  type = string
}

variable "security_account_id" {
  type = string
}

variable "prefix" {
  type = string
}
