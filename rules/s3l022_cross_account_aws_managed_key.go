package rules

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L022 finds buckets encrypted with the AWS-managed aws/s3 key that are
// shared with other accounts.
var S3L022 = &Def{
	M: Meta{
		ID:        "S3L022",
		Name:      "cross-account-aws-managed-key",
		Title:     "bucket shared with other accounts encrypts with the AWS-managed aws/s3 key",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"kms", "encryption", "bucket-policy", "cross-account"},
		Doc: `SSE-KMS without a key ID (` + "`sse_algorithm = \"aws:kms\"`" + ` and no ` + "`kms_master_key_id`" + `,
` + "`SSEAlgorithm: aws:kms`" + ` and no ` + "`KMSMasterKeyID`" + `) or with the alias ` + "`aws/s3`" + ` encrypts every object
with the AWS-managed key aws/s3 of the bucket's account. Its key policy lets principals of that
account use it through S3, and it cannot be edited: no other account can ever be allowed to use
it. So when the bucket is shared with another account, that account's reads (kms:Decrypt) and
writes (kms:GenerateDataKey) get 403 Access Denied whatever the bucket policy and the caller's IAM
policies say.

The rule reports the encryption setting (the key ID when it names aws/s3, otherwise the
algorithm) of a bucket that uses aws/s3 when the configuration shares it with another account:
a bucket policy Allow of object reads or writes (s3:GetObject, s3:GetObjectVersion,
s3:PutObject, by name or wildcard) to an account, role or user that is known to be in another
account, or to everyone in an organization (` + "`Principal: \"*\"`" + ` with StringEquals
aws:PrincipalOrgID, a grant whose purpose is the organization's other accounts), and that no Deny
takes back; or an identity policy of a role or user of the
configuration in another known account that grants such reads or writes on the bucket, named
without a wildcard in the bucket name (the
message then says when the bucket policy does not let it in either). Related locations point at
each cross-account grant.

Accounts are known from provider configurations (` + "`allowed_account_ids`" + ` naming one account,
an ` + "`assume_role`" + ` ARN) and literal ARNs. A CloudFormation template does not say which account it
is deployed to, nor does a provider without ` + "`allowed_account_ids`" + `, but literal account IDs give
the evidence: a ` + "`KMSMasterKeyID`" + ` that is the ARN of the aws/s3 alias names the bucket's account,
and a policy that shares the bucket with two different literal accounts (also when one
` + "`formatlist`" + ` writes them) shares it with at least one other account (the message says so).

Bad:

` + "```hcl" + `
provider "aws" {
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"        # no key: aws/s3, which 222222222222 can never use
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:root" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.reports.arn}/*"
    }]
  })
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_kms_key" "reports" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111111111111:root" },
        Action = "kms:*", Resource = "*" },
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::222222222222:root" },
        Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*" },
    ]
  })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.reports.arn
    }
  }
}
` + "```" + `

Fix: encrypt the bucket with a customer-managed KMS key whose key policy allows the other
accounts kms:Decrypt (to read) and kms:GenerateDataKey (to write) — their principals need the same
permissions on the key in their IAM policies — or with SSE-S3 (` + "`AES256`" + `) if KMS is not
required. Objects already written keep the key they were written with: copy them over themselves
after the change.

The rule stays silent when the bucket's account and the other account are not both known, or
may be the same (a provider without ` + "`allowed_account_ids`" + `, ` + "`AWS::AccountId`" + `, a variable
without a value), for grants of listing or other bucket-level actions (they do not use the key),
for a grant that a Deny takes back, for a bucket policy that Block Public Access rejects (S3L040),
for buckets whose key is a customer-managed key (whether its key policy admits the other
account is for S3L080 and S3L081) or whose encryption is not known, and for grants to Elastic Load
Balancing's log-delivery accounts: access logs support SSE-S3 only, which S3L082 says.`,
	},
	Run: runS3L022,
}

// xacctShare is a grant of object reads or writes on a bucket to a caller
// of another account.
type xacctShare struct {
	caller  policy.Caller
	actions []string
	at      graph.Range // the principal entry or the identity grant
	// identity: the grant is an identity policy's; bucketToo says whether
	// the bucket policy lets it in.
	identity, bucketToo bool
	policy              *graph.Policy
	when                []string
	// certain: the caller's account is known to differ from the bucket's.
	certain bool
	// org is set for a grant to everyone in an organization
	// (aws:PrincipalOrgID): its other accounts.
	org string
}

