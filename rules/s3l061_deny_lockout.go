package rules

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L061 finds bucket policy Denies that refuse everyone outside a VPC
// endpoint, a VPC, an address range or an account, and with them whoever
// manages the bucket policy.
var S3L061 = &Def{
	M: Meta{
		ID:        "S3L061",
		Name:      "deny-lockout",
		Title:     "an allow-list Deny also locks the deployer out of the bucket policy",
		Severity:  Warning,
		Since:     "0.1.0",
		Default:   true,
		Precision: "medium",
		Tags:      []string{"bucket-policy", "vpc-endpoint", "condition", "lockout"},
		Doc: `A bucket policy that denies ` + "`s3:*`" + ` to everyone (` + "`Principal \"*\"`" + `) unless the request comes through a
VPC endpoint, from a VPC, from an address range or from a given account is the usual way to keep
data private. Written for the whole bucket, it also denies the calls that manage the bucket:
` + "`s3:PutBucketPolicy`" + `, ` + "`s3:GetBucketPolicy`" + `, ` + "`s3:DeleteBucketPolicy`" + ` and every other
bucket setting. The principal that runs ` + "`terraform apply`" + ` or deploys the CloudFormation stack
usually calls S3 over the internet, not through the VPC endpoint, and then:

- ` + "`aws:SourceVpce`" + ` and ` + "`aws:SourceVpc`" + ` are present **only** in requests that come through a VPC
  endpoint. Without them ` + "`StringNotEquals`" + ` (and ` + "`StringNotEqualsIfExists`" + `) is true, so the Deny
  matches;
- ` + "`NotIpAddress aws:SourceIp`" + ` matches every caller outside the listed ranges, and every request
  through a VPC endpoint (which carries no ` + "`aws:SourceIp`" + `);
- ` + "`StringNotEquals aws:PrincipalAccount`" + ` that leaves out the bucket's own account refuses every
  principal of that account.

Once the policy is in place, every later plan (which reads the policy), apply or update of the
bucket — and the console, CI jobs and administrators outside the VPC — gets 403 Access Denied
(explicit deny). Only the root user of the account can then delete the policy
(S3 always lets it manage the bucket policy).

The rule decides, with the engine, s3:PutBucketPolicy (then s3:GetBucketPolicy and
s3:DeleteBucketPolicy) on the bucket for a stand-in deployer: a role of the bucket's account
that is not named anywhere in the configuration, calling over the internet (no VPC endpoint);
for an address-range condition, from an address outside every listed range. It reports the
Deny when that request is denied by it, at the condition that excludes the deployer, with the
bucket as related location. It is a warning: **the rule cannot know who deploys** or from where.
If terraform runs inside the VPC and reaches S3 through the endpoint, or from an address inside
the range, it is not locked out — but administrators and the console usually still are.

The rule stays silent when the Deny already exempts something that plausibly covers the
deployer: a ` + "`aws:PrincipalArn`" + ` exemption (` + "`ArnNotLike`" + `, ` + "`ArnNotEquals`" + `,
` + "`StringNotLike`" + `, ` + "`StringNotEquals`" + `), ` + "`aws:ViaAWSService`" + ` or
` + "`aws:PrincipalIsAWSService`" + `; when its actions or resources leave out bucket-policy management
(a Deny limited to ` + "`s3:GetObject`" + `/` + "`s3:PutObject`" + ` on ` + "`BUCKET/*`" + `); when an address range or an
account is not known before deployment (the endpoint or VPC ID need not be known: the keys are
absent outside the VPC whatever the value), or the Deny tests something the rule cannot fix for
the deployer (` + "`aws:PrincipalOrgID`" + `, ` + "`aws:userid`" + `, tags); and when the policy is only one of a
template's alternatives (an ` + "`Fn::If`" + ` on an undecided condition).

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"                       # bucket management too
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })
}
` + "```" + `

Good (exempt the deploy and admin roles):

` + "```hcl" + `
      Condition = {
        StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id }
        ArnNotLike      = { "aws:PrincipalArn" = [aws_iam_role.deploy.arn, "arn:aws:iam::111111111111:role/admin-*"] }
      }
` + "```" + `

Good (deny only the data actions):

` + "```hcl" + `
      Action    = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      Resource  = "${aws_s3_bucket.data.arn}/*"
` + "```" + `

Fix: exempt the admin and deploy roles with ` + "`ArnNotLike aws:PrincipalArn`" + ` in the same Deny, or limit
the Deny to data actions (` + "`s3:GetObject`" + `, ` + "`s3:PutObject`" + `, ` + "`s3:DeleteObject`" + `, ` + "`s3:ListBucket`" + `)
instead of ` + "`s3:*`" + `. If the lock is already in place, sign in as the account's root user and
delete the bucket policy. S3L060, which reports Denies that cancel grants of the configuration,
leaves the Denies this rule reports to it.`,
	},
	Run: runS3L061,
}

