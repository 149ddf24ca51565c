package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// Table tests for the authorization engine. Every case names, in a comment,
// the AWS documentation page whose documented behaviour it pins
// (docs/engine.md summarises them).

const (
	acctA = "111122223333" // owns the buckets unless a case says otherwise
	acctB = "444455556666" // another account
)

// arn helpers for the two accounts.
func roleARN(acct, name string) string { return "arn:aws:iam::" + acct + ":role/" + name }
func userARN(acct, name string) string { return "arn:aws:iam::" + acct + ":user/" + name }
func rootARN(acct string) string       { return "arn:aws:iam::" + acct + ":root" }

// world builds a small graph by hand. Every resource gets a range in a file
// of its own so that locations in decisions can be told apart.
type world struct {
	t *testing.T
	g *graph.Graph
	n int
	// deciding are the statements a case expects in Decision.Deciding.
	deciding []*graph.Statement
}

func newWorld(t *testing.T) *world {
	return &world{t: t, g: &graph.Graph{}}
}

// rng is a fresh range in a file named after what it locates.
func (w *world) rng(file string) graph.Range {
	w.n++
	return graph.Range{File: file, Start: graph.Pos{Line: w.n, Col: 1}, End: graph.Pos{Line: w.n + 1, Col: 1}}
}

// doc parses a policy document and moves its ranges into file, so that
// statements of different documents have different ranges.
func (w *world) doc(file, src string) *graph.Document {
	w.t.Helper()
	d := Parse(located(w.t, src))
	for _, p := range d.Problems {
		if !strings.Contains(src, unknownMarker) {
			w.t.Fatalf("test policy has a problem: %s at %s\n%s", p.Message, p.Range, src)
		}
	}
	d.Range.File = file
	for _, st := range d.Statements {
		st.Range.File = file
	}
	return d
}

func (w *world) policy(kind graph.PolicyKind, addr, acct, src string) *graph.Policy {
	w.t.Helper()
	file := strings.NewReplacer("[", "_", "]", "_", "\"", "").Replace(addr) + ".json"
	d := w.doc(file, src)
	p := &graph.Policy{Entity: graph.Entity{Address: addr, Account: graph.Account(acct), Range: w.rng(file)},
		Kind: kind, Doc: d, DocRange: d.Range}
	w.g.Policies = append(w.g.Policies, p)
	return p
}

func (w *world) bucket(name, acct string) *graph.Bucket {
	r := w.rng("buckets.tf")
	b := &graph.Bucket{Entity: graph.Entity{Address: "aws_s3_bucket." + name, Type: "aws_s3_bucket", Account: graph.Account(acct), Range: r, Root: "root"},
		Name: graph.StringOf(name, r), ARN: graph.StringOf("arn:aws:s3:::"+name, r)}
	w.g.Buckets = append(w.g.Buckets, b)
	return b
}

func (w *world) bucketPolicy(b *graph.Bucket, src string) *graph.Policy {
	w.t.Helper()
	p := w.policy(graph.BucketPolicy, "aws_s3_bucket_policy."+strings.TrimPrefix(b.Address, "aws_s3_bucket."), string(b.Account), src)
	p.Bucket, p.BucketRef = b, b.Name
	b.Policies = append(b.Policies, p)
	return p
}

func (w *world) principal(kind graph.PrincipalKind, name, acct, arn string) *graph.Principal {
	r := w.rng("iam.tf")
	p := &graph.Principal{Entity: graph.Entity{Address: "aws_iam_" + kind.String() + "." + name, Account: graph.Account(acct), Range: r, Root: "root"},
		Kind: kind, Name: graph.StringOf(name, r), ARN: graph.StringOf(arn, r)}
	w.g.Principals = append(w.g.Principals, p)
	return p
}

func (w *world) role(name, acct string) *graph.Principal {
	return w.principal(graph.Role, name, acct, roleARN(acct, name))
}

func (w *world) user(name string) *graph.Principal {
	return w.principal(graph.User, name, acctA, userARN(acctA, name))
}

// attach attaches an identity policy to p.
func (w *world) attach(p *graph.Principal, src string) *graph.Policy {
	w.t.Helper()
	pol := w.policy(graph.IdentityPolicy, fmt.Sprintf("aws_iam_policy.%s_%d", p.Name.V, len(p.Policies)), string(p.Account), src)
	pol.AttachTo(p)
	return pol
}

// boundary sets p's permissions boundary.
func (w *world) boundary(p *graph.Principal, src string) *graph.Policy {
	w.t.Helper()
	pol := w.policy(graph.IdentityPolicy, "aws_iam_policy.boundary_"+p.Name.V, string(p.Account), src)
	p.Boundary, p.BoundaryARN = pol, graph.StringOf("arn:aws:iam::"+string(p.Account)+":policy/boundary", pol.Range)
	return pol
}

// pab declares a bucket public access block with the four flags.
func (w *world) pab(b *graph.Bucket, blockACLs, ignoreACLs, blockPolicy, restrict bool) {
	r := w.rng("pab.tf")
	b.PublicAccessBlock = &graph.PublicAccessBlock{Setting: graph.Setting{Address: "aws_s3_bucket_public_access_block." + b.Name.V, Range: r},
		BlockPublicAcls: graph.BoolOf(blockACLs, r), IgnorePublicAcls: graph.BoolOf(ignoreACLs, r),
		BlockPublicPolicy: graph.BoolOf(blockPolicy, r), RestrictPublicBuckets: graph.BoolOf(restrict, r)}
}

// openPAB turns Block Public Access off for b.
func (w *world) openPAB(b *graph.Bucket) { w.pab(b, false, false, false, false) }

func (w *world) ownership(b *graph.Bucket, rule string) {
	r := w.rng("ownership.tf")
	b.Ownership = &graph.Ownership{Setting: graph.Setting{Address: "aws_s3_bucket_ownership_controls." + b.Name.V, Range: r}, Rule: graph.StringOf(rule, r)}
}

func (w *world) cannedACL(b *graph.Bucket, canned string) {
	r := w.rng("acl.tf")
	b.ACLs = append(b.ACLs, &graph.ACL{Setting: graph.Setting{Address: "aws_s3_bucket_acl." + b.Name.V, Range: r}, Canned: graph.StringOf(canned, r)})
}

// key adds a KMS key in acct; src "" leaves its policy undeclared (AWS's
// default key policy).
func (w *world) key(src string) *graph.Key {
	const name, acct = "k", acctA
	w.t.Helper()
	r := w.rng("kms.tf")
	k := &graph.Key{Entity: graph.Entity{Address: "aws_kms_key." + name, Account: graph.Account(acct), Range: r},
		ARN: graph.StringOf("arn:aws:kms:us-east-1:"+acct+":key/"+name, r)}
	if src != "" {
		k.Policy = w.policy(graph.KeyPolicy, "aws_kms_key_policy."+name, acct, src)
	}
	w.g.Keys = append(w.g.Keys, k)
	return k
}

// sseKMS encrypts b by default with k.
func (w *world) sseKMS(b *graph.Bucket, k *graph.Key) {
	r := w.rng("encryption.tf")
	b.Encryption = &graph.Encryption{Setting: graph.Setting{Address: "aws_s3_bucket_server_side_encryption_configuration." + b.Name.V, Range: r},
		Algorithm: graph.StringOf("aws:kms", r), KeyID: graph.StringOf(k.ARN.V, r), Key: k, BucketKey: graph.BoolOf(false, r)}
}

// sseAWSManaged encrypts b with SSE-KMS without a key: the AWS-managed
// aws/s3 key.
func (w *world) sseAWSManaged(b *graph.Bucket) {
	r := w.rng("encryption.tf")
	b.Encryption = &graph.Encryption{Setting: graph.Setting{Address: "aws_s3_bucket_server_side_encryption_configuration." + b.Name.V, Range: r},
		Algorithm: graph.StringOf("aws:kms", r), KeyID: graph.StringDefault("", r), BucketKey: graph.BoolOf(false, r)}
}

func (w *world) mfaDelete(b *graph.Bucket) {
	r := w.rng("versioning.tf")
	b.Versioning = &graph.Versioning{Setting: graph.Setting{Address: "aws_s3_bucket_versioning." + b.Name.V, Range: r},
		Status: graph.StringOf("Enabled", r), MFADelete: graph.BoolOf(true, r)}
}

