package terraform_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
)

// Positions in the expectations below are written as placeholders that
// expandPos replaces by "L:C-L:C" (main.tf) or "file:L:C-L:C":
//
//	[[needle]]          the span of the only occurrence of needle
//	[[needle#2]]        the span of its third occurrence
//	[[from .. to]]      from the start of from to the end of the first to
//	                    after it (\n in a needle stands for a newline)
//	[[value@context]]   the span of value inside the only occurrence of context
//	[[file|…]]          any of these in another file of the tree
func expandPos(t testing.TB, files tree, want string) string {
	t.Helper()
	var b strings.Builder
	for {
		i := strings.Index(want, "[[")
		if i < 0 {
			b.WriteString(want)
			return b.String()
		}
		b.WriteString(want[:i])
		rest := want[i+2:]
		j := strings.Index(rest, "]]")
		for j >= 0 && j+2 < len(rest) && rest[j+2] == ']' {
			j++
		}
		if j < 0 {
			t.Fatalf("unclosed placeholder in %q", want)
		}
		b.WriteString(placeholder(t, files, rest[:j]))
		want = rest[j+2:]
	}
}

func placeholder(t testing.TB, files tree, inner string) string {
	t.Helper()
	file := "main.tf"
	if f, rest, ok := strings.Cut(inner, "|"); ok {
		file, inner = f, rest
	}
	src, ok := files[file]
	if !ok {
		t.Fatalf("no file %s for placeholder %q", file, inner)
	}
	inner = strings.ReplaceAll(inner, `\n`, "\n")
	var start, end int
	if from, to, ok := strings.Cut(inner, " .. "); ok {
		start = find(t, src, from)
		j := strings.Index(src[start+1:], to)
		if j < 0 {
			t.Fatalf("%q not after %q in %s", to, from, file)
		}
		end = start + 1 + j + len(to)
	} else if value, context, ok := strings.Cut(inner, "@"); ok {
		c := find(t, src, context)
		start = c + strings.Index(context, value)
		end = start + len(value)
	} else {
		start = find(t, src, inner)
		end = start + len(strings.Split(inner, "#")[0])
	}
	p := offsetPos(src, start) + "-" + offsetPos(src, end)
	if file != "main.tf" {
		p = file + ":" + p
	}
	return p
}

// find is the offset of needle (the only occurrence, or needle#n).
func find(t testing.TB, src, needle string) int {
	t.Helper()
	n := -1
	if i := strings.LastIndex(needle, "#"); i > 0 {
		if _, err := fmt.Sscanf(needle[i+1:], "%d", &n); err == nil {
			needle = needle[:i]
		} else {
			n = -1
		}
	}
	if n < 0 {
		if c := strings.Count(src, needle); c != 1 {
			t.Fatalf("%q occurs %d times, want once", needle, c)
		}
		return strings.Index(src, needle)
	}
	off := -1
	for range n + 1 {
		j := strings.Index(src[off+1:], needle)
		if j < 0 {
			t.Fatalf("occurrence %d of %q not found", n, needle)
		}
		off += 1 + j
	}
	return off
}

func offsetPos(src string, off int) string {
	line := 1 + strings.Count(src[:off], "\n")
	ls := strings.LastIndex(src[:off], "\n") + 1
	return fmt.Sprintf("%d:%d", line, 1+utf8.RuneCountInString(src[ls:off]))
}

// pos renders a range as L:C-L:C in main.tf, file:L:C-L:C elsewhere.
func (g *loaded) pos(r graph.Range) string {
	return strings.TrimPrefix(g.r(r), "main.tf:")
}

// sp renders a located string as value@range, default("value")@range or
// ?@range.
func (g *loaded) sp(v graph.String) string { return s(v) + "@" + g.pos(v.Range) }

// bp renders a located boolean as value@range, default(value)@range or
// ?@range.
func (g *loaded) bp(v graph.Bool) string {
	out := fmt.Sprint(v.V)
	switch v.Origin {
	case graph.Unknown:
		out = "?"
	case graph.Default:
		out = "default(" + out + ")"
	}
	return out + "@" + g.pos(v.Range)
}

func (g *loaded) bpaLine(p *graph.PublicAccessBlock) string {
	if p == nil {
		return "bpa <nil>"
	}
	return fmt.Sprintf("bpa by %s at %s: BlockPublicAcls=%s IgnorePublicAcls=%s BlockPublicPolicy=%s RestrictPublicBuckets=%s",
		p.Address, g.pos(p.Range), g.bp(p.BlockPublicAcls), g.bp(p.IgnorePublicAcls), g.bp(p.BlockPublicPolicy), g.bp(p.RestrictPublicBuckets))
}

// settingLines renders the settings of a bucket, one line each.
func (g *loaded) settingLines(b *graph.Bucket) []string {
	out := []string{}
	if b.PublicAccessBlock != nil {
		out = append(out, g.bpaLine(b.PublicAccessBlock))
	}
	if o := b.Ownership; o != nil {
		out = append(out, fmt.Sprintf("ownership by %s at %s: %s", o.Address, g.pos(o.Range), g.sp(o.Rule)))
	}
	for _, acl := range b.ACLs {
		out = append(out, fmt.Sprintf("acl by %s at %s: canned=%s", acl.Address, g.pos(acl.Range), g.sp(acl.Canned)))
		for _, gr := range acl.Grants {
			out = append(out, fmt.Sprintf("  grant at %s: type=%s id=%s uri=%s email=%s permission=%s", g.pos(gr.Range),
				g.sp(gr.Type), g.sp(gr.ID), g.sp(gr.URI), g.sp(gr.Email), g.sp(gr.Permission)))
		}
	}
	for _, acl := range b.ObjectACLs {
		out = append(out, fmt.Sprintf("object acl by %s at %s: key=%s canned=%s", acl.Address, g.pos(acl.Range), g.sp(acl.Key), g.sp(acl.Canned)))
	}
	for _, u := range b.Uploads {
		out = append(out, fmt.Sprintf("upload by %s: key=%s sse=%s", u.Address, g.sp(u.Key), g.sp(u.SSE)))
	}
	if v := b.Versioning; v != nil {
		out = append(out, fmt.Sprintf("versioning by %s at %s: status=%s mfa_delete=%s", v.Address, g.pos(v.Range), g.sp(v.Status), g.bp(v.MFADelete)))
	}
	if e := b.Encryption; e != nil {
		key := "<none>"
		if e.Key != nil {
			key = e.Key.Address
		}
		out = append(out, fmt.Sprintf("encryption by %s at %s: algorithm=%s key_id=%s key=%s bucket_key=%s",
			e.Address, g.pos(e.Range), g.sp(e.Algorithm), g.sp(e.KeyID), key, g.bp(e.BucketKey)))
	}
	if lc := b.Lifecycle; lc != nil {
		out = append(out, fmt.Sprintf("lifecycle by %s at %s", lc.Address, g.pos(lc.Range)))
	}
	if rp := b.RequestPayment; rp != nil {
		out = append(out, fmt.Sprintf("request payment by %s at %s: payer=%s", rp.Address, g.pos(rp.Range), g.sp(rp.Payer)))
	}
	if ws := b.Website; ws != nil {
		out = append(out, fmt.Sprintf("website by %s at %s", ws.Address, g.pos(ws.Range)))
	}
	for _, ap := range b.AccessPoints {
		out = append(out, "access point "+ap.Address)
	}
	return out
}

// settingsCase is a configuration and the settings of some of its
// buckets, one line each (see settingLines), with placeholders.
type settingsCase struct {
	name  string
	files tree
	want  map[string][]string // bucket address → setting lines
	vars  []string
	// warnings, when not nil, are the warnings the load must give, as
	// diagString writes them.
	warnings []string
}

