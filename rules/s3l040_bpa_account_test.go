package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

// Account-level Block Public Access applies to every bucket of its account,
// and a bucket whose account is not known (every CloudFormation stack's)
// may be in it: an aws_s3_account_public_access_block in a fixture
// directory would make the flags of that directory's templates uncertain
// and silence their fixtures. The account-level cases of S3L040, S3L041 and
// S3L042 are therefore scanned here, each on its own, with the same inline
// expectations as fixtures.

var bpaAccountCases = []struct {
	name string
	src  string
	only []rules.Rule // nil: every rule
}{
	{"the account blocks public policies", `# S3L040: the account's Block Public Access wins over a relaxed bucket.

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "www" {
  bucket = "acme-account-www"
}

resource "aws_s3_bucket_public_access_block" "www" {
  bucket                  = aws_s3_bucket.www.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "www" {
  bucket = aws_s3_bucket.www.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*" # want S3L040 "is on for bucket acme-account-www \(set for the whole account in aws_s3_account_public_access_block.this\).*turn BlockPublicPolicy and RestrictPublicBuckets off in aws_s3_account_public_access_block.this, which applies to every bucket of the account"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.www.arn}/*"
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.www]
}
`, nil},
	{"another account's block does not apply", `# S3L040: an account-level block of another account does not apply.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

provider "aws" {
  alias               = "security"
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]
}

resource "aws_s3_account_public_access_block" "security" {
  provider                = aws.security
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "www" {
  bucket = "acme-other-account-www"
}

resource "aws_s3_bucket_public_access_block" "www" {
  bucket                  = aws_s3_bucket.www.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "www" {
  bucket = aws_s3_bucket.www.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.www.arn}/*"
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.www]
}
`, nil},
	{"the account restricts public buckets", `# S3L041: the account restricts public buckets; the bucket cannot relax it.

resource "aws_s3_account_public_access_block" "this" {
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "www" {
  bucket = "acme-account-restricted-www"
}

resource "aws_s3_bucket_public_access_block" "www" {
  bucket                  = aws_s3_bucket.www.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "www" {
  bucket = aws_s3_bucket.www.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*" # want S3L041 "\(set for the whole account in aws_s3_account_public_access_block.this\).*turn RestrictPublicBuckets off in aws_s3_account_public_access_block.this, which applies to every bucket of the account"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.www.arn}/*"
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.www]
}
`, nil},
	{"the account blocks public ACLs", `# S3L042: the account blocks public ACLs; the bucket cannot relax it.

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "downloads" {
  bucket = "acme-account-downloads"
}

resource "aws_s3_bucket_ownership_controls" "downloads" {
  bucket = aws_s3_bucket.downloads.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_public_access_block" "downloads" {
  bucket                  = aws_s3_bucket.downloads.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_acl" "downloads" {
  bucket = aws_s3_bucket.downloads.id
  acl    = "public-read" # want S3L042 "BlockPublicAcls is on for it \(set for the whole account in aws_s3_account_public_access_block.this\).*turn BlockPublicAcls and IgnorePublicAcls off in aws_s3_account_public_access_block.this, which applies to every bucket of the account"
  depends_on = [
    aws_s3_bucket_ownership_controls.downloads,
    aws_s3_bucket_public_access_block.downloads,
  ]
}
`, nil},
	{"another account's block does not apply to ACLs", `# S3L042: an account-level block of another account does not apply.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_account_public_access_block" "other" {
  account_id              = "222222222222"
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "downloads" {
  bucket = "acme-other-account-downloads"
}

resource "aws_s3_bucket_ownership_controls" "downloads" {
  bucket = aws_s3_bucket.downloads.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_public_access_block" "downloads" {
  bucket                  = aws_s3_bucket.downloads.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_acl" "downloads" {
  bucket = aws_s3_bucket.downloads.id
  acl    = "public-read"
  depends_on = [
    aws_s3_bucket_ownership_controls.downloads,
    aws_s3_bucket_public_access_block.downloads,
  ]
}
`, nil},
	{"ACLs disabled: S3L031's finding, not S3L042's", `# Ownership BucketOwnerEnforced, explicit and by default: S3 answers 400
# AccessControlListNotSupported, which S3L031 reports.

resource "aws_s3_bucket" "enforced" {
  bucket = "acme-enforced"
}

resource "aws_s3_bucket_ownership_controls" "enforced" {
  bucket = aws_s3_bucket.enforced.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_acl" "enforced" {
  bucket     = aws_s3_bucket.enforced.id
  acl        = "public-read"
  depends_on = [aws_s3_bucket_ownership_controls.enforced]
}

resource "aws_s3_bucket" "defaults" {
  bucket = "acme-defaults"
}

resource "aws_s3_bucket_acl" "defaults" {
  bucket = aws_s3_bucket.defaults.id
  acl    = "public-read"
}
`, []rules.Rule{rules.S3L042}},
}

func TestBPAAccountLevel(t *testing.T) {
	for _, c := range bpaAccountCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			rs := c.only
			if rs == nil {
				rs = rules.All()
			}
			res := scan.Run(scan.Options{Paths: []string{dir}, Rules: rs})
			wants, err := readWants(dir)
			if err != nil {
				t.Fatal(err)
			}
			used := make([]bool, len(wants))
			for _, f := range res.Findings {
				matched := false
				for i, w := range wants {
					if !used[i] && w.line == f.Range.Start.Line && w.id == f.RuleID && (w.re == nil || w.re.MatchString(f.Message)) {
						used[i], matched = true, true
						break
					}
				}
				if !matched {
					t.Errorf("unexpected finding main.tf:%d: %s %s", f.Range.Start.Line, f.RuleID, f.Message)
				}
			}
			for i, w := range wants {
				if !used[i] {
					t.Errorf("missing finding main.tf:%d: %s matching %q", w.line, w.id, w.re)
				}
			}
		})
	}
}
