package funcs

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// testFiles is the fake file system behind testOptions, rooted at /mod.
var testFiles = map[string]string{
	"/mod/hello.txt":       "Hello World",
	"/mod/backends.tftpl":  "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
	"/mod/config.tftpl":    `${jsonencode({"backends": [for addr in ip_addrs : "${addr}:${port}"]})}`,
	"/mod/list.tftpl":      `${ip_addrs}`,
	"/mod/greet.tftpl":     `Hello, ${upper(name)}!`,
	"/mod/recurse.tftpl":   `${templatefile("hello.txt", {})}`,
	"/mod/undefined.tftpl": `${nope}`,
	"/mod/badsyntax.tftpl": `${`,
	"/mod/binary.dat":      "\xff\xfe\x00",
	"/mod/files/a.txt":     "a",
	"/mod/files/b.txt":     "b",
	"/mod/files/c.json":    "{}",
}

var errOutsideRoot = errors.New("path is outside the scan root")

func testOptions() Options {
	return Options{
		BaseDir: "/mod",
		ReadFile: func(p string) ([]byte, error) {
			if !strings.HasPrefix(p, "/mod/") {
				return nil, fmt.Errorf("reading %s: %w", p, errOutsideRoot)
			}
			if s, ok := testFiles[p]; ok {
				return []byte(s), nil
			}
			return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
		},
		Glob: func(dir, pattern string) ([]string, error) {
			var out []string
			for name := range testFiles {
				rel, ok := strings.CutPrefix(name, dir+"/")
				if !ok {
					continue
				}
				m, err := path.Match(pattern, rel)
				if err != nil {
					return nil, err
				}
				if m {
					out = append(out, name) // absolute, under dir
				}
			}
			sort.Strings(out)
			return out, nil
		},
	}
}

// testVars are the variables the test expressions can use.
func testVars() map[string]cty.Value {
	return map[string]cty.Value{
		"path": cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal("/mod")}),
		"local": cty.ObjectVal(map[string]cty.Value{
			"greeting": cty.StringVal("Hello, ${name}!"),
			"loop":     cty.StringVal("%{ for x in xs }[${x}]%{ endfor }"),
			"tpls":     cty.MapVal(map[string]cty.Value{"a": cty.StringVal("A=${v}")}),
			"unknown":  cty.UnknownVal(cty.String),
			"number":   cty.NumberIntVal(1),
			"secret":   cty.StringVal("${name}").Mark(Sensitive),
			"self":     cty.StringVal(`${templatestring(t, {t = t})}`),
			"reads":    cty.StringVal(`${file("hello.txt")}`),
		}),
		"unknown_str":  cty.UnknownVal(cty.String),
		"unknown_num":  cty.UnknownVal(cty.Number),
		"unknown_bool": cty.UnknownVal(cty.Bool),
		"unknown_list": cty.UnknownVal(cty.List(cty.String)),
		"unknown_map":  cty.UnknownVal(cty.Map(cty.String)),
		"unknown_obj":  cty.UnknownVal(cty.Object(map[string]cty.Type{"a": cty.String})),
		"dyn":          cty.DynamicVal,
		"prefixed":     cty.UnknownVal(cty.String).Refine().StringPrefix("arn:aws:s3:::").NewValue(),
		"secret":       cty.StringVal("hunter2").Mark(Sensitive),
		"eph":          cty.StringVal("token").Mark(Ephemeral),
		"eph_obj": cty.ObjectVal(map[string]cty.Value{
			"id":    cty.StringVal("x"),
			"token": cty.StringVal("t").Mark(Ephemeral).Mark(Sensitive),
		}),
	}
}

func parse(t testing.TB, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing %s: %s", src, diags.Error())
	}
	return expr
}

func eval(t testing.TB, src string, opts Options) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	ctx := &hcl.EvalContext{Variables: testVars(), Functions: Table(opts)}
	return parse(t, src).Value(ctx)
}

type evalTest struct {
	expr string
	// want is an HCL expression for the expected value, compared with
	// cty's RawEquals (types, marks and values must all match).
	want string
	// val, when set, is the expected value itself.
	val cty.Value
	// unknown, when set, instead expects an unknown value of this type.
	unknown cty.Type
	// err, when set, instead expects an error containing it.
	err string
}

