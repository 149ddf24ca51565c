package tfplan_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/terraform"
	"github.com/s3lint/s3lint/parsers/tfplan"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

// tree is a set of files to write: relative name → contents.
type tree map[string]string

// writeTree writes files below a new temporary directory and returns it.
func writeTree(t testing.TB, files tree) string {
	t.Helper()
	dir := filepath.ToSlash(t.TempDir())
	writeInto(t, dir, files)
	return dir
}

func writeInto(t testing.TB, dir string, files tree) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loaded is a plan graph with the directory it was loaded from.
type loaded struct {
	*graph.Graph
	t     testing.TB
	dir   string
	files tree
}

// load writes files to a temporary directory and loads its plans.
func load(t testing.TB, files tree) *loaded {
	t.Helper()
	dir := writeTree(t, files)
	return loadPaths(t, dir, files, dir)
}

func loadPaths(t testing.TB, dir string, files tree, paths ...string) *loaded {
	t.Helper()
	g := tfplan.Load(tfplan.Options{Paths: paths})
	if g == nil {
		t.Fatal("Load returned nil")
	}
	noInternalErrors(t, g)
	return &loaded{Graph: g, t: t, dir: dir, files: files}
}

// overlay loads the configurations and the plans under dir and overlays
// them, as scan.Run does.
func overlay(t testing.TB, dir string, files tree) *loaded {
	t.Helper()
	cfg := terraform.Load(terraform.Options{Paths: []string{dir}})
	plans := tfplan.Load(tfplan.Options{Paths: []string{dir}})
	noInternalErrors(t, plans)
	tfplan.Overlay(cfg, plans)
	cfg.Sort()
	return &loaded{Graph: cfg, t: t, dir: dir, files: files}
}

// noInternalErrors fails on a recovered panic.
func noInternalErrors(t testing.TB, g *graph.Graph) {
	t.Helper()
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Errorf("panic while loading: %s: %s", d.File, d.Message)
		}
	}
}

// rel makes a file name relative to the scan directory.
func (l *loaded) rel(file string) string {
	file = filepath.ToSlash(file)
	if r, ok := strings.CutPrefix(file, l.dir+"/"); ok {
		return r
	}
	return file
}

// rng formats a range as file:L:C-L:C with the file relative.
func (l *loaded) rng(r graph.Range) string {
	if r.IsZero() {
		return "<none>"
	}
	return fmt.Sprintf("%s:%d:%d-%d:%d", l.rel(r.File), r.Start.Line, r.Start.Col, r.End.Line, r.End.Col)
}

// start formats the start of a range as file:L:C.
func (l *loaded) start(r graph.Range) string {
	if r.IsZero() {
		return "<none>"
	}
	return fmt.Sprintf("%s:%d:%d", l.rel(r.File), r.Start.Line, r.Start.Col)
}

// at finds the nth (0-based) occurrence of marker in a written file and
// returns "file:L:C" of its first byte, computed independently of the
// loader (columns count characters).
func (l *loaded) at(file, marker string, nth int) string {
	l.t.Helper()
	return locate(l.t, file, l.files[file], marker, nth)
}

