package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/fuzzcheck"
	"github.com/s3lint/s3lint/limits"
)

// fixedModule is a valid module loaded beside every fuzzed input: it must
// still load, whatever the fuzzed files do.
const fixedModule = `resource "aws_s3_bucket" "fixed" { bucket = "fixed" }`

// fuzzTree writes files (relative name → contents) below a new temporary
// directory, with fixedModule in other/, and returns the directory.
func fuzzTree(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	files["other/main.tf"] = []byte(fixedModule)
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fuzzLoadTree loads dir twice and checks what must hold for any input:
// no panic (the loader turns one into an "internal error" diagnostic), the
// fixed module loads, every range into a fuzzed file lies inside it, and
// the two loads agree.
func fuzzLoadTree(t *testing.T, dir string, fuzzed map[string][]byte) {
	t.Helper()
	load := func() *graph.Graph {
		return Load(Options{Paths: []string{dir}, Limits: limits.Limits{MaxInstances: 50}})
	}
	g := load()
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("panic while loading: %s", d.Message)
		}
	}
	found := false
	for _, b := range g.Buckets {
		found = found || b.Name.V == "fixed"
	}
	if !found {
		t.Fatalf("the fixed module was not loaded beside the fuzzed file")
	}
	sizes := fuzzcheck.Sizes{}
	for name, b := range fuzzed {
		p := filepath.Join(dir, filepath.FromSlash(name))
		sizes[p], sizes[filepath.ToSlash(p)] = len(b), len(b)
	}
	if bad := fuzzcheck.BadRange(g, sizes); bad != "" {
		t.Fatal(bad)
	}
	if again := load(); !reflect.DeepEqual(g, again) {
		t.Fatalf("two loads of the same files differ")
	}
}

