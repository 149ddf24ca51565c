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
  satisfies the rule, except for SSE-KMS objects, which AWS's guide says it does not replicate);
- ` + "`s3:ReplicateObject`" + ` on the destination bucket's objects, and ` + "`s3:ReplicateDelete`" + ` when the rule
  replicates delete markers (delete marker replication enabled, or a rule without a filter: the
  first version of the replication configuration always replicates them);
- ` + "`s3:ObjectOwnerOverrideToBucketOwner`" + ` when the rule makes the destination's owner the replicas'
  owner (` + "`access_control_translation`" + ` / ` + "`AccessControlTranslation`" + `);
- for a rule that replicates SSE-KMS objects (` + "`sse_kms_encrypted_objects`" + ` enabled, ` + "`SseKmsEncryptedObjects`" + `),
  ` + "`kms:Decrypt`" + ` on the source bucket's default key to read them, and ` + "`kms:Encrypt`" + ` on the rule's
  replica key (` + "`replica_kms_key_id`" + `, ` + "`ReplicaKmsKeyID`" + `) to write their replicas, through the key policy
  and, where it delegates to the account, the role's identity policies. Without that setting S3
  leaves SSE-KMS objects out of replication, and the role needs no key.

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
and whenever the answer depends on values not known before deployment. On the KMS side it
assumes, as the other rules do, that source objects are encrypted with the bucket's default key
(an object uploaded with another key needs that key); it stays silent when the source's default
encryption is SSE-S3 or not known, when the replica key is not in the configuration (a plan's
key created with it is found through the configuration's reference when the configuration has one
rule), and on key policy conditions over the encryption context of replicas, whose ARN
(the object's, or the bucket's with an S3 Bucket Key) is not documented; the ` + "`kms:Decrypt`" + ` on the
replica key that AWS also asks for with S3 Bucket Keys is not checked. Where the role's own
statement allows the key only under conditions S3's requests do not meet (AWS's examples
condition it on the encryption context, which is the object's ARN unless the bucket uses an S3
Bucket Key), the finding says so and points at it.

S3 must also be able to assume the role: the rule reports the role argument, once per
configuration, when the role's trust policy is known and no Allow of sts:AssumeRole names the
service principal s3.amazonaws.com (or everyone); a role copied from another service's
(ec2.amazonaws.com) or from S3 Batch Operations' (batchoperations.s3.amazonaws.com) is the usual
case. A trust statement for S3 under conditions counts as letting it in. The other permissions AWS's examples list
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

