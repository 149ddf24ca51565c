package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/golden"
	"github.com/s3lint/s3lint/rules"
)

// fixProject copies two fix fixtures (one with a finding that has no fix)
// into a temporary directory and makes it the working directory, so that
// the output names relative paths.
func fixProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"S3L010-tf", "S3L043-tf"} {
		src := filepath.Join("..", "..", "fixtures", "fix", name, "main.tf")
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name, "main.tf"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFixDryRun(t *testing.T) {
	goldenDir, _ := filepath.Abs("testdata")
	dir := fixProject(t)
	before := readTree(t, dir)
	code, out, errOut := cli(t, "fix", "--dry-run", "--no-config", ".")
	if code != exitFindings {
		t.Errorf("exit code %d, want %d; stderr %s", code, exitFindings, errOut)
	}
	want := "would fix 7 findings in 2 files; 3 findings without an automatic fix\n"
	if errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if after := readTree(t, dir); len(after) != len(before) {
		t.Errorf("--dry-run left files: %v", after)
	} else {
		for p, text := range before {
			if after[p] != text {
				t.Errorf("--dry-run changed %s", p)
			}
		}
	}
	checkGoldenAt(t, goldenDir, "fix.dry-run.golden", out)
}

func TestFix(t *testing.T) {
	goldenDir, _ := filepath.Abs("testdata")
	fixProject(t)
	code, out, errOut := cli(t, "fix", "--no-config", ".")
	if code != exitFindings {
		t.Errorf("exit code %d, want %d (a finding has no fix); stderr %s", code, exitFindings, errOut)
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}
	checkGoldenAt(t, goldenDir, "fix.golden", out)
	// Nothing is left to fix.
	code, out, _ = cli(t, "fix", "--no-config", "S3L043-tf")
	if code != exitOK || out != "fixed 0 findings in 0 files\n" {
		t.Errorf("second run: exit code %d, output %q", code, out)
	}
}

func TestFixUsage(t *testing.T) {
	fixProject(t)
	if code, _, errOut := cli(t, "fix", "--var", "novalue", "."); code != exitError {
		t.Errorf("exit code %d, want %d; stderr %s", code, exitError, errOut)
	}
	if code, _, _ := cli(t, "fix", "--no-config", "missing-dir"); code != exitError {
		t.Errorf("a missing path: exit code %d, want %d", code, exitError)
	}
}

// checkGoldenAt is checkGolden for tests that have left the package
// directory.
func checkGoldenAt(t *testing.T, dir, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join(dir, name), []byte(got), *update, "go test ./cmd/s3lint -update")
}

func TestSplitAppeared(t *testing.T) {
	at := func(id, file, res, msg string) rules.Finding {
		return rules.Finding{RuleID: id, Resource: res, Message: msg, Range: graph.Range{File: file}}
	}
	before := []rules.Finding{at("S3L010", "a.tf", "p", "x"), at("S3L012", "a.tf", "q", "names a and b")}
	after := []rules.Finding{
		at("S3L012", "a.tf", "q", "names a, b and c"), // the same finding, quoting the fixed element
		at("S3L060", "a.tf", "p", "the Deny now applies"),
	}
	appeared, left := splitAppeared(before, after)
	if len(appeared) != 1 || appeared[0].RuleID != "S3L060" || len(left) != 1 || left[0].RuleID != "S3L012" {
		t.Errorf("appeared %v, left %v", appeared, left)
	}
}