// endpoint adds an S3 VPC endpoint of the type; src "" leaves the default
// policy.
func (w *world) endpoint(typ, src string) *graph.Endpoint {
	w.t.Helper()
	r := w.rng("vpc.tf")
	ep := &graph.Endpoint{Entity: graph.Entity{Address: "aws_vpc_endpoint.s3", Account: acctA, Range: r},
		Service: graph.StringOf("com.amazonaws.us-east-1.s3", r), Type: graph.StringOf(typ, r), VpcID: graph.StringOf("vpc-0abc", r)}
	if src != "" {
		ep.Policy = w.policy(graph.EndpointPolicy, "aws_vpc_endpoint_policy.s3", acctA, src)
	}
	w.g.Endpoints = append(w.g.Endpoints, ep)
	return ep
}

// expect records a statement the decision must point at.
func (w *world) expect(p *graph.Policy, i int) {
	w.deciding = append(w.deciding, p.Doc.Statements[i])
}

// as is the caller for a role or user of the graph.
func (w *world) as(p *graph.Principal) Caller {
	w.t.Helper()
	c, ok := CallerFor(p)
	if !ok {
		w.t.Fatalf("CallerFor(%s) failed", p.Address)
	}
	return c
}

// from is the caller for an ARN, account, service or "anonymous".
func (w *world) from(s string) Caller {
	w.t.Helper()
	c, ok := CallerFromARN(s)
	if !ok {
		w.t.Fatalf("CallerFromARN(%q) failed", s)
	}
	return c
}

// decideCase is one request against a hand-built graph.
type decideCase struct {
	name  string
	build func(w *world) Request
	want  Outcome
	check func(t *testing.T, d Decision)
}

func runDecideCases(t *testing.T, cases []decideCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			req := tc.build(w)
			e := NewEngine(w.g)
			d := e.Decide(req)
			if d.Outcome != tc.want {
				t.Fatalf("%s %s on %s: outcome %v, want %v\n%s", req.Caller.Label(), req.Action, req.Resource, d.Outcome, tc.want, trace(d))
			}
			if o := e.outcome(req); o != d.Outcome {
				t.Fatalf("outcome without the explanation %v, with it %v", o, d.Outcome)
			}
			for _, st := range w.deciding {
				if !hasLocation(d.Deciding, st.Range) {
					t.Errorf("Deciding does not point at the statement at %s\n%s", st.Range, trace(d))
				}
			}
			if tc.check != nil {
				tc.check(t, d)
			}
		})
	}
}

// trace renders a decision for failure messages.
func trace(d Decision) string {
	var b strings.Builder
	for _, s := range d.Steps {
		fmt.Fprintf(&b, "  %-27s %-12s %s\n", s.Check, s.Status, s.Detail)
	}
	if len(d.Why) > 0 {
		fmt.Fprintf(&b, "  why: %s\n", strings.Join(d.Why, "; "))
	}
	for _, l := range d.Deciding {
		fmt.Fprintf(&b, "  deciding: %s %s\n", l.Range, l.What)
	}
	if d.Fix != "" {
		fmt.Fprintf(&b, "  fix: %s\n", d.Fix)
	}
	return b.String()
}

func hasLocation(locs []Location, r graph.Range) bool {
	for _, l := range locs {
		if l.Range == r {
			return true
		}
	}
	return false
}

// stepIs checks the status of one step, and that its detail mentions each
// of the words.
func stepIs(check string, status StepStatus, words ...string) func(*testing.T, Decision) {
	return func(t *testing.T, d Decision) {
		t.Helper()
		s := d.Step(check)
		if s == nil {
			t.Fatalf("no %q step\n%s", check, trace(d))
		}
		if s.Status != status {
			t.Errorf("%s step: status %v, want %v\n%s", check, s.Status, status, trace(d))
		}
		for _, w := range words {
			if !strings.Contains(s.Detail, w) {
				t.Errorf("%s step detail %q does not mention %q", check, s.Detail, w)
			}
		}
	}
}

// whyMentions checks that Decision.Why names each of the words.
func whyMentions(words ...string) func(*testing.T, Decision) {
	return func(t *testing.T, d Decision) {
		t.Helper()
		all := strings.Join(d.Why, "\n")
		for _, w := range words {
			if !strings.Contains(all, w) {
				t.Errorf("Why %q does not mention %q", d.Why, w)
			}
		}
	}
}

// Policy documents used by many cases.
const (
	getObjectsOfB = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	s3AllOnB      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}`
	kmsAll        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`
)

// grant is a bucket policy allowing principal (a JSON value) the actions on
// bucket b and its objects.
func grant(principal string, actions ...string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"Grant","Effect":"Allow","Principal":%s,"Action":%s,"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}`,
		principal, jsonList(actions))
}

func jsonList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

func awsPrincipal(arns ...string) string { return `{"AWS":` + jsonList(arns) + `}` }

func getObject(c Caller) Request {
	return Request{Caller: c, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/data/report.csv"}
}

func TestDecideSameAccount(t *testing.T) {
	runDecideCases(t, []decideCase{
		// IAM reference_policies_evaluation-logic (same account): an Allow in
		// the identity policy alone is enough; S3 troubleshoot-403-errors:
		// without a bucket policy same-account principals get access through
		// IAM alone.
		{name: "identity allow alone", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			p := w.attach(r, getObjectsOfB)
			w.expect(p, 0)
			return getObject(w.as(r))
		}, check: stepIs(CheckAccounts, Allowed)},
		// IAM reference_policies_evaluation-logic (same account): a
		// resource-based policy naming the role ARN is enough on its own.
		{name: "bucket policy grant to role ARN alone", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			p := w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctA, "app")), "s3:GetObject"))
			w.expect(p, 0)
			return getObject(w.as(r))
		}},
		// IAM reference_policies_elements_principal: an account principal
		// ("123456789012" or :root) delegates to the account's IAM policies;
		// the role has none, so nothing allows.
		{name: "bucket policy grant to account root alone", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(rootARN(acctA)), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// Same as above with the bare 12-digit account form, which means the
		// same (reference_policies_elements_principal).
		{name: "bucket policy grant to bare account ID alone", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(acctA), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// IAM reference_policies_evaluation-logic: the default is implicit
		// deny.
		{name: "neither identity nor bucket policy", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}}`)
			return getObject(w.as(r))
		}, check: stepIs(CheckIdentity, Denied)},
		// IAM reference_policies_evaluation-logic: a user's group policies are
		// identity policies of the user.
		{name: "group policy of a user", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			u := w.user("alice")
			g := w.principal(graph.Group, "readers", acctA, "arn:aws:iam::"+acctA+":group/readers")
			w.attach(g, getObjectsOfB)
			u.Groups = append(u.Groups, g)
			return getObject(w.as(u))
		}},
		// IAM reference_policies_elements_action: action names are
		// case-insensitive.
		{name: "action names are case-insensitive", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"S3:getobject","Resource":"arn:aws:s3:::b/*"}}`)
			return getObject(w.as(r))
		}},
		// IAM reference_policies_elements_resource: ARNs match
		// case-sensitively, so arn:aws:s3:::B/* does not cover bucket b.
		{name: "resource ARNs are case-sensitive", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/*"}}`)
			return getObject(w.as(r))
		}},
		// IAM reference_policies_elements_resource: * in a resource also
		// matches "/", so b/*/x/* covers keys at any depth.
		{name: "resource wildcard spans slashes", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*/x/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/1/2/x/3/4"}
		}},
		// S3 troubleshoot-403-errors, classic 403: ListBucket granted on B/*
		// (an object ARN) does not cover the bucket.
		{name: "ListBucket granted on objects", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:ListBucket", Resource: "arn:aws:s3:::b"}
		}},
		// S3 troubleshoot-403-errors, classic 403: GetObject granted on the
		// bucket ARN does not cover its objects.
		{name: "GetObject granted on the bucket", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b"}}`)
			return getObject(w.as(r))
		}},
		// IAM reference_policies_elements_resource: arn:aws:s3:::b* covers
		// every bucket whose name starts with b, and their objects.
		{name: "bucket-name prefix wildcard covers other buckets", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			w.bucket("backup", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b*"}}`)
			return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: "arn:aws:s3:::backup/k"}
		}},
	})
}

