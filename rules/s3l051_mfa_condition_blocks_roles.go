package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L051 finds Deny statements on missing MFA that also refuse roles and
// services the configuration means to let in.
var S3L051 = &Def{
	M: Meta{
		ID:        "S3L051",
		Name:      "mfa-condition-blocks-roles",
		Title:     "a Deny without MFA also refuses roles and services that never carry MFA",
		Severity:  Warning,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"mfa", "condition", "bucket-policy", "iam"},
		Doc: `A Deny that refuses requests made without MFA is meant for people. Roles that a service or a CI
system assumes, and AWS services themselves, never carry MFA, so the same Deny refuses them too,
and the Lambda function, the pipeline or the log delivery that the configuration grants access
gets 403 Access Denied (explicit deny). The three common forms behave differently (IAM's
condition keys):

- ` + "`Bool aws:MultiFactorAuthPresent false`" + ` — the key is present only in requests signed with
  temporary credentials. A role session always has them, so a session obtained without MFA
  carries ` + "`false`" + ` and is denied; callers using access keys carry no key and slip through; AWS
  services calling S3 themselves carry no key either and are not denied.
- ` + "`BoolIfExists aws:MultiFactorAuthPresent false`" + ` — also true when the key is absent: denies every
  caller without MFA, services included.
- ` + "`Null aws:MultiFactorAuthAge true`" + ` (the S3 guide's example) — the age is present only when MFA was
  used: denies everything without MFA-backed temporary credentials.

The rule asks the engine about every request that the configuration's policies mean to grant
(see "Requests worth asking" in docs/engine.md) to a caller that cannot carry MFA: an AWS service
principal, or a role of the configuration whose trust policy lets a service
(` + "`lambda.amazonaws.com`" + `, ` + "`ecs-tasks.amazonaws.com`" + ` …) or a web identity provider (an OIDC provider such
as GitHub Actions', Cognito) assume it. Such a role's sessions are decided with
` + "`aws:MultiFactorAuthPresent`" + ` = false and no ` + "`aws:MultiFactorAuthAge`" + `; a service's requests with
neither key. It reports a Deny when it is the statement that refuses such a request, at its MFA
condition, with the refused grants as related locations.

It stays silent for IAM users and for roles that people assume (whether they use MFA is not in
the configuration), for roles assumed through SAML, when a condition of the Deny exempts the
caller (` + "`aws:PrincipalType`" + `, ` + "`ArnNotLike aws:PrincipalArn`" + `, ` + "`aws:PrincipalIsAWSService`" + `), when
another Deny refuses the request as well, and when the decision depends on values not known
before deployment — including a Deny that only some of a template's alternatives (an ` + "`Fn::If`" + `
on an undecided condition) put in place.

Bad:

` + "```hcl" + `
data "aws_iam_policy_document" "data" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "BoolIfExists"            # also denies the Lambda role's sessions
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}
` + "```" + `

Good:

` + "```hcl" + `
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
    condition {
      test     = "ArnNotLike"               # the Deny no longer applies to the app's role
      variable = "aws:PrincipalArn"
      values   = [aws_iam_role.app.arn]
    }
` + "```" + `

Fix: exempt the roles and services in the Deny — ` + "`ArnNotLike aws:PrincipalArn`" + ` with the roles'
ARNs, ` + "`Bool aws:PrincipalIsAWSService false`" + ` for services — or require MFA where people come in
(their users' or roles' identity policies, or the trust policy of the roles they assume) rather
than on the bucket.`,
	},
	Run: runS3L051,
}

// mfaDeny is a Deny statement that tests for MFA.
type mfaDeny struct {
	pol  *graph.Policy
	st   *graph.Statement
	cond *graph.Condition
	hits []mfaHit
	seen map[string]bool
}

// mfaHit is a request the configuration means to grant that the Deny
// refuses.
type mfaHit struct {
	who, why, action string
	at               graph.Range
}