// lockoutKeys are the condition keys whose negated tests admit only one
// network, address range or set of principals. (aws:PrincipalArn is one
// too, but a Deny with such a list may well name the deployer: see
// exemptionKeys.)
var lockoutKeys = map[string]bool{
	"aws:sourcevpce":       true,
	"aws:sourcevpc":        true,
	"aws:sourceip":         true,
	"aws:vpcsourceip":      true,
	"aws:principalaccount": true,
	"aws:principalorgid":   true,
	"aws:userid":           true,
}

// exemptionKeys are condition keys that plausibly exempt the deployer when
// a Deny tests them: a principal allow-list, or calls made through an AWS
// service (CloudFormation uses the caller's credentials).
var exemptionKeys = map[string]bool{
	"aws:principalarn":          true,
	"aws:viaawsservice":         true,
	"aws:principalisawsservice": true,
	"aws:calledvia":             true,
	"aws:calledviafirst":        true,
	"aws:calledvialast":         true,
}

// bucketPolicyActions are the calls that manage a bucket policy, in the
// order the rule asks about them.
var bucketPolicyActions = []string{"s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"}

// lockout is a bucket policy Deny that refuses the deployer.
type lockout struct {
	pol    *graph.Policy
	st     *graph.Statement
	bucket *graph.Bucket
	conds  []*graph.Condition // the negated lockout tests
	action string             // the management call it denies
	ip     string             // the address the deployer was assumed to call from
}

// principalIsEveryone reports whether a Principal element names everyone.
func principalIsEveryone(ps *graph.PrincipalSpec) bool {
	if ps == nil || ps.Unknown {
		return false
	}
	if ps.Wildcard {
		return true
	}
	for _, e := range ps.Entries {
		if e.Type.Is("AWS") {
			for _, v := range e.Values {
				if v.Is("*") {
					return true
				}
			}
		}
	}
	return false
}

// lockoutShape returns the negated lockout tests of a bucket policy Deny
// for everyone, or nil when it has none or exempts something that may be
// the deployer.
func lockoutShape(pol *graph.Policy, st *graph.Statement) []*graph.Condition {
	if pol.Kind != graph.BucketPolicy || pol.Bucket == nil || st.Unknown || !st.IsDeny() ||
		st.NotPrincipal != nil || !principalIsEveryone(st.Principal) {
		return nil
	}
	var conds []*graph.Condition
	for i := range st.Conditions {
		c := &st.Conditions[i]
		if !c.Key.Known() || !c.Operator.Known() {
			return nil
		}
		key := strings.ToLower(c.Key.V)
		negated, _ := policy.NegatedOperator(c.Operator.V)
		if exemptionKeys[key] || strings.HasPrefix(key, "aws:principaltag/") {
			if key != "aws:principalarn" || negated {
				return nil
			}
		}
		if lockoutKeys[key] && negated {
			conds = append(conds, c)
		}
	}
	return conds
}

// outsideAddress picks an address (from the documentation ranges) that no
// range of the conditions on aws:SourceIp contains.
func outsideAddress(conds []*graph.Condition) (string, bool) {
	var prefixes []netip.Prefix
	for _, c := range conds {
		if !strings.EqualFold(c.Key.V, "aws:SourceIp") {
			continue
		}
		if c.Unknown {
			return "", false
		}
		for _, v := range c.Values {
			if !v.Known() {
				return "", false
			}
			s := strings.TrimSpace(v.V)
			if !strings.Contains(s, "/") {
				if a, err := netip.ParseAddr(s); err == nil {
					s = netip.PrefixFrom(a, a.BitLen()).String()
				}
			}
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return "", false
			}
			prefixes = append(prefixes, p)
		}
	}
	for _, cand := range []string{"203.0.113.10", "198.51.100.10", "192.0.2.10"} {
		a := netip.MustParseAddr(cand)
		inside := false
		for _, p := range prefixes {
			inside = inside || p.Contains(a)
		}
		if !inside {
			return cand, true
		}
	}
	return "", false
}

// standInDeployer is who applies the configuration: a role of the bucket's
// account that nothing in the configuration names.
func standInDeployer(b *graph.Bucket) policy.Caller {
	acct := b.Account
	if acct == "" {
		acct = "<account of the deployer>"
	}
	return policy.Caller{
		Kind:    policy.CallerRole,
		Account: acct,
		ARN:     "arn:aws:iam::" + string(acct) + ":role/<the deploy role>",
		Session: "arn:aws:sts::" + string(acct) + ":assumed-role/<the deploy role>/<session>",
	}
}

// findLockouts returns the Denies S3L061 reports, in policy order.
func findLockouts(p *Pass) []*lockout {
	var out []*lockout
	e := p.Engine()
	eachStatement(p.Graph, nil, func(pol *graph.Policy, st *graph.Statement) {
		conds := lockoutShape(pol, st)
		if len(conds) == 0 {
			return
		}
		ctx := policy.Context{}
		ip := ""
		for _, c := range conds {
			if strings.EqualFold(c.Key.V, "aws:SourceIp") {
				addr, ok := outsideAddress(conds)
				if !ok {
					return
				}
				ip = addr
				ctx.Set("aws:SourceIp", addr)
				break
			}
		}
		b := pol.Bucket
		arn := policy.BucketARNOf(b)
		for _, act := range bucketPolicyActions {
			d := e.Decide(policy.Request{Caller: standInDeployer(b), Action: act, Resource: arn, Context: ctx, Network: policy.NetworkInternet})
			if d.Outcome != policy.ExplicitDeny || !denyMatched(d, st) {
				continue
			}
			// Every test of a Deny that surely matched holds for the
			// deployer: they are what excludes it.
			out = append(out, &lockout{pol: pol, st: st, bucket: b, conds: conds, action: act, ip: ip})
			return
		}
	})
	return out
}

