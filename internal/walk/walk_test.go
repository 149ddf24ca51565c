package walk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tree builds files ("name": content) and symbolic links ("name": "-> target")
// under dir.
func tree(t *testing.T, dir string, entries map[string]string) {
	t.Helper()
	for name, content := range entries {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(content, "-> "); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func isTF(name string) bool { return strings.HasSuffix(name, ".tf") }

func TestWalkConfinesLinks(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"secret.tf":              "outside the root",
		"root/main.tf":           "",
		"root/.terraform/m/x.tf": "",
		"root/shared.tf":         "-> main.tf",               // inside: read, under its own name
		"root/env/providers.tf":  "-> ../main.tf",            // inside, from a subdirectory
		"root/steal.tf":          "-> ../secret.tf",          // outside: noted
		"root/abs.tf":            "-> " + dir + "/secret.tf", // outside, absolute
		"root/loop.tf":           "-> loop.tf",               // a loop of one
		"root/a.tf":              "-> b.tf",                  // a loop of two
		"root/b.tf":              "-> a.tf",
		"root/gone.tf":           "-> nowhere.tf",
		"root/dir.tf":            "-> env",          // a directory named like a file
		"root/env/up":            "-> ..",           // a directory loop: never entered
		"root/env/out":           "-> ../..",        // a directory outside: never entered
		"root/notes.md":          "-> ../secret.tf", // not wanted: silent
	})
	root := filepath.Join(dir, "root")
	res := Walk(Options{Paths: []string{root}, Want: isTF, SkipDirs: map[string]bool{".terraform": true}})
	rel := func(p string) string { r, _ := filepath.Rel(dir, p); return filepath.ToSlash(r) }
	var files []string
	for _, f := range res.Files {
		files = append(files, rel(f))
	}
	if diff := cmp.Diff([]string{"root/env/providers.tf", "root/main.tf", "root/shared.tf"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	var notes []string
	for _, d := range res.Skipped {
		notes = append(notes, rel(d.File)+": "+strings.ReplaceAll(d.Message, dir, "$DIR"))
	}
	want := []string{
		"root/a.tf: symbolic link that cannot be followed (too many levels of symbolic links); not read",
		"root/abs.tf: symbolic link to $DIR/secret.tf, outside the scan root; not read",
		"root/b.tf: symbolic link that cannot be followed (too many levels of symbolic links); not read",
		"root/dir.tf: symbolic link to env, which is not a file; not read",
		"root/gone.tf: symbolic link that cannot be followed (no such file or directory); not read",
		"root/loop.tf: symbolic link that cannot be followed (too many levels of symbolic links); not read",
		"root/steal.tf: symbolic link to ../secret.tf, outside the scan root; not read",
	}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if len(res.Unreadable) != 0 {
		t.Errorf("unreadable: %+v", res.Unreadable)
	}
}

// A link from one named directory into another is inside the scan: both are
// roots. A file named on the command line is read even through a link.
func TestWalkSeveralRoots(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"a/main.tf":    "-> ../b/real.tf",
		"b/real.tf":    "",
		"c/named.tf":   "-> ../elsewhere.tf",
		"elsewhere.tf": "",
	})
	res := Walk(Options{Paths: []string{filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c", "named.tf"), filepath.Join(dir, "missing")}, Want: isTF})
	if len(res.Files) != 3 || len(res.Skipped) != 0 {
		t.Errorf("files %v, skipped %+v", res.Files, res.Skipped)
	}
	if len(res.Unreadable) != 1 || res.Unreadable[0].Message != "cannot read: no such file or directory" {
		t.Errorf("unreadable: %+v", res.Unreadable)
	}
	if !res.Roots.Contains(filepath.Join(dir, "b", "real.tf")) || res.Roots.Contains(filepath.Join(dir, "elsewhere.tf")) {
		t.Errorf("roots %v", res.Roots)
	}
	// A path that only looks inside, by name.
	if res.Roots.Contains(filepath.Join(dir, "a", "..", "elsewhere.tf")) || res.Roots.Contains(dir+"/a-sibling") {
		t.Errorf("roots %v contain a sibling", res.Roots)
	}
}
