package jsonpos_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
	"github.com/s3lint/s3lint/policy"
)

// TestPolicyPipeline runs a policy through the real pipeline loaders use
// (jsonpos with a file's line index, then policy.Parse; package policy cannot
// import this internal package, so its own tests use a stand-in decoder) and
// pins exact line:col ranges, multibyte text and a tab included.
func TestPolicyPipeline(t *testing.T) {
	src := "{\n" +
		"  \"Version\": \"2012-10-17\",\n" +
		"  \"Statement\": [{\n" +
		"    \"Sid\": \"Lecture — données\",\n" +
		"\t\"Effect\": \"Allow\", \"Principal\": \"111122223333\",\n" +
		"    \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n" +
		"    \"Resource\": [\n" +
		"      \"arn:aws:s3:::b\",  \"arn:aws:s3:::b\\/*\"\n" +
		"    ]\n" +
		"  }]\n" +
		"}\n"
	f := source.NewFile("p.json", []byte(src))
	n, err := jsonpos.Parse(f.Bytes, f.Range, jsonpos.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := policy.Parse(n)
	if len(doc.Statements) != 1 {
		t.Fatalf("%d statements", len(doc.Statements))
	}
	st := doc.Statements[0]
	pos := func(line, col int) graph.Pos {
		// Translate line:col (characters) to a byte offset independently.
		lines := strings.SplitAfter(src, "\n")
		off := 0
		for _, l := range lines[:line-1] {
			off += len(l)
		}
		off += len(string([]rune(lines[line-1])[:col-1]))
		return graph.Pos{Line: line, Col: col, Byte: off}
	}
	r := func(l1, c1, l2, c2 int) graph.Range {
		return graph.Range{File: "p.json", Start: pos(l1, c1), End: pos(l2, c2)}
	}
	checks := []struct {
		what      string
		got, want graph.Range
	}{
		{"Sid", st.Sid.Range, r(4, 12, 4, 31)},
		{"Effect after a tab", st.Effect.Range, r(5, 12, 5, 19)},
		{"Action key to end of list", st.Action.KeyRange, r(6, 5, 6, 48)},
		{"second Action", st.Action.Items[1].Range, r(6, 32, 6, 47)},
		{"first Resource", st.Resource.Items[0].Range, r(8, 7, 8, 23)},
		{"second Resource (escaped slash)", st.Resource.Items[1].Range, r(8, 26, 8, 45)},
		{"Resource key to end of list", st.Resource.KeyRange, r(7, 5, 9, 6)},
		{"Principal key to value", st.Principal.Range, r(5, 21, 5, 48)},
		{"statement", st.Range, r(3, 17, 10, 4)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	if got := st.Sid.V; got != "Lecture — données" {
		t.Errorf("Sid = %q", got)
	}
	if got := st.Resource.Items[1].V; got != "arn:aws:s3:::b/*" {
		t.Errorf("second Resource = %q", got)
	}
	// The only problem: a Principal string other than "*", at the value.
	if len(doc.Problems) != 1 || doc.Problems[0].Range != r(5, 34, 5, 48) || !strings.Contains(doc.Problems[0].Message, `not the string "111122223333"`) {
		t.Errorf("problems = %+v", doc.Problems)
	}
}
