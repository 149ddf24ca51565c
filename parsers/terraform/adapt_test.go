package terraform_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

const simplePolicy = `jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })`

const trust = `jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })`

// policiesOf renders the policies of a principal as kind:address.
func policiesOf(p *graph.Principal) []string {
	out := []string{}
	for _, pol := range p.Policies {
		out = append(out, pol.Address+"/"+s(pol.Name))
	}
	return sortedStrings(out)
}

func attachedOf(p *graph.Policy) []string {
	out := []string{}
	for _, a := range p.Attached {
		out = append(out, a.Address)
	}
	return sortedStrings(out)
}

func managedOf(p *graph.Principal) []string {
	out := []string{}
	for _, m := range p.ManagedARNs {
		out = append(out, s(m))
	}
	return sortedStrings(out)
}

func TestRolePolicies(t *testing.T) {
	g := load(t, tree{"main.tf": `
provider "aws" { allowed_account_ids = ["111122223333"] }

resource "aws_iam_role" "r" {
  name               = "app"
  path               = "/svc/"
  assume_role_policy = ` + trust + `

  inline_policy {
    name   = "inline-one"
    policy = ` + simplePolicy + `
  }
  inline_policy {
    name   = "inline-two"
    policy = ` + simplePolicy + `
  }

  managed_policy_arns = [
    aws_iam_policy.managed_by_arn.arn,
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
  ]
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_role" "other" {
  name               = "other"
  assume_role_policy = ` + trust + `
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_role_policy" "by_name" {
  name   = "by-name"
  role   = "app"
  policy = ` + simplePolicy + `
}

resource "aws_iam_role_policy" "by_ref" {
  name   = "by-ref"
  role   = aws_iam_role.r.name
  policy = ` + simplePolicy + `
}

resource "aws_iam_role_policy" "by_id" {
  name   = "by-id"
  role   = aws_iam_role.r.id
  policy = ` + simplePolicy + `
}

resource "aws_iam_role_policy" "nobody" {
  name   = "nobody"
  role   = "not-a-role-here"
  policy = ` + simplePolicy + `
}

resource "aws_iam_policy" "attached" {
  name   = "attached"
  policy = ` + simplePolicy + `
}

resource "aws_iam_policy" "managed_by_arn" {
  name   = "managed-by-arn"
  policy = ` + simplePolicy + `
}

resource "aws_iam_policy" "boundary" {
  name   = "boundary"
  policy = ` + simplePolicy + `
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.attached.arn
}

resource "aws_iam_role_policy_attachment" "aws_managed" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_iam_role_policy_attachment" "literal_arn" {
  role       = "other"
  policy_arn = "arn:aws:iam::111122223333:policy/attached"
}
`})
	g.noDiags(t)
	r := g.principal(t, "aws_iam_role.r")
	eq(t, "kind", r.Kind, graph.Role)
	eq(t, "name", s(r.Name), "app")
	eq(t, "arn", s(r.ARN), "arn:aws:iam::111122223333:role/svc/app")
	eq(t, "account", string(r.Account), "111122223333")
	eqList(t, "policies", policiesOf(r), []string{
		"aws_iam_policy.attached/attached",
		"aws_iam_policy.managed_by_arn/managed-by-arn",
		"aws_iam_role.r/inline-one",
		"aws_iam_role.r/inline-two",
		"aws_iam_role_policy.by_id/by-id",
		"aws_iam_role_policy.by_name/by-name",
		"aws_iam_role_policy.by_ref/by-ref",
	})
	eqList(t, "managed ARNs", managedOf(r), []string{
		"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
		"arn:aws:iam::aws:policy/ReadOnlyAccess",
	})
	if r.Boundary == nil || r.Boundary.Address != "aws_iam_policy.boundary" {
		t.Errorf("boundary = %v", r.Boundary)
	}
	eq(t, "boundary arn", s(r.BoundaryARN), "arn:aws:iam::111122223333:policy/boundary")
	if r.Trust == nil || r.Trust.Kind != graph.TrustPolicy || r.Trust.Doc == nil {
		t.Fatalf("trust = %+v", r.Trust)
	}
	tp := stmt(t, r.Trust.Doc, 0).Principal
	if tp == nil || len(tp.Entries) != 1 || s(tp.Entries[0].Type) != "Service" || s(tp.Entries[0].Values[0]) != "ec2.amazonaws.com" {
		t.Errorf("trust principal = %+v", tp)
	}

	other := g.principal(t, "aws_iam_role.other")
	eqList(t, "other policies", policiesOf(other), []string{"aws_iam_policy.attached/attached"})
	if other.Boundary != nil {
		t.Errorf("other: boundary in graph: %v", other.Boundary)
	}
	eq(t, "other boundary arn", s(other.BoundaryARN), "arn:aws:iam::aws:policy/PowerUserAccess")

	eqList(t, "attached policy", attachedOf(g.policy(t, "aws_iam_policy.attached", graph.IdentityPolicy)),
		[]string{"aws_iam_role.other", "aws_iam_role.r"})
	eqList(t, "nobody", attachedOf(g.policy(t, "aws_iam_role_policy.nobody", graph.IdentityPolicy)), []string{})
	// Inline policies of a role are identity policies under the role's
	// address; the trust policy is separate.
	eq(t, "role identity policies", len(g.policies("aws_iam_role.r", graph.IdentityPolicy)), 2)
	eq(t, "role trust policies", len(g.policies("aws_iam_role.r", graph.TrustPolicy)), 1)
	// The managed policy's own entity.
	mp := g.policy(t, "aws_iam_policy.attached", graph.IdentityPolicy)
	eq(t, "managed arn", s(mp.ARN), "arn:aws:iam::111122223333:policy/attached")
	eq(t, "managed type", mp.Type, "aws_iam_policy")
	eq(t, "managed account", string(mp.Account), "111122223333")
	eq(t, "managed doc range", g.r(mp.DocRange), g.span(t, "main.tf", "policy = "+simplePolicy, 6))
}

