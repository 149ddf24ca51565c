package synth

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Defect is one planted defect: the finding s3lint must report.
type Defect struct {
	Rule string `json:"rule"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// Expected is the content of expected.json.
type Expected struct {
	Count   int      `json:"count"`
	Defects []Defect `json:"defects"`
}

// File is one generated file, built line by line.
type File struct {
	Path  string
	Kind  string // tf, cfn-yaml, cfn-json, sam, noise
	b     strings.Builder
	line  int
	marks []Defect
}

// L appends one line (a format and its arguments).
func (f *File) L(format string, a ...any) {
	s := format
	if len(a) > 0 {
		s = fmt.Sprintf(format, a...)
	}
	f.b.WriteString(s)
	f.b.WriteByte('\n')
	f.line += 1 + strings.Count(s, "\n")
}

// Mark records a defect of rule on the last line written.
func (f *File) Mark(rule string) {
	f.marks = append(f.marks, Defect{Rule: rule, File: f.Path, Line: f.line})
}

// Repo is a generated repository.
type Repo struct {
	Files []*File
	rng   *rand.Rand
}

func (r *Repo) newFile(path, kind string) *File {
	f := &File{Path: path, Kind: kind}
	r.Files = append(r.Files, f)
	return f
}

// Defects are the planted defects, sorted by file, line and rule.
func (r *Repo) Defects() []Defect {
	var ds []Defect
	for _, f := range r.Files {
		ds = append(ds, f.marks...)
	}
	SortDefects(ds)
	return ds
}

// SortDefects sorts by file, line, rule.
func SortDefects(ds []Defect) {
	sort.Slice(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Rule < b.Rule
	})
}

// ExpectedJSON is the content of expected.json.
func (r *Repo) ExpectedJSON() []byte {
	ds := r.Defects()
	if ds == nil {
		ds = []Defect{}
	}
	b, _ := json.MarshalIndent(Expected{Count: len(ds), Defects: ds}, "", "  ")
	return append(b, '\n')
}

// Write writes the repository under dir.
func (r *Repo) Write(dir string) error {
	for _, f := range r.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(f.b.String()), 0o644); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "expected.json"), r.ExpectedJSON(), 0o644)
}

// Mix counts files by kind.
func (r *Repo) Mix() string {
	m := r.kindCounts()
	return fmt.Sprintf("tf %d, cfn-yaml %d, cfn-json %d, sam %d, noise %d", m["tf"], m["cfn-yaml"], m["cfn-json"], m["sam"], m["noise"]+1)
}

func (r *Repo) kindCounts() map[string]int {
	m := map[string]int{}
	for _, f := range r.Files {
		m[f.Kind]++
	}
	return m
}

// DefectSummary counts planted defects by rule.
func (r *Repo) DefectSummary() string {
	m := map[string]int{}
	for _, d := range r.Defects() {
		m[d.Rule]++
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func (r *Repo) pick(xs []string) string { return xs[r.rng.IntN(len(xs))] }
func (r *Repo) chance(p float64) bool   { return r.rng.Float64() < p }

// subset picks between lo and hi distinct elements of xs, in xs's order.
func (r *Repo) subset(xs []string, lo, hi int) []string {
	n := lo + r.rng.IntN(hi-lo+1)
	perm := r.rng.Perm(len(xs))[:n]
	sort.Ints(perm)
	out := make([]string, n)
	for i, p := range perm {
		out[i] = xs[p]
	}
	return out
}
