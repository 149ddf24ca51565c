package policyfile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/policyfile"
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

// loaded is a graph with the directory it was loaded from.
type loaded struct {
	*graph.Graph
	t   testing.TB
	dir string
}

func load(t testing.TB, files tree, lim limits.Limits, paths ...string) *loaded {
	t.Helper()
	dir := writeTree(t, files)
	if len(paths) == 0 {
		paths = []string{dir}
	} else {
		for i, p := range paths {
			paths[i] = dir + "/" + p
		}
	}
	g := policyfile.Load(policyfile.Options{Paths: paths, Limits: lim})
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("%s: %s\n%s", d.File, d.Message, d.Detail)
		}
	}
	return &loaded{Graph: g, t: t, dir: dir}
}

// rel makes a file name relative to the loaded directory.
func (l *loaded) rel(file string) string { return strings.TrimPrefix(file, l.dir+"/") }

// files lists the files whose documents were loaded, sorted.
func (l *loaded) files() []string {
	var out []string
	for _, p := range l.Policies {
		out = append(out, l.rel(p.Range.File))
	}
	sort.Strings(out)
	return out
}

// diags renders the diagnostics as "severity file[:line:col] message".
func (l *loaded) diags() []string {
	var out []string
	for _, d := range l.Diagnostics {
		file := d.File
		if d.Range.File != "" {
			file = d.Range.File
		}
		where := l.rel(file)
		if !d.Range.IsZero() {
			where += fmt.Sprintf(":%d:%d", d.Range.Start.Line, d.Range.Start.Col)
		}
		out = append(out, d.Severity.String()+" "+where+" "+d.Message)
	}
	return out
}

func eq(a, b []string) bool {
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