// evalTests are mostly the examples of Terraform's documentation, with the
// results Terraform gives.
var evalTests = []evalTest{
	// Numeric.
	{expr: `abs(23)`, want: `23`},
	{expr: `abs(0)`, want: `0`},
	{expr: `abs(-12.4)`, want: `12.4`},
	{expr: `ceil(5)`, want: `5`},
	{expr: `ceil(5.1)`, want: `6`},
	{expr: `floor(4.9)`, want: `4`},
	{expr: `log(16, 2)`, want: `4`},
	{expr: `format("%.4f", log(50, 10))`, want: `"1.6990"`},
	{expr: `max(12, 54, 3)`, want: `54`},
	{expr: `max([12, 54, 3]...)`, want: `54`},
	{expr: `min(12, 54, 3)`, want: `3`},
	{expr: `parseint("100", 10)`, want: `100`},
	{expr: `parseint("FF", 16)`, want: `255`},
	{expr: `parseint("-10", 16)`, want: `-16`},
	{expr: `parseint("1011111011101111", 2)`, want: `48879`},
	{expr: `parseint("aA", 62)`, want: `656`},
	{expr: `parseint("12", 2)`, err: `cannot parse "12" as a base 2 integer`},
	{expr: `pow(3, 2)`, want: `9`},
	{expr: `pow(4, 0)`, want: `1`},
	{expr: `signum(-13)`, want: `-1`},
	{expr: `signum(0)`, want: `0`},
	{expr: `signum(344)`, want: `1`},

	// Strings.
	{expr: `chomp("hello\n")`, want: `"hello"`},
	{expr: `chomp("hello\r\n")`, want: `"hello"`},
	{expr: `chomp("hello\n\n")`, want: `"hello"`},
	{expr: `endswith("hello world", "world")`, want: `true`},
	{expr: `endswith("hello world", "hello")`, want: `false`},
	{expr: `format("Hello, %s!", "Ander")`, want: `"Hello, Ander!"`},
	{expr: `format("There are %d lights", 4)`, want: `"There are 4 lights"`},
	{expr: `format("%-5s|%5.1f|%03d", "ab", 3.14159, 7)`, want: `"ab   |  3.1|007"`},
	{expr: `format("%v %#v", true, "x")`, want: `"true \"x\""`},
	{expr: `format("%999999d", 1)`, err: "field width or precision too large"},
	{expr: `formatlist("Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"])`, want: `tolist(["Hello, Valentina!", "Hello, Ander!", "Hello, Olivia!", "Hello, Sam!"])`},
	{expr: `formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"])`, want: `tolist(["Salutations, Valentina!", "Salutations, Ander!"])`},
	{expr: `formatlist("%.999999f", [1])`, err: "field width or precision too large"},
	{expr: `indent(2, "[\n  foo,\n  bar,\n]\n")`, want: `"[\n    foo,\n    bar,\n  ]\n  "`},
	{expr: `indent(-1, "a\nb")`, err: "number of spaces"},
	{expr: `indent(1e9, "a\nb")`, err: "number of spaces"},
	{expr: `join(", ", ["foo", "bar", "baz"])`, want: `"foo, bar, baz"`},
	{expr: `join(", ", ["foo"])`, want: `"foo"`},
	{expr: `join("-", ["a"], ["b", "c"])`, want: `"a-b-c"`},
	{expr: `lower("HELLO")`, want: `"hello"`},
	{expr: `lower("АЛЛО!")`, want: `"алло!"`},
	{expr: `regex("[a-z]+", "53453453.345345aaabbbccc23454")`, want: `"aaabbbccc"`},
	{expr: `regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")`, want: `["2019", "02", "01"]`},
	{expr: `regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")`, want: `{authority = "terraform.io", scheme = "https"}`},
	{expr: `regex("[a-z]+", "12345")`, err: "pattern did not match"},
	{expr: `regexall("[a-z]+", "1234abcd5678efgh9")`, want: `tolist(["abcd", "efgh"])`},
	{expr: `length(regexall("[a-z]+", "1234abcd5678efgh9"))`, want: `2`},
	{expr: `length(regexall("[a-z]+", "123456789")) > 0`, want: `false`},
	{expr: `replace("1 + 2 + 3", "+", "-")`, want: `"1 - 2 - 3"`},
	{expr: `replace("hello world", "/w.*d/", "everybody")`, want: `"hello everybody"`},
	{expr: `replace("hello world", "/(h)(e)/", "$2$1")`, want: `"ehllo world"`},
	{expr: `replace("aaa", "/(?P<x>a)/", "<$${x}>")`, want: `"<a><a><a>"`},
	{expr: `replace("a/b/c", "/", "-")`, want: `"a-b-c"`},
	// "//" is the empty regular expression, which matches everywhere.
	{expr: `replace("a//b", "//", "+")`, want: `"+a+/+/+b+"`},
	{expr: `replace("abc", "/[/", "x")`, err: "invalid regular expression"},
	{expr: `split(",", "foo,bar,baz")`, want: `tolist(["foo", "bar", "baz"])`},
	{expr: `split(",", "foo")`, want: `tolist(["foo"])`},
	{expr: `split(",", "")`, want: `tolist([""])`},
	{expr: `startswith("hello world", "hello")`, want: `true`},
	{expr: `startswith("hello world", "world")`, want: `false`},
	{expr: `strcontains("hello world", "wor")`, want: `true`},
	{expr: `strcontains("hello world", "wod")`, want: `false`},
	{expr: `strrev("hello")`, want: `"olleh"`},
	{expr: `strrev("a ☃")`, want: `"☃ a"`},
	{expr: `substr("hello world", 1, 4)`, want: `"ello"`},
	{expr: `substr("🤔🤷", 0, 1)`, want: `"🤔"`},
	{expr: `substr("hello world", -5, -1)`, want: `"world"`},
	{expr: `substr("hello world", 6, 10)`, want: `"world"`},
	{expr: `title("hello world")`, want: `"Hello World"`},
	{expr: `trim("?!hello?!", "!?")`, want: `"hello"`},
	{expr: `trim("foobar", "far")`, want: `"oob"`},
	{expr: `trim("   hello! world.!  ", "! ")`, want: `"hello! world."`},
	{expr: `trimprefix("helloworld", "hello")`, want: `"world"`},
	{expr: `trimprefix("helloworld", "cat")`, want: `"helloworld"`},
	{expr: `trimsuffix("helloworld", "world")`, want: `"hello"`},
	{expr: `trimspace("  hello\n\n")`, want: `"hello"`},
	{expr: `upper("hello")`, want: `"HELLO"`},
	{expr: `upper("алло!")`, want: `"АЛЛО!"`},
	{expr: `templatestring(local.greeting, {name = "Ander"})`, want: `"Hello, Ander!"`},
	{expr: `templatestring(local.loop, {xs = [1, 2, 3]})`, want: `"[1][2][3]"`},
	{expr: `templatestring(local.tpls["a"], {v = 1})`, want: `"A=1"`},
	{expr: `templatestring(local.tpls.a, {v = true})`, want: `"A=true"`},
	{expr: `templatestring(local.unknown, {})`, unknown: cty.String},
	{expr: `templatestring(local.greeting, {name = unknown_str})`, unknown: cty.String},
	{expr: `templatestring(local.secret, {name = "x"})`, want: `sensitive("x")`},
	{expr: `templatestring("Hello, $${name}", {name = "x"})`, err: "templatestring is only for rendering templates"},
	{expr: `templatestring("${local.greeting}", {name = "x"})`, err: "without template interpolation syntax"},
	{expr: `templatestring(lower(local.greeting), {name = "x"})`, err: "must be a direct reference"},
	{expr: `templatestring(local.number, {})`, err: "a string is required"},
	{expr: `templatestring(local.greeting, {})`, err: `vars map does not contain key "name"`},
	{expr: `templatestring(local.greeting, {"not valid" = 1, name = 2})`, err: `invalid template variable name "not valid"`},
	{expr: `templatestring(local.greeting, "x")`, err: "invalid vars value: must be a map"},
	{expr: `templatestring(local.self, {t = local.self})`, err: "cannot recursively call templatestring"},
	{expr: `templatestring(local.reads, {})`, err: "cannot use filesystem access functions like file in templatestring templates"},

	// Collections.
	{expr: `alltrue(["true", true])`, want: `true`},
	{expr: `alltrue([true, false])`, want: `false`},
	{expr: `alltrue([])`, want: `true`},
	{expr: `alltrue([true, null])`, want: `false`},
	{expr: `alltrue([unknown_bool, false])`, want: `false`},
	{expr: `alltrue([unknown_bool, true])`, unknown: cty.Bool},
	{expr: `anytrue(["true"])`, want: `true`},
	{expr: `anytrue([true, false])`, want: `true`},
	{expr: `anytrue([])`, want: `false`},
	{expr: `anytrue([null, false])`, want: `false`},
	{expr: `anytrue([unknown_bool, true])`, want: `true`},
	{expr: `anytrue([unknown_bool, false])`, unknown: cty.Bool},
	{expr: `chunklist(["a", "b", "c", "d", "e"], 2)`, want: `tolist([tolist(["a", "b"]), tolist(["c", "d"]), tolist(["e"])])`},
	{expr: `chunklist(["a", "b", "c", "d", "e"], 1)`, want: `tolist([tolist(["a"]), tolist(["b"]), tolist(["c"]), tolist(["d"]), tolist(["e"])])`},
	{expr: `coalesce("a", "b")`, want: `"a"`},
	{expr: `coalesce("", "b")`, want: `"b"`},
	{expr: `coalesce(1, 2)`, want: `1`},
	{expr: `coalesce(null, "x")`, want: `"x"`},
	{expr: `coalesce(1, "x")`, want: `"1"`},
	{expr: `coalesce(null, "")`, err: "no non-null, non-empty-string arguments"},
	{expr: `coalesce(["a"], "b")`, err: "all arguments must have the same type"},
	{expr: `coalesce(unknown_str, "x")`, unknown: cty.String},
	{expr: `coalesce("x", unknown_str)`, want: `"x"`},
	{expr: `coalescelist(["a", "b"], ["c", "d"])`, want: `["a", "b"]`},
	{expr: `coalescelist([], ["c", "d"])`, want: `["c", "d"]`},
	{expr: `compact(["a", "", "b", null, "c"])`, want: `tolist(["a", "b", "c"])`},
	{expr: `concat(["a", ""], ["b", "c"])`, want: `["a", "", "b", "c"]`},
	{expr: `concat(tolist(["a"]), tolist(["b"]))`, want: `tolist(["a", "b"])`},
	{expr: `contains(["a", "b", "c"], "a")`, want: `true`},
	{expr: `contains(["a", "b", "c"], "d")`, want: `false`},
	{expr: `distinct(["a", "b", "a", "c", "d", "b"])`, want: `tolist(["a", "b", "c", "d"])`},
	{expr: `element(["a", "b", "c"], 1)`, want: `"b"`},
	{expr: `element(["a", "b", "c"], 3)`, want: `"a"`},
	{expr: `element(["a", "b", "c"], length(["a", "b", "c"])-1)`, want: `"c"`},
	{expr: `element([], 0)`, err: "cannot use element function with an empty list"},
	{expr: `flatten([["a", "b"], [], ["c"]])`, want: `["a", "b", "c"]`},
	{expr: `flatten([[["a", "b"], []], ["c"]])`, want: `["a", "b", "c"]`},
	{expr: `flatten([toset(["a"]), tolist(["b", "c"])])`, want: `["a", "b", "c"]`},
	{expr: `index(["a", "b", "c"], "b")`, want: `1`},
	{expr: `index(["a", "b", "c"], "d")`, err: "item not found"},
	{expr: `index([], "d")`, err: "cannot search an empty list"},
	{expr: `index("abc", "b")`, err: "argument must be a list or tuple"},
	{expr: `index([unknown_str, "b"], "b")`, unknown: cty.Number},
	{expr: `keys({a = 1, c = 2, d = 3})`, want: `["a", "c", "d"]`},
	{expr: `keys(tomap({b = 1, a = 2}))`, want: `tolist(["a", "b"])`},
	{expr: `length([])`, want: `0`},
	{expr: `length(["a", "b"])`, want: `2`},
	{expr: `length({"a" = "b"})`, want: `1`},
	{expr: `length(tomap({"a" = "b"}))`, want: `1`},
	{expr: `length(toset(["a", "a", "b"]))`, want: `2`},
	{expr: `length("hello")`, want: `5`},
	{expr: `length("👾🕹️")`, want: `2`},
	{expr: `length("e\u0301")`, want: `1`},
	{expr: `length(5)`, err: "argument must be a string, a collection type, or a structural type"},
	{expr: `length(null)`, err: "must not be null"},
	{expr: `list("a", "b")`, err: `the "list" function was deprecated in Terraform v0.12`},
	{expr: `map("a", "b")`, err: `the "map" function was deprecated in Terraform v0.12`},
	{expr: `lookup({a = "ay", b = "bee"}, "a", "what?")`, want: `"ay"`},
	{expr: `lookup({a = "ay", b = "bee"}, "c", "what?")`, want: `"what?"`},
	{expr: `lookup({a = "ay", b = 1}, "b")`, want: `1`},
	{expr: `lookup(tomap({a = "x"}), "a")`, want: `"x"`},
	{expr: `lookup(tomap({a = "x"}), "b", 1)`, want: `"1"`},
	{expr: `lookup(tomap({a = "x"}), "b")`, err: `lookup failed to find key "b"`},
	{expr: `lookup({a = "x"}, "b")`, err: `the given object has no attribute "b"`},
	{expr: `lookup(tomap({a = "x"}), "b", ["no"])`, err: "the default value must have the same type as the map elements"},
	{expr: `lookup("x", "b")`, err: "lookup() requires a map as the first argument"},
	{expr: `lookup({a = 1}, "a", 1, 2)`, err: "lookup() takes two or three arguments, got 4"},
	{expr: `lookup(unknown_map, "a")`, unknown: cty.String},
	{expr: `lookup({a = 1}, unknown_str, 2)`, unknown: cty.DynamicPseudoType},
	{expr: `lookup(tomap({a = "x"}), unknown_str)`, unknown: cty.String},
	{expr: `matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])`, want: `tolist(["i-abc", "i-def"])`},
	{expr: `matchkeys(["a", "b"], [1, 2], [3])`, val: cty.ListValEmpty(cty.String)},
	{expr: `matchkeys(["a"], [1, 2], [3])`, err: "length of keys and values should be equal"},
	{expr: `matchkeys(["a", "b"], [1, 2], [unknown_num])`, unknown: cty.List(cty.String)},
	{expr: `merge({a = "b", c = "d"}, {e = "f", c = "z"})`, want: `{a = "b", c = "z", e = "f"}`},
	{expr: `merge({a = "b"}, {a = [1, 2], c = "z"}, {d = 3})`, want: `{a = [1, 2], c = "z", d = 3}`},
	{expr: `merge(tomap({a = "b"}), tomap({c = "d"}))`, want: `tomap({a = "b", c = "d"})`},
	{expr: `one([])`, want: `null`},
	{expr: `one(["hello"])`, want: `"hello"`},
	{expr: `one(tolist([]))`, want: `null`},
	{expr: `one(toset(["hello"]))`, want: `"hello"`},
	{expr: `one(["hello", "goodbye"])`, err: "must be a list, set, or tuple value with either zero or one elements"},
	{expr: `one(tolist(["hello", "goodbye"]))`, err: "must be a list, set, or tuple value with either zero or one elements"},
	{expr: `one(toset([unknown_str, "a"]))`, unknown: cty.String},
	{expr: `range(3)`, want: `tolist([0, 1, 2])`},
	{expr: `range(1, 4)`, want: `tolist([1, 2, 3])`},
	{expr: `range(1, 8, 2)`, want: `tolist([1, 3, 5, 7])`},
	{expr: `range(1, 4, 0.5)`, want: `tolist([1, 1.5, 2, 2.5, 3, 3.5])`},
	{expr: `range(4, 1)`, want: `tolist([4, 3, 2])`},
	{expr: `range(0)`, val: cty.ListValEmpty(cty.Number)},
	{expr: `range(1e9)`, err: "more than 1024 values were generated"},
	{expr: `reverse([1, 2, 3])`, want: `[3, 2, 1]`},
	{expr: `setintersection(["a", "b"], ["b", "c"], ["b", "d"])`, want: `toset(["b"])`},
	{expr: `setproduct(["development", "staging"], ["app1", "app2"])`, want: `tolist([["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"]])`},
	{expr: `setsubtract(["a", "b", "c"], ["a", "c"])`, want: `toset(["b"])`},
	{expr: `setunion(["a", "b"], ["b", "c"], ["d"])`, want: `toset(["a", "b", "c", "d"])`},
	{expr: `slice(["a", "b", "c", "d"], 1, 3)`, want: `["b", "c"]`},
	{expr: `sort(["e", "d", "a", "x"])`, want: `tolist(["a", "d", "e", "x"])`},
	{expr: `sum([10, 13, 6, 4.5])`, want: `33.5`},
	{expr: `sum(toset([1, 2]))`, want: `3`},
	{expr: `sum(["1", 2])`, want: `3`},
	{expr: `sum([])`, err: "cannot sum an empty list"},
	{expr: `sum([1, null])`, err: "argument must be list, set, or tuple of number values"},
	{expr: `sum(["a"])`, err: "argument must be list, set, or tuple of number values"},
	{expr: `sum({a = 1})`, err: "argument must be list, set, or tuple"},
	{expr: `sum([1, unknown_num])`, unknown: cty.Number},
	{expr: `transpose({"a" = ["1", "2"], "b" = ["2", "3"]})`, want: `tomap({"1" = tolist(["a"]), "2" = tolist(["a", "b"]), "3" = tolist(["b"])})`},
	{expr: `transpose({})`, val: cty.MapValEmpty(cty.List(cty.String))},
	{expr: `values({a = 3, c = 2, d = 1})`, want: `[3, 2, 1]`},
	{expr: `values(tomap({b = "x", a = "y"}))`, want: `tolist(["y", "x"])`},
	{expr: `zipmap(["a", "b"], [1, 2])`, want: `{a = 1, b = 2}`},
	{expr: `zipmap(tolist(["a", "b"]), tolist([1, 2]))`, want: `tomap({a = 1, b = 2})`},

	// Encoding.
	{expr: `base64decode("SGVsbG8gV29ybGQ=")`, want: `"Hello World"`},
	{expr: `base64decode("not base64!")`, err: "failed to decode base64 data"},
	{expr: `base64decode("/w==")`, err: "not valid UTF-8"},
	{expr: `base64encode("Hello World")`, want: `"SGVsbG8gV29ybGQ="`},
	{expr: `csvdecode("a,b,c\n1,2,3\n4,5,6")`, want: `tolist([{a = "1", b = "2", c = "3"}, {a = "4", b = "5", c = "6"}])`},
	{expr: `jsondecode("{\"hello\": \"world\"}")`, want: `{hello = "world"}`},
	{expr: `jsondecode("true")`, want: `true`},
	{expr: `jsondecode("[1, \"a\", null]")`, want: `[1, "a", null]`},
	{expr: `jsondecode("{")`, err: "EOF"},
	{expr: `jsonencode({"hello" = "world"})`, want: `"{\"hello\":\"world\"}"`},
	{expr: `jsonencode({b = 1, a = [true, null], c = {z = 1, y = "2"}})`, want: `"{\"a\":[true,null],\"b\":1,\"c\":{\"y\":\"2\",\"z\":1}}"`},
	{expr: `jsonencode("<tag>&")`, want: `"\"\\u003ctag\\u003e\\u0026\""`},
	{expr: `textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")`, want: `"Hello World"`},
	{expr: `textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "no-such-encoding")`, err: "is not a supported IANA encoding name or alias"},
	{expr: `textdecodebase64("%%%", "UTF-16LE")`, err: "invalid base64 symbol at offset 0"},
	{expr: `textencodebase64("Hello World", "UTF-16LE")`, want: `"SABlAGwAbABvACAAVwBvAHIAbABkAA=="`},
	{expr: `textencodebase64("Hello World", "UTF-8")`, want: `"SGVsbG8gV29ybGQ="`},
	{expr: `textencodebase64("☃", "ISO-8859-1")`, err: "cannot be represented in ISO_8859-1:1987"},
	{expr: `urlencode("Hello World!")`, want: `"Hello+World%21"`},
	{expr: `urlencode("☃")`, want: `"%E2%98%83"`},
	{expr: `urlencode("foo:bar@localhost?foo=bar&bar=baz")`, want: `"foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz"`},
	{expr: `yamldecode("hello: world")`, want: `{hello = "world"}`},
	{expr: `yamldecode("true")`, want: `true`},
	{expr: `yamldecode("{a: &foo [1, 2, 3], b: *foo}")`, want: `{a = [1, 2, 3], b = [1, 2, 3]}`},
	{expr: `yamldecode("{a: &foo [1, *foo]}")`, err: "cannot refer to anchor"},
	{expr: `yamlencode({"a" = "b", "c" = "d"})`, want: `"\"a\": \"b\"\n\"c\": \"d\"\n"`},
	{expr: `yamlencode({"foo" = [1, 2, 3], "bar" = "baz"})`, want: `"\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"`},

	// Filesystem.
	{expr: `abspath("x/../y")`, want: `"/mod/y"`},
	{expr: `abspath("/a/../b")`, want: `"/b"`},
	{expr: `dirname("foo/bar/baz.txt")`, want: `"foo/bar"`},
	{expr: `dirname("baz.txt")`, want: `"."`},
	{expr: `basename("foo/bar/baz.txt")`, want: `"baz.txt"`},
	{expr: `pathexpand("~/.ssh/id_rsa")`, unknown: cty.String},
	{expr: `pathexpand("/etc/resolv.conf")`, want: `"/etc/resolv.conf"`},
	{expr: `pathexpand("~someone/x")`, err: "cannot expand user-specific home dir"},
	{expr: `file("hello.txt")`, want: `"Hello World"`},
	{expr: `file("${path.module}/hello.txt")`, want: `"Hello World"`},
	{expr: `file("binary.dat")`, err: "not valid UTF-8; use the filebase64 function"},
	{expr: `file("missing.txt")`, err: "open /mod/missing.txt: file does not exist"},
	{expr: `file("../etc/passwd")`, err: "reading /etc/passwd: path is outside the scan root"},
	{expr: `file("~/secrets")`, unknown: cty.String},
	{expr: `file(sensitive("hello.txt"))`, want: `sensitive("Hello World")`},
	{expr: `fileexists("hello.txt")`, want: `true`},
	{expr: `fileexists("missing.txt")`, want: `false`},
	{expr: `fileexists("/etc/passwd")`, err: "path is outside the scan root"},
	{expr: `fileset(path.module, "files/*.txt")`, want: `toset(["files/a.txt", "files/b.txt"])`},
	{expr: `fileset("files", "*")`, want: `toset(["a.txt", "b.txt", "c.json"])`},
	{expr: `fileset("files", "*.yaml")`, val: cty.SetValEmpty(cty.String)},
	{expr: `fileset("files", "[")`, err: "failed to glob pattern"},
	{expr: `filebase64("hello.txt")`, want: `"SGVsbG8gV29ybGQ="`},
	{expr: `filebase64("binary.dat")`, want: `"//4A"`},
	{expr: `templatefile("${path.module}/backends.tftpl", {port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"]})`, want: `"backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n"`},
	{expr: `templatefile("config.tftpl", {port = 80, ip_addrs = ["10.0.0.1"]})`, want: `"{\"backends\":[\"10.0.0.1:80\"]}"`},
	{expr: `templatefile("list.tftpl", {ip_addrs = ["a", "b"]})`, want: `["a", "b"]`},
	{expr: `templatefile("greet.tftpl", {name = "ander"})`, want: `"Hello, ANDER!"`},
	{expr: `templatefile("greet.tftpl", {name = secret})`, want: `sensitive("Hello, HUNTER2!")`},
	{expr: `templatefile("greet.tftpl", {name = unknown_str})`, unknown: cty.String},
	{expr: `templatefile("greet.tftpl", unknown_obj)`, unknown: cty.DynamicPseudoType},
	{expr: `templatefile("greet.tftpl", {})`, err: `vars map does not contain key "name", referenced at greet.tftpl:1,16-20`},
	{expr: `templatefile("greet.tftpl", ["x"])`, err: "invalid vars value: must be a map"},
	{expr: `templatefile("recurse.tftpl", {})`, err: "cannot recursively call templatefile from inside another template function"},
	{expr: `templatefile("badsyntax.tftpl", {})`, err: "badsyntax.tftpl:1"},
	{expr: `templatefile("missing.tftpl", {})`, err: "file does not exist"},
	{expr: `templatefile("binary.dat", {})`, err: "not valid UTF-8"},

	// Date and time.
	{expr: `formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")`, want: `"02 Jan 2018 23:12 UTC"`},
	{expr: `formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")`, want: `"Tuesday, 02-Jan-18 23:12:01 UTC"`},
	{expr: `formatdate("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00")`, want: `"Tue, 02 Jan 2018 23:12:01 -0800"`},
	{expr: `formatdate("MMM DD, YYYY", "2018-01-02T23:12:01Z")`, want: `"Jan 02, 2018"`},
	{expr: `formatdate("HH:mmaa", "2018-01-02T23:12:01Z")`, want: `"11:12pm"`},
	{expr: `formatdate("YYYY", "2018-01-02")`, err: "not a valid RFC3339 timestamp"},
	{expr: `timeadd("2017-11-22T00:00:00Z", "10m")`, want: `"2017-11-22T00:10:00Z"`},
	{expr: `timeadd("2017-11-22T00:00:00Z", "-1h")`, want: `"2017-11-21T23:00:00Z"`},
	{expr: `timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z")`, want: `0`},
	{expr: `timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z")`, want: `-1`},
	{expr: `timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z")`, want: `1`},
	{expr: `timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00-01:00")`, want: `0`},
	{expr: `timecmp("2017-11-22T00:00:00.5Z", "2017-11-22T00:00:00Z")`, want: `1`},
	{expr: `timecmp("2017-11-22", "2017-11-22T00:00:00Z")`, err: "not a valid RFC3339 timestamp"},
	{expr: `timestamp()`, unknown: cty.String},
	{expr: `plantimestamp()`, unknown: cty.String},

	// Hashes and crypto.
	{expr: `base64sha256("hello world")`, want: `"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="`},
	{expr: `base64sha512("hello world")`, want: `"MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="`},
	{expr: `bcrypt("hello world")`, unknown: cty.String},
	{expr: `bcrypt("hello world", 10)`, unknown: cty.String},
	{expr: `bcrypt("hello world", 10, 11)`, err: "bcrypt() takes no more than two arguments"},
	{expr: `md5("hello world")`, want: `"5eb63bbbe01eeed093cb22bb8f5acdc3"`},
	{expr: `sha1("hello world")`, want: `"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"`},
	{expr: `sha256("hello world")`, want: `"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"`},
	{expr: `sha512("hello world")`, want: `"309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"`},
	{expr: `filemd5("hello.txt") == md5("Hello World")`, want: `true`},
	{expr: `filesha1("hello.txt") == sha1("Hello World")`, want: `true`},
	{expr: `filesha256("hello.txt") == sha256("Hello World")`, want: `true`},
	{expr: `filesha512("hello.txt") == sha512("Hello World")`, want: `true`},
	{expr: `filebase64sha256("hello.txt") == base64sha256("Hello World")`, want: `true`},
	{expr: `filebase64sha512("hello.txt") == base64sha512("Hello World")`, want: `true`},
	{expr: `filemd5("binary.dat")`, want: `"266e75fcf28db213599bf0f3f46976a8"`},
	{expr: `filesha256("missing.txt")`, err: "file does not exist"},
	{expr: `rsadecrypt("eENvbnRlbnQ=", "-----BEGIN RSA PRIVATE KEY-----")`, unknown: cty.String},
	{expr: `uuid()`, unknown: cty.String},
	{expr: `uuidv5("dns", "www.terraform.io")`, want: `"a5008fae-b28c-5ba5-96cd-82b4c53552d6"`},
	{expr: `uuidv5("url", "https://www.terraform.io/")`, want: `"9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5"`},
	{expr: `uuidv5("oid", "1.3.6.1.4")`, want: `"af9d40a5-7a36-5c07-b23a-851cd99fbfa5"`},
	{expr: `uuidv5("x500", "CN=Example,C=GB")`, want: `"84e09961-4aa4-57f8-95b7-03edb1073253"`},
	{expr: `uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io")`, want: `"a5008fae-b28c-5ba5-96cd-82b4c53552d6"`},
	{expr: `uuidv5("{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}", "www.terraform.io")`, want: `"a5008fae-b28c-5ba5-96cd-82b4c53552d6"`},
	{expr: `uuidv5("urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io")`, want: `"a5008fae-b28c-5ba5-96cd-82b4c53552d6"`},
	{expr: `uuidv5("6ba7b8109dad11d180b400c04fd430c8", "www.terraform.io")`, want: `"a5008fae-b28c-5ba5-96cd-82b4c53552d6"`},
	{expr: `uuidv5("tld", "www.terraform.io")`, err: "uuidv5() doesn't support namespace tld"},

	// IP networks.
	{expr: `cidrhost("10.12.112.0/20", 16)`, want: `"10.12.112.16"`},
	{expr: `cidrhost("10.12.112.0/20", 268)`, want: `"10.12.113.12"`},
	{expr: `cidrhost("10.12.127.0/20", 1)`, want: `"10.12.112.1"`},
	{expr: `cidrhost("10.0.0.0/8", -1)`, want: `"10.255.255.255"`},
	{expr: `cidrhost("10.0.0.0/30", -4)`, want: `"10.0.0.0"`},
	{expr: `cidrhost("10.0.0.0/30", -5)`, err: "prefix of 30 bits cannot accommodate a host numbered -5"},
	{expr: `cidrhost("10.0.0.0/30", 4)`, err: "prefix of 30 bits cannot accommodate a host numbered 4"},
	{expr: `cidrhost("010.001.0.0/16", 1)`, want: `"10.1.0.1"`},
	{expr: `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, want: `"fd00:fd12:3456:7890::22"`},
	{expr: `cidrhost("10.0.0.0/8", 1.5)`, err: "must be a whole number"},
	{expr: `cidrhost("10.0.0.0", 1)`, err: "invalid CIDR expression"},
	{expr: `cidrhost("10.0.0.0/33", 1)`, err: "invalid CIDR expression"},
	{expr: `cidrhost("fe80::1%eth0/64", 1)`, err: "invalid CIDR expression"},
	{expr: `cidrnetmask("172.16.0.0/12")`, want: `"255.240.0.0"`},
	{expr: `cidrnetmask("10.0.0.0/0")`, want: `"0.0.0.0"`},
	{expr: `cidrnetmask("fd00::/64")`, err: "IPv6 addresses cannot have a netmask"},
	{expr: `cidrsubnet("172.16.0.0/12", 4, 2)`, want: `"172.18.0.0/16"`},
	{expr: `cidrsubnet("10.1.2.0/24", 4, 15)`, want: `"10.1.2.240/28"`},
	{expr: `cidrsubnet("10.1.2.3/24", 0, 0)`, want: `"10.1.2.0/24"`},
	{expr: `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, want: `"fd00:fd12:3456:7800:a200::/72"`},
	{expr: `cidrsubnet("10.1.2.0/24", 4, 16)`, err: "prefix extension of 4 does not accommodate a subnet numbered 16"},
	{expr: `cidrsubnet("10.1.2.0/24", 9, 0)`, err: "insufficient address space to extend prefix of 24 by 9"},
	{expr: `cidrsubnet("10.1.2.0/24", 4, -1)`, err: "does not accommodate a subnet numbered -1"},
	{expr: `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, want: `tolist(["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"])`},
	{expr: `cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, want: `tolist(["fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88"])`},
	{expr: `cidrsubnets("10.0.0.0/8")`, val: cty.ListValEmpty(cty.String)},
	{expr: `cidrsubnets("10.0.0.0/30", 1, 1, 1)`, err: "not enough remaining address space for a subnet with a prefix of 31 bits after 10.0.0.2/31"},
	{expr: `cidrsubnets("10.0.0.0/8", 0)`, err: "must extend prefix by at least one bit"},
	{expr: `cidrsubnets("10.0.0.0/8", 33)`, err: "may not extend prefix by more than 32 bits"},
	{expr: `cidrsubnets("10.0.0.0/24", 9)`, err: "would extend prefix to 33 bits, which is too long for an IPv4 address"},

	// Types, sensitivity and errors.
	{expr: `can(local.greeting)`, want: `true`},
	{expr: `can(local.nope)`, want: `false`},
	{expr: `can(regex("^[a-z]+$", "abc"))`, want: `true`},
	{expr: `can(regex("^[a-z]+$", "ABC"))`, want: `false`},
	{expr: `can(unknown_str)`, unknown: cty.Bool},
	{expr: `try(local.nope, "fallback")`, want: `"fallback"`},
	{expr: `try(local.greeting, "fallback")`, want: `local.greeting`},
	{expr: `try(tonumber("x"), tobool("y"))`, err: "cannot convert"},
	{expr: `try(jsondecode("{}").a, lookup({}, "a", "dflt"))`, want: `"dflt"`},
	{expr: `sensitive("x")`, want: `sensitive("x")`},
	{expr: `nonsensitive(sensitive("x"))`, want: `"x"`},
	{expr: `nonsensitive("x")`, want: `"x"`},
	{expr: `nonsensitive(secret)`, want: `"hunter2"`},
	{expr: `issensitive(sensitive("x"))`, want: `true`},
	{expr: `issensitive("x")`, want: `false`},
	{expr: `issensitive(secret)`, want: `true`},
	{expr: `issensitive(unknown_str)`, unknown: cty.Bool},
	{expr: `issensitive(sensitive(unknown_str))`, want: `true`},
	{expr: `tobool(true)`, want: `true`},
	{expr: `tobool("false")`, want: `false`},
	{expr: `tobool(null)`, val: cty.NullVal(cty.Bool)},
	{expr: `tobool("no")`, err: `cannot convert "no" to bool; only the strings "true" or "false" are allowed`},
	{expr: `tobool(1)`, err: "cannot convert number to bool"},
	{expr: `tolist(["a", "b", "c"])`, want: `tolist(["a", "b", "c"])`},
	{expr: `tolist(["a", "b", 3])`, want: `tolist(["a", "b", "3"])`},
	{expr: `tolist(toset(["b", "a"]))`, want: `tolist(["a", "b"])`},
	{expr: `tolist("a")`, err: "cannot convert string to list of any single type"},
	{expr: `tomap({"a" = 1, "b" = 2})`, want: `tomap({a = 1, b = 2})`},
	{expr: `tomap({"a" = "foo", "b" = true})`, want: `tomap({a = "foo", b = "true"})`},
	{expr: `tonumber(1)`, want: `1`},
	{expr: `tonumber("1")`, want: `1`},
	{expr: `tonumber(null)`, val: cty.NullVal(cty.Number)},
	{expr: `tonumber("no")`, err: `cannot convert "no" to number; given string must be a decimal representation of a number`},
	{expr: `tonumber(sensitive("no"))`, err: "cannot convert this sensitive string to number"},
	{expr: `toset(["a", "b", "c", "a"])`, want: `toset(["a", "b", "c"])`},
	{expr: `tostring("hello")`, want: `"hello"`},
	{expr: `tostring(1)`, want: `"1"`},
	{expr: `tostring(true)`, want: `"true"`},
	{expr: `tostring(null)`, val: cty.NullVal(cty.String)},
	{expr: `tostring([])`, err: "cannot convert tuple to string"},
	{expr: `tostring(unknown_num)`, unknown: cty.String},
	{expr: `type(1)`, unknown: cty.DynamicPseudoType},
	{expr: `ephemeralasnull("x")`, want: `"x"`},
	{expr: `ephemeralasnull(eph) == null`, want: `true`},
	{expr: `ephemeralasnull(eph_obj).id`, want: `"x"`},
	{expr: `ephemeralasnull(eph_obj).token == null`, want: `sensitive(true)`},

	// Provider functions.
	{expr: `provider::aws::arn_parse("arn:aws:iam::444455556666:role/example")`, want: `{partition = "aws", service = "iam", region = "", account_id = "444455556666", resource = "role/example"}`},
	{expr: `provider::aws::arn_parse("arn:aws:s3:::bucket/key:with:colons").resource`, want: `"bucket/key:with:colons"`},
	{expr: `provider::aws::arn_parse("arn:aws:s3")`, err: "arn: not enough sections"},
	{expr: `provider::aws::arn_parse("urn:aws:s3:::b")`, err: "arn: invalid prefix"},
	{expr: `provider::aws::arn_build("aws", "iam", "", "444455556666", "role/example")`, want: `"arn:aws:iam::444455556666:role/example"`},
	{expr: `provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:role/with/path/example")`, want: `"arn:aws:iam::444455556666:role/example"`},
	{expr: `provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:role/example")`, want: `"arn:aws:iam::444455556666:role/example"`},
	{expr: `provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:user/example")`, err: "invalid IAM role ARN"},
	{expr: `provider::aws::arn_parse(unknown_str)`, unknown: cty.Object(map[string]cty.Type{"partition": cty.String, "service": cty.String, "region": cty.String, "account_id": cty.String, "resource": cty.String})},
}

