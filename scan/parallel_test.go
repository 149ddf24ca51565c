package scan

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// The corpus of TestParallelDeterminism: every input the repository holds.
// (bench/internal/synth cannot be imported from here: Go's internal rule
// limits it to packages under bench/.) Each is copied parallelCopies()
// times, under a directory of its own, so that the scan reads over 600
// files and the copies' equal bucket, key and policy names meet in one
// graph.
var parallelCorpus = []struct{ src, dst string }{
	{"../fixtures", "fixtures"},
	{"../examples", "examples"},
	{"../parsers/internal/jsonpos/testdata", "jsonpos"},
	{"../parsers/tfplan/testdata", "tfplan"},
	{"../parsers/cloudformation/testdata", "cloudformation"},
	// Broken input: its diagnostics must be as deterministic as findings.
	{"../testdata/bad", "bad"},
}

// rootDependent are inputs whose diagnostics rightly depend on the scan
// roots (a module source that leaves a root), which the reverse-order run
// changes.
var rootDependent = map[string]bool{"../testdata/bad/tf-module-outside-root": true}

// parallelCopies is 3, or 1 under the race detector: the scan's time grows
// faster than the corpus (the policy engine weighs every principal against
// every bucket), and three copies take over 15 s with -race, one about 6 s.
func parallelCopies() int {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				return 1
			}
		}
	}
	return 3
}

