package rules

import (
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// What AWS's delivery services write and how, shared by S3L032 and S3L082.

// deliveryWrite is one request a delivery must be allowed to make.
type deliveryWrite struct {
	caller policy.Caller
	action string
	// resource is the bucket ARN or an object ARN under the delivery's key
	// layout; grant is what a bucket policy grants for it (the bucket ARN,
	// or the objects under the layout's fixed part), for messages.
	resource, grant string
	ctx             policy.Context
}

// logWrite is the s3:PutObject of a delivery: under the prefix (with the
// slash AWS adds between prefix and AWSLogs for services that add one), the
// layout's fixed part and then what varies. ok is false when the prefix is
// unknown.
func logWrite(d *graph.Delivery, caller policy.Caller, bucketARN, fixed, varies string, slash bool, ctx policy.Context) (w deliveryWrite, ok bool) {
	if !d.Prefix.Known() {
		return deliveryWrite{}, false
	}
	p := d.Prefix.V
	if slash && p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	base := bucketARN + "/" + p + fixed
	return deliveryWrite{caller: caller, action: "s3:PutObject", resource: base + varies, grant: base + "*", ctx: ctx}, true
}

// accountOf is the account a delivery's source deploys to, when known
// (an ID, or the symbol of its provider or stack).
func accountOf(d *graph.Delivery) (string, bool) {
	if !d.Account.Known() {
		return "", false
	}
	return string(d.Account), true
}

// writes lists the requests a delivery makes into its bucket for the
// grant to be complete. ok is false when they cannot be known.
func writes(d *graph.Delivery, bucketARN string) (ws []deliveryWrite, ok bool) {
	svc := policy.Caller{Kind: policy.CallerService, Service: d.Kind.Service()}
	ctx := func() policy.Context {
		c := policy.Context{}
		if d.SourceARN.Known() {
			c.Set("aws:SourceArn", d.SourceARN.V)
		}
		if a, ok := accountOf(d); ok {
			c.Set("aws:SourceAccount", a)
		}
		return c
	}
	// aclCheckAndWrite: the services that read the bucket ACL first and
	// write objects owned by the bucket owner under AWSLogs/<account>/.
	aclCheckAndWrite := func(layout string) []deliveryWrite {
		ws := []deliveryWrite{{caller: svc, action: "s3:GetBucketAcl", resource: bucketARN, grant: bucketARN, ctx: ctx()}}
		acct, known := accountOf(d)
		if !known || layout == "" {
			return ws
		}
		c := ctx()
		c.Set("s3:x-amz-acl", "bucket-owner-full-control")
		if w, ok := logWrite(d, svc, bucketARN, "AWSLogs/"+acct+"/", layout, true, c); ok {
			ws = append(ws, w)
		}
		return ws
	}
	switch d.Kind {
	case graph.ServerAccessLogs:
		w, ok := logWrite(d, svc, bucketARN, "", "<log object>", false, ctx())
		if !ok {
			return nil, false
		}
		return []deliveryWrite{w}, true
	case graph.CloudTrailLogs:
		if d.Organization.IsTrue() || !d.Organization.Known() {
			// Organization trails write under AWSLogs/<organization id>/
			// as well, which the configuration rarely knows; which paths
			// CreateTrail checks for them is not documented.
			return aclCheckAndWrite(""), true
		}
		return aclCheckAndWrite("CloudTrail/<region>/<log file>"), true
	case graph.ConfigSnapshots:
		if !usesConfigServiceRole(d) {
			// A role of the account writes with its own IAM policies.
			return nil, false
		}
		return aclCheckAndWrite("Config/<snapshot>"), true
	case graph.VendedLogs:
		return aclCheckAndWrite("<log file>"), true
	case graph.S3Reports:
		// AWS's policy for S3 Inventory and S3 analytics tests the source
		// bucket and account and the canned ACL the reports carry.
		c := ctx()
		c.Set("s3:x-amz-acl", "bucket-owner-full-control")
		w, ok := logWrite(d, svc, bucketARN, "", "<report>", true, c)
		if !ok {
			return nil, false
		}
		return []deliveryWrite{w}, true
	}
	return nil, false
}

// policyAccounts lists the ELB accounts that the bucket's policies name in
// a Principal, for messages.
func policyELBAccounts(b *graph.Bucket) []string {
	seen := map[string]bool{}
	for _, p := range b.Policies {
		if p.Doc == nil {
			continue
		}
		for _, st := range p.Doc.Statements {
			if st.Principal == nil {
				continue
			}
			for _, e := range st.Principal.Entries {
				for _, v := range e.Values {
					if !v.Known() {
						continue
					}
					id := v.V
					if a, ok := policy.ParseARN(v.V); ok {
						id = a.Account
					}
					if graph.ELBRegion(id) != "" {
						seen[id] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// usesConfigServiceRole reports whether a Config delivery channel's
// recorder is known to use Config's service-linked role, with which Config
// writes as config.amazonaws.com and needs the bucket policy.
func usesConfigServiceRole(d *graph.Delivery) bool {
	return d.RoleARN.Known() && strings.Contains(d.RoleARN.V, ":role/aws-service-role/config.amazonaws.com/")
}

// policyRefusal words why a bucket's policy does not allow a service's
// request (pronoun: "it" or "them"): it has none; or none of its own, and
// the policies whose bucket is not known before deployment, which may be
// its, do not allow the request either; or its policy does not.
func policyRefusal(b *graph.Bucket, pronoun string) string {
	switch {
	case len(b.Policies) == 0 && len(b.MaybePolicies) == 0:
		return "it has no bucket policy"
	case len(b.Policies) == 0:
		var names []string
		for _, p := range b.MaybePolicies {
			names = append(names, p.Address)
		}
		if len(names) == 1 {
			return "it has no bucket policy of its own, and " + names[0] + ", whose bucket is not known before deployment, does not allow " + pronoun + " either"
		}
		return "it has no bucket policy of its own, and " + list(names) + ", whose buckets are not known before deployment, do not allow " + pronoun + " either"
	}
	return "its bucket policy does not allow " + pronoun
}

// decidingRelated adds the places that decided the decisions to a finding,
// each once, or fallback when none is in a file.
func decidingRelated(f *Finding, decs []policy.Decision, fallback Related) {
	seen := map[graph.Range]bool{}
	for _, dec := range decs {
		for _, loc := range dec.Deciding {
			if loc.Range.File != "" && !seen[loc.Range] {
				seen[loc.Range] = true
				f.Related = append(f.Related, Related{Range: loc.Range, Message: loc.What})
			}
		}
	}
	if len(f.Related) == 0 {
		f.Related = append(f.Related, fallback)
	}
}

// keyPolicyRelated points at a key's policy, or at the key when it declares
// none (its default key policy).
func keyPolicyRelated(k *graph.Key) Related {
	if k.Policy != nil {
		return Related{Range: k.Policy.DocRange, Message: "key policy of " + k.Address}
	}
	return Related{Range: k.Range, Message: k.Address}
}