func TestPolicyAttachment(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_iam_role" "r" {
  name               = "role-a"
  assume_role_policy = "{}"
}
resource "aws_iam_user" "u" { name = "alice" }
resource "aws_iam_user" "v" { name = "bob" }
resource "aws_iam_group" "g" { name = "devs" }

resource "aws_iam_policy" "p" {
  name   = "shared"
  policy = ` + simplePolicy + `
}

resource "aws_iam_policy_attachment" "all" {
  name       = "all"
  roles      = [aws_iam_role.r.name]
  users      = ["alice", aws_iam_user.v.name]
  groups     = [aws_iam_group.g.name]
  policy_arn = aws_iam_policy.p.arn
}

resource "aws_iam_user_policy" "up" {
  name   = "user-inline"
  user   = aws_iam_user.u.name
  policy = ` + simplePolicy + `
}

resource "aws_iam_group_policy" "gp" {
  name   = "group-inline"
  group  = "devs"
  policy = ` + simplePolicy + `
}

resource "aws_iam_user_policy_attachment" "ua" {
  user       = aws_iam_user.v.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_iam_group_policy_attachment" "ga" {
  group      = aws_iam_group.g.name
  policy_arn = aws_iam_policy.p.arn
}

resource "aws_iam_user_group_membership" "m" {
  user   = aws_iam_user.u.name
  groups = [aws_iam_group.g.name]
}

