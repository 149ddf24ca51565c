package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L043 finds public bucket policies that Terraform may apply before the
// public access block that allows them.
var S3L043 = &Def{
	M: Meta{
		ID:        "S3L043",
		Name:      "bpa-policy-ordering",
		Title:     "public bucket policy not ordered after the public access block that allows it",
		Severity:  Warning,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"block-public-access", "bucket-policy", "terraform"},
		Doc: `New buckets have Block Public Access on (AWS's default since April 2023), so a public bucket
policy (one AWS counts as public: an Allow to "*" not limited to fixed principals, networks or
accounts) can only be put in place after an aws_s3_bucket_public_access_block has turned
BlockPublicPolicy off. Until then S3 answers PutBucketPolicy with 403 Access Denied.

Terraform orders an apply only by dependencies: a resource waits for the resources its
arguments refer to (directly or through locals, variables and module outputs) and for those its
depends_on names. The usual configuration has the policy and the public access block both refer
to the bucket and not to each other, so Terraform creates them in parallel: the apply passes or
fails with 403 depending on which request reaches S3 first, and often fails on the first apply
and passes on the second. A public access block that depends on the policy, or a policy written
inline in aws_s3_bucket (which the public access block, referring to the bucket, waits for),
puts the policy first every time.

The rule reports a bucket policy that is public for certain when the bucket's public access
block turns BlockPublicPolicy off (and no account-level block turns it on), and the policy does
not depend on the public access block, directly or transitively.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id   # waits for the bucket only
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "site" {
  bucket     = aws_s3_bucket.site.id
  policy     = data.aws_iam_policy_document.site.json
  depends_on = [aws_s3_bucket_public_access_block.site]
}
` + "```" + `

or take the bucket from the public access block, which makes the same dependency:

` + "```hcl" + `
  bucket = aws_s3_bucket_public_access_block.site.bucket
` + "```" + `

Fix: make the policy depend on the public access block (depends_on, or a reference to one of its
attributes); move a policy written inline in aws_s3_bucket to an aws_s3_bucket_policy that does.
s3lint fix adds depends_on = [aws_s3_bucket_public_access_block.NAME] to an aws_s3_bucket_policy
in a .tf file of the same module that has no depends_on yet; a policy written inline, a
dependency in the wrong direction, or one across modules is left to you.

The rule stays silent when the policy is not certainly public, when BlockPublicPolicy is on or
unknown (a policy that is always blocked is S3L040's), and when dependencies are not known: it
reads them from Terraform configurations only, so a plan or state file scanned without its
configuration is never reported. It does not apply to CloudFormation: there the public access
block is a property of the bucket (PublicAccessBlockConfiguration), and a bucket policy refers to
its bucket, so CloudFormation creates the policy only after the bucket and its settings are in
place.`,
	},
	Run: runS3L043,
}

func runS3L043(p *Pass) error {
	for _, b := range p.Graph.Buckets {
		pab := b.PublicAccessBlock
		if pab == nil || pab.Address == "" || pab.Address == b.Address || !pab.BlockPublicPolicy.IsFalse() {
			continue
		}
		if p.Engine().BlockPublicAccess(b).BlockPublicPolicy.On.T != policy.No {
			// On for the account, or not known to be off: not an
			// ordering problem.
			continue
		}
		for _, pol := range b.Policies {
			if pol.Root != b.Root {
				// A policy naming a bucket of another configuration:
				// the two are applied separately.
				continue
			}
			deps := p.Graph.DependsOn[pol.Root]
			_, knowPol := deps[pol.Address]
			_, knowPAB := deps[pab.Address]
			if !knowPol || !knowPAB || pol.Doc == nil {
				continue
			}
			pub := policy.IsPublic(pol.Doc, graph.BucketPolicy)
			if pub.T != policy.Yes || dependsOn(deps, pol.Address, pab.Address) {
				continue
			}
			reversed := dependsOn(deps, pab.Address, pol.Address)
			f := orderingFinding(b, pab, pol, pub, reversed)
			if !reversed && pol.Address != b.Address {
				f.Fix = safeFix(func() *Fix { return p.dependsOnFix(pol, pab.Address) })
			}
			p.Report(f)
		}
	}
	return nil
}

