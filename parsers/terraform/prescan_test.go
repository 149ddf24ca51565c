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
		{"one line", "module \"a\" { source = \"./a\" }\n", []string{"./a"}, true},
		{"windows newlines", "module \"a\" {\r\n  source = \"./a\"\r\n}\r\n", []string{"./a"}, true},
		{"braces and markers inside templates", "locals {\n  a = \"${{for k in [\"}\"] : k => \"{\"}}\"\n  b = <<-EOT\n    ${x}EOT\n    module \"no\" {\n    $${EOT}\n    EOT\n}\nmodule \"a\" {\n  source = \"./a\"\n}\n", []string{"./a"}, true},
		{"a heredoc inside an interpolation inside a heredoc", "x = <<A\n${<<B\nA\nB\n}\nA\nmodule \"a\" {\n  source = \"./a\"\n}\n", []string{"./a"}, true},
		{"a source that is not a literal alone", "module \"a\" {\n  source = \"./a\" + \"b\"\n}\n", nil, false},
		{"a source divided: not a comment", "module A{source=\"0\"/0}", nil, false},
		{"a line comment after the source", "module \"a\" {\n  source = \"./a\" // why\n}\n", []string{"./a"}, true},
		{"a block comment after the source", "module \"a\" {\n  source = \"./a\" /* why */\n}\n", []string{"./a"}, true},
		{"a Unicode identifier: the parser decides", "locals {\n  é = 1\n}\nmodule \"a\" {\n  source = \"./a\"\n}\n", nil, false},
		{"an unterminated heredoc", "x = <<EOT\nmodule \"a\" {\n", nil, false},
	} {
		got, ok := moduleSources([]byte(tc.src))
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
			got, ok := moduleSources(b)
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

// callSources is what the parser finds: the source of each module call, in
// order, for a file that parses without errors.
func callSources(t *testing.T, src []byte) (sources []string, parsed bool) {
	t.Helper()
	pf := parseBytes("main.tf", src, limits.DefaultMaxNesting)
	if pf.file == nil || pf.diags.HasErrors() || pf.err != nil || pf.internal != nil {
		return nil, false
	}
	m, diags := buildModule(".", []*hcl.File{pf.file})
	if diags.HasErrors() {
		return nil, false
	}
	for _, c := range m.callOrder {
		if c.source != "" {
			sources = append(sources, c.source)
		}
	}
	return sources, true
}

// FuzzModuleSources: whenever the prescan vouches for its reading of a file
// that parses, it found exactly the module sources the parser finds.
func FuzzModuleSources(f *testing.F) {
	for _, seed := range []string{
		"module \"a\" {\n  source = \"./a\"\n}\n",
		"module a { source = \"./a\" }\n",
		"locals {\n  x = \"${var.a}-${{for k, v in var.m : k => v}}\"\n}\nmodule \"a\" {\n  source = \"../m\"\n}\n",
		"module \"a\" {\n  doc = <<-EOT\n    ${jsonencode({a = <<X\nmodule \"b\" {\nX\n})}\n    EOT\n  source = \"./a\"\n}\n",
		"/* module \"x\" { source = \"./x\" } */\nmodule \"a\" {\n  source = \"./a\" # here\n}\r\n",
		"x = \"$${not} %%{ if } \\\" \"\nmodule \"a\" {\n  source = \"./a\"\n  providers = { aws = aws.x }\n}\n",
		"module \"a\" {\n  source = \"./a\"\n}\nmodule \"a\" {\n  source = \"./b\"\n}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got, ok := moduleSources(src)
		if !ok {
			return
		}
		want, parsed := callSources(t, src)
		if parsed && !reflect.DeepEqual(got, want) {
			t.Errorf("prescan %q, parser %q", got, want)
		}
	})
}
