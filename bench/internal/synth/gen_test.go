package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

// TestFindingsMatchExpected scans a generated repository in-process: the
// findings must be exactly the planted defects, with no diagnostics.
func TestFindingsMatchExpected(t *testing.T) {
	dir := t.TempDir()
	repo := Generate(300, 1)
	if err := repo.Write(dir); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n != 300 {
		t.Errorf("wrote %d files, want 300", n)
	}
	want := repo.Defects()
	seen := map[string]bool{}
	for _, d := range want {
		seen[d.Rule] = true
	}
	for _, r := range []string{"S3L010", "S3L011", "S3L013", "S3L040", "S3L080"} {
		if !seen[r] {
			t.Errorf("no %s defect planted", r)
		}
	}

	res := scan.Run(scan.Options{Paths: []string{dir}, Rules: rules.All(), SrcRoot: dir})
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %s %s: %s", d.File, d.Range.File, d.Message)
	}
	var got []Defect
	for _, f := range res.Findings {
		rel, err := filepath.Rel(dir, f.Range.File)
		if err != nil {
			rel = f.Range.File
		}
		got = append(got, Defect{Rule: f.RuleID, File: filepath.ToSlash(rel), Line: f.Range.Start.Line})
	}
	SortDefects(got)
	key := func(d Defect) string { return d.Rule + " " + d.File + ":" + strconv.Itoa(d.Line) }
	wantSet, gotSet := map[string]int{}, map[string]int{}
	for _, d := range want {
		wantSet[key(d)]++
	}
	for _, d := range got {
		gotSet[key(d)]++
	}
	for k, c := range gotSet {
		if wantSet[k] != c {
			t.Errorf("unexpected finding %s (×%d, want ×%d)", k, c, wantSet[k])
		}
	}
	for k, c := range wantSet {
		if gotSet[k] != c {
			t.Errorf("missing finding %s (×%d, got ×%d)", k, c, gotSet[k])
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d", len(got), len(want))
	}
	t.Logf("%d files, %d planted defects, %d findings", n, len(want), len(got))
}

// TestDeterministic generates twice with one seed: the trees must be
// byte-identical; another seed must differ.
func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Generate(300, 7).Write(a); err != nil {
		t.Fatal(err)
	}
	if err := Generate(300, 7).Write(b); err != nil {
		t.Fatal(err)
	}
	files := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(a, p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			t.Errorf("%s: only in the first tree", rel)
			return nil
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	other := 0
	_ = filepath.WalkDir(b, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			other++
		}
		return err
	})
	if files != other {
		t.Errorf("%d files vs %d", files, other)
	}
	if content(Generate(300, 7)) == content(Generate(300, 8)) {
		t.Errorf("seeds 7 and 8 generate the same repository")
	}
}

func content(r *Repo) string {
	var b bytes.Buffer
	for _, f := range r.Files {
		b.WriteString(f.Path + "\n" + f.b.String())
	}
	return b.String()
}
