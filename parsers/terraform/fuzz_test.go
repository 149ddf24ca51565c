package terraform

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/s3lint/s3lint/limits"
)

// FuzzLoad feeds arbitrary bytes to the loader as a .tf file next to a fixed
// module: it must never panic or hang, and the fixed module must still load.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		``,
		`resource "aws_s3_bucket" "b" { bucket = "x" }`,
		`locals { a = local.a }`,
		`variable "v" { default = [for i in range(3) : i] }`,
		`resource "aws_iam_policy" "p" { policy = jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b"}]}) }`,
		"resource \"aws_iam_policy\" \"p\" {\n  policy = <<-EOT\n    {\"Statement\": [${local.x}]}\n  EOT\n}\n",
		`data "aws_iam_policy_document" "d" { dynamic "statement" { for_each = var.x content { actions = [statement.value] } } }`,
		`module "m" { source = "./" }`,
		`resource "aws_s3_bucket" "b" { for_each = toset(["a", "b"]) bucket = each.key }`,
		`resource "aws_s3_bucket" "b" { count = -1 }`,
		"resource \"x\" \"y\" {\n  a = \"${\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "fuzz.tf"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		other := filepath.Join(dir, "other")
		if err := os.Mkdir(other, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(other, "main.tf"), []byte(`resource "aws_s3_bucket" "fixed" { bucket = "fixed" }`), 0o644); err != nil {
			t.Fatal(err)
		}
		g := Load(Options{Paths: []string{dir}, Limits: limits.Limits{MaxInstances: 50}})
		found := false
		for _, b := range g.Buckets {
			found = found || b.Name.V == "fixed"
		}
		if !found {
			t.Fatalf("the fixed module was not loaded beside the fuzzed file")
		}
	})
}
