package policyfile_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/internal/fuzzcheck"
	"github.com/s3lint/s3lint/parsers/policyfile"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

const fixedDoc = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fixed"}]}`

// fuzzLoad writes src as fuzz/doc.json beside a fixed document in another
// directory and loads both: no panic (Load turns one into an "internal
// error" diagnostic), the fixed document still loads, every range in the
// fuzzed file lies inside it, a second load gives the same graph, and the
// rules that read stand-alone documents run on it without failing.
func fuzzLoad(t *testing.T, dir string, src []byte) {
	path := filepath.Join(dir, "fuzz", "doc.json")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	g := policyfile.Load(policyfile.Options{Paths: []string{dir}})
	fixed := false
	for _, p := range g.Policies {
		fixed = fixed || strings.HasSuffix(p.Range.File, "fixed/doc.json") && p.Doc != nil && len(p.Doc.Statements) == 1
	}
	if !fixed {
		t.Fatalf("the fixed document did not load beside the fuzzed file")
	}
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("panic while loading: %s\n%s", d.Message, d.Detail)
		}
		if d.File == "" {
			t.Fatalf("diagnostic without a file: %+v", d)
		}
	}
	if bad := fuzzcheck.BadRange(g, fuzzcheck.Sizes{path: len(src), filepath.ToSlash(path): len(src)}); bad != "" {
		t.Fatal(bad)
	}
	if again := policyfile.Load(policyfile.Options{Paths: []string{dir}}); !reflect.DeepEqual(g, again) {
		t.Fatalf("two loads of the same file differ")
	}
	res := scan.Run(scan.Options{Paths: []string{filepath.Join(dir, "fuzz")}, Rules: []rules.Rule{rules.S3L010, rules.S3L011, rules.S3L013}})
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("%s", d.Message)
		}
	}
	if bad := fuzzcheck.BadRange(res.Findings, fuzzcheck.Sizes{filepath.ToSlash(path): len(src)}); bad != "" {
		t.Fatal(bad)
	}
}

func fuzzDir(tb testing.TB) string {
	dir := tb.TempDir()
	for _, d := range []string{"fixed", "fuzz"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "fixed", "doc.json"), []byte(fixedDoc), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func FuzzLoad(f *testing.F) {
	seeds := []string{
		"",
		"{}",
		fixedDoc,
		readDoc,
		"\ufeff" + readDoc,
		`{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": ["s3:GetObjectz", "kms:Decript"], "Resource": "arn:aws:s3:::b"}}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b/*"}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:us-east-1:111122223333:accesspoint/ap", "arn:aws:s3:::b\/*"]}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get\u00e9", "Resource": "\ud83d"}], "Id": 1}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",}]}`,
		`{"Version": "2012-10-17", "Statement": [` + strings.Repeat("[", 600),
		`{"Statement": [], "Version": "1", "Resources": {}}`,
		`{"Version": "1", "Statement": [null, 1, "x", [], {"Condition": {"StringEquals": {"aws:x": [1, null]}}}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := fuzzDir(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzLoad(t, dir, src)
	})
}

// The fuzz helper accepts a good document and sees the fuzzed file.
func TestFuzzHelper(t *testing.T) {
	dir := fuzzDir(t)
	fuzzLoad(t, dir, []byte(readDoc))
	g := policyfile.Load(policyfile.Options{Paths: []string{dir}})
	if len(g.Policies) != 2 {
		t.Errorf("the fuzzed document was not loaded: %d policies", len(g.Policies))
	}
}