// FuzzLoad feeds arbitrary bytes to the loader as a .tf file next to a fixed
// module: it must never panic or hang, and the fixed module must still load.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		``,
		`resource "aws_s3_bucket" "b" { bucket = "x" }`,
		`locals { a = local.a }`,
		`variable "v" { default = [for i in range(3) : i] }`,
		`resource "aws_iam_policy" "p" { policy = jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b"}]}) }`,
		"resource \"aws_iam_policy\" \"p\" {\n  policy = <<-EOT\n    {\"Statement\": [${local.x}]}\n  EOT\n}\n",
		`data "aws_iam_policy_document" "d" { dynamic "statement" { for_each = var.x content { actions = [statement.value] } } }`,
		`module "m" { source = "./" }`,
		`resource "aws_s3_bucket" "b" { for_each = toset(["a", "b"]) bucket = each.key }`,
		`resource "aws_s3_bucket" "b" { count = -1 }`,
		"resource \"aws_s3_bucket\" \"b\" { bucket_prefix = \"p\" }\n" +
			"resource \"aws_iam_policy\" \"p\" { policy = jsonencode({Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::${aws_s3_bucket.b.id}%{if true}/*%{endif}\"}, {Resource = \"${aws_s3_bucket.b[0].bucket}\"}]}) }\n" +
			"resource \"aws_cloudfront_distribution\" \"d\" {\n  origin {\n    domain_name = aws_s3_bucket.b.bucket_regional_domain_name\n    origin_access_control_id = \"x\"\n    origin_path = aws_cloudfront_distribution.d.id\n  }\n  dynamic \"origin\" {\n    for_each = [1]\n    content { origin_access_control_id = origin.value }\n  }\n}\n",
		"resource \"x\" \"y\" {\n  a = \"${\n",
		"\ufeffresource \"aws_s3_bucket\" \"b\" {\r\n  bucket = \"crlf\"\r\n}\r\n",
		"resource \"aws_s3_bucket\" \"b\" { bucket = \"a\x00b\" }",
		"resource \"aws_s3_bucket\" \"\xff\" { bucket = \"\xfe\" }",
		`locals { n = 1e400 } resource "aws_s3_bucket" "b" { count = local.n }`,
		`locals { x = ` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + ` }`,
		`resource "aws_s3_bucket_policy" "p" { bucket = aws_s3_bucket.b.id policy = data.aws_iam_policy_document.d.json }
resource "aws_s3_bucket" "b" { bucket = "b" }
data "aws_iam_policy_document" "d" {
  statement {
    principals { type = "AWS" identifiers = ["*"] }
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
    condition { test = "IpAddress" variable = "aws:SourceIp" values = ["203.0.113.0/24"] }
  }
}`,
		// Deliveries into buckets, with odd destinations.
		`resource "aws_s3_bucket" "l" { bucket = "logs" logging { target_bucket = "logs" target_prefix = null } }
resource "aws_cloudtrail" "t" { name = "t" s3_bucket_name = aws_s3_bucket.l.id kms_key_id = "arn:aws:kms:::key/" is_organization_trail = "x" }
resource "aws_lb" "w" { load_balancer_type = "network" access_logs { bucket = "arn:aws:s3:::" enabled = true } }
resource "aws_flow_log" "f" { log_destination_type = "s3" log_destination = "arn:aws:s3" }
resource "aws_cloudfront_distribution" "d" { logging_config { bucket = ".s3.amazonaws.com" } }
resource "aws_config_configuration_recorder" "r" { role_arn = aws_iam_service_linked_role.c.arn }
resource "aws_iam_service_linked_role" "c" { aws_service_name = "config.amazonaws.com" }
resource "aws_config_delivery_channel" "c" { s3_bucket_name = aws_s3_bucket.l.bucket }
data "aws_elb_service_account" "e" { region = 7 }`,
		// The template provider's rendering, with odd templates and vars.
		`data "template_file" "t" { template = "$${a}%{ for x in b }${x}%{ endfor }" vars = { a = 1, b = ["x"] } }
data "template_file" "u" { template = "${"$"}{a" vars { a = "${data.template_file.t.rendered}" } }
resource "aws_iam_policy" "p" { policy = data.template_file.u.rendered }`,
		// Origins read through identities, and replication rules, with odd
		// shapes.
		`resource "aws_cloudfront_origin_access_identity" "o" {}
resource "aws_cloudfront_distribution" "d" {
  origin {
    domain_name = aws_s3_bucket.b.bucket_regional_domain_name
    s3_origin_config { origin_access_identity = aws_cloudfront_origin_access_identity.o.cloudfront_access_identity_path }
  }
  origin { s3_origin_config { origin_access_identity = ["x"] } }
  default_cache_behavior { lambda_function_association { event_type = 3 } }
}
resource "aws_s3_bucket" "b" {
  replication_configuration {
    role = 7
    rules {
      status = "Enabled"
      destination { bucket = aws_s3_bucket.b.arn }
      filter { prefix = ["p"] }
    }
  }
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = aws_s3_bucket.b.id
  role   = null
  rule {
    status = "Enabled"
    filter { and { prefix = "x/" } }
    delete_marker_replication {}
    destination { access_control_translation { owner = 1 } }
  }
  rule { status = "Enabled" }
}`,
		// Vended logs with odd destinations.
		`resource "aws_networkfirewall_logging_configuration" "f" {
  logging_configuration {
    log_destination_config {
      log_destination      = { bucketName = 1, prefix = null, (var.k) = "x" }
      log_destination_type = "S3"
    }
    log_destination_config { log_destination = "x", log_destination_type = "S3" }
    log_destination_config { log_destination = ["a"], log_destination_type = "S3" }
  }
}
resource "aws_route53_resolver_query_log_config" "r" { destination_arn = "arn:" }
resource "aws_msk_cluster" "m" { logging_info { broker_logs { s3 { enabled = "yes" } } } }
resource "aws_wafv2_web_acl_logging_configuration" "w" {
  log_destination_configs = toset(["arn:"])
  resource_arn            = "x"
}`,
		// Replication of SSE-KMS objects, with odd shapes.
		`resource "aws_s3_bucket_replication_configuration" "k" {
  bucket = "b"
  role   = "arn:aws:iam::1:role/r"
  rule {
    status = "Enabled"
    source_selection_criteria { sse_kms_encrypted_objects { status = ["Enabled"] } }
    destination {
      bucket = "arn:aws:s3:::d"
      encryption_configuration { replica_kms_key_id = { a = 1 } }
    }
  }
}
resource "aws_s3_bucket" "i" {
  replication_configuration {
    role = 1
    rules {
      status = "Enabled"
      source_selection_criteria { sse_kms_encrypted_objects { enabled = "maybe" } }
      destination { bucket = "x", replica_kms_key_id = null }
    }
  }
}`,
		`provider "aws" {
  endpoints { s3 = var.minio }
}
provider "aws" {
  alias = "b"
  endpoints { s3 = null }
}
resource "aws_s3_bucket" "u" { bucket = "u" }
resource "aws_s3_object" "o" {
  for_each = fileset(path.module, "**")
  bucket   = var.c ? aws_s3_bucket_policy.p[0].id : aws_s3_bucket.u.id
  key      = "//./${each.key}"
  acl      = ["public-read"]
  content  = file(each.key)
}
resource "aws_s3_object_copy" "c" { bucket = aws_s3_object.o, acl = 1 }
resource "aws_s3_bucket_policy" "p" {
  count  = var.c ? 1 : 0
  bucket = aws_s3_bucket_policy.p[0].id
}`,
		// Partly known Resource strings and an upload's encryption.
		`variable "b" {}
resource "aws_s3_object" "o" {
  bucket                 = var.b
  key                    = "k"
  server_side_encryption = ["AES256"]
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.b}/*", "${var.b}/", "${var.b}${var.b}", "/${var.b}", "${jsonencode(var.b)}/*"]
  }
}
resource "aws_iam_policy" "p" {
  policy = <<-JSON
    {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ["arn:aws:s3:::${var.b}/*", ${jsonencode(var.b)}]}]}
  JSON
}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzed := map[string][]byte{"fuzz.tf": src}
		fuzzLoadTree(t, fuzzTree(t, map[string][]byte{"fuzz.tf": src}), fuzzed)
	})
}

// callModule is a root module file that always calls the fuzzed module,
// so that the module is evaluated even when the fuzzed root does not
// call it.
const callModule = `module "always" {
  source = "./modules/m"
  name   = "always"
}
`

// FuzzLoadModule feeds two files to the loader: a root module and a local
// module (modules/m) it calls, so that module inputs and outputs, count
// and for_each on module calls, jsonencode and heredoc policies and
// aws_iam_policy_document data sources across the module boundary are
// evaluated. The same invariants as FuzzLoad hold for both files.
func FuzzLoadModule(f *testing.F) {
	f.Add([]byte(`module "store" {
  for_each = toset(["logs", "data"])
  source   = "./modules/m"
  name     = "acme-${each.key}"
  readers  = ["arn:aws:iam::111122223333:role/reader"]
}

