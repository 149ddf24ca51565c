package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/expect"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
	"github.com/s3lint/s3lint/resolve"
)

// S3L100 proves the access expectations of .s3lint.yaml.
var S3L100 = &Def{
	M: Meta{
		ID:        "S3L100",
		Name:      "expectation-broken",
		Title:     "declared access expectation does not hold",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"expectations", "iam", "bucket-policy"},
		Doc: `Linters report what looks wrong; a team knows what it relies on. The ` + "`expect:`" + ` list
of .s3lint.yaml states it, and this rule proves every entry from the configuration on every scan
with the authorization engine (the same decisions as ` + "`s3lint explain`" + `):

` + "```yaml" + `
expect:
  - principal: aws_iam_role.app        # Terraform address, CloudFormation logical ID, or ARN
    bucket: aws_s3_bucket.data         # address, logical ID, bucket name or ARN
    prefix: reports/                   # optional: the object requests are for keys under it
    can: [list, read, write]           # list, read, write, delete
    cannot: [delete]
  - bucket: aws_s3_bucket.data
    public: false                      # nobody may list, read, write or delete it anonymously
` + "```" + `

The verbs stand for requests: list is s3:ListBucket on the bucket (with s3:prefix set to the
prefix), read s3:GetObject, write s3:PutObject and delete s3:DeleteObject on a key under the
prefix. ` + "`public: false`" + ` decides the four requests for an anonymous caller (which a policy
granting ` + "`\"Principal\": \"*\"`" + ` or an ACL granting AllUsers lets in, unless Block Public Access
or a Deny stops it).

Each entry is reported at its place in .s3lint.yaml:

- a broken expectation (a ` + "`can`" + ` that is denied, a ` + "`cannot`" + ` or ` + "`public: false`" + ` that is
  allowed) is an error at the verb, with the deciding statements and settings as related
  locations;
- a principal or bucket that the configuration no longer has is an error at its name: an
  expectation about something gone must not pass in silence (a principal may also be an ARN
  outside the configuration, such as another account's role; a bucket must be in it);
- an expectation whose answer depends on values not known before deployment (a variable without
  a value, a template condition, a condition key of the request) is a note that says what is
  unknown: it is unproven, not broken.

` + "`s3lint access --suggest`" + ` prints the expectations today's configuration satisfies, ready to
paste, to pin current access in one step.`,
	},
	Run: runS3L100,
}

func runS3L100(p *Pass) error {
	e := p.Engine()
	for i := range p.Graph.Expectations {
		x := &p.Graph.Expectations[i]
		b, err := resolve.Bucket(p.Graph, x.Bucket.V)
		if err != nil {
			p.Report(Finding{Range: x.Bucket.Range, Message: "expectation: bucket " + err.Error()})
			continue
		}
		if x.Public != nil && !x.Public.V {
			checkNotPublic(p, e, x, b)
		}
		if len(x.Can)+len(x.Cannot) == 0 {
			continue
		}
		caller, err := resolve.Caller(p.Graph, x.Principal.V)
		if err != nil {
			p.Report(Finding{Range: x.Principal.Range, Resource: b.Address, Message: "expectation: principal " + err.Error()})
			continue
		}
		for _, verb := range x.Can {
			checkVerb(p, e, x, b, caller, verb, true)
		}
		for _, verb := range x.Cannot {
			checkVerb(p, e, x, b, caller, verb, false)
		}
	}
	return nil
}

// expectWhat words a request for messages: "read objects under reports/ of
// aws_s3_bucket.data (s3:GetObject on arn:aws:s3:::data/reports/<key>)".
func expectWhat(x *graph.Expectation, b *graph.Bucket, verb string, req policy.Request) string {
	obj := "objects of"
	if x.Prefix.V != "" {
		obj = fmt.Sprintf("objects under %q of", x.Prefix.V)
	}
	switch verb {
	case "list":
		if x.Prefix.V != "" {
			return fmt.Sprintf("list %s under %q (%s)", b.Address, x.Prefix.V, req.Action)
		}
		return fmt.Sprintf("list %s (%s)", b.Address, req.Action)
	case "read", "write", "delete":
		return fmt.Sprintf("%s %s %s (%s on %s)", verb, obj, b.Address, req.Action, req.Resource)
	}
	return verb
}

