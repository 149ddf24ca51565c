package terraform_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/terraform"
)

const tooDeep = "nesting deeper than 256 levels (--max-nesting); the file is not read"

// padded is a configuration of exactly n bytes: body, then a comment.
func padded(body string, n int) string {
	return body + "#" + strings.Repeat("x", n-len(body)-2) + "\n"
}

func withLimits(lim limits.Limits) func(string, *terraform.Options) {
	return func(_ string, o *terraform.Options) { o.Limits = lim }
}

// A file over --max-file-size is not read, whatever its kind: an error on
// the file, and the rest of the scan goes on.
func TestMaxFileSize(t *testing.T) {
	bucket := "resource \"aws_s3_bucket\" \"b\" { bucket = \"fine\" }\n"
	g := load(t, tree{
		"big/main.tf":                padded(bucket, 2048),
		"json/main.tf.json":          `{"resource": {"aws_s3_bucket": {"j": {"bucket": "` + strings.Repeat("j", 1100) + `"}}}}`,
		"vars/main.tf":               "variable \"v\" {}\n",
		"vars/terraform.tfvars":      padded("v = 1\n", 1025),
		"file/main.tf":               "resource \"aws_s3_bucket\" \"f\" { bucket = file(\"${path.module}/big.txt\") }\n",
		"file/big.txt":               strings.Repeat("t", 4096),
		"ok/main.tf":                 bucket,
		"ok/exactly.auto.tfvars":     padded("", 1024),
		"ok/variables.tf":            "",
		"other/main.tf":              padded("locals {}\n", 1024), // at the limit: read
		"other/unrelated/readme.txt": strings.Repeat("r", 4096),   // not a configuration file
	}, withLimits(limits.Limits{MaxFileSize: 1024}))
	eqList(t, "errors", g.diags(graph.DiagError), []string{
		"big/main.tf: file is 2 KiB, over the 1 KiB limit (--max-file-size); not read",
		"file/big.txt: file is 4 KiB, over the 1 KiB limit (--max-file-size); not read",
		"json/main.tf.json: file is 1.1 KiB, over the 1 KiB limit (--max-file-size); not read",
		"vars/terraform.tfvars: file is 1025 bytes, over the 1 KiB limit (--max-file-size); not read",
	})
	eqList(t, "buckets", g.bucketAddrs(), []string{"aws_s3_bucket.f", "aws_s3_bucket.b"})
}

// Nesting past --max-nesting is refused before the parser recurses, at the
// first token past the limit, for every construct the parser handles
// recursively; files with many brackets but shallow nesting load.
func TestMaxNesting(t *testing.T) {
	open := strings.Repeat
	local := func(expr string) string { return "locals {\n  a = " + expr + "\n}\n" }
	cases := []struct {
		name, file, body, want string
	}{
		// locals { is the first level, so the 256th [ is the 257th.
		{"brackets", "main.tf", local(open("[", 300) + open("]", 300)), "2:262"},
		{"braces", "main.tf", local(open("{a=", 300) + "1" + open("}", 300)), fmt.Sprintf("2:%d", 7+255*3)},
		{"parens", "main.tf", local(open("(", 300) + "1" + open(")", 300)), "2:262"},
		{"not", "main.tf", local(open("!", 300) + "true"), "2:262"},
		{"minus", "main.tf", local(open("-", 300) + "1"), "2:262"},
		{"minus spaced", "main.tf", local(open("- ", 300) + "1"), fmt.Sprintf("2:%d", 7+255*2)},
		{"conditionals", "main.tf", local(open("x ? 1 : ", 300) + "0"), fmt.Sprintf("2:%d", 7+255*8+2)},
		{"interpolations", "main.tf", local(open(`"${`, 300) + "1" + open(`}"`, 300)), fmt.Sprintf("2:%d", 8+255*3)},
		{"template ifs", "main.tf", local(`"` + open("%{if true}", 300) + "x" + open("%{endif}", 300) + `"`), fmt.Sprintf("2:%d", 8+255*10)},
		{"tf.json", "main.tf.json", `{"locals": {"a": ` + open("[", 300) + open("]", 300) + "}}", fmt.Sprintf("1:%d", 18+254)},
		{"tfvars", "terraform.tfvars", "v = " + open("[", 300) + open("]", 300), "1:261"},
		{"a megabyte of [", "main.tf", "a = " + open("[", 1<<20), "1:261"},
		{"shallow", "main.tf", local("[" + open("[], ", 400) + "]"), ""},
		{"binary minus", "main.tf", local(open("1 - ", 400) + "1"), ""},
		{"many conditionals", "main.tf", open("locals { a = x ? 1 : 0 }\n", 400), ""},
		{"many nots", "main.tf", local(open("!true && ", 400) + "true"), ""},
	}
	files := tree{}
	var want []string
	for _, c := range cases {
		dir := strings.ReplaceAll(c.name, " ", "-")
		files[dir+"/"+c.file] = c.body
		if c.file == "terraform.tfvars" {
			files[dir+"/main.tf"] = "variable \"v\" {}\n"
		}
		if c.want != "" {
			want = append(want, dir+"/"+c.file+":"+c.want+": "+tooDeep)
		}
	}
	g := load(t, files)
	eqList(t, "errors", g.diags(graph.DiagError), sortedStrings(want))
}

