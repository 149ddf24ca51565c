package terraform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/terraform"
)

// tree is a configuration to write: relative file name → contents.
type tree map[string]string

// writeTree writes files below a new temporary directory and returns it.
func writeTree(t testing.TB, files tree) string {
	t.Helper()
	dir := filepath.ToSlash(t.TempDir())
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loaded is the result of a load with the directory it was loaded from, so
// that ranges can be shown relative to it.
type loaded struct {
	*graph.Graph
	dir   string
	files tree
}

// load writes files to a temporary directory and loads it; opt may adjust
// the options (Paths is already set to the directory).
func load(t testing.TB, files tree, opt ...func(dir string, o *terraform.Options)) *loaded {
	t.Helper()
	dir := writeTree(t, files)
	opts := terraform.Options{Paths: []string{dir}}
	for _, f := range opt {
		f(dir, &opts)
	}
	g := terraform.Load(opts)
	if g == nil {
		t.Fatal("Load returned nil")
	}
	return &loaded{Graph: g, dir: dir, files: files}
}

func withVars(vars ...string) func(string, *terraform.Options) {
	return func(_ string, o *terraform.Options) { o.Vars = append(o.Vars, vars...) }
}

// withVarFiles adds var files given relative to the scan directory.
func withVarFiles(files ...string) func(string, *terraform.Options) {
	return func(dir string, o *terraform.Options) {
		for _, f := range files {
			o.VarFiles = append(o.VarFiles, filepath.Join(dir, f))
		}
	}
}

// withPaths replaces the scan paths by paths relative to the directory.
func withPaths(paths ...string) func(string, *terraform.Options) {
	return func(dir string, o *terraform.Options) {
		o.Paths = nil
		for _, p := range paths {
			o.Paths = append(o.Paths, filepath.Join(dir, p))
		}
	}
}

// rel makes a file name relative to the scan directory.
func (g *loaded) rel(file string) string {
	if file == "" {
		return ""
	}
	if r, ok := strings.CutPrefix(filepath.ToSlash(file), g.dir+"/"); ok {
		return r
	}
	return file
}

// r renders a range as file:line:col-line:col with the file relative to the
// scan directory.
func (g *loaded) r(rg graph.Range) string {
	if rg.IsZero() {
		return "<none>"
	}
	return fmt.Sprintf("%s:%d:%d-%d:%d", g.rel(rg.File), rg.Start.Line, rg.Start.Col, rg.End.Line, rg.End.Col)
}

// start renders the start of a range as file:line:col.
func (g *loaded) start(rg graph.Range) string {
	if rg.IsZero() {
		return "<none>"
	}
	return fmt.Sprintf("%s:%d:%d", g.rel(rg.File), rg.Start.Line, rg.Start.Col)
}

// at returns "file:line:col" of the n-th (0-based) occurrence of needle in
// the named file as written to the tree; columns count characters.
func (g *loaded) at(t testing.TB, file, needle string, n int) string {
	t.Helper()
	return at(t, g.files, file, needle, n)
}

func at(t testing.TB, files tree, file, needle string, n int) string {
	t.Helper()
	src, ok := files[file]
	if !ok {
		t.Fatalf("no file %q in tree", file)
	}
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(src[off+1:], needle)
		if j < 0 {
			t.Fatalf("occurrence %d of %q not found in %s", n, needle, file)
		}
		off += 1 + j
	}
	line := 1 + strings.Count(src[:off], "\n")
	lineStart := strings.LastIndex(src[:off], "\n") + 1
	col := 1 + utf8.RuneCountInString(src[lineStart:off])
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

// span returns "file:l:c-l:c" of the n-th occurrence of needle.
func (g *loaded) span(t testing.TB, file, needle string, n int) string {
	t.Helper()
	start := g.at(t, file, needle, n)
	src := g.files[file]
	// Find the end by locating the needle again.
	off := -1
	for i := 0; i <= n; i++ {
		off += 1 + strings.Index(src[off+1:], needle)
	}
	end := off + len(needle)
	line := 1 + strings.Count(src[:end], "\n")
	lineStart := strings.LastIndex(src[:end], "\n") + 1
	col := 1 + utf8.RuneCountInString(src[lineStart:end])
	return fmt.Sprintf("%s-%d:%d", start, line, col)
}

// s renders a located string value without its range: "value", ? for
// unknown, default("value") when not written.
func s(v graph.String) string {
	switch v.Origin {
	case graph.Unknown:
		return "?"
	case graph.Default:
		return fmt.Sprintf("default(%q)", v.V)
	default:
		return v.V
	}
}

// items renders the items of a Strings element; "?" stands for an unknown
// item and "<unknown list>" for an unknown element.
func items(ss graph.Strings) []string {
	if ss.Unknown {
		return []string{"<unknown list>"}
	}
	out := []string{}
	for _, it := range ss.Items {
		out = append(out, s(it))
	}
	return out
}

// itemsAt renders each item with the start of its range.
func (g *loaded) itemsAt(ss graph.Strings) []string {
	out := []string{}
	for _, it := range ss.Items {
		out = append(out, s(it)+"@"+g.start(it.Range))
	}
	return out
}

func (g *loaded) bucket(t testing.TB, addr string) *graph.Bucket {
	t.Helper()
	for _, b := range g.Buckets {
		if b.Address == addr {
			return b
		}
	}
	t.Fatalf("no bucket %s; have %v\n%s", addr, g.bucketAddrs(), g.dump())
	return nil
}

func (g *loaded) bucketAddrs() []string {
	out := []string{}
	for _, b := range g.Buckets {
		out = append(out, b.Address)
	}
	return out
}

func (g *loaded) principal(t testing.TB, addr string) *graph.Principal {
	t.Helper()
	for _, p := range g.Principals {
		if p.Address == addr {
			return p
		}
	}
	t.Fatalf("no principal %s\n%s", addr, g.dump())
	return nil
}

// policies returns the policies with the given address (a role may carry
// a trust policy and inline policies under one address).
func (g *loaded) policies(addr string, kind graph.PolicyKind) []*graph.Policy {
	var out []*graph.Policy
	for _, p := range g.Policies {
		if p.Address == addr && p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// policy returns the one policy with the given address and kind.
func (g *loaded) policy(t testing.TB, addr string, kind graph.PolicyKind) *graph.Policy {
	t.Helper()
	ps := g.policies(addr, kind)
	if len(ps) != 1 {
		t.Fatalf("want one %s at %s, got %d\n%s", kind, addr, len(ps), g.dump())
	}
	return ps[0]
}

// doc returns a policy's document, failing when it is unknown.
func (g *loaded) doc(t testing.TB, addr string, kind graph.PolicyKind) *graph.Document {
	t.Helper()
	p := g.policy(t, addr, kind)
	if p.Doc == nil {
		t.Fatalf("%s %s: document unknown\n%s", kind, addr, g.dump())
	}
	return p.Doc
}

// stmt returns statement i of a document.
func stmt(t testing.TB, d *graph.Document, i int) *graph.Statement {
	t.Helper()
	if i >= len(d.Statements) {
		t.Fatalf("document has %d statements, want at least %d", len(d.Statements), i+1)
	}
	return d.Statements[i]
}

// diags renders diagnostics of one severity as "file:line:col: message".
func (g *loaded) diags(sev graph.Severity) []string {
	out := []string{}
	for _, d := range g.Diagnostics {
		if d.Severity != sev {
			continue
		}
		out = append(out, g.diagString(d))
	}
	return out
}

func (g *loaded) diagString(d graph.Diagnostic) string {
	where := g.rel(d.File)
	if !d.Range.IsZero() {
		where = g.start(d.Range)
	}
	return where + ": " + d.Message
}

// noErrors fails when the load reported errors.
func (g *loaded) noErrors(t testing.TB) {
	t.Helper()
	if errs := g.diags(graph.DiagError); len(errs) > 0 {
		t.Fatalf("unexpected errors:\n%s", strings.Join(errs, "\n"))
	}
}

// noDiags fails when the load reported anything.
func (g *loaded) noDiags(t testing.TB) {
	t.Helper()
	if len(g.Diagnostics) > 0 {
		var all []string
		for _, d := range g.Diagnostics {
			all = append(all, d.Severity.String()+" "+g.diagString(d))
		}
		t.Fatalf("unexpected diagnostics:\n%s", strings.Join(all, "\n"))
	}
}

func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func eqList(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// dump renders the whole graph, ranges relative to the scan directory. It
// is used to compare loads and to explain failures.
func (g *loaded) dump() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	ent := func(e *graph.Entity) string {
		return fmt.Sprintf("%s %s [%s] provider=%s account=%s", e.Type, e.Address, g.r(e.Range), e.Provider, e.Account)
	}
	str := func(v graph.String) string { return s(v) + "@" + g.r(v.Range) }
	addrs := func(ps []*graph.Principal) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Address)
		}
		return strings.Join(out, ",")
	}
	for _, bk := range g.Buckets {
		w("bucket %s name=%s arn=%s\n", ent(&bk.Entity), str(bk.Name), str(bk.ARN))
		for _, p := range bk.Policies {
			w("  policy %s %s\n", p.Address, g.r(p.DocRange))
		}
	}
	for _, p := range g.Principals {
		w("principal %s %s name=%s arn=%s boundaryARN=%s\n", p.Kind, ent(&p.Entity), str(p.Name), str(p.ARN), str(p.BoundaryARN))
		for _, pol := range p.Policies {
			w("  policy %s %s %s\n", pol.Kind, pol.Address, g.r(pol.DocRange))
		}
		for _, m := range p.ManagedARNs {
			w("  managed %s\n", str(m))
		}
		if p.Boundary != nil {
			w("  boundary %s\n", p.Boundary.Address)
		}
		if p.Trust != nil {
			w("  trust %s\n", g.r(p.Trust.DocRange))
		}
		for _, gr := range p.Groups {
			w("  group %s\n", gr.Address)
		}
	}
	for _, p := range g.Policies {
		w("policy %s %s docrange=%s name=%s arn=%s bucketref=%s", p.Kind, ent(&p.Entity), g.r(p.DocRange), str(p.Name), str(p.ARN), str(p.BucketRef))
		if p.Bucket != nil {
			w(" bucket=%s", p.Bucket.Address)
		}
		if len(p.Attached) > 0 {
			w(" attached=%s", addrs(p.Attached))
		}
		w("\n")
		if p.Doc == nil {
			w("  <unknown document>\n")
			continue
		}
		d := p.Doc
		w("  doc %s version=%s id=%s\n", g.r(d.Range), str(d.Version), str(d.ID))
		for _, pr := range d.Problems {
			w("  problem %s %s\n", g.r(pr.Range), pr.Message)
		}
		for _, st := range d.Statements {
			w("  stmt %d %s unknown=%v sid=%s effect=%s\n", st.Index, g.r(st.Range), st.Unknown, str(st.Sid), str(st.Effect))
			for _, el := range []struct {
				name string
				ss   graph.Strings
			}{{"Action", st.Action}, {"NotAction", st.NotAction}, {"Resource", st.Resource}, {"NotResource", st.NotResource}} {
				if !el.ss.Present {
					continue
				}
				w("    %s %s key=%s unknown=%v\n", el.name, g.r(el.ss.Range), g.r(el.ss.KeyRange), el.ss.Unknown)
				for _, it := range el.ss.Items {
					w("      %s\n", str(it))
				}
			}
			for _, ps := range []struct {
				name string
				p    *graph.PrincipalSpec
			}{{"Principal", st.Principal}, {"NotPrincipal", st.NotPrincipal}} {
				if ps.p == nil {
					continue
				}
				w("    %s %s wildcard=%v unknown=%v\n", ps.name, g.r(ps.p.Range), ps.p.Wildcard, ps.p.Unknown)
				for _, e := range ps.p.Entries {
					w("      %s unknown=%v values@%s\n", str(e.Type), e.Unknown, g.r(e.ValueRange))
					for _, v := range e.Values {
						w("        %s\n", str(v))
					}
				}
			}
			for _, c := range st.Conditions {
				w("    Condition %s %s %s unknown=%v\n", g.r(c.Range), str(c.Operator), str(c.Key), c.Unknown)
				for _, v := range c.Values {
					w("      %s\n", str(v))
				}
			}
		}
	}
	for _, k := range g.Keys {
		w("key %s arn=%s\n", ent(&k.Entity), str(k.ARN))
	}
	for _, e := range g.Endpoints {
		w("endpoint %s service=%s\n", ent(&e.Entity), str(e.Service))
	}
	for _, d := range g.Diagnostics {
		w("diag %s %s\n", d.Severity, g.diagString(d))
	}
	return b.String()
}

// sortedStrings returns a sorted copy.
func sortedStrings(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

// resources returns every statement's Resource items, in order.
func resourcesOf(d *graph.Document) []string {
	out := []string{}
	for _, st := range d.Statements {
		out = append(out, items(st.Resource)...)
	}
	return out
}

// bug skips a test that shows a known loader bug. Set S3LINT_TEST_BUGS=1 to
// run such tests anyway (to see them fail, or to check a fix).
func bug(t testing.TB, desc string) {
	t.Helper()
	if os.Getenv("S3LINT_TEST_BUGS") == "" {
		t.Skip("BUG: " + desc)
	}
}

// timeout bounds loads that must terminate.
func timeout() <-chan time.Time { return time.After(20 * time.Second) }

// loadDir loads an existing directory with a module depth limit.
func loadDir(dir string, maxDepth int) *graph.Graph {
	return terraform.Load(terraform.Options{Paths: []string{dir}, Limits: limits.Limits{MaxModuleDepth: maxDepth}})
}
