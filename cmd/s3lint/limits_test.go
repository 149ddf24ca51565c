package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command that loads takes the limit flags, and a value that is not
// a positive number is a usage error (exit 2) naming the flag.
func TestLimitFlagsRejectGarbage(t *testing.T) {
	commands := map[string][]string{
		"scan":           {"scan"},
		"explain":        {"explain", "-p", "anonymous", "-a", "s3:GetObject", "-r", "arn:aws:s3:::b/k"},
		"access":         {"access"},
		"baseline write": {"baseline", "write", filepath.Join(t.TempDir(), "b.json")},
	}
	cases := []struct {
		flag, value, want string
	}{
		{"--max-file-size", "12x", `s3lint: --max-file-size: "12x" is not a size (want bytes, optionally with KiB, MiB, GiB, KB or MB, e.g. 64MiB)`},
		{"--max-file-size", "0", `s3lint: --max-file-size: "0": the size must be positive`},
		{"--max-file-size", "-1MiB", `s3lint: --max-file-size: "-1MiB": the size must be positive`},
		{"--max-nesting", "0", "s3lint: --max-nesting: 0: must be positive"},
		{"--max-instances", "-3", "s3lint: --max-instances: -3: must be positive"},
		{"--max-module-depth", "0", "s3lint: --max-module-depth: 0: must be positive"},
		{"--file-timeout", "0s", "s3lint: --file-timeout: 0s: must be positive"},
		{"--file-timeout", "-1m", "s3lint: --file-timeout: -1m0s: must be positive"},
		{"--max-nesting", "many", `invalid argument "many" for "--max-nesting"`},
		{"--file-timeout", "30", `invalid argument "30" for "--file-timeout"`},
	}
	dir := t.TempDir()
	for name, cmd := range commands {
		for _, c := range cases {
			args := append(append(append([]string(nil), cmd...), c.flag, c.value), dir)
			code, _, stderr := cli(t, args...)
			if code != exitError || !strings.Contains(stderr, c.want) {
				t.Errorf("%s %s %s: exit %d, stderr %q; want exit 2 and %q", name, c.flag, c.value, code, stderr, c.want)
			}
		}
	}
}

// The limits given reach the loaders: a file over --max-file-size is an
// input error (exit 2) with the flag's name, and the rest is scanned.
func TestLimitFlagsApply(t *testing.T) {
	dir := t.TempDir()
	big := "# " + strings.Repeat("x", 3500) + "\nresource \"aws_s3_bucket\" \"b\" {}\n"
	deep := "locals {\n  a = " + strings.Repeat("[", 20) + strings.Repeat("]", 20) + "\n}\n"
	for name, body := range map[string]string{"big/main.tf": big, "deep/main.tf": deep, "ok/main.tf": "resource \"aws_s3_bucket\" \"ok\" {}\n"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := cli(t, "scan", "--max-file-size", "2KiB", "--max-nesting", "10", dir)
	// locals { is the first level: the 10th [ is the 11th, at 2:16.
	for _, want := range []string{
		filepath.ToSlash(filepath.Join(dir, "big/main.tf")) + ": error: file is 3.5 KiB, over the 2 KiB limit (--max-file-size); not read",
		filepath.ToSlash(filepath.Join(dir, "deep/main.tf")) + ":2:16: error: nesting deeper than 10 levels (--max-nesting); the file is not read",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitError {
		t.Errorf("exit %d, want 2", code)
	}
	// The defaults read both.
	if code, _, stderr := cli(t, "scan", dir); code == exitError {
		t.Errorf("default limits: exit 2\n%s", stderr)
	}
}
