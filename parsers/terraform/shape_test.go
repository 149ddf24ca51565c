package terraform_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// shapes renders each Resource item of a document: its shape with "…" for
// each unknown part, "?" for an unknown item without one, the value
// otherwise.
func shapes(d *graph.Document) []string {
	out := []string{}
	for _, st := range d.Statements {
		for _, it := range st.Resource.Items {
			if shape, ok := it.Shape(); ok {
				out = append(out, strings.ReplaceAll(shape, graph.UnknownPart, "…"))
				continue
			}
			out = append(out, s(it))
		}
	}
	return out
}

// TestResourceShapes: a Resource string partly made of unknown values keeps
// its known text where it is one string whatever they hold (a template in
// HCL, a jsonencode argument); a wholly unknown string, one in JSON text (a
// heredoc), and an Action keep none.
func TestResourceShapes(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "bucket" { type = string }
variable "action" { type = string }

locals {
  known = "acme-known"
}

data "aws_iam_policy_document" "doc" {
  statement {
    actions = ["s3:${var.action}"]
    resources = [
      "arn:aws:s3:::${var.bucket}/*",
      "${var.bucket}",
      "arn:aws:s3:::${local.known}/${var.bucket}/*",
      var.bucket,
      "arn:aws:s3:::acme-known",
    ]
  }
}

resource "aws_iam_policy" "doc" {
  policy = data.aws_iam_policy_document.doc.json
}

resource "aws_iam_policy" "encoded" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.bucket}/logs/*" }]
  })
}

resource "aws_iam_policy" "heredoc" {
  policy = <<-JSON
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
      "Resource": ["arn:aws:s3:::${var.bucket}/*", ${jsonencode(var.bucket)}]}]}
  JSON
}
`})
	g.noErrors(t)
	eqList(t, "data source", shapes(g.doc(t, "aws_iam_policy.doc", graph.IdentityPolicy)),
		[]string{"arn:aws:s3:::…/*", "?", "arn:aws:s3:::acme-known/…/*", "?", "arn:aws:s3:::acme-known"})
	eqList(t, "jsonencode", shapes(g.doc(t, "aws_iam_policy.encoded", graph.IdentityPolicy)), []string{"arn:aws:s3:::…/logs/*"})
	// In JSON text an interpolation may write quotes: no shape.
	eqList(t, "heredoc", shapes(g.doc(t, "aws_iam_policy.heredoc", graph.IdentityPolicy)), []string{"?", "?"})
	for _, st := range g.doc(t, "aws_iam_policy.doc", graph.IdentityPolicy).Statements {
		for _, a := range st.Action.Items {
			if a.Known() || a.V != "" {
				t.Errorf("action %q (%s): want unknown without a shape", a.V, a.Origin)
			}
		}
	}
}
