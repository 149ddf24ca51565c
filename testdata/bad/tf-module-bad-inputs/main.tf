module "child" {
  source   = "./child"
  bucket   = { not = "a string" }
  count    = "two"
}