func orderingFinding(b *graph.Bucket, pab *graph.PublicAccessBlock, pol *graph.Policy, pub policy.Public, reversed bool) Finding {
	inline := pol.Address == b.Address
	at := pol.BucketRef.Range
	if inline || pol.BucketRef.Origin != graph.Explicit || at.IsZero() {
		at = pol.DocRange
	}
	if at.IsZero() {
		at = pol.Range
	}
	ref := pab.Address
	wait := "make the policy depend on " + ref + " (depends_on, or a reference to its bucket attribute)"
	switch name, call := dependsOnName(pol.Address, ref); {
	case call:
		// The public access block is inside a module the policy's
		// module calls.
		wait = fmt.Sprintf("add depends_on = [%s] to the policy (or take its bucket from an output of %s that refers to %s)", name, name, ref)
	case name != "":
		local := strings.TrimPrefix(ref, modulePath(pol.Address))
		wait = fmt.Sprintf("add depends_on = [%s] to the policy or set its bucket to %s.bucket", name, local)
	}
	what := pol.Address + " (a public policy)"
	var msg string
	switch {
	case inline && reversed:
		msg = fmt.Sprintf("this public policy is written inline in %s, which %s waits for: Terraform puts the policy in place before "+
			"BlockPublicPolicy is turned off, and on a new bucket (Block Public Access on by default) PutBucketPolicy "+
			"fails with 403 Access Denied; move the policy to an aws_s3_bucket_policy that depends on %s",
			b.Address, pab.Address, pab.Address)
	case reversed:
		msg = fmt.Sprintf("%s, which turns BlockPublicPolicy off, depends on %s, so Terraform puts the policy in place first: "+
			"on a new bucket (Block Public Access on by default) PutBucketPolicy fails with 403 Access Denied; "+
			"remove that dependency and %s", pab.Address, what, wait)
	case inline:
		msg = fmt.Sprintf("this public policy, written inline in %s, and %s, which turns BlockPublicPolicy off, do not depend "+
			"on each other, so Terraform applies them in parallel: when the policy reaches S3 first, while the new bucket "+
			"still blocks public policies, PutBucketPolicy fails with 403 Access Denied; move the policy to an "+
			"aws_s3_bucket_policy that depends on %s", b.Address, pab.Address, pab.Address)
	default:
		msg = fmt.Sprintf("%s and %s, which turns BlockPublicPolicy off, do not depend on each other, so Terraform applies "+
			"them in parallel: when the policy reaches S3 first, while the new bucket still blocks public policies, "+
			"PutBucketPolicy fails with 403 Access Denied; %s", what, pab.Address, wait)
	}
	f := Finding{Range: at, Resource: pol.Address, Message: msg}
	off := pab.Address + " turns BlockPublicPolicy off here"
	if pab.BlockPublicPolicy.Origin == graph.Default {
		off = pab.Address + " leaves block_public_policy out, which turns BlockPublicPolicy off"
	}
	f.Related = append(f.Related, Related{Range: pab.BlockPublicPolicy.Range, Message: off})
	if len(pub.Statements) > 0 {
		f.Related = append(f.Related, Related{Range: pub.Statements[0].Range, Message: "this statement makes the policy public"})
	}
	return f
}

// dependsOn reports whether resource from waits for resource to, directly
// or transitively, in a root's dependencies.
func dependsOn(deps map[string][]string, from, to string) bool {
	seen := map[string]bool{from: true}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, next := range deps[cur] {
			if next == to {
				return true
			}
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	return false
}

// dependsOnName is how a depends_on in the module of resource from names
// resource to: the resource without its instance key when both are in one
// module, or the call (module.NAME) that holds to when from's module calls
// it (call is then true); "" when depends_on cannot name it from there.
func dependsOnName(from, to string) (name string, call bool) {
	mod := modulePath(from)
	if modulePath(to) == mod {
		return stripInstanceKey(strings.TrimPrefix(to, mod)), false
	}
	if rest, ok := strings.CutPrefix(to, mod); ok && strings.HasPrefix(rest, "module.") {
		return "module." + stripInstanceKey(addrParts(rest)[1]), true
	}
	return "", false
}

// addrParts splits a Terraform address at the dots outside instance keys:
// module.a["x.y"].aws_s3_bucket.b → module, a["x.y"], aws_s3_bucket, b.
func addrParts(addr string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(addr); i++ {
		switch c := addr[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			out = append(out, addr[start:i])
			start = i + 1
		}
	}
	return append(out, addr[start:])
}

// modulePath is the module part of a Terraform address with its trailing
// dot ("module.a.module.b[0]." for module.a.module.b[0].aws_x.y), or "".
func modulePath(addr string) string {
	parts := addrParts(addr)
	n := 0
	for n+1 < len(parts) && parts[n] == "module" {
		n += 2
	}
	if n == 0 {
		return ""
	}
	return strings.Join(parts[:n], ".") + "."
}

// stripInstanceKey drops the instance key of a resource address:
// depends_on names whole resources.
func stripInstanceKey(addr string) string {
	parts := addrParts(addr)
	last := parts[len(parts)-1]
	if i := strings.IndexByte(last, '['); i >= 0 {
		parts[len(parts)-1] = last[:i]
	}
	return strings.Join(parts, ".")
}