// xacctKeyActions are the object actions that use the bucket's KMS key.
var xacctKeyActions = []string{"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}

func runS3L022(p *Pass) error {
	e := p.Engine()
	for _, b := range p.Graph.Buckets {
		enc := b.Encryption
		if enc == nil || !enc.AWSManagedKey() {
			continue
		}
		owner := b.Account
		if acct := awsKeyOwner(b); acct != "" {
			owner = acct
		}
		shares := bucketShares(p, e, b, owner)
		shares = append(shares, identityShares(e, b)...)
		// Elastic Load Balancing's log-delivery accounts write access logs,
		// which support SSE-S3 only: no key helps them (S3L082).
		shares = slices.DeleteFunc(shares, func(s xacctShare) bool { return graph.ELBRegion(string(s.caller.Account)) != "" })
		var certain, maybe []xacctShare
		ids := map[graph.Account]bool{}
		for _, s := range shares {
			if s.certain {
				certain = append(certain, s)
			} else {
				maybe = append(maybe, s)
				ids[s.caller.Account] = true
			}
		}
		switch {
		case len(certain) > 0:
			p.Report(awsManagedKeyFinding(b, certain, true))
		case len(ids) >= 2:
			// Two different accounts: at most one owns the bucket.
			p.Report(awsManagedKeyFinding(b, maybe, false))
		}
	}
	return nil
}

// bucketShares lists the bucket policy grants of object reads or writes to
// callers that may be in another account: certainly (known accounts), or
// perhaps (a literal account ID while the bucket's account is not known).
// A grant that a Deny takes back, or that the engine does not find the
// bucket policy allowing, is no share.
func bucketShares(p *Pass, e *policy.Engine, b *graph.Bucket, owner graph.Account) []xacctShare {
	byARN := principalsByARN(p.Graph)
	arn := policy.BucketARNOf(b)
	var out []xacctShare
	// One entry per principal and place: a formatlist writes several
	// accounts at one range.
	type entryKey struct {
		at     graph.Range
		caller string
	}
	at := map[entryKey]int{}
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if st.Unknown || !st.IsAllow() || st.Principal == nil || st.Principal.Unknown {
				continue
			}
			var acts []string
			for _, a := range xacctKeyActions {
				if statementNames(st, a) && (a != "s3:GetObjectVersion" || len(acts) == 0 || acts[0] != "s3:GetObject") {
					acts = append(acts, a)
				}
			}
			object := objectARNIn(st, arn)
			if len(acts) == 0 || object == "" {
				continue
			}
			if everyone(st.Principal) {
				// Everyone in an organization: the grant is there for the
				// organization's other accounts.
				if org, at, ok := organizationOf(st); ok {
					if s, ok := orgShareOf(e, org, pol, object, acts); ok {
						s.at, s.policy, s.when = at, pol, appendWhen(nil, pol)
						out = append(out, s)
					}
				}
				continue
			}
			for _, ent := range st.Principal.Entries {
				if !ent.Type.Is("AWS") || ent.Unknown {
					continue
				}
				for _, v := range ent.Values {
					if !v.Known() {
						continue
					}
					c, ok := callerOf(v.V, byARN)
					if !ok || !c.Account.Known() {
						continue
					}
					s, ok := shareOf(e, b, owner, c, pol, object, acts)
					if !ok {
						continue
					}
					k := entryKey{v.Range, c.Key()}
					if i, dup := at[k]; dup {
						out[i].actions = mergeDistinct(out[i].actions, s.actions)
						out[i].when = appendWhen(out[i].when, pol)
						continue
					}
					s.at, s.policy = v.Range, pol
					s.when = appendWhen(nil, pol)
					at[k] = len(out)
					out = append(out, s)
				}
			}
		}
	}
	// A principal entry that every alternative of a template policy has
	// is in place whatever the conditions.
	alternatives := map[string]int{}
	for _, pol := range b.Policies {
		if pol.Variant != nil {
			alternatives[pol.Variant.Group]++
		}
	}
	for i := range out {
		if v := out[i].policy.Variant; v == nil || len(out[i].when) >= alternatives[v.Group] {
			out[i].when = nil
		}
	}
	return out
}