func runS3L051(p *Pass) error {
	denies := map[*graph.Statement]*mfaDeny{}
	var order []*mfaDeny
	eachStatement(p.Graph, nil, func(pol *graph.Policy, st *graph.Statement) {
		if !st.IsDeny() || denies[st] != nil {
			return
		}
		for i := range st.Conditions {
			c := &st.Conditions[i]
			if c.Key.Known() && (strings.EqualFold(c.Key.V, "aws:MultiFactorAuthPresent") || strings.EqualFold(c.Key.V, "aws:MultiFactorAuthAge")) {
				md := &mfaDeny{pol: pol, st: st, cond: c, seen: map[string]bool{}}
				denies[st] = md
				order = append(order, md)
				return
			}
		}
	})
	if len(order) == 0 {
		return nil
	}
	e := p.Engine()
	for i := range e.Intents() {
		in := &e.Intents()[i]
		c := in.Request.Caller
		why, ok := withoutMFA(&c)
		if !ok {
			continue
		}
		req := in.Request
		if c.Kind == policy.CallerRole {
			// Role sessions are temporary credentials: the key is there,
			// false without MFA; the age only comes with MFA.
			ctx := policy.Context{}
			ctx.Set("aws:MultiFactorAuthPresent", "false")
			ctx.SetAbsent("aws:MultiFactorAuthAge")
			req.Context = ctx
		}
		d := e.Decide(req)
		if d.Outcome != policy.ExplicitDeny {
			continue
		}
		var deciding []*mfaDeny
		other := false
		for _, r := range d.Denies {
			if r.Match.T != policy.Yes {
				continue
			}
			if md := denies[r.Statement]; r.Statement != nil && md != nil {
				deciding = append(deciding, md)
			} else {
				other = true
			}
		}
		for _, loc := range d.Deciding {
			found := false
			for _, md := range deciding {
				found = found || loc.Range == md.st.Range
			}
			other = other || !found
		}
		if other || len(deciding) == 0 {
			continue
		}
		at := in.Item.Range
		if at.IsZero() {
			at = in.Statement.Range
		}
		who := c.Label()
		for _, md := range deciding {
			k := who + "|" + req.Action + "|" + bucketLabel(in.Bucket)
			if md.seen[k] {
				continue
			}
			md.seen[k] = true
			md.hits = append(md.hits, mfaHit{who: who, why: why, action: req.Action + " on " + bucketLabel(in.Bucket), at: at})
		}
	}
	for _, md := range order {
		if len(md.hits) == 0 {
			continue
		}
		p.Report(mfaDenyFinding(md))
	}
	return nil
}

// withoutMFA tells whether a caller can never carry MFA, and why: an AWS
// service, or a role that a service or a web identity provider assumes.
func withoutMFA(c *policy.Caller) (string, bool) {
	switch c.Kind {
	case policy.CallerService:
		return "an AWS service, whose requests carry no MFA", true
	case policy.CallerRole:
	default:
		return "", false
	}
	pr := c.Principal
	if pr == nil || pr.Trust == nil || pr.Trust.Doc == nil {
		return "", false
	}
	var by []string
	for _, st := range pr.Trust.Doc.Statements {
		if st.Unknown || !st.IsAllow() || st.Principal == nil {
			continue
		}
		for _, ent := range st.Principal.Entries {
			if !ent.Type.Known() {
				continue
			}
			for _, v := range ent.Values {
				if !v.Known() {
					continue
				}
				switch ent.Type.V {
				case "Service":
					by = append(by, v.V)
				case "Federated":
					if !strings.Contains(v.V, ":saml-provider/") {
						name := v.V
						if _, after, ok := strings.Cut(v.V, ":oidc-provider/"); ok {
							name = after
						}
						by = append(by, "the web identity provider "+name)
					}
				}
			}
		}
	}
	if len(by) == 0 {
		return "", false
	}
	sort.Strings(by)
	by = distinctStrings(by)
	verb := " assumes"
	if len(by) > 1 {
		verb = " assume"
	}
	return "a role that " + list(by) + verb, true
}

func mfaDenyFinding(md *mfaDeny) Finding {
	c := md.cond
	var vals []string
	for _, v := range c.Values {
		vals = append(vals, v.V)
	}
	test := fmt.Sprintf("%s %s %s", c.Operator.V, c.Key.V, strings.Join(vals, ", "))
	var whos []string
	roles, services := false, false
	for _, h := range md.hits {
		whos = append(whos, h.who+" ("+h.why+")")
		if strings.HasPrefix(h.why, "a role") {
			roles = true
		} else {
			services = true
		}
	}
	whos = distinctStrings(whos)
	var fixes []string
	if roles {
		fixes = append(fixes, "ArnNotLike aws:PrincipalArn with the roles' ARNs")
	}
	if services {
		fixes = append(fixes, "Bool aws:PrincipalIsAWSService false")
	}
	var reasons []string
	if roles {
		reasons = append(reasons, "a role assumed by a service or CI carries no MFA: its sessions have aws:MultiFactorAuthPresent false and no aws:MultiFactorAuthAge")
	}
	if services {
		reasons = append(reasons, "an AWS service's own requests carry neither aws:MultiFactorAuthPresent nor aws:MultiFactorAuthAge")
	}
	msg := fmt.Sprintf("this Deny (%s) refuses requests made without MFA, and also %s, which the configuration grants access: "+
		"%s, so their calls get 403 Access Denied (explicit deny); exempt them in the Deny (%s) or require MFA where people sign in instead",
		test, list(whos), strings.Join(reasons, "; "), strings.Join(fixes, "; "))
	if md.pol.Variant != nil {
		msg += " (this policy is in place when " + md.pol.Variant.Describe() + ")"
	}
	f := Finding{Range: c.Range, Resource: md.pol.Address, Message: msg}
	for _, h := range md.hits {
		f.Related = append(f.Related, Related{Range: h.at,
			Message: fmt.Sprintf("%s is granted %s here, and the Deny refuses it", h.who, h.action)})
	}
	return f
}
