package terraform_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/terraform"
)

// storeModule is a module with one bucket named by its input and outputs.
const storeModule = `
variable "name" { type = string }
variable "unused" { default = "x" }

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

output "arn" { value = aws_s3_bucket.this.arn }
output "id" { value = aws_s3_bucket.this.id }
`

// bucketsOf renders every bucket as address=name.
func (g *loaded) bucketsOf() []string {
	out := []string{}
	for _, b := range g.Buckets {
		out = append(out, b.Address+"="+s(b.Name))
	}
	return sortedStrings(out)
}

func TestModuleInputsAndOutputs(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "store" {
  source = "./modules/store"
  name   = "acme-data"
}

resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["${module.store.arn}/*", module.store.arn, "arn:aws:s3:::${module.store.id}/x"]
    }]
  })
}
`,
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	// The module directory is evaluated as the call, not on its own as
	// well.
	eqList(t, "buckets", g.bucketsOf(), []string{"module.store.aws_s3_bucket.this=acme-data"})
	b := g.bucket(t, "module.store.aws_s3_bucket.this")
	eq(t, "bucket arn", s(b.ARN), "arn:aws:s3:::acme-data")
	eq(t, "bucket file", g.rel(b.Range.File), "modules/store/main.tf")
	eq(t, "bucket range", g.r(b.Range), "modules/store/main.tf:5:1-7:2")
	eq(t, "bucket name at", g.start(b.Name.Range), g.at(t, "modules/store/main.tf", "var.name", 0))
	eq(t, "bucket account", b.Account, graph.SymbolicAccount("aws in "+g.dir))
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	eqList(t, "resources", items(stmt(t, d, 0).Resource),
		[]string{"arn:aws:s3:::acme-data/*", "arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/x"})
}

func TestModuleCountAndForEach(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "counted" {
  count  = 2
  source = "./modules/store"
  name   = "counted-${count.index}"
}

module "each" {
  for_each = { a = "acme-a", b = "acme-b" }
  source   = "./modules/store"
  name     = each.value
}

module "set" {
  for_each = toset(["x"])
  source   = "./modules/store"
  name     = "set-${each.key}"
}

data "aws_iam_policy_document" "d" {
  statement {
    actions = ["s3:GetObject"]
    resources = concat(
      module.counted[*].arn,
      [module.counted[1].id],
      [module.each["b"].arn],
      [for k, m in module.each : "${m.arn}/${k}"],
      values(module.set)[*].id,
    )
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
`,
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	eqList(t, "buckets", g.bucketsOf(), []string{
		`module.counted[0].aws_s3_bucket.this=counted-0`,
		`module.counted[1].aws_s3_bucket.this=counted-1`,
		`module.each["a"].aws_s3_bucket.this=acme-a`,
		`module.each["b"].aws_s3_bucket.this=acme-b`,
		`module.set["x"].aws_s3_bucket.this=set-x`,
	})
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	eqList(t, "resources", items(stmt(t, d, 0).Resource), []string{
		"arn:aws:s3:::counted-0", "arn:aws:s3:::counted-1",
		"counted-1",
		"arn:aws:s3:::acme-b",
		"arn:aws:s3:::acme-a/a", "arn:aws:s3:::acme-b/b",
		"set-x",
	})
}

