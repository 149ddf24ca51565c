module "b" {
  source = "../b"
}
output "name" {
  value = module.b.name
}
