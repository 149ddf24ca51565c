package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L034 finds replication rules whose role may not read the source's
// objects for replication or replicate them into the destination.
var S3L034 = &Def{
	M: Meta{
		ID:        "S3L034",
		Name:      "replication-refused",
		Title:     "a replication rule's role may not read the source or write the replicas",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"replication", "bucket-policy", "cross-account"},
		Doc: `S3 replication (` + "`aws_s3_bucket_replication_configuration`" + `, the ` + "`replication_configuration`" + ` block of
` + "`aws_s3_bucket`" + `, ` + "`ReplicationConfiguration`" + ` of ` + "`AWS::S3::Bucket`" + `) copies new objects to the destination
bucket as the role the configuration names, and the role's requests are judged like anyone's:

- ` + "`s3:GetObjectVersionForReplication`" + ` on the source bucket's objects (or ` + "`s3:GetObjectVersion`" + `, which
  AWS's first examples granted: whether S3 still accepts it is not documented, so either
  satisfies the rule);
- ` + "`s3:ReplicateObject`" + ` on the destination bucket's objects, and ` + "`s3:ReplicateDelete`" + ` when the rule
  replicates delete markers (delete marker replication enabled, or a rule without a filter: the
  first version of the replication configuration always replicates them);
- ` + "`s3:ObjectOwnerOverrideToBucketOwner`" + ` when the rule makes the destination's owner the replicas'
  owner (` + "`access_control_translation`" + ` / ` + "`AccessControlTranslation`" + `).

In the role's own account its identity policies must allow them (or the bucket policy must grant
the role itself); a destination bucket in another account must also allow them in its bucket
policy, which is the most common cause. When a request is refused, S3 does not replicate the
object: its replication status becomes FAILED, and the copy the configuration exists for is
never made.

The rule asks the engine for each request as the role, on an object under the rule's prefix, and
reports at the destination bucket argument when one is definitely refused (denied by a Deny, or
allowed by nothing), naming the statements and settings that decided it.

It stays silent for rules that are not known to be enabled, when the role is not in the
configuration and its account's policies decide, when the prefix or the buckets are not known,
and whenever the answer depends on values not known before deployment. The KMS permissions of
replicating SSE-KMS objects (` + "`kms:Decrypt`" + ` on the source key, ` + "`kms:Encrypt`" + ` on the replica key) are
not checked yet, nor is the role's trust policy; the other permissions AWS's examples list
(` + "`s3:GetReplicationConfiguration`" + `, ` + "`s3:ListBucket`" + `, ` + "`s3:GetObjectVersionAcl`" + `,
` + "`s3:GetObjectVersionTagging`" + `, ` + "`s3:ReplicateTags`" + `) are not required by the rule, since what S3 does
without them is not documented.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_replication_configuration" "dr" {
  bucket = aws_s3_bucket.data.id
  role   = aws_iam_role.replication.arn   # allowed s3:GetObjectVersionForReplication only
  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    delete_marker_replication { status = "Disabled" }
    destination {
      bucket = aws_s3_bucket.dr.arn
    }
  }
}
` + "```" + `

Good: the role's policy also allows ` + "`s3:ReplicateObject`" + ` (and ` + "`s3:ReplicateDelete`" + `) on
` + "`${aws_s3_bucket.dr.arn}/*`" + `; for a destination in another account, that account's bucket policy
allows the role the same.

Fix: allow the refused actions to the role, in its identity policy and, across accounts, in the
destination bucket's policy.`,
	},
	Run: runS3L034,
}

