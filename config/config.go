// Package config reads .s3lint.yaml, the configuration file of a repository.
//
//	# .s3lint.yaml
//	rules:
//	  S3L090: off          # on, off, or a severity: error, warning, note
//	  S3L030: error
//	fail-on: error         # error, warning, note or none
//	exclude:               # globs relative to this file; ** crosses directories
//	  - examples/**
//	  - "**/testdata/**"
//	var-files:             # Terraform -var-file for every root module
//	  - envs/prod.tfvars
//	parameters:            # CloudFormation parameter files for every template
//	  - cfn/params.json
//	baseline: .s3lint-baseline.json
//	expect:                # access the configuration must keep (rule S3L100)
//	  - principal: aws_iam_role.app    # address, logical ID or ARN
//	    bucket: aws_s3_bucket.data     # address, logical ID, name or ARN
//	    prefix: reports/               # optional: object keys under it
//	    can: [list, read]              # list, read, write, delete
//	    cannot: [delete]
//	  - bucket: aws_s3_bucket.data
//	    public: false                  # never readable, listable or writable by anyone
//
// Paths are relative to the directory of the file. Every key is optional;
// an unknown key, an unknown rule, or a value of the wrong kind is an error
// that names its line and column.
package config

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/editdist"
	"github.com/s3lint/s3lint/rules"
)

// Names are the file names looked for, in this order.
var Names = []string{".s3lint.yaml", ".s3lint.yml"}

// Config is a parsed configuration file.
type Config struct {
	// File is the path of the file as found or given.
	File string
	// Dir is the absolute directory of File: relative paths and exclude
	// patterns start there.
	Dir string
	// Rules turn rules on or off and override their severity, by ID.
	Rules map[string]Rule
	// FailOn is the lowest severity that fails the run; nil when not set.
	FailOn *rules.Severity
	// Exclude are the exclude patterns as written.
	Exclude []string
	// VarFiles and Parameters are files for every Terraform root module and
	// every CloudFormation template, and Baseline is the baseline file,
	// each resolved against Dir and then made relative to the working
	// directory when it lies below it.
	VarFiles   []string
	Parameters []string
	Baseline   string
	// Expect are the declared access expectations, located in the file.
	Expect []graph.Expectation
}

// Rule is the setting of one rule.
type Rule struct {
	Enabled bool
	// Severity replaces the severity of the rule's findings; 0 keeps it.
	Severity rules.Severity
}

// Error is a problem in a configuration file at a line and column (0 when
// unknown).
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Errors are all the problems of one file, in order.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Find looks for a configuration file in dir and then in each directory
// above it, up to and including the first one that holds .git (the root
// of the repository) or the root of the file system. It returns "" when
// there is none.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		for _, n := range Names {
			p := filepath.Join(d, n)
			if info, err := os.Stat(p); err == nil && !info.IsDir() {
				return relToWorkDir(p), nil
			}
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil || filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// Lookup resolves a rule ID or name to the rule's ID; ok is false for
// unknown rules.
type Lookup func(idOrName string) (id string, ok bool)

// Load reads and parses the file at name.
func Load(name string, lookup Lookup) (*Config, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, Errors{{File: name, Msg: fmt.Sprintf("cannot read the configuration: %v", errors.Unwrap(err))}}
	}
	return Parse(name, b, lookup)
}

// keys are the top-level keys, in the order the documentation gives them.
var keys = []string{"rules", "fail-on", "exclude", "var-files", "parameters", "baseline", "expect"}

// Parse reads a configuration file's content; name is its path, from which
// relative paths are resolved. The error, when not nil, is Errors.
func Parse(name string, b []byte, lookup Lookup) (*Config, error) {
	dir, err := filepath.Abs(filepath.Dir(name))
	if err != nil {
		return nil, Errors{{File: name, Msg: err.Error()}}
	}
	p := &parser{file: name, dir: dir, lookup: lookup, c: &Config{File: name, Dir: dir, Rules: map[string]Rule{}},
		lines: lineStarts(b), src: b, srcName: sourceName(name)}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		line, msg := yamlError(err)
		return nil, Errors{{File: name, Line: line, Msg: msg}}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return p.c, nil // empty
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return p.c, nil
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "the configuration must be a mapping of %s", strings.Join(keys, ", "))
		return nil, p.errs
	}
	for k, v := range p.mapping(root) {
		switch k.Value {
		case "rules":
			p.rules(v)
		case "fail-on":
			if s, ok := p.scalar(k.Value, v); ok {
				sev, err := rules.ParseSeverity(s)
				if err != nil {
					p.errorf(v, "fail-on: %v", err)
				} else {
					p.c.FailOn = &sev
				}
			}
		case "exclude":
			for _, n := range p.strings(k, v) {
				if err := checkPattern(n.Value); err != nil {
					p.errorf(n, "exclude: %v", err)
					continue
				}
				p.c.Exclude = append(p.c.Exclude, n.Value)
			}
		case "var-files":
			for _, n := range p.strings(k, v) {
				p.c.VarFiles = append(p.c.VarFiles, p.path(n.Value))
			}
		case "parameters":
			for _, n := range p.strings(k, v) {
				p.c.Parameters = append(p.c.Parameters, p.path(n.Value))
			}
		case "baseline":
			if s, ok := p.scalar(k.Value, v); ok {
				p.c.Baseline = p.path(s)
			}
		case "expect":
			p.expect(v)
		default:
			p.errorf(k, "unknown key %q%s (want %s)", k.Value, suggest(k.Value, keys), strings.Join(keys, ", "))
		}
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool {
			a, b := p.errs[i], p.errs[j]
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		})
		return nil, p.errs
	}
	return p.c, nil
}

