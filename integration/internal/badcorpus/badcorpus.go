// Package badcorpus writes the cases of the bad-input corpus (testdata/bad)
// that are generated at test time rather than committed: 50 MB files,
// 10 000-deep nesting, a million instances, symbolic link loops. The
// binary-level corpus test and the sandbox test both scan them.
package badcorpus

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Case is one generated case.
type Case struct {
	Name  string
	write func(w *writer, dir string)
}

// ErrNoSymlinks is returned by Write when the file system cannot hold
// symbolic links; the caller skips the case.
var ErrNoSymlinks = errors.New("symbolic links are not supported here")

// Write writes the case's files into dir, which must exist and be empty.
func (c Case) Write(dir string) error {
	w := &writer{}
	c.write(w, dir)
	return w.err
}

// writer keeps the first error of a case's writes, so that the cases read
// as lists of files.
type writer struct{ err error }

func (w *writer) file(dir, name, body string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.err = err
		return
	}
	w.err = os.WriteFile(p, []byte(body), 0o644)
}

func (w *writer) link(target, name string) {
	if w.err != nil {
		return
	}
	if err := os.Symlink(target, name); err != nil {
		w.err = fmt.Errorf("%w: %w", ErrNoSymlinks, err)
	}
}

// Generated are the cases too large, or too odd (symbolic links), to
// commit: each writes its files into an empty directory, and may write
// beside it (a case of links out of the scan root writes ../outside).
var Generated = []Case{
	// 50 MB files: valid ones padded with a huge string, whose finding must
	// still be at the right place, and plain garbage.
	{"gen-50mb-tf", func(w *writer, dir string) {
		w.file(dir, "main.tf", "locals {\n  pad = \""+strings.Repeat("a", 50<<20)+"\"\n}\n"+tfFinding("big"))
	}},
	{"gen-50mb-tf-many-resources", func(w *writer, dir string) {
		var b strings.Builder
		for i := 0; b.Len() < 50<<20; i++ {
			fmt.Fprintf(&b, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"acme-many-%d\"\n}\n", i, i)
		}
		w.file(dir, "main.tf", b.String()+tfFinding("many"))
	}},
	{"gen-50mb-yaml", func(w *writer, dir string) {
		w.file(dir, "template.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: "+strings.Repeat("a", 50<<20)+"\n"+cfnFinding)
	}},
	{"gen-50mb-json", func(w *writer, dir string) {
		w.file(dir, "template.json", `{"AWSTemplateFormatVersion": "2010-09-09", "Description": "`+strings.Repeat("a", 50<<20)+`",`+"\n"+cfnJSONFinding+"}\n")
	}},
	{"gen-50mb-garbage", func(w *writer, dir string) {
		r := rand.New(rand.NewPCG(1, 2))
		garbage := make([]byte, 50<<20)
		for i := range garbage {
			garbage[i] = byte(r.Uint32())
		}
		for _, name := range []string{"main.tf", "template.yaml", "template.json", "plan.json"} {
			w.file(dir, name, string(garbage))
		}
	}},
	{"gen-50mb-text-garbage", func(w *writer, dir string) {
		// Printable garbage: text that is neither HCL nor YAML.
		r := rand.New(rand.NewPCG(3, 4))
		garbage := make([]byte, 50<<20)
		for i := range garbage {
			garbage[i] = byte(' ' + r.IntN(95))
			if r.IntN(80) == 0 {
				garbage[i] = '\n'
			}
		}
		w.file(dir, "main.tf", string(garbage))
	}},
	// 10,000-deep nesting.
	{"gen-deep-hcl", func(w *writer, dir string) {
		const n = 10000
		w.file(dir, "lists.tf", "locals {\n  deep = "+strings.Repeat("[", n)+"1"+strings.Repeat("]", n)+"\n}\n"+
			"resource \"aws_iam_policy\" \"deep\" {\n  policy = jsonencode({ Statement = local.deep })\n}\n")
		w.file(dir, "objects.tf", "locals {\n  obj = "+strings.Repeat("{ a = ", n)+"1"+strings.Repeat(" }", n)+"\n}\n")
		w.file(dir, "blocks.tf", "resource \"aws_s3_bucket\" \"blocks\" {\n"+strings.Repeat("a {\n", n)+strings.Repeat("}\n", n)+"}\n")
		w.file(dir, "parens.tf", "locals {\n  sum = "+strings.Repeat("(", n)+"1"+strings.Repeat(" + 1)", n)+"\n}\n")
	}},
	{"gen-deep-tf-json", func(w *writer, dir string) {
		const n = 10000
		w.file(dir, "main.tf.json", `{"locals": {"deep": `+strings.Repeat("[", n)+"1"+strings.Repeat("]", n)+"}}\n")
	}},
	{"gen-deep-yaml-block", func(w *writer, dir string) {
		// Compact block sequences nest on one line: "- - - x".
		w.file(dir, "template.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  Deep:\n    "+strings.Repeat("- ", 10000)+"x\n"+cfnFinding)
	}},
	{"gen-deep-yaml-flow", func(w *writer, dir string) {
		const n = 10000
		w.file(dir, "template.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  Deep: "+strings.Repeat("[", n)+"x"+strings.Repeat("]", n)+"\n"+
			"  DeepMap: "+strings.Repeat("{a: ", n)+"x"+strings.Repeat("}", n)+"\n"+cfnFinding)
	}},
	{"gen-deep-json", func(w *writer, dir string) {
		const n = 10000
		w.file(dir, "template.json", `{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": {"Deep": `+strings.Repeat("[", n)+"1"+strings.Repeat("]", n)+"},\n"+cfnJSONFinding+"}\n")
		w.file(dir, "plan.json", `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [`+
			`{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "values": {"name": "p", "policy": "{\"Statement\": `+
			strings.Repeat("[", n)+strings.Repeat("]", n)+`}", "tags": `+strings.Repeat(`{"a": `, n)+"1"+strings.Repeat("}", n)+"}}]}}}\n")
	}},
	// A million instances.
	{"gen-for-each-range-million", func(w *writer, dir string) {
		// Terraform's range() stops at 1024 values, so this for_each is
		// an error in Terraform.
		w.file(dir, "main.tf", `resource "aws_s3_bucket" "many" {
  for_each = toset([for i in range(1000000) : tostring(i)])
  bucket   = "acme-many-${each.key}"
}
resource "aws_iam_policy" "many" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = [for b in aws_s3_bucket.many : b.arn] }] })
}
`)
	}},
	{"gen-for-each-million", func(w *writer, dir string) {
		// A million keys, made within range()'s limit.
		w.file(dir, "main.tf", `resource "aws_s3_bucket" "million" {
  for_each = toset(flatten([for a in range(1000) : [for b in range(1000) : "${a}-${b}"]]))
  bucket   = "acme-million-${each.key}"
}
resource "aws_iam_policy" "million" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = [for b in aws_s3_bucket.million : b.arn] }] })
}
`)
	}},
	{"gen-count-million", func(w *writer, dir string) {
		w.file(dir, "main.tf", `resource "aws_s3_bucket" "many" {
  count  = 1000000
  bucket = "acme-many-${count.index}"
}
resource "aws_iam_policy" "many" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = aws_s3_bucket.many[*].arn }] })
}
`)
	}},
	// Symbolic links: loops, and links that leave the scanned directory.
	{"gen-symlink-loops", func(w *writer, dir string) {
		w.file(dir, "main.tf", tfFinding("links"))
		w.file(dir, "sub/main.tf", "resource \"aws_s3_bucket\" \"sub\" {\n  bucket = \"acme-sub\"\n}\n")
		w.link("..", filepath.Join(dir, "sub", "parent"))
		w.link(".", filepath.Join(dir, "self"))
		w.link("b.tf", filepath.Join(dir, "a.tf"))
		w.link("a.tf", filepath.Join(dir, "b.tf"))
		w.link("loop.yaml", filepath.Join(dir, "loop.yaml"))
		w.link("missing.tf", filepath.Join(dir, "dangling.tf"))
	}},
	{"gen-symlink-outside", func(w *writer, dir string) {
		outside := filepath.Join(filepath.Dir(dir), "outside")
		w.file(outside, "outside.tf", tfFinding("outside"))
		w.file(outside, "module/main.tf", "output \"bucket\" {\n  value = \"acme-outside-module\"\n}\n")
		w.file(dir, "main.tf", "module \"linked\" {\n  source = \"./linked\"\n}\n"+
			"resource \"aws_iam_policy\" \"linked\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::${module.linked.bucket}\" }] })\n}\n")
		w.link(filepath.Join(outside, "outside.tf"), filepath.Join(dir, "outside.tf"))
		w.link(filepath.Join(outside, "module"), filepath.Join(dir, "linked"))
		w.link("/", filepath.Join(dir, "root"))
	}},
}

// tfFinding is a policy with one S3L010 finding (on its Resource line, the
// 5th of the text).
func tfFinding(name string) string {
	return fmt.Sprintf(`resource "aws_iam_policy" %q {
  policy = jsonencode({ Statement = [{
    Effect   = "Allow"
    Action   = "s3:GetObject"
    Resource = "arn:aws:s3:::acme-%s"
  }] })
}
`, name, name)
}

// cfnFinding is a Resources section with one S3L010 finding.
const cfnFinding = `Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::acme-generated
`

// cfnJSONFinding is the Resources member of a JSON template with one S3L010
// finding.
const cfnJSONFinding = `"Resources": {"Reader": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-generated"}]}}}}
`
