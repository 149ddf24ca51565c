package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L017 finds Allow statements whose condition tests a key that the
// requests of some of their actions never carry, so that the statement
// never allows those actions.
var S3L017 = &Def{
	M: Meta{
		ID:        "S3L017",
		Name:      "condition-key-not-in-request",
		Title:     "allow conditioned on a key the action's requests never carry",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"iam", "condition", "bucket-policy"},
		Doc: `Each S3 action's requests carry a fixed set of S3 condition keys: s3:prefix, s3:delimiter and
s3:max-keys come with listing (s3:ListBucket, s3:ListBucketVersions) only, s3:x-amz-acl and s3:x-amz-server-side-encryption
with uploads, s3:ExistingObjectTag/… with requests on existing objects. A condition on a key that
a request does not carry is false (for every operator but Null true, the …IfExists forms,
ForAllValues and the negated ones), so an Allow whose condition tests such a key never allows that action. The
usual case is a prefix limit copied from the listing statement to the reading one:
` + "`s3:GetObject`" + ` with ` + "`StringLike: {\"s3:prefix\": [\"home/*\"]}`" + ` allows no read at all, and every
GetObject gets 403 Access Denied.

The rule reports such a condition in an Allow of an identity or bucket policy, for the actions the
statement names exactly (not through a wildcard) whose requests never carry its key, according to
AWS's table of the action's condition keys, when the engine then finds the request the statement
means to allow denied (another statement may allow it anyway: then nothing is lost and the rule is
silent). It points at the condition's key and lists the actions it shuts out. To limit object
actions to a prefix, name the prefix in the Resource (` + "`arn:aws:s3:::BUCKET/home/*`" + `) and keep
s3:prefix for s3:ListBucket.

Only the keys S3 documents as following from what the request is are judged: the listing
parameters (s3:prefix, s3:delimiter, s3:max-keys, carried by s3:ListBucket and
s3:ListBucketVersions), the ACL, encryption, copy and storage class headers of writes
(s3:x-amz-acl, s3:x-amz-grant-…, s3:x-amz-server-side-encryption…, s3:x-amz-copy-source,
s3:x-amz-metadata-directive, s3:x-amz-storage-class), s3:VersionId, the object tag keys
(s3:ExistingObjectTag/…, s3:RequestObjectTag/…, s3:RequestObjectTagKeys) and
s3:LocationConstraint. Other keys — object lock, replication, keys S3 does not define —
are left alone, as AWS's table of which action carries them has changed over time, and global
keys (aws:…) are present or absent depending on the request, which the engine decides with the
rest of the policy.

Bad:

` + "```hcl" + `
data "aws_iam_policy_document" "home" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"   # GetObject requests never carry s3:prefix
      values   = ["home/*"]
    }
  }
}
` + "```" + `

Good:

` + "```hcl" + `
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/home/*"]
  }
` + "```",
	},
	Run: runS3L017,
}