type parser struct {
	file   string
	dir    string
	lookup Lookup
	c      *Config
	errs   Errors
	src    []byte
	lines  []int // byte offset of each line's start
	// srcName names the file in the ranges of expectations, as the
	// loaders name the files they read: relative to the working
	// directory.
	srcName string
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// mapping yields the pairs of a mapping node, reporting duplicate keys and
// keys that are not plain strings.
func (p *parser) mapping(n *yaml.Node) func(yield func(k, v *yaml.Node) bool) {
	return func(yield func(k, v *yaml.Node) bool) {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				p.errorf(k, "a key must be a string")
				continue
			}
			if seen[k.Value] {
				p.errorf(k, "duplicate key %q", k.Value)
				continue
			}
			seen[k.Value] = true
			if !yield(k, v) {
				return
			}
		}
	}
}

// scalar returns the text of a scalar value; label names it in errors.
func (p *parser) scalar(label string, v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.errorf(v, "%s: want a single value", label)
		return "", false
	}
	return v.Value, true
}

// strings returns the items of a list of strings.
func (p *parser) strings(k, v *yaml.Node) []*yaml.Node {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "%s: want a list", k.Value)
		return nil
	}
	var out []*yaml.Node
	for _, n := range v.Content {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "" {
			p.errorf(n, "%s: want a list of non-empty strings", k.Value)
			continue
		}
		out = append(out, n)
	}
	return out
}

// rules reads the rules mapping: ID or name → on, off or a severity.
func (p *parser) rules(v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		if v.Tag != "!!null" {
			p.errorf(v, "rules: want a mapping of rule IDs to on, off, error, warning or note")
		}
		return
	}
	for k, val := range p.mapping(v) {
		id, ok := k.Value, true
		if p.lookup != nil {
			id, ok = p.lookup(k.Value)
		}
		if !ok {
			p.errorf(k, "rules: unknown rule %q (see s3lint rules)", k.Value)
			continue
		}
		if _, dup := p.c.Rules[id]; dup {
			p.errorf(k, "rules: %s is set twice", id)
			continue
		}
		s, ok := p.scalar("rules: "+id, val)
		if !ok {
			continue
		}
		switch strings.ToLower(s) {
		case "on", "true", "yes":
			p.c.Rules[id] = Rule{Enabled: true}
		case "off", "false", "no":
			p.c.Rules[id] = Rule{Enabled: false}
		case "error", "warning", "note":
			sev, _ := rules.ParseSeverity(s)
			p.c.Rules[id] = Rule{Enabled: true, Severity: sev}
		default:
			p.errorf(val, "rules: %s: %q is not on, off, error, warning or note", id, s)
		}
	}
}

// path resolves a path of the file.
func (p *parser) path(s string) string {
	if filepath.IsAbs(s) {
		return filepath.Clean(s)
	}
	return relToWorkDir(filepath.Join(p.dir, filepath.FromSlash(s)))
}

// sourceName is a path relative to the working directory, also when it
// lies above it ("../../.s3lint.yaml"), as findings name files.
func sourceName(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return filepath.ToSlash(p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	if rel, err := filepath.Rel(wd, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// relToWorkDir makes an absolute path relative to the working directory
// when it lies below it, so that messages stay short.
func relToWorkDir(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return abs
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError splits a yaml.v3 error into its line and message.
func yamlError(err error) (int, string) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, "YAML: " + m[2]
	}
	return 0, "YAML: " + strings.TrimPrefix(msg, "yaml: ")
}

// suggest returns "; did you mean X?" for the closest of names when s is
// a likely misspelling of it.
func suggest(s string, names []string) string {
	best, dist := "", 3
	for _, n := range names {
		if d := editdist.Distance(strings.ToLower(s), n); d < dist {
			best, dist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// Enabled returns the rules of all that run under c: those on by default
// unless turned off, and those turned on. A nil c changes nothing.
func (c *Config) Enabled(all []rules.Rule) []rules.Rule {
	var out []rules.Rule
	for _, r := range all {
		m := r.Meta()
		on := m.Default
		if c != nil {
			if s, ok := c.Rules[m.ID]; ok {
				on = s.Enabled
			}
		}
		if on {
			out = append(out, r)
		}
	}
	return out
}

// Severities returns the severity overrides by rule ID; nil when none.
func (c *Config) Severities() map[string]rules.Severity {
	if c == nil {
		return nil
	}
	var out map[string]rules.Severity
	for id, s := range c.Rules {
		if s.Enabled && s.Severity != 0 {
			if out == nil {
				out = map[string]rules.Severity{}
			}
			out[id] = s.Severity
		}
	}
	return out
}

// IDs returns the rule IDs the file sets, sorted.
func (c *Config) IDs() []string {
	var ids []string
	for id := range c.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// checkPattern reports a pattern that cannot match anything.
func checkPattern(pat string) error {
	if strings.HasPrefix(pat, "/") || filepath.IsAbs(pat) {
		return fmt.Errorf("%q: patterns are relative to the configuration file", pat)
	}
	for seg := range strings.SplitSeq(pat, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("%q is not a valid pattern: %w", pat, err)
		}
	}
	return nil
}
