package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L041 finds public bucket policies that RestrictPublicBuckets cuts off.
var S3L041 = &Def{
	M: Meta{
		ID:        "S3L041",
		Name:      "bpa-restricts-public-access",
		Title:     "public bucket policy cut off by RestrictPublicBuckets",
		Severity:  Warning,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"bucket-policy", "block-public-access", "cross-account"},
		Doc: `RestrictPublicBuckets acts on buckets whose policy is public. S3 stores such a policy (when
BlockPublicPolicy is off) but then lets only AWS service principals and principals of the
bucket owner's account through it: every anonymous request and every request from another
account gets 403 Access Denied — including requests from accounts that a non-public statement
of the same policy names, because one public statement makes the whole policy public. The
website or the partner account the policy was written for never gets in.

The rule reports the first public statement of each bucket policy that is in place
(BlockPublicPolicy is certainly off; otherwise S3L040 reports the rejected policy) when
RestrictPublicBuckets is certainly on for the bucket — in its public access block, or in the
account's ` + "`aws_s3_account_public_access_block`" + ` in the same account. It points at the setting and
at the statements that grant other accounts by name or through aws:PrincipalOrgID.

What counts as public, and when the rule stays silent, is as for S3L040: a policy that is only
perhaps public (values not known before deployment, Principal "*" limited by aws:PrincipalArn
or aws:PrincipalAccount, IfExists forms of the restricting keys), a flag whose value is not
known, an account-level block that may or may not be in the bucket's account, a BlockPublicPolicy
that may be on (the policy may never be in place), and buckets read from a Terraform plan or state
that declare no public access block; template alternatives are judged one at a time.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_policy     = false
  restrict_public_buckets = true   # anonymous readers get 403
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.site]
}
` + "```" + `

Good:

` + "```hcl" + `
  restrict_public_buckets = false
` + "```" + `

Fix: if the bucket is meant to be public, turn RestrictPublicBuckets off for it (an account-level
setting must be turned off at the account). If only some accounts should get in, make the
policy non-public instead: drop the public statement and name the accounts, or limit
Principal "*" with aws:PrincipalOrgID — then RestrictPublicBuckets no longer applies.`,
	},
	Run: runS3L041,
}

func runS3L041(p *Pass) error {
	e := p.Engine()
	var cands []bpaCandidate
	for _, pol := range p.Graph.Policies {
		b := pol.Bucket
		if pol.Kind != graph.BucketPolicy || b == nil || pol.Doc == nil {
			continue
		}
		pub := bpaPublicStatements(pol)
		if len(pub) == 0 {
			continue
		}
		if bpaFlagState(e, p.Graph, b, bpaBlockPublicPolicy).on != policy.No {
			// Rejected (S3L040) or perhaps rejected: not known to be in place.
			continue
		}
		if !bpaFlagState(e, p.Graph, b, bpaRestrictPublicBuckets).certain(b) {
			continue
		}
		cands = append(cands, bpaCandidate{pol, pub})
	}
	bpaMerge(p.Graph, cands, func(c bpaCandidate, st *graph.Statement, also []*graph.Statement, when string) {
		pol, b := c.pol, c.pol.Bucket
		s := bpaFlagState(e, p.Graph, b, bpaRestrictPublicBuckets)
		cut := "the anonymous and cross-account requests it allows"
		foreign := bpaOutsideGrants(pol, b, c.pub)
		if len(foreign) > 0 {
			var sts []*graph.Statement
			for _, g := range foreign {
				sts = append(sts, g.st)
			}
			cut += " (including those of the other accounts that " + bpaStatementsPhrase(sts) + " name)"
		}
		msg := fmt.Sprintf("%sbucket policy %s is public (%s: %s) and RestrictPublicBuckets is on for bucket %s%s: S3 lets only AWS services and "+
			"principals of the bucket owner's account through this policy, so %s get 403 Access Denied; "+
			"if the bucket is meant to be public, %s; %s",
			when, pol.Address, bpaStatementName(st), bpaWhyPublic(st), bucketLabel(b), s.because(), cut,
			bpaRelax(b, s, bpaRestrictPublicBuckets, nil, pol.Address, "aws_s3_bucket_policy"), bpaNonPublicFix)
		rel := s.related(b, bpaRestrictPublicBuckets)
		rel = append(rel, bpaOtherPublic(also)...)
		for _, g := range foreign {
			rel = append(rel, Related{Range: bpaPublicAt(g.st), Message: bpaCapitalize(bpaStatementName(g.st)) + " grants " + g.who +
				", whose requests get 403 as well while the policy is public"})
		}
		p.Report(Finding{
			Range:    bpaPublicAt(st),
			Resource: pol.Address,
			Message:  bpaCapitalize(msg),
			Related:  bpaBucketRelated(b, rel),
		})
	})
	return nil
}

// bpaOutside is a statement that grants principals outside the bucket
// owner's account, and who they are.
type bpaOutside struct {
	st  *graph.Statement
	who string
}

// bpaOutsideGrants returns the Allow statements of a policy, other than the
// public ones, that grant principals outside the bucket owner's account:
// another account named in Principal, or Principal "*" limited to an
// organization.
func bpaOutsideGrants(pol *graph.Policy, b *graph.Bucket, public []*graph.Statement) []bpaOutside {
	var out []bpaOutside
	for _, st := range pol.Doc.Statements {
		if !st.IsAllow() || st.Principal == nil || slices.Contains(public, st) {
			continue
		}
		if who := bpaGrantsOutside(st, b); who != "" {
			out = append(out, bpaOutside{st, who})
		}
	}
	return out
}

func bpaGrantsOutside(st *graph.Statement, b *graph.Bucket) string {
	var accounts []string
	for _, e := range st.Principal.Entries {
		if !e.Type.Is("AWS") {
			continue
		}
		for _, v := range e.Values {
			if !v.Known() {
				continue
			}
			c, ok := policy.CallerFromARN(v.V)
			if !ok || c.Kind == policy.CallerAnonymous || c.Account == graph.OAIAccount {
				continue // an origin access identity is no account
			}
			if same, known := c.Account.SameAs(b.Account); known && !same && !slices.Contains(accounts, string(c.Account)) {
				accounts = append(accounts, string(c.Account))
			}
		}
	}
	switch {
	case len(accounts) == 1:
		return "account " + accounts[0]
	case len(accounts) > 1:
		return "accounts " + list(accounts)
	}
	if st.Principal.Wildcard {
		for _, c := range st.Conditions {
			if c.Key.Known() && strings.EqualFold(c.Key.V, "aws:PrincipalOrgID") {
				return "the other accounts of the organization"
			}
		}
	}
	return ""
}

// bpaStatementsPhrase names statements for people: `statement "A"`,
// `statements "A" and 3`.
func bpaStatementsPhrase(sts []*graph.Statement) string {
	if len(sts) == 1 {
		return bpaStatementName(sts[0])
	}
	ids := make([]string, len(sts))
	for i, st := range sts {
		ids[i] = strings.TrimPrefix(bpaStatementName(st), "statement ")
	}
	return "statements " + list(ids)
}
