package scan

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/rules"
)

// A policy read from a file beside the module is reported in that file,
// which holds no comments: the directives on the resource, or on the
// attribute that reads the file, still cover it, and only in its own root
// module.
func TestSuppressPolicyFile(t *testing.T) {
	dir := t.TempDir()
	policy := `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fixed"}]}`
	writeAll(t, dir, map[string]string{
		"a/main.tf": `# s3lint:ignore S3L010 the objects are read through another policy
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("${path.module}/p.tpl")
}

resource "aws_iam_policy" "q" {
  name   = "q"
  policy = file("${path.module}/q.tpl") # s3lint:ignore S3L010 so are these
}

resource "aws_iam_policy" "r" {
  name   = "r"
  policy = file("${path.module}/r.tpl")
}
`,
		"a/p.tpl": policy,
		"a/q.tpl": policy,
		"a/r.tpl": policy,
		// The same address in another root module is not covered.
		"b/main.tf": `resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("${path.module}/p.tpl")
}
`,
		"b/p.tpl": policy,
	})
	res := Run(Options{Paths: []string{dir}, Rules: rules.All(), KnownRule: known, Now: today})
	if got := strings.Join(summary(dir, res.Findings), ","); got != "a/r.tpl:1 S3L010 error,b/p.tpl:1 S3L010 error" {
		t.Errorf("findings %q", got)
	}
	if got := strings.Join(summary(dir, suppressedFindings(res.Suppressed)), ","); got != "a/p.tpl:1 S3L010 error,a/q.tpl:1 S3L010 error" {
		t.Errorf("suppressed %q", got)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("unexpected diagnostic %s: %s", d.Range, d.Message)
	}
}