// denyMatched reports whether the statement surely matched in the decision.
func denyMatched(d policy.Decision, st *graph.Statement) bool {
	for _, r := range d.Denies {
		if r.Statement == st && r.Match.T == policy.Yes {
			return true
		}
	}
	return false
}

func runS3L061(p *Pass) error {
	for _, l := range findLockouts(p) {
		p.Report(lockoutFinding(l))
	}
	return nil
}

// denyCondText words a condition as written: "StringNotEquals aws:SourceVpce
// vpce-1a2b".
func denyCondText(c *graph.Condition) string {
	return fmt.Sprintf("%s %s %s", c.Operator.V, c.Key.V, strings.Join(denyCondValues(c), ", "))
}

// denyCondValues renders a condition's values for messages; values not known
// before deployment read as such.
func denyCondValues(c *graph.Condition) []string {
	if c.Unknown {
		return []string{"<a value not known before deployment>"}
	}
	var vals []string
	for _, v := range c.Values {
		if !v.Known() {
			vals = append(vals, "<a value not known before deployment>")
			continue
		}
		vals = append(vals, policy.Display(v.V))
	}
	return vals
}

func lockoutFinding(l *lockout) Finding {
	var tests, outside []string
	network := false
	for _, c := range l.conds {
		tests = append(tests, denyCondText(c))
		vals := denyCondValues(c)
		vs := strings.Replace(list(vals), " and ", " or ", 1)
		plural := ""
		if len(vals) > 1 {
			plural = "s"
		}
		if c.Unknown || len(c.Values) == 0 || !c.Values[0].Known() {
			vs, plural = "named in the condition", ""
		}
		switch strings.ToLower(c.Key.V) {
		case "aws:sourcevpce":
			outside = append(outside, "does not come through the VPC endpoint"+plural+" "+vs)
			network = true
		case "aws:sourcevpc":
			outside = append(outside, "does not come from the VPC"+plural+" "+vs)
			network = true
		case "aws:vpcsourceip":
			outside = append(outside, "does not come from "+vs+" inside a VPC")
			network = true
		case "aws:sourceip":
			outside = append(outside, "comes from an address outside "+vs+" (such as "+l.ip+") or through a VPC endpoint (which carries no aws:SourceIp)")
		case "aws:principalaccount":
			outside = append(outside, "comes from any account but "+vs+", the bucket's own account included")
		}
	}
	who := "the principal that runs terraform apply"
	if l.pol.Format == graph.CloudFormation {
		who = "the principal that deploys the CloudFormation stack"
	}
	where := "admins outside the VPC"
	if !network {
		where = "admins outside the exemption"
	}
	acts := denyActionsText(l.st)
	fix := "limit it to data actions (s3:GetObject, s3:PutObject, …) instead of " + acts
	if !strings.Contains(acts, "*") && l.st.Action.Present {
		fix = "leave bucket-policy management (s3:PutBucketPolicy, s3:GetBucketPolicy, s3:DeleteBucketPolicy) out of its actions"
	}
	msg := fmt.Sprintf("this Deny refuses %s on the bucket %s to every request that %s (%s), so it also denies %s to %s: "+
		"after this policy is applied, every later apply or update of the bucket policy (and the console, CI and %s) gets 403 Access Denied, "+
		"and only the account's root user can delete the policy to recover; exempt the admin and deploy roles in this Deny "+
		"(ArnNotLike aws:PrincipalArn) or %s "+
		"(the rule cannot know who deploys: it assumes a role outside the exemption, calling over the internet)",
		acts, bucketLabel(l.bucket), strings.Join(outside, " and "), strings.Join(tests, "; "), l.action, who, where, fix)
	f := Finding{Range: l.conds[0].Range, Resource: l.pol.Address, Message: msg}
	if !l.bucket.Range.IsZero() {
		f.Related = append(f.Related, Related{Range: l.bucket.Range,
			Message: fmt.Sprintf("bucket %s is declared here; once the Deny at %s is in place, %s on it gets 403", bucketLabel(l.bucket), l.st.Range.Short(), l.action)})
	}
	return f
}

// denyActionsText words a statement's Action element ("s3:*",
// "s3:PutBucketPolicy and s3:GetObject") or NotAction ("every action but
// s3:GetObject").
func denyActionsText(st *graph.Statement) string {
	el, prefix := st.Action, ""
	if !el.Present {
		el, prefix = st.NotAction, "every action but "
	}
	var names []string
	for _, it := range el.Items {
		names = append(names, it.V)
	}
	return prefix + list(names)
}
