// Package cloudformation loads CloudFormation templates (YAML and JSON,
// SAM, and CDK output) into s3lint's neutral graph.
//
// Templates are found by content, not by name: a .yaml, .yml, .json or
// .template file is a template when it has AWSTemplateFormatVersion or
// Resources whose entries have an AWS:: Type. Intrinsic functions are
// resolved as far as their values are knowable offline: Ref to parameters
// (their Default, or a parameters file) and to resources, Fn::GetAtt,
// Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If (a policy
// under an undecided condition is checked for each branch), and pseudo
// parameters. Fn::ImportValue, AWS::Region and the like stay unknown, and
// unknown values never produce findings.
package cloudformation

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// Options configure a load.
type Options struct {
	// Paths are the files and directories to scan.
	Paths []string
	// ParameterFiles give parameter values, in the shapes the AWS CLI and
	// CodePipeline use: [{"ParameterKey": k, "ParameterValue": v}, …] or
	// {"Parameters": {k: v}}. Later files win.
	ParameterFiles []string
}

type loader struct {
	opts   Options
	params map[string]string
	g      *graph.Graph
	seen   map[string]bool // diagnostics already reported
}

// Load finds the templates under the paths and returns their graph.
func Load(opts Options) *graph.Graph {
	l := &loader{opts: opts, params: map[string]string{}, g: &graph.Graph{}, seen: map[string]bool{}}
	for _, p := range opts.ParameterFiles {
		l.readParameters(p)
	}
	for _, file := range l.walk() {
		l.loadFile(file)
	}
	l.g.Sort()
	return l.g
}

// candidateExt are the extensions that may hold templates.
func candidateExt(name string) bool {
	if strings.HasSuffix(name, ".tf.json") {
		return false // Terraform JSON
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json", ".template":
		return true
	}
	return false
}

// skipDirs are never walked: tools' caches and dependencies.
var skipDirs = map[string]bool{".git": true, ".terraform": true, "node_modules": true}

func (l *loader) walk() []string {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.ToSlash(filepath.Clean(p))
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, root := range l.opts.Paths {
		info, err := os.Stat(root)
		if err != nil {
			continue // the Terraform loader reports unreadable paths
		}
		if !info.IsDir() {
			if candidateExt(root) {
				add(root)
			}
			continue
		}
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if path != root && skipDirs[d.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && candidateExt(d.Name()) {
				add(path)
			}
			return nil
		})
	}
	sort.Strings(files)
	return files
}

// looksLikeTemplate is the test for files that do not parse: only those
// that seem to be templates are worth an error, since most YAML and JSON in
// a repository is something else.
func looksLikeTemplate(b []byte) bool {
	s := string(b)
	return strings.Contains(s, "AWSTemplateFormatVersion") ||
		strings.Contains(s, "Resources") && strings.Contains(s, "AWS::")
}

func (l *loader) loadFile(name string) {
	defer func() {
		// A bug must cost one file, not the scan.
		if v := recover(); v != nil {
			l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: name,
				Message: fmt.Sprintf("internal error while reading this template: %v", v)})
		}
	}()
	b, err := os.ReadFile(name)
	if err != nil {
		return
	}
	f := source.NewFile(name, b)
	var root *graph.Node
	isJSON := strings.EqualFold(filepath.Ext(name), ".json") || firstNonSpace(b) == '{'
	if isJSON {
		var dups []graph.Diagnostic
		root, err = jsonpos.Parse(b, f.Range, jsonpos.Options{OnDuplicate: func(key string, _, again graph.Range) {
			dups = append(dups, graph.Diagnostic{Severity: graph.DiagWarning, Range: again, File: name,
				Message: fmt.Sprintf("duplicate key %q: CloudFormation keeps only one of them", key)})
		}})
		if err != nil {
			if looksLikeTemplate(b) {
				l.errorAt(f, name, err)
			}
			return
		}
		if isTemplate(root) {
			l.g.Diagnostics = append(l.g.Diagnostics, dups...)
		}
	} else {
		var yerrs []*yamlError
		root, yerrs, err = parseYAML(f)
		if err != nil {
			if looksLikeTemplate(b) {
				l.errorAt(f, name, err)
			}
			return
		}
		if isTemplate(root) {
			for _, ye := range yerrs {
				l.report(ye.rng, ye.msg)
			}
		}
	}
	if !isTemplate(root) {
		return
	}
	t, diags := newTemplate(name, root)
	l.g.Diagnostics = append(l.g.Diagnostics, diags...)
	e := newEvaluator(t, l.params, l.report)
	l.adapt(t, e)
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != 0xEF && c != 0xBB && c != 0xBF {
			return c
		}
	}
	return 0
}

// errorAt reports a syntax error with its position when the parser gives
// one.
func (l *loader) errorAt(f *source.File, name string, err error) {
	var se *jsonpos.SyntaxError
	if ok := asSyntax(err, &se); ok {
		r := f.Range(se.Offset, se.Offset)
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, Range: r, File: name, Message: se.Msg})
		return
	}
	if line, msg, ok := yamlErrorLine(err); ok {
		start := f.LineStart(line)
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, Range: f.Range(start, start), File: name, Message: msg})
		return
	}
	l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: name, Message: err.Error()})
}

// report records an error in a template once per place and message (a
// document evaluated once per branch would repeat it).
func (l *loader) report(r graph.Range, msg string) {
	key := r.String() + msg
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, Range: r, File: r.File, Message: msg})
}

// readParameters reads a parameters file in either usual shape.
func (l *loader) readParameters(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: path,
			Message: fmt.Sprintf("cannot read the parameters file: %v", err)})
		return
	}
	var list []struct {
		ParameterKey   string
		ParameterValue string
	}
	if err := json.Unmarshal(b, &list); err == nil {
		for _, p := range list {
			l.params[p.ParameterKey] = p.ParameterValue
		}
		return
	}
	var obj struct{ Parameters map[string]any }
	if err := json.Unmarshal(b, &obj); err == nil && obj.Parameters != nil {
		for k, v := range obj.Parameters {
			l.params[k] = fmt.Sprint(v)
		}
		return
	}
	l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: path,
		Message: `a parameters file must be [{"ParameterKey": …, "ParameterValue": …}] or {"Parameters": {…}}`})
}

// parseJSONString reads a policy document written as a JSON string; every
// part gets the string's range.
func parseJSONString(n *graph.Node) (*graph.Node, error) {
	return jsonpos.Parse([]byte(n.Str), func(int, int) graph.Range { return n.Range }, jsonpos.Options{})
}
