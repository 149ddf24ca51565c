package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L080 finds principals granted reads or writes on an SSE-KMS bucket that
// cannot use the bucket's key.
var S3L080 = &Def{
	M: Meta{
		ID:        "S3L080",
		Name:      "kms-key-policy-missing-grant",
		Title:     "a principal granted S3 reads or writes cannot use the bucket's KMS key",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"kms", "encryption", "key-policy", "iam"},
		Doc: `On a bucket whose default encryption is SSE-KMS with a customer-managed key, reading an object
needs ` + "`kms:Decrypt`" + ` on the key and writing one needs ` + "`kms:GenerateDataKey`" + `, on top of
` + "`s3:GetObject`" + ` / ` + "`s3:PutObject`" + `. The key policy is the gate: it must allow the caller itself, or
delegate to the caller's account (a statement for ` + "`arn:aws:iam::ACCOUNT:root`" + `, as AWS's default
key policy has), in which case the caller's IAM policies must allow the KMS action too. When
neither holds, the S3 grant is useless: the request gets 403 Access Denied (with a KMS error
message) although every S3 policy allows it.

The rule asks the engine about every read and write that a policy of the configuration means to
grant a role or user on such a bucket (see "Requests worth asking" in docs/engine.md). It reports
when the engine denies the request at the KMS key while the S3 side — identity policies, bucket
policy, Block Public Access, accounts — allows it, at the side that must change:

- **the key policy**, when it neither allows the caller the KMS action nor allows it to the
  caller's account;
- **the S3 grant**, when the key policy delegates to the caller's account (the default key policy
  does) but no identity policy of the caller allows the KMS action on the key — the fix goes into
  the caller's identity policy, which is listed as related when it is another one; for a caller
  in another account this is the case where the key policy admits that account. When the
  caller's policies allow the KMS action on *another* key of the configuration only (a role given
  ` + "`kms:Decrypt`" + ` on the logs key while the bucket encrypts with the reports key), the finding
  names that statement and what it names instead: another key, an alias (an alias's ARN in an
  identity policy's Resource grants nothing on its key), or the key's ID in another region. AWS
  gives every key an ID of its own at creation, so two keys one configuration creates never
  share an ARN, even though neither ID is known before deployment. A key ARN built from a key's
  ID is its ARN: in Terraform from ` + "`key_id`" + ` or ` + "`id`" + ` with the provider's region and
  account (and an alias's ` + "`target_key_arn`" + `), in templates from ` + "`!Ref Key`" + ` or ` + "`!GetAtt Key.KeyId`" + `, as in
  ` + "`!Sub \"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}\"`" + ` (and
  SAM's ` + "`KMSDecryptPolicy`" + `, which builds that ARN from ` + "`KeyId: !Ref Key`" + `, or the same
  parts joined with ` + "`Fn::Join`" + `) with the stack's own region and account;
- **the Deny**, when a Deny in the key policy refuses the KMS action (a Deny in the caller's
  identity policy is S3L060's).

A caller of another account that the key policy does not admit is S3L081's. The rule stays
silent when the key is not in the configuration (its policy is unknown), for the AWS-managed
` + "`aws/s3`" + ` key (within its account it always works; S3L022 covers other accounts), for SSE-S3
buckets, when the S3 side itself denies the request, when a statement about the KMS action tests
` + "`aws:ViaAWSService`" + ` or ` + "`aws:CalledVia`" + ` (S3 calls KMS on the caller's behalf, so those keys differ
from the S3 request's), and when the decision depends on values not known before deployment —
for example a key policy statement conditioned on ` + "`kms:ViaService`" + ` for a region the
configuration does not fix, or accounts that are not known. Objects are assumed to be encrypted
with the bucket's default key. S3 calls KMS from the bucket's region, so where that region is
known (the bucket's provider, or its own ` + "`region`" + ` argument) a ` + "`kms:ViaService`" + ` condition is
compared with ` + "`s3.REGION.amazonaws.com`" + `; where a statement names the caller and the action but
its conditions do not hold for S3's requests (another region, an encryption context S3 does not
send), the finding says so and points at it.

Bad:

` + "```hcl" + `
resource "aws_kms_key" "data" {}          # default key policy: delegates to the account

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]   # no kms:Decrypt / kms:GenerateDataKey
      Resource = "${aws_s3_bucket.data.arn}/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "${aws_s3_bucket.data.arn}/*"
    }, {
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = aws_kms_key.data.arn
    }]
` + "```" + `

Fix: allow the KMS actions on the key's ARN in an identity policy of the caller when the key
policy delegates to the account; otherwise add a statement to the key policy that allows the
caller (or its account, ` + "`arn:aws:iam::ACCOUNT:root`" + `, which then delegates to its IAM policies)
` + "`kms:Decrypt`" + ` and ` + "`kms:GenerateDataKey`" + `; or narrow the Deny that refuses them.`,
	},
	Run: runS3L080,
}