resource "aws_iam_policy" "read" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [module.store["logs"].arn, "${module.store["logs"].arn}/*"]
    }]
  })
}
`), []byte(`variable "name" { type = string }
variable "readers" {
  type    = list(string)
  default = []
}

resource "aws_s3_bucket" "this" { bucket = var.name }

data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Readers"
    principals {
      type        = "AWS"
      identifiers = var.readers
    }
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.read.json
}

output "arn" { value = aws_s3_bucket.this.arn }
`))
	f.Add([]byte(`module "m" {
  count  = 2
  source = "./modules/m"
  name   = "b${count.index}"
}
output "x" { value = module.m[*].policy }
`), []byte(`variable "name" {}
resource "aws_s3_bucket" "b" { bucket = var.name }
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = <<EOF
{
  "Statement": [{
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "${aws_s3_bucket.b.arn}/*",
    "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}
  }]
}
EOF
}
output "policy" { value = aws_s3_bucket_policy.p.policy }
`))
	f.Add([]byte(`module "loop" { source = "./modules/m" }`), []byte(`module "again" { source = "./" }
module "up" { source = "../../" }`))
	f.Add([]byte(`module "m" {
  source = "./modules/m"
  name   = module.m.arn
}`), []byte(`variable "name" {}
output "arn" { value = var.name }`))
	f.Add([]byte(`module "m" {
  source   = "./modules/m"
  for_each = { for i in range(100) : i => i }
  name     = each.value
}`), []byte("variable \"name\" {}\r\nresource \"aws_s3_bucket\" \"b\" {\r\n  bucket = \"${var.name}\\u0000\"\r\n}\r\n"))
	f.Add([]byte("module \"m\" { source = \"./modules/m\" }\x00"), []byte("\ufeff\xff"))
	f.Add([]byte(``), []byte(``))
	f.Fuzz(func(t *testing.T, root, mod []byte) {
		fuzzed := map[string][]byte{"root/main.tf": root, "root/modules/m/main.tf": mod}
		dir := fuzzTree(t, map[string][]byte{
			"root/main.tf":           root,
			"root/call.tf":           []byte(callModule),
			"root/modules/m/main.tf": mod,
		})
		fuzzLoadTree(t, dir, fuzzed)
	})
}

// policyReader reads the fuzzed policy file in every way a module can:
// file(), templatefile() with known, listed and unknown variables,
// jsondecode of both merged into jsonencode, and the source documents of
// a policy document data source.
const policyReader = `variable "unknown" { type = string }
resource "aws_s3_bucket" "b" { bucket = "b" }
resource "aws_iam_policy" "file" {
  policy = file("${path.module}/policy.tpl")
}
resource "aws_iam_policy" "tmpl" {
  policy = templatefile("${path.module}/policy.tpl", { bucket = aws_s3_bucket.b.arn, buckets = ["a", "b"], unknown = var.unknown })
}
resource "aws_iam_policy" "decoded" {
  policy = jsonencode(merge(jsondecode(file("policy.tpl")), { Id = "x" }))
}
resource "aws_iam_policy" "decoded_tmpl" {
  policy = jsonencode(jsondecode(templatefile("policy.tpl", { bucket = "arn:aws:s3:::b", buckets = [], unknown = "u" })))
}
data "aws_iam_policy_document" "d" {
  source_policy_documents = [file("policy.tpl"), templatefile("policy.tpl", { bucket = "arn:aws:s3:::b", buckets = ["c"], unknown = var.unknown })]
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = data.aws_iam_policy_document.d.json
}
`

// FuzzLoadPolicyFile feeds a policy file that a fixed module reads with
// file() and templatefile(), and a .tf file beside them: whatever the
// policy file holds, the loader must not panic, and every position in
// the policy file must lie inside it.
func FuzzLoadPolicyFile(f *testing.F) {
	f.Add([]byte(``), []byte(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${bucket}"}]}`))
	f.Add([]byte(``), []byte("\ufeff{\r\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b\"}\r\n}\r\n"))
	f.Add([]byte(``), []byte(`{"Statement": [
  %{~ for b in buckets ~}
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${b}/*"},
  %{~ endfor ~}
  {"Effect": "Deny", "Principal": {"AWS": "${unknown}"}, "Action": "s3:*", "Resource": "$${aws:username}"}
]}`))
	f.Add([]byte(``), []byte(`${jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = bucket}]})}`))
	f.Add([]byte(``), []byte(`{"Statement": [{"Effect": "Allow",}]}`))
	f.Add([]byte(``), []byte(`%{ if unknown == "x" }{"Statement": []}%{ else }{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${templatefile("policy.tpl", {})}"}]}%{ endif }`))
	f.Add([]byte(``), []byte(strings.Repeat("[", 400)+strings.Repeat("]", 400)))
	f.Add([]byte(``), []byte("{\"Statement\": \"\xff\"}"))
	f.Add([]byte(`resource "aws_iam_policy" "extra" { policy = templatefile("policy.tpl", var.unknown) }`), []byte(`{"Statement": [{"Effect": "${unknown}", "Resource": "${bucket}"}]}`))
	f.Fuzz(func(t *testing.T, tf, policy []byte) {
		fuzzed := map[string][]byte{"fuzz.tf": tf, "policy.tpl": policy}
		dir := fuzzTree(t, map[string][]byte{"fuzz.tf": tf, "reader.tf": []byte(policyReader), "policy.tpl": policy})
		fuzzLoadTree(t, dir, fuzzed)
	})
}