func checkVerb(p *Pass, e *policy.Engine, x *graph.Expectation, b *graph.Bucket, caller policy.Caller, verb graph.String, can bool) {
	req := expect.Request(b, caller, x.Prefix.V, verb.V)
	d := e.Decide(req)
	who, what := caller.Label(), expectWhat(x, b, verb.V, req)
	switch {
	case d.Outcome == policy.Unknown:
		p.Report(Finding{Severity: Note, Range: verb.Range, Resource: b.Address,
			Message: fmt.Sprintf("expectation unproven: whether %s can %s depends on what is not known before deployment: %s",
				who, what, strings.Join(d.Why, "; "))})
	case can && d.Outcome.Denied():
		why, related := expectDenial(d)
		msg := fmt.Sprintf("expectation broken: %s is expected to %s, but it gets 403 Access Denied (%s: %s)",
			who, what, d.Outcome, why)
		if d.Fix != "" {
			msg += "; " + d.Fix
		}
		p.Report(Finding{Range: verb.Range, Resource: b.Address, Message: msg, Related: related})
	case !can && d.Outcome == policy.Allow:
		p.Report(Finding{Range: verb.Range, Resource: b.Address, Related: expectAllowers(d),
			Message: fmt.Sprintf("expectation broken: %s must not %s, but it is allowed", who, what)})
	}
}

// checkNotPublic decides the four requests for an anonymous caller.
func checkNotPublic(p *Pass, e *policy.Engine, x *graph.Expectation, b *graph.Bucket) {
	anon := policy.Caller{Kind: policy.CallerAnonymous}
	var allowed, unknown []string
	var related []Related
	var why []string
	for _, verb := range graph.ExpectVerbs {
		req := expect.Request(b, anon, x.Prefix.V, verb)
		d := e.Decide(req)
		switch d.Outcome {
		case policy.Allow:
			allowed = append(allowed, expectWhat(x, b, verb, req))
			related = append(related, expectAllowers(d)...)
		case policy.Unknown:
			unknown = append(unknown, verb)
			why = append(why, d.Why...)
		}
	}
	switch {
	case len(allowed) > 0:
		p.Report(Finding{Range: x.Public.Range, Resource: b.Address, Related: distinct(related),
			Message: fmt.Sprintf("expectation broken: %s must not be public, but anyone, unsigned, can %s",
				b.Address, strings.Join(allowed, ", and "))})
	case len(unknown) > 0:
		p.Report(Finding{Severity: Note, Range: x.Public.Range, Resource: b.Address,
			Message: fmt.Sprintf("expectation unproven: whether anyone can %s %s depends on what is not known before deployment: %s",
				strings.Join(unknown, ", "), b.Address, strings.Join(distinct(why), "; "))})
	}
}

// expectDenial is why a request is denied, with the deciding places.
func expectDenial(d policy.Decision) (string, []Related) {
	if d.Outcome == policy.ImplicitDeny {
		var related []Related
		for _, loc := range d.Deciding {
			if !loc.Range.IsZero() {
				related = append(related, Related{Range: loc.Range, Message: "no Allow here: " + loc.What})
			}
		}
		return "no policy allows it", related
	}
	return denial(d)
}

// expectAllowers points at what allows a request.
func expectAllowers(d policy.Decision) []Related {
	var related []Related
	for _, loc := range d.Deciding {
		if !loc.Range.IsZero() {
			related = append(related, Related{Range: loc.Range, Message: d.Request.Action + " is allowed here: " + loc.What})
		}
	}
	return related
}

// distinct is xs without repeats, in first-seen order.
func distinct[T comparable](xs []T) []T {
	var out []T
	seen := map[T]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