func TestModuleUnknownCount(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
variable "n" { type = number }
variable "names" { type = set(string) }
module "c" {
  count  = var.n
  source = "./modules/store"
  name   = "c-${count.index}"
}
module "e" {
  for_each = var.names
  source   = "./modules/store"
  name     = "fixed"
}
`,
		"modules/store/main.tf": storeModule,
	})
	g.noErrors(t)
	eqList(t, "buckets", g.bucketsOf(), []string{
		"module.c[count.index].aws_s3_bucket.this=?",
		"module.e[each.key].aws_s3_bucket.this=fixed",
	})
}

func TestNestedModules(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "outer" {
  source = "./modules/outer"
  env    = "prod"
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = module.outer.arns }] })
}
`,
		"modules/outer/main.tf": `
variable "env" {}
module "inner" {
  source = "../inner"
  prefix = "acme-${var.env}"
}
module "store" {
  source = "../store"
  name   = "${module.inner.name}-store"
}
output "arns" { value = [module.inner.arn, module.store.arn] }
`,
		"modules/inner/main.tf": `
variable "prefix" {}
resource "aws_s3_bucket" "b" { bucket = "${var.prefix}-inner" }
output "name" { value = aws_s3_bucket.b.bucket }
output "arn" { value = aws_s3_bucket.b.arn }
`,
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	eqList(t, "buckets", g.bucketsOf(), []string{
		"module.outer.module.inner.aws_s3_bucket.b=acme-prod-inner",
		"module.outer.module.store.aws_s3_bucket.this=acme-prod-inner-store",
	})
	d := g.doc(t, "aws_iam_policy.p", graph.IdentityPolicy)
	eqList(t, "resources", items(stmt(t, d, 0).Resource),
		[]string{"arn:aws:s3:::acme-prod-inner", "arn:aws:s3:::acme-prod-inner-store"})
}

func TestModuleProviders(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
provider "aws" {
  alias  = "other"
  region = "cn-north-1"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/deploy"
  }
}

module "default" {
  source = "./modules/acct"
  name   = "default"
}
module "other" {
  source    = "./modules/acct"
  name      = "other"
  providers = { aws = aws.other }
}
module "nested" {
  source    = "./modules/middle"
  providers = {
    aws.secondary = aws.other
  }
}
`,
		"modules/acct/main.tf": `
variable "name" {}
data "aws_caller_identity" "me" {}
data "aws_partition" "p" {}
resource "aws_s3_bucket" "b" {
  bucket = "${var.name}-${data.aws_caller_identity.me.account_id}"
}
resource "aws_iam_role" "r" {
  name               = var.name
  assume_role_policy = "{}"
}
output "partition" { value = data.aws_partition.p.partition }
`,
		"modules/middle/main.tf": `
terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.secondary]
    }
  }
}
module "leaf" {
  source    = "../acct"
  name      = "leaf"
  providers = { aws = aws.secondary }
}
`,
	})
	g.noDiags(t)
	for _, c := range []struct {
		bucket, role, name, account, provider, arn string
	}{
		{"module.default.aws_s3_bucket.b", "module.default.aws_iam_role.r", "default-111122223333", "111122223333", "aws",
			"arn:aws:iam::111122223333:role/default"},
		{"module.other.aws_s3_bucket.b", "module.other.aws_iam_role.r", "other-444455556666", "444455556666", "aws.other",
			"arn:aws-cn:iam::444455556666:role/other"},
		{"module.nested.module.leaf.aws_s3_bucket.b", "module.nested.module.leaf.aws_iam_role.r", "leaf-444455556666", "444455556666", "aws.other",
			"arn:aws-cn:iam::444455556666:role/leaf"},
	} {
		b := g.bucket(t, c.bucket)
		eq(t, c.bucket+" name", s(b.Name), c.name)
		eq(t, c.bucket+" account", string(b.Account), c.account)
		eq(t, c.bucket+" provider", b.Provider, c.provider)
		r := g.principal(t, c.role)
		eq(t, c.role+" account", string(r.Account), c.account)
		eq(t, c.role+" arn", s(r.ARN), c.arn)
	}
	eq(t, "other bucket arn", s(g.bucket(t, "module.other.aws_s3_bucket.b").ARN), "arn:aws-cn:s3:::other-444455556666")
}

func TestModuleRegistrySource(t *testing.T) {
	g := load(t, tree{"main.tf": `
module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"
  bucket  = "acme-registry"
}

resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = ["${module.bucket.s3_bucket_arn}/*", module.bucket.s3_bucket_arn]
    }]
  })
}

resource "aws_s3_bucket_policy" "bp" {
  bucket = module.bucket.s3_bucket_id
  policy = jsonencode({
    Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "${module.bucket.s3_bucket_arn}/*" }]
  })
}
`})
	g.noErrors(t)
	notes := g.diags(graph.DiagNote)
	if len(notes) != 1 {
		t.Fatalf("want exactly one note, got %q", notes)
	}
	if !strings.HasPrefix(notes[0], g.at(t, "main.tf", `"terraform-aws-modules/s3-bucket/aws"`, 0)+": ") ||
		!strings.Contains(notes[0], "terraform-aws-modules/s3-bucket/aws") {
		t.Errorf("note = %q", notes[0])
	}
	if len(g.Buckets) != 0 {
		t.Errorf("buckets: %v", g.bucketsOf())
	}
	p := g.policy(t, "aws_iam_policy.p", graph.IdentityPolicy)
	if p.Doc != nil {
		for _, st := range p.Doc.Statements {
			if st.Resource.AllKnown() {
				t.Errorf("resources known: %v", items(st.Resource))
			}
		}
	}
	bp := g.policy(t, "aws_s3_bucket_policy.bp", graph.BucketPolicy)
	if bp.BucketRef.Known() || bp.Bucket != nil {
		t.Errorf("bucket policy of a registry bucket: ref %s, bucket %v", s(bp.BucketRef), bp.Bucket)
	}
}

func TestModuleGitSource(t *testing.T) {
	g := load(t, tree{"main.tf": `
module "a" { source = "git::https://example.com/mods.git//s3?ref=v1" }
module "b" { source = "github.com/acme/mods//s3" }
`})
	g.noErrors(t)
	eq(t, "notes", len(g.diags(graph.DiagNote)), 2)
}

func TestModuleSourceOutsideRoot(t *testing.T) {
	g := load(t, tree{
		"root/main.tf": `
module "shared" {
  source = "../shared"
  name   = "acme"
}
`,
		"shared/main.tf": storeModule,
	}, withPaths("root"))
	g.noErrors(t)
	notes := g.diags(graph.DiagNote)
	if len(notes) != 1 || !strings.Contains(notes[0], "outside the scan root") ||
		!strings.HasPrefix(notes[0], g.at(t, "root/main.tf", `"../shared"`, 0)) {
		t.Errorf("notes = %q", notes)
	}
	if len(g.Buckets) != 0 {
		t.Errorf("module outside the root was read: %v", g.bucketsOf())
	}
}

func TestModuleSourceMissing(t *testing.T) {
	g := load(t, tree{"main.tf": `module "m" { source = "./nope" }` + "\n" + bucketNamed(`"still"`)})
	// A missing local module is an input error (terraform init fails too),
	// reported once where the source is written.
	errs := g.diags(graph.DiagError)
	if len(errs) != 1 || !strings.HasPrefix(errs[0], g.at(t, "main.tf", `"./nope"`, 0)+": ") ||
		!strings.Contains(errs[0], `source directory "./nope" does not exist`) {
		t.Errorf("errors = %q", errs)
	}
	if notes := g.diags(graph.DiagNote); len(notes) != 0 {
		t.Errorf("notes = %q, want none", notes)
	}
	eqList(t, "buckets", g.bucketsOf(), []string{"aws_s3_bucket.b=still"})
}

func TestModuleCycle(t *testing.T) {
	cases := []struct {
		name  string
		files tree
	}{
		{
			name: "module calls itself",
			files: tree{
				"main.tf": `module "loop" {
  source = "./modules/loop"
  depth  = 1
}`,
				"modules/loop/main.tf": `
variable "depth" { default = 0 }
module "again" {
  source = "../loop"
  depth  = var.depth + 1
}
resource "aws_s3_bucket" "b" { bucket = "loop-${var.depth}" }
`,
			},
		},
		{
			name: "module calls its own directory",
			files: tree{
				"main.tf": `