// parallelSuppress is added to every copy so that the scan also suppresses
// findings (a comment, template Metadata) and reports on suppressions
// (an expired one, an unknown rule, one on a line with no finding), which
// the repository's inputs hardly do.
var parallelSuppress = map[string]string{
	"suppress/tf/main.tf": `# s3lint:ignore S3L010 the reader is fixed upstream
resource "aws_iam_policy" "ignored" {
  name   = "ignored"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::fixed" }] })
}

# s3lint:ignore S3L010 exp:2020-01-01 expired long ago
resource "aws_iam_policy" "expired" {
  name   = "expired"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::fixed" }] })
}

# s3lint:ignore S3L999 no such rule
resource "aws_iam_policy" "unknown" {
  name   = "unknown"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::fixed/*" }] })
}
`,
	"suppress/cfn/stack.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reader:
    Type: AWS::IAM::Policy
    Metadata:
      s3lint:
        ignore:
          - id: S3L011
            reason: listing is done by another role
    Properties:
      PolicyName: reader
      Roles: [reader]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject # s3lint:ignore S3L010 checked by hand
            Resource: arn:aws:s3:::fixed
          - Effect: Allow
            Action: s3:ListBucket
            Resource: arn:aws:s3:::fixed/*
`,
}

// TestParallelDeterminism scans a corpus of a few hundred files with
// GOMAXPROCS 1, 2 and 8, twice each, and requires the same findings,
// suppressed findings and diagnostics, byte for byte, from every run; then
// scans it again with its directories named one by one in reverse order,
// and requires the same again.
func TestParallelDeterminism(t *testing.T) {
	root := copyParallelCorpus(t)
	now := func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	scanPaths := func(paths []string) string {
		res := Run(Options{Paths: paths, Rules: rules.All(), SrcRoot: root, Now: now,
			KnownRule: func(id string) bool { return id != "S3L999" }})
		return renderResult(t, root, res)
	}

	var want, wantRun string
	procs0 := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs0)
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		for i := range 2 {
			run := fmt.Sprintf("GOMAXPROCS=%d run %d", procs, i+1)
			start := time.Now()
			got := scanPaths([]string{root})
			t.Logf("%s: %v", run, time.Since(start).Round(time.Millisecond))
			if want == "" {
				want, wantRun = got, run
				checkNotTrivial(t, want)
				continue
			}
			if got != want {
				t.Errorf("%s differs from %s:\n%s", run, wantRun, firstDiff(want, got))
			}
		}
	}
	runtime.GOMAXPROCS(procs0)

	// The same files, named as separate paths in reverse order: the loaders
	// walk, de-duplicate and sort them, so nothing may change, not even the
	// diagnostics.
	dirs := corpusDirs(t, root)
	slices.Reverse(dirs)
	run := fmt.Sprintf("GOMAXPROCS=%d, %d paths in reverse order", procs0, len(dirs))
	start := time.Now()
	got := scanPaths(dirs)
	t.Logf("%s: %v", run, time.Since(start).Round(time.Millisecond))
	if got != want {
		t.Errorf("%s differs from %s:\n%s", run, wantRun, firstDiff(want, got))
	}
}

// copyParallelCorpus copies the corpus into a temporary directory, as
// c<copy>/<name>/…, and adds the suppression files; it returns the
// directory.
func copyParallelCorpus(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	n, copies := 0, parallelCopies()
	for c := range copies {
		top := filepath.Join(root, fmt.Sprintf("c%d", c))
		for _, in := range parallelCorpus {
			dst := filepath.Join(top, in.dst)
			err := filepath.WalkDir(in.src, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				rel, err := filepath.Rel(in.src, path)
				if err != nil {
					return err
				}
				if d.IsDir() {
					if rootDependent[filepath.ToSlash(path)] {
						return filepath.SkipDir
					}
					return os.MkdirAll(filepath.Join(dst, rel), 0o755)
				}
				if !d.Type().IsRegular() || !strings.Contains(rel, string(filepath.Separator)) {
					// Files beside the inputs' directories (the bad
					// corpus's goldens and README) are not inputs.
					return nil
				}
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				n++
				return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for name, content := range parallelSuppress {
			p := filepath.Join(top, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n < 200*copies {
		t.Fatalf("the corpus has only %d files", n)
	}
	t.Logf("corpus: %d copies, %d files", copies, n)
	return root
}

// corpusDirs lists the directories two levels below root
// (c<copy>/<name>/<dir>), which together hold every file of the corpus.
func corpusDirs(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	tops, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, top := range tops {
		names, err := os.ReadDir(filepath.Join(root, top.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			entries, err := os.ReadDir(filepath.Join(root, top.Name(), name.Name()))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				p := filepath.Join(root, top.Name(), name.Name(), e.Name())
				if !e.IsDir() {
					t.Fatalf("%s would be left out of the separate paths", p)
				}
				dirs = append(dirs, p)
			}
		}
	}
	if len(dirs) < 20 {
		t.Fatalf("only %d directories", len(dirs))
	}
	return dirs
}

// renderResult writes a scan's result as text, with every field that
// output formats show, and file names relative to root.
func renderResult(t *testing.T, root string, res *Result) string {
	t.Helper()
	rel := func(file string) string {
		if file == "" {
			return ""
		}
		r, err := filepath.Rel(root, file)
		if err != nil || strings.HasPrefix(r, "..") {
			t.Errorf("file %q is outside the corpus", file)
			return file
		}
		return filepath.ToSlash(r)
	}
	rng := func(r graph.Range) string {
		return fmt.Sprintf("%s:%d:%d(%d)-%d:%d(%d)", rel(r.File),
			r.Start.Line, r.Start.Col, r.Start.Byte, r.End.Line, r.End.Col, r.End.Byte)
	}
	var b strings.Builder
	finding := func(kind string, f rules.Finding) {
		fmt.Fprintf(&b, "%s %s %s %s %q resource=%q fingerprint=%s\n", kind, f.RuleID, f.Severity, rng(f.Range),
			f.Message, f.Resource, f.Fingerprint)
		for _, r := range f.Related {
			fmt.Fprintf(&b, "  related %s %q\n", rng(r.Range), r.Message)
		}
	}
	for _, f := range res.Findings {
		finding("finding", f)
	}
	for _, s := range res.Suppressed {
		finding("suppressed", s.Finding)
		fmt.Fprintf(&b, "  by %s %s %q\n", s.Suppression.Kind, rng(s.Suppression.Range), s.Suppression.Justification)
	}
	for _, d := range res.Diagnostics {
		fmt.Fprintf(&b, "diagnostic %s file=%s %s %q\n", d.Severity, rel(d.File), rng(d.Range), d.Message)
	}
	return b.String()
}

// checkNotTrivial requires that the corpus gave something of every kind.
func checkNotTrivial(t *testing.T, text string) {
	t.Helper()
	count := map[string]int{}
	for _, line := range strings.Split(text, "\n") {
		if kind, _, ok := strings.Cut(line, " "); ok {
			count[kind]++
		}
	}
	t.Logf("%d findings, %d suppressed, %d diagnostics", count["finding"], count["suppressed"], count["diagnostic"])
	if count["finding"] < 100 || count["suppressed"] == 0 || count["diagnostic"] == 0 {
		t.Fatalf("the scan found too little:\n%s", text)
	}
}

// firstDiff shows where two renderings part, with a little context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d lines vs %d; first difference at line %d:\n", len(w), len(g), i+1)
	for j := max(0, i-2); j < i+8; j++ {
		var wl, gl string
		if j < len(w) {
			wl = w[j]
		}
		if j < len(g) {
			gl = g[j]
		}
		if wl == gl {
			fmt.Fprintf(&b, "   %s\n", wl)
		} else {
			fmt.Fprintf(&b, "-  %s\n+  %s\n", wl, gl)
		}
	}
	return b.String()
}