func runSettingsCases(t *testing.T, cases []settingsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := load(t, c.files, withVars(c.vars...))
			g.noErrors(t)
			if got := g.diags(graph.DiagWarning); c.warnings != nil && strings.Join(got, "\n") != strings.Join(c.warnings, "\n") {
				t.Errorf("warnings:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(c.warnings, "\n      "))
			}
			for addr, lines := range c.want {
				want := make([]string, len(lines))
				for i, w := range lines {
					want[i] = expandPos(t, c.files, w)
				}
				got := g.settingLines(g.bucket(t, addr))
				for i := range got {
					// A key's ID is a symbol holding the temporary directory.
					got[i] = symbolicKeyID.ReplaceAllString(got[i], "key_id={ID}@")
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("settings of %s:\n got  %s\n want %s", addr, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
				}
			}
		})
	}
}

// TestBucketSettingsResources reads every settings resource, linked by
// reference.
func TestBucketSettingsResources(t *testing.T) {
	runSettingsCases(t, []settingsCase{{
		name: "every resource",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  ignore_public_acls      = false
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.bucket
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  access_control_policy {
    grant {
      grantee {
        type = "CanonicalUser"
        id   = "owner-canonical-id"
      }
      permission = "FULL_CONTROL"
    }
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
      }
      permission = "WRITE"
    }
    grant {
      grantee {
        type          = "AmazonCustomerByEmail"
        email_address = "ops@example.com"
      }
      permission = "READ"
    }
    owner {
      id = "owner-canonical-id"
    }
  }
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  mfa    = "arn:aws:iam::111122223333:mfa/root 123456"
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms:dsse"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = 30
    }
  }
}

resource "aws_s3_bucket_request_payment_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  payer  = "Requester"
}

resource "aws_s3_bucket_website_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  index_document {
    suffix = "index.html"
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`bpa by aws_s3_bucket_public_access_block.b at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=true@[[true#0]] IgnorePublicAcls=false@[[false]] BlockPublicPolicy=true@[[true#1]] RestrictPublicBuckets=true@[[true#2]]`,
			`ownership by aws_s3_bucket_ownership_controls.b at [[resource "aws_s3_bucket_ownership_controls" .. \n}]]: BucketOwnerPreferred@[["BucketOwnerPreferred"]]`,
			`acl by aws_s3_bucket_acl.b at [[resource "aws_s3_bucket_acl" .. \n}]]: canned=default("")@[[resource "aws_s3_bucket_acl" .. \n}]]`,
			`  grant at [[grant {#0 .. \n    }]]: type=CanonicalUser@[["CanonicalUser"]] id=owner-canonical-id@[["owner-canonical-id"#0]] uri=default("")@[[grantee {#0 .. \n      }]] email=default("")@[[grantee {#0 .. \n      }]] permission=FULL_CONTROL@[["FULL_CONTROL"]]`,
			`  grant at [[grant {#1 .. \n    }]]: type=Group@[["Group"]] id=default("")@[[grantee {#1 .. \n      }]] uri=http://acs.amazonaws.com/groups/s3/LogDelivery@[["http://acs.amazonaws.com/groups/s3/LogDelivery"]] email=default("")@[[grantee {#1 .. \n      }]] permission=WRITE@[["WRITE"]]`,
			`  grant at [[grant {#2 .. \n    }]]: type=AmazonCustomerByEmail@[["AmazonCustomerByEmail"]] id=default("")@[[grantee {#2 .. \n      }]] uri=default("")@[[grantee {#2 .. \n      }]] email=ops@example.com@[["ops .. .com"]] permission=READ@[["READ"]]`,
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Enabled@[["Enabled"#0]] mfa_delete=true@[["Enabled"#1]]`,
			`encryption by aws_s3_bucket_server_side_encryption_configuration.b at [[resource "aws_s3_bucket_server_side_encryption_configuration" .. \n}]]: algorithm=aws:kms:dsse@[["aws:kms:dsse"]] key_id=default("")@[[apply_server_side_encryption_by_default .. \n    }]] key=<none> bucket_key=true@[[true#3]]`,
			`lifecycle by aws_s3_bucket_lifecycle_configuration.b at [[resource "aws_s3_bucket_lifecycle_configuration" .. \n}]]`,
			`request payment by aws_s3_bucket_request_payment_configuration.b at [[resource "aws_s3_bucket_request_payment_configuration" .. \n}]]: payer=Requester@[["Requester"]]`,
			`website by aws_s3_bucket_website_configuration.b at [[resource "aws_s3_bucket_website_configuration" .. \n}]]`,
		}},
	}, {
		name: "omitted arguments",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket = aws_s3_bucket.b.id
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    bucket_key_enabled = false
  }
}

resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  acl    = "log-delivery-write"
}
`},
		// The provider sends false for every omitted Block Public Access
		// flag; an omitted default encryption is S3-managed keys.
		want: map[string][]string{"aws_s3_bucket.b": {
			`bpa by aws_s3_bucket_public_access_block.b at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] IgnorePublicAcls=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] BlockPublicPolicy=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] RestrictPublicBuckets=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]]`,
			`acl by aws_s3_bucket_acl.b at [[resource "aws_s3_bucket_acl" .. \n}]]: canned=log-delivery-write@[["log-delivery-write"]]`,
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Suspended@[["Suspended"]] mfa_delete=default(false)@[[versioning_configuration .. \n  }]]`,
			`encryption by aws_s3_bucket_server_side_encryption_configuration.b at [[resource "aws_s3_bucket_server_side_encryption_configuration" .. \n}]]: algorithm=default("AES256")@[[rule {#0 .. \n  }]] key_id=default("")@[[rule {#0 .. \n  }]] key=<none> bucket_key=false@[[false]]`,
		}},
	}, {
		name: "null is not set",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket            = aws_s3_bucket.b.id
  block_public_acls = null
  ignore_public_acls = "true"
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = null
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`bpa by aws_s3_bucket_public_access_block.b at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] IgnorePublicAcls=true@[["true"]] BlockPublicPolicy=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] RestrictPublicBuckets=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]]`,
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Enabled@[["Enabled"]] mfa_delete=default(false)@[[versioning_configuration .. \n  }]]`,
		}},
	}, {
		name: "unknown values",
		files: tree{"main.tf": `
variable "flag" { type = bool }
variable "status" {}
variable "key" {}
variable "perm" {}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = var.flag
  ignore_public_acls      = var.flag
  block_public_policy     = true
  restrict_public_buckets = var.flag
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status     = var.status
    mfa_delete = var.status
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.status
      kms_master_key_id = var.key
    }
    bucket_key_enabled = var.flag
  }
}

resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    object_ownership = var.status
  }
}

resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  acl    = var.status
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = var.key
      }
      permission = var.perm
    }
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`bpa by aws_s3_bucket_public_access_block.b at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=?@[[var.flag#0]] IgnorePublicAcls=?@[[var.flag#1]] BlockPublicPolicy=true@[[true]] RestrictPublicBuckets=?@[[var.flag#2]]`,
			`ownership by aws_s3_bucket_ownership_controls.b at [[resource "aws_s3_bucket_ownership_controls" .. \n}]]: ?@[[var.status#3]]`,
			`acl by aws_s3_bucket_acl.b at [[resource "aws_s3_bucket_acl" .. \n}]]: canned=?@[[var.status#4]]`,
			`  grant at [[grant {#0 .. \n    }]]: type=Group@[["Group"]] id=default("")@[[grantee {#0 .. \n      }]] uri=?@[[var.key#1]] email=default("")@[[grantee {#0 .. \n      }]] permission=?@[[var.perm#0]]`,
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=?@[[var.status#0]] mfa_delete=?@[[var.status#1]]`,
			`encryption by aws_s3_bucket_server_side_encryption_configuration.b at [[resource "aws_s3_bucket_server_side_encryption_configuration" .. \n}]]: algorithm=?@[[var.status#2]] key_id=?@[[var.key#0]] key=<none> bucket_key=?@[[var.flag#3]]`,
		}},
	}, {
		name: "variables with values",
		vars: []string{"flag=true", "status=Disabled"},
		files: tree{"main.tf": `
variable "flag" { type = bool }
variable "status" {}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket            = aws_s3_bucket.b.id
  block_public_acls = var.flag
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = var.status
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`bpa by aws_s3_bucket_public_access_block.b at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=true@[[var.flag#0]] IgnorePublicAcls=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] BlockPublicPolicy=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] RestrictPublicBuckets=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]]`,
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Enabled@[["Enabled"]] mfa_delete=false@[[var.status#0]]`,
		}},
	}, {
		name: "mfa_delete that the provider rejects",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "enabled"
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Enabled@[["Enabled"]] mfa_delete=?@[["enabled"]]`,
		}},
	}})
}

// TestUploadACLs reads the ACL that uploads send with their objects, and
// only the arguments that say which ACL goes where: an upload's content,
// source and etag (which would read and hash files) stay unread.
func TestUploadACLs(t *testing.T) {
	runSettingsCases(t, []settingsCase{{
		name: "uploads",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_object" "index" {
  bucket  = aws_s3_bucket.b.id
  key     = "index.html"
  source  = "${path.module}/missing/index.html"
  etag    = filemd5("${path.module}/missing/index.html")
  content = file("${path.module}/missing/index.html")
  acl     = "public-read"
}

resource "aws_s3_bucket_object" "pages" {
  for_each = toset(["a.html"])
  bucket   = aws_s3_bucket.b.bucket
  key      = "pages/${each.key}"
  acl      = "authenticated-read"
}

resource "aws_s3_object_copy" "copy" {
  bucket = "acme-b"
  key    = "copy.html"
  source = "acme-other/index.html"
  acl    = var.acl
}

resource "aws_s3_object" "no_acl" {
  bucket                 = aws_s3_bucket.b.id
  key                    = "plain.txt"
  server_side_encryption = "AES256"
}

variable "acl" {
  type = string
}
`},
		warnings: []string{},
		want: map[string][]string{"aws_s3_bucket.b": {
			`object acl by aws_s3_object.index at [[resource "aws_s3_object" "index" .. 
}]]: key=index.html@[["index.html"]] canned=public-read@[["public-read"]]`,
			`object acl by aws_s3_bucket_object.pages["a.html"] at [[resource "aws_s3_bucket_object" .. 
}]]: key=pages/a.html@[["pages/${each.key}"]] canned=authenticated-read@[["authenticated-read"]]`,
			`object acl by aws_s3_object_copy.copy at [[resource "aws_s3_object_copy" .. 
}]]: key=copy.html@[["copy.html"]] canned=?@[[var.acl]]`,
			`upload by aws_s3_object.index: key=index.html@[["index.html"]] sse=default("")@[[resource "aws_s3_object" "index" .. 
}]]`,
			`upload by aws_s3_bucket_object.pages["a.html"]: key=pages/a.html@[["pages/${each.key}"]] sse=default("")@[[resource "aws_s3_bucket_object" .. 
}]]`,
			`upload by aws_s3_object.no_acl: key=plain.txt@[["plain.txt"]] sse=AES256@[["AES256"]]`,
			`upload by aws_s3_object_copy.copy: key=copy.html@[["copy.html"]] sse=default("")@[[resource "aws_s3_object_copy" .. 
}]]`,
		}},
	}})
}

// TestUploadContentUnread: what an upload puts in its object is not read,
// so a reference to it is unknown.
func TestUploadContentUnread(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_s3_object" "name" {
  bucket  = "acme-config"
  key     = "name.txt"
  content = "acme-named"
}

resource "aws_s3_bucket" "named" {
  bucket = aws_s3_object.name.content
}
`})
	g.noErrors(t)
	if b := g.bucket(t, "aws_s3_bucket.named"); b.Name.Known() {
		t.Errorf("bucket name = %q, want unknown: an upload's content is not evaluated", b.Name.V)
	}
}

// TestBucketSettingsInline reads the deprecated arguments of
// aws_s3_bucket.
func TestBucketSettingsInline(t *testing.T) {
	runSettingsCases(t, []settingsCase{{
		name: "every argument",
		files: tree{"main.tf": `
resource "aws_kms_key" "k" {}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
  acl    = "public-read"

  versioning {
    enabled    = true
    mfa_delete = true
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.k.id
      }
      bucket_key_enabled = true
    }
  }

  lifecycle_rule {
    id      = "expire"
    enabled = true
  }

  lifecycle_rule {
    id      = "other"
    enabled = true
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`acl by aws_s3_bucket.b at [[acl    = "public-read"]]: canned=public-read@[["public-read"]]`,
			`versioning by aws_s3_bucket.b at [[versioning {\n .. \n  }]]: status=Enabled@[[true#0]] mfa_delete=true@[[true#1]]`,
			`encryption by aws_s3_bucket.b at [[server_side_encryption_configuration .. \n  }]]: algorithm=aws:kms@[["aws:kms"]] key_id={ID}@[[aws_kms_key.k.id]] key=aws_kms_key.k bucket_key=true@[[true#2]]`,
			`lifecycle by aws_s3_bucket.b at [[lifecycle_rule {#0 .. \n  }]]`,
		}},
	}, {
		name: "grants",
		files: tree{"main.tf": `
variable "perms" {}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"

  grant {
    id          = "owner-canonical-id"
    type        = "CanonicalUser"
    permissions = ["READ", "WRITE"]
  }

  grant {
    type        = "Group"
    uri         = "http://acs.amazonaws.com/groups/global/AllUsers"
    permissions = var.perms
  }
}
`},
		// One grant per permission; acl not written.
		want: map[string][]string{"aws_s3_bucket.b": {
			`acl by aws_s3_bucket.b at [[grant {#0 .. \n  }]]: canned=default("")@[[resource "aws_s3_bucket" .. \n}]]`,
			`  grant at [[grant {#0 .. \n  }]]: type=CanonicalUser@[["CanonicalUser"]] id=owner-canonical-id@[["owner-canonical-id"]] uri=default("")@[[grant {#0 .. \n  }]] email=default("")@[[grant {#0 .. \n  }]] permission=READ@[["READ"]]`,
			`  grant at [[grant {#0 .. \n  }]]: type=CanonicalUser@[["CanonicalUser"]] id=owner-canonical-id@[["owner-canonical-id"]] uri=default("")@[[grant {#0 .. \n  }]] email=default("")@[[grant {#0 .. \n  }]] permission=WRITE@[["WRITE"]]`,
			`  grant at [[grant {#1 .. \n  }]]: type=Group@[["Group"]] id=default("")@[[grant {#1 .. \n  }]] uri=http://acs.amazonaws.com/groups/global/AllUsers@[["http://acs.amazonaws.com/groups/global/AllUsers"]] email=default("")@[[grant {#1 .. \n  }]] permission=?@[[var.perms#0]]`,
		}},
	}, {
		name: "dynamic grants",
		files: tree{"main.tf": `
locals {
  readers = ["id-a", "id-b"]
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"

  dynamic "grant" {
    for_each = local.readers
    content {
      id          = grant.value
      type        = "CanonicalUser"
      permissions = ["READ"]
    }
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`acl by aws_s3_bucket.b at [[dynamic "grant" .. \n  }]]: canned=default("")@[[resource "aws_s3_bucket" .. \n}]]`,
			`  grant at [[dynamic "grant" .. \n  }]]: type=CanonicalUser@[["CanonicalUser"]] id=id-a@[[grant.value]] uri=default("")@[[dynamic "grant" .. \n  }]] email=default("")@[[dynamic "grant" .. \n  }]] permission=READ@[["READ"]]`,
			`  grant at [[dynamic "grant" .. \n  }]]: type=CanonicalUser@[["CanonicalUser"]] id=id-b@[[grant.value]] uri=default("")@[[dynamic "grant" .. \n  }]] email=default("")@[[dynamic "grant" .. \n  }]] permission=READ@[["READ"]]`,
		}},
	}, {
		name: "versioning off and unknown",
		files: tree{"main.tf": `
