bucket = "acme-from-tfvars
other = [
