bucket   = { name = "acme" }
count_of = "three"
