package walk

import (
	"errors"
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
		{"a pipe is not waited for", fifo, "nil", ""},
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

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	body := strings.Repeat("resource \"aws_s3_bucket\" \"b\" {}\n", 100)
	file := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.tf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}

	if b, err := ReadRegular(file, int64(len(body))); err != nil || string(b) != body {
		t.Errorf("at the limit: %d bytes, %v; want the file", len(b), err)
	}
	_, err := ReadRegular(file, int64(len(body))-1)
	var tooLarge *TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Size != int64(len(body)) ||
		err.Error() != "file is 3200 bytes, over the 3.1 KiB limit (--max-file-size); not read" {
		t.Errorf("over the limit: %v", err)
	}
	// A named pipe is opened without waiting for a writer, and not read.
	if _, err := ReadRegular(fifo, 1<<20); !errors.Is(err, ErrNotRegular) || err.Error() != fifo+" is not a regular file" {
		t.Errorf("pipe: %v", err)
	}
	if _, err := ReadRegular(dir, 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Errorf("directory: %v", err)
	}
	if _, err := ReadRegular(filepath.Join(dir, "missing.tf"), 1<<20); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	// A file whose size the system reports as 0 is read to its end.
	if b, err := ReadRegular("/proc/self/status", 1<<20); err == nil && !strings.Contains(string(b), "Name:") {
		t.Errorf("/proc/self/status read as %q", b)
	}
}