// unknownTests check that unknown arguments give unknown results (and known
// ones where the unknown cannot matter).
var unknownTests = []evalTest{
	{expr: `upper(unknown_str)`, unknown: cty.String},
	{expr: `format("%s-%s", "a", unknown_str)`, unknown: cty.String},
	{expr: `join(",", unknown_list)`, unknown: cty.String},
	{expr: `length(unknown_list)`, unknown: cty.Number},
	{expr: `length(unknown_str)`, unknown: cty.Number},
	{expr: `length(dyn)`, unknown: cty.Number},
	{expr: `length([unknown_str, "a"])`, want: `2`},
	{expr: `length(unknown_obj)`, want: `1`},
	{expr: `length(unknown_list) == null`, want: `false`},
	{expr: `jsonencode({a = unknown_str})`, unknown: cty.String},
	{expr: `jsondecode(unknown_str)`, unknown: cty.DynamicPseudoType},
	{expr: `yamlencode([unknown_num])`, unknown: cty.String},
	{expr: `replace(unknown_str, "a", "b")`, unknown: cty.String},
	{expr: `replace("abc", unknown_str, "b")`, unknown: cty.String},
	{expr: `startswith(unknown_str, "x")`, unknown: cty.Bool},
	{expr: `startswith(prefixed, "arn:aws:s3")`, want: `true`},
	{expr: `startswith(prefixed, "arn:aws-cn")`, want: `false`},
	{expr: `startswith(prefixed, "arn:aws:s3:::bucket")`, unknown: cty.Bool},
	{expr: `endswith(unknown_str, "x")`, unknown: cty.Bool},
	{expr: `strcontains(unknown_str, "x")`, unknown: cty.Bool},
	{expr: `merge(dyn, {a = 1})`, unknown: cty.DynamicPseudoType},
	{expr: `concat(unknown_list, tolist(["a"]))`, unknown: cty.List(cty.String)},
	{expr: `concat(unknown_list, ["a"])`, unknown: cty.DynamicPseudoType},
	{expr: `flatten([unknown_list])`, unknown: cty.DynamicPseudoType},
	{expr: `element(unknown_list, 0)`, unknown: cty.String},
	{expr: `contains(unknown_list, "a")`, unknown: cty.Bool},
	{expr: `distinct(["a", unknown_str])`, unknown: cty.List(cty.String)},
	{expr: `keys(unknown_map)`, unknown: cty.List(cty.String)},
	{expr: `lookup(unknown_obj, "a")`, unknown: cty.String},
	{expr: `coalescelist(unknown_list, ["a"])`, unknown: cty.DynamicPseudoType},
	{expr: `compact(["a", unknown_str])`, unknown: cty.List(cty.String)},
	{expr: `one(unknown_list)`, unknown: cty.String},
	{expr: `transpose({a = [unknown_str]})`, unknown: cty.Map(cty.List(cty.String))},
	{expr: `zipmap(["a"], [unknown_num])`, want: `{a = unknown_num}`},
	{expr: `tolist(unknown_list)`, unknown: cty.List(cty.DynamicPseudoType)},
	{expr: `toset(dyn)`, unknown: cty.Set(cty.DynamicPseudoType)},
	{expr: `base64encode(unknown_str)`, unknown: cty.String},
	{expr: `base64decode(unknown_str)`, unknown: cty.String},
	{expr: `base64gzip(unknown_str)`, unknown: cty.String},
	{expr: `sha256(unknown_str)`, unknown: cty.String},
	{expr: `uuidv5("dns", unknown_str)`, unknown: cty.String},
	{expr: `cidrsubnet(unknown_str, 4, 1)`, unknown: cty.String},
	{expr: `cidrsubnets("10.0.0.0/8", unknown_num)`, unknown: cty.List(cty.String)},
	{expr: `cidrhost("10.0.0.0/8", unknown_num)`, unknown: cty.String},
	{expr: `file(unknown_str)`, unknown: cty.String},
	{expr: `fileexists(unknown_str)`, unknown: cty.Bool},
	{expr: `fileset(unknown_str, "*")`, unknown: cty.Set(cty.String)},
	{expr: `templatefile(unknown_str, {})`, unknown: cty.DynamicPseudoType},
	{expr: `formatdate("YYYY", unknown_str)`, unknown: cty.String},
	{expr: `timeadd(unknown_str, "1h")`, unknown: cty.String},
	{expr: `timecmp(unknown_str, "2017-11-22T00:00:00Z")`, unknown: cty.Number},
	{expr: `abs(unknown_num)`, unknown: cty.Number},
	{expr: `max(1, unknown_num)`, unknown: cty.Number},
	{expr: `parseint(unknown_str, 10)`, unknown: cty.Number},
	{expr: `range(unknown_num)`, unknown: cty.List(cty.Number)},
	{expr: `sum(unknown_list)`, unknown: cty.Number},
	{expr: `alltrue(unknown_list)`, unknown: cty.Bool},
	{expr: `regex(unknown_str, "abc")`, unknown: cty.DynamicPseudoType},
	{expr: `split(",", unknown_str)`, unknown: cty.List(cty.String)},
	{expr: `sensitive(unknown_str)`, want: `sensitive(unknown_str)`},
	{expr: `provider::aws::arn_build("aws", unknown_str, "", "", "")`, unknown: cty.String},
	{expr: `provider::aws::trim_iam_role_path(unknown_str)`, unknown: cty.String},
	{expr: `upper(unknown_str) == null`, want: `false`},
}