func locate(t testing.TB, file, src, marker string, nth int) string {
	t.Helper()
	off := -1
	from := 0
	for i := 0; i <= nth; i++ {
		j := strings.Index(src[from:], marker)
		if j < 0 {
			t.Fatalf("marker %q #%d not in %s", marker, nth, file)
		}
		off = from + j
		from = off + 1
	}
	line := 1 + strings.Count(src[:off], "\n")
	ls := strings.LastIndex(src[:off], "\n") + 1
	col := 1 + utf8.RuneCountInString(src[ls:off])
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

// bucket returns the bucket at an address, or fails.
func (l *loaded) bucket(addr string) *graph.Bucket {
	l.t.Helper()
	for _, b := range l.Buckets {
		if b.Address == addr {
			return b
		}
	}
	l.t.Fatalf("no bucket %s; have %v", addr, l.addresses())
	return nil
}

func (l *loaded) hasBucket(addr string) bool {
	for _, b := range l.Buckets {
		if b.Address == addr {
			return true
		}
	}
	return false
}

// principal returns the principal at an address, or fails.
func (l *loaded) principal(addr string) *graph.Principal {
	l.t.Helper()
	for _, p := range l.Principals {
		if p.Address == addr {
			return p
		}
	}
	l.t.Fatalf("no principal %s; have %v", addr, l.addresses())
	return nil
}

func (l *loaded) key(addr string) *graph.Key {
	l.t.Helper()
	for _, k := range l.Keys {
		if k.Address == addr {
			return k
		}
	}
	l.t.Fatalf("no key %s; have %v", addr, l.addresses())
	return nil
}

func (l *loaded) endpoint(addr string) *graph.Endpoint {
	l.t.Helper()
	for _, e := range l.Endpoints {
		if e.Address == addr {
			return e
		}
	}
	l.t.Fatalf("no endpoint %s; have %v", addr, l.addresses())
	return nil
}

// policies returns the policies at an address, in graph order.
func (l *loaded) policies(addr string) []*graph.Policy {
	var out []*graph.Policy
	for _, p := range l.Policies {
		if p.Address == addr {
			out = append(out, p)
		}
	}
	return out
}

// policy returns the only policy at an address, or fails.
func (l *loaded) policy(addr string) *graph.Policy {
	l.t.Helper()
	ps := l.policies(addr)
	if len(ps) != 1 {
		l.t.Fatalf("%d policies at %s; have %v", len(ps), addr, l.addresses())
	}
	return ps[0]
}

// addresses lists every entity, for failure messages.
func (l *loaded) addresses() []string {
	var out []string
	for _, b := range l.Buckets {
		out = append(out, "bucket "+b.Address)
	}
	for _, p := range l.Policies {
		out = append(out, fmt.Sprintf("%s %s", p.Kind, p.Address))
	}
	for _, p := range l.Principals {
		out = append(out, fmt.Sprintf("%s %s", p.Kind, p.Address))
	}
	for _, k := range l.Keys {
		out = append(out, "key "+k.Address)
	}
	for _, e := range l.Endpoints {
		out = append(out, "endpoint "+e.Address)
	}
	return out
}

// diags lists the diagnostics as "severity file:L:C message".
func (l *loaded) diags() []string {
	out := []string{}
	for _, d := range l.Diagnostics {
		where := l.rel(d.File)
		if !d.Range.IsZero() {
			where = l.start(d.Range)
		}
		out = append(out, fmt.Sprintf("%s %s %s", d.Severity, where, d.Message))
	}
	return out
}

// sv formats a located string as value, ?(unknown) or default(value).
func sv(s graph.String) string {
	switch s.Origin {
	case graph.Unknown:
		return "?"
	case graph.Default:
		return "default(" + s.V + ")"
	}
	return s.V
}

// items lists the values of a Strings element.
func items(s graph.Strings) []string {
	out := []string{}
	for _, it := range s.Items {
		out = append(out, sv(it))
	}
	return out
}

// names lists the addresses of principals.
func names(ps []*graph.Principal) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Address)
	}
	sort.Strings(out)
	return out
}

func policyAddrs(ps []*graph.Policy) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s(%s)", p.Address, sv(p.Name)))
	}
	sort.Strings(out)
	return out
}

func eq[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// validJSON fails when a hand-written file is not JSON (a mistake in the
// test, not in the loader).
func validJSON(t testing.TB, name, src string) {
	t.Helper()
	if !json.Valid([]byte(src)) {
		var v any
		err := json.Unmarshal([]byte(src), &v)
		t.Fatalf("test fixture %s is not valid JSON: %v", name, err)
	}
}

// findings runs every rule over paths and formats the findings as
// "file:L:C RULE".
type finding struct {
	rules.Finding
	where string
}

func runScan(t testing.TB, dir string, paths ...string) ([]finding, *scan.Result) {
	t.Helper()
	if len(paths) == 0 {
		paths = []string{dir}
	}
	res := scan.Run(scan.Options{Paths: paths, Rules: rules.All(), SrcRoot: dir})
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Errorf("internal error: %s", d.Message)
		}
	}
	var out []finding
	for _, f := range res.Findings {
		file := filepath.ToSlash(f.Range.File)
		file = strings.TrimPrefix(file, dir+"/")
		out = append(out, finding{Finding: f, where: fmt.Sprintf("%s:%d:%d %s", file, f.Range.Start.Line, f.Range.Start.Col, f.RuleID)})
	}
	return out, res
}

func wheres(fs []finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.where)
	}
	return out
}

// compact reports whether b has no newline (a one-line plan).
func compact(b string) bool { return !bytes.ContainsRune([]byte(b), '\n') }
