// Package tfplan loads the JSON that `terraform show -json` writes for a plan
// (or a state) into s3lint's neutral graph. A plan has every variable,
// module and count/for_each resolved, so its policies are checked with real
// values; what Terraform itself does not know until apply (after_unknown)
// stays unknown.
//
// Plans are found by content (format_version with planned_values or
// values), whatever the file is called. Findings point into the JSON —
// inside policy strings, at the exact character — unless the plan sits next
// to the configuration it was made from; then Overlay moves them to the .tf
// files.
package tfplan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// Options configure a load.
type Options struct {
	// Paths are the files and directories to scan.
	Paths []string
	// Exclude reports files and directories the walk leaves out.
	Exclude func(path string) bool
}

type loader struct {
	g *graph.Graph
}

// Load finds the plan and state JSON files under the paths.
func Load(opts Options) *graph.Graph {
	l := &loader{g: &graph.Graph{}}
	files := walk(opts.Paths, opts.Exclude)
	graphs := make([]*graph.Graph, len(files))
	parallel.Each(len(files), func(i int) {
		fl := &loader{g: &graph.Graph{}}
		fl.loadFile(files[i])
		graphs[i] = fl.g
	})
	for _, fg := range graphs {
		l.g.Merge(fg)
	}
	l.g.LinkBucketsByName()
	l.g.Sort()
	return l.g
}

var skipDirs = map[string]bool{".git": true, ".terraform": true, "node_modules": true}

func walk(paths []string, exclude func(string) bool) []string {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.ToSlash(filepath.Clean(p))
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	// In a walk, JSON files and files named like plans or states (tfplan,
	// plan.out, terraform.tfstate) are read; their content decides.
	isCandidate := func(name string) bool {
		lower := strings.ToLower(name)
		if strings.HasSuffix(lower, ".tf") || strings.HasSuffix(lower, ".tf.json") {
			return false
		}
		return strings.HasSuffix(lower, ".json") || strings.Contains(lower, "plan") || strings.Contains(lower, "tfstate")
	}
	excluded := func(p string) bool { return exclude != nil && exclude(p) }
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil || excluded(root) {
			continue // reported by the Terraform loader
		}
		if !info.IsDir() {
			// A file named on the command line is read whatever it is
			// called; its content decides.
			add(root)
			continue
		}
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if path != root && (skipDirs[d.Name()] || excluded(path)) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && isCandidate(d.Name()) && !excluded(path) {
				add(path)
			}
			return nil
		})
	}
	sort.Strings(files)
	return files
}

// looksLikePlan is a cheap first test on the bytes, so that most JSON in a
// repository is never parsed twice; for files that do not parse, it decides
// whether the error is worth reporting.
func looksLikePlan(b []byte) bool {
	return bytes.Contains(b, []byte(`"format_version"`)) &&
		(bytes.Contains(b, []byte(`"planned_values"`)) || bytes.Contains(b, []byte(`"values"`)))
}

func (l *loader) errorf(file string, r graph.Range, format string, args ...any) {
	l.g.Diagnostics = append(l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: file, Range: r,
		Message: fmt.Sprintf(format, args...)})
}

func (l *loader) loadFile(name string) {
	defer func() {
		// A bug must cost one file, not the scan.
		if v := recover(); v != nil {
			l.errorf(name, graph.Range{}, "internal error while reading this plan: %v", v)
		}
	}()
	b, err := os.ReadFile(name)
	if err != nil || !looksLikePlan(b) {
		return
	}
	f := source.NewFile(name, b)
	root, err := jsonpos.Parse(b, f.Range, jsonpos.Options{})
	if err != nil {
		var se *jsonpos.SyntaxError
		r := graph.Range{}
		msg := err.Error()
		if asSyntax(err, &se) {
			r = f.Range(se.Offset, se.Offset)
			msg = se.Msg
		}
		l.errorf(name, r, "this Terraform plan is not valid JSON: %s", msg)
		return
	}
	if root.Kind != graph.KindObject || root.Get("format_version") == nil {
		return
	}
	values := root.Get("planned_values")
	isPlan := values != nil
	if !isPlan {
		values = root.Get("values")
	}
	if values == nil {
		return
	}
	p := &plan{l: l, file: f, root: filepath.ToSlash(filepath.Dir(name)), changes: map[string]*change{}}
	body := bytes.TrimPrefix(b, []byte("\ufeff")) // PowerShell writes a BOM
	if isPlan {
		var tp tfjson.Plan
		if err := json.Unmarshal(body, &tp); err != nil {
			r, msg := unreadable(root, len(b)-len(body), err)
			l.errorf(name, r, "not a Terraform plan s3lint can read: %s", msg)
			return
		}
		p.readChanges(&tp, root.Get("resource_changes"))
		p.readConfig(tp.Config)
		if ps := root.Get("prior_state"); ps != nil {
			p.prior = ps.Get("values")
		}
	} else {
		var ts tfjson.State
		if err := json.Unmarshal(body, &ts); err != nil {
			r, msg := unreadable(root, len(b)-len(body), err)
			l.errorf(name, r, "not a Terraform state s3lint can read: %s", msg)
			return
		}
	}
	p.load(values.Get("root_module"))
}

// ConfigDirs returns the directories of plan files named directly among
// paths that also hold Terraform files: a plan "scanned together with" the
// configuration it came from, whose positions Overlay can use. The caller
// loads those directories' configuration too.
func ConfigDirs(paths []string) []string {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil || info.IsDir() {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil || !looksLikePlan(b) {
			continue
		}
		dir := filepath.Dir(p)
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json")) {
				out = append(out, dir)
				break
			}
		}
	}
	return out
}