variable "on" {}

resource "aws_s3_bucket" "off" {
  bucket = "acme-off"
  versioning {
    enabled = false
  }
}

resource "aws_s3_bucket" "empty" {
  bucket = "acme-empty"
  versioning {
  }
}

resource "aws_s3_bucket" "unknown" {
  bucket = "acme-unknown"
  versioning {
    enabled = var.on
  }
}

resource "aws_s3_bucket" "plain" {
  bucket = "acme-plain"
  acl    = null
}
`},
		// enabled = false is Disabled: a bucket created so is never
		// versioned.
		want: map[string][]string{
			"aws_s3_bucket.off": {
				`versioning by aws_s3_bucket.off at [[versioning {#0 .. \n  }]]: status=Disabled@[[false]] mfa_delete=default(false)@[[versioning {#0 .. \n  }]]`,
			},
			"aws_s3_bucket.empty": {
				`versioning by aws_s3_bucket.empty at [[versioning {#1 .. \n  }]]: status=default("Disabled")@[[versioning {#1 .. \n  }]] mfa_delete=default(false)@[[versioning {#1 .. \n  }]]`,
			},
			"aws_s3_bucket.unknown": {
				`versioning by aws_s3_bucket.unknown at [[versioning {#2 .. \n  }]]: status=?@[[var.on#0]] mfa_delete=default(false)@[[versioning {#2 .. \n  }]]`,
			},
			"aws_s3_bucket.plain": {},
		},
	}, {
		// The provider documents inline arguments and the separate
		// resources as conflicting: the resource is kept, whichever comes
		// first in the source.
		name: "resource replaces inline argument",
		files: tree{"main.tf": `
resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
  acl    = "public-read"
  versioning {
    enabled = true
  }
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
  lifecycle_rule {
    enabled = true
  }
}

resource "aws_s3_bucket_acl" "b" {
  bucket = "acme-b"
  acl    = "private"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = "acme-b"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    id     = "x"
    status = "Enabled"
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`acl by aws_s3_bucket_acl.b at [[resource "aws_s3_bucket_acl" .. \n}]]: canned=private@[["private"]]`,
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Suspended@[["Suspended"]] mfa_delete=default(false)@[[versioning_configuration .. \n  }]]`,
			`encryption by aws_s3_bucket_server_side_encryption_configuration.b at [[resource "aws_s3_bucket_server_side_encryption_configuration" .. \n}]]: algorithm=aws:kms@[["aws:kms"]] key_id=default("")@[[apply_server_side_encryption_by_default {#1 .. \n    }]] key=<none> bucket_key=default(false)@[[rule {#2 .. \n  }]]`,
			`lifecycle by aws_s3_bucket_lifecycle_configuration.b at [[resource "aws_s3_bucket_lifecycle_configuration" .. \n}]]`,
		}},
	}})
}

// TestBucketSettingsLinks links settings resources to their buckets by
// reference through locals, module variables and instances, and by name.
func TestBucketSettingsLinks(t *testing.T) {
	runSettingsCases(t, []settingsCase{{
		// for_each over an input without a value: one instance stands for
		// every bucket, and a setting of the same key is that bucket's.
		name: "by an instance key not known before deployment",
		files: tree{"main.tf": `
variable "buckets" {
  type = map(string)
}

resource "aws_s3_bucket" "b" {
  for_each = var.buckets
  bucket   = each.key
}

resource "aws_s3_bucket_versioning" "b" {
  for_each = var.buckets
  bucket   = aws_s3_bucket.b[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b[each.key]": {
			`versioning by aws_s3_bucket_versioning.b[each.key] at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Enabled@[["Enabled"]] mfa_delete=default(false)@[[versioning_configuration .. \n  }]]`,
		}},
	}, {
		// A setting iterating over another collection may name any of
		// the buckets, or none: it is not linked.
		name: "by an instance key of another collection",
		files: tree{"main.tf": `
variable "buckets" {
  type = map(string)
}

variable "versioned" {
  type = map(string)
}

resource "aws_s3_bucket" "b" {
  for_each = var.buckets
  bucket   = each.key
}

resource "aws_s3_bucket_versioning" "b" {
  for_each = var.versioned
  bucket   = aws_s3_bucket.b[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_versioning" "known" {
  for_each = toset(["a"])
  bucket   = aws_s3_bucket.b[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b[each.key]": {}},
	}, {
		// terraform-aws-modules/s3-bucket orders its settings after the
		// policy by taking the bucket from it, behind a condition; the
		// bucket's name is not known.
		name: "through another setting of the bucket, behind a condition",
		files: tree{"main.tf": `
variable "attach_policy" {
  type = bool
}

variable "name" {
  type = string
}

resource "aws_s3_bucket" "b" {
  bucket = var.name
}

resource "aws_s3_bucket_policy" "b" {
  count  = var.attach_policy ? 1 : 0
  bucket = aws_s3_bucket.b.id
  policy = "{}"
}

resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = var.attach_policy ? aws_s3_bucket_policy.b[0].id : aws_s3_bucket.b.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket_ownership_controls.b.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "other" {
  bucket = "acme-other"
}

resource "aws_s3_bucket_versioning" "either" {
  bucket = var.attach_policy ? aws_s3_bucket.b.id : aws_s3_bucket.other.id
  versioning_configuration {
    status = "Enabled"
  }
}
`},
		want: map[string][]string{
			"aws_s3_bucket.b": {
				`bpa by aws_s3_bucket_public_access_block.b at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=false@[[false@block_public_acls       = false]] IgnorePublicAcls=false@[[false@ignore_public_acls      = false]] BlockPublicPolicy=true@[[true@block_public_policy     = true]] RestrictPublicBuckets=true@[[true@restrict_public_buckets = true]]`,
				`ownership by aws_s3_bucket_ownership_controls.b at [[resource "aws_s3_bucket_ownership_controls" .. \n}]]: ObjectWriter@[["ObjectWriter"]]`,
			},
			// Two buckets behind the condition: the versioning is neither's.
			"aws_s3_bucket.other": {},
		},
	}, {
		// Only a setting's id and bucket are its bucket's name: the log
		// bucket of aws_s3_bucket_logging is another bucket. A setting
		// whose bucket refers to itself through a condition names none
		// (and costs one look, not one per path).
		name: "only through a setting's id and bucket, and not in a cycle",
		files: tree{"main.tf": `
variable "c" {
  type = bool
}

resource "aws_s3_bucket" "src" {
  bucket = "acme-src"
}

resource "aws_s3_bucket_logging" "src" {
  bucket        = aws_s3_bucket.src.id
  target_bucket = "acme-logs"
  target_prefix = "src/"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket_logging.src.target_bucket
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket_versioning" "loop" {
  bucket = var.c ? aws_s3_bucket_versioning.loop.id : aws_s3_bucket_versioning.loop.bucket
  versioning_configuration {
    status = "Enabled"
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.src": {}},
	}, {
		name: "by name and through locals",
		files: tree{"main.tf": `
locals {
  bucket_id = aws_s3_bucket.b.id
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket" "other" {
  bucket = "acme-other"
}

resource "aws_s3_bucket_ownership_controls" "by_name" {
  bucket = "acme-other"
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_ownership_controls" "by_local" {
  bucket = local.bucket_id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_ownership_controls" "nowhere" {
  bucket = "acme-elsewhere"
  rule {
    object_ownership = "ObjectWriter"
  }
}
`},
		want: map[string][]string{
			"aws_s3_bucket.b": {
				`ownership by aws_s3_bucket_ownership_controls.by_local at [[resource "aws_s3_bucket_ownership_controls" "by_local" .. \n}]]: BucketOwnerEnforced@[["BucketOwnerEnforced"]]`,
			},
			"aws_s3_bucket.other": {
				`ownership by aws_s3_bucket_ownership_controls.by_name at [[resource "aws_s3_bucket_ownership_controls" "by_name" .. \n}]]: ObjectWriter@[["ObjectWriter"#0]]`,
			},
		},
	}, {
		name: "for_each over buckets",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  for_each = toset(["logs", "data"])
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "b" {
  for_each          = aws_s3_bucket.b
  bucket            = each.value.id
  block_public_acls = each.key == "logs"
}

resource "aws_s3_bucket_versioning" "b" {
  for_each = toset(["logs", "data"])
  bucket   = aws_s3_bucket.b[each.key].id
  versioning_configuration {
    status = each.key == "data" ? "Enabled" : "Suspended"
  }
}
`},
		want: map[string][]string{
			`aws_s3_bucket.b["logs"]`: {
				`bpa by aws_s3_bucket_public_access_block.b["logs"] at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=true@[[each.key == "logs"]] IgnorePublicAcls=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] BlockPublicPolicy=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] RestrictPublicBuckets=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]]`,
				`versioning by aws_s3_bucket_versioning.b["logs"] at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Suspended@[[each.key == "data" ? "Enabled" : "Suspended"]] mfa_delete=default(false)@[[versioning_configuration .. \n  }]]`,
			},
			`aws_s3_bucket.b["data"]`: {
				`bpa by aws_s3_bucket_public_access_block.b["data"] at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=false@[[each.key == "logs"]] IgnorePublicAcls=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] BlockPublicPolicy=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]] RestrictPublicBuckets=default(false)@[[resource "aws_s3_bucket_public_access_block" .. \n}]]`,
				`versioning by aws_s3_bucket_versioning.b["data"] at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=Enabled@[[each.key == "data" ? "Enabled" : "Suspended"]] mfa_delete=default(false)@[[versioning_configuration .. \n  }]]`,
			},
		},
	}, {
		name: "module variable and module instances",
		files: tree{
			"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

module "blocked" {
  source = "./bpa"
  bucket = aws_s3_bucket.b.id
}

module "site" {
  source   = "./site"
  for_each = toset(["blue", "green"])
  name     = "acme-site-${each.key}"
}
`,
			"bpa/main.tf": `
variable "bucket" {}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = var.bucket
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}
`,
			"site/main.tf": `
variable "name" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "ObjectWriter"
  }
}
`,
		},
		want: map[string][]string{
			"aws_s3_bucket.b": {
				`bpa by module.blocked.aws_s3_bucket_public_access_block.this at [[bpa/main.tf|resource .. \n}]]: BlockPublicAcls=true@[[bpa/main.tf|true#0]] IgnorePublicAcls=true@[[bpa/main.tf|true#1]] BlockPublicPolicy=true@[[bpa/main.tf|true#2]] RestrictPublicBuckets=true@[[bpa/main.tf|true#3]]`,
			},
			`module.site["blue"].aws_s3_bucket.this`: {
				`ownership by module.site["blue"].aws_s3_bucket_ownership_controls.this at [[site/main.tf|resource "aws_s3_bucket_ownership_controls" .. \n}]]: ObjectWriter@[[site/main.tf|"ObjectWriter"]]`,
			},
			`module.site["green"].aws_s3_bucket.this`: {
				`ownership by module.site["green"].aws_s3_bucket_ownership_controls.this at [[site/main.tf|resource "aws_s3_bucket_ownership_controls" .. \n}]]: ObjectWriter@[[site/main.tf|"ObjectWriter"]]`,
			},
		},
	}, {
		name: "module output and a generated name",
		files: tree{
			"main.tf": `
variable "unknown" {}

module "store" {
  source = "./store"
}

resource "aws_s3_bucket" "generated" {
  bucket_prefix = "acme-"
}

resource "aws_s3_bucket_versioning" "store" {
  bucket = module.store.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_versioning" "generated" {
  bucket = aws_s3_bucket.generated.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_versioning" "nowhere" {
  bucket = var.unknown
  versioning_configuration {
    status = "Enabled"
  }
}
`,
			"store/main.tf": `
resource "aws_s3_bucket" "this" {
  bucket_prefix = "store-"
}

output "id" {
  value = aws_s3_bucket.this.id
}
`,
		},
		want: map[string][]string{
			"module.store.aws_s3_bucket.this": {
				`versioning by aws_s3_bucket_versioning.store at [[resource "aws_s3_bucket_versioning" "store" .. \n}]]: status=Enabled@[["Enabled"#0]] mfa_delete=default(false)@[[versioning_configuration {#0 .. \n  }]]`,
			},
			"aws_s3_bucket.generated": {
				`versioning by aws_s3_bucket_versioning.generated at [[resource "aws_s3_bucket_versioning" "generated" .. \n}]]: status=Suspended@[["Suspended"]] mfa_delete=default(false)@[[versioning_configuration {#1 .. \n  }]]`,
			},
		},
	}, {
		// Two resources for one setting (the provider would flip between
		// them): the first in source order stays; ACLs are all kept.
		name: "two resources for one setting",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_versioning" "first" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_versioning" "second" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_acl" "first" {
  bucket = aws_s3_bucket.b.id
  acl    = "private"
}

