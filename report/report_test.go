package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/golden"
	"github.com/s3lint/s3lint/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// rng builds a range in file from line:col to line:col (End exclusive).
func rng(file string, l1, c1, l2, c2 int) graph.Range {
	return graph.Range{File: file, Start: graph.Pos{Line: l1, Col: c1}, End: graph.Pos{Line: l2, Col: c2}}
}

// byteRange is rng with byte offsets.
func byteRange(file string, l1, c1, b1, l2, c2, b2 int) graph.Range {
	return graph.Range{File: file, Start: graph.Pos{Line: l1, Col: c1, Byte: b1}, End: graph.Pos{Line: l2, Col: c2, Byte: b2}}
}

const docS3L010 = "# S3L010: object action on a bucket ARN\n" +
	"\n" +
	"Object actions such as `s3:GetObject` apply to **objects**, so a statement\n" +
	"that lists them against the *bucket* ARN (`arn:aws:s3:::b`) grants nothing\n" +
	"and requests end in `403 Access Denied`.\n" +
	"\n" +
	"## Bad\n" +
	"\n" +
	"```hcl\n" +
	"Resource = \"arn:aws:s3:::my-bucket\"\n" +
	"```\n" +
	"\n" +
	"## Fix\n" +
	"\n" +
	"- Add `/*` to the ARN: `arn:aws:s3:::my-bucket/*`.\n" +
	"- See [Amazon S3 resources](https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html).\n"

const docS3L020 = "A bucket with `BucketOwnerEnforced` ignores ACLs, so an ACL grant\n" +
	"to another account does not give that account access.\n"

// sampleResult is a scan of a repository at /src/repo run from its infra/
// directory: findings in the working directory, in a subdirectory, in a file
// whose name needs escaping and outside the repository; a parse error, an
// unreadable file and a note.
func sampleResult() *Result {
	return &Result{
		Tool:    "s3lint",
		Version: "v0.4.0-rc.1",
		Rules: []rules.Meta{
			{
				ID: "S3L010", Name: "object-action-on-bucket-arn", Title: "object action on a bucket ARN",
				Severity: rules.Error, Doc: docS3L010, Since: "0.1.0", Default: true,
				Precision: "very-high", Tags: []string{"iam", "policy", "security"},
			},
			{
				ID: "S3L020", Name: "acl-grant-ignored", Title: "ACL grant on a bucket that enforces bucket ownership",
				Severity: rules.Warning, Doc: docS3L020, Since: "0.2.0", Default: true,
			},
			{
				ID: "S3L030", Name: "cross-account-key", Title: "bucket encrypted with a key from another account",
				Severity: rules.Note, Since: "0.3.0",
			},
		},
		Findings: []rules.Finding{
			{
				RuleID: "S3L010", Severity: rules.Error,
				Message:  `s3:GetObject acts on objects but the resource "arn:aws:s3:::logs" is the bucket; use "arn:aws:s3:::logs/*".`,
				Range:    rng("main.tf", 3, 5, 3, 20),
				Resource: "aws_s3_bucket_policy.p",
				Related: []rules.Related{
					{Range: rng("main.tf", 12, 1, 15, 2), Message: "bucket logs is defined here"},
				},
				Fix: &rules.Fix{Description: `add "arn:aws:s3:::logs/*" to the Resource`, Edits: []rules.Edit{
					{Range: byteRange("main.tf", 3, 5, 61, 3, 20, 76), Old: `"arn:aws:s3:::logs"`, New: `["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]`},
					{Range: byteRange("main.tf", 9, 1, 140, 9, 1, 140), New: "# fixed\n"},
				}},
				Fingerprint: "3f1c2a9b7d4e5f60",
			},
			{
				RuleID: "S3L020", Severity: rules.Warning,
				Message:  "The ACL grants READ to account 111122223333, but the bucket enforces bucket ownership, so ACLs are ignored.",
				Range:    rng("modules/logs/bucket.tf", 7, 3, 9, 4),
				Resource: `module.logs.aws_s3_bucket_acl.this["a"]`,
				// A fix that edits a file outside the source root is left
				// out of SARIF, which cannot name the file.
				Fix: &rules.Fix{Description: "outside", Edits: []rules.Edit{
					{Range: byteRange("/opt/terraform/modules/acl/main.tf", 2, 1, 10, 2, 1, 10), New: "x"},
				}},
				Related: []rules.Related{
					{Range: rng("../shared/ownership.tf", 2, 1, 6, 2), Message: "ownership controls set BucketOwnerEnforced here"},
					{Range: rng("/opt/terraform/modules/acl/main.tf", 4, 3, 4, 30), Message: "grant comes from this module"},
				},
				Fingerprint: "a0b1c2d3e4f50617",
			},
			{
				RuleID: "S3L010", Severity: rules.Warning,
				Message:  "s3:PutObject acts on objects but the resource is the bucket.\nThe statement allows nothing.",
				Range:    rng("stacks/my stack.yaml", 20, 7, 20, 40),
				Resource: "UploadPolicy",
			},
			{
				RuleID: "S3L030", Severity: rules.Note,
				Message:     "The bucket is encrypted with a key of <account of aws.prod>; readers need kms:Decrypt there.",
				Range:       rng("template.yaml", 5, 9, 5, 31),
				Resource:    "Logs",
				Fingerprint: "ffee00112233aabb",
			},
		},
		Diagnostics: []graph.Diagnostic{
			{Severity: graph.DiagError, Message: "Invalid expression: expected the start of an expression, but found an invalid token.", Range: rng("broken.tf", 4, 10, 4, 11)},
			{Severity: graph.DiagNote, Message: `module "remote" not followed: its source is a registry address`, Range: rng("main.tf", 30, 3, 30, 40)},
			{Severity: graph.DiagError, Message: "open unreadable.json: permission denied", File: "unreadable.json"},
		},
		SrcRoot: "/src/repo",
		WorkDir: "/src/repo/infra",
		HelpURI: func(id string) string { return "https://github.com/s3lint/s3lint/blob/main/docs/rules/" + id + ".md" },
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update, "go test ./report -update")
}

