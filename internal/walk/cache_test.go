package walk

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func names(t *testing.T, c *Cache, dir string) []string {
	t.Helper()
	entries, err := c.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestCacheReadsEachDirectoryOnce: a scan sees one listing of a directory,
// however many loaders ask and however the path is written; without a
// cache, every read goes to the disk.
func TestCacheReadsEachDirectoryOnce(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.tf": "", "sub/b.tf": ""})
	c := &Cache{}
	first := names(t, c, dir)
	tree(t, dir, map[string]string{"c.tf": ""})
	if got := names(t, c, dir+"/sub/.."); !cmp.Equal(got, first) {
		t.Errorf("second read %v, want the first listing %v", got, first)
	}
	if got, want := names(t, nil, dir), []string{"a.tf", "c.tf", "sub"}; !cmp.Equal(got, want) {
		t.Errorf("without a cache %v, want %v", got, want)
	}
	if _, err := c.ReadDir(filepath.Join(dir, "a.tf")); err == nil {
		t.Error("a file listed as a directory")
	}
	if _, err := c.ReadDir(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("missing directory: %v", err)
	}
}

// TestCacheResolvesEachPathOnce: a module source's real path is resolved
// once per scan.
func TestCacheResolvesEachPathOnce(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"real/main.tf": "", "other/main.tf": "", "link": "-> real"})
	c := &Cache{}
	link := filepath.Join(dir, "link")
	first, err := c.RealPath(link)
	if err != nil || filepath.Base(first) != "real" {
		t.Fatalf("RealPath = %q, %v", first, err)
	}
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	tree(t, dir, map[string]string{"link": "-> other"})
	if got, _ := c.RealPath(link); got != first {
		t.Errorf("second resolution %q, want the first %q", got, first)
	}
	if got, _ := RealPath(link); filepath.Base(got) != "other" {
		t.Errorf("uncached resolution %q", got)
	}
}

// TestWalkWithCacheIsWalkWithout: the cache changes how often the disk is
// read, never what a walk finds, including links, skipped and excluded
// directories, several roots and a root that does not exist.
func TestWalkWithCacheIsWalkWithout(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"secret.tf":              "",
		"root/main.tf":           "",
		"root/.terraform/m/x.tf": "",
		"root/env/prod/main.tf":  "",
		"root/env/dev/main.tf":   "",
		"root/env/up":            "-> ..",
		"root/steal.tf":          "-> ../secret.tf",
		"root/shared.tf":         "-> main.tf",
		"root/skip/x.tf":         "",
		"root/z/deep/er/y.tf":    "",
		"other/o.tf":             "",
	})
	opts := Options{
		Paths: []string{filepath.Join(dir, "root"), filepath.Join(dir, "other", "o.tf"), filepath.Join(dir, "nowhere")},
		Want:  isTF, SkipDirs: map[string]bool{".terraform": true},
		Exclude: func(p string) bool { return filepath.Base(p) == "skip" },
	}
	want := Walk(opts)
	c := &Cache{}
	opts.Cache = c
	for range 2 { // the second walk reads nothing from disk
		got := Walk(opts)
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Roots{})); diff != "" {
			t.Errorf("walk with a cache differs (-without +with):\n%s", diff)
		}
		if !sort.StringsAreSorted(got.Files) || len(got.Files) != 6 {
			t.Errorf("files %v", got.Files)
		}
	}
}