func TestDecideCrossAccount(t *testing.T) {
	runDecideCases(t, []decideCase{
		// IAM reference_policies_evaluation-logic-cross-account: both the
		// caller's account and the resource's account must allow.
		{name: "only identity", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}, check: stepIs(CheckAccounts, Denied, "cross-account")},
		// evaluation-logic-cross-account: a bucket policy grant alone is not
		// enough across accounts.
		{name: "only bucket policy", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// evaluation-logic-cross-account: identity allow plus bucket policy
		// grant to the role allows.
		{name: "both sides allow", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			ip := w.attach(r, getObjectsOfB)
			bp := w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			w.expect(ip, 0)
			w.expect(bp, 0)
			return getObject(w.as(r))
		}},
		// reference_policies_elements_principal: a grant to the other
		// account's root trusts that account, whose IAM policy then allows.
		{name: "bucket policy grants account root, identity allows", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, grant(awsPrincipal(rootARN(acctB)), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// evaluation-logic-cross-account: the grant must name the caller's
		// account, not some other one.
		{name: "bucket policy grants a third account", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, grant(awsPrincipal(rootARN("999999999999")), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// S3 troubleshoot-403-errors: with no bucket policy, other accounts
		// are denied.
		{name: "root of another account without bucket policy", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			return getObject(w.from(acctB))
		}},
		// S3 API DeleteBucketPolicy: the caller must belong to the bucket
		// owner's account; other accounts get 405 Method Not Allowed even
		// with permissions on both sides.
		{name: "DeleteBucketPolicy from another account never succeeds", want: ImplicitDeny,
			build: func(w *world) Request {
				b := w.bucket("b", acctA)
				r := w.role("admin", acctB)
				w.attach(r, s3AllOnB)
				w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "admin")), "s3:DeleteBucketPolicy"))
				return Request{Caller: w.as(r), Action: "s3:DeleteBucketPolicy", Resource: "arn:aws:s3:::b"}
			}},
	})
}

func TestDecideExplicitDeny(t *testing.T) {
	runDecideCases(t, []decideCase{
		// reference_policies_evaluation-logic: an explicit Deny in a
		// resource-based (bucket) policy overrides every Allow.
		{name: "bucket policy deny", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			p := w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
				{"Sid":"NoReports","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/data/*"}]}`)
			w.expect(p, 1)
			return getObject(w.as(r))
		}, check: stepIs(CheckBucketPolicy, Denied)},
		// reference_policies_evaluation-logic: an explicit Deny in an
		// identity policy overrides the bucket policy's Allow.
		{name: "identity policy deny", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctA, "app")), "s3:GetObject"))
			p := w.attach(r, `{"Statement":[
				{"Effect":"Allow","Action":"s3:*","Resource":"*"},
				{"Effect":"Deny","Action":"s3:Get*","Resource":"arn:aws:s3:::b/data/*"}]}`)
			w.expect(p, 1)
			return getObject(w.as(r))
		}, check: stepIs(CheckIdentity, Denied)},
		// access_policies_boundaries + evaluation-logic: a Deny in the
		// permissions boundary wins over the identity Allow.
		{name: "permissions boundary deny", want: ExplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			p := w.boundary(r, `{"Statement":[
				{"Effect":"Allow","Action":"s3:*","Resource":"*"},
				{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`)
			w.expect(p, 1)
			return getObject(w.as(r))
		}},
		// vpc-endpoints-access: a Deny in the VPC endpoint policy blocks
		// requests through the endpoint whatever else allows them.
		{name: "endpoint policy deny", want: ExplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
			ep := w.endpoint("Interface", `{"Statement":[
				{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
				{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}`)
			w.expect(ep.Policy, 1)
			return Request{Caller: w.as(r), Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k", Network: NetworkEndpoint, Endpoint: ep}
		}, check: stepIs(CheckEndpoint, Denied)},
		// KMS key-policy-overview + reference_policies_evaluation-logic: a
		// Deny in the key policy wins; S3 UsingKMSEncryption: GetObject on an
		// SSE-KMS object needs kms:Decrypt.
		{name: "key policy deny", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			k := w.key(`{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
				{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Decrypt","Resource":"*"}]}`)
			w.sseKMS(b, k)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.attach(r, kmsAll)
			w.expect(k.Policy, 1)
			return getObject(w.as(r))
		}, check: stepIs(CheckKMS, Denied)},
		// reference_policies_evaluation-logic: Deny applies to the root user
		// of the bucket's account too (only the policy calls are exempt, see
		// TestDecideRoot).
		{name: "bucket policy deny applies to the owner's root user", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			p := w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}`)
			w.expect(p, 0)
			return getObject(w.from(acctA))
		}},
		// reference_policies_elements_principal: a Deny naming an account
		// applies to every principal of that account.
		{name: "deny naming the caller's account", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			p := w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/data/*"}]}`)
			w.expect(p, 1)
			return getObject(w.as(r))
		}},
	})
}

func TestDecideNotPrincipal(t *testing.T) {
	session := "arn:aws:sts::" + acctA + ":assumed-role/app/ci-run"
	runDecideCases(t, []decideCase{
		// reference_policies_elements_notprincipal: with Deny, a NotPrincipal
		// listing only the role still denies its sessions (the session ARN
		// and the account are not excluded).
		{name: "deny listing only the role ARN denies its session", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			p := w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}`)
			w.expect(p, 1)
			return getObject(w.from(session))
		}},
		// reference_policies_elements_notprincipal: listing the session ARN,
		// the role ARN and the account excludes the session from the Deny.
		{name: "deny listing session, role and account spares the session", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/app/ci-run","arn:aws:iam::111122223333:role/app","arn:aws:iam::111122223333:root"]},
				 "Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}`)
			return getObject(w.from(session))
		}},
		// reference_policies_elements_notprincipal: another session of the
		// same role is not listed, so it is denied.
		{name: "deny listing one session denies another session", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/app/ci-run","arn:aws:iam::111122223333:role/app","arn:aws:iam::111122223333:root"]},
				 "Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}`)
			return getObject(w.from("arn:aws:sts::" + acctA + ":assumed-role/app/other"))
		}},
		// reference_policies_elements_notprincipal: a user listed with its
		// account is excluded.
		{name: "deny listing user and account spares the user", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			u := w.user("alice")
			w.attach(u, getObjectsOfB)
			w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]},
				 "Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}`)
			return getObject(w.as(u))
		}},
		// reference_policies_elements_notprincipal: with Allow, NotPrincipal
		// grants everyone else, anonymous callers included (Block Public
		// Access off so the public policy can be put in place).
		{name: "allow with NotPrincipal grants anonymous", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			w.bucketPolicy(b, `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)
			return getObject(w.from("anonymous"))
		}},
		// access_policies_boundaries (Important): a NotPrincipal Deny always
		// denies an IAM principal that has a permissions boundary, whatever
		// NotPrincipal lists.
		{name: "deny with NotPrincipal always denies a role with a boundary", want: ExplicitDeny,
			build: func(w *world) Request {
				b := w.bucket("b", acctA)
				r := w.role("app", acctA)
				w.attach(r, getObjectsOfB)
				w.boundary(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
				w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/app/ci-run","arn:aws:iam::111122223333:role/app","arn:aws:iam::111122223333:root"]},
				 "Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}`)
				c := w.as(r)
				c.Session = session
				return getObject(c)
			}},
	})
}

func TestDecideNotActionNotResource(t *testing.T) {
	runDecideCases(t, []decideCase{
		// reference_policies_elements_notaction: Allow with NotAction grants
		// every action except the listed ones on the Resource.
		{name: "NotAction allow grants other actions", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}}`)
			return getObject(w.as(r))
		}},
		// reference_policies_elements_notaction: the listed action is not
		// granted.
		{name: "NotAction allow does not grant the listed action", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"}
		}},
		// reference_policies_elements_notaction: NotAction applies only to
		// the listed Resource, so it grants nothing on the bucket ARN.
		{name: "NotAction allow is limited to its Resource", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:ListBucket", Resource: "arn:aws:s3:::b"}
		}},
		// reference_policies_elements_notresource: Deny with NotResource
		// denies every resource except the listed ones.
		{name: "NotResource deny covers other objects", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
			p := w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/public/*"}}`)
			w.expect(p, 0)
			return getObject(w.as(r))
		}},
		// reference_policies_elements_notresource: the listed resources are
		// spared.
		{name: "NotResource deny spares the listed objects", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
			w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/public/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/public/logo.png"}
		}},
		// reference_policies_elements_notresource: only the statement's
		// actions are denied.
		{name: "NotResource deny only for its actions", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
			w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/public/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:PutObject", Resource: "arn:aws:s3:::b/data/x"}
		}},
		// reference_policies_elements_notaction: NotAction s3:DeleteBucket on
		// arn:aws:s3:::* does not grant ListAllMyBuckets, which needs
		// Resource "*".
		{name: "NotAction on arn:aws:s3:::* does not grant ListAllMyBuckets", want: ImplicitDeny,
			build: func(w *world) Request {
				w.bucket("b", acctA)
				r := w.role("app", acctA)
				w.attach(r, `{"Statement":{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::*"}}`)
				return Request{Caller: w.as(r), Action: "s3:ListAllMyBuckets", Resource: "*"}
			}},
	})
}

