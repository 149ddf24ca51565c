account_id          = "111122223333"
security_account_id = "444455556666"
prefix              = "acme-prod"
