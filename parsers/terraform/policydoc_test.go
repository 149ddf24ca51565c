package terraform_test

import (
	"testing"

	"github.com/s3lint/s3lint/graph"
)

const policyDocTF = `data "aws_iam_policy_document" "d" {
  policy_id = "doc-id"
  statement {
    sid    = "Public"
    effect = "Allow"
    actions = [
      "s3:GetObject",
      "s3:ListBucket",
    ]
    resources = [
      "arn:aws:s3:::b",
      "arn:aws:s3:::b/home/&{aws:username}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    sid           = "Deny"
    effect        = "Deny"
    not_actions   = ["s3:Get*"]
    not_resources = ["arn:aws:s3:::b/public/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/admin"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-2"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::b/in/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = data.aws_iam_policy_document.d.json
}
`

func TestPolicyDocument(t *testing.T) {
	g := load(t, tree{"main.tf": policyDocTF})
	g.noDiags(t)
	p := g.policy(t, "aws_s3_bucket_policy.p", graph.BucketPolicy)
	eq(t, "doc range", g.r(p.DocRange), g.span(t, "main.tf", "policy = data.aws_iam_policy_document.d.json", 0))
	d := p.Doc
	if d == nil {
		t.Fatal("document unknown")
	}
	if len(d.Problems) > 0 {
		t.Errorf("problems: %+v", d.Problems)
	}
	eq(t, "version", s(d.Version), "2012-10-17")
	eq(t, "id", s(d.ID), "doc-id")
	eq(t, "id at", g.start(d.ID.Range), g.at(t, "main.tf", `"doc-id"`, 0))
	eq(t, "statements", len(d.Statements), 3)

	s0 := stmt(t, d, 0)
	eq(t, "s0 sid", s(s0.Sid), "Public")
	eq(t, "s0 effect", s(s0.Effect), "Allow")
	eq(t, "s0 effect at", g.start(s0.Effect.Range), g.at(t, "main.tf", `"Allow"`, 0))
	eqList(t, "s0 actions", g.itemsAt(s0.Action), []string{
		"s3:GetObject@" + g.at(t, "main.tf", `"s3:GetObject"`, 0),
		"s3:ListBucket@" + g.at(t, "main.tf", `"s3:ListBucket"`, 0),
	})
	eqList(t, "s0 resources", g.itemsAt(s0.Resource), []string{
		"arn:aws:s3:::b@main.tf:11:7",
		// &{…} is rendered as ${…}, as the provider does.
		"arn:aws:s3:::b/home/${aws:username}/*@main.tf:12:7",
	})
	eq(t, "s0 resource item range", g.r(s0.Resource.Items[1].Range), "main.tf:12:7-12:46")
	eq(t, "s0 resources key", g.start(s0.Resource.KeyRange), "main.tf:10:5")
	if s0.Principal == nil || !s0.Principal.Wildcard {
		t.Errorf(`s0: principals type "*" should render "Principal": "*", got %+v`, s0.Principal)
	}
	if s0.NotAction.Present || s0.NotResource.Present || s0.NotPrincipal != nil || len(s0.Conditions) > 0 {
		t.Errorf("s0 has elements it did not write")
	}

	s1 := stmt(t, d, 1)
	eq(t, "s1 effect", s(s1.Effect), "Deny")
	if s1.Action.Present || s1.Resource.Present {
		t.Errorf("s1: Action/Resource present though only not_* were written")
	}
	eqList(t, "s1 not_actions", g.itemsAt(s1.NotAction), []string{"s3:Get*@" + g.at(t, "main.tf", `"s3:Get*"`, 0)})
	eqList(t, "s1 not_resources", g.itemsAt(s1.NotResource), []string{"arn:aws:s3:::b/public/*@" + g.at(t, "main.tf", `"arn:aws:s3:::b/public/*"`, 0)})
	if s1.Principal == nil || s1.Principal.Wildcard || len(s1.Principal.Entries) != 2 {
		t.Fatalf("s1 principal: %+v", s1.Principal)
	}
	aws := s1.Principal.Entries[0]
	eq(t, "principal type", s(aws.Type), "AWS")
	// Two principals blocks of one type merge into one entry.
	var vals []string
	for _, v := range aws.Values {
		vals = append(vals, s(v)+"@"+g.start(v.Range))
	}
	eqList(t, "AWS principals", vals, []string{
		"arn:aws:iam::111122223333:root@" + g.at(t, "main.tf", `"arn:aws:iam::111122223333:root"`, 0),
		"arn:aws:iam::444455556666:root@" + g.at(t, "main.tf", `"arn:aws:iam::444455556666:root"`, 0),
	})
	eq(t, "service principal", s(s1.Principal.Entries[1].Type), "Service")
	eq(t, "service principal value", s(s1.Principal.Entries[1].Values[0]), "cloudtrail.amazonaws.com")
	if s1.NotPrincipal == nil || len(s1.NotPrincipal.Entries) != 1 || s(s1.NotPrincipal.Entries[0].Values[0]) != "arn:aws:iam::111122223333:role/admin" {
		t.Errorf("s1 not_principals: %+v", s1.NotPrincipal)
	}
	// Condition blocks: same test and variable merge their values.
	if len(s1.Conditions) != 2 {
		t.Fatalf("conditions: %+v", s1.Conditions)
	}
	c0 := s1.Conditions[0]
	eq(t, "c0 operator", s(c0.Operator), "StringNotEquals")
	eq(t, "c0 key", s(c0.Key), "aws:PrincipalOrgID")
	var cv []string
	for _, v := range c0.Values {
		cv = append(cv, s(v)+"@"+g.start(v.Range))
	}
	eqList(t, "c0 values", cv, []string{
		"o-1@" + g.at(t, "main.tf", `"o-1"`, 0),
		"o-2@" + g.at(t, "main.tf", `"o-2"`, 0),
	})
	c1 := s1.Conditions[1]
	eq(t, "c1", s(c1.Operator)+" "+s(c1.Key)+" "+s(c1.Values[0]), "Bool aws:SecureTransport false")

	// Without effect the provider writes Allow; type AWS with "*" is not
	// the bare "*".
	s2 := stmt(t, d, 2)
	eq(t, "s2 effect", s(s2.Effect), "Allow")
	eq(t, "s2 sid", s2.Sid.Known() && s2.Sid.V != "", false)
	if s2.Principal == nil || s2.Principal.Wildcard || len(s2.Principal.Entries) != 1 || s(s2.Principal.Entries[0].Values[0]) != "*" {
		t.Errorf(`s2: want {"AWS": "*"}, got %+v`, s2.Principal)
	}
}

