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
// parameters, and Fn::ImportValue of what another template of the scan
// exports (exports.go). AWS::Region and the like stay unknown, and unknown
// values never produce findings — except that a CDK stack's account and
// region come from its cloud assembly's manifest (cdkenv.go).
//
// Besides policies, the loader reads the settings of buckets (Block Public
// Access, object ownership, canned ACL, versioning, default encryption and
// its key, lifecycle), access points and VPC endpoints (settings.go). A
// setting under a condition that cannot be decided is known where every
// branch agrees, and unknown at the Fn::If where they do not.
package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
	"github.com/s3lint/s3lint/internal/walk"
	"github.com/s3lint/s3lint/limits"
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
	// Exclude reports files and directories the walk leaves out.
	Exclude func(path string) bool
	// Limits bound file sizes, nesting and the time per template; zero
	// fields are the defaults.
	Limits limits.Limits
	// Cache is the scan's cache of directory listings and real paths,
	// shared with the other loaders; nil reads from disk every time.
	Cache *walk.Cache
}

type loader struct {
	opts   Options
	params map[string]*string // nil: UsePreviousValue, not known
	g      *graph.Graph
	seen   map[string]bool // diagnostics already reported
	// stop is closed when the template being read runs out of time.
	stop limits.Stop
	// cdk gives CDK stacks the account and region of their cloud
	// assembly's manifest.
	cdk *cdkEnvironments
}

// Load finds the templates under the paths and returns their graph.
func Load(opts Options) *graph.Graph {
	opts.Limits = opts.Limits.WithDefaults()
	l := &loader{opts: opts, params: map[string]*string{}, g: &graph.Graph{}, seen: map[string]bool{}}
	for _, p := range opts.ParameterFiles {
		l.readParameters(p)
	}
	// Templates are independent of each other: each is read on its own
	// core into its own graph, and the graphs are merged in file order.
	files := l.walk()
	l.cdk = newCDKEnvironments(files, l.opts.Limits.MaxFileSize)
	// Templates that import values are read after the others, with the
	// values those export (exports.go).
	results := make([]fileResult, len(files))
	parallel.Each(len(files), func(i int) { results[i] = l.loadWatched(files[i], nil, nil) })
	first := map[string]*export{}
	var waiting []int
	texts := map[int][]byte{}
	for i, r := range results {
		if r.waiting != nil {
			waiting = append(waiting, i)
			texts[i] = r.waiting
		} else {
			addExports(first, r.exports)
		}
	}
	// An importing template may export too (a stack that uses another's
	// bucket and exports its own role): the templates that import what
	// that made known are read again, with it.
	exported, pending := first, waiting
	for round := 0; round < maxImportRounds && len(pending) > 0; round++ {
		parallel.Each(len(pending), func(j int) {
			i := pending[j]
			results[i] = l.loadWatched(files[i], texts[i], exported)
		})
		next := maps.Clone(first)
		for _, i := range waiting {
			addExports(next, results[i].exports)
		}
		changed := changedNames(next, exported)
		exported, pending = next, nil
		for _, i := range waiting {
			if dependsOn(results[i].needs, changed) {
				pending = append(pending, i)
			}
		}
	}
	for _, r := range results {
		l.g.Merge(r.g)
	}
	l.g.LinkBucketsByName()
	linkAccessPointsByName(l.g)
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
	res := walk.Walk(walk.Options{Paths: l.opts.Paths, Want: candidateExt, SkipDirs: skipDirs, Exclude: l.opts.Exclude, Cache: l.opts.Cache})
	// The Terraform loader reports the paths that cannot be read.
	l.g.Diagnostics = append(l.g.Diagnostics, res.Skipped...)
	return res.Files
}

// looksLikeTemplate is the test for files that do not parse: only those
// that seem to be templates are worth an error, since most YAML and JSON in
// a repository is something else.
func looksLikeTemplate(b []byte) bool {
	return bytes.Contains(b, []byte("AWSTemplateFormatVersion")) ||
		bytes.Contains(b, []byte("Resources")) && bytes.Contains(b, []byte("AWS::"))
}