// markTests check that sensitive values stay sensitive through functions.
var markTests = []evalTest{
	{expr: `upper(secret)`, want: `sensitive("HUNTER2")`},
	{expr: `length(secret)`, want: `sensitive(7)`},
	{expr: `length([secret, "x"])`, want: `2`},
	{expr: `issensitive(upper(secret))`, want: `true`},
	{expr: `replace(secret, "/h(u)/", "$1")`, want: `sensitive("unter2")`},
	{expr: `format("%s!", secret)`, want: `sensitive("hunter2!")`},
	{expr: `jsonencode({a = secret})`, want: `sensitive("{\"a\":\"hunter2\"}")`},
	{expr: `lookup({a = secret, b = "x"}, "b")`, want: `"x"`},
	{expr: `lookup({a = secret, b = "x"}, "a")`, want: `sensitive("hunter2")`},
	{expr: `lookup(sensitive({a = "x"}), "a")`, want: `sensitive("x")`},
	{expr: `lookup({a = "x"}, secret, "d")`, want: `sensitive("d")`},
	{expr: `lookup(tomap({a = "x"}), secret)`, err: "lookup failed to find key (sensitive value)"},
	{expr: `tostring(secret)`, want: `sensitive("hunter2")`},
	{expr: `tolist([secret])`, want: `tolist([secret])`},
	{expr: `coalesce("", secret)`, want: `sensitive("hunter2")`},
	{expr: `sha256(secret) == sha256("hunter2")`, want: `sensitive(true)`},
	{expr: `base64decode(sensitive("aGk="))`, want: `sensitive("hi")`},
	{expr: `base64decode(sensitive("!!"))`, err: "failed to decode base64 data (sensitive value)"},
	{expr: `cidrhost(sensitive("10.0.0.0/8"), 1)`, want: `sensitive("10.0.0.1")`},
	{expr: `provider::aws::arn_parse(sensitive("arn:aws:s3:::b")).resource`, want: `sensitive("b")`},
	{expr: `nonsensitive(upper(secret))`, want: `"HUNTER2"`},
	{expr: `file(sensitive("missing.txt"))`, err: "file does not exist"},
	{expr: `can(secret)`, want: `true`},
	{expr: `try(secret, "x")`, want: `secret`},
	{expr: `templatestring(local.greeting, {name = secret})`, want: `sensitive("Hello, hunter2!")`},
	{expr: `merge({a = secret}, {b = 1})`, want: `{a = secret, b = 1}`},
	{expr: `element([secret], 0)`, want: `secret`},
	{expr: `keys(sensitive({a = 1}))`, want: `sensitive(["a"])`},
	{expr: `issensitive(base64decode(sensitive(unknown_str)))`, want: `true`},
	{expr: `issensitive(file(sensitive(unknown_str)))`, want: `true`},
	{expr: `issensitive(filesha256(sensitive(unknown_str)))`, want: `true`},
	{expr: `issensitive(fileexists(sensitive(unknown_str)))`, want: `true`},
	{expr: `issensitive(fileset("files", sensitive(unknown_str)))`, want: `true`},
	{expr: `issensitive(templatefile(sensitive(unknown_str), {}))`, want: `true`},
	{expr: `issensitive(templatefile("greet.tftpl", {name = sensitive(unknown_str)}))`, want: `true`},
	{expr: `issensitive(lookup(sensitive(unknown_map), "a"))`, want: `true`},
	{expr: `issensitive(length(sensitive(unknown_list)))`, want: `true`},
	{expr: `issensitive(tostring(sensitive(unknown_num)))`, want: `true`},
}

