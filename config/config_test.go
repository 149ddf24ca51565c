package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/rules"
)

// lookup knows S3L010 (object-action-on-bucket-arn), S3L030 and S3L090.
func lookup(s string) (string, bool) {
	switch strings.ToUpper(s) {
	case "S3L010", "S3L030", "S3L090":
		return strings.ToUpper(s), true
	}
	if s == "object-action-on-bucket-arn" {
		return "S3L010", true
	}
	return "", false
}

func TestParse(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, ".s3lint.yaml")
	c, err := Parse(name, []byte(`# everything
rules:
  S3L090: off
  S3L030: error
  object-action-on-bucket-arn: on
fail-on: note
exclude:
  - examples/**
  - "**/testdata/**"
var-files: [envs/prod.tfvars]
parameters:
  - cfn/params.json
baseline: .s3lint-baseline.json
`), lookup)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Rule{"S3L090": {Enabled: false}, "S3L030": {Enabled: true, Severity: rules.Error}, "S3L010": {Enabled: true}}
	if !reflect.DeepEqual(c.Rules, want) {
		t.Errorf("rules %v, want %v", c.Rules, want)
	}
	if c.FailOn == nil || *c.FailOn != rules.Note {
		t.Errorf("fail-on %v", c.FailOn)
	}
	if !reflect.DeepEqual(c.Exclude, []string{"examples/**", "**/testdata/**"}) {
		t.Errorf("exclude %q", c.Exclude)
	}
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if len(c.VarFiles) != 1 || abs(c.VarFiles[0]) != filepath.Join(dir, "envs", "prod.tfvars") {
		t.Errorf("var-files %q", c.VarFiles)
	}
	if len(c.Parameters) != 1 || abs(c.Parameters[0]) != filepath.Join(dir, "cfn", "params.json") {
		t.Errorf("parameters %q", c.Parameters)
	}
	if abs(c.Baseline) != filepath.Join(dir, ".s3lint-baseline.json") {
		t.Errorf("baseline %q", c.Baseline)
	}
	if got := c.Severities(); !reflect.DeepEqual(got, map[string]rules.Severity{"S3L030": rules.Error}) {
		t.Errorf("severities %v", got)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "~\n", "rules:\n"} {
		c, err := Parse(".s3lint.yaml", []byte(src), lookup)
		if err != nil || len(c.Rules) != 0 || c.FailOn != nil || c.Exclude != nil {
			t.Errorf("%q: %+v, %v", src, c, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"rulez:\n  S3L090: off\n", []string{`.s3lint.yaml:1:1: unknown key "rulez"; did you mean "rules"? (want rules, fail-on, exclude, var-files, parameters, baseline, expect)`}},
		{"failon: error\n", []string{`.s3lint.yaml:1:1: unknown key "failon"; did you mean "fail-on"?`}},
		{"rules:\n  S3L999: off\n  S3L090: maybe\n", []string{
			`.s3lint.yaml:2:3: rules: unknown rule "S3L999" (see s3lint rules)`,
			`.s3lint.yaml:3:11: rules: S3L090: "maybe" is not on, off, error, warning or note`}},
		{"rules:\n  S3L090: off\n  s3l090: on\n", []string{".s3lint.yaml:3:3: rules: S3L090 is set twice"}},
		{"rules: [S3L090]\n", []string{".s3lint.yaml:1:8: rules: want a mapping"}},
		{"rules:\n  S3L090: [off]\n", []string{".s3lint.yaml:2:11: rules: S3L090: want a single value"}},
		{"fail-on: fatal\n", []string{`.s3lint.yaml:1:10: fail-on: unknown severity "fatal"`}},
		{"exclude: examples/**\n", []string{".s3lint.yaml:1:10: exclude: want a list"}},
		{"exclude:\n  - \"[\"\n  - /abs\n  - {a: b}\n", []string{
			`.s3lint.yaml:2:5: exclude: "[" is not a valid pattern`,
			`.s3lint.yaml:3:5: exclude: "/abs": patterns are relative`,
			`.s3lint.yaml:4:5: exclude: want a list of non-empty strings`}},
		{"var-files: a.tfvars\n", []string{".s3lint.yaml:1:12: var-files: want a list"}},
		{"baseline: [a, b]\n", []string{".s3lint.yaml:1:11: baseline: want a single value"}},
		{"fail-on: error\nfail-on: note\n", []string{`.s3lint.yaml:2:1: duplicate key "fail-on"`}},
		{"- rules\n", []string{".s3lint.yaml:1:1: the configuration must be a mapping"}},
		{"rules:\n  S3L090: off\n bad indent\n", []string{".s3lint.yaml:2: YAML: did not find expected key"}},
	} {
		_, err := Parse(".s3lint.yaml", []byte(tc.src), lookup)
		var es Errors
		if !errors.As(err, &es) {
			t.Errorf("%q: error %v, want Errors", tc.src, err)
			continue
		}
		if len(es) != len(tc.want) {
			t.Errorf("%q: errors\n%v\nwant\n%s", tc.src, err, strings.Join(tc.want, "\n"))
			continue
		}
		for i, w := range tc.want {
			if !strings.HasPrefix(es[i].Error(), w) {
				t.Errorf("%q: error %q, want it to start with %q", tc.src, es[i].Error(), w)
			}
		}
	}
}