func TestDecideBoundary(t *testing.T) {
	onlyList := `{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`
	runDecideCases(t, []decideCase{
		// access_policies_boundaries: the boundary and the identity policy
		// must both allow.
		{name: "identity allows, boundary does not", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.boundary(r, onlyList)
			return getObject(w.as(r))
		}, check: stepIs(CheckIdentity, Denied, "permissions boundary")},
		// access_policies_boundaries: both allow.
		{name: "identity and boundary allow", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.boundary(r, `{"Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}`)
			return getObject(w.as(r))
		}},
		// reference_policies_evaluation-logic / access_policies_boundaries: a
		// resource-based policy grant to a role ARN is limited by an implicit
		// deny in the role's boundary.
		{name: "bucket policy grant to role ARN limited by boundary", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.boundary(r, onlyList)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctA, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// access_policies_boundaries: within an account, an implicit deny in
		// a boundary does not limit a resource-based grant to the user ARN.
		{name: "bucket policy grant to user ARN not limited by boundary", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			u := w.user("alice")
			w.boundary(u, onlyList)
			w.bucketPolicy(b, grant(awsPrincipal(userARN(acctA, "alice")), "s3:GetObject"))
			return getObject(w.as(u))
		}},
		// access_policies_boundaries / evaluation-logic: a grant to the role
		// session ARN is not limited by the role's boundary.
		{name: "bucket policy grant to session ARN not limited by boundary", want: Allow,
			build: func(w *world) Request {
				b := w.bucket("b", acctA)
				r := w.role("app", acctA)
				w.boundary(r, onlyList)
				w.bucketPolicy(b, grant(awsPrincipal("arn:aws:sts::"+acctA+":assumed-role/app/ci-run"), "s3:GetObject"))
				c := w.as(r)
				c.Session = "arn:aws:sts::" + acctA + ":assumed-role/app/ci-run"
				return getObject(c)
			}},
		// access_policies_boundaries: an account grant delegates to IAM, so
		// the boundary still applies.
		{name: "bucket policy grant to account, identity allows, boundary does not", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.boundary(r, onlyList)
			w.bucketPolicy(b, grant(awsPrincipal(acctA), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// evaluation-logic-cross-account: across accounts the caller's own
		// evaluation includes its boundary.
		{name: "cross-account: boundary limits the caller's side", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.boundary(r, onlyList)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// access_policies_boundaries: the boundary of an AWS-managed policy
		// the engine knows (AmazonS3ReadOnlyAccess allows s3:Get*).
		{name: "managed policy as boundary", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
			r.BoundaryARN = graph.StringOf("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", r.Range)
			return Request{Caller: w.as(r), Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k"}
		}},
	})
}

func TestDecideBlockPublicAccess(t *testing.T) {
	public := `{"Statement":{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
	publicPlusB := `{"Statement":[
		{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	runDecideCases(t, []decideCase{
		// S3 access-control-block-public-access + AWS Storage blog (April
		// 2023): a bucket without a public access block gets all four flags;
		// BlockPublicPolicy rejects the public policy, so it is never in
		// place.
		{name: "no public access block: public policy never in place", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, public)
			return getObject(w.from("anonymous"))
		}, check: stepIs(CheckBPA, Denied, "never in place")},
		// access-control-block-public-access: with all four flags false the
		// public policy applies to anonymous callers.
		{name: "four flags false: anonymous allowed", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			p := w.bucketPolicy(b, public)
			w.expect(p, 0)
			return getObject(w.from("anonymous"))
		}},
		// access-control-block-public-access, BlockPublicPolicy: declared
		// explicitly it rejects the public policy just like the default.
		{name: "explicit BlockPublicPolicy keeps a public policy out", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.pab(b, false, false, true, false)
			w.bucketPolicy(b, public)
			return getObject(w.from("anonymous"))
		}, check: stepIs(CheckBPA, Denied, "BlockPublicPolicy")},
		// access-control-block-public-access, RestrictPublicBuckets: with a
		// public policy, cross-account callers are cut off even when granted
		// by name.
		{name: "RestrictPublicBuckets cuts off cross-account grant", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.pab(b, false, false, false, true)
			w.bucketPolicy(b, publicPlusB)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}, check: stepIs(CheckBPA, Noted, "RestrictPublicBuckets")},
		// access-control-block-public-access, RestrictPublicBuckets:
		// principals of the owner's account still get through.
		{name: "RestrictPublicBuckets lets same-account callers through", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.pab(b, false, false, false, true)
			w.bucketPolicy(b, publicPlusB)
			r := w.role("reader", acctA)
			return getObject(w.as(r))
		}},
		// access-control-block-public-access, RestrictPublicBuckets:
		// anonymous callers are rejected.
		{name: "RestrictPublicBuckets rejects anonymous", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.pab(b, false, false, false, true)
			w.bucketPolicy(b, public)
			return getObject(w.from("anonymous"))
		}},
		// access-control-block-public-access, RestrictPublicBuckets: AWS
		// service principals still get through.
		{name: "RestrictPublicBuckets lets service principals through", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.pab(b, false, false, false, true)
			w.bucketPolicy(b, public)
			return getObject(w.from("logging.s3.amazonaws.com"))
		}},
		// access-control-block-public-access: RestrictPublicBuckets acts
		// only when the policy is public; a grant by name alone is not.
		{name: "RestrictPublicBuckets ignores a non-public policy", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.pab(b, false, false, false, true)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
		// access-control-block-public-access: account-level settings combine
		// with the bucket's, the most restrictive winning.
		{name: "account-level BlockPublicPolicy in the same account", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			w.bucketPolicy(b, public)
			r := w.rng("account.tf")
			w.g.AccountBlocks = append(w.g.AccountBlocks, &graph.AccountPublicAccessBlock{
				Entity: graph.Entity{Address: "aws_s3_account_public_access_block.a", Account: acctA, Range: r},
				PublicAccessBlock: graph.PublicAccessBlock{Setting: graph.Setting{Address: "aws_s3_account_public_access_block.a", Range: r},
					BlockPublicAcls: graph.BoolOf(false, r), IgnorePublicAcls: graph.BoolOf(false, r),
					BlockPublicPolicy: graph.BoolOf(true, r), RestrictPublicBuckets: graph.BoolOf(false, r)}})
			return getObject(w.from("anonymous"))
		}, check: stepIs(CheckBPA, Denied)},
		// access-control-block-public-access: account settings apply to the
		// account's own buckets only.
		{name: "account-level block of another account does not apply", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			w.bucketPolicy(b, public)
			r := w.rng("account.tf")
			w.g.AccountBlocks = append(w.g.AccountBlocks, &graph.AccountPublicAccessBlock{
				Entity: graph.Entity{Address: "aws_s3_account_public_access_block.other", Account: acctB, Range: r},
				PublicAccessBlock: graph.PublicAccessBlock{Setting: graph.Setting{Address: "aws_s3_account_public_access_block.other", Range: r},
					BlockPublicAcls: graph.BoolOf(true, r), IgnorePublicAcls: graph.BoolOf(true, r),
					BlockPublicPolicy: graph.BoolOf(true, r), RestrictPublicBuckets: graph.BoolOf(true, r)}})
			return getObject(w.from("anonymous"))
		}},
		// access-control-block-public-access: BlockPublicPolicy rejects the
		// whole PutBucketPolicy, so even the non-public statement of a
		// public policy never applies.
		{name: "rejected public policy takes its named grants with it", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, publicPlusB)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
		// access-control-block-public-access: a non-public policy is
		// accepted under the 2023 defaults.
		{name: "defaults keep a non-public policy", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
	})
}

