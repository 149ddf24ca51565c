package cloudformation_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/cloudformation"
)

// tree is a set of files to write: relative name → contents.
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

// loaded is a graph with the directory it was loaded from, so that ranges
// can be shown relative to it.
type loaded struct {
	*graph.Graph
	t   testing.TB
	dir string
}

type option func(dir string, o *cloudformation.Options)

// withParams adds parameter files, relative to the scan directory.
func withParams(files ...string) option {
	return func(dir string, o *cloudformation.Options) {
		for _, f := range files {
			o.ParameterFiles = append(o.ParameterFiles, filepath.Join(dir, f))
		}
	}
}

// withPaths replaces the scan paths by paths relative to the directory.
func withPaths(paths ...string) option {
	return func(dir string, o *cloudformation.Options) {
		o.Paths = nil
		for _, p := range paths {
			o.Paths = append(o.Paths, filepath.Join(dir, p))
		}
	}
}

// load writes files to a temporary directory and loads it.
func load(t testing.TB, files tree, opts ...option) *loaded {
	t.Helper()
	dir := writeTree(t, files)
	return loadDir(t, dir, opts...)
}

func loadDir(t testing.TB, dir string, opts ...option) *loaded {
	t.Helper()
	o := cloudformation.Options{Paths: []string{dir}}
	for _, f := range opts {
		f(dir, &o)
	}
	g := cloudformation.Load(o)
	if g == nil {
		t.Fatal("Load returned nil")
	}
	return &loaded{Graph: g, t: t, dir: dir}
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

// pos formats a range as L:C-L:C, without the file.
func pos(r graph.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Col, r.End.Line, r.End.Col)
}

// sv formats a located string as value@L:C-L:C, or ?@L:C-L:C when unknown.
func sv(s graph.String) string {
	v := symbolicKeyARN.ReplaceAllString(s.V, "key-arn($1)")
	v = symbolicID.ReplaceAllString(v, "id($1)")
	switch s.Origin {
	case graph.Unknown:
		v = "?"
	case graph.Default:
		v = "default(" + v + ")"
	}
	return v + "@" + pos(s.Range)
}

// symbolicKeyARN matches the ARN a template's key gets (graph.SymbolicKeyARN),
// whose account and scope hold the temporary file name.
var symbolicKeyARN = regexp.MustCompile(`arn:aws:kms:<region>:[^:]*:key/<id of ([^@>]*)@[^>]*>`)

// symbolicAccount matches the symbol of a stack's account (graph.SymbolicAccount).
var symbolicAccount = regexp.MustCompile(`<account of [^>]*>`)

// symbolicID matches the ID symbol of a template's resource (graph.SymbolicID).
var symbolicID = regexp.MustCompile(`<id of ([^@>]*)@[^>]*>`)

// vals lists the values of located strings ("?" for unknown ones).
func vals(ss []graph.String) []string {
	out := []string{}
	for _, s := range ss {
		if shape, ok := s.Shape(); ok {
			shape = symbolicAccount.ReplaceAllString(strings.ReplaceAll(shape, graph.UnknownPart, "…"), "<account>")
			out = append(out, "shape("+shape+")")
			continue
		}
		if !s.Known() {
			out = append(out, "?")
			continue
		}
		out = append(out, s.V)
	}
	return out
}

// items lists the items of an Action/Resource element as value@range.
func items(s graph.Strings) []string {
	out := []string{}
	if s.Unknown {
		return []string{"<unknown list>@" + pos(s.Range)}
	}
	for _, it := range s.Items {
		out = append(out, sv(it))
	}
	return out
}

// diags formats the diagnostics as "severity file:L:C: message".
func (l *loaded) diags() []string {
	out := []string{}
	for _, d := range l.Diagnostics {
		file := d.File
		if d.Range.File != "" {
			file = d.Range.File
		}
		where := l.rel(file)
		if !d.Range.IsZero() {
			where += fmt.Sprintf(":%d:%d", d.Range.Start.Line, d.Range.Start.Col)
		}
		out = append(out, fmt.Sprintf("%s %s: %s", d.Severity, where, d.Message))
	}
	return out
}

// noDiags fails when anything was reported.
func (l *loaded) noDiags() {
	l.t.Helper()
	if len(l.Diagnostics) > 0 {
		l.t.Errorf("unexpected diagnostics:\n  %s", strings.Join(l.diags(), "\n  "))
	}
}

