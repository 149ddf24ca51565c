package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/s3lint/s3lint/limits"
)

// TestMayCallModules: the cheap test that decides which files are parsed to
// find module calls must never miss a module block.
func TestMayCallModules(t *testing.T) {
	for src, want := range map[string]bool{
		"module \"a\" {\n  source = \"./a\"\n}\n":             true,
		"  module \"a\" {}":                                   true,
		"\tmodule a {}":                                       true,
		"locals {}\r\nmodule \"a\" {}":                        true,
		`{"module": {"a": {"source": "./a"}}}`:                true,
		"output \"x\" { value = module.a.arn }":               false,
		"resource \"aws_s3_bucket\" \"b\" { bucket = \"x\" }": false,
		"# uses module.a\nlocals { y = 1 }":                   false,
		"":                                                    false,
		"submodule \"a\" {}":                                  false,
	} {
		if got := mayCallModules([]byte(src)); got != want {
			t.Errorf("mayCallModules(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestModuleSources(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string
		ok   bool
	}{
		{"plain", "module \"a\" {\n  source = \"./a\"\n}\n", []string{"./a"}, true},
		{"after a comment", "# calls a module\nmodule \"a\" {\n  source = \"./a\"\n}\n", []string{"./a"}, true},
		{"after a block comment", "/* one\ntwo */\nmodule \"a\" {\n  source = \"./a\"\n}\n", []string{"./a"}, true},
		{"comment after the brace", "module \"a\" { # why\n  source = \"../a\"\n}\n", []string{"../a"}, true},
		{"identifier label", "module a {\n  source = \"./a\"\n}\n", []string{"./a"}, true},
		{"two blocks, one source", "module \"a\" {\n  source = \"./m\"\n}\nmodule \"b\" {\n  source = \"./m\"\n}\n", []string{"./m", "./m"}, true},
		{"a repeated name keeps the first", "module \"a\" {\n  source = \"./x\"\n}\nmodule \"a\" {\n  source = \"./y\"\n}\n", []string{"./x"}, true},
		{"no source", "module \"a\" {\n  x = 1\n}\n", nil, true},
		{"registry source", "module \"a\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\n", []string{"terraform-aws-modules/s3-bucket/aws"}, true},
		{"nested values and heredocs are not arguments", "module \"a\" {\n  tags = { source = \"no\" }\n  doc = <<EOT\n{\nsource = \"no\"\nEOT\n  name = \"${var.x}-{y}\"\n  source = \"./a\"\n}\n", []string{"./a"}, true},
		{"a module inside another block is not a call", "locals {\n  module = 1\n}\nterraform {\n}\n", nil, true},
		{"interpolated source: the parser decides", "module \"a\" {\n  source = \"./${var.x}\"\n}\n", nil, false},
		{"escaped source: the parser decides", "module \"a\" {\n  source = \"./a\\\\b\"\n}\n", nil, false},
		{"unterminated: the parser decides", "module \"a\" {\n  source = \"./a\"\n", nil, false},
	} {
		got, ok := moduleSources("main.tf", []byte(tc.src))
		if ok != tc.ok || (ok && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("%s: moduleSources = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// TestModuleSourcesAgreeWithTheParser: on every configuration file of the
// repository (fixtures, examples, test data), the sources read from tokens
// are the ones the parser finds.
func TestModuleSourcesAgreeWithTheParser(t *testing.T) {
	checked := 0
	for _, root := range []string{"../../fixtures", "../../examples", "testdata", "../tfplan/testdata"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil || !mayCallModules(b) {
				return nil
			}
			got, ok := moduleSources(p, b)
			if !ok {
				return nil
			}
			var want []string
			if f := parseBytes(p, b, limits.DefaultMaxNesting).file; f != nil {
				m, _ := buildModule(filepath.Dir(p), []*hcl.File{f})
				for _, c := range m.callOrder {
					if c.source != "" {
						want = append(want, c.source)
					}
				}
			}
			if len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
				t.Errorf("%s: from tokens %q, from the parser %q", p, got, want)
			}
			checked++
			return nil
		})
	}
	if checked < 5 {
		t.Errorf("only %d files with module blocks checked", checked)
	}
}