module "self" { source = "./" }
resource "aws_s3_bucket" "b" { bucket = "self" }
`,
			},
		},
		{
			name: "two modules call each other",
			files: tree{
				"main.tf": `module "a" { source = "./a" }`,
				"a/main.tf": `
module "b" { source = "../b" }
resource "aws_s3_bucket" "a" { bucket = "a" }
`,
				"b/main.tf": `
module "a" { source = "../a" }
resource "aws_s3_bucket" "b" { bucket = "b" }
`,
			},
		},
		{
			name: "cycle not reached from a root",
			files: tree{
				"a/main.tf": `module "b" { source = "../b" }`,
				"b/main.tf": `module "a" { source = "../a" }`,
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan *loaded, 1)
			go func() { done <- load(t, c.files) }()
			var g *loaded
			select {
			case g = <-done:
			case <-timeout():
				t.Fatal("load did not terminate")
			}
			g.noErrors(t)
			notes := g.diags(graph.DiagNote)
			ok := false
			for _, n := range notes {
				if strings.Contains(n, "cycle") {
					ok = true
				}
			}
			if !ok {
				t.Errorf("no note about the cycle: %q\n%s", notes, g.dump())
			}
		})
	}
}

func TestModuleCycleInstances(t *testing.T) {
	g := load(t, tree{
		"main.tf": `module "loop" {
  source = "./modules/loop"
  depth  = 1
}`,
		"modules/loop/main.tf": `
variable "depth" { default = 0 }
module "again" {
  source = "../loop"
  depth  = var.depth + 1
}
resource "aws_s3_bucket" "b" { bucket = "loop-${var.depth}" }
`,
	})
	// The call is followed once; the call inside is the cycle.
	eqList(t, "buckets", g.bucketsOf(), []string{"module.loop.aws_s3_bucket.b=loop-1"})
}

func TestModuleDepthLimit(t *testing.T) {
	files := tree{"main.tf": `module "m" { source = "./m1" }`}
	for i := 1; i <= 6; i++ {
		files["m"+itoa(i)+"/main.tf"] = `module "m" { source = "../m` + itoa(i+1) + `" }` + "\n" +
			`resource "aws_s3_bucket" "b" { bucket = "depth-` + itoa(i) + `" }`
	}
	files["m7/main.tf"] = `resource "aws_s3_bucket" "b" { bucket = "depth-7" }`
	dir := writeTree(t, files)
	g := &loaded{dir: dir, files: files}
	g.Graph = loadDir(dir, 3)
	g.noErrors(t)
	notes := g.diags(graph.DiagNote)
	if len(notes) != 1 || !strings.Contains(notes[0], "nested") {
		t.Errorf("notes = %q", notes)
	}
	var got []string
	for _, b := range g.Buckets {
		got = append(got, b.Address+"@"+g.rel(b.Range.File))
	}
	// m4 is beyond the limit from the root, so it is evaluated on its own,
	// with the rest of the chain below it.
	eqList(t, "buckets", sortedStrings(got), []string{
		"aws_s3_bucket.b@m4/main.tf",
		"module.m.aws_s3_bucket.b@m1/main.tf",
		"module.m.aws_s3_bucket.b@m5/main.tf",
		"module.m.module.m.aws_s3_bucket.b@m2/main.tf",
		"module.m.module.m.aws_s3_bucket.b@m6/main.tf",
		"module.m.module.m.module.m.aws_s3_bucket.b@m3/main.tf",
		"module.m.module.m.module.m.aws_s3_bucket.b@m7/main.tf",
	})
}

// A module directory called only with count = 0 is not evaluated through
// its call; it is still in the scan and is evaluated on its own.
func TestModuleCalledOnlyWithCountZero(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "off" {
  count  = 0
  source = "./modules/store"
  name   = "never"
}
`,
		"modules/store/main.tf": storeModule,
	})
	g.noErrors(t)
	got := g.bucketsOf()
	eqList(t, "buckets", got, []string{"aws_s3_bucket.this=?"})
}