// wantError fails unless an error at where (file:L:C, or file for any
// position in it) has a message containing substr.
func (l *loaded) wantError(where, substr string) {
	l.t.Helper()
	prefix := graph.DiagError.String() + " " + where
	for _, d := range l.diags() {
		rest, ok := strings.CutPrefix(d, prefix)
		if ok && (strings.HasPrefix(rest, ": ") || strings.HasPrefix(rest, ":") && !strings.Contains(where, ":")) &&
			strings.Contains(rest, substr) {
			return
		}
	}
	l.t.Errorf("no diagnostic %q … %q; have:\n  %s", prefix, substr, strings.Join(l.diags(), "\n  "))
}

func (l *loaded) bucket(addr string) *graph.Bucket {
	l.t.Helper()
	for _, b := range l.Buckets {
		if b.Address == addr {
			return b
		}
	}
	l.t.Fatalf("no bucket %s; have %v", addr, l.bucketAddrs())
	return nil
}

func (l *loaded) bucketAddrs() []string {
	out := []string{}
	for _, b := range l.Buckets {
		out = append(out, b.Address)
	}
	return out
}

func (l *loaded) principal(addr string) *graph.Principal {
	l.t.Helper()
	for _, p := range l.Principals {
		if p.Address == addr {
			return p
		}
	}
	l.t.Fatalf("no principal %s; have %v", addr, l.principalAddrs())
	return nil
}

func (l *loaded) principalAddrs() []string {
	out := []string{}
	for _, p := range l.Principals {
		out = append(out, p.Address)
	}
	return out
}

// policies returns the policies of a resource, in graph order.
func (l *loaded) policies(addr string) []*graph.Policy {
	var out []*graph.Policy
	for _, p := range l.Policies {
		if p.Address == addr {
			out = append(out, p)
		}
	}
	return out
}