resource "aws_s3_bucket_acl" "second" {
  bucket = aws_s3_bucket.b.id
  acl    = "public-read"
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`acl by aws_s3_bucket_acl.first at [[resource "aws_s3_bucket_acl" "first" .. \n}]]: canned=private@[["private"]]`,
			`acl by aws_s3_bucket_acl.second at [[resource "aws_s3_bucket_acl" "second" .. \n}]]: canned=public-read@[["public-read"]]`,
			`versioning by aws_s3_bucket_versioning.first at [[resource "aws_s3_bucket_versioning" "first" .. \n}]]: status=Enabled@[["Enabled"]] mfa_delete=default(false)@[[versioning_configuration {#0 .. \n  }]]`,
		}},
	}, {
		name: "JSON syntax",
		files: tree{"main.tf.json": `{
  "resource": {
    "aws_s3_bucket": {"b": {"bucket": "acme-b"}},
    "aws_s3_bucket_public_access_block": {"b": {"bucket": "${aws_s3_bucket.b.id}", "block_public_policy": true}},
    "aws_s3_bucket_versioning": {"b": {"bucket": "acme-b", "versioning_configuration": {"status": "Enabled", "mfa_delete": "Disabled"}}}
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`bpa by aws_s3_bucket_public_access_block.b at [[main.tf.json|{@{"bucket": "${]]: BlockPublicAcls=default(false)@[[main.tf.json|{@{"bucket": "${]] IgnorePublicAcls=default(false)@[[main.tf.json|{@{"bucket": "${]] BlockPublicPolicy=true@[[main.tf.json|true]] RestrictPublicBuckets=default(false)@[[main.tf.json|{@{"bucket": "${]]`,
			`versioning by aws_s3_bucket_versioning.b at [[main.tf.json|{@{"bucket": "acme-b", "versioning_configuration"]]: status=Enabled@[[main.tf.json|"Enabled"]] mfa_delete=false@[[main.tf.json|"Disabled"]]`,
		}},
	}})
}

var (
	symbolicKeyARN = regexp.MustCompile(`key_id=(\?|arn:aws:kms:[^@]*:key/<id of aws_kms_key\.k[@>][^>]*>?)@`)
	symbolicKeyID  = regexp.MustCompile(`key_id=<id of aws_kms_key\.k[@>][^>]*>?@`)
	// An alias's ARN holds the account symbol of the provider.
	symbolicAliasARN = regexp.MustCompile(`key_id=arn:aws:kms:<region>:<account of [^>]*>:alias/app@`)
)

// TestBucketEncryptionKeys links default encryption to the KMS key it
// names, directly or through an alias.
func TestBucketEncryptionKeys(t *testing.T) {
	for _, c := range []struct {
		name, keyID, want string
	}{
		{"key ARN", `aws_kms_key.k.arn`, `key_id={ARN}@{K} key=aws_kms_key.k`},
		{"key id", `aws_kms_key.k.id`, `key_id={ID}@{K} key=aws_kms_key.k`},
		{"key key_id", `aws_kms_key.k.key_id`, `key_id={ID}@{K} key=aws_kms_key.k`},
		{"alias ARN", `aws_kms_alias.a.arn`, `key_id={ALIAS}@{K} key=aws_kms_key.k`},
		{"alias name", `aws_kms_alias.a.name`, `key_id=alias/app@{K} key=aws_kms_key.k`},
		{"alias of an ARN", `aws_kms_alias.by_arn.name`, `key_id=alias/by-arn@{K} key=aws_kms_key.k`},
		{"alias of a key elsewhere", `aws_kms_alias.elsewhere.name`, `key_id=alias/elsewhere@{K} key=<none>`},
		{"key through a local", `local.key`, `key_id={ARN}@{K} key=aws_kms_key.k`},
		{"literal alias", `"alias/aws/s3"`, `key_id=alias/aws/s3@{K} key=<none>`},
		{"data source", `data.aws_kms_key.existing.arn`, `key_id=?@{K} key=<none>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := tree{"main.tf": `
variable "elsewhere" {}

locals {
  key = aws_kms_key.k.arn
}

resource "aws_kms_key" "k" {}

resource "aws_kms_alias" "a" {
  name          = "alias/app"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_kms_alias" "by_arn" {
  name          = "alias/by-arn"
  target_key_id = aws_kms_key.k.arn
}

resource "aws_kms_alias" "elsewhere" {
  name          = "alias/elsewhere"
  target_key_id = var.elsewhere
}

data "aws_kms_key" "existing" {
  key_id = "alias/existing"
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = ` + c.keyID + `
    }
  }
}
`}
			g := load(t, files)
			g.noErrors(t)
			want := expandPos(t, files, `encryption by aws_s3_bucket_server_side_encryption_configuration.b at [[resource "aws_s3_bucket_server_side_encryption_configuration" .. \n}]]: algorithm=aws:kms@[["aws:kms"]] `+
				strings.ReplaceAll(c.want, "{K}", "[["+c.keyID+"@kms_master_key_id = "+c.keyID+"]]")+` bucket_key=default(false)@[[rule {#0 .. \n  }]]`)
			// A key's ARN is AWS's choice: unknown, or a symbol that
			// stands for it, never a guess.
			got := strings.Join(g.settingLines(g.bucket(t, "aws_s3_bucket.b")), "\n")
			if strings.Contains(c.want, "{ARN}") {
				got = symbolicKeyARN.ReplaceAllString(got, "key_id={ARN}@")
			}
			got = symbolicKeyID.ReplaceAllString(got, "key_id={ID}@")
			got = symbolicAliasARN.ReplaceAllString(got, "key_id={ALIAS}@")
			eqList(t, "settings", []string{got}, []string{want})
		})
	}
}

// TestAccountPublicAccessBlock reads account-level Block Public Access:
// the account is the provider's unless account_id names one.
func TestAccountPublicAccessBlock(t *testing.T) {
	files := tree{"main.tf": `
provider "aws" {
  alias               = "prod"
  allowed_account_ids = ["111122223333"]
}

variable "account" {}

resource "aws_s3_account_public_access_block" "default" {
  block_public_acls = true
}

resource "aws_s3_account_public_access_block" "prod" {
  provider                = aws.prod
  block_public_policy     = false
  restrict_public_buckets = true
}

resource "aws_s3_account_public_access_block" "named" {
  account_id         = "444455556666"
  ignore_public_acls = true
}

resource "aws_s3_account_public_access_block" "unknown" {
  account_id = var.account
}
`}
	g := load(t, files)
	g.noErrors(t)
	got := []string{}
	for _, ab := range g.AccountBlocks {
		got = append(got, fmt.Sprintf("%s account=%q id=%s range=%s type=%s %s", ab.Address, ab.Account, g.sp(ab.AccountID), g.pos(ab.Range), ab.Type, g.bpaLine(&ab.PublicAccessBlock)))
	}
	blk := func(name string) string {
		return `[[resource "aws_s3_account_public_access_block" "` + name + `" .. \n}]]`
	}
	want := []string{
		`aws_s3_account_public_access_block.default account="<account of aws in DIR>" id=default("")@` + blk("default") + ` range=` + blk("default") + ` type=aws_s3_account_public_access_block ` +
			`bpa by aws_s3_account_public_access_block.default at ` + blk("default") + `: BlockPublicAcls=true@[[true#0]] IgnorePublicAcls=default(false)@` + blk("default") + ` BlockPublicPolicy=default(false)@` + blk("default") + ` RestrictPublicBuckets=default(false)@` + blk("default"),
		`aws_s3_account_public_access_block.prod account="111122223333" id=default("")@` + blk("prod") + ` range=` + blk("prod") + ` type=aws_s3_account_public_access_block ` +
			`bpa by aws_s3_account_public_access_block.prod at ` + blk("prod") + `: BlockPublicAcls=default(false)@` + blk("prod") + ` IgnorePublicAcls=default(false)@` + blk("prod") + ` BlockPublicPolicy=false@[[false]] RestrictPublicBuckets=true@[[true#1]]`,
		`aws_s3_account_public_access_block.named account="444455556666" id=444455556666@[["444455556666"]] range=` + blk("named") + ` type=aws_s3_account_public_access_block ` +
			`bpa by aws_s3_account_public_access_block.named at ` + blk("named") + `: BlockPublicAcls=default(false)@` + blk("named") + ` IgnorePublicAcls=true@[[true#2]] BlockPublicPolicy=default(false)@` + blk("named") + ` RestrictPublicBuckets=default(false)@` + blk("named"),
		// An account_id that cannot be known names no account.
		`aws_s3_account_public_access_block.unknown account="" id=?@[[var.account]] range=` + blk("unknown") + ` type=aws_s3_account_public_access_block ` +
			`bpa by aws_s3_account_public_access_block.unknown at ` + blk("unknown") + `: BlockPublicAcls=default(false)@` + blk("unknown") + ` IgnorePublicAcls=default(false)@` + blk("unknown") + ` BlockPublicPolicy=default(false)@` + blk("unknown") + ` RestrictPublicBuckets=default(false)@` + blk("unknown"),
	}
	for i := range want {
		// The symbol escapes the directory's slashes.
		want[i] = strings.ReplaceAll(expandPos(t, files, want[i]), "<account of aws in DIR>", string(graph.SymbolicAccount("aws in "+g.dir)))
	}
	eqList(t, "account blocks", got, want)
}

// apLine renders an access point on one line.
func (g *loaded) apLine(ap *graph.AccessPoint) string {
	bucket, pol := "<none>", "<none>"
	if ap.Bucket != nil {
		bucket = ap.Bucket.Address
	}
	if ap.Policy != nil {
		pol = ap.Policy.Address + "@" + g.pos(ap.Policy.DocRange)
	}
	return fmt.Sprintf("%s account=%q name=%s arn=%s bucketref=%s bucket=%s policy=%s vpc=%s %s", ap.Address, ap.Account, g.sp(ap.Name), s(ap.ARN),
		g.sp(ap.BucketRef), bucket, pol, g.sp(ap.VpcID), g.bpaLine(ap.PublicAccessBlock))
}

// TestAccessPoints reads access points: their Block Public Access (on
// unless told otherwise), network origin, bucket and policy.
func TestAccessPoints(t *testing.T) {
	files := tree{"main.tf": `
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_access_point" "plain" {
  name   = "plain"
  bucket = aws_s3_bucket.b.id
}

resource "aws_s3_access_point" "open" {
  name   = "open"
  bucket = "acme-b"
  policy = jsonencode({ Statement = [] })
  public_access_block_configuration {
    block_public_policy     = false
    restrict_public_buckets = false
  }
}

resource "aws_s3_access_point" "vpc" {
  name       = "vpc"
  bucket     = aws_s3_bucket.b.bucket
  account_id = "444455556666"
  vpc_configuration {
    vpc_id = "vpc-123"
  }
}

resource "aws_s3_access_point" "elsewhere" {
  name   = "elsewhere"
  bucket = "acme-elsewhere"
}

resource "aws_s3control_access_point_policy" "by_ref" {
  access_point_arn = aws_s3_access_point.vpc.arn
  policy           = jsonencode({ Statement = [] })
}

resource "aws_s3control_access_point_policy" "by_arn" {
  access_point_arn = "arn:aws:s3:eu-west-1:111122223333:accesspoint/open"
  policy           = jsonencode({ Statement = [] })
}
`}
	g := load(t, files)
	g.noErrors(t)
	got := []string{}
	for _, ap := range g.AccessPoints {
		got = append(got, g.apLine(ap))
	}
	blk := func(name string) string { return `[[resource "aws_s3_access_point" "` + name + `" .. \n}]]` }
	on := func(name string) string {
		b := blk(name)
		return `bpa by aws_s3_access_point.` + name + ` at ` + b + `: BlockPublicAcls=default(true)@` + b + ` IgnorePublicAcls=default(true)@` + b + ` BlockPublicPolicy=default(true)@` + b + ` RestrictPublicBuckets=default(true)@` + b
	}
	pab := `[[public_access_block_configuration .. \n  }]]`
	want := []string{
		`aws_s3_access_point.plain account="111122223333" name=plain@[["plain"@name   = "plain"]] arn=arn:aws:s3:eu-west-1:111122223333:accesspoint/plain bucketref=acme-b@[[aws_s3_bucket.b.id]] bucket=aws_s3_bucket.b policy=<none> vpc=default("")@` + blk("plain") + ` ` + on("plain"),
		// The policy of aws_s3control_access_point_policy.by_arn replaces
		// the access point's own.
		`aws_s3_access_point.open account="111122223333" name=open@[["open"@name   = "open"]] arn=arn:aws:s3:eu-west-1:111122223333:accesspoint/open bucketref=acme-b@[["acme-b"#1]] bucket=aws_s3_bucket.b policy=aws_s3control_access_point_policy.by_arn@[[policy           = jsonencode({ Statement = [] })#1]] vpc=default("")@` + blk("open") + ` ` +
			`bpa by aws_s3_access_point.open at ` + pab + `: BlockPublicAcls=default(true)@` + pab + ` IgnorePublicAcls=default(true)@` + pab + ` BlockPublicPolicy=false@[[false#0]] RestrictPublicBuckets=false@[[false#1]]`,
		`aws_s3_access_point.vpc account="444455556666" name=vpc@[["vpc"@name       = "vpc"]] arn=arn:aws:s3:eu-west-1:444455556666:accesspoint/vpc bucketref=acme-b@[[aws_s3_bucket.b.bucket]] bucket=aws_s3_bucket.b policy=aws_s3control_access_point_policy.by_ref@[[policy           = jsonencode({ Statement = [] })#0]] vpc=vpc-123@[["vpc-123"]] ` + on("vpc"),
		`aws_s3_access_point.elsewhere account="111122223333" name=elsewhere@[["elsewhere"@name   = "elsewhere"]] arn=arn:aws:s3:eu-west-1:111122223333:accesspoint/elsewhere bucketref=acme-elsewhere@[["acme-elsewhere"]] bucket=<none> policy=<none> vpc=default("")@` + blk("elsewhere") + ` ` + on("elsewhere"),
	}
	for i := range want {
		want[i] = expandPos(t, files, want[i])
	}
	eqList(t, "access points", got, want)
	eqList(t, "access points of the bucket", g.settingLines(g.bucket(t, "aws_s3_bucket.b")),
		[]string{"access point aws_s3_access_point.plain", "access point aws_s3_access_point.vpc", "access point aws_s3_access_point.open"})
	// The open access point's own policy is still a policy of the graph.
	if n := len(g.policies("aws_s3_access_point.open", graph.AccessPointPolicy)); n != 1 {
		t.Errorf("%d policies of aws_s3_access_point.open, want 1", n)
	}
}

// TestEndpointDetails reads the type and VPC of VPC endpoints.
func TestEndpointDetails(t *testing.T) {
	files := tree{"main.tf": `
variable "vpc" {}

resource "aws_vpc_endpoint" "gateway" {
  vpc_id       = "vpc-123"
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_vpc_endpoint" "interface" {
  vpc_id            = var.vpc
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Interface"
}
`}
	g := load(t, files)
	g.noErrors(t)
	got := []string{}
	for _, e := range g.Endpoints {
		got = append(got, fmt.Sprintf("%s type=%s vpc=%s", e.Address, g.sp(e.Type), g.sp(e.VpcID)))
	}
	want := []string{
		`aws_vpc_endpoint.gateway type=default("Gateway")@[[resource "aws_vpc_endpoint" "gateway" .. \n}]] vpc=vpc-123@[["vpc-123"]]`,
		`aws_vpc_endpoint.interface type=Interface@[["Interface"]] vpc=?@[[var.vpc]]`,
	}
	for i := range want {
		want[i] = expandPos(t, files, want[i])
	}
	eqList(t, "endpoints", got, want)
}

// TestBucketSettingsAcrossRoots links a setting named by bucket name to a
// bucket of another root module, preferring its own root's bucket when two
// roots have a bucket of that name.
func TestBucketSettingsAcrossRoots(t *testing.T) {
	files := tree{
		"buckets/main.tf": `
resource "aws_s3_bucket" "shared" {
  bucket = "acme-shared"
}

resource "aws_s3_bucket" "twin" {
  bucket = "acme-twin"
}
`,
		"security/main.tf": `
resource "aws_s3_bucket" "twin" {
  bucket = "acme-twin"
}

resource "aws_s3_bucket_public_access_block" "shared" {
  bucket = "acme-shared"
}

resource "aws_s3_bucket_versioning" "twin" {
  bucket = "acme-twin"
  versioning_configuration {
    status = "Enabled"
  }
}
`,
	}
	g := load(t, files)
	g.noErrors(t)
	byRoot := map[string]*graph.Bucket{}
	for _, b := range g.Buckets {
		byRoot[g.rel(b.Root)+"/"+b.Address] = b
	}
	if b := byRoot["buckets/aws_s3_bucket.shared"]; b == nil || b.PublicAccessBlock == nil || b.PublicAccessBlock.Address != "aws_s3_bucket_public_access_block.shared" {
		t.Errorf("the shared bucket did not get the other root's public access block:\n%s", g.dump())
	}
	if b := byRoot["security/aws_s3_bucket.twin"]; b == nil || b.Versioning == nil {
		t.Errorf("the twin bucket of the setting's own root did not get its versioning")
	}
	if b := byRoot["buckets/aws_s3_bucket.twin"]; b == nil || b.Versioning != nil {
		t.Errorf("the twin bucket of another root got the versioning")
	}
	if len(g.SettingLinks) != 0 {
		t.Errorf("%d settings left unlinked", len(g.SettingLinks))
	}
}

// TestBucketSettingsDeterministic loads the same configuration many times
// and expects the same settings.
func TestBucketSettingsDeterministic(t *testing.T) {
	files := tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  for_each = toset(["a", "b", "c"])
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_acl" "by_name" {
  for_each = toset(["a", "b", "c"])
  bucket   = "acme-${each.key}"
  acl      = "private"
}

resource "aws_s3_bucket_acl" "by_ref" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  acl      = "log-delivery-write"
}

resource "aws_s3_bucket_versioning" "x" {
  for_each = toset(["a", "b", "c"])
  bucket   = "acme-${each.key}"
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_versioning" "y" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  versioning_configuration {
    status = "Suspended"
  }
}
`}
	render := func(g *loaded) string {
		var b strings.Builder
		for _, bk := range g.Buckets {
			fmt.Fprintf(&b, "%s\n  %s\n", bk.Address, strings.Join(g.settingLines(bk), "\n  "))
		}
		return b.String()
	}
	first := render(load(t, files))
	// By reference is linked before by name: the y versioning stays, and
	// the ACL by reference comes first.
	if !strings.Contains(first, `versioning by aws_s3_bucket_versioning.y["a"]`) || !strings.Contains(first, `canned=log-delivery-write@16:14-16:34
  acl by aws_s3_bucket_acl.by_name["a"]`) {
		t.Errorf("unexpected settings:\n%s", first)
	}
	for range 10 {
		if again := render(load(t, files)); again != first {
			t.Fatalf("settings differ between loads:\n%s\n---\n%s", first, again)
		}
	}
}

// TestBucketSettingsOddValues: values of the wrong type are unknown, not
// guessed, with a warning at each, and blocks written as attributes are not read as blocks.
func TestBucketSettingsOddValues(t *testing.T) {
	runSettingsCases(t, []settingsCase{{
		name: "wrong types",
		files: tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
  acl    = ["private"]
  grant {
    type        = "Group"
    uri         = { a = 1 }
    permissions = "READ"
  }
  versioning {
    enabled = "maybe"
  }
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = [true]
  ignore_public_acls      = "yes"
  block_public_policy     = 1
  restrict_public_buckets = {}
}

resource "aws_s3_bucket_versioning" "b" {
  bucket                   = aws_s3_bucket.b.id
  versioning_configuration = { status = "Enabled" }
}

resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
  }
}
`},
		want: map[string][]string{"aws_s3_bucket.b": {
			`bpa by aws_s3_bucket_public_access_block.b at [[resource "aws_s3_bucket_public_access_block" .. \n}]]: BlockPublicAcls=?@[[[true]]] IgnorePublicAcls=?@[["yes"]] BlockPublicPolicy=?@[[1@policy     = 1]] RestrictPublicBuckets=?@[[{}]]`,
			`ownership by aws_s3_bucket_ownership_controls.b at [[resource "aws_s3_bucket_ownership_controls" .. \n}]]: ?@[[rule {\n .. }]]`,
			`acl by aws_s3_bucket.b at [[acl    = ["private"]]]: canned=?@[[["private"]]]`,
			`  grant at [[grant {\n .. \n  }]]: type=Group@[["Group"]] id=default("")@[[grant {\n .. \n  }]] uri=?@[[{ a = 1 }]] email=default("")@[[grant {\n .. \n  }]] permission=?@[["READ"]]`,
			`versioning by aws_s3_bucket_versioning.b at [[resource "aws_s3_bucket_versioning" .. \n}]]: status=?@[[resource "aws_s3_bucket_versioning" .. \n}]] mfa_delete=?@[[resource "aws_s3_bucket_versioning" .. \n}]]`,
		}},
		warnings: []string{
			`main.tf:4:12: acl must be a string, not a list (Terraform rejects it); s3lint takes it as unknown`,
			`main.tf:7:19: uri must be a string, not an object (Terraform rejects it); s3lint takes it as unknown`,
			`main.tf:11:15: enabled must be true or false, not "maybe" (Terraform rejects it); s3lint takes it as unknown`,
			`main.tf:17:29: block_public_acls must be true or false, not a list (Terraform rejects it); s3lint takes it as unknown`,
			`main.tf:18:29: ignore_public_acls must be true or false, not "yes" (Terraform rejects it); s3lint takes it as unknown`,
			`main.tf:19:29: block_public_policy must be true or false, not 1 (Terraform rejects it); s3lint takes it as unknown`,
			`main.tf:20:29: restrict_public_buckets must be true or false, not an object (Terraform rejects it); s3lint takes it as unknown`,
		},
	}})
}