// A module called from two roots is evaluated for each.
func TestModuleCalledFromTwoRoots(t *testing.T) {
	g := load(t, tree{
		"envs/dev/main.tf":      `module "s" {` + "\n  source = \"../../modules/store\"\n  name = \"acme-dev\"\n}\n",
		"envs/prod/main.tf":     `module "s" {` + "\n  source = \"../../modules/store\"\n  name = \"acme-prod\"\n}\n",
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	eqList(t, "buckets", g.bucketsOf(), []string{"module.s.aws_s3_bucket.this=acme-dev", "module.s.aws_s3_bucket.this=acme-prod"})
	// Each root has its own symbolic account.
	var accts []string
	for _, b := range g.Buckets {
		accts = append(accts, string(b.Account))
	}
	accts = sortedStrings(accts)
	if len(accts) != 2 || accts[0] == accts[1] {
		t.Errorf("accounts = %q, want two distinct", accts)
	}
	if !strings.HasSuffix(accts[0], "envs%2Fdev>") || !strings.HasSuffix(accts[1], "envs%2Fprod>") {
		t.Errorf("accounts = %q", accts)
	}
}

// A module directory that no root calls is evaluated as a root: its
// variables without defaults are unknown.
func TestUncalledModuleIsARoot(t *testing.T) {
	g := load(t, tree{
		"main.tf":               bucketNamed(`"root"`),
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	eqList(t, "buckets", g.bucketsOf(), []string{"aws_s3_bucket.b=root", "aws_s3_bucket.this=?"})
}

func TestModuleCalledTwice(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "a" {
  source = "./modules/store"
  name   = "first"
}
module "b" {
  source = "./modules/store"
  name   = "second"
}
`,
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	eqList(t, "buckets", g.bucketsOf(), []string{"module.a.aws_s3_bucket.this=first", "module.b.aws_s3_bucket.this=second"})
}

// A module reached from a root through a path with "./" and trailing
// slashes is the same directory.
func TestModuleSourceSpelling(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "a" {
  source = "./modules/../modules/store/"
  name   = "spelled"
}
`,
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	eqList(t, "buckets", g.bucketsOf(), []string{"module.a.aws_s3_bucket.this=spelled"})
}

// A module in JSON syntax.
func TestModuleJSON(t *testing.T) {
	g := load(t, tree{
		"main.tf.json": `{
  "module": {
    "store": { "source": "./modules/store", "name": "from-json" }
  },
  "output": { "arn": { "value": "${module.store.arn}" } }
}`,
		"modules/store/main.tf": storeModule,
	})
	g.noDiags(t)
	eqList(t, "buckets", g.bucketsOf(), []string{"module.store.aws_s3_bucket.this=from-json"})
}

// A module input that refers to the module's own output is a cycle that
// Terraform rejects; it must stay unknown without hanging.
func TestModuleOutputCycle(t *testing.T) {
	done := make(chan *loaded, 1)
	go func() {
		done <- load(t, tree{
			"main.tf": `
module "m" {
  source = "./m"
  x      = module.m.out
}
`,
			"m/main.tf": `
variable "x" {}
output "out" { value = "${var.x}-out" }
resource "aws_s3_bucket" "b" { bucket = var.x }
`,
		})
	}()
	select {
	case g := <-done:
		g.noErrors(t)
		eqList(t, "buckets", g.bucketsOf(), []string{"module.m.aws_s3_bucket.b=?"})
	case <-timeout():
		t.Fatal("load did not terminate")
	}
}

// Files read by a module through path.module are found relative to the
// module directory.
func TestModuleFileFunctions(t *testing.T) {
	g := load(t, tree{
		"main.tf": `module "m" { source = "./modules/m" }`,
		"modules/m/main.tf": `
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = templatefile("${path.module}/policy.json.tpl", { bucket = "acme" })
}
resource "aws_iam_policy" "q" {
  name   = "q"
  policy = file("${path.module}/q.json")
}
`,
		"modules/m/policy.json.tpl": `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"}]}`,
		"modules/m/q.json":          `{"Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::q/*"}]}`,
	})
	g.noDiags(t)
	eqList(t, "p", resourcesOf(g.doc(t, "module.m.aws_iam_policy.p", graph.IdentityPolicy)), []string{"arn:aws:s3:::acme/*"})
	eqList(t, "q", resourcesOf(g.doc(t, "module.m.aws_iam_policy.q", graph.IdentityPolicy)), []string{"arn:aws:s3:::q/*"})
}

// A (legacy) module with its own provider configuration deploys its
// resources with that configuration, not the root's.
func TestModuleOwnProviderConfiguration(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
provider "aws" { allowed_account_ids = ["111122223333"] }
module "legacy" { source = "./legacy" }
`,
		"legacy/main.tf": `
provider "aws" {
  region              = "cn-north-1"
  allowed_account_ids = ["555566667777"]
}
resource "aws_s3_bucket" "l" { bucket = "legacy" }
`,
	})
	g.noErrors(t)
	b := g.bucket(t, "module.legacy.aws_s3_bucket.l")
	eq(t, "account", string(b.Account), "555566667777")
	eq(t, "arn", s(b.ARN), "arn:aws-cn:s3:::legacy")
}

// A shared module outside the root module's directory reads its files
// through path.module, relative to the root it is called from.
func TestSharedModuleFiles(t *testing.T) {
	g := load(t, tree{
		"envs/prod/main.tf": `
module "s" {
  source = "../../modules/shared"
  bucket = "acme-prod"
}
`,
		"envs/dev/main.tf": `
module "s" {
  source = "../../modules/shared"
  bucket = "acme-dev"
}
`,
		"modules/shared/main.tf": `
variable "bucket" {}
resource "aws_s3_bucket_policy" "p" {
  bucket = var.bucket
  policy = templatefile("${path.module}/policy.json.tpl", { bucket = var.bucket })
}
output "module_path" { value = path.module }
`,
		"modules/shared/policy.json.tpl": `{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::${bucket}/*"}]}`,
	})
	g.noDiags(t)
	var got []string
	for _, p := range g.Policies {
		if p.Doc == nil {
			t.Fatalf("%s: document unknown\n%s", p.Address, g.dump())
		}
		got = append(got, resourcesOf(p.Doc)...)
	}
	eqList(t, "resources", sortedStrings(got), []string{"arn:aws:s3:::acme-dev/*", "arn:aws:s3:::acme-prod/*"})
}

// MaxInstances bounds module calls too, with a note as for resources.
func TestModuleMaxInstances(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "m" {
  count  = 50
  source = "./modules/store"
  name   = "b-${count.index}"
}
`,
		"modules/store/main.tf": storeModule,
	}, func(_ string, o *terraform.Options) { o.Limits.MaxInstances = 5 })
	g.noErrors(t)
	eq(t, "buckets", len(g.Buckets), 5)
	notes := g.diags(graph.DiagNote)
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "main.tf:2:1: ") {
		t.Errorf("notes = %q", notes)
	}
}

// TestModuleInstalledByInit: after terraform init, registry and git
// modules are in .terraform/modules, and modules.json says where by the
// call's path; s3lint reads them from there, as Terraform does, nested ones
// included. A manifest entry of another source (the configuration changed
// since init) is not used.
func TestModuleInstalledByInit(t *testing.T) {
	manifest := `{"Modules":[
  {"Key":"","Source":"","Dir":"."},
  {"Key":"bucket","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Version":"4.1.0","Dir":".terraform/modules/bucket"},
  {"Key":"bucket.inner","Source":"git::https://example.com/mods.git//store?ref=v1","Dir":".terraform/modules/bucket.inner/store"},
  {"Key":"stale","Source":"registry.terraform.io/acme/old/aws","Version":"1.0.0","Dir":".terraform/modules/stale"}
]}`
	g := load(t, tree{
		"main.tf": `
module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"
  bucket  = "acme-installed"
}

module "stale" {
  source = "acme/new/aws"
  name   = "acme-stale"
}
`,
		".terraform/modules/modules.json": manifest,
		".terraform/modules/bucket/main.tf": `
variable "bucket" { type = string }
resource "aws_s3_bucket" "this" { bucket = var.bucket }
module "inner" {
  source = "git::https://example.com/mods.git//store?ref=v1"
  name   = "${var.bucket}-logs"
}
`,
		".terraform/modules/bucket.inner/store/main.tf": storeModule,
		".terraform/modules/stale/main.tf":              storeModule,
	})
	g.noErrors(t)
	eqList(t, "buckets", g.bucketsOf(), []string{
		"module.bucket.aws_s3_bucket.this=acme-installed",
		"module.bucket.module.inner.aws_s3_bucket.this=acme-installed-logs",
	})
	notes := g.diags(graph.DiagNote)
	if len(notes) != 1 || !strings.Contains(notes[0], `module "stale": source "acme/new/aws" is not fetched`) {
		t.Errorf("notes = %q", notes)
	}
}

func TestSameModuleSource(t *testing.T) {
	for _, tc := range []struct {
		installed, written string
		want               bool
	}{
		{"registry.terraform.io/terraform-aws-modules/s3-bucket/aws", "terraform-aws-modules/s3-bucket/aws", true},
		{"app.terraform.io/acme/bucket/aws", "app.terraform.io/acme/bucket/aws", true},
		{"git::https://example.com/m.git?ref=v1", "git::https://example.com/m.git?ref=v1", true},
		{"registry.terraform.io/acme/old/aws", "acme/new/aws", false},
		{"git::https://example.com/m.git?ref=v1", "git::https://example.com/m.git?ref=v2", false},
		{"example/acme/bucket/aws", "acme/bucket/aws", false}, // no host
	} {
		if got := terraform.SameModuleSource(tc.installed, tc.written); got != tc.want {
			t.Errorf("sameModuleSource(%q, %q) = %v", tc.installed, tc.written, got)
		}
	}
}

// TestModuleInstalledElsewhere: modules.json records directories relative
// to where terraform init ran, which the root's own entry names; a module
// recorded but not there (a copy without .terraform/modules/x) is not
// followed, with the note of a module that is not fetched.
func TestModuleInstalledElsewhere(t *testing.T) {
	g := load(t, tree{
		"main.tf": `
module "a" {
  source = "acme/a/aws"
  name   = "acme-a"
}
module "gone" {
  source = "acme/gone/aws"
  name   = "acme-gone"
}
`,
		".terraform/modules/modules.json": `{"Modules":[
  {"Key":"","Source":"","Dir":"envs/prod"},
  {"Key":"a","Source":"registry.terraform.io/acme/a/aws","Dir":"envs/prod/.terraform/modules/a"},
  {"Key":"gone","Source":"registry.terraform.io/acme/gone/aws","Dir":"envs/prod/.terraform/modules/gone"}
]}`,
		".terraform/modules/a/main.tf": storeModule,
	})
	g.noErrors(t)
	eqList(t, "buckets", g.bucketsOf(), []string{"module.a.aws_s3_bucket.this=acme-a"})
	notes := g.diags(graph.DiagNote)
	if len(notes) != 1 || !strings.Contains(notes[0], `module "gone": source "acme/gone/aws" is not fetched`) {
		t.Errorf("notes = %q", notes)
	}
}