func runEvalTests(t *testing.T, tests []evalTest, opts Options) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, diags := eval(t, tt.expr, opts)
			switch {
			case tt.err != "":
				if !diags.HasErrors() {
					t.Fatalf("got %#v, want error containing %q", got, tt.err)
				}
				if !strings.Contains(diags.Error(), tt.err) {
					t.Fatalf("got error %q, want it to contain %q", diags.Error(), tt.err)
				}
			case diags.HasErrors():
				t.Fatalf("unexpected error: %s", diags.Error())
			case tt.unknown != cty.NilType:
				if got.IsKnown() || !got.Type().Equals(tt.unknown) {
					t.Fatalf("got %#v, want an unknown %s", got, tt.unknown.FriendlyName())
				}
			case tt.val != cty.NilVal:
				if !got.RawEquals(tt.val) {
					t.Fatalf("got  %#v\nwant %#v", got, tt.val)
				}
			default:
				want, wantDiags := eval(t, tt.want, opts)
				if wantDiags.HasErrors() {
					t.Fatalf("evaluating wanted value %s: %s", tt.want, wantDiags.Error())
				}
				if !got.RawEquals(want) {
					t.Fatalf("got  %#v\nwant %#v", got, want)
				}
			}
		})
	}
}

func TestEval(t *testing.T) {
	runEvalTests(t, evalTests, testOptions())
}