func TestDecideKMS(t *testing.T) {
	kmsBucket := func(w *world, keyPolicy string) {
		b := w.bucket("b", acctA)
		k := w.key(keyPolicy)
		w.sseKMS(b, k)
	}
	decrypt := `{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/k"}}`
	generate := `{"Statement":{"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"*"}}`
	putObjects := `{"Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}}`
	crossKeyPolicy := `{"Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}`
	ownerOnlyKeyPolicy := `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}}`
	putObject := func(c Caller) Request {
		return Request{Caller: c, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/upload/x"}
	}
	runDecideCases(t, []decideCase{
		// S3 UsingKMSEncryption: reading an SSE-KMS object needs
		// kms:Decrypt; KMS key-policy-default: the default key policy
		// delegates to the account's IAM policies, which here do not allow.
		{name: "GetObject without kms:Decrypt", want: ImplicitDeny, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}, check: stepIs(CheckKMS, Denied, "kms:Decrypt")},
		// key-policy-default: with the default key policy an identity Allow
		// of kms:Decrypt is enough.
		{name: "GetObject with kms:Decrypt in identity", want: Allow, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.attach(r, decrypt)
			return getObject(w.as(r))
		}, check: stepIs(CheckKMS, Allowed)},
		// KMS key-policies: a key policy naming the role allows without any
		// IAM permission for KMS.
		{name: "key policy names the role", want: Allow, build: func(w *world) Request {
			kmsBucket(w, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Decrypt","Resource":"*"}]}`)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
		// KMS key-policies: IAM policies count only when the key policy
		// delegates to the account.
		{name: "key policy neither names the role nor delegates", want: ImplicitDeny, build: func(w *world) Request {
			kmsBucket(w, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"kms:*","Resource":"*"}}`)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.attach(r, kmsAll)
			return getObject(w.as(r))
		}, check: stepIs(CheckKMS, Denied)},
		// S3 UsingKMSEncryption: writing an SSE-KMS object needs
		// kms:GenerateDataKey; Decrypt alone does not do.
		{name: "PutObject with only kms:Decrypt", want: ImplicitDeny, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, putObjects)
			w.attach(r, decrypt)
			return putObject(w.as(r))
		}, check: stepIs(CheckKMS, Denied, "kms:GenerateDataKey")},
		// UsingKMSEncryption: GenerateDataKey is enough for a single PUT.
		{name: "PutObject with kms:GenerateDataKey", want: Allow, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, putObjects)
			w.attach(r, generate)
			return putObject(w.as(r))
		}},
		// S3 mpuoverview: a multipart upload to an SSE-KMS bucket needs
		// kms:Decrypt as well as kms:GenerateDataKey.
		{name: "multipart upload with only GenerateDataKey", want: ImplicitDeny, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, putObjects)
			w.attach(r, generate)
			req := putObject(w.as(r))
			req.Multipart = true
			return req
		}, check: stepIs(CheckKMS, Denied, "kms:Decrypt")},
		// mpuoverview: with both permissions the multipart upload works.
		{name: "multipart upload with both", want: Allow, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, putObjects)
			w.attach(r, generate)
			w.attach(r, decrypt)
			req := putObject(w.as(r))
			req.Multipart = true
			return req
		}},
		// S3 UsingKMSEncryption / troubleshoot-403-errors: the AWS-managed
		// aws/s3 key cannot be used from other accounts.
		{name: "AWS-managed key across accounts", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.sseAWSManaged(b)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.attach(r, kmsAll)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}, check: stepIs(CheckKMS, Denied, "aws/s3")},
		// UsingKMSEncryption: within the account the aws/s3 key works through
		// S3 with no KMS permission in IAM.
		{name: "AWS-managed key in the same account", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.sseAWSManaged(b)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
		// KMS key-policy-modifying-external-accounts: the key policy admits
		// the other account and that account's identity policy allows.
		{name: "cross-account key with key policy grant and identity allow", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			k := w.key(crossKeyPolicy)
			w.sseKMS(b, k)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.attach(r, decrypt)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// key-policy-modifying-external-accounts: without the key policy
		// grant the other account cannot use the key.
		{name: "cross-account key without key policy grant", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			k := w.key(ownerOnlyKeyPolicy)
			w.sseKMS(b, k)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.attach(r, decrypt)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}, check: stepIs(CheckKMS, Denied)},
		// key-policy-modifying-external-accounts: the key policy grant alone
		// is not enough; the caller's own IAM policy must allow too.
		{name: "cross-account key policy grant without identity allow", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			k := w.key(crossKeyPolicy)
			w.sseKMS(b, k)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// S3 troubleshoot-403-errors: anonymous requests cannot use KMS keys,
		// so SSE-KMS objects cannot be read anonymously.
		{name: "anonymous on SSE-KMS", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			k := w.key("")
			w.sseKMS(b, k)
			w.bucketPolicy(b, grant(`"*"`, "s3:GetObject"))
			return getObject(w.from("anonymous"))
		}, check: stepIs(CheckKMS, Denied)},
		// The TLS version the engine assumes for the client's connection
		// to S3 is not carried into S3's request to KMS: a key policy
		// condition on it is not decided.
		{name: "key policy Deny on s3:TlsVersion", want: Unknown, build: func(w *world) Request {
			kmsBucket(w, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
				{"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"Null":{"s3:TlsVersion":"false"}}}]}`)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.attach(r, decrypt)
			return getObject(w.as(r))
		}},
		// The same for an object the configuration uploads asking for
		// SSE-KMS itself, in a bucket whose default is SSE-S3 (an
		// object's own encryption header overrides the default).
		{name: "anonymous on an object uploaded with SSE-KMS", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			r0 := w.rng("encryption.tf")
			b.Encryption = &graph.Encryption{Setting: graph.Setting{Address: "aws_s3_bucket_server_side_encryption_configuration.b", Range: r0},
				Algorithm: graph.StringOf("AES256", r0)}
			b.Uploads = append(b.Uploads, &graph.Upload{Setting: graph.Setting{Address: "aws_s3_object.report"},
				Key: graph.StringOf("data/report.csv", r0), SSE: graph.StringOf("aws:kms", r0)})
			w.bucketPolicy(b, grant(`"*"`, "s3:GetObject"))
			return getObject(w.from("anonymous"))
		}, check: stepIs(CheckKMS, Denied, "uploaded by aws_s3_object.report with aws:kms")},
		// Another object of that bucket is encrypted with SSE-S3.
		{name: "anonymous on another object of that bucket", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			r0 := w.rng("encryption.tf")
			b.Encryption = &graph.Encryption{Setting: graph.Setting{Address: "aws_s3_bucket_server_side_encryption_configuration.b", Range: r0},
				Algorithm: graph.StringOf("AES256", r0)}
			b.Uploads = append(b.Uploads, &graph.Upload{Setting: graph.Setting{Address: "aws_s3_object.other"},
				Key: graph.StringOf("data/other.csv", r0), SSE: graph.StringOf("aws:kms", r0)})
			w.bucketPolicy(b, grant(`"*"`, "s3:GetObject"))
			return getObject(w.from("anonymous"))
		}},
		// S3 UsingKMSEncryption: the alias aws/s3 names the AWS-managed key
		// too, with the same cross-account limit.
		{name: "alias/aws/s3 across accounts", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.sseAWSManaged(b)
			b.Encryption.KeyID = graph.StringOf("alias/aws/s3", b.Range)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.attach(r, kmsAll)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctB, "app")), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// S3 UsingServerSideEncryption: SSE-S3 needs no KMS permission.
		{name: "SSE-S3 needs no KMS permission", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r0 := w.rng("encryption.tf")
			b.Encryption = &graph.Encryption{Setting: graph.Setting{Address: "aws_s3_bucket_server_side_encryption_configuration.b", Range: r0},
				Algorithm: graph.StringOf("AES256", r0)}
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}, check: stepIs(CheckKMS, NotInvolved, "SSE-S3")},
		// S3 UsingKMSEncryption: ListBucket touches no object, so no KMS
		// permission is needed.
		{name: "ListBucket needs no KMS permission", want: Allow, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, s3AllOnB)
			return Request{Caller: w.as(r), Action: "s3:ListBucket", Resource: "arn:aws:s3:::b"}
		}, check: stepIs(CheckKMS, NotInvolved)},
		// access_policies_boundaries: the boundary caps kms:Decrypt granted
		// by IAM too.
		{name: "boundary without KMS blocks the delegated key", want: ImplicitDeny, build: func(w *world) Request {
			kmsBucket(w, "")
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.attach(r, kmsAll)
			w.boundary(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
			return getObject(w.as(r))
		}},
		// reference_policies_evaluation-logic (resource-based policies): a
		// grant to a role ARN in a resource policy — the key policy here — is
		// limited by the role's permissions boundary.
		{name: "key policy grant to role ARN limited by boundary", want: ImplicitDeny,
			build: func(w *world) Request {
				kmsBucket(w, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Decrypt","Resource":"*"}]}`)
				r := w.role("app", acctA)
				w.attach(r, getObjectsOfB)
				w.boundary(r, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
				return getObject(w.as(r))
			}},
		// S3 UsingKMSEncryption (encryption context): with S3 Bucket Keys the
		// encryption context is the bucket ARN, so a key-policy condition on
		// the object ARN no longer matches.
		{name: "encryption context condition with bucket key", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			k := w.key(`{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Decrypt","Resource":"*",
				 "Condition":{"StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::b"}}}]}`)
			w.sseKMS(b, k)
			b.Encryption.BucketKey = graph.BoolOf(true, b.Range)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
		// UsingKMSEncryption (encryption context): without Bucket Keys the
		// context is the object ARN.
		{name: "encryption context condition without bucket key", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			k := w.key(`{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Decrypt","Resource":"*",
				 "Condition":{"StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::b"}}}]}`)
			w.sseKMS(b, k)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
	})
}

func TestDecideMFADelete(t *testing.T) {
	runDecideCases(t, []decideCase{
		// S3 MultiFactorAuthenticationDelete: permanently deleting a version
		// needs the root user's MFA code, which a role cannot send.
		{name: "role DeleteObjectVersion", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.mfaDelete(b)
			r := w.role("app", acctA)
			w.attach(r, s3AllOnB)
			return Request{Caller: w.as(r), Action: "s3:DeleteObjectVersion", Resource: "arn:aws:s3:::b/k"}
		}, check: func(t *testing.T, d Decision) {
			stepIs(CheckMFA, Denied)(t, d)
			if !hasLocation(d.Deciding, d.Bucket.Versioning.MFADelete.Range) {
				t.Errorf("Deciding does not point at the MFA delete setting\n%s", trace(d))
			}
		}},
		// MultiFactorAuthenticationDelete: a simple DELETE (a delete marker)
		// does not need MFA.
		{name: "role DeleteObject not affected", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.mfaDelete(b)
			r := w.role("app", acctA)
			w.attach(r, s3AllOnB)
			return Request{Caller: w.as(r), Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"}
		}},
		// MultiFactorAuthenticationDelete: changing the versioning state also
		// needs MFA.
		{name: "role PutBucketVersioning", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.mfaDelete(b)
			r := w.role("app", acctA)
			w.attach(r, s3AllOnB)
			return Request{Caller: w.as(r), Action: "s3:PutBucketVersioning", Resource: "arn:aws:s3:::b"}
		}},
		// MultiFactorAuthenticationDelete: the owner's root user succeeds
		// only when it sends the x-amz-mfa header, which the configuration
		// cannot tell.
		{name: "root of the owner account", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.mfaDelete(b)
			return Request{Caller: w.from(acctA), Action: "s3:DeleteObjectVersion", Resource: "arn:aws:s3:::b/k"}
		}, check: whyMentions("x-amz-mfa")},
	})
}