// kmsSide is the side of a KMS failure that must change.
type kmsSide uint8

const (
	// kmsKeySide: the key policy neither allows the caller nor admits its
	// account.
	kmsKeySide kmsSide = iota
	// kmsIdentitySide: the key policy admits the caller's account, whose
	// IAM policies do not allow the KMS action.
	kmsIdentitySide
	// kmsDenySide: a Deny in the key policy refuses the KMS action.
	kmsDenySide
)

// kmsGap is an intended S3 read or write that the bucket's KMS key refuses
// while the S3 side allows it.
type kmsGap struct {
	in    *policy.Intent
	b     *graph.Bucket
	enc   *graph.Encryption
	key   *graph.Key
	side  kmsSide
	cross bool   // the caller is known to be in another account than the key
	perm  string // the KMS action the request needs
	deny  policy.Ref
	// idAllows: an identity policy of the caller allows the KMS action.
	idAllows bool
	// keyMaybe: the key policy may admit the caller's account (it names an
	// account that may be the caller's, which is not known).
	keyMaybe bool
}

// kmsPermFor is the KMS action an S3 request needs on an SSE-KMS bucket
// (reads decrypt, writes generate a data key), or "".
func kmsPermFor(action string) string {
	switch strings.ToLower(action) {
	case "s3:getobject", "s3:getobjectversion":
		return "kms:Decrypt"
	case "s3:putobject":
		return "kms:GenerateDataKey"
	}
	return ""
}

// kmsGaps asks the engine about every intended read and write of a role or
// user on a bucket encrypted with a customer-managed key of the graph, and
// returns those the key alone refuses.
func kmsGaps(p *Pass, wholeAccounts bool) []kmsGap {
	e := p.Engine()
	var out []kmsGap
	own := e.Intents()
	for i := range own {
		in := &own[i]
		c := in.Request.Caller
		if c.Principal == nil || (c.Kind != policy.CallerRole && c.Kind != policy.CallerUser) {
			continue
		}
		perm := kmsIntentPerm(in)
		if perm == "" || e.IntentOutcome(in) == policy.Allow {
			continue
		}
		if g, ok := kmsGapOf(in, e.DecideIntent(in), perm); ok {
			out = append(out, g)
		}
	}
	if !wholeAccounts {
		return out
	}
	// A bucket policy's grant to another account as a whole, which the
	// engine's intents leave out (so it is decided here), counts when no
	// principal of that account could use the key: only the key policy,
	// across accounts, is then to blame.
	accounts := e.AccountIntents()
	for i := range accounts {
		in := &accounts[i]
		c := in.Request.Caller
		if c.Kind != policy.CallerRoot || !c.Account.IsID() || in.Policy == nil || in.Policy.Kind != graph.BucketPolicy {
			continue
		}
		perm := kmsIntentPerm(in)
		if perm == "" {
			continue
		}
		if g, ok := kmsGapOf(in, e.Decide(in.Request), perm); ok && g.side == kmsKeySide && g.cross && !keyMayAdmit(g.key, c.Account) {
			out = append(out, g)
		}
	}
	return out
}