func TestUnknownArguments(t *testing.T) {
	runEvalTests(t, unknownTests, testOptions())
}

func TestMarkedArguments(t *testing.T) {
	runEvalTests(t, markTests, testOptions())
}

// TestWithoutFileAccess checks that the file functions give unknown results
// when there is no ReadFile or Glob.
func TestWithoutFileAccess(t *testing.T) {
	runEvalTests(t, []evalTest{
		{expr: `file("hello.txt")`, unknown: cty.String},
		{expr: `filebase64("hello.txt")`, unknown: cty.String},
		{expr: `fileexists("hello.txt")`, unknown: cty.Bool},
		{expr: `fileset(path.module, "*")`, unknown: cty.Set(cty.String)},
		{expr: `filemd5("hello.txt")`, unknown: cty.String},
		{expr: `filesha1("hello.txt")`, unknown: cty.String},
		{expr: `filesha256("hello.txt")`, unknown: cty.String},
		{expr: `filesha512("hello.txt")`, unknown: cty.String},
		{expr: `filebase64sha256("hello.txt")`, unknown: cty.String},
		{expr: `filebase64sha512("hello.txt")`, unknown: cty.String},
		{expr: `templatefile("greet.tftpl", {name = "x"})`, unknown: cty.DynamicPseudoType},
		{expr: `file("hello.txt") == null`, want: `false`},
		{expr: `abspath("x")`, unknown: cty.String},
		{expr: `abspath("/x/y")`, want: `"/x/y"`},
		{expr: `upper("still works")`, want: `"STILL WORKS"`},
	}, Options{BaseDir: "relative/dir"})
}