// mayBeTemplate reports whether a file's text can hold a template at all,
// before it is parsed: isTemplate wants an AWSTemplateFormatVersion key,
// or a Resources key with an AWS:: type, and YAML and JSON can only spell
// those words some other way with a backslash escape. Most YAML and JSON
// in a repository (workflows, manifests, package.json) is something else,
// and parsing it only to find that out can cost more than the templates.
func mayBeTemplate(b []byte) bool {
	return looksLikeTemplate(b) || bytes.IndexByte(b, '\\') >= 0
}

// testHookLoadFile, when set by a test, runs before each template is
// read, with the stop channel of its time limit.
var testHookLoadFile func(stop limits.Stop)

// fileResult is what reading one template gave.
type fileResult struct {
	g *graph.Graph
	// exports are the outputs the template exports.
	exports map[string]*export
	// waiting is the text of a template that imports values, to be read
	// in the later rounds.
	waiting []byte
	// needs are the export names a template of the later rounds imports.
	needs map[string]bool
}

// loadWatched reads one template into a graph of its own, for at most
// FileTimeout. In the first round (imports nil) it reads the file, and
// leaves a template that imports values waiting; in the later ones, it
// reads that template's text with the values the others export.
func (l *loader) loadWatched(name string, text []byte, imports map[string]*export) fileResult {
	hook := testHookLoadFile // read here: the test that set it may reset it while the work is abandoned
	var res fileResult
	timedOut := limits.Watch(l.opts.Limits.FileTimeout, func(stop limits.Stop) {
		fl := &loader{opts: l.opts, params: l.params, g: &graph.Graph{}, seen: map[string]bool{}, stop: stop, cdk: l.cdk}
		if hook != nil {
			hook(stop)
		}
		exports, waiting, needs := fl.loadFile(name, text, imports)
		res = fileResult{g: fl.g, exports: exports, waiting: waiting, needs: needs}
	})
	if timedOut {
		return fileResult{g: &graph.Graph{Diagnostics: []graph.Diagnostic{{Severity: graph.DiagError, File: name,
			Message: limits.TimedOut(l.opts.Limits.FileTimeout)}}}}
	}
	return res
}