// kmsIntentPerm is the KMS action an intended request needs on a bucket
// encrypted with a customer-managed key of the graph, or "".
func kmsIntentPerm(in *policy.Intent) string {
	if in.Bucket == nil {
		return ""
	}
	enc := in.Bucket.Encryption
	if kms, known := enc.UsesKMS(); !kms || !known || enc.Key == nil {
		return ""
	}
	return kmsPermFor(in.Request.Action)
}

// keyMayAdmit reports whether some principal of an account may be let use
// a key: an Allow of its key policy names the account, a principal of it,
// everyone, or something not known; a grant of the key may name one; or
// the key has no policy in the configuration.
func keyMayAdmit(k *graph.Key, acct graph.Account) bool {
	if k.Policy == nil || k.Policy.Doc == nil || len(k.Grants) > 0 {
		return true
	}
	for _, st := range k.Policy.Doc.Statements {
		if st.Unknown || st.NotPrincipal != nil || !st.IsAllow() && !st.IsDeny() {
			return true
		}
		if st.IsDeny() {
			continue
		}
		if st.Principal == nil || st.Principal.Unknown || st.Principal.Wildcard {
			return true
		}
		for _, e := range st.Principal.Entries {
			if e.Unknown {
				return true
			}
			if !e.Type.Is("AWS") {
				continue
			}
			for _, v := range e.Values {
				if !v.Known() || v.V == "*" || strings.Contains(v.V, string(acct)) || graph.HasSymbol(v.V) {
					return true
				}
			}
		}
	}
	return false
}

// kmsGapOf decides whether a decision is denied by the KMS key alone, and
// which side must change.
func kmsGapOf(in *policy.Intent, d policy.Decision, perm string) (kmsGap, bool) {
	g := kmsGap{in: in, b: in.Bucket, enc: in.Bucket.Encryption, key: in.Bucket.Encryption.Key, perm: perm}
	if !d.Outcome.Denied() {
		return g, false
	}
	if s := d.Step(policy.CheckKMS); s == nil || s.Status != policy.Denied {
		return g, false
	}
	if s := d.Step(policy.CheckAccounts); s == nil || s.Status != policy.Allowed {
		return g, false
	}
	for _, chk := range []string{policy.CheckMFA, policy.CheckEndpoint, policy.CheckBPA} {
		if s := d.Step(chk); s != nil && s.Status == policy.Denied {
			return g, false
		}
	}
	if kmsViaServiceTested(in.Request.Caller.Principal, g.key, perm) {
		return g, false
	}
	action := in.Request.Action
	found := false
	for _, r := range d.Denies {
		if r.Match.T == policy.No {
			continue
		}
		if !kmsRef(r, action) {
			// A Deny on the S3 side applies or may apply: not the
			// key's doing.
			return g, false
		}
		if r.Match.T == policy.Yes && !found {
			g.deny, found = r, true
		}
	}
	keyAdmits := false
	keyARN := policy.KeyARNOf(g.key)
	for _, r := range d.Allows {
		switch {
		case r.Match.T == policy.Maybe && r.Policy.Kind == graph.KeyPolicy:
			g.keyMaybe = true
		case r.Match.T != policy.Yes:
		case r.Policy.Kind == graph.KeyPolicy:
			keyAdmits = true
		case r.Policy.Kind == graph.IdentityPolicy && r.Statement != nil && kmsStatementNames(r.Statement, perm) && kmsStatementCovers(r.Statement, keyARN):
			g.idAllows = true
		}
	}
	c := in.Request.Caller
	if same, known := c.Account.SameAs(g.key.Account); known && !same {
		g.cross = true
	}
	switch {
	case found && g.deny.Policy.Kind != graph.KeyPolicy:
		// An identity policy Deny of the KMS action: S3L060 reports
		// Denies that cancel grants.
		return g, false
	case found:
		g.side = kmsDenySide
	case d.Outcome == policy.ExplicitDeny:
		return g, false
	case !keyAdmits && !g.keyMaybe:
		g.side = kmsKeySide
	case !keyAdmits && g.idAllows:
		// The key policy may not admit the account, which the identity
		// policies cannot make up for: not known to be a gap.
		return g, false
	case !g.idAllows:
		g.side = kmsIdentitySide
	default:
		// The key policy and the identity policies both allow: a
		// permissions boundary or something subtler refuses.
		return g, false
	}
	return g, true
}