resource "aws_iam_group_membership" "gm" {
  name  = "gm"
  group = aws_iam_group.g.name
  users = ["bob"]
}
`})
	g.noDiags(t)
	eqList(t, "shared attached to", attachedOf(g.policy(t, "aws_iam_policy.p", graph.IdentityPolicy)), []string{
		"aws_iam_group.g", "aws_iam_group.g", "aws_iam_role.r", "aws_iam_user.u", "aws_iam_user.v",
	})
	u := g.principal(t, "aws_iam_user.u")
	eq(t, "user kind", u.Kind, graph.User)
	eqList(t, "alice policies", policiesOf(u), []string{"aws_iam_policy.p/shared", "aws_iam_user_policy.up/user-inline"})
	eq(t, "alice groups", len(u.Groups), 1)
	v := g.principal(t, "aws_iam_user.v")
	eqList(t, "bob managed", managedOf(v), []string{"arn:aws:iam::aws:policy/AmazonS3FullAccess"})
	eq(t, "bob groups", len(v.Groups), 1)
	gr := g.principal(t, "aws_iam_group.g")
	eq(t, "group kind", gr.Kind, graph.Group)
	eqList(t, "group policies", policiesOf(gr), []string{
		"aws_iam_group_policy.gp/group-inline", "aws_iam_policy.p/shared", "aws_iam_policy.p/shared",
	})
}

// Attachments through count/for_each and across modules.
func TestAttachmentsAcrossInstancesAndModules(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "roles" {
  source = "./modules/roles"
  names  = ["reader", "writer"]
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = ` + simplePolicy + `
}

resource "aws_iam_role_policy_attachment" "each" {
  for_each   = module.roles.names
  role       = each.value
  policy_arn = aws_iam_policy.p.arn
}

resource "aws_iam_role_policy" "by_output" {
  name   = "by-output"
  role   = module.roles.reader_name
  policy = ` + simplePolicy + `
}
`,
		"modules/roles/main.tf": `
variable "names" { type = list(string) }
resource "aws_iam_role" "r" {
  count              = length(var.names)
  name               = var.names[count.index]
  assume_role_policy = "{}"
}
output "names" { value = toset(aws_iam_role.r[*].name) }
output "reader_name" { value = aws_iam_role.r[0].name }
`,
	})
	g.noDiags(t)
	reader := g.principal(t, "module.roles.aws_iam_role.r[0]")
	writer := g.principal(t, "module.roles.aws_iam_role.r[1]")
	eq(t, "reader name", s(reader.Name), "reader")
	// Attachments by name reach roles defined in called modules; a role
	// given through a module output is found by reference.
	eqList(t, "reader policies", policiesOf(reader), []string{"aws_iam_policy.p/p", "aws_iam_role_policy.by_output/by-output"})
	eqList(t, "writer policies", policiesOf(writer), []string{"aws_iam_policy.p/p"})
}