func runS3L017(p *Pass) error {
	e := p.Engine()
	type dead struct {
		policy  *graph.Policy
		st      *graph.Statement
		cond    *graph.Condition
		actions []string
	}
	var found []*dead
	// One finding per condition that shuts actions out.
	byCondition := map[*graph.Condition]*dead{}
	intents := e.Intents()
	for i := range intents {
		in := &intents[i]
		st := in.Statement
		if st == nil || !st.IsAllow() || len(st.Conditions) == 0 || !in.Item.Known() || strings.ContainsAny(in.Item.V, "*?") {
			continue
		}
		action := in.Request.Action
		var cond *graph.Condition
		for j := range st.Conditions {
			if c := &st.Conditions[j]; !c.Unknown && requestSpecificKey(c.Key.V) && policy.ConditionNeverHolds(c, action) {
				cond = c
				break
			}
		}
		if cond == nil || e.IntentOutcome(in) != policy.ImplicitDeny {
			continue
		}
		d := byCondition[cond]
		if d == nil {
			d = &dead{policy: in.Policy, st: st, cond: cond}
			byCondition[cond] = d
			found = append(found, d)
		}
		if !slices.ContainsFunc(d.actions, func(a string) bool { return strings.EqualFold(a, action) }) {
			d.actions = append(d.actions, action)
		}
	}
	for _, d := range found {
		key := d.cond.Key.V
		op := d.cond.Operator.V
		if strings.HasPrefix(op, "Null") && len(d.cond.Values) == 1 {
			op += " " + d.cond.Values[0].V
		}
		carriers := keyCarriers(d.st, key)
		also := ""
		switch len(carriers) {
		case 0:
		case 1:
			also = " (of this statement's actions, only " + carriers[0] + " does)"
		default:
			also = " (of this statement's actions, only " + list(carriers) + " do)"
		}
		at := d.cond.Key.Range
		if at.IsZero() {
			at = d.cond.Range
		}
		fix := "move " + them(d.actions) + " to a statement without this condition"
		switch lk := strings.ToLower(key); {
		case lk == "s3:prefix":
			fix += " (to limit object actions to a prefix, name it in the Resource, such as arn:aws:s3:::BUCKET/home/*)"
		case lk == "s3:versionid":
			fix += " (requests for a given version are the …Version actions, s3:GetObjectVersion and s3:DeleteObjectVersion, which carry s3:VersionId)"
		case strings.HasPrefix(lk, "s3:existingobjecttag/"):
			fix += " (uploads carry the tags they set as s3:RequestObjectTag/…, not the tags of an object that may not exist yet)"
		}
		p.Report(Finding{
			Range:    at,
			Resource: d.policy.Address,
			Message: fmt.Sprintf("this Allow tests %s with %s, but %s requests never carry %s%s, so the condition is false for every such "+
				"request and the statement never allows %s: the requests get 403 Access Denied; %s",
				key, op, list(d.actions), key, also, them(d.actions), fix),
		})
	}
	return nil
}

// requestSpecificKeys are the S3 condition keys whose presence follows
// from what the request is, as S3's documentation describes them: listing
// parameters, the ACL, encryption, copy and storage class headers of
// writes, object versions and tags. Other keys (object lock, replication,
// keys S3 does not define) are left alone: AWS's table of which action
// carries them has changed over time.
var requestSpecificKeys = map[string]bool{
	"s3:prefix": true, "s3:delimiter": true, "s3:max-keys": true,
	"s3:x-amz-acl": true, "s3:x-amz-grant-read": true, "s3:x-amz-grant-write": true, "s3:x-amz-grant-read-acp": true,
	"s3:x-amz-grant-write-acp": true, "s3:x-amz-grant-full-control": true,
	"s3:x-amz-server-side-encryption": true, "s3:x-amz-server-side-encryption-aws-kms-key-id": true,
	"s3:x-amz-copy-source": true, "s3:x-amz-metadata-directive": true, "s3:x-amz-storage-class": true,
	"s3:versionid": true, "s3:requestobjecttagkeys": true, "s3:locationconstraint": true,
}

// requestSpecificKey reports whether the rule judges conditions on key.
func requestSpecificKey(key string) bool {
	k := strings.ToLower(key)
	return requestSpecificKeys[k] || strings.HasPrefix(k, "s3:existingobjecttag/") || strings.HasPrefix(k, "s3:requestobjecttag/")
}

// keyCarriers lists the actions a statement names exactly whose requests
// may carry the key.
func keyCarriers(st *graph.Statement, key string) []string {
	var out []string
	for _, it := range st.Action.Items {
		if it.Known() && !strings.ContainsAny(it.V, "*?") && policy.CarriesKey(it.V, key) {
			out = append(out, it.V)
		}
	}
	return out
}

// them words a list of actions as a pronoun phrase for the message.
func them(actions []string) string {
	if len(actions) == 1 {
		return actions[0]
	}
	return "them"
}