// kmsViaServiceTested reports whether a statement of the key policy or of
// the caller's identity policies that may name the KMS action tests
// whether a service calls on the caller's behalf (aws:ViaAWSService,
// aws:CalledVia…). S3 calls KMS with the caller's credentials on its
// behalf, so those keys differ between the S3 request and the KMS request,
// and the engine decides the KMS request with the S3 request's values: the
// rule stays silent rather than trust them.
func kmsViaServiceTested(pr *graph.Principal, k *graph.Key, perm string) bool {
	pols := []*graph.Policy{k.Policy}
	if pr != nil {
		pols = append(pols, pr.Policies...)
		for _, gr := range pr.Groups {
			pols = append(pols, gr.Policies...)
		}
		pols = append(pols, pr.Boundary)
	}
	for _, pol := range pols {
		if pol == nil || pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if st.Unknown || !kmsStatementNames(st, perm) {
				continue
			}
			for _, c := range st.Conditions {
				if !c.Key.Known() {
					return true
				}
				switch strings.ToLower(c.Key.V) {
				case "aws:viaawsservice", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast":
					return true
				}
			}
		}
	}
	return false
}

// kmsRef tells a Deny the engine met while checking the KMS key (one in the
// key policy, or an identity Deny that does not name the S3 action) from
// one on the S3 side. Unknown statements count as the S3 side.
func kmsRef(r policy.Ref, s3action string) bool {
	if r.Policy.Kind == graph.KeyPolicy {
		return true
	}
	if r.Statement == nil || r.Policy.Kind != graph.IdentityPolicy {
		return false
	}
	return !kmsStatementNames(r.Statement, s3action)
}

// kmsStatementNames reports whether a statement's Action (or NotAction)
// may name an action; unknown items may.
func kmsStatementNames(st *graph.Statement, action string) bool {
	el, negate := st.Action, false
	if !el.Present {
		el, negate = st.NotAction, true
	}
	if !el.Present || el.Unknown {
		return true
	}
	hit := false
	for _, it := range el.Items {
		if !it.Known() || policy.MatchAction(it.V, action) {
			hit = true
			break
		}
	}
	return hit != negate
}

// kmsStatementCovers reports whether a statement's Resource element may
// name the key's ARN; unknown items may.
func kmsStatementCovers(st *graph.Statement, keyARN string) bool {
	el, negate := st.Resource, false
	if !el.Present {
		el, negate = st.NotResource, true
	}
	if !el.Present || el.Unknown {
		return true
	}
	hit := false
	for _, it := range el.Items {
		if !it.Known() || it.V == "*" || policy.MatchResource(it.V, keyARN) {
			hit = true
			break
		}
	}
	return hit != negate
}

// kmsKeyPlace is where the key policy is, or the key when it has AWS's
// default policy.
func kmsKeyPlace(k *graph.Key) (graph.Range, bool) {
	if k.Policy != nil && !k.Policy.DocRange.IsZero() {
		return k.Policy.DocRange, false
	}
	return k.Range, true
}