func TestFind(t *testing.T) {
	repo := t.TempDir()
	mk := func(p string) {
		if err := os.MkdirAll(filepath.Join(repo, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p string) {
		if err := os.WriteFile(filepath.Join(repo, p), []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk(".git")
	mk("infra/envs/prod")
	mk("other")
	write("infra/.s3lint.yml")
	write(".s3lint.yaml")
	same := func(got, want string) bool {
		a, _ := filepath.Abs(got)
		return a == want
	}
	for _, tc := range []struct{ start, want string }{
		{"infra/envs/prod", filepath.Join(repo, "infra", ".s3lint.yml")},
		{"infra", filepath.Join(repo, "infra", ".s3lint.yml")},
		{"other", filepath.Join(repo, ".s3lint.yaml")},
		{".", filepath.Join(repo, ".s3lint.yaml")},
	} {
		got, err := Find(filepath.Join(repo, tc.start))
		if err != nil || !same(got, tc.want) {
			t.Errorf("Find(%s) = %q, %v; want %s", tc.start, got, err, tc.want)
		}
	}
	// The search stops at the repository root.
	nested := filepath.Join(repo, "vendor", "sub")
	mk("vendor/sub/.git")
	if got, err := Find(nested); err != nil || got != "" {
		t.Errorf("Find below a nested repository = %q, %v; want none", got, err)
	}
}

func TestExcluded(t *testing.T) {
	dir := t.TempDir()
	c := &Config{Dir: dir, Exclude: []string{"examples/**", "**/testdata", "legacy", "*.json", "./gen/*.tf", "a/**/z/*.yaml", "b/"}}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"examples/terraform/main.tf", true},
		{"examples", true},
		{"examples.tf", false},
		{"modules/x/testdata/main.tf", true},
		{"testdata/main.tf", true},
		{"mytestdata/main.tf", false},
		{"legacy/main.tf", true},
		{"app/legacy/main.tf", false}, // no "**": only at the top
		{"params.json", true},
		{"cfn/params.json", false}, // "*" stays in one segment
		{"gen/main.tf", true},
		{"gen/sub/main.tf", false},
		{"a/z/t.yaml", true},
		{"a/b/c/z/t.yaml", true},
		{"a/b/c/z/t.json", false},
		{"b/main.tf", true},
		{"app/main.tf", false},
		{".", false},
	} {
		if got := c.Excluded(filepath.Join(dir, tc.path)); got != tc.want {
			t.Errorf("Excluded(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
	if c.Excluded(filepath.Join(filepath.Dir(dir), "examples", "x.tf")) {
		t.Error("a path outside the configuration's directory is excluded")
	}
	var none *Config
	if none.Excluded("examples/x.tf") {
		t.Error("a nil configuration excludes")
	}
}

type rule struct{ m rules.Meta }

func (r rule) Meta() rules.Meta         { return r.m }
func (rule) Check(*rules.Pass) error    { return nil }
func on(id string, def bool) rules.Rule { return rule{rules.Meta{ID: id, Default: def}} }

func TestEnabled(t *testing.T) {
	all := []rules.Rule{on("S3L010", true), on("S3L030", true), on("S3L090", false)}
	ids := func(rs []rules.Rule) (out []string) {
		for _, r := range rs {
			out = append(out, r.Meta().ID)
		}
		return out
	}
	var none *Config
	if got := ids(none.Enabled(all)); !reflect.DeepEqual(got, []string{"S3L010", "S3L030"}) {
		t.Errorf("defaults: %v", got)
	}
	c := &Config{Rules: map[string]Rule{"S3L010": {Enabled: false}, "S3L090": {Enabled: true, Severity: rules.Warning}}}
	if got := ids(c.Enabled(all)); !reflect.DeepEqual(got, []string{"S3L030", "S3L090"}) {
		t.Errorf("configured: %v", got)
	}
}