// Templates that templatefile and templatestring would parse are bounded
// too, and so are --var values: their values are unknown, and a template
// file is reported at its place.
func TestMaxNestingTemplates(t *testing.T) {
	deep := strings.Repeat(`${"`, 300) + "1" + strings.Repeat(`"}`, 300)
	g := load(t, tree{
		"main.tf": `resource "aws_s3_bucket" "b" {
  bucket = templatefile("${path.module}/t.tpl", {})
  tags   = { s = templatestring(local.deep, {}), v = var.v[0] }
}
locals {
  deep = <<EOT
` + strings.ReplaceAll(deep, "${", "$${") + `
EOT
}
variable "v" { type = list(any) }
`,
		"t.tpl": deep,
	}, withVars("v="+strings.Repeat("[", 300)+strings.Repeat("]", 300)))
	eqList(t, "errors", g.diags(graph.DiagError), []string{"t.tpl:1:769: " + tooDeep})
	b := g.bucket(t, "aws_s3_bucket.b")
	if b.Name.Known() {
		t.Errorf("bucket name %q, want unknown", b.Name.V)
	}
}

// count and for_each past --max-instances are cut there, with a note that
// names the flag; a million of either is cheap (Terraform's range makes at
// most 1024 values).
func TestMaxInstancesHuge(t *testing.T) {
	g := load(t, tree{"main.tf": `
resource "aws_s3_bucket" "c" {
  count  = 1000000
  bucket = "c-${count.index}"
}
resource "aws_s3_bucket" "f" {
  for_each = { for i in range(1000000) : tostring(i) => i }
  bucket   = "f-${each.key}"
}
`}, withLimits(limits.Limits{MaxInstances: 3}))
	eqList(t, "notes", g.diags(graph.DiagNote), []string{
		"main.tf:2:1: aws_s3_bucket.c has more than 3 instances (--max-instances); only the first 3 are checked",
	})
	eq(t, "buckets", len(g.bucketAddrs()), 4) // 3 of count, one unknown for for_each
}

// Module calls nested past --max-module-depth are not followed, with a
// note that names the flag.
func TestMaxModuleDepthNote(t *testing.T) {
	files := tree{}
	for i := range 4 {
		files[fmt.Sprintf("m%d/main.tf", i)] = fmt.Sprintf("module \"next\" {\n  source = \"../m%d\"\n}\n", i+1)
	}
	files["m4/main.tf"] = "locals {}\n"
	g := load(t, files, withLimits(limits.Limits{MaxModuleDepth: 2}))
	eqList(t, "notes", g.diags(graph.DiagNote), []string{
		"m2/main.tf:2:12: module \"next\": more than 2 nested module calls (--max-module-depth); not followed",
	})
}

// A root module that runs out of --file-timeout is an error on its
// directory, its results are left out, and the order stays the files'.
// The test hook blocks each root until its time is up, so the timeout is
// certain and the test takes no time.
func TestFileTimeout(t *testing.T) {
	files := tree{
		"a/main.tf":   "resource \"aws_s3_bucket\" \"a\" {}\nmodule \"m\" {\n  source = \"../mod\"\n}\n",
		"b/main.tf":   "resource \"aws_s3_bucket\" \"b\" {\n  bucket = [\n}\n", // a syntax error, left out with the rest
		"mod/main.tf": "resource \"aws_s3_bucket\" \"m\" {}\n",
	}
	terraform.SetTestHookEvalRoot(func(stop limits.Stop) { <-stop })
	defer terraform.SetTestHookEvalRoot(nil)
	g := load(t, files, withLimits(limits.Limits{FileTimeout: time.Nanosecond}))
	msg := "evaluating this took longer than 1ns (--file-timeout); its results are left out"
	eqList(t, "errors", g.diags(graph.DiagError), []string{"a: " + msg, "b: " + msg, "mod: " + msg})
	eqList(t, "buckets", g.bucketAddrs(), nil)

	terraform.SetTestHookEvalRoot(nil)
	g = load(t, files)
	eqList(t, "buckets without a timeout", g.bucketAddrs(), []string{"aws_s3_bucket.a", "aws_s3_bucket.b", "module.m.aws_s3_bucket.m"})
}