// organizationOf returns the organization a statement limits its callers
// to: a StringEquals aws:PrincipalOrgID with one literal ID, and where.
func organizationOf(st *graph.Statement) (string, graph.Range, bool) {
	for _, c := range st.Conditions {
		if c.Unknown || !c.Operator.Known() || !c.Key.Known() || !strings.EqualFold(c.Key.V, "aws:PrincipalOrgID") {
			continue
		}
		op := strings.ToLower(c.Operator.V)
		if (op != "stringequals" && op != "foranyvalue:stringequals") || len(c.Values) != 1 || !c.Values[0].Known() ||
			!strings.HasPrefix(c.Values[0].V, "o-") {
			continue
		}
		return c.Values[0].V, c.Range, true
	}
	return "", graph.Range{}, false
}

// orgShareOf decides whether a grant to everyone in an organization shares
// the bucket's objects: the bucket policy allows a caller of the
// organization, in an account of its own, and no Deny takes it back.
func orgShareOf(e *policy.Engine, org string, pol *graph.Policy, object string, acts []string) (xacctShare, bool) {
	acct := graph.SymbolicAccount("organization " + org)
	c := policy.Caller{Kind: policy.CallerRoot, Account: acct, ARN: "arn:aws:iam::" + string(acct) + ":root"}
	ctx := policy.Context{}
	ctx.Set("aws:PrincipalOrgID", org)
	s := xacctShare{caller: c, org: org, certain: true, actions: sharedActions(e, c, ctx, pol, object, acts, false)}
	return s, len(s.actions) > 0
}

// sharedActions lists the actions of acts that the bucket policy pol lets
// the caller do on object, the aws/s3 key being what refuses them
// (sharedBy).
func sharedActions(e *policy.Engine, c policy.Caller, ctx policy.Context, pol *graph.Policy, object string, acts []string, engineKnows bool) []string {
	var out []string
	for _, act := range acts {
		req := policy.Request{Caller: c, Action: act, Resource: object, Context: ctx}
		if pol.Variant != nil {
			req.Conditions = map[string]bool{}
			for k, v := range pol.Variant.When {
				req.Conditions[k] = v
			}
		}
		d := e.Decide(req)
		if sharedBy(&d, engineKnows) && xacctStatus(&d, policy.CheckBucketPolicy) == policy.Allowed {
			out = append(out, act)
		}
	}
	return out
}

func appendWhen(when []string, pol *graph.Policy) []string {
	if pol.Variant == nil {
		return when
	}
	return appendDistinct(when, pol.Variant.Describe())
}

func mergeDistinct(xs, ys []string) []string {
	for _, y := range ys {
		xs = appendDistinct(xs, y)
	}
	return xs
}

// statementNames reports whether a statement's Action names the action,
// exactly or by a wildcard.
func statementNames(st *graph.Statement, action string) bool {
	if !st.Action.Present || st.NotAction.Present {
		return false
	}
	for _, it := range st.Action.Items {
		if it.Known() && policy.MatchAction(it.V, action) {
			return true
		}
	}
	return false
}

// callerOf reads a principal entry as a caller: a role or user of the
// configuration, or what its ARN says.
func callerOf(v string, byARN map[string][]*graph.Principal) (policy.Caller, bool) {
	if prs := byARN[v]; len(prs) > 0 {
		return policy.CallerFor(prs[0])
	}
	if graph.Account(v).IsSymbol() {
		return policy.Caller{Kind: policy.CallerRoot, Account: graph.Account(v), ARN: "arn:aws:iam::" + v + ":root"}, true
	}
	c, ok := policy.CallerFromARN(v)
	if !ok || c.Kind == policy.CallerAnonymous || c.Kind == policy.CallerService || c.Account == graph.OAIAccount {
		// A CloudFront origin access identity is no account's: S3L033
		// judges the origins that read through one.
		return policy.Caller{}, false
	}
	return c, true
}