// policy returns the only policy of a resource of the kind.
func (l *loaded) policy(addr string, kind graph.PolicyKind) *graph.Policy {
	l.t.Helper()
	var out []*graph.Policy
	for _, p := range l.policies(addr) {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	if len(out) != 1 {
		l.t.Fatalf("%d %s policies of %s, want 1; have:\n%s", len(out), kind, addr, l.dump())
	}
	return out[0]
}

// stmt returns statement i of a policy's document.
func stmt(t testing.TB, p *graph.Policy, i int) *graph.Statement {
	t.Helper()
	if p.Doc == nil {
		t.Fatalf("policy %s (%s) has no document", p.Address, p.Kind)
	}
	if i >= len(p.Doc.Statements) {
		t.Fatalf("policy %s has %d statements, want statement %d", p.Address, len(p.Doc.Statements), i)
	}
	return p.Doc.Statements[i]
}

// attachedTo lists the addresses of the principals a policy is attached to.
func attachedTo(p *graph.Policy) []string {
	out := []string{}
	for _, pr := range p.Attached {
		out = append(out, pr.Address)
	}
	sort.Strings(out)
	return out
}

// policyAddrs lists the addresses and kinds of a principal's policies.
func policyAddrs(pr *graph.Principal) []string {
	out := []string{}
	for _, p := range pr.Policies {
		out = append(out, p.Address+" "+p.Kind.String())
	}
	sort.Strings(out)
	return out
}

// eq compares two string slices.
func eq(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != len(want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// is compares two strings.
func is(t testing.TB, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// dump renders the whole graph as text, for failure messages and for
// comparing loads.
func (l *loaded) dump() string {
	return dumpGraph(l.Graph, l.rel)
}

func dumpGraph(g *graph.Graph, rel func(string) string) string {
	var b strings.Builder
	r := func(x graph.Range) string {
		if x.IsZero() {
			return "<none>"
		}
		return fmt.Sprintf("%s:%s", rel(x.File), pos(x))
	}
	s := func(x graph.String) string { return fmt.Sprintf("%s/%s", sv(x), x.Origin) }
	for _, bk := range g.Buckets {
		fmt.Fprintf(&b, "bucket %s %s name=%s arn=%s range=%s acct=%s prov=%s\n", bk.Address, bk.Type, s(bk.Name), s(bk.ARN), r(bk.Range), bk.Account, rel(bk.Provider))
		for _, p := range bk.Policies {
			fmt.Fprintf(&b, "  policy %s %s\n", p.Address, r(p.DocRange))
		}
		for _, line := range settingLines(bk) {
			fmt.Fprintf(&b, "  %s\n", line)
		}
		for _, ap := range bk.AccessPoints {
			fmt.Fprintf(&b, "  access point %s\n", ap.Address)
		}
	}
	for _, pr := range g.Principals {
		fmt.Fprintf(&b, "principal %s %s %s name=%s arn=%s range=%s boundary=%s\n", pr.Kind, pr.Address, pr.Type, s(pr.Name), s(pr.ARN), r(pr.Range), s(pr.BoundaryARN))
		for _, p := range pr.Policies {
			fmt.Fprintf(&b, "  policy %s %s %s\n", p.Address, p.Kind, r(p.DocRange))
		}
		for _, m := range pr.ManagedARNs {
			fmt.Fprintf(&b, "  managed %s\n", s(m))
		}
		if pr.Trust != nil {
			fmt.Fprintf(&b, "  trust %s\n", r(pr.Trust.DocRange))
		}
		if pr.Boundary != nil {
			fmt.Fprintf(&b, "  boundary %s\n", pr.Boundary.Address)
		}
		for _, gr := range pr.Groups {
			fmt.Fprintf(&b, "  group %s\n", gr.Address)
		}
	}
	for _, p := range g.Policies {
		fmt.Fprintf(&b, "policy %s %s %s name=%s arn=%s bucketref=%s docrange=%s range=%s\n", p.Kind, p.Address, p.Type, s(p.Name), s(p.ARN), s(p.BucketRef), r(p.DocRange), r(p.Range))
		if p.Bucket != nil {
			fmt.Fprintf(&b, "  bucket %s\n", p.Bucket.Address)
		}
		for _, a := range p.Attached {
			fmt.Fprintf(&b, "  attached %s\n", a.Address)
		}
		if p.Doc == nil {
			fmt.Fprintf(&b, "  doc <nil>\n")
			continue
		}
		fmt.Fprintf(&b, "  doc %s\n", r(p.Doc.Range))
		for _, pb := range p.Doc.Problems {
			fmt.Fprintf(&b, "  problem %s %s\n", r(pb.Range), pb.Message)
		}
		for _, st := range p.Doc.Statements {
			fmt.Fprintf(&b, "  stmt %d %s unknown=%v effect=%s\n", st.Index, r(st.Range), st.Unknown, s(st.Effect))
			for _, el := range []struct {
				name string
				s    graph.Strings
			}{{"Action", st.Action}, {"NotAction", st.NotAction}, {"Resource", st.Resource}, {"NotResource", st.NotResource}} {
				if !el.s.Present {
					continue
				}
				fmt.Fprintf(&b, "    %s %s unknown=%v %v\n", el.name, r(el.s.Range), el.s.Unknown, items(el.s))
			}
			for _, ps := range []*graph.PrincipalSpec{st.Principal, st.NotPrincipal} {
				if ps == nil {
					continue
				}
				fmt.Fprintf(&b, "    principal %s wildcard=%v unknown=%v\n", r(ps.Range), ps.Wildcard, ps.Unknown)
				for _, e := range ps.Entries {
					var vs []string
					for _, v := range e.Values {
						vs = append(vs, sv(v))
					}
					fmt.Fprintf(&b, "      %s unknown=%v %v\n", s(e.Type), e.Unknown, vs)
				}
			}
			for _, c := range st.Conditions {
				fmt.Fprintf(&b, "    cond %s %s %v unknown=%v\n", s(c.Operator), s(c.Key), vals(c.Values), c.Unknown)
			}
		}
	}
	for _, k := range g.Keys {
		fmt.Fprintf(&b, "key %s arn=%s policy=%v\n", k.Address, s(k.ARN), k.Policy != nil)
	}
	for _, e := range g.Endpoints {
		fmt.Fprintf(&b, "endpoint %s service=%s type=%s vpc=%s policy=%v\n", e.Address, s(e.Service), s(e.Type), s(e.VpcID), e.Policy != nil)
	}
	for _, ap := range g.AccessPoints {
		bucket, pol := "<none>", "<none>"
		if ap.Bucket != nil {
			bucket = ap.Bucket.Address
		}
		if ap.Policy != nil {
			pol = r(ap.Policy.DocRange)
		}
		fmt.Fprintf(&b, "access point %s name=%s arn=%s bucketref=%s bucket=%s policy=%s vpc=%s range=%s\n", ap.Address, s(ap.Name), s(ap.ARN), s(ap.BucketRef), bucket, pol, s(ap.VpcID), r(ap.Range))
		fmt.Fprintf(&b, "  %s\n", bpaLine(ap.PublicAccessBlock))
	}
	for _, d := range g.Diagnostics {
		fmt.Fprintf(&b, "diag %s %s %s %s\n", d.Severity, rel(d.File), r(d.Range), d.Message)
	}
	return b.String()
}

// span is the position of the n-th (1-based) occurrence of needle in src as
// L:C-L:C, with columns counted in characters: what the loader should
// report for text written at that place.
func span(t testing.TB, src, needle string, n int) string {
	t.Helper()
	off := -1
	for i, from := 0, 0; i < n; i++ {
		j := strings.Index(src[from:], needle)
		if j < 0 {
			t.Fatalf("occurrence %d of %q not in the source", n, needle)
		}
		off = from + j
		from = off + 1
	}
	return offPos(src, off) + "-" + offPos(src, off+len(needle))
}

// at is span of the first occurrence, which must be the only one.
func at(t testing.TB, src, needle string) string {
	t.Helper()
	if c := strings.Count(src, needle); c != 1 {
		t.Fatalf("%q occurs %d times in the source, want once", needle, c)
	}
	return span(t, src, needle, 1)
}

// startOf is the L:C where the only occurrence of needle starts.
func startOf(t testing.TB, src, needle string) string {
	t.Helper()
	s, _, _ := strings.Cut(at(t, src, needle), "-")
	return s
}

func offPos(src string, off int) string {
	line := 1 + strings.Count(src[:off], "\n")
	ls := strings.LastIndex(src[:off], "\n") + 1
	return fmt.Sprintf("%d:%d", line, utf8.RuneCountInString(src[ls:off])+1)
}

// bv formats a located boolean as value@L:C-L:C, default(value)@… or ?@….
func bv(b graph.Bool) string {
	v := fmt.Sprint(b.V)
	switch b.Origin {
	case graph.Unknown:
		v = "?"
	case graph.Default:
		v = "default(" + v + ")"
	}
	return v + "@" + pos(b.Range)
}

// bpaLine formats a Block Public Access configuration on one line.
func bpaLine(p *graph.PublicAccessBlock) string {
	if p == nil {
		return "bpa <nil>"
	}
	return fmt.Sprintf("bpa by %s at %s: BlockPublicAcls=%s IgnorePublicAcls=%s BlockPublicPolicy=%s RestrictPublicBuckets=%s",
		p.Address, pos(p.Range), bv(p.BlockPublicAcls), bv(p.IgnorePublicAcls), bv(p.BlockPublicPolicy), bv(p.RestrictPublicBuckets))
}

// settingLines formats the settings of a bucket, one per line; settings
// that are not declared are left out.
func settingLines(b *graph.Bucket) []string {
	var out []string
	if b.PublicAccessBlock != nil {
		out = append(out, bpaLine(b.PublicAccessBlock))
	}
	if o := b.Ownership; o != nil {
		out = append(out, fmt.Sprintf("ownership by %s at %s: %s", o.Address, pos(o.Range), sv(o.Rule)))
	}
	for _, acl := range b.ACLs {
		out = append(out, fmt.Sprintf("acl by %s at %s: %s grants=%d", acl.Address, pos(acl.Range), sv(acl.Canned), len(acl.Grants)))
	}
	if v := b.Versioning; v != nil {
		out = append(out, fmt.Sprintf("versioning by %s at %s: status=%s mfa=%s", v.Address, pos(v.Range), sv(v.Status), bv(v.MFADelete)))
	}
	if e := b.Encryption; e != nil {
		key := "<none>"
		if e.Key != nil {
			key = e.Key.Address
		}
		out = append(out, fmt.Sprintf("encryption by %s at %s: algorithm=%s key_id=%s key=%s bucket_key=%s", e.Address, pos(e.Range), sv(e.Algorithm), sv(e.KeyID), key, bv(e.BucketKey)))
	}
	if lc := b.Lifecycle; lc != nil {
		out = append(out, fmt.Sprintf("lifecycle by %s at %s", lc.Address, pos(lc.Range)))
	}
	return out
}