func runS3L034(p *Pass) error {
	eng := p.Engine()
	var byARN map[string][]*graph.Principal
	for _, d := range p.Graph.Deliveries {
		if d.Kind != graph.Replication || !d.RoleARN.Known() || !d.Prefix.Known() {
			continue
		}
		if byARN == nil {
			byARN = principalsByARN(p.Graph)
		}
		role, ok := replicationRole(d, byARN)
		if !ok {
			continue
		}
		type want struct{ action, resource, or string }
		var wants []want
		if d.SourceARN.Known() {
			// Replication set up before GetObjectVersionForReplication
			// existed was granted s3:GetObjectVersion (AWS's first
			// examples); whether S3 still accepts it is not documented,
			// so either will do.
			wants = append(wants, want{"s3:GetObjectVersionForReplication", d.SourceARN.V + "/" + d.Prefix.V + "<key>", "s3:GetObjectVersion"})
		}
		if dest, ok := replicaBucketARN(d); ok {
			obj := dest + "/" + d.Prefix.V + "<key>"
			wants = append(wants, want{"s3:ReplicateObject", obj, ""})
			if d.DeleteMarkers {
				wants = append(wants, want{"s3:ReplicateDelete", obj, ""})
			}
			if d.OwnerOverride {
				wants = append(wants, want{"s3:ObjectOwnerOverrideToBucketOwner", obj, ""})
			}
		}
		var refused []policy.Decision
		for _, w := range wants {
			// The KMS side of replication differs from a reader's (the
			// replica key of the rule): judged on objects without KMS.
			dec := eng.Decide(policy.Request{Caller: role, Action: w.action, Resource: w.resource, NoKMS: true})
			if !dec.Outcome.Denied() {
				continue
			}
			if w.or != "" {
				if alt := eng.Decide(policy.Request{Caller: role, Action: w.or, Resource: w.resource, NoKMS: true}); !alt.Outcome.Denied() {
					continue
				}
			}
			refused = append(refused, dec)
		}
		if len(refused) > 0 {
			p.Report(replicationFinding(d, role, refused))
		}
	}
	return nil
}

// replicationRole is the caller a replication rule runs as: the role of
// the configuration with that ARN (of the rule's own configuration when
// several declare it), else the role the ARN names, whose policies are
// not known.
func replicationRole(d *graph.Delivery, byARN map[string][]*graph.Principal) (policy.Caller, bool) {
	prs := byARN[d.RoleARN.V]
	for _, pr := range prs {
		if pr.Root == d.Root {
			return policy.CallerFor(pr)
		}
	}
	if len(prs) == 1 {
		return policy.CallerFor(prs[0])
	}
	if len(prs) > 1 {
		return policy.Caller{}, false // copies elsewhere: which one is not known
	}
	c, ok := policy.CallerFromARN(d.RoleARN.V)
	if !ok || c.Kind != policy.CallerRole {
		return policy.Caller{}, false
	}
	return c, true
}

// replicaBucketARN is the ARN of a replication rule's destination bucket.
func replicaBucketARN(d *graph.Delivery) (string, bool) {
	if d.Bucket != nil {
		return policy.BucketARNOf(d.Bucket), true
	}
	if !d.BucketRef.Known() || d.BucketRef.V == "" || graph.HasSymbol(d.BucketRef.V) {
		return "", false
	}
	part := d.Partition
	if part == "" {
		part = "aws"
	}
	return "arn:" + part + ":s3:::" + d.BucketRef.V, true
}