// TestRejectedValuesWarn: values that Terraform rejects for their type
// (a variable's, count's, for_each's) are warnings where they are written;
// the values are unknown (variables) or give no instances (count,
// for_each), as before.
func TestRejectedValuesWarn(t *testing.T) {
	g := load(t, tree{
		"main.tf": `variable "name" {
  type = string
}
variable "size" {
  type    = number
  default = "big"
}
module "child" {
  source = "./child"
  flag   = "sometimes"
}
resource "aws_s3_bucket" "counted" {
  count  = "two"
  bucket = var.name
}
resource "aws_s3_bucket" "halves" {
  count = 1.5
}
resource "aws_s3_bucket" "each" {
  for_each = "acme"
  bucket   = each.key
}
`,
		"terraform.tfvars": "name = [\"a\"]\n",
		"child/main.tf": `variable "flag" {
  type = bool
}
output "flag" { value = var.flag }
`,
	})
	g.noErrors(t)
	want := []string{
		`main.tf:6:13: variable "size" must be number, not "big" (Terraform rejects it); s3lint takes it as unknown`,
		`main.tf:10:12: variable "flag" must be bool, not "sometimes" (Terraform rejects it); s3lint takes it as unknown`,
		`main.tf:13:12: count must be a whole number, 0 or more, not "two" (Terraform rejects it); no instance of this block is checked`,
		`main.tf:17:11: count must be a whole number, 0 or more, not 1.5 (Terraform rejects it); no instance of this block is checked`,
		`main.tf:20:14: for_each must be a map or a set of strings, not "acme" (Terraform rejects it); no instance of this block is checked`,
		`terraform.tfvars:1:8: variable "name" must be string, not a list (Terraform rejects it); s3lint takes it as unknown`,
	}
	if got := g.diags(graph.DiagWarning); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// TestCustomS3Endpoint: the S3 resources of a provider that sends S3
// requests elsewhere (MinIO, LocalStack) are not AWS's and are not read;
// the others are, and the note is said once per provider.
func TestCustomS3Endpoint(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "minio_server" {
  type = string
}

provider "aws" {
  region = "us-east-1"
  endpoints {
    s3 = var.minio_server
  }
}

provider "aws" {
  alias  = "real"
  region = "us-east-1"
}

resource "aws_s3_bucket" "local" {
  bucket = "acme-local"
}

resource "aws_s3_object" "local" {
  bucket = aws_s3_bucket.local.id
  key    = "a"
  acl    = "public-read"
}

resource "aws_s3_bucket" "real" {
  provider = aws.real
  bucket   = "acme-real"
}
`})
	g.noErrors(t)
	var names []string
	for _, b := range g.Buckets {
		names = append(names, b.Address)
	}
	if strings.Join(names, ",") != "aws_s3_bucket.real" {
		t.Errorf("buckets %v, want only aws_s3_bucket.real", names)
	}
	notes := strings.Join(g.diags(graph.DiagNote), "\n")
	if strings.Count(notes, "provider aws sends S3 requests to a custom endpoint, not to AWS") != 1 {
		t.Errorf("notes:\n%s\nwant one about the custom endpoint", notes)
	}
}

// TestAWSS3Endpoint: an empty endpoint is the provider's default, and
// AWS's own hosts are AWS: their buckets are checked.
func TestAWSS3Endpoint(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "s3_endpoint" {
  default = ""
}

provider "aws" {
  endpoints {
    s3 = var.s3_endpoint
  }
}

provider "aws" {
  alias = "fips"
  endpoints {
    s3 = "https://s3-fips.us-east-1.amazonaws.com"
  }
}

provider "aws" {
  alias = "minio"
  endpoints {
    s3api = "http://minio:9000"
  }
}

resource "aws_s3_bucket" "default" {
  bucket = "acme-default"
}

resource "aws_s3_bucket" "fips" {
  provider = aws.fips
  bucket   = "acme-fips"
}

resource "aws_s3_bucket" "minio" {
  provider = aws.minio
  bucket   = "acme-minio"
}
`})
	g.noErrors(t)
	var names []string
	for _, b := range g.Buckets {
		names = append(names, b.Address)
	}
	if strings.Join(names, ",") != "aws_s3_bucket.default,aws_s3_bucket.fips" {
		t.Errorf("buckets %v, want aws_s3_bucket.default and aws_s3_bucket.fips (not the MinIO one)", names)
	}
}