// Attachments to a principal whose name cannot be known link nothing and
// do not fail.
func TestAttachmentsUnknown(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "role" { type = string }
variable "arn" { type = string }
resource "aws_iam_role" "r" {
  name               = var.role
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = var.role
  policy_arn = var.arn
}
resource "aws_iam_role_policy_attachment" "b" {
  role       = aws_iam_role.r.name
  policy_arn = var.arn
}
resource "aws_iam_policy_attachment" "c" {
  name       = "c"
  roles      = [var.role]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`})
	g.noErrors(t)
	r := g.principal(t, "aws_iam_role.r")
	eq(t, "name", s(r.Name), "?")
	// The name is not known: a symbol stands for it in the ARN.
	eq(t, "arn", s(r.ARN), "arn:aws:iam::"+string(graph.SymbolicAccount("aws in "+g.dir))+":role/"+graph.SymbolicName("aws_iam_role.r", strings.ReplaceAll(g.dir, "%", "%25")))
	// b refers to the role itself: its unknown policy ARN is recorded; c
	// attaches a policy to a role named by an input, which may be r (its
	// name is not known either): that is an unknown policy of r too.
	eqList(t, "managed", managedOf(r), []string{"?", "?"})
}

func TestBucketPolicies(t *testing.T) {
	g := load(t, tree{"main.tf": `
provider "aws" { allowed_account_ids = ["111122223333"] }

resource "aws_s3_bucket" "a" { bucket = "acme-a" }
resource "aws_s3_bucket" "b" { bucket = "acme-b" }
resource "aws_s3_bucket" "c" { bucket = "acme-c" }
resource "aws_s3_bucket" "gen" { bucket_prefix = "gen-" }
resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"
  policy = ` + simplePolicy + `
}

locals { c_name = aws_s3_bucket.c.bucket }

resource "aws_s3_bucket_policy" "by_ref" {
  bucket = aws_s3_bucket.a.id
  policy = ` + simplePolicy + `
}

resource "aws_s3_bucket_policy" "by_name" {
  bucket = "acme-b"
  policy = ` + simplePolicy + `
}

resource "aws_s3_bucket_policy" "by_local" {
  bucket = local.c_name
  policy = ` + simplePolicy + `
}

resource "aws_s3_bucket_policy" "generated" {
  bucket = aws_s3_bucket.gen.id
  policy = ` + simplePolicy + `
}

resource "aws_s3_bucket_policy" "elsewhere" {
  bucket = "someone-elses-bucket"
  policy = ` + simplePolicy + `
}
`})
	g.noDiags(t)
	for _, c := range []struct{ policy, bucket, ref string }{
		{"aws_s3_bucket_policy.by_ref", "aws_s3_bucket.a", "acme-a"},
		{"aws_s3_bucket_policy.by_name", "aws_s3_bucket.b", "acme-b"},
		{"aws_s3_bucket_policy.by_local", "aws_s3_bucket.c", "acme-c"},
		{"aws_s3_bucket_policy.generated", "aws_s3_bucket.gen", "?"},
		{"aws_s3_bucket_policy.elsewhere", "", "someone-elses-bucket"},
		{"aws_s3_bucket.legacy", "aws_s3_bucket.legacy", "acme-legacy"},
	} {
		p := g.policy(t, c.policy, graph.BucketPolicy)
		got := ""
		if p.Bucket != nil {
			got = p.Bucket.Address
		}
		eq(t, c.policy+" bucket", got, c.bucket)
		eq(t, c.policy+" ref", s(p.BucketRef), c.ref)
		eq(t, c.policy+" account", string(p.Account), "111122223333")
		if p.Doc == nil {
			t.Errorf("%s: no document", c.policy)
		}
	}
	eq(t, "ref range", g.start(g.policy(t, "aws_s3_bucket_policy.by_name", graph.BucketPolicy).BucketRef.Range),
		g.at(t, "main.tf", `"acme-b"`, 1))
	for _, c := range []struct {
		bucket string
		n      int
	}{{"aws_s3_bucket.a", 1}, {"aws_s3_bucket.b", 1}, {"aws_s3_bucket.c", 1}, {"aws_s3_bucket.gen", 1}, {"aws_s3_bucket.legacy", 1}} {
		eq(t, c.bucket+" policies", len(g.bucket(t, c.bucket).Policies), c.n)
	}
	gen := g.bucket(t, "aws_s3_bucket.gen")
	eq(t, "generated name", s(gen.Name), "?")
	eq(t, "generated arn (symbol address)", graph.SymbolAddress(s(gen.ARN)), "aws_s3_bucket.gen")
	if !strings.HasPrefix(s(gen.ARN), "arn:aws:s3:::<name of aws_s3_bucket.gen") {
		t.Errorf("generated arn = %s, want a symbolic bucket ARN", s(gen.ARN))
	}
	a := g.bucket(t, "aws_s3_bucket.a")
	eq(t, "a arn", s(a.ARN), "arn:aws:s3:::acme-a")
	eq(t, "a account", string(a.Account), "111122223333")
	eq(t, "a type", a.Type, "aws_s3_bucket")
	eq(t, "a format", a.Format, graph.Terraform)
	eq(t, "a name range", g.r(a.Name.Range), g.span(t, "main.tf", `"acme-a"`, 0))
}

// A bucket policy names a bucket of another root by its literal name.
func TestBucketPolicyAcrossRoots(t *testing.T) {
	g := load(t, tree{
		"storage/main.tf": `resource "aws_s3_bucket" "logs" { bucket = "shared-logs" }`,
		"access/main.tf": `
resource "aws_s3_bucket_policy" "p" {
  bucket = "shared-logs"
  policy = ` + simplePolicy + `
}
`,
	})
	g.noDiags(t)
	p := g.policy(t, "aws_s3_bucket_policy.p", graph.BucketPolicy)
	if p.Bucket == nil || g.rel(p.Bucket.Range.File) != "storage/main.tf" {
		t.Fatalf("policy not linked across roots\n%s", g.dump())
	}
	eq(t, "bucket policies", len(g.bucket(t, "aws_s3_bucket.logs").Policies), 1)
}

// A bucket policy in a module, given the bucket through a variable.
func TestBucketPolicyThroughModule(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
resource "aws_s3_bucket" "b" { bucket = "acme" }
module "policy" {
  source    = "./modules/policy"
  bucket_id = aws_s3_bucket.b.id
}
module "store" {
  source = "./modules/store"
  name   = "from-module"
}
resource "aws_s3_bucket_policy" "on_module_bucket" {
  bucket = module.store.id
  policy = ` + simplePolicy + `
}
`,
		"modules/policy/main.tf": `
variable "bucket_id" { type = string }
resource "aws_s3_bucket_policy" "p" {
  bucket = var.bucket_id
  policy = ` + simplePolicy + `
}
`,
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	p := g.policy(t, "module.policy.aws_s3_bucket_policy.p", graph.BucketPolicy)
	if p.Bucket == nil || p.Bucket.Address != "aws_s3_bucket.b" {
		t.Errorf("module policy bucket = %v", p.Bucket)
	}
	q := g.policy(t, "aws_s3_bucket_policy.on_module_bucket", graph.BucketPolicy)
	if q.Bucket == nil || q.Bucket.Address != "module.store.aws_s3_bucket.this" {
		t.Errorf("policy on module bucket: bucket = %v", q.Bucket)
	}
	eq(t, "b policies", len(g.bucket(t, "aws_s3_bucket.b").Policies), 1)
}