// TestFileReadError checks that ReadFile's error reaches the diagnostic.
func TestFileReadError(t *testing.T) {
	opts := Options{
		BaseDir: "/mod",
		ReadFile: func(p string) ([]byte, error) {
			return nil, fmt.Errorf("%s is outside the scan root", p)
		},
	}
	for _, fn := range []string{"file", "filebase64", "filemd5", "filesha1", "filesha256", "filesha512", "filebase64sha256", "filebase64sha512", "fileexists"} {
		_, diags := eval(t, fn+`("../x.txt")`, opts)
		if !diags.HasErrors() || !strings.Contains(diags.Error(), "/x.txt is outside the scan root") {
			t.Errorf("%s: got %v, want the ReadFile error", fn, diags)
		}
	}
	_, diags := eval(t, `templatefile("t.tftpl", {})`, opts)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "/mod/t.tftpl is outside the scan root") {
		t.Errorf("templatefile: got %v, want the ReadFile error", diags)
	}
}

// TestBase64Gzip checks that base64gzip output decompresses to its input.
func TestBase64Gzip(t *testing.T) {
	got, diags := eval(t, `base64gzip("test ☃ test")`, testOptions())
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	raw, err := base64.StdEncoding.DecodeString(got.AsString())
	if err != nil {
		t.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(plain) != "test ☃ test" {
		t.Fatalf("got %q", plain)
	}
	// Terraform's result for "test", from its tests.
	got, _ = eval(t, `base64gzip("test")`, testOptions())
	if want := "H4sIAAAAAAAA/ypJLS4BAAAA//8BAAD//wx+f9gEAAAA"; got.AsString() != want {
		t.Errorf("base64gzip(\"test\") = %q, want %q", got.AsString(), want)
	}
}

// terraformFunctions is Terraform's list of built-in functions plus the AWS
// provider functions.
var terraformFunctions = strings.Fields(`
	abs ceil floor log max min parseint pow signum
	chomp endswith format formatlist indent join lower regex regexall replace split startswith
	strcontains strrev substr templatestring title trim trimprefix trimsuffix trimspace upper
	alltrue anytrue chunklist coalesce coalescelist compact concat contains distinct element flatten
	index keys length list lookup map matchkeys merge one range reverse setintersection setproduct
	setsubtract setunion slice sort sum transpose values zipmap
	base64decode base64encode base64gzip csvdecode jsondecode jsonencode textdecodebase64
	textencodebase64 urlencode yamldecode yamlencode
	abspath dirname pathexpand basename file fileexists fileset filebase64 templatefile
	formatdate timeadd timecmp timestamp plantimestamp
	base64sha256 base64sha512 bcrypt filebase64sha256 filebase64sha512 filemd5 filesha1 filesha256
	filesha512 md5 rsadecrypt sha1 sha256 sha512 uuid uuidv5
	cidrhost cidrnetmask cidrsubnet cidrsubnets
	can try
	nonsensitive sensitive issensitive tobool tolist tomap tonumber toset tostring type ephemeralasnull
	provider::aws::arn_parse provider::aws::arn_build provider::aws::trim_iam_role_path
`)

// TestTableIsComplete checks that Table has exactly Terraform's functions
// and that every one of them is exercised by the tests above.
func TestTableIsComplete(t *testing.T) {
	table := Table(Options{})
	var names []string
	for name := range table {
		names = append(names, name)
	}
	want := slices.Clone(terraformFunctions)
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("functions:\n got %v\nwant %v", names, want)
	}

	var all []string
	for _, tests := range [][]evalTest{evalTests, unknownTests, markTests} {
		for _, tt := range tests {
			all = append(all, tt.expr)
		}
	}
	text := strings.Join(all, "\n")
	for _, name := range want {
		if !regexp.MustCompile(`(^|[^\w:])` + regexp.QuoteMeta(name) + `\(`).MatchString(text) {
			t.Errorf("no test calls %s", name)
		}
	}
}

