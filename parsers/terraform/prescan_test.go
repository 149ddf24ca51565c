package terraform

import "testing"

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