// Other policy kinds.
func TestOtherPolicyKinds(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_kms_key" "k" {
  policy = ` + simplePolicy + `
}
resource "aws_kms_key" "k2" {}
resource "aws_kms_key_policy" "kp" {
  key_id = aws_kms_key.k2.id
  policy = ` + simplePolicy + `
}
resource "aws_vpc_endpoint" "e" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.s3"
  policy       = ` + simplePolicy + `
}
resource "aws_s3_access_point" "ap" {
  bucket = "acme"
  name   = "ap"
  policy = ` + simplePolicy + `
}
`})
	g.noDiags(t)
	eq(t, "keys", len(g.Keys), 2)
	g.policy(t, "aws_kms_key.k", graph.KeyPolicy)
	kp := g.policy(t, "aws_kms_key_policy.kp", graph.KeyPolicy)
	for _, k := range g.Keys {
		if k.Address == "aws_kms_key.k2" && k.Policy != kp {
			t.Errorf("k2 policy = %v", k.Policy)
		}
	}
	eq(t, "endpoints", len(g.Endpoints), 1)
	eq(t, "endpoint service", s(g.Endpoints[0].Service), "com.amazonaws.eu-west-1.s3")
	if g.Endpoints[0].Policy == nil || g.Endpoints[0].Policy.Kind != graph.EndpointPolicy {
		t.Errorf("endpoint policy = %v", g.Endpoints[0].Policy)
	}
	g.policy(t, "aws_s3_access_point.ap", graph.AccessPointPolicy)
}

// A policy whose document cannot be known is still in the graph, with a
// nil document.
func TestUnknownPolicyDocument(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "policy" { type = string }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = var.policy
}
resource "aws_s3_bucket_policy" "bp" {
  bucket = "acme"
  policy = var.policy
}
`})
	g.noErrors(t)
	if p := g.policy(t, "aws_iam_policy.p", graph.IdentityPolicy); p.Doc != nil {
		t.Errorf("document should be unknown: %+v", p.Doc)
	}
	if p := g.policy(t, "aws_s3_bucket_policy.bp", graph.BucketPolicy); p.Doc != nil {
		t.Errorf("document should be unknown: %+v", p.Doc)
	}
}

// A policy that is not JSON is a document of the wrong shape, located at
// the attribute.
func TestMalformedPolicyDocument(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = "not json"
}
`})
	p := g.policy(t, "aws_iam_policy.p", graph.IdentityPolicy)
	if p.Doc == nil || len(p.Doc.Problems) == 0 {
		t.Fatalf("want a document with problems, got %+v", p.Doc)
	}
	eq(t, "problem at", g.start(p.Doc.Problems[0].Range), g.at(t, "main.tf", `"not json"`, 0))
}

// Bucket policies of for_each'd buckets are linked to the right instance
// by reference, even when the bucket names cannot be known (so linking by
// name cannot help).
func TestBucketPolicyLinkPerInstance(t *testing.T) {
	for _, c := range []struct{ name, meta, bucket string }{
		{"literal key", `for_each = toset(["a", "b"])`, `aws_s3_bucket.b["a"].id`},
		{"each.value of the bucket collection", `for_each = aws_s3_bucket.b`, `each.value.id`},
		{"computed key", `for_each = toset(["a", "b"])`, `aws_s3_bucket.b[each.key].id`},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := load(t, tree{"main.tf": `