// shareOf decides whether a bucket policy grant to a caller shares the
// bucket's objects with another account: the caller's account differs from
// the owner's (certainly, or perhaps when the owner is not known and the
// caller's account is a literal ID), the bucket policy allows the request,
// and no Deny matches.
func shareOf(e *policy.Engine, b *graph.Bucket, owner graph.Account, c policy.Caller, pol *graph.Policy, object string, acts []string) (xacctShare, bool) {
	s := xacctShare{caller: c}
	switch same, known := c.Account.SameAs(owner); {
	case known && same:
		return s, false
	case known:
		s.certain = true
	case !c.Account.IsID():
		return s, false
	}
	// The engine knows the accounts differ only from the bucket's own
	// account; an owner read from the alias ARN is this rule's evidence.
	s.actions = sharedActions(e, c, nil, pol, object, acts, xacctForeign(c.Account, b.Account))
	return s, len(s.actions) > 0
}

// sharedBy reports whether a decision about a cross-account object request
// leaves the aws/s3 key as what denies it: no Deny statement matches for
// sure, Block Public Access does not reject the bucket policy, and — when
// the engine knows the accounts differ — the KMS step is what denies.
func sharedBy(d *policy.Decision, certain bool) bool {
	if xacctStatus(d, policy.CheckBPA) == policy.Denied || xacctStatus(d, policy.CheckMFA) == policy.Denied {
		return false
	}
	for _, r := range d.Denies {
		if r.Match.T == policy.Yes {
			return false
		}
	}
	if certain {
		return d.Outcome == policy.ExplicitDeny && xacctStatus(d, policy.CheckKMS) == policy.Denied
	}
	return true
}

// identityShares lists what identity policies of roles and users in other
// known accounts grant on the bucket's objects.
func identityShares(e *policy.Engine, b *graph.Bucket) []xacctShare {
	var out []xacctShare
	at := map[string]int{}
	intents := e.Intents()
	for i := range intents {
		in := &intents[i]
		c := in.Request.Caller
		if in.Bucket != b || in.Policy == nil || in.Policy.Kind != graph.IdentityPolicy || c.Principal == nil ||
			!xacctForeign(c.Account, b.Account) || !isKeyAction(in.Request.Action) || !xacctNamesBucketByName(in.Statement, b) {
			continue
		}
		d := e.Decide(xacctRequest(in))
		if !sharedBy(&d, true) || xacctStatus(&d, policy.CheckIdentity) != policy.Allowed {
			continue
		}
		bucketToo := xacctStatus(&d, policy.CheckBucketPolicy) == policy.Allowed
		if bucketToo && namedByBucket(&d) {
			// The bucket policy names the caller or its account: that
			// grant is the share, found by bucketShares.
			continue
		}
		k := grantKey(in.Statement, c)
		if j, dup := at[k]; dup {
			out[j].actions = appendDistinct(out[j].actions, in.Request.Action)
			continue
		}
		at[k] = len(out)
		out = append(out, xacctShare{caller: c, actions: []string{in.Request.Action}, at: intentRange(in), identity: true,
			bucketToo: bucketToo, policy: in.Policy, certain: true})
	}
	return out
}

// namedByBucket reports whether a bucket policy Allow that surely matches
// names its principals (rather than everyone under conditions).
func namedByBucket(d *policy.Decision) bool {
	for _, r := range d.Allows {
		if r.Policy.Kind == graph.BucketPolicy && r.Match.T == policy.Yes && r.Statement != nil &&
			r.Statement.Principal != nil && !r.Statement.Principal.Wildcard {
			return true
		}
	}
	return false
}