// FuzzPlainDynamic feeds one .tf file to the loader twice, once with
// decodeBody's own expansion of plain dynamic blocks and once with dynblock
// expanding every dynamic block: the two graphs must be the same.
func FuzzPlainDynamic(f *testing.F) {
	for _, s := range []string{
		`data "aws_iam_policy_document" "d" { dynamic "statement" { for_each = ["a", "b"] content { actions = [statement.value] } } }`,
		`data "aws_iam_policy_document" "d" { dynamic "statement" { for_each = {x = 1} iterator = s content { sid = s.key } } }`,
		`resource "aws_s3_bucket_acl" "a" { access_control_policy { dynamic "grant" { for_each = toset(["r"]) content { permission = grant.value } } } }`,
		`resource "x" "y" { dynamic "a" { for_each = [1] content { dynamic "b" { for_each = [a.value] content { v = b.value + a.key } } } } }`,
		`resource "x" "y" { dynamic "a" { for_each = [1] labels = ["l"] content {} } }`,
		`resource "x" "y" { dynamic "a" { for_each = null content {} } dynamic "b" { content {} } dynamic "c" { for_each = [1] } }`,
		`resource "x" "y" { dynamic "lifecycle" { for_each = [1] content {} } dynamic "dynamic" { for_each = [1] content {} } }`,
		`resource "aws_s3_bucket" "b" { bucket = "x" dynamic "bucket" { for_each = [] content {} } }`,
		`resource "aws_s3_bucket" "b" { website = { index_document = "i" } dynamic "grant" { for_each = [1] content { permission = "READ" } } }`,
		`data "aws_iam_policy_document" "d" { statement "x" { actions = ["s3:GetObject"] } dynamic "statement" { for_each = [1] content { actions = ["s3:PutObject"] } } }
resource "aws_iam_policy" "p" { policy = data.aws_iam_policy_document.d.json }`,
		`resource "aws_s3_bucket_lifecycle_configuration" "l" { dynamic "rule" { for_each = ["a"] content { id = rule.value expiration = "x" filter { prefix = "p/" } } } }`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := fuzzTree(t, map[string][]byte{"fuzz.tf": src})
		load := func(plain bool) string {
			expandPlainDynamic = plain
			defer func() { expandPlainDynamic = true }()
			return deepDump(Load(Options{Paths: []string{dir}}))
		}
		if plain, dyn := load(true), load(false); plain != dyn {
			t.Fatalf("plainDynamic and dynblock make different graphs")
		}
	})
}