// replicationFinding words the refused requests of a replication rule.
func replicationFinding(d *graph.Delivery, role policy.Caller, decs []policy.Decision) Finding {
	var needs, reasons []string
	acts := map[string][]string{} // the actions each reason refuses
	for _, dec := range decs {
		needs = append(needs, dec.Request.Action+" on "+policy.Display(dec.Request.Resource))
		r := replicationRefusal(dec)
		if acts[r] == nil {
			reasons = append(reasons, r)
		}
		acts[r] = append(acts[r], dec.Request.Action)
	}
	var whys []string
	for _, r := range reasons {
		pronoun := "it"
		if len(acts[r]) > 1 || len(reasons) > 1 {
			pronoun = list(acts[r])
		}
		whys = append(whys, strings.ReplaceAll(r, "%s", pronoun))
	}
	var allow, exempt []policy.Decision
	for _, dec := range decs {
		if dec.Outcome == policy.ExplicitDeny {
			exempt = append(exempt, dec)
		} else {
			allow = append(allow, dec)
		}
	}
	var fixes []string
	if len(allow) > 0 {
		fix := "allow " + list(actionsOf(allow)) + " to " + role.Label()
		if anyCrossAccount(allow) {
			fix += ", in its identity policy and in the bucket policy of the bucket in the other account"
		} else {
			fix += " in its identity policy"
		}
		fixes = append(fixes, fix)
	}
	if len(exempt) > 0 {
		fixes = append(fixes, "exempt "+role.Label()+" from the Deny that refuses "+list(actionsOf(exempt)))
	}
	fix := strings.Join(fixes, "; ")
	what := "the objects (their replication status becomes FAILED)"
	if acts := actionsOf(decs); len(acts) == 1 && acts[0] == "s3:ReplicateDelete" {
		what = "delete markers: objects deleted in the source stay visible in the destination"
	}
	f := Finding{Range: d.BucketRef.Range, Resource: d.Address,
		Message: fmt.Sprintf("%s runs as %s, which needs %s, but %s, so S3 does not replicate %s; %s",
			d.What, role.Label(), list(needs), strings.Join(whys, "; "), what, fix)}
	related := Related{Range: d.Range, Message: "replication configuration " + d.Address}
	if role.Principal != nil {
		related = Related{Range: role.Principal.Range, Message: "role " + role.Principal.Address}
	}
	decidingRelated(&f, decs, related)
	return f
}

// replicationRefusal words why one request of the role is refused, with
// %s standing for the refused actions.
func replicationRefusal(dec policy.Decision) string {
	if dec.Outcome == policy.ExplicitDeny {
		for _, loc := range dec.Deciding {
			if loc.What != "" {
				return "the " + strings.TrimPrefix(loc.What, "Deny in the ") + " denies %s"
			}
		}
		return "a Deny refuses %s"
	}
	if crossAccount(dec) {
		return "across accounts both the role's policies and the bucket policy of " + decisionBucket(dec) + " must allow %s, and " + missingSide(dec)
	}
	return "no policy allows %s"
}

// crossAccount reports whether the decision put a caller and a bucket of
// different accounts together.
func crossAccount(dec policy.Decision) bool {
	st := dec.Step(policy.CheckAccounts)
	return st != nil && strings.HasPrefix(st.Detail, "cross-account")
}

func anyCrossAccount(decs []policy.Decision) bool {
	for _, d := range decs {
		if crossAccount(d) {
			return true
		}
	}
	return false
}

// missingSide says which side of a cross-account request does not allow it.
func missingSide(dec policy.Decision) string {
	id, bp := dec.Step(policy.CheckIdentity), dec.Step(policy.CheckBucketPolicy)
	idAllows, bpAllows := id != nil && id.Status == policy.Allowed, bp != nil && bp.Status == policy.Allowed
	noPolicy := dec.Bucket != nil && len(dec.Bucket.Policies) == 0 && len(dec.Bucket.MaybePolicies) == 0
	switch {
	case idAllows && noPolicy:
		return "it has no bucket policy"
	case idAllows:
		return "its bucket policy does not"
	case bpAllows:
		return "the role's policies do not"
	case id != nil && id.Status == policy.Denied && noPolicy:
		return "the role's policies do not, and it has no bucket policy"
	case id != nil && id.Status == policy.Denied:
		return "neither does"
	}
	return "one of them does not"
}

func decisionBucket(dec policy.Decision) string {
	if dec.Bucket != nil {
		return dec.Bucket.Address
	}
	return policy.Display(dec.Request.Resource)
}

func actionsOf(decs []policy.Decision) []string {
	var out []string
	for _, d := range decs {
		out = append(out, d.Request.Action)
	}
	return distinct(out)
}