func isKeyAction(action string) bool {
	for _, a := range xacctKeyActions {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}

func awsManagedKeyFinding(b *graph.Bucket, shares []xacctShare, certain bool) Finding {
	enc := b.Encryption
	at, how := enc.Algorithm.Range, enc.Algorithm.V+" without a key ID"
	if enc.KeyID.Origin == graph.Explicit && enc.KeyID.V != "" {
		at, how = enc.KeyID.Range, "the key "+enc.KeyID.V
	}
	if at.IsZero() {
		at = enc.Range
	}
	name := bucketLabel(b)
	var accounts, alsoBucket []string
	var related []Related
	reads, writes := false, false
	// Grants of one policy with the same actions are worded together.
	type clause struct {
		head, acts string
		whos       []string
	}
	var clauses []*clause
	byKey := map[string]*clause{}
	for _, s := range shares {
		for _, a := range s.actions {
			if a == "s3:PutObject" {
				writes = true
			} else {
				reads = true
			}
		}
		acct := policy.Display(string(s.caller.Account))
		who, place := "account "+acct, s.at.Short()
		if s.org != "" {
			acct = "the other accounts of organization " + s.org
			who, place = "everyone in organization "+s.org, "aws:PrincipalOrgID, "+place
		}
		accounts = appendDistinct(accounts, acct)
		switch {
		case s.org != "":
		case s.caller.Kind == policy.CallerRoot:
		case s.caller.Principal == nil:
			who = s.caller.Kind.String() + " " + s.caller.Label()
		default:
			who = s.caller.Kind.String() + " " + s.caller.Label()
			place = "account " + acct + ", " + place
		}
		when := ""
		if len(s.when) > 0 {
			when = ", when " + strings.Join(s.when, " or when ")
		}
		head := "the bucket policy " + s.policy.Address + " grants"
		if s.identity {
			head = "the identity policy " + s.policy.Address + " grants"
			related = append(related, Related{Range: s.at, Message: fmt.Sprintf("%s of account %s is granted %s on bucket %s here", s.caller.Label(),
				acct, list(s.actions), name)})
			if !s.bucketToo {
				alsoBucket = appendDistinct(alsoBucket, s.caller.Label())
			}
		} else {
			related = append(related, Related{Range: s.at, Message: fmt.Sprintf("%s%s is granted %s here%s", who, inAccount(s.caller), list(s.actions), when)})
		}
		k := head + "|" + list(s.actions)
		cl := byKey[k]
		if cl == nil {
			cl = &clause{head: head, acts: list(s.actions)}
			byKey[k] = cl
			clauses = append(clauses, cl)
		}
		cl.whos = append(cl.whos, who+" ("+place+when+")")
	}
	parts := make([]string, 0, len(clauses))
	for _, cl := range clauses {
		parts = append(parts, cl.head+" "+list(cl.whos)+" "+cl.acts)
	}
	sort.Strings(accounts)
	owner := "of its own account"
	if acct := awsKeyOwner(b); acct != "" {
		owner = "of account " + string(acct)
	}
	shared := strings.Join(parts, "; ")
	if !certain {
		shared += " (at most one of " + list(accounts) + " is the bucket's own account)"
	}
	var uses, kms []string
	if reads {
		uses, kms = append(uses, "reads (kms:Decrypt)"), append(kms, "kms:Decrypt")
	}
	if writes {
		uses, kms = append(uses, "writes (kms:GenerateDataKey)"), append(kms, "kms:GenerateDataKey")
	}
	msg := fmt.Sprintf("bucket %s (%s) encrypts with the AWS-managed key aws/s3 %s (%s), but other accounts are meant to use it: %s; "+
		"the key policy of aws/s3 cannot be changed to admit another account, so their %s get 403 Access Denied whatever the policies allow",
		name, xacctBucketAt(b), owner, how, shared, strings.Join(uses, " and "))
	if len(alsoBucket) > 0 {
		msg += fmt.Sprintf(", and the bucket policy does not let %s in either (add a statement for %s to it too)", list(alsoBucket), list(alsoBucket))
	}
	msg += fmt.Sprintf("; encrypt the bucket with a customer-managed KMS key whose key policy allows %s %s "+
		"(their principals need the same permissions on the key in their IAM policies), or with SSE-S3 (AES256) if KMS is not required",
		list(accounts), strings.Join(kms, " and "))
	res := b.Address
	if enc.Address != "" {
		res = enc.Address
	}
	return Finding{Range: at, Resource: res, Message: msg, Related: related}
}

// awsKeyOwner is the account whose aws/s3 key encrypts the bucket: the
// bucket's account, or the account in the alias ARN (another account's
// aws/s3 key cannot be used), or "" when neither is a literal ID.
func awsKeyOwner(b *graph.Bucket) graph.Account {
	if b.Account.IsID() {
		return b.Account
	}
	if enc := b.Encryption; enc != nil && enc.KeyID.Known() {
		if a, ok := policy.ParseARN(enc.KeyID.V); ok && graph.Account(a.Account).IsID() {
			return graph.Account(a.Account)
		}
	}
	return ""
}

// inAccount words the account of a role or user of the configuration, whose
// label does not show it.
func inAccount(c policy.Caller) string {
	if c.Principal == nil {
		return ""
	}
	return " of account " + policy.Display(string(c.Account))
}