// kmsGroup gathers the gaps reported at one place for one caller.
type kmsGroup struct {
	at      graph.Range
	first   kmsGap
	s3acts  []string
	perms   []string
	buckets []string
	grants  []kmsGrant
	encs    []*graph.Encryption
	encOf   map[*graph.Encryption]string
}

type kmsGrant struct {
	at  graph.Range
	msg string
}

// kmsGroups groups gaps by place and caller, in the order found: place
// gives where a gap is reported and the group it falls in (gaps of one
// group are reported once, at the place of the first).
func kmsGroups(gaps []kmsGap, place func(kmsGap) (at graph.Range, group string)) []*kmsGroup {
	idx := map[string]*kmsGroup{}
	var out []*kmsGroup
	for _, g := range gaps {
		r, group := place(g)
		k := group + "|" + g.in.Request.Caller.Key() + "|" + g.key.Address + "@" + g.key.Root
		grp := idx[k]
		if grp == nil {
			grp = &kmsGroup{at: r, first: g, encOf: map[*graph.Encryption]string{}}
			idx[k] = grp
			out = append(out, grp)
		}
		grp.s3acts = kmsAppendNew(grp.s3acts, g.in.Request.Action)
		grp.perms = kmsAppendNew(grp.perms, g.perm)
		name := bucketLabel(g.b)
		grp.buckets = kmsAppendNew(grp.buckets, name)
		grp.grants = append(grp.grants, kmsGrant{at: intentRange(g.in),
			msg: fmt.Sprintf("%s is granted %s on %s here", g.in.Request.Caller.Label(), g.in.Request.Action, name)})
		if _, ok := grp.encOf[g.enc]; !ok {
			grp.encOf[g.enc] = name
			grp.encs = append(grp.encs, g.enc)
		}
	}
	return out
}

func kmsAppendNew(ss []string, s string) []string {
	for _, o := range ss {
		if o == s {
			return ss
		}
	}
	return append(ss, s)
}

// related lists the grants (when asked) and the buckets' encryption
// settings.
func (grp *kmsGroup) related(f *Finding, grants bool) {
	seen := map[string]bool{}
	add := func(r graph.Range, m string) {
		k := r.String() + "|" + m
		if r.IsZero() || seen[k] {
			return
		}
		seen[k] = true
		f.Related = append(f.Related, Related{Range: r, Message: m})
	}
	if grants {
		for _, gr := range grp.grants {
			add(gr.at, gr.msg)
		}
	}
	for _, enc := range grp.encs {
		add(enc.Range, fmt.Sprintf("%s encrypts new objects with %s here (SSE-KMS)", grp.encOf[enc], grp.first.key.Address))
	}
}

// they and them agree with the group's requests.
func (grp *kmsGroup) they() string {
	if len(grp.s3acts) > 1 {
		return "the requests get"
	}
	return "the request gets"
}

func (grp *kmsGroup) them() string {
	if len(grp.s3acts) > 1 {
		return "them"
	}
	return "it"
}

// words of a group for messages.
func (grp *kmsGroup) words() (who, acts, perms, buckets string) {
	bw := "bucket "
	if len(grp.buckets) > 1 {
		bw = "buckets "
	}
	return grp.first.in.Request.Caller.Label(), list(grp.s3acts), list(grp.perms), bw + list(grp.buckets)
}

// kmsCallerARN names the caller's ARN for a key policy statement, when it
// holds no symbol.
func kmsCallerARN(c policy.Caller) string {
	if c.ARN == "" || graph.HasSymbol(c.ARN) {
		return ""
	}
	return c.ARN
}

// kmsAccountRoot is the account principal to delegate to, as the caller's
// format writes it when the account is not a literal ID.
func kmsAccountRoot(c policy.Caller) string {
	switch {
	case c.Account.IsID():
		return "arn:aws:iam::" + string(c.Account) + ":root"
	case c.Principal != nil && c.Principal.Format == graph.CloudFormation:
		return "!Sub arn:aws:iam::${AWS::AccountId}:root"
	}
	return "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
}

