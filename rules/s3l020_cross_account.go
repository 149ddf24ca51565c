package rules

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Helpers shared by the cross-account rules S3L020, S3L021 and S3L022.

// xacctForeign reports whether two accounts are known and known to differ:
// two literal account IDs that are not equal. Symbols (the account of a
// provider or stack that does not state it) never count.
func xacctForeign(a, b graph.Account) bool {
	same, known := a.SameAs(b)
	return known && !same
}

// xacctRequest is the request of an intent, with the template conditions
// under which the policy that states it is in place fixed.
func xacctRequest(in *policy.Intent) policy.Request {
	req := in.Request
	if in.Policy != nil && in.Policy.Variant != nil {
		req.Conditions = map[string]bool{}
		for k, v := range in.Policy.Variant.When {
			req.Conditions[k] = v
		}
	}
	return req
}

// xacctStatus is the status of a step of a decision (NotInvolved when the
// decision has no such step).
func xacctStatus(d *policy.Decision, check string) policy.StepStatus {
	if s := d.Step(check); s != nil {
		return s.Status
	}
	return policy.NotInvolved
}

// xacctOthersQuiet reports whether none of the checks that deny on their own
// (MFA delete, a VPC endpoint policy, the KMS key) denies the request, and
// Block Public Access neither rejects the bucket policy nor cuts the caller
// off: a denial is then the work of the sides the rules are about.
func xacctOthersQuiet(d *policy.Decision) bool {
	if d.Step(policy.CheckConditions) != nil || xacctStatus(d, policy.CheckBPA) != policy.NotInvolved {
		return false
	}
	for _, c := range []string{policy.CheckMFA, policy.CheckEndpoint, policy.CheckKMS} {
		if xacctStatus(d, c) == policy.Denied {
			return false
		}
	}
	return true
}

// xacctDecidedAt reports whether every place that decided d is one of
// places (places without a position are the engine's own and pass).
func xacctDecidedAt(d *policy.Decision, places map[graph.Range]bool) bool {
	if len(d.Deciding) == 0 {
		return false
	}
	for _, loc := range d.Deciding {
		if !loc.Range.IsZero() && !places[loc.Range] {
			return false
		}
	}
	return true
}

// xacctMeansAction reports whether a statement's Action names the action:
// exactly, by a wildcard, or by a name that is not an action at all but
// stands for it (a typo or an API operation name, which S3L013 reports).
func xacctMeansAction(st *graph.Statement, action string) bool {
	if !st.Action.Present || st.NotAction.Present {
		return false
	}
	for _, it := range st.Action.Items {
		if !it.Known() {
			continue
		}
		if policy.MatchAction(it.V, action) {
			return true
		}
		if !policy.HasWildcard(it.V) && policy.LookupAction(it.V) == nil && strings.EqualFold(policy.SuggestAction(it.V), action) {
			return true
		}
	}
	return false
}

// xacctNamesBucket reports whether a statement's Resource names the bucket
// or any object in it, in whatever form.
func xacctNamesBucket(st *graph.Statement, b *graph.Bucket) bool {
	if !st.Resource.Present || st.NotResource.Present {
		return false
	}
	arn := policy.BucketARNOf(b)
	for _, r := range st.Resource.Items {
		if r.Known() && policy.CanMatchBucketOrObject(r.V, arn) {
			return true
		}
	}
	return false
}

// xacctNamesBucketByName reports whether a statement's Resource names the
// bucket by its name, without a wildcard in it: "arn:aws:s3:::acme-*/*" is
// meant for many buckets, maybe only those of its own account, and says
// nothing about this one in particular.
func xacctNamesBucketByName(st *graph.Statement, b *graph.Bucket) bool {
	_, name, ok := policy.BucketARN(policy.BucketARNOf(b))
	if !ok {
		return false
	}
	for _, r := range st.Resource.Items {
		if !r.Known() {
			continue
		}
		if _, n, ok := policy.BucketARN(r.V); ok && n == name {
			return true
		}
	}
	return false
}

// xacctNamesCaller reports whether a Principal element names the caller
// itself, its account, or everyone.
func xacctNamesCaller(spec *graph.PrincipalSpec, c *policy.Caller) bool {
	if spec == nil || spec.Unknown {
		return false
	}
	if spec.Wildcard {
		return true
	}
	for _, e := range spec.Entries {
		if !e.Type.Is("AWS") || e.Unknown {
			continue
		}
		for _, v := range e.Values {
			if !v.Known() {
				continue
			}
			if v.V == "*" {
				return true
			}
			if graph.Account(v.V).IsSymbol() {
				if graph.Account(v.V) == c.Account {
					return true
				}
				continue
			}
			pc, ok := policy.CallerFromARN(v.V)
			if !ok {
				continue
			}
			switch pc.Kind {
			case policy.CallerRoot:
				if pc.Account == c.Account {
					return true
				}
			case policy.CallerRole, policy.CallerUser:
				if pc.Kind == c.Kind && pc.Account == c.Account && xacctLastSegment(pc.ARN) == xacctLastSegment(c.ARN) {
					return true
				}
			}
		}
	}
	return false
}

func xacctLastSegment(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// xacctWho names a caller with its kind and account: "role
// aws_iam_role.reader (account 111111111111)".
func xacctWho(c *policy.Caller) string {
	if c.Principal == nil {
		// The label is the ARN, which names the account.
		return c.Kind.String() + " " + c.Label()
	}
	return c.Kind.String() + " " + c.Label() + " (account " + policy.Display(string(c.Account)) + ")"
}

// xacctPattern is the Resource pattern that stands for a request's
// resource: the representative key <key> becomes "*".
func xacctPattern(resource string) string {
	return display(strings.ReplaceAll(resource, "<key>", "*"))
}

// xacctGrants words actions on their resources for a fix: "s3:GetObject on
// arn:aws:s3:::b/* and s3:ListBucket on arn:aws:s3:::b".
func xacctGrants(reqs []policy.Request) string {
	var order []string
	acts := map[string][]string{}
	for _, r := range reqs {
		res := xacctPattern(r.Resource)
		if _, ok := acts[res]; !ok {
			order = append(order, res)
		}
		acts[res] = appendDistinct(acts[res], r.Action)
	}
	parts := make([]string, 0, len(order))
	for _, res := range order {
		parts = append(parts, list(acts[res])+" on "+res)
	}
	return strings.Join(parts, " and ")
}

// xacctActions lists the distinct actions of requests.
func xacctActions(reqs []policy.Request) []string {
	var out []string
	for _, r := range reqs {
		out = appendDistinct(out, r.Action)
	}
	return out
}

func appendDistinct(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// xacctItemRange is where a group of intents of one statement is stated:
// their Action entry when they share one, else the statement's Action.
func xacctItemRange(st *graph.Statement, ins []*policy.Intent) graph.Range {
	r := intentRange(ins[0])
	for _, in := range ins[1:] {
		if intentRange(in) != r {
			if !st.Action.Range.IsZero() {
				return st.Action.Range
			}
			return st.Range
		}
	}
	return r
}

// xacctBucketAt words where a bucket is declared: "aws_s3_bucket.data,
// main.tf:12".
func xacctBucketAt(b *graph.Bucket) string {
	return b.Address + ", " + b.Range.Short()
}