// deepDump writes every field reachable from v, pointers followed once
// (later visits print the number of the first), so that two graphs built
// from the same input compare as text. Map entries are sorted.
func deepDump(v any) string {
	var b strings.Builder
	seen := map[uintptr]int{}
	var walk func(v reflect.Value, indent string)
	walk = func(v reflect.Value, indent string) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				b.WriteString("nil\n")
				return
			}
			if n, ok := seen[v.Pointer()]; ok {
				fmt.Fprintf(&b, "#%d\n", n)
				return
			}
			seen[v.Pointer()] = len(seen) + 1
			fmt.Fprintf(&b, "#%d ", len(seen))
			walk(v.Elem(), indent)
		case reflect.Interface:
			if v.IsNil() {
				b.WriteString("nil\n")
				return
			}
			walk(v.Elem(), indent)
		case reflect.Struct:
			b.WriteString(v.Type().String() + "\n")
			for i := range v.NumField() {
				b.WriteString(indent + "  " + v.Type().Field(i).Name + ": ")
				walk(v.Field(i), indent+"  ")
			}
		case reflect.Slice, reflect.Array:
			fmt.Fprintf(&b, "[%d]\n", v.Len())
			for i := range v.Len() {
				fmt.Fprintf(&b, "%s  %d: ", indent, i)
				walk(v.Index(i), indent+"  ")
			}
		case reflect.Map:
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			fmt.Fprintf(&b, "map[%d]\n", len(keys))
			for _, k := range keys {
				fmt.Fprintf(&b, "%s  %v: ", indent, k)
				walk(v.MapIndex(k), indent+"  ")
			}
		case reflect.Func, reflect.Chan, reflect.UnsafePointer:
			b.WriteString(v.Type().String() + "\n")
		default:
			fmt.Fprintf(&b, "%#v\n", v)
		}
	}
	walk(reflect.ValueOf(v), "")
	return b.String()
}
