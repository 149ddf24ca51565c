package policyfile_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/policyfile"
)

const readDoc = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["s3:GetObject"],
    "Resource": "arn:aws:s3:::acme/*"
  }]
}
`

// Only policy documents are loaded, by content; everything else that is
// JSON (or looks a little like a policy) is passed over without a word.
func TestDetect(t *testing.T) {
	l := load(t, tree{
		"policies/read.json": readDoc,
		// Keys in any order, one statement as an object, a BOM, CRLF.
		"policies/object.json":  "\ufeff{\"Statement\": {\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\r\n \"Version\": \"2012-10-17\"}",
		"policies/with-id.JSON": `{"Id": "x", "Version": "2012-10-17", "Statement": []}`,
		"policies/old.json":     `{"Version": "2008-10-17", "Statement": []}`,
		// Not policies.
		"other-version.json":             `{"Version": 1, "Statement": [1, 2, 3]}`,
		"tool-version.json":              `{"Version": "3.2", "Statement": [{"id": 1}]}`,
		"package.json":                   `{"name": "x", "version": "1.0.0", "keywords": ["Version", "Statement"]}`,
		"statement-only.json":            `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`,
		"version-only.json":              `{"Version": "2012-10-17"}`,
		"scalar.json":                    `{"Version": "2012-10-17", "Statement": "s3:GetObject"}`,
		"nested.json":                    `{"policy": {"Version": "2012-10-17", "Statement": []}}`,
		"list.json":                      `[{"Version": "2012-10-17", "Statement": []}]`,
		"template.json":                  `{"AWSTemplateFormatVersion": "2010-09-09", "Version": "1", "Statement": [], "Resources": {}}`,
		"sam.json":                       `{"Transform": "AWS::Serverless-2016-10-31", "Version": "1", "Statement": []}`,
		"resources.json":                 `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "Version": "1", "Statement": []}`,
		"plan.json":                      `{"format_version": "1.2", "planned_values": {}, "Version": "1", "Statement": []}`,
		"main.tf.json":                   readDoc,
		"policy.yaml":                    "Version: '2012-10-17'\nStatement: []\n",
		"empty.json":                     "",
		"node_modules/x/policy.json":     readDoc,
		".terraform/modules/policy.json": readDoc,
		// Not JSON, and nothing shows a policy document before the error.
		"broken.json":  `{"Version": 3, "Statement" "x"`,
		"broken2.json": `{"name": [1, 2,, "Version", "Statement"`,
	}, limits.Limits{})
	want := []string{"policies/object.json", "policies/old.json", "policies/read.json", "policies/with-id.JSON"}
	if got := l.files(); !eq(got, want) {
		t.Errorf("loaded %q, want %q", got, want)
	}
	if d := l.diags(); len(d) != 0 {
		t.Errorf("diagnostics: %q", d)
	}
}

// A file named on the command line is read whatever its extension, except
// Terraform's; the walk of a directory reads .json only.
func TestNamedFiles(t *testing.T) {
	l := load(t, tree{"read.policy": readDoc, "other.txt": readDoc, "x.tf.json": readDoc},
		limits.Limits{}, "read.policy", "x.tf.json")
	if got := l.files(); !eq(got, []string{"read.policy"}) {
		t.Errorf("loaded %q", got)
	}
}

// The policy carries what rules need and nothing that ties it to a bucket
// or principal; every element is located exactly in the file.
func TestPolicy(t *testing.T) {
	l := load(t, tree{"policies/read.json": readDoc}, limits.Limits{})
	if len(l.Policies) != 1 {
		t.Fatalf("%d policies", len(l.Policies))
	}
	p := l.Policies[0]
	file := l.dir + "/policies/read.json"
	if p.Address != "read.json" || p.Type != policyfile.Type || p.Format != graph.PolicyFile ||
		p.Kind != graph.StandalonePolicy || p.Root != file || p.Account.Known() || p.Provider != "" ||
		p.Bucket != nil || p.BucketRef.Known() && p.BucketRef.V != "" || len(p.Attached) != 0 || p.Variant != nil {
		t.Errorf("policy %+v", p.Entity)
	}
	if p.Format.String() != "policy-document" || p.Kind.String() != "policy document" || p.Kind.IsResourcePolicy() {
		t.Errorf("format %s, kind %s", p.Format, p.Kind)
	}
	r := func(l1, c1, b1, l2, c2, b2 int) graph.Range {
		return graph.Range{File: file, Start: graph.Pos{Line: l1, Col: c1, Byte: b1}, End: graph.Pos{Line: l2, Col: c2, Byte: b2}}
	}
	end := len(strings.TrimSuffix(readDoc, "\n"))
	if want := r(1, 1, 0, 8, 2, end); p.Range != want || p.DocRange != want || p.Doc.Range != want {
		t.Errorf("ranges %v %v %v, want %v", p.Range, p.DocRange, p.Doc.Range, want)
	}
	if len(p.Doc.Statements) != 1 || len(p.Doc.Problems) != 0 {
		t.Fatalf("doc %+v", p.Doc)
	}
	st := p.Doc.Statements[0]
	act := strings.Index(readDoc, `"s3:GetObject"`)
	res := strings.Index(readDoc, `"arn:aws:s3:::acme/*"`)
	checks := []struct {
		what      string
		got, want graph.Range
	}{
		{"action", st.Action.Items[0].Range, r(5, 16, act, 5, 30, act+14)},
		{"resource", st.Resource.Items[0].Range, r(6, 17, res, 6, 38, res+21)},
		{"statement", st.Range, r(3, 17, strings.Index(readDoc, "[{")+1, 7, 4, strings.Index(readDoc, "}]")+1)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %v %+v, want %v %+v", c.what, c.got, c.got, c.want, c.want)
		}
	}
	if !st.Action.Items[0].Is("s3:GetObject") || st.Action.Items[0].Origin != graph.Explicit {
		t.Errorf("action %+v", st.Action.Items[0])
	}
}

// Defects of shape are the policy parser's problems, for the scan to warn
// about; the document is still loaded.
func TestProblems(t *testing.T) {
	l := load(t, tree{"p.json": `{"Version": "2012-10-17", "Statements": 1, "Statement": [{"Action": "s3:GetObject"}]}`}, limits.Limits{})
	if len(l.Policies) != 1 {
		t.Fatalf("%d policies", len(l.Policies))
	}
	var msgs []string
	for _, pr := range l.Policies[0].Doc.Problems {
		msgs = append(msgs, pr.Message)
	}
	if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, "\n"), `"Statements"`) {
		t.Errorf("problems %q", msgs)
	}
}

// A policy document that is not valid JSON is an error at the place the
// parser stopped, once what could be read shows a policy document: its
// Version, and a Statement list or object begun.
func TestSyntaxErrors(t *testing.T) {
	l := load(t, tree{
		"trailing.json": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}\n",
		"cut.json":      `{"Version": "2012-10-17", "Statement": {"Effect": "Allow"`,
		"first.json":    `{"Statement": [], "Version": "2012-10-17", }`,
		// Not shown to be a policy document before the error: silent.
		"no-version.json": `{"Statement": [{"Effect": "Allow",}], "x": 1}`,
		"template.json":   `{"AWSTemplateFormatVersion": "2010-09-09", "Version": "1", "Statement": [,]}`,
		"late.json":       `{"a": [1,,2], "Version": "1", "Statement": []}`,
	}, limits.Limits{})
	want := []string{
		"error cut.json:1:58 this IAM policy document is not valid JSON: unexpected end of input, expected ',' or '}'",
		"error first.json:1:44 this IAM policy document is not valid JSON: unexpected '}', expected a string key",
		"error trailing.json:4:24 this IAM policy document is not valid JSON: unexpected '}', expected a string key",
	}
	if got := l.diags(); !eq(got, want) {
		t.Errorf("diagnostics:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if len(l.Policies) != 0 {
		t.Errorf("%d policies", len(l.Policies))
	}
}

// A policy document over --max-file-size is an error and is not read;
// other large JSON stays silent. One nested past --max-nesting is an error
// at the first value past the limit.
func TestLimits(t *testing.T) {
	pad := `,"Id":"` + strings.Repeat("p", 4096) + `"}`
	deep := `{"Version": "2012-10-17", "Statement": [{"Condition": ` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "}]}"
	l := load(t, tree{
		"big.json":   strings.TrimSuffix(strings.TrimSpace(readDoc), "}") + pad,
		"data.json":  `{"rows":[` + strings.Repeat(`"r",`, 2000) + `"r"]}`,
		"words.json": `{"words":["Version", ` + strings.Repeat(`"r",`, 2000) + `"Statement"]}`,
		"deep.json":  deep,
		"ok.json":    readDoc,
	}, limits.Limits{MaxFileSize: 4096, MaxNesting: 256})
	// The Condition's list is the fourth level (the document, Statement,
	// the statement, the list): the 255th bracket is past 256 levels.
	want := []string{
		"error big.json file is 4.2 KiB, over the 4 KiB limit (--max-file-size); not read",
		"error deep.json:1:" + strconv.Itoa(strings.Index(deep, "[[")+254+1) + " nesting deeper than 256 levels (--max-nesting); the file is not read",
	}
	if got := l.diags(); !eq(got, want) {
		t.Errorf("diagnostics:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if got := l.files(); !eq(got, []string{"ok.json"}) {
		t.Errorf("loaded %q", got)
	}
}

// A file that runs out of --file-timeout is an error and its results are
// left out; the hook blocks until the time is up, so the test is certain
// and quick.
func TestFileTimeout(t *testing.T) {
	policyfile.SetTestHookLoadFile(func(stop limits.Stop) { <-stop })
	defer policyfile.SetTestHookLoadFile(nil)
	l := load(t, tree{"a.json": readDoc, "b.json": readDoc}, limits.Limits{FileTimeout: time.Nanosecond})
	msg := " evaluating this took longer than 1ns (--file-timeout); its results are left out"
	if got, want := l.diags(), []string{"error a.json" + msg, "error b.json" + msg}; !eq(got, want) {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
	if len(l.Policies) != 0 {
		t.Errorf("policies of a file that timed out: %d", len(l.Policies))
	}
}

// The walk stays inside the scan roots: a link to a policy outside is a
// note and is not read; excluded files and directories are not read.
func TestWalk(t *testing.T) {
	outside := writeTree(t, tree{"secret.json": readDoc})
	dir := writeTree(t, tree{"in/read.json": readDoc, "skip/read.json": readDoc, "in/skip.json": readDoc})
	if err := os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(dir, "in", "link.json")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	exclude := func(p string) bool {
		p = filepath.ToSlash(p)
		return strings.HasSuffix(p, "/skip") || strings.HasSuffix(p, "/skip.json")
	}
	g := policyfile.Load(policyfile.Options{Paths: []string{dir}, Exclude: exclude})
	l := &loaded{Graph: g, t: t, dir: dir}
	if got := l.files(); !eq(got, []string{"in/read.json"}) {
		t.Errorf("loaded %q", got)
	}
	d := l.diags()
	if len(d) != 1 || !strings.HasPrefix(d[0], "note in/link.json symbolic link to ") || !strings.HasSuffix(d[0], "outside the scan root; not read") {
		t.Errorf("diagnostics %q", d)
	}
}

// Loading is deterministic and in file order, whatever the parallelism.
func TestOrder(t *testing.T) {
	files := tree{}
	for i := range 20 {
		files["p"+strconv.Itoa(i)+".json"] = readDoc
	}
	l := load(t, files, limits.Limits{})
	for i := 1; i < len(l.Policies); i++ {
		if !l.Policies[i-1].DocRange.Less(l.Policies[i].DocRange) {
			t.Fatalf("policies out of order at %d", i)
		}
	}
	if len(l.Policies) != 20 {
		t.Errorf("%d policies", len(l.Policies))
	}
}