func runS3L080(p *Pass) error {
	var gaps []kmsGap
	for _, g := range kmsGaps(p, false) {
		if g.side == kmsKeySide && g.cross {
			continue // S3L081
		}
		gaps = append(gaps, g)
	}
	place := func(g kmsGap) (graph.Range, string) {
		switch g.side {
		case kmsDenySide:
			r := g.deny.Range()
			if st := g.deny.Statement; st != nil && st.Action.Present && !st.Action.Range.IsZero() {
				r = st.Action.Range
			}
			return r, g.deny.Range().String()
		case kmsKeySide:
			r, _ := kmsKeyPlace(g.key)
			return r, r.String()
		}
		// One finding per statement that grants the S3 actions.
		return intentRange(g.in), g.in.Statement.Range.String()
	}
	for _, grp := range kmsGroups(gaps, place) {
		p.Report(kmsFinding080(p.Graph, p.Engine(), grp))
	}
	return nil
}

func kmsFinding080(gr *graph.Graph, eng *policy.Engine, grp *kmsGroup) Finding {
	g := grp.first
	k := g.key
	c := g.in.Request.Caller
	who, acts, perms, buckets := grp.words()
	f := Finding{Range: grp.at}
	keyAt, dflt := kmsKeyPlace(k)
	switch g.side {
	case kmsKeySide:
		f.Resource = k.Address
		target := who
		if arn := kmsCallerARN(c); arn != "" {
			target = who + " (" + arn + ")"
		}
		f.Message = fmt.Sprintf("the key policy of %s neither allows %s %s nor delegates it to the account's IAM policies, "+
			"so %s, which is granted %s on %s (SSE-KMS with this key), gets 403 Access Denied from KMS although S3 allows "+grp.them()+"; "+
			"allow %s %s in this key policy, or allow it to the account (Principal %s) here and on the key in an identity policy of %s",
			k.Address, who, perms, who, acts, buckets, target, perms, kmsAccountRoot(c), who)
		if st, failing := conditionedKeyStatement(eng, g.in.Request, grp.perms, k, true); st != nil {
			f.Message = fmt.Sprintf("the key policy of %s allows %s %s only under conditions that S3's requests do not meet%s, "+
				"so %s, which is granted %s on %s (SSE-KMS with this key), gets 403 Access Denied from KMS although S3 allows "+grp.them()+"; "+
				"make the conditions of the statement at %s hold for S3's requests",
				k.Address, who, perms, conditionNote(failing, g.b), who, acts, buckets, st.Range.Short())
			f.Related = append(f.Related, Related{Range: st.Range, Message: "Allow whose conditions S3's requests do not meet"})
		}
		grp.related(&f, true)
	case kmsIdentitySide:
		f.Resource = g.in.Policy.Address
		how := "the key policy of " + k.Address + " delegates to the account's IAM policies"
		if dflt {
			how = k.Address + " has no key policy, and AWS's default one delegates to the account's IAM policies"
		}
		if g.cross {
			how = "the key policy of " + k.Address + " admits the account " + string(c.Account) + ", and using a key of another account needs the caller's own Allow too"
		}
		if g.keyMaybe {
			how = "the key policy of " + k.Address + " delegates to the IAM policies of an account that may be " + who + "'s (which account " + who +
				" is in is not known before deployment), and if it is not, the key policy must allow " + who + " too"
		}
		f.Message = fmt.Sprintf("%s is granted %s on %s, which encrypts with the KMS key %s (SSE-KMS), but no identity policy of %s allows %s on that key: "+
			"%s, so "+grp.they()+" 403 Access Denied from KMS although S3 allows "+grp.them()+"; "+
			"allow %s on the key's ARN in an identity policy of %s",
			who, acts, buckets, k.Address, who, perms, how, perms, who)
		var other *graph.Statement
		var keys []string
		var aliases bool
		if conditioned, failing := conditionedKeyStatement(eng, g.in.Request, grp.perms, k, false); conditioned != nil {
			// An Allow that names the key but whose conditions S3's
			// requests do not meet: "no identity policy allows" would
			// send the reader looking for a statement that is there.
			f.Message = fmt.Sprintf("%s is granted %s on %s, which encrypts with the KMS key %s (SSE-KMS), but the identity policies of %s allow %s on that key "+
				"only under conditions that S3's requests do not meet%s: %s, so "+grp.they()+" 403 Access Denied from KMS although S3 allows "+grp.them()+"; "+
				"make the conditions of the statement at %s hold for S3's requests",
				who, acts, buckets, k.Address, who, perms, conditionNote(failing, g.b), how, conditioned.Range.Short())
			f.Related = append(f.Related, Related{Range: conditioned.Range, Message: "Allow whose conditions S3's requests do not meet"})
		} else if other, keys, aliases = otherKeyStatement(gr, c.Principal, grp.perms, k); other != nil {
			// The caller is granted the permission on another key: say
			// which statement to change, not only that one is missing.
			instead := "add the ARN of " + k.Address + " to the Resource of the statement at " + other.Range.Short()
			if aliases {
				instead = "an alias's ARN in an identity policy's Resource grants nothing on the key it points to: name the ARN of " +
					k.Address + " in the statement at " + other.Range.Short() + " (or grant by alias with a kms:ResourceAliases condition)"
			}
			f.Message = fmt.Sprintf("%s is granted %s on %s, which encrypts with the KMS key %s (SSE-KMS), but the identity policies of %s allow %s "+
				"on %s only, not on the key's own ARN: %s, so "+grp.they()+" 403 Access Denied from KMS although S3 allows "+grp.them()+"; %s",
				who, acts, buckets, k.Address, who, perms, list(keys), how, instead)
			f.Related = append(f.Related, Related{Range: other.Resource.Range, Message: fmt.Sprintf("Allow of %s on %s, not on %s", perms, list(keys), k.Address)})
		}
		switch {
		case dflt:
			f.Related = append(f.Related, Related{Range: keyAt, Message: k.Address + " has no key policy: AWS's default one delegates to the account's IAM policies"})
		case g.cross:
			f.Related = append(f.Related, Related{Range: keyAt, Message: "the key policy of " + k.Address + " admits the account " + string(c.Account)})
		default:
			f.Related = append(f.Related, Related{Range: keyAt, Message: "the key policy of " + k.Address + " delegates to the account's IAM policies"})
		}
		if pr := c.Principal; pr != nil && other == nil {
			added := false
			for _, pol := range pr.Policies {
				if pol.Kind == graph.IdentityPolicy && !pol.DocRange.IsZero() && pol != g.in.Policy {
					f.Related = append(f.Related, Related{Range: pol.DocRange, Message: fmt.Sprintf("identity policy %s of %s: %s on %s can be allowed here", pol.Address, who, perms, k.Address)})
					added = true
					break
				}
			}
			if !added && g.in.Policy.Kind != graph.IdentityPolicy && !pr.Range.IsZero() {
				f.Related = append(f.Related, Related{Range: pr.Range, Message: who + " has no identity policy that allows " + perms + " on " + k.Address})
			}
		}
		grp.related(&f, false)
	case kmsDenySide:
		f.Resource = g.deny.Policy.Address
		f.Message = fmt.Sprintf("this Deny in the %s %s refuses %s on %s to %s, which is granted %s on %s (SSE-KMS with that key), "+
			"so "+grp.they()+" 403 Access Denied (explicit deny) although S3 allows "+grp.them()+"; narrow the Deny (exempt %s) or remove it",
			g.deny.Policy.Kind, g.deny.Policy.Address, perms, k.Address, who, acts, buckets, who)
		grp.related(&f, true)
	}
	return f
}