// loadFile reads a template (text, when it was read in the first round)
// into l.g, and returns what it exports and, in the later rounds, the names
// it imports; or, in the first round (imports nil), the text of a template
// that imports values, unread.
func (l *loader) loadFile(name string, text []byte, imports map[string]*export) (exports map[string]*export, waiting []byte, needs map[string]bool) {
	defer func() {
		// A bug must cost one file, not the scan.
		if v := recover(); v != nil {
			l.g.Diagnostics = append(l.g.Diagnostics, graph.InternalError(name, "reading this template", v))
			exports, waiting, needs = nil, nil, nil
		}
	}()
	b := text
	if b == nil {
		var d *graph.Diagnostic
		b, d = walk.ReadCandidate(name, l.opts.Limits.MaxFileSize, looksLikeTemplate)
		if d != nil {
			l.g.Diagnostics = append(l.g.Diagnostics, *d)
		}
		if b == nil {
			return nil, nil, nil
		}
		if imports == nil && mayBeTemplate(b) && importsValues(b) {
			return nil, b, nil
		}
	}
	l.g.NoteRead(name, b)
	if !mayBeTemplate(b) {
		// Whatever it parses to is no template, and a file that does not
		// parse is only worth an error when it looks like one.
		return nil, nil, nil
	}
	f := source.NewFile(name, b)
	// .json is JSON and .yaml/.yml YAML (even in flow style, {…}); a
	// .template that starts with { is read as JSON, or as YAML when it is
	// not JSON but is YAML.
	ext := strings.ToLower(filepath.Ext(name))
	var root *graph.Node
	var notes []graph.Diagnostic
	var err error
	nesting := l.opts.Limits.MaxNesting
	switch {
	case ext == ".json":
		root, err = parseJSONTemplate(f, nesting)
	case ext == ".template" && firstNonSpace(b) == '{':
		root, err = parseJSONTemplate(f, nesting)
		if err != nil {
			if yroot, ynotes, yerr := parseYAMLTemplate(f, nesting); yerr == nil {
				root, notes, err = yroot, ynotes, nil
			}
		}
	default:
		root, notes, err = parseYAMLTemplate(f, nesting)
	}
	if err != nil {
		if looksLikeTemplate(b) {
			l.errorAt(f, name, err)
		}
		return nil, nil, nil
	}
	if l.stop.Expired() || !isTemplate(root) {
		return nil, nil, nil
	}
	notes = append(notes, lastKeyWins(root, 0)...)
	for _, d := range notes {
		l.report(d.Range, d.Severity, d.Message)
	}
	t, diags := newTemplate(name, root)
	ownAccount := true // a symbol of this template's own
	if env, ok := l.cdk.of(name); ok {
		if env.account != "" {
			t.account, ownAccount = env.account, false
		}
		t.region = env.region
	}
	l.g.Diagnostics = append(l.g.Diagnostics, diags...)
	e := newEvaluator(t, l.params, l.reportError)
	e.stop = l.stop
	if imports != nil {
		e.importedNames = map[string]bool{}
		importedNames(t.root, e.importedNames)
		e.imports = joinExporters(t, imports, e.importedNames, ownAccount)
	}
	if !t.transformed {
		for _, sec := range []string{"Resources", "Outputs", "Conditions"} {
			e.validate(root.Get(sec), 0)
		}
	}
	l.adapt(t, e)
	return e.exports(), nil, e.importedNames
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
		msg := se.Msg
		if se.TooDeep {
			msg = limits.TooDeep(l.opts.Limits.MaxNesting)
		}
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, Range: r, File: name, Message: msg})
		return
	}
	var ye *yamlError
	if errors.As(err, &ye) && !ye.rng.IsZero() {
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, Range: ye.rng, File: name, Message: ye.msg})
		return
	}
	if off, ok := anchorOffset(err, f.Bytes); ok {
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError,
			Range: f.Range(off, off+len(anchorName(err))+1), File: name, Message: "YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")})
		return
	}
	if off, what, ok := badByteOffset(err, f.Bytes); ok {
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError,
			Range: f.Range(off, off+1), File: name, Message: "YAML: " + strings.TrimPrefix(err.Error(), "yaml: ") + " (" + what + ")"})
		return
	}
	if line, msg, ok := yamlErrorLine(err); ok {
		start := f.LineStart(line)
		if tab, ok := indentTab(f.Bytes, start); ok && strings.HasSuffix(msg, "found character that cannot start any token") {
			start, msg = tab, msg+" (a tab: YAML indents with spaces only)"
		}
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, Range: f.Range(start, start), File: name, Message: msg})
		return
	}
	l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: name, Message: err.Error()})
}

// report records a problem in a template once per place and message (a
// document evaluated once per branch would repeat it).
func (l *loader) report(r graph.Range, sev graph.Severity, msg string) {
	key := sev.String() + r.String() + msg
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: sev, Range: r, File: r.File, Message: msg})
}

// reportError records an error in a template once.
func (l *loader) reportError(r graph.Range, msg string) { l.report(r, graph.DiagError, msg) }