func TestDecideObjectOwnership(t *testing.T) {
	runDecideCases(t, []decideCase{
		// S3 about-object-ownership / bucket-policies: bucket policy Allows
		// cover only objects the bucket owner owns; with ObjectWriter an
		// object uploaded by another account is out of their reach.
		{name: "ObjectWriter: owner's bucket policy Allow does not reach another account's object", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			r := w.role("app", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctA, "app")), "s3:GetObject"))
			req := getObject(w.as(r))
			req.ObjectOwner = acctB
			return req
		}, check: stepIs(CheckBucketPolicy, Denied, acctB)},
		// about-object-ownership: even with an identity Allow, only the
		// object's ACL (set by its writer) can grant; it is not in the
		// configuration.
		{name: "ObjectWriter: identity allow depends on the object ACL", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			req := getObject(w.as(r))
			req.ObjectOwner = acctB
			return req
		}, check: whyMentions("ACL of the object")},
		// about-object-ownership: BucketOwnerEnforced makes the bucket owner
		// own every object, so the writer does not matter.
		{name: "BucketOwnerEnforced: ownership irrelevant", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.BucketOwnerEnforced)
			r := w.role("app", acctA)
			w.bucketPolicy(b, grant(awsPrincipal(roleARN(acctA, "app")), "s3:GetObject"))
			req := getObject(w.as(r))
			req.ObjectOwner = acctB
			return req
		}},
		// S3 troubleshoot-403-errors: bucket policy Denies cover every
		// object, whoever owns it.
		{name: "ObjectWriter: Deny still covers another account's object", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			p := w.bucketPolicy(b, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)
			w.expect(p, 0)
			req := getObject(w.as(r))
			req.ObjectOwner = acctB
			return req
		}},
		// docs/aws-s3-access.md §4 (S3 about-object-ownership): with
		// ObjectWriter the bucket owner can still delete objects that other
		// accounts own.
		{name: "ObjectWriter: bucket owner can delete another account's object", want: Allow,
			build: func(w *world) Request {
				b := w.bucket("b", acctA)
				w.ownership(b, graph.ObjectWriter)
				r := w.role("app", acctA)
				w.attach(r, s3AllOnB)
				return Request{Caller: w.as(r), Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k", ObjectOwner: acctB}
			}},
	})
}

func TestDecideACL(t *testing.T) {
	list := func(c Caller) Request { return Request{Caller: c, Action: "s3:ListBucket", Resource: "arn:aws:s3:::b"} }
	runDecideCases(t, []decideCase{
		// S3 acl-overview: a public-read bucket ACL lets AllUsers list the
		// bucket, with Block Public Access off.
		{name: "public-read ACL with BPA off", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.openPAB(b)
			w.cannedACL(b, "public-read")
			return list(w.from("anonymous"))
		}, check: stepIs(CheckACL, Allowed)},
		// access-control-block-public-access, IgnorePublicAcls: public ACLs
		// are ignored.
		{name: "public-read ACL with IgnorePublicAcls", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.pab(b, false, true, false, false)
			w.cannedACL(b, "public-read")
			return list(w.from("anonymous"))
		}},
		// access-control-block-public-access: the 2023 defaults ignore the
		// public ACL too.
		{name: "public-read ACL under the 2023 defaults", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.cannedACL(b, "public-read")
			return list(w.from("anonymous"))
		}},
		// about-object-ownership: with BucketOwnerEnforced ACLs are disabled
		// and grant nothing.
		{name: "ACLs ignored with BucketOwnerEnforced", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.BucketOwnerEnforced)
			w.openPAB(b)
			w.cannedACL(b, "public-read")
			return list(w.from("anonymous"))
		}, check: stepIs(CheckACL, NotInvolved, "disabled")},
		// acl-overview: authenticated-read grants every AWS account but not
		// anonymous callers.
		{name: "authenticated-read ACL: anonymous denied", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.openPAB(b)
			w.cannedACL(b, "authenticated-read")
			return list(w.from("anonymous"))
		}},
		// acl-overview + evaluation-logic-cross-account: authenticated-read
		// lets another account's role list when its own policy allows.
		{name: "authenticated-read ACL: cross-account role with identity allow", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.openPAB(b)
			w.cannedACL(b, "authenticated-read")
			r := w.role("app", acctB)
			w.attach(r, s3AllOnB)
			return list(w.as(r))
		}},
		// access-control-block-public-access, BlockPublicAcls: S3 rejects
		// the PutBucketAcl that would make the bucket public, so the public
		// grant is never in place.
		{name: "public-read ACL with BlockPublicAcls only", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.pab(b, true, false, false, false)
			w.cannedACL(b, "public-read")
			return list(w.from("anonymous"))
		}},
		// acl-overview: the bucket owner's FULL_CONTROL grant names the
		// account, which delegates to its IAM policies: a role without an
		// identity Allow gets nothing from it.
		{name: "owner FULL_CONTROL does not grant a role by itself", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.cannedACL(b, "private")
			return list(w.as(w.role("app", acctA)))
		}},
		// acl-overview: a bucket ACL's READ covers listing, not the objects.
		{name: "public-read bucket ACL does not cover objects", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.openPAB(b)
			w.cannedACL(b, "public-read")
			return getObject(w.from("anonymous"))
		}},
		// enable-server-access-logging: log-delivery-write grants the
		// LogDelivery group WRITE on the bucket.
		{name: "log-delivery-write lets the logging service write", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.ownership(b, graph.ObjectWriter)
			w.cannedACL(b, "log-delivery-write")
			return Request{Caller: w.from("logging.s3.amazonaws.com"), Action: "s3:PutObject", Resource: "arn:aws:s3:::b/logs/x"}
		}},
	})
}

