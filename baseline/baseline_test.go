package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

func finding(rule, file, fp string) rules.Finding {
	return rules.Finding{RuleID: rule, Message: rule + " in " + file, Fingerprint: fp, Resource: "r",
		Range: graph.Range{File: file, Start: graph.Pos{Line: 3, Col: 1}}}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	fs := []rules.Finding{
		finding("S3L011", filepath.Join(dir, "b", "main.tf"), "fp3"),
		finding("S3L010", filepath.Join(dir, "b", "main.tf"), "fp2"),
		finding("S3L010", filepath.Join(dir, "a.yaml"), "fp1"),
		finding("S3L010", filepath.Join(dir, "a.yaml"), "fp1"), // repeated
		finding("S3L090", filepath.Join(dir, "c.tf"), ""),      // no fingerprint
	}
	b := New(fs, dir)
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "tool": "s3lint",
  "findings": [
    {
      "fingerprint": "fp1",
      "rule": "S3L010",
      "file": "a.yaml",
      "resource": "r",
      "message": "S3L010 in ` + filepath.ToSlash(filepath.Join(dir, "a.yaml")) + `"
    },
    {
      "fingerprint": "fp2",
      "rule": "S3L010",
      "file": "b/main.tf",
      "resource": "r",
      "message": "S3L010 in ` + filepath.ToSlash(filepath.Join(dir, "b", "main.tf")) + `"
    },
    {
      "fingerprint": "fp3",
      "rule": "S3L011",
      "file": "b/main.tf",
      "resource": "r",
      "message": "S3L011 in ` + filepath.ToSlash(filepath.Join(dir, "b", "main.tf")) + `"
    }
  ]
}
`
	if buf.String() != want {
		t.Errorf("baseline:\n%s\nwant\n%s", buf.String(), want)
	}
	name := filepath.Join(dir, "baseline.json")
	if err := b.WriteFile(name); err != nil {
		t.Fatal(err)
	}
	read, err := Read(name)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, b) {
		t.Errorf("read back %+v, want %+v", read, b)
	}

	// Today's findings: fp2 is fixed, fp4 is new.
	now := []rules.Finding{fs[0], fs[2], finding("S3L013", "new.tf", "fp4")}
	kept, sup, stale := read.Filter(now, "in the baseline baseline.json")
	if len(kept) != 1 || kept[0].Fingerprint != "fp4" {
		t.Errorf("kept %+v, want the new finding only", kept)
	}
	if len(sup) != 2 || sup[0].Fingerprint != "fp3" || sup[1].Fingerprint != "fp1" ||
		sup[0].Suppression.Kind != rules.External || sup[0].Suppression.Justification != "in the baseline baseline.json" {
		t.Errorf("suppressed %+v", sup)
	}
	if stale != 1 {
		t.Errorf("stale = %d, want 1", stale)
	}
}

func TestEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := New(nil, "").Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"findings": []`) {
		t.Errorf("an empty baseline should list no findings as []: %s", buf.String())
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ content, want string }{
		{"{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": 3}\n  ]\n}\n", "b.json:4:21: not a baseline: cannot unmarshal number"},
		{"{\n  \"version\": 1,\n  \"findings\": [,]\n}\n", "b.json:3:16: not a baseline: invalid character ','"},
		{`{"version": 1, "findings": [], "extra": true}`, `b.json: not a baseline: unknown field "extra"`},
		{`{"version": 2, "findings": []}`, "baseline version 2 is not supported"},
		{`{"version": 1, "findings": [{"rule": "S3L010"}]}`, "finding 1 has no fingerprint"},
	} {
		name := filepath.Join(dir, "b.json")
		if err := os.WriteFile(name, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Read(name)
		if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.content, err, tc.want)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "cannot read the baseline") {
		t.Errorf("missing file: %v", err)
	}
}
