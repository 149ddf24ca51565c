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
	"os"
	"path/filepath"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

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
	// Exclude reports files and directories the walk leaves out.
	Exclude func(path string) bool
	// Limits bound file sizes, nesting and the time per plan; zero fields
	// are the defaults.
	Limits limits.Limits
	// Cache is the scan's cache of directory listings and real paths,
	// shared with the other loaders; nil reads from disk every time.
	Cache *walk.Cache
}

type loader struct {
	g   *graph.Graph
	lim limits.Limits
}

// Load finds the plan and state JSON files under the paths.
func Load(opts Options) *graph.Graph {
	opts.Limits = opts.Limits.WithDefaults()
	l := &loader{g: &graph.Graph{}, lim: opts.Limits}
	files, skipped := findFiles(opts)
	l.g.Diagnostics = append(l.g.Diagnostics, skipped...)
	graphs := make([]*graph.Graph, len(files))
	parallel.Each(len(files), func(i int) { graphs[i] = l.loadWatched(files[i]) })
	for _, fg := range graphs {
		l.g.Merge(fg)
	}
	l.g.LinkBucketsByName()
	dropMirrors(l.g)
	l.g.Sort()
	return l.g
}

var skipDirs = map[string]bool{".git": true, ".terraform": true, "node_modules": true}

// findFiles finds the files that may be plans. It reads JSON files and files
// named like plans or states (tfplan, plan.out, terraform.tfstate); their
// content decides. A file named on the command line is read whatever it is
// called. The Terraform loader reports the paths that cannot be read.
func findFiles(opts Options) (files []string, skipped []graph.Diagnostic) {
	res := walk.Walk(walk.Options{
		Paths: opts.Paths, Want: isCandidate, WantNamed: func(string) bool { return true },
		SkipDirs: skipDirs, Exclude: opts.Exclude, Cache: opts.Cache,
	})
	return res.Files, res.Skipped
}

func isCandidate(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".tf") || strings.HasSuffix(lower, ".tf.json") {
		return false
	}
	return strings.HasSuffix(lower, ".json") || strings.Contains(lower, "plan") || strings.Contains(lower, "tfstate")
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

// testHookLoadFile, when set by a test, runs before each plan is read,
// with the stop channel of its time limit.
var testHookLoadFile func(stop limits.Stop)

// loadWatched reads one plan into a graph of its own, for at most
// FileTimeout (limits.LoadFile).
func (l *loader) loadWatched(name string) *graph.Graph {
	hook := testHookLoadFile // read here: the test that set it may reset it while the work is abandoned
	return limits.LoadFile(l.lim.FileTimeout, name, func(stop limits.Stop) *graph.Graph {
		fl := &loader{g: &graph.Graph{}, lim: l.lim}
		if hook != nil {
			hook(stop)
		}
		fl.loadFile(name)
		return fl.g
	})
}

func (l *loader) loadFile(name string) {
	defer func() {
		// A bug must cost one file, not the scan.
		if v := recover(); v != nil {
			l.g.Diagnostics = append(l.g.Diagnostics, graph.InternalError(name, "reading this plan", v))
		}
	}()
	b, d := walk.ReadCandidate(name, l.lim.MaxFileSize, looksLikePlan)
	if d != nil {
		l.g.Diagnostics = append(l.g.Diagnostics, *d)
	}
	if b == nil {
		return
	}
	l.g.NoteRead(name, b)
	if !looksLikePlan(b) {
		return
	}
	f := source.NewFile(name, b)
	root, err := jsonpos.Parse(b, f.Range, jsonpos.Options{MaxDepth: l.lim.MaxNesting})
	if err != nil {
		var se *jsonpos.SyntaxError
		r := graph.Range{}
		msg := err.Error()
		if asSyntax(err, &se) {
			r = f.Range(se.Offset, se.Offset)
			msg = se.Msg
			if se.TooDeep {
				l.errorf(name, r, "%s", limits.TooDeep(l.lim.MaxNesting))
				return
			}
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
	p := &plan{l: l, file: f, root: filepath.ToSlash(filepath.Dir(name)), changes: map[string]*change{}, state: !isPlan}
	body := bytes.TrimPrefix(b, []byte("\ufeff")) // PowerShell writes a BOM
	if isPlan {
		var tp tfjson.Plan
		if err := json.Unmarshal(body, &tp); err != nil {
			r, msg := unreadable(root, len(b)-len(body), err)
			l.errorf(name, r, "not a Terraform plan s3lint can read: %s", msg)
			return
		}
		p.readChanges(&tp, root.Get("resource_changes"))
		p.variables = tp.Variables
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
func ConfigDirs(paths []string, lim limits.Limits) []string {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		// Read as far as the size limit: a plan over it is reported by
		// Load.
		if !looksLikePlan(walk.ReadPrefix(p, lim.WithDefaults().MaxFileSize)) {
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