// readParameters reads a parameters file in either usual shape.
func (l *loader) readParameters(path string) {
	b, err := walk.ReadRegular(path, l.opts.Limits.MaxFileSize)
	var tooLarge *walk.TooLargeError
	if errors.As(err, &tooLarge) {
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: path, Message: tooLarge.Error()})
		return
	}
	if err != nil {
		l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: path,
			Message: fmt.Sprintf("cannot read the parameters file: %v", err)})
		return
	}
	var list []struct {
		ParameterKey     string
		ParameterValue   json.RawMessage
		UsePreviousValue bool
	}
	if err := json.Unmarshal(b, &list); err == nil {
		for _, p := range list {
			if p.UsePreviousValue {
				l.params[p.ParameterKey] = nil
				continue
			}
			v := parameterText(p.ParameterValue)
			l.params[p.ParameterKey] = &v
		}
		return
	}
	var obj struct{ Parameters map[string]json.RawMessage }
	if err := json.Unmarshal(b, &obj); err == nil && obj.Parameters != nil {
		for k, raw := range obj.Parameters {
			v := parameterText(raw)
			l.params[k] = &v
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

// parseJSONTemplate reads JSON nested at most maxNesting levels.
func parseJSONTemplate(f *source.File, maxNesting int) (*graph.Node, error) {
	return jsonpos.Parse(f.Bytes, f.Range, jsonpos.Options{MaxDepth: maxNesting})
}

// lastKeyWins drops all but the last of repeated keys in every object, as
// CloudFormation does, and warns about each dropped one.
func lastKeyWins(n *graph.Node, depth int) []graph.Diagnostic {
	if n == nil || depth > maxDepth {
		return nil
	}
	var diags []graph.Diagnostic
	if n.Kind == graph.KindObject {
		last := map[string]int{}
		for i, f := range n.Fields {
			last[f.Key] = i
		}
		if len(last) < len(n.Fields) {
			kept := n.Fields[:0:0]
			for i, f := range n.Fields {
				if last[f.Key] != i {
					diags = append(diags, graph.Diagnostic{Severity: graph.DiagWarning, Range: f.KeyRange, File: f.KeyRange.File,
						Message: fmt.Sprintf("duplicate key %q: CloudFormation ignores this one and keeps the last", f.Key)})
					continue
				}
				kept = append(kept, f)
			}
			n.Fields = kept
		}
		for _, f := range n.Fields {
			diags = append(diags, lastKeyWins(f.Value, depth+1)...)
		}
	}
	for _, e := range n.List {
		diags = append(diags, lastKeyWins(e, depth+1)...)
	}
	return diags
}

// parseYAMLTemplate reads YAML; problems found while converting (unknown
// tags, alias cycles) are errors.
func parseYAMLTemplate(f *source.File, maxNesting int) (*graph.Node, []graph.Diagnostic, error) {
	root, yerrs, err := parseYAML(f, maxNesting)
	var diags []graph.Diagnostic
	for _, ye := range yerrs {
		diags = append(diags, graph.Diagnostic{Severity: graph.DiagError, Range: ye.rng, Message: ye.msg})
	}
	if err == nil {
		if line, ok := secondYAMLDocument(f.Bytes); ok {
			r := f.Range(f.LineStart(line), f.LineStart(line))
			diags = append(diags, graph.Diagnostic{Severity: graph.DiagWarning, Range: r,
				Message: "a second YAML document starts here; a template is one document, and s3lint reads only the first"})
		}
	}
	return root, diags, err
}

// secondYAMLDocument finds a second, non-empty document in a YAML stream
// and returns the line of its content. Only files with a "---" line after
// the first are decoded again.
func secondYAMLDocument(b []byte) (int, bool) {
	if !bytes.Contains(b, []byte("\n---")) {
		return 0, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var first yaml.Node
	if dec.Decode(&first) != nil {
		return 0, false
	}
	for {
		var next yaml.Node
		if dec.Decode(&next) != nil {
			return 0, false // the end, or an error the first read did not reach
		}
		if len(next.Content) == 0 {
			continue
		}
		c := next.Content[0]
		if c.Kind == yaml.ScalarNode && c.Tag == "!!null" && c.Value == "" {
			continue // "---" with nothing after it
		}
		return c.Line, true
	}
}

// parameterText renders a parameter value as CloudFormation receives it:
// strings as they are, numbers as written, lists joined with commas (for
// CommaDelimitedList parameters).
func parameterText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = parameterText(e)
		}
		return strings.Join(parts, ",")
	}
	return strings.TrimSpace(string(raw))
}