func TestDecideEndpoint(t *testing.T) {
	accountOnly := `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`
	runDecideCases(t, []decideCase{
		// vpc-endpoints-access (Principals for gateway endpoints): an account
		// principal in a gateway endpoint policy matches only the root user.
		{name: "gateway: account principal does not match a role", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			ep := w.endpoint("Gateway", accountOnly)
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}, check: stepIs(CheckEndpoint, Denied, "root user")},
		// vpc-endpoints-access: ... and matches the root user.
		{name: "gateway: account principal matches the root user", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			ep := w.endpoint("Gateway", accountOnly)
			req := getObject(w.from(acctA))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}},
		// vpc-endpoints-access (interface endpoints): an account principal
		// covers the account's users and roles.
		{name: "interface: account principal matches a role", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			ep := w.endpoint("Interface", accountOnly)
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}},
		// vpc-endpoints-access: gateway endpoints should use "*" with
		// aws:PrincipalArn instead.
		{name: "gateway: * with aws:PrincipalArn matches the role", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			ep := w.endpoint("Gateway", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*",
				"Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app"}}}}`)
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}},
		// vpc-endpoints-access (default endpoint policy): without a policy
		// the endpoint allows everything.
		{name: "no endpoint policy: default allows", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			ep := w.endpoint("Gateway", "")
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}, check: stepIs(CheckEndpoint, Allowed, "default")},
		// vpc-endpoints-access: endpoint policies filter but never grant.
		{name: "endpoint policy does not grant", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			ep := w.endpoint("Interface", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`)
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}},
		// vpc-endpoints-access: an endpoint policy that does not cover the
		// bucket blocks the request.
		{name: "endpoint policy limited to another bucket", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			ep := w.endpoint("Interface", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other/*"}}`)
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}},
	})
}

func TestDecideRoot(t *testing.T) {
	denyAll := `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}`
	runDecideCases(t, []decideCase{
		// reference_policies_evaluation-logic: the root user of the
		// resource's account needs no Allow.
		{name: "root needs no identity policy", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			return getObject(w.from(acctA))
		}},
		// S3 API DeleteBucketPolicy: the owner's root user can always delete
		// the bucket policy, even when it denies everyone.
		{name: "root can DeleteBucketPolicy despite deny-all", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, denyAll)
			return Request{Caller: w.from(rootARN(acctA)), Action: "s3:DeleteBucketPolicy", Resource: "arn:aws:s3:::b"}
		}},
		// S3 API DeleteBucketPolicy: likewise GetBucketPolicy and
		// PutBucketPolicy.
		{name: "root can PutBucketPolicy despite deny-all", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, denyAll)
			return Request{Caller: w.from(acctA), Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::b"}
		}},
		// S3 API DeleteBucketPolicy: the exemption is for the owner's root
		// user only; a role of the account stays locked out.
		{name: "a role cannot DeleteBucketPolicy despite deny-all", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, denyAll)
			r := w.role("admin", acctA)
			w.attach(r, s3AllOnB)
			return Request{Caller: w.as(r), Action: "s3:DeleteBucketPolicy", Resource: "arn:aws:s3:::b"}
		}},
		// S3 API DeleteBucketPolicy: VPC endpoint policies can still block
		// the root user.
		{name: "endpoint policy deny still blocks root DeleteBucketPolicy", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, denyAll)
			ep := w.endpoint("Interface", `{"Statement":[
				{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
				{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucketPolicy","Resource":"*"}]}`)
			return Request{Caller: w.from(acctA), Action: "s3:DeleteBucketPolicy", Resource: "arn:aws:s3:::b", Network: NetworkEndpoint, Endpoint: ep}
		}},
	})
}

func TestDecideSymbols(t *testing.T) {
	sym := string(graph.SymbolicAccount("aws"))
	prod := string(graph.SymbolicAccount("aws.prod"))
	symBucket := graph.SymbolicName("aws_s3_bucket.b", "root")
	denyAcct := func(acct string) string {
		return fmt.Sprintf(`{"Statement":{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, acct)
	}
	runDecideCases(t, []decideCase{
		// reference_policies_elements_principal (account principals cover
		// the account's roles), with the account written as the symbol of
		// the provider: the same symbol is the same account.
		{name: "same symbolic account matches", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", sym)
			r := w.role("app", sym)
			w.attach(r, getObjectsOfB)
			p := w.bucketPolicy(b, denyAcct(sym))
			w.expect(p, 0)
			return getObject(w.as(r))
		}},
		// Same rule: a grant to the role ARN with the symbol allows the
		// role of that account (same-account grant).
		{name: "same symbolic account: grant to role ARN", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", sym)
			r := w.role("app", sym)
			if r.ARN.V != "arn:aws:iam::"+sym+":role/app" {
				w.t.Fatalf("role ARN %q", r.ARN.V)
			}
			w.bucketPolicy(b, grant(awsPrincipal("arn:aws:iam::"+sym+":role/app"), "s3:GetObject"))
			return getObject(w.as(r))
		}},
		// Two different symbols may or may not be the same account: the
		// decision depends on it.
		{name: "different symbolic accounts are unknown", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", sym)
			r := w.role("app", prod)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyAcct(sym))
			return getObject(w.as(r))
		}, check: whyMentions("the account of aws")},
		// reference_policies_elements_resource: a Resource naming the bucket
		// by its (symbolic) name matches its objects.
		{name: "symbolic bucket name matched by its pattern", want: Allow, build: func(w *world) Request {
			r0 := w.rng("buckets.tf")
			b := &graph.Bucket{Entity: graph.Entity{Address: "aws_s3_bucket.b", Account: acctA, Range: r0, Root: "root"},
				Name: graph.StringOf(symBucket, r0), ARN: graph.StringUnknown(r0)}
			w.g.Buckets = append(w.g.Buckets, b)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`+symBucket+`/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: BucketARNOf(b) + "/k"}
		}},
		// Bucket names are globally unique: a Resource naming another bucket
		// of the configuration cannot match the symbolic one.
		{name: "symbolic bucket vs another named bucket", want: ImplicitDeny, build: func(w *world) Request {
			r0 := w.rng("buckets.tf")
			b := &graph.Bucket{Entity: graph.Entity{Address: "aws_s3_bucket.b", Account: acctA, Range: r0, Root: "root"},
				Name: graph.StringOf(symBucket, r0), ARN: graph.StringUnknown(r0)}
			w.g.Buckets = append(w.g.Buckets, b)
			w.bucket("other", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: BucketARNOf(b) + "/k"}
		}},
		// ... while a bucket name outside the configuration might be the
		// symbolic bucket's.
		{name: "symbolic bucket vs a name outside the configuration", want: Unknown, build: func(w *world) Request {
			r0 := w.rng("buckets.tf")
			b := &graph.Bucket{Entity: graph.Entity{Address: "aws_s3_bucket.b", Account: acctA, Range: r0, Root: "root"},
				Name: graph.StringOf(symBucket, r0), ARN: graph.StringUnknown(r0)}
			w.g.Buckets = append(w.g.Buckets, b)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::elsewhere/*"}}`)
			return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: BucketARNOf(b) + "/k"}
		}, check: whyMentions("the name of aws_s3_bucket.b")},
	})
}

func TestCallerFromARN(t *testing.T) {
	// reference_policies_elements_principal: the forms people write.
	cases := []struct {
		in              string
		kind            CallerKind
		acct, arn, sess string
		service         string
		ok              bool
	}{
		{in: "arn:aws:iam::111122223333:role/x", kind: CallerRole, acct: acctA, arn: "arn:aws:iam::111122223333:role/x", sess: "arn:aws:sts::111122223333:assumed-role/x/<session>", ok: true},
		{in: "arn:aws:iam::111122223333:role/path/x", kind: CallerRole, acct: acctA, arn: "arn:aws:iam::111122223333:role/path/x", sess: "arn:aws:sts::111122223333:assumed-role/x/<session>", ok: true},
		{in: "arn:aws:sts::111122223333:assumed-role/x/s1", kind: CallerRole, acct: acctA, arn: "arn:aws:iam::111122223333:role/x", sess: "arn:aws:sts::111122223333:assumed-role/x/s1", ok: true},
		{in: "arn:aws:iam::111122223333:user/alice", kind: CallerUser, acct: acctA, arn: "arn:aws:iam::111122223333:user/alice", ok: true},
		{in: "arn:aws:iam::111122223333:root", kind: CallerRoot, acct: acctA, arn: "arn:aws:iam::111122223333:root", ok: true},
		{in: "111122223333", kind: CallerRoot, acct: acctA, arn: "arn:aws:iam::111122223333:root", ok: true},
		{in: "anonymous", kind: CallerAnonymous, ok: true},
		{in: "*", kind: CallerAnonymous, ok: true},
		{in: "logging.s3.amazonaws.com", kind: CallerService, service: "logging.s3.amazonaws.com", ok: true},
		{in: "arn:aws:s3:::bucket", ok: false},
		{in: "not an arn", ok: false},
	}
	for _, tc := range cases {
		c, ok := CallerFromARN(tc.in)
		if ok != tc.ok {
			t.Errorf("CallerFromARN(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if c.Kind != tc.kind || string(c.Account) != tc.acct || c.ARN != tc.arn || c.Session != tc.sess || c.Service != tc.service {
			t.Errorf("CallerFromARN(%q) = %+v", tc.in, c)
		}
	}
}

// intentKey renders an intent for comparison.
func intentKey(in Intent) string {
	return in.Request.Caller.Label() + " " + in.Request.Action + " " + in.Request.Resource
}

func TestIntents(t *testing.T) {
	w := newWorld(t)
	data := w.bucket("data", acctA)
	w.bucket("other", acctA)
	app := w.role("app", acctA)
	w.attach(app, `{"Statement":[
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::data"},
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/reports/*"},
		{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::data"},
		{"Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::other/*"},
		{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::data/*"}]}`)
	wild := w.role("wild", acctA)
	w.attach(wild, `{"Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}}`)
	w.role("reader", acctA)
	w.bucketPolicy(data, `{"Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/outsider"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},
		{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/public/*"},
		{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}},
		{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::data/logs/*"}]}`)

	var got []string
	for _, in := range NewEngine(w.g).Intents() {
		got = append(got, intentKey(in))
		if in.Bucket == nil || in.Statement == nil || in.Policy == nil {
			t.Errorf("intent %s lacks its bucket, policy or statement", intentKey(in))
		}
	}
	want := []string{
		// A role policy naming the bucket: ListBucket on the bucket ARN.
		"aws_iam_role.app s3:ListBucket arn:aws:s3:::data",
		// GetObject on a prefix: the prefix with <key> for the wildcard.
		"aws_iam_role.app s3:GetObject arn:aws:s3:::data/reports/<key>",
		// An object action named with the bucket ARN is meant for its
		// objects (the classic 403).
		"aws_iam_role.app s3:PutObject arn:aws:s3:::data/<key>",
		// s3:* on objects of a bucket: the four core actions, the bucket
		// action on the bucket.
		"aws_iam_role.app s3:ListBucket arn:aws:s3:::other",
		"aws_iam_role.app s3:GetObject arn:aws:s3:::other/<key>",
		"aws_iam_role.app s3:PutObject arn:aws:s3:::other/<key>",
		"aws_iam_role.app s3:DeleteObject arn:aws:s3:::other/<key>",
		// A bucket policy naming a role of the graph.
		"aws_iam_role.reader s3:GetObject arn:aws:s3:::data/<key>",
		// An unconditional "*" grant: everyone, asked as anonymous.
		"anonymous caller s3:GetObject arn:aws:s3:::data/public/<key>",
		// A service principal.
		"logging.s3.amazonaws.com s3:PutObject arn:aws:s3:::data/logs/<key>",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Intents:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for _, g := range got {
		// "*" resources say nothing about which bucket is meant.
		if strings.HasPrefix(g, "aws_iam_role.wild ") {
			t.Errorf("intent from a \"*\" resource: %s", g)
		}
	}
}

func TestAccessTable(t *testing.T) {
	w := newWorld(t)
	data := w.bucket("data", acctA)
	app := w.role("app", acctA)
	w.attach(app, `{"Statement":[
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::data"},
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`)
	// S3 bucket-policies / evaluation-logic: the bucket policy's Deny
	// overrides the role's own Allow, so reading is intended but denied.
	w.bucketPolicy(data, `{"Statement":{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}}`)
	e := NewEngine(w.g)
	table := e.AccessTable(e.Intents())
	if len(table) != 1 || table[0].Bucket != data || len(table[0].Rows) != 1 {
		t.Fatalf("AccessTable = %+v", table)
	}
	row := table[0].Rows[0]
	if row.Caller.Principal != app {
		t.Fatalf("row caller %s", row.Caller.Label())
	}
	want := []struct {
		intended bool
		outcome  Outcome
	}{
		{true, Allow},         // list: intended and allowed
		{true, ExplicitDeny},  // read: intended but denied
		{false, ImplicitDeny}, // write: not intended
		{false, ImplicitDeny}, // delete: not intended
	}
	for i, c := range row.Cells {
		if c.Intended != want[i].intended || c.Decision.Outcome != want[i].outcome {
			t.Errorf("%s cell: intended %v outcome %v, want %v %v\n%s", AccessKinds[i], c.Intended, c.Decision.Outcome,
				want[i].intended, want[i].outcome, trace(c.Decision))
		}
	}
	if c := row.Cells[1]; !c.Intended || !c.Decision.Outcome.Denied() {
		t.Errorf("the read cell is not marked intended-but-denied")
	}
}

// RequesterPaysBuckets: a Requester Pays bucket allows no anonymous
// request, whatever its policy grants; signed callers are not affected.
func TestDecideRequesterPays(t *testing.T) {
	requesterPays := func(b *graph.Bucket, payer graph.String) {
		b.RequestPayment = &graph.RequestPayment{Setting: graph.Setting{Address: "aws_s3_bucket_request_payment_configuration.b", Range: payer.Range}, Payer: payer}
	}
	publicRead := `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
	runDecideCases(t, []decideCase{
		{name: "anonymous read refused", want: ImplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			w.bucketPolicy(b, publicRead)
			requesterPays(b, graph.StringOf("Requester", w.rng("payment.tf")))
			return getObject(w.from("anonymous"))
		}, check: func(t *testing.T, d Decision) {
			if d.Label() != "DENY" || d.Step(CheckCaller).Status != Denied || !strings.Contains(d.Fix, "BucketOwner") {
				t.Errorf("label %s, caller step %v, fix %q\n%s", d.Label(), d.Step(CheckCaller).Status, d.Fix, trace(d))
			}
		}},
		{name: "owner pays", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			w.bucketPolicy(b, publicRead)
			requesterPays(b, graph.StringOf("BucketOwner", w.rng("payment.tf")))
			return getObject(w.from("anonymous"))
		}},
		{name: "payer not known", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.openPAB(b)
			w.bucketPolicy(b, publicRead)
			requesterPays(b, graph.StringUnknown(w.rng("payment.tf")))
			return getObject(w.from("anonymous"))
		}, check: func(t *testing.T, d Decision) {
			// The caller step is undecided, and points at the payer.
			if s := d.Step(CheckCaller); s.Status != Undecided || len(s.Where) == 0 || !strings.Contains(s.Where[len(s.Where)-1].Range.File, "payment.tf") {
				t.Errorf("caller step %v at %v\n%s", s.Status, s.Where, trace(d))
			}
		}},
		{name: "signed caller of the owner's account", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			requesterPays(b, graph.StringOf("Requester", w.rng("payment.tf")))
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			return getObject(w.as(r))
		}},
	})
}
