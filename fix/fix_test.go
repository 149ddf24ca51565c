package fix

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// edit replaces bytes [s, e) of file, which hold old, with updated.
func edit(file string, s, e int, old, updated string) rules.Edit {
	return rules.Edit{Range: graph.Range{File: file, Start: graph.Pos{Byte: s}, End: graph.Pos{Byte: e}}, Old: old, New: updated}
}

func finding(id string, edits ...rules.Edit) rules.Finding {
	return rules.Finding{RuleID: id, Fix: &rules.Fix{Description: id, Edits: edits}}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o640); err != nil {
		t.Fatal(err)
	}
}

func TestPrepareAndWrite(t *testing.T) {
	root := t.TempDir()
	a := filepath.Join(root, "a.tf")
	write(t, a, "one two three\n")
	outside := filepath.Join(t.TempDir(), "b.tf")
	write(t, outside, "one\n")
	link := filepath.Join(root, "link.tf")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	fs := []rules.Finding{
		finding("A", edit(a, 4, 7, "two", "2")),
		finding("dup", edit(a, 4, 7, "two", "2")),                            // the same edit: counted once
		finding("overlap", edit(a, 5, 9, "wo t", "x")),                       // overlaps A
		finding("insert-at-edge", edit(a, 7, 7, "", "!")),                    // inserts where A ends
		finding("changed", edit(a, 0, 3, "uno", "1")),                        // the file no longer holds it
		finding("outside", edit(outside, 0, 3, "one", "1")),                  // outside the root
		finding("link", edit(link, 0, 3, "one", "1")),                        // a symbolic link
		finding("B", edit(a, 8, 13, "three", "3"), edit(a, 14, 14, "", "x")), // two edits, one at the end
		{RuleID: "none"},
	}
	plan := Prepare(fs, []string{root})
	var fixed, skipped []string
	for _, f := range plan.Fixed {
		fixed = append(fixed, f.RuleID)
	}
	for _, s := range plan.Skipped {
		skipped = append(skipped, s.Finding.RuleID+": "+s.Reason)
	}
	if got := strings.Join(fixed, " "); got != "A dup B" {
		t.Errorf("fixed %q, want A dup B", got)
	}
	wantSkipped := []string{
		"overlap: its edit overlaps the fix of another finding; run s3lint fix again",
		"insert-at-edge: its edit overlaps the fix of another finding; run s3lint fix again",
		"changed: " + a + " has changed since it was scanned",
		"outside: " + outside + " lies outside the scan root; s3lint fix writes only inside it",
		"link: " + link + " is a symbolic link; s3lint fix does not rewrite it",
	}
	if got, want := strings.Join(skipped, "\n"), strings.Join(wantSkipped, "\n"); got != want {
		t.Errorf("skipped:\n%s\nwant:\n%s", got, want)
	}
	if len(plan.Files) != 1 || string(plan.Files[0].New) != "one 2 3\nx" {
		t.Fatalf("files %+v", plan.Files)
	}
	var diff bytes.Buffer
	if err := plan.WriteDiff(&diff); err != nil {
		t.Fatal(err)
	}
	name := filepath.ToSlash(a)
	wantDiff := "--- " + name + "\n+++ " + name + "\n@@ -1 +1,2 @@\n-one two three\n+one 2 3\n+x\n\\ No newline at end of file\n"
	if diff.String() != wantDiff {
		t.Errorf("diff:\n%s\nwant:\n%s", diff.String(), wantDiff)
	}
	if b, _ := os.ReadFile(a); string(b) != "one two three\n" {
		t.Fatalf("Prepare wrote %q", b)
	}
	if err := plan.Write(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(a); string(b) != "one 2 3\nx" {
		t.Errorf("written %q", b)
	}
	if info, _ := os.Stat(a); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", info.Mode().Perm())
	}
	if b, _ := os.ReadFile(outside); string(b) != "one\n" {
		t.Errorf("a file outside the root was written: %q", b)
	}
	left, _ := os.ReadDir(root)
	if len(left) != 2 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestDiffHunks(t *testing.T) {
	var old, updated strings.Builder
	for i := 1; i <= 20; i++ {
		line := strings.Repeat("x", i) + "\n"
		old.WriteString(line)
		switch i {
		case 2:
			updated.WriteString("two\n")
		case 15:
			updated.WriteString(line + "after 15\n")
		default:
			updated.WriteString(line)
		}
	}
	var b bytes.Buffer
	if err := writeFileDiff(&b, "f.tf", []byte(old.String()), []byte(updated.String())); err != nil {
		t.Fatal(err)
	}
	want := `--- a/f.tf
+++ b/f.tf
@@ -1,5 +1,5 @@
 x
-xx
+two
 xxx
 xxxx
 xxxxx
@@ -13,6 +13,7 @@
 xxxxxxxxxxxxx
 xxxxxxxxxxxxxx
 xxxxxxxxxxxxxxx
+after 15
 xxxxxxxxxxxxxxxx
 xxxxxxxxxxxxxxxxx
 xxxxxxxxxxxxxxxxxx
`
	if b.String() != want {
		t.Errorf("diff:\n%s\nwant:\n%s", b.String(), want)
	}
}