// A statement's range is the statement block, as for any other block of
// native syntax.
func TestPolicyDocumentStatementRange(t *testing.T) {
	g := load(t, tree{"main.tf": policyDocTF})
	d := g.doc(t, "aws_s3_bucket_policy.p", graph.BucketPolicy)
	s0 := stmt(t, d, 0)
	eq(t, "statement start", g.start(s0.Range), "main.tf:3:3")
	eq(t, "statement range", g.r(s0.Range), "main.tf:3:3-18:4")
}

func TestPolicyDocumentDynamicBlocks(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "buckets" { default = ["alpha", "beta"] }
variable "accounts" { default = ["111122223333", "444455556666"] }

data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.buckets
    content {
      sid       = "Read${statement.key}"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::${statement.value}/*"]
      dynamic "principals" {
        for_each = var.accounts
        iterator = acct
        content {
          type        = "AWS"
          identifiers = ["arn:aws:iam::${acct.value}:root"]
        }
      }
      dynamic "condition" {
        for_each = statement.value == "beta" ? [1] : []
        content {
          test     = "StringEquals"
          variable = "s3:prefix"
          values   = ["home/"]
        }
      }
    }
  }
  statement {
    sid       = "Static"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::alpha"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
`})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	if len(d.Statements) != 3 {
		t.Fatalf("statements = %d\n%s", len(d.Statements), g.dump())
	}
	tmpl := g.at(t, "main.tf", `"arn:aws:s3:::${statement.value}/*"`, 0)
	for i, want := range []string{"alpha", "beta"} {
		st := stmt(t, d, i)
		eq(t, "sid", s(st.Sid), "Read"+itoa(i))
		eqList(t, "resources", g.itemsAt(st.Resource), []string{"arn:aws:s3:::" + want + "/*@" + tmpl})
		if st.Principal == nil || len(st.Principal.Entries) != 1 {
			t.Fatalf("principal: %+v", st.Principal)
		}
		eqList(t, "principals", items(graph.Strings{Items: st.Principal.Entries[0].Values}),
			[]string{"arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"})
	}
	eq(t, "alpha conditions", len(stmt(t, d, 0).Conditions), 0)
	eq(t, "beta conditions", len(stmt(t, d, 1).Conditions), 1)
	eq(t, "static sid", s(stmt(t, d, 2).Sid), "Static")
}

func TestPolicyDocumentSourceAndOverride(t *testing.T) {
	g := load(t, tree{"main.tf": `
data "aws_iam_policy_document" "source" {
  statement {
    actions   = ["ec2:*"]
    resources = ["*"]
  }
  statement {
    sid       = "SidToOverride"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::from-source"]
  }
  statement {
    sid       = "Kept"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::kept"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Kept"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::from-override/*"]
  }
  statement {
    sid       = "Extra"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::extra/*"]
  }
  statement {
    actions   = ["s3:DeleteObject"]
    resources = ["arn:aws:s3:::nosid/*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.source.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    sid       = "SidToOverride"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::from-own"]
  }
  statement {
    sid       = "Own"
    actions   = ["s3:GetBucketPolicy"]
    resources = ["arn:aws:s3:::own"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.merged.json
}
`})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	var got []string
	for _, st := range d.Statements {
		got = append(got, s(st.Sid)+":"+items(st.Resource)[0])
	}
	eqList(t, "merged statements", got, []string{
		":*",                                  // source, no sid
		"SidToOverride:arn:aws:s3:::from-own", // own statement replaces source in place
		"Kept:arn:aws:s3:::from-override/*",   // override replaces in place
		"Own:arn:aws:s3:::own",                // own, appended
		"Extra:arn:aws:s3:::extra/*",          // override, appended
		":arn:aws:s3:::nosid/*",               // override without sid, appended
	})
	// Merged statements keep the positions of the blocks that wrote them.
	eq(t, "source item", g.start(stmt(t, d, 0).Resource.Items[0].Range), g.at(t, "main.tf", `"*"`, 0))
	eq(t, "own item", g.start(stmt(t, d, 1).Resource.Items[0].Range), g.at(t, "main.tf", `"arn:aws:s3:::from-own"`, 0))
	eq(t, "override item", g.start(stmt(t, d, 2).Resource.Items[0].Range), g.at(t, "main.tf", `"arn:aws:s3:::from-override/*"`, 0))
}

// Source documents may be JSON text (heredoc, jsonencode, file) rather than
// other data sources.
func TestPolicyDocumentSourceJSONText(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
locals {
  base = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Base"
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::base/*"
    }]
  })
}

data "aws_iam_policy_document" "d" {
  source_policy_documents = [
    local.base,
    <<-EOT
      {
        "Statement": {
          "Sid": "Heredoc",
          "Effect": "Deny",
          "Action": "s3:*",
          "Resource": "arn:aws:s3:::heredoc/*"
        }
      }
    EOT
    ,
    file("${path.module}/extra.json"),
  ]
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
`,
		"extra.json": `{"Statement": [{"Sid": "File", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::file/*"}]}`,
	})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	var got []string
	for _, st := range d.Statements {
		got = append(got, s(st.Sid)+":"+s(st.Effect)+":"+items(st.Resource)[0])
	}
	eqList(t, "statements", got, []string{
		"Base:Allow:arn:aws:s3:::base/*",
		"Heredoc:Deny:arn:aws:s3:::heredoc/*",
		"File:Allow:arn:aws:s3:::file/*",
	})
	eq(t, "jsonencode item", g.start(stmt(t, d, 0).Resource.Items[0].Range), g.at(t, "main.tf", `"arn:aws:s3:::base/*"`, 0))
	eq(t, "heredoc item", g.start(stmt(t, d, 1).Resource.Items[0].Range), g.at(t, "main.tf", `"arn:aws:s3:::heredoc/*"`, 0))
}

// An unknown source document may replace any statement: the document keeps
// an unknown statement.
func TestPolicyDocumentUnknownSource(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "extra" { type = string }
data "aws_iam_policy_document" "d" {
  source_policy_documents = [var.extra]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
`})
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	if len(d.Statements) != 2 || d.Statements[0].Unknown || !d.Statements[1].Unknown {
		t.Fatalf("want one known and one unknown statement\n%s", g.dump())
	}
}

func TestPolicyDocumentUnknownParts(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "ids" { type = list(string) }
variable "org" { type = string }
variable "bucket" { type = string }
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::known/*", "arn:aws:s3:::${var.bucket}/*"]
    principals {
      type        = "AWS"
      identifiers = var.ids
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.org]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "known"
  policy = data.aws_iam_policy_document.d.json
}
`})
	g.noDiags(t)
	d := g.doc(t, "aws_s3_bucket_policy.p", graph.BucketPolicy)
	st := stmt(t, d, 0)
	eqList(t, "resources", items(st.Resource), []string{"arn:aws:s3:::known/*", "?"})
	if st.Principal == nil || len(st.Principal.Entries) != 1 || !st.Principal.Entries[0].Unknown {
		t.Errorf("principal identifiers should be unknown: %+v", st.Principal)
	}
	if len(st.Conditions) != 1 || len(st.Conditions[0].Values) != 1 || st.Conditions[0].Values[0].Known() {
		t.Errorf("condition value should be unknown: %+v", st.Conditions)
	}
}

// A policy document in a for_each'd data source, used per instance.
func TestPolicyDocumentForEach(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  for_each = toset(["a", "b"])
  bucket   = "acme-${each.key}"
}
data "aws_iam_policy_document" "d" {
  for_each = aws_s3_bucket.b
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${each.value.arn}/*"]
  }
}
resource "aws_s3_bucket_policy" "p" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.d[each.key].json
}
`})
	g.noDiags(t)
	for _, k := range []string{"a", "b"} {
		p := g.policy(t, `aws_s3_bucket_policy.p["`+k+`"]`, graph.BucketPolicy)
		if p.Doc == nil {
			t.Fatalf("%s: unknown document", k)
		}
		eqList(t, k+" resources", items(stmt(t, p.Doc, 0).Resource), []string{"arn:aws:s3:::acme-" + k + "/*"})
		if p.Bucket == nil || p.Bucket.Address != `aws_s3_bucket.b["`+k+`"]` {
			t.Errorf("%s: bucket = %v", k, p.Bucket)
		}
	}
}

// The items of a per-instance document point at the statement that wrote
// them, whether the instance is picked by a literal key or by each.key /
// count.index.
func TestPolicyDocumentInstancePositions(t *testing.T) {
	for _, c := range []struct{ name, index, bug string }{
		{name: "literal key", index: `["a"]`},
		{name: "each.key", index: `[each.key]`},
		{name: "count.index", index: `[count.index]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			meta := "for_each = toset([\"a\"])"
			if c.index == "[count.index]" {
				meta = "count = 1"
			}
			files := tree{"main.tf": `
data "aws_iam_policy_document" "d" {
  ` + meta + `
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme/*"]
  }
}
resource "aws_iam_policy" "p" {
  ` + meta + `
  name     = "p"
  policy   = data.aws_iam_policy_document.d` + c.index + `.json
}
`}
			g := load(t, files)
			g.noDiags(t)
			addr := `aws_iam_policy.p["a"]`
			if c.index == "[count.index]" {
				addr = "aws_iam_policy.p[0]"
			}
			d := g.doc(t, addr, graph.IdentityPolicy)
			got := g.start(stmt(t, d, 0).Resource.Items[0].Range)
			want := g.at(t, "main.tf", `"arn:aws:s3:::acme/*"`, 0)
			if got != want && c.bug != "" {
				bug(t, c.bug)
			}
			eq(t, "resource item", got, want)
		})
	}
}

// count.index and each.value inside statements of counted and for_each'd
// documents.
func TestPolicyDocumentInstanceSymbols(t *testing.T) {
	g := load(t, tree{"main.tf": `
data "aws_iam_policy_document" "c" {
  count = 2
  statement {
    sid       = "S${count.index}"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::c-${count.index}/*"]
  }
}
data "aws_iam_policy_document" "e" {
  for_each = { logs = "acme-logs" }
  statement {
    sid       = each.key
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${each.value}/*"]
  }
}
resource "aws_iam_policy" "c1" {
  name   = "c1"
  policy = data.aws_iam_policy_document.c[1].json
}
resource "aws_iam_policy" "e" {
  name   = "e"
  policy = data.aws_iam_policy_document.e["logs"].json
}
`})
	g.noDiags(t)
	c1 := g.doc(t, "aws_iam_policy.c1", graph.IdentityPolicy)
	eq(t, "c1 sid", s(stmt(t, c1, 0).Sid), "S1")
	eqList(t, "c1", g.itemsAt(stmt(t, c1, 0).Resource), []string{"arn:aws:s3:::c-1/*@" + g.at(t, "main.tf", `"arn:aws:s3:::c-${count.index}/*"`, 0)})
	e := g.doc(t, "aws_iam_policy.e", graph.IdentityPolicy)
	eq(t, "e sid", s(stmt(t, e, 0).Sid), "logs")
	eqList(t, "e", g.itemsAt(stmt(t, e, 0).Resource), []string{"arn:aws:s3:::acme-logs/*@" + g.at(t, "main.tf", `"arn:aws:s3:::${each.value}/*"`, 0)})
}

// Modules merge optional documents with compact() and distinct(): each
// statement keeps the place it was written, and what the functions leave
// out is left out.
func TestPolicyDocumentCompactedSources(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "with_read" { default = true }
variable "with_write" { default = false }
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
data "aws_iam_policy_document" "write" {
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = compact([
    var.with_read ? data.aws_iam_policy_document.read.json : "",
    var.with_write ? data.aws_iam_policy_document.write.json : "",
  ])
}
data "aws_iam_policy_document" "twice" {
  source_policy_documents = compact(distinct([data.aws_iam_policy_document.write.json, "", data.aws_iam_policy_document.write.json]))
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.combined.json
}
resource "aws_iam_policy" "q" {
  name   = "q"
  policy = data.aws_iam_policy_document.twice.json
}
`})
	g.noDiags(t)
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	if len(d.Statements) != 1 {
		t.Fatalf("want the one statement compact keeps\n%s", g.dump())
	}
	eq(t, "sid", s(d.Statements[0].Sid), "Read")
	eq(t, "statement start", g.start(d.Statements[0].Range), "main.tf:5:3")
	q := g.doc(t, "aws_iam_policy.q", graph.IdentityPolicy)
	if len(q.Statements) != 1 {
		t.Fatalf("want the one statement distinct keeps\n%s", g.dump())
	}
	eq(t, "statement start", g.start(q.Statements[0].Range), "main.tf:12:3")
}