resource "aws_s3_bucket" "b" {
  for_each      = toset(["a", "b"])
  bucket_prefix = "gen-${each.key}-"
}
resource "aws_s3_bucket_policy" "p" {
  ` + c.meta + `
  bucket = ` + c.bucket + `
  policy = ` + simplePolicy + `
}
`})
			g.noDiags(t)
			var got []string
			for _, p := range g.Policies {
				target := "<none>"
				if p.Bucket != nil {
					target = p.Bucket.Address
				}
				got = append(got, p.Address+"->"+target)
			}
			want := []string{`aws_s3_bucket_policy.p["a"]->aws_s3_bucket.b["a"]`, `aws_s3_bucket_policy.p["b"]->aws_s3_bucket.b["b"]`}
			if c.name == "literal key" {
				want[1] = `aws_s3_bucket_policy.p["b"]->aws_s3_bucket.b["a"]`
			}
			eqList(t, "links", sortedStrings(got), want)
		})
	}
}

// Roles given to attachments by a computed index are found too.
func TestRoleAttachmentPerInstance(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_iam_role" "r" {
  for_each           = toset(["a", "b"])
  name_prefix        = "gen-${each.key}-"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "p" {
  for_each = aws_iam_role.r
  name     = "p-${each.key}"
  role     = each.value.id
  policy   = ` + simplePolicy + `
}
`})
	g.noDiags(t)
	var got []string
	for _, p := range g.Principals {
		got = append(got, p.Address+":"+strings.Join(policiesOf(p), ","))
	}
	want := []string{
		`aws_iam_role.r["a"]:aws_iam_role_policy.p["a"]/p-a`,
		`aws_iam_role.r["b"]:aws_iam_role_policy.p["b"]/p-b`,
	}
	eqList(t, "attachments", got, want)
}

// Resources carry the partition of their provider's region when the region
// is written; otherwise the partition is unknown (""), not the "aws" that
// ARNs are built with, so that rules comparing partitions stay silent.
func TestEntityPartition(t *testing.T) {
	g := load(t, tree{"main.tf": `
provider "aws" {
  region = "cn-north-1"
}
provider "aws" {
  alias  = "gov"
  region = "us-gov-west-1"
}
provider "aws" {
  alias  = "commercial"
  region = "eu-west-1"
}
variable "region" { type = string }
provider "aws" {
  alias  = "unknown"
  region = var.region
}
resource "aws_iam_policy" "cn" {
  policy = ` + simplePolicy + `
}
resource "aws_iam_policy" "gov" {
  provider = aws.gov
  policy   = ` + simplePolicy + `
}
resource "aws_iam_policy" "commercial" {
  provider = aws.commercial
  policy   = ` + simplePolicy + `
}
resource "aws_iam_policy" "unknown" {
  provider = aws.unknown
  policy   = ` + simplePolicy + `
}
resource "aws_s3_bucket" "b" {
  bucket = "acme-cn"
}
`})
	g.noDiags(t)
	for addr, want := range map[string]string{
		"aws_iam_policy.cn": "aws-cn", "aws_iam_policy.gov": "aws-us-gov",
		"aws_iam_policy.commercial": "aws", "aws_iam_policy.unknown": "",
	} {
		eq(t, addr+" partition", g.policy(t, addr, graph.IdentityPolicy).Partition, want)
	}
	b := g.bucket(t, "aws_s3_bucket.b")
	eq(t, "bucket partition", b.Partition, "aws-cn")
	eq(t, "bucket arn", s(b.ARN), "arn:aws-cn:s3:::acme-cn")
}
