package walk

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadCandidate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	looksLike := func(b []byte) bool { return strings.HasPrefix(string(b), "TEMPLATE") }
	small := write("small.yaml", "TEMPLATE x")
	big := write("big.yaml", "TEMPLATE "+strings.Repeat("x", 2000))
	other := write("other.yaml", "something else "+strings.Repeat("x", 2000))
	empty := write("empty.yaml", "")
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		want       string // the bytes, or "nil"
		diag       string
	}{
		{"small", small, "TEMPLATE x", ""},
		{"over the limit and an input", big, "nil", "file is 2.0 KiB, over the 1 KiB limit (--max-file-size); not read"},
		{"over the limit and something else", other, "nil", ""},
		{"empty", empty, "", ""},
		{"a pipe is never opened", fifo, "nil", ""},
		{"a directory", dir, "nil", ""},
		{"missing", filepath.Join(dir, "missing.yaml"), "nil", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, d := ReadCandidate(c.path, 1024, looksLike)
			got := string(b)
			if b == nil {
				got = "nil"
			}
			if got != c.want {
				t.Errorf("bytes %q, want %q", got, c.want)
			}
			switch {
			case c.diag == "" && d != nil:
				t.Errorf("diagnostic %q, want none", d.Message)
			case c.diag != "" && (d == nil || d.Message != c.diag || d.File != c.path):
				t.Errorf("diagnostic %+v, want %q on %s", d, c.diag, c.path)
			}
		})
	}
}