// textOutput is what a CLI writing everything to one writer prints:
// diagnostics, then findings and the summary.
func textOutput(t *testing.T, r *Result, o TextOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTextDiagnostics(&b, r, o); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGoldenText(t *testing.T) {
	checkGolden(t, "golden.txt", textOutput(t, sampleResult(), TextOptions{ShowNotes: true}))
}

func TestGoldenTextColor(t *testing.T) {
	checkGolden(t, "golden-color.txt", textOutput(t, sampleResult(), TextOptions{Color: true, ShowNotes: true}))
}

func TestGoldenJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "golden.json", b.Bytes())
}

func TestGoldenSARIF(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the sample uses Unix absolute paths")
	}
	var b bytes.Buffer
	if err := WriteSARIF(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "golden.sarif", b.Bytes())
}

// TestDeterministic writes each format twice from fresh Results.
func TestDeterministic(t *testing.T) {
	writers := map[string]func(*bytes.Buffer, *Result) error{
		"text": func(b *bytes.Buffer, r *Result) error {
			if err := WriteTextDiagnostics(b, r, TextOptions{ShowNotes: true}); err != nil {
				return err
			}
			return WriteText(b, r, TextOptions{})
		},
		"json":   func(b *bytes.Buffer, r *Result) error { return WriteJSON(b, r) },
		"sarif":  func(b *bytes.Buffer, r *Result) error { return WriteSARIF(b, r) },
		"github": func(b *bytes.Buffer, r *Result) error { return WriteGitHub(b, r) },
		"junit":  func(b *bytes.Buffer, r *Result) error { return WriteJUnit(b, r) },
	}
	for name, write := range writers {
		var first, second bytes.Buffer
		if err := write(&first, sampleResult()); err != nil {
			t.Fatal(err)
		}
		if err := write(&second, sampleResult()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("%s output differs between two runs", name)
		}
		if !bytes.HasSuffix(first.Bytes(), []byte("\n")) {
			t.Errorf("%s output does not end in a newline", name)
		}
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteErrors(t *testing.T) {
	r := sampleResult()
	for name, err := range map[string]error{
		"WriteText":            WriteText(failingWriter{}, r, TextOptions{}),
		"WriteTextDiagnostics": WriteTextDiagnostics(failingWriter{}, r, TextOptions{}),
		"WriteJSON":            WriteJSON(failingWriter{}, r),
		"WriteSARIF":           WriteSARIF(failingWriter{}, r),
		"WriteGitHub":          WriteGitHub(failingWriter{}, r),
		"WriteJUnit":           WriteJUnit(failingWriter{}, r),
	} {
		if err == nil {
			t.Errorf("%s: no error from a failing writer", name)
		}
	}
}