Fix: let s3.amazonaws.com assume the role; allow the refused actions to the role, in its identity policy and, across accounts, in the
destination bucket's policy; for SSE-KMS objects, let the role use the keys (in their key policies,
or in its identity policy where the key policy delegates to the account).`,
	},
	Run: runS3L034,
}

func runS3L034(p *Pass) error {
	eng := p.Engine()
	var byARN map[string][]*graph.Principal
	trustReported := map[graph.Range]bool{}
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
		if trust := trustRefuses(role.Principal, replicationService); trust != nil && !trustReported[d.RoleARN.Range] {
			// Once per role argument: the rules of one configuration
			// share it.
			trustReported[d.RoleARN.Range] = true
			p.Report(trustFinding(d, role, trust))
		}
		// A rule that replicates SSE-KMS objects uses KMS keys too: its
		// reads decrypt with the source's key, its replicas are
		// encrypted with the replica key.
		var rk *policy.ReplicationKMS
		if d.KMSObjects {
			rk = &policy.ReplicationKMS{Key: d.Key, KeyRef: d.KeyRef.V, At: d.KeyRef.Range}
		}
		ask := func(action, resource string, kms bool) policy.Decision {
			req := policy.Request{Caller: role, Action: action, Resource: resource, NoKMS: true}
			if kms && rk != nil {
				req.NoKMS, req.Replication = false, rk
			}
			return eng.Decide(req)
		}
		type want struct {
			action, resource, or string
			kms                  bool // an SSE-KMS object's request uses a key
		}
		var wants []want
		if d.SourceARN.Known() {
			// Replication set up before GetObjectVersionForReplication
			// existed was granted s3:GetObjectVersion (AWS's first
			// examples); whether S3 still accepts it is not documented,
			// so either will do.
			wants = append(wants, want{"s3:GetObjectVersionForReplication", d.SourceARN.V + "/" + d.Prefix.V + "<key>", "s3:GetObjectVersion", true})
		}
		if dest, ok := replicaBucketARN(d); ok {
			obj := dest + "/" + d.Prefix.V + "<key>"
			wants = append(wants, want{"s3:ReplicateObject", obj, "", true})
			if d.DeleteMarkers {
				wants = append(wants, want{"s3:ReplicateDelete", obj, "", false})
			}
			if d.OwnerOverride {
				wants = append(wants, want{"s3:ObjectOwnerOverrideToBucketOwner", obj, "", false})
			}
		}
		var refused []refusal
		for _, w := range wants {
			dec := ask(w.action, w.resource, w.kms)
			if !dec.Outcome.Denied() {
				continue
			}
			// Refused by the key alone when the same request on an
			// object without KMS is not.
			byKey := w.kms && rk != nil && !ask(w.action, w.resource, false).Outcome.Denied()
			// s3:GetObjectVersion does not replicate SSE-KMS objects (AWS's
			// guide): no alternative where the source's objects are.
			orNote := ""
			if w.or != "" {
				alt := ask(w.or, w.resource, w.kms)
				kmsSource := w.kms && rk != nil && sourceUsesKMS(eng, d)
				switch {
				case !kmsSource:
					if !alt.Outcome.Denied() {
						continue
					}
				case byKey:
				case alt.Outcome == policy.Allow || !ask(w.or, w.resource, false).Outcome.Denied():
					orNote = " (" + w.or + ", which the role may have, does not replicate SSE-KMS objects)"
				}
			}
			// A key that refuses as well must be in the fix, or the next
			// scan finds it.
			keyToo := w.kms && rk != nil && !byKey && stepDenied(dec, policy.CheckKMS)
			refused = append(refused, refusal{dec, byKey, keyToo, orNote})
		}
		if len(refused) > 0 {
			p.Report(replicationFinding(eng, d, role, refused))
		}
	}
	return nil
}

// replicationService is the service principal that assumes a replication
// rule's role.
const replicationService = "s3.amazonaws.com"

// trustRefuses returns the trust policy of a role of the configuration when
// it certainly does not let service assume the role: no Allow of
// sts:AssumeRole names the service (or everyone), and every statement is
// known. It returns nil when the role or its trust policy is not known, or
// when a statement may let the service in (under conditions, say).
func trustRefuses(pr *graph.Principal, service string) *graph.Policy {
	if pr == nil || pr.Kind != graph.Role || pr.Trust == nil || pr.Trust.Doc == nil || pr.Trust.Undecided() {
		return nil
	}
	for _, st := range pr.Trust.Doc.Statements {
		if st.Unknown {
			return nil
		}
		if !st.IsAllow() {
			if !st.Effect.Known() {
				return nil
			}
			continue
		}
		if st.NotPrincipal != nil || st.Principal == nil || st.Principal.Unknown || st.NotAction.Present || !st.Action.AllKnown() {
			return nil
		}
		if !statementNames(st, "sts:AssumeRole") {
			continue
		}
		if st.Principal.Wildcard {
			return nil
		}
		for _, ent := range st.Principal.Entries {
			if ent.Unknown || !ent.Type.Known() {
				return nil
			}
			for _, v := range ent.Values {
				if !v.Known() {
					return nil
				}
				if ent.Type.V == "Service" && strings.EqualFold(v.V, service) || ent.Type.V == "AWS" && v.V == "*" {
					return nil
				}
			}
		}
	}
	return pr.Trust
}

// trustFinding words a replication rule whose role S3 may not assume.
func trustFinding(d *graph.Delivery, role policy.Caller, trust *graph.Policy) Finding {
	return Finding{
		Range:    d.RoleARN.Range,
		Resource: d.Address,
		Message: fmt.Sprintf("the replication rules of %s run as %s, whose trust policy does not let %s assume it (sts:AssumeRole): "+
			"S3 cannot act as the role, so no object is replicated (the objects' replication status becomes FAILED); "+
			"allow Principal {\"Service\": \"%s\"} the action sts:AssumeRole in the trust policy of %s",
			d.Address, role.Label(), replicationService, replicationService, role.Label()),
		Related: []Related{{Range: trust.DocRange, Message: "the trust policy of " + role.Label()}},
	}
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

// refusal is a refused request of a replication rule's role; byKey is set
// when only a KMS key refuses it (the request on an SSE-KMS object).
type refusal struct {
	dec   policy.Decision
	byKey bool
	// keyToo is set when a KMS key refuses it as well as a policy.
	keyToo bool
	// orNote says why an older action the role may have does not do.
	orNote string
}

// sourceUsesKMS reports whether the source bucket of a replication rule is
// known to encrypt with SSE-KMS by default.
func sourceUsesKMS(eng *policy.Engine, d *graph.Delivery) bool {
	b := eng.BucketOf(d.SourceARN.V)
	if b == nil || b.Encryption == nil {
		return false
	}
	isKMS, known := b.Encryption.UsesKMS()
	return isKMS && known
}

// replicationFinding words the refused requests of a replication rule.
func replicationFinding(eng *policy.Engine, d *graph.Delivery, role policy.Caller, refused []refusal) Finding {
	var needs, reasons []string
	acts := map[string][]string{} // the actions each reason refuses
	var decs, allow, exempt []policy.Decision
	var keyFixes []string
	var condStatements []*graph.Statement
	allByKey := true
	for _, rf := range refused {
		dec := rf.dec
		decs = append(decs, dec)
		needs = append(needs, dec.Request.Action+" on "+policy.Display(dec.Request.Resource))
		r := replicationRefusal(dec)
		switch {
		case rf.byKey:
		case dec.Outcome == policy.ExplicitDeny:
			exempt = append(exempt, dec)
		default:
			allow = append(allow, dec)
		}
		allByKey = allByKey && rf.byKey
		r += rf.orNote
		if rf.byKey || rf.keyToo {
			kc := replicationKeyCondition(eng, dec, d)
			keyWhy := replicationKeyRefusal(dec, kc)
			switch {
			case kc != nil:
				whose := "role's"
				if kc.inKey {
					whose = "key policy's"
				}
				keyFixes = append(keyFixes, "make the conditions of the "+whose+" statement at "+kc.st.Range.Short()+" hold for S3's requests")
				condStatements = append(condStatements, kc.st)
			case rf.byKey && dec.Fix != "":
				// The decision's fix is the key's when nothing else refuses.
				keyFixes = append(keyFixes, dec.Fix)
			default:
				keyFixes = append(keyFixes, "let "+role.Label()+" use "+keyOfRefusal(dec, d)+" for "+kmsActionOf(dec))
			}
			if rf.byKey {
				r = keyWhy
			} else {
				r += "; " + keyWhy
			}
		}
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
	fixes = append(fixes, distinct(keyFixes)...)
	fix := strings.Join(fixes, "; ")
	what := "the objects (their replication status becomes FAILED)"
	switch acts := actionsOf(decs); {
	case allByKey:
		what = "its SSE-KMS objects (their replication status becomes FAILED)"
	case len(acts) == 1 && acts[0] == "s3:ReplicateDelete":
		what = "delete markers: objects deleted in the source stay visible in the destination"
	}
	f := Finding{Range: d.BucketRef.Range, Resource: d.Address,
		Message: fmt.Sprintf("%s runs as %s, which needs %s, but %s, so S3 does not replicate %s; %s",
			d.What, role.Label(), list(needs), strings.Join(whys, "; "), what, fix)}
	related := Related{Range: d.Range, Message: "replication configuration " + d.Address}
	if role.Principal != nil {
		related = Related{Range: role.Principal.Range, Message: "role " + role.Principal.Address}
	}
	for _, st := range condStatements {
		f.Related = append(f.Related, Related{Range: st.Range, Message: "Allow whose conditions S3's requests do not meet"})
	}
	decidingRelated(&f, decs, related)
	return f
}

// keyCondition is a statement that would let the role use the key a
// refused request on an SSE-KMS object needs, but for conditions that do
// not hold (failing); inKey says it is in the key policy, else in the
// role's identity policies. Looked for only on the side the engine found
// refusing.
type keyCondition struct {
	st      *graph.Statement
	failing []graph.Condition
	inKey   bool
}

func replicationKeyCondition(eng *policy.Engine, dec policy.Decision, d *graph.Delivery) *keyCondition {
	k := d.Key
	if kmsActionOf(dec) == "kms:Decrypt" {
		k = nil
		if dec.Bucket != nil && dec.Bucket.Encryption != nil {
			k = dec.Bucket.Encryption.Key
		}
	}
	st := dec.Step(policy.CheckKMS)
	if st == nil || st.Status != policy.Denied {
		return nil
	}
	if st.KeyRefusal == "" {
		return nil // a Deny, or nothing the key policy or the role could change alone
	}
	inKey := st.KeyRefusal == policy.RefusedByKeyPolicy
	stmt, failing := conditionedKeyStatement(eng, dec.Request, []string{kmsActionOf(dec)}, k, inKey)
	if stmt == nil {
		return nil
	}
	return &keyCondition{stmt, failing, inKey}
}

// kmsActionOf is the KMS action a replication request on an SSE-KMS
// object needs.
func kmsActionOf(dec policy.Decision) string {
	if strings.EqualFold(dec.Request.Action, "s3:ReplicateObject") {
		return "kms:Encrypt"
	}
	return "kms:Decrypt"
}

// keyOfRefusal names the key a refused replication request uses.
func keyOfRefusal(dec policy.Decision, d *graph.Delivery) string {
	if kmsActionOf(dec) == "kms:Encrypt" {
		if d.Key != nil {
			return d.Key.Address
		}
		return "the replica key"
	}
	if b := dec.Bucket; b != nil && b.Encryption != nil && b.Encryption.Key != nil {
		return b.Encryption.Key.Address
	}
	return "the source bucket's key"
}

// replicationKeyRefusal words why a KMS key refuses a request of the role
// on SSE-KMS objects, with %s standing for the refused actions.
func replicationKeyRefusal(dec policy.Decision, kc *keyCondition) string {
	need := "kms:Decrypt on the source bucket's key"
	if kmsActionOf(dec) == "kms:Encrypt" {
		need = "kms:Encrypt on the replica key"
	}
	if kc != nil {
		who := "the role's identity policy allows"
		if kc.inKey {
			who = "its key policy allows the role"
		}
		return "for SSE-KMS objects %s also needs " + need + ", which " + who + " only under conditions that S3's requests do not meet" +
			conditionNote(kc.failing, dec.Bucket)
	}
	why := "the key refuses it"
	if st := dec.Step(policy.CheckKMS); st != nil {
		if _, detail, ok := strings.Cut(st.Detail, "): "); ok {
			why = detail
		}
	}
	return "for SSE-KMS objects %s also needs " + need + ", and " + why
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