// Values that evaluation builds deeper than --max-nesting (each local
// wrapping the one before, well within the limit on its own) are unknown,
// with an error at each local that goes past; a thousand of them overflow
// nothing.
func TestMaxNestingValues(t *testing.T) {
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString("locals {\n  l0 = 1\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "  l%d = %slocal.l%d%s\n", i, strings.Repeat("[", 100), i-1, strings.Repeat("]", 100))
		}
		fmt.Fprintf(&b, "}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = jsonencode(local.l%d)\n}\n", n)
		return b.String()
	}
	// l3 would be 300 deep, and is unknown; l4 wraps the unknown, and l6
	// is 300 deep again.
	g := load(t, tree{"main.tf": chain(7)})
	eqList(t, "errors", g.diags(graph.DiagError), []string{
		"main.tf:5:8: value nested deeper than 256 levels (--max-nesting); it is unknown",
		"main.tf:8:8: value nested deeper than 256 levels (--max-nesting); it is unknown",
	})
	g = load(t, tree{"main.tf": chain(1000)})
	if bk := g.bucket(t, "aws_s3_bucket.b"); bk.Name.Known() {
		t.Errorf("bucket name known: %.40q…", bk.Name.V)
	}
}

// A resource object nested past --max-nesting is unknown, with an error at
// the resource, whether or not anything refers to the resource (the value
// of one that nothing refers to is never made; the limit holds all the
// same).
func TestMaxNestingResourceObjects(t *testing.T) {
	const src = `locals {
  l0 = 1
  l1 = %[1]slocal.l0%[2]s
  l2 = %[1]slocal.l1%[2]s
  l3 = %[3]slocal.l2%[4]s
}
resource "aws_s3_bucket" "referenced" {
  bucket = "one"
  tags   = local.l3
}
resource "aws_s3_bucket" "unreferenced" {
  bucket = "two"
  tags   = local.l3
}
resource "aws_s3_bucket" "shallow" {
  bucket = "three"
  tags   = local.l2
}
output "arn" { value = aws_s3_bucket.referenced.arn }
`
	g := load(t, tree{"main.tf": fmt.Sprintf(src, strings.Repeat("[", 100), strings.Repeat("]", 100), strings.Repeat("[", 56), strings.Repeat("]", 56))})
	eqList(t, "errors", g.diags(graph.DiagError), []string{
		"main.tf:7:1: value nested deeper than 256 levels (--max-nesting); it is unknown",
		"main.tf:11:1: value nested deeper than 256 levels (--max-nesting); it is unknown",
	})
	for addr, want := range map[string]string{"aws_s3_bucket.referenced": "?", "aws_s3_bucket.unreferenced": "?", "aws_s3_bucket.shallow": "arn:aws:s3:::three"} {
		eq(t, addr+" ARN", s(g.bucket(t, addr).ARN), want)
	}
}

// The nesting of a resource's value is judged on the value references
// would see (made or not): an attribute that a synthesised one replaces
// (null or unknown) or a block of its name hides does not count.
func TestMaxNestingResourceObjectsReplaced(t *testing.T) {
	g := load(t, tree{"main.tf": `
variable "flag" { type = bool }
locals {
  a = [["x"]]
  b = [local.a]
}
resource "aws_s3_bucket" "unknown_id" {
  bucket = "x"
  id     = var.flag ? [local.b] : null
}
resource "aws_s3_bucket" "deep_tags" {
  bucket = "y"
  tags   = [local.b]
}
`}, withLimits(limits.Limits{MaxNesting: 3}))
	eqList(t, "errors", g.diags(graph.DiagError), []string{
		"main.tf:11:1: value nested deeper than 3 levels (--max-nesting); it is unknown",
	})
	eq(t, "ARN of the bucket whose deep id is replaced", s(g.bucket(t, "aws_s3_bucket.unknown_id").ARN), "arn:aws:s3:::x")
}