// TestTemplateFunctionsAreIsolated checks that templates see the full
// table except for the template functions, and that changing the returned
// table does not affect templates.
func TestTemplateFunctionsAreIsolated(t *testing.T) {
	opts := testOptions()
	table := Table(opts)
	delete(table, "upper")
	ctx := &hcl.EvalContext{Variables: testVars(), Functions: table}
	got, diags := parse(t, `templatefile("greet.tftpl", {name = "x"})`).Value(ctx)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got.AsString() != "Hello, X!" {
		t.Fatalf("got %q", got.AsString())
	}
}

// TestFuzzRegressions replays what fuzzing found: cty's log and pow crash on
// NaN results, its set functions on arguments of unknown type, and the YAML
// encoder loops forever on strings that are not UTF-8.
func TestFuzzRegressions(t *testing.T) {
	table := Table(testOptions())
	for _, tt := range []struct {
		name string
		args []cty.Value
		want cty.Value
		err  string
	}{
		{name: "log", args: []cty.Value{cty.Zero, cty.Zero}, err: "is not a number"},
		{name: "log", args: []cty.Value{cty.NumberFloatVal(-1.5), cty.NumberFloatVal(-1.5)}, err: "is not a number"},
		{name: "pow", args: []cty.Value{cty.NumberFloatVal(-1.5), cty.NumberFloatVal(-1.5)}, err: "is not a number"},
		{name: "setintersection", args: []cty.Value{cty.DynamicVal}, want: cty.DynamicVal},
		{name: "setunion", args: []cty.Value{cty.SetValEmpty(cty.String), cty.DynamicVal.Mark(Sensitive)}, want: cty.DynamicVal.Mark(Sensitive)},
		{name: "setsubtract", args: []cty.Value{cty.DynamicVal, cty.SetValEmpty(cty.String)}, want: cty.DynamicVal},
		{name: "yamlencode", args: []cty.Value{cty.StringVal("\xff\xfe")}, err: "not valid UTF-8"},
		{name: "yamlencode", args: []cty.Value{cty.ListVal([]cty.Value{cty.StringVal("ok"), cty.StringVal("\xff")})}, err: "not valid UTF-8"},
	} {
		got, err := table[tt.name].Call(tt.args)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s(%#v): got %#v, %v; want error containing %q", tt.name, tt.args, got, err, tt.err)
			}
		case err != nil || !got.RawEquals(tt.want):
			t.Errorf("%s(%#v): got %#v, %v; want %#v", tt.name, tt.args, got, err, tt.want)
		}
	}
}

// TestFunctionsHandleDirectCalls calls every function through cty with
// null, unknown, dynamic and marked arguments of the right number, which HCL
// would never pass for some parameters, and checks nothing panics.
func TestFunctionsHandleDirectCalls(t *testing.T) {
	specials := []cty.Value{
		cty.NullVal(cty.String),
		cty.NullVal(cty.DynamicPseudoType),
		cty.UnknownVal(cty.String),
		cty.DynamicVal,
		cty.StringVal("x").Mark(Sensitive),
		cty.ListValEmpty(cty.String),
		cty.EmptyTupleVal,
		cty.EmptyObjectVal,
		cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)}),
		cty.MapVal(map[string]cty.Value{"a": cty.NullVal(cty.List(cty.String))}),
		cty.SetVal([]cty.Value{cty.UnknownVal(cty.Number), cty.NumberIntVal(1)}),
		cty.NumberIntVal(-1),
		cty.PositiveInfinity,
	}
	for name, fn := range Table(testOptions()) {
		n := len(fn.Params())
		if fn.VarParam() != nil {
			n++
		}
		for _, special := range specials {
			for pos := range n {
				args := make([]cty.Value, n)
				for i := range args {
					args[i] = cty.StringVal("10.0.0.0/8")
				}
				args[pos] = special
				callNoPanic(t, name, fn, args)
			}
		}
	}
}

// callNoPanic calls fn and fails the test if it panics or reports a
// recovered panic.
func callNoPanic(t testing.TB, name string, fn function.Function, args []cty.Value) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s(%#v) panicked: %v", name, args, r)
		}
	}()
	_, err := fn.Call(args)
	var pe panicError
	if errors.As(err, &pe) {
		t.Fatalf("%s(%#v) panicked inside: %v", name, args, err)
	}
}

// TestRenderTemplateFile: template_file renders with primitive variables
// only; anything else it cannot render is unknown, never an error.
func TestRenderTemplateFile(t *testing.T) {
	str := cty.StringVal
	for _, tc := range []struct {
		name string
		tmpl string
		vars cty.Value
		want cty.Value
	}{
		{"variables", `arn:aws:s3:::${bucket}/${n}`, cty.ObjectVal(map[string]cty.Value{"bucket": str("acme"), "n": cty.NumberIntVal(2)}), str("arn:aws:s3:::acme/2")},
		{"a map", `${a}-${b}`, cty.MapVal(map[string]cty.Value{"a": str("x"), "b": str("y")}), str("x-y")},
		{"no variables", `plain`, cty.NullVal(cty.Map(cty.String)), str("plain")},
		{"directives", `%{ if on == "yes" }on%{ else }off%{ endif }`, cty.ObjectVal(map[string]cty.Value{"on": str("yes")}), str("on")},
		{"a missing variable", `${nope}`, cty.EmptyObjectVal, cty.UnknownVal(cty.String)},
		{"an unknown variable", `${a}`, cty.ObjectVal(map[string]cty.Value{"a": cty.UnknownVal(cty.String)}), cty.UnknownVal(cty.String)},
		{"a list variable", `${a}`, cty.ObjectVal(map[string]cty.Value{"a": cty.ListVal([]cty.Value{str("x")})}), cty.UnknownVal(cty.String)},
		{"a function", `${upper(a)}`, cty.ObjectVal(map[string]cty.Value{"a": str("x")}), cty.UnknownVal(cty.String)},
		{"bad syntax", `${`, cty.EmptyObjectVal, cty.UnknownVal(cty.String)},
		{"unknown vars", `x`, cty.UnknownVal(cty.Map(cty.String)), cty.UnknownVal(cty.String)},
	} {
		if got := RenderTemplateFile(tc.tmpl, tc.vars, nil); !got.RawEquals(tc.want) {
			t.Errorf("%s: RenderTemplateFile(%q) = %#v, want %#v", tc.name, tc.tmpl, got, tc.want)
		}
	}
}
