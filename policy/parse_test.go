package policy

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
)

// Package policy cannot import parsers/internal/jsonpos (Go's internal-package
// rule), so these tests build located node trees with a small decoder of
// their own on top of encoding/json's token stream and InputOffset. The same
// documents are run through the real jsonpos parser in
// parsers/internal/jsonpos/policy_test.go.

// unknownMarker is a JSON string that the test decoder turns into a
// graph.KindUnknown node (keeping its range), standing for a value that a
// loader cannot know before deployment.
const unknownMarker = "(unknown)"

// located decodes src into a located node tree. Lines and columns are
// 1-based, columns count characters.
func located(t *testing.T, src string) *graph.Node {
	t.Helper()
	d := &locDecoder{src: src, dec: json.NewDecoder(strings.NewReader(src))}
	d.dec.UseNumber()
	n, err := d.value()
	if err != nil {
		t.Fatalf("test document is not JSON: %v\n%s", err, src)
	}
	if _, err := d.dec.Token(); err != io.EOF {
		t.Fatalf("trailing data after the test document: %v", err)
	}
	return n
}

type locDecoder struct {
	src string
	dec *json.Decoder
}

const testFile = "policy.json"

func (d *locDecoder) pos(off int) graph.Pos {
	line := 1 + strings.Count(d.src[:off], "\n")
	start := strings.LastIndexByte(d.src[:off], '\n') + 1
	return graph.Pos{Line: line, Col: utf8.RuneCountInString(d.src[start:off]) + 1, Byte: off}
}

func (d *locDecoder) rng(start, end int) graph.Range {
	return graph.Range{File: testFile, Start: d.pos(start), End: d.pos(end)}
}

// start finds where the next token begins: InputOffset stops after the
// previous token, before any separator.
func (d *locDecoder) start() int {
	i := int(d.dec.InputOffset())
	for i < len(d.src) && strings.IndexByte(" \t\r\n,:", d.src[i]) >= 0 {
		i++
	}
	return i
}

func (d *locDecoder) value() (*graph.Node, error) {
	start := d.start()
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	end := func() graph.Range { return d.rng(start, int(d.dec.InputOffset())) }
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			n := &graph.Node{Kind: graph.KindObject}
			for d.dec.More() {
				ks := d.start()
				k, err := d.dec.Token()
				if err != nil {
					return nil, err
				}
				kr := d.rng(ks, int(d.dec.InputOffset()))
				v, err := d.value()
				if err != nil {
					return nil, err
				}
				n.Fields = append(n.Fields, graph.Field{Key: k.(string), KeyRange: kr, Value: v})
			}
			if _, err := d.dec.Token(); err != nil {
				return nil, err
			}
			n.Range = end()
			return n, nil
		}
		n := &graph.Node{Kind: graph.KindList}
		for d.dec.More() {
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			n.List = append(n.List, v)
		}
		if _, err := d.dec.Token(); err != nil {
			return nil, err
		}
		n.Range = end()
		return n, nil
	case string:
		if tok == unknownMarker {
			return &graph.Node{Kind: graph.KindUnknown, Range: end()}, nil
		}
		return &graph.Node{Kind: graph.KindString, Str: tok, Range: end()}, nil
	case json.Number:
		return &graph.Node{Kind: graph.KindNumber, Str: tok.String(), Range: end()}, nil
	case bool:
		return &graph.Node{Kind: graph.KindBool, Bool: tok, Range: end()}, nil
	case nil:
		return &graph.Node{Kind: graph.KindNull, Range: end()}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// at is the position of the n-th (0-based) occurrence of needle in src, and
// span the range of that occurrence: expected ranges are derived from the
// text itself so that the tests read naturally.
func at(t *testing.T, src, needle string, n int) int {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(src[off+1:], needle)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", needle, n+1)
		}
		off += 1 + j
	}
	return off
}

func span(t *testing.T, src, needle string, n int) graph.Range {
	t.Helper()
	d := &locDecoder{src: src}
	off := at(t, src, needle, n)
	return d.rng(off, off+len(needle))
}

// TestLocatedDecoder checks the test's own decoder, so that failures below
// point at Parse and not at the harness.
func TestLocatedDecoder(t *testing.T) {
	src := "{\n\t\"é\": [1, \"x\",\n  {\"k\": null}], \"b\": true\n}"
	n := located(t, src)
	if got, want := n.JSON(), `{"é":[1,"x",{"k":null}],"b":true}`; got != want {
		t.Fatalf("JSON = %s, want %s", got, want)
	}
	f := n.Fields[0]
	if f.KeyRange.Start != (graph.Pos{Line: 2, Col: 2, Byte: 3}) || f.KeyRange.End.Col != 5 {
		t.Errorf("key range = %v", f.KeyRange)
	}
	x := f.Value.List[1]
	if x.Range.Start.Line != 2 || x.Range.Start.Col != 11 || x.Range.End.Col != 14 {
		t.Errorf("\"x\" range = %v", x.Range)
	}
	obj := f.Value.List[2]
	if obj.Range.Start != (graph.Pos{Line: 3, Col: 3, Byte: at(t, src, "{\"k\"", 0)}) || obj.Range.End.Col != 14 {
		t.Errorf("object range = %v", obj.Range)
	}
	if r := n.Fields[1].Value.Range; r != span(t, src, "true", 0) {
		t.Errorf("true range = %v", r)
	}
	if n.Range.Start.Byte != 0 || n.Range.End.Byte != len(src) {
		t.Errorf("document range = %v", n.Range)
	}
}

// str renders a located string: its value, or ? when unknown.
func str(s graph.String) string {
	if !s.Known() {
		return "?"
	}
	return s.V
}

func strs(ss []graph.String) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = str(s)
	}
	return "[" + strings.Join(out, " ") + "]"
}

func list(name string, s graph.Strings) string {
	if !s.Present {
		return ""
	}
	if s.Unknown {
		return " " + name + "?"
	}
	return " " + name + strs(s.Items)
}

func principal(name string, p *graph.PrincipalSpec) string {
	if p == nil {
		return ""
	}
	switch {
	case p.Unknown:
		return " " + name + "?"
	case p.Wildcard:
		return " " + name + "*"
	}
	var parts []string
	for _, e := range p.Entries {
		v := strs(e.Values)
		if e.Unknown {
			v = "?"
		}
		parts = append(parts, str(e.Type)+":"+v)
	}
	return " " + name + "{" + strings.Join(parts, " ") + "}"
}

// summary renders a statement compactly for comparison:
// #index Effect Sid= A[…] NA[…] R[…] NR[…] P{Type:[…]} NP{…} C{Op Key=[…]; …}.
func summary(st *graph.Statement) string {
	if st.Unknown {
		return fmt.Sprintf("#%d ?", st.Index)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s", st.Index, str(st.Effect))
	if !st.Sid.Known() || st.Sid.V != "" {
		b.WriteString(" Sid=" + str(st.Sid))
	}
	b.WriteString(list("A", st.Action))
	b.WriteString(list("NA", st.NotAction))
	b.WriteString(list("R", st.Resource))
	b.WriteString(list("NR", st.NotResource))
	b.WriteString(principal("P", st.Principal))
	b.WriteString(principal("NP", st.NotPrincipal))
	if st.Conditions != nil {
		var cs []string
		for _, c := range st.Conditions {
			v := strs(c.Values)
			if c.Unknown {
				v = "?"
			}
			cs = append(cs, str(c.Operator)+" "+str(c.Key)+"="+v)
		}
		b.WriteString(" C{" + strings.Join(cs, "; ") + "}")
	}
	return b.String()
}

func summaries(doc *graph.Document) []string {
	out := []string{}
	for _, st := range doc.Statements {
		out = append(out, summary(st))
	}
	return out
}

// problem renders a Problem as "line:col message".
func problems(doc *graph.Document) []string {
	out := []string{}
	for _, p := range doc.Problems {
		out = append(out, fmt.Sprintf("%d:%d %s", p.Range.Start.Line, p.Range.Start.Col, p.Message))
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// parseCase is one policy document with the statements and problems Parse
// must produce. Problems are "line:col substring-of-message"; every
// document is written on one line unless it says otherwise, so col is the
// character offset + 1.
type parseCase struct {
	name     string
	src      string
	version  string
	stmts    []string
	problems []string
}

func runParseCases(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := Parse(located(t, tc.src))
			if got := summaries(doc); !equalStrings(got, tc.stmts) {
				t.Errorf("statements:\n got %q\nwant %q", got, tc.stmts)
			}
			got := problems(doc)
			ok := len(got) == len(tc.problems)
			for i := 0; ok && i < len(got); i++ {
				pos, msg, _ := strings.Cut(tc.problems[i], " ")
				ok = strings.HasPrefix(got[i], pos+" ") && strings.Contains(got[i], msg)
			}
			if !ok {
				t.Errorf("problems:\n got %q\nwant %q", got, tc.problems)
			}
			if tc.version != "" && str(doc.Version) != tc.version {
				t.Errorf("Version = %q, want %q", str(doc.Version), tc.version)
			}
			if doc.Range.Start.Byte != 0 || doc.Range.End.Byte != len(tc.src) {
				t.Errorf("document range = %v, want the whole text", doc.Range)
			}
		})
	}
}

// IAM accepts a single statement object or a list of them, and a string or a
// list for Action, NotAction, Resource and NotResource.
func TestParseShapes(t *testing.T) {
	runParseCases(t, []parseCase{
		{
			name:    "single statement object",
			src:     `{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"S1","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			version: "2012-10-17",
			stmts:   []string{"#0 Allow Sid=S1 A[s3:GetObject] R[arn:aws:s3:::b/*]"},
		},
		{
			name: "statement list",
			src: `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/*"]},` +
				`{"Effect":"Deny","NotAction":"s3:ListBucket","NotResource":["arn:aws:s3:::b"]}]}`,
			stmts: []string{
				"#0 Allow A[s3:GetObject s3:PutObject] R[arn:aws:s3:::b/* arn:aws:s3:::c/*]",
				"#1 Deny NA[s3:ListBucket] NR[arn:aws:s3:::b]",
			},
		},
		{
			name:  "empty statement list and empty action list",
			src:   `{"Version":"2012-10-17","Statement":[]}`,
			stmts: []string{},
		},
		{
			name:  "empty lists",
			src:   `{"Statement":[{"Effect":"Allow","Action":[],"Resource":[]}]}`,
			stmts: []string{"#0 Allow A[] R[]"},
		},
		{
			name: "numbers and booleans read as strings",
			src: `{"Version":2012,"Statement":[{"Sid":12,"Effect":"Allow","Action":[true,"s3:GetObject"],"Resource":[1,-2.5e3],` +
				`"Principal":{"AWS":123456789012},"Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":10}}}]}`,
			version: "2012",
			stmts: []string{"#0 Allow Sid=12 A[true s3:GetObject] R[1 -2.5e3] P{AWS:[123456789012]} " +
				"C{Bool aws:SecureTransport=[false]; NumericLessThan s3:max-keys=[10]}"},
			// 2012 is not a version IAM knows.
			problems: []string{`1:12 Version must be "2012-10-17" (or the old "2008-10-17"), not "2012"`},
		},
		{
			name:     "a version IAM does not know, written with non-breaking hyphens",
			src:      "{\"Version\":\"2012\u201110\u201117\",\"Statement\":[]}",
			version:  "2012\u201110\u201117",
			problems: []string{`1:12 Version must be "2012-10-17" (or the old "2008-10-17"), not "2012\u201110\u201117"`},
		},
		{
			name:    "the old version",
			src:     `{"Version":"2008-10-17","Statement":[]}`,
			version: "2008-10-17",
		},
	})
}

// Principal is "*" or an object of principal types; "*" and {"AWS":"*"}
// both mean everyone (IAM guide, reference_policies_elements_principal).
func TestParsePrincipals(t *testing.T) {
	runParseCases(t, []parseCase{
		{
			name:  "wildcard string",
			src:   `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`,
			stmts: []string{"#0 Allow A[s3:GetObject] R[*] P*"},
		},
		{
			name:  "AWS string",
			src:   `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*"}}`,
			stmts: []string{"#0 Allow A[s3:*] R[*] P{AWS:[arn:aws:iam::111122223333:root]}"},
		},
		{
			name:  "AWS star is an entry, not the wildcard form",
			src:   `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}`,
			stmts: []string{"#0 Allow A[s3:*] R[*] P{AWS:[*]}"},
		},
		{
			name: "several types and lists, in source order",
			src: `{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/r"],` +
				`"Service":"cloudtrail.amazonaws.com","CanonicalUser":["abc"],"Federated":"cognito-identity.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}}`,
			stmts: []string{"#0 Allow A[s3:PutObject] R[*] P{AWS:[111122223333 arn:aws:iam::444455556666:role/r] " +
				"Service:[cloudtrail.amazonaws.com] CanonicalUser:[abc] Federated:[cognito-identity.amazonaws.com]}"},
		},
		{
			name:  "NotPrincipal",
			src:   `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/admin"]},"Action":"s3:*","Resource":"*"}}`,
			stmts: []string{"#0 Deny A[s3:*] R[*] NP{AWS:[arn:aws:iam::111122223333:root arn:aws:iam::111122223333:role/admin]}"},
		},
		{
			name:  "NotPrincipal star",
			src:   `{"Statement":{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}}`,
			stmts: []string{"#0 Deny A[s3:*] R[*] NP*"},
		},
	})
}

// Condition maps operators to keys to a value or a list of values; operators
// and keys stay in source order and as written.
func TestParseConditions(t *testing.T) {
	runParseCases(t, []parseCase{{
		name: "operators, keys, strings and lists",
		src: `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{` +
			`"StringNotEquals":{"aws:SourceVpce":["vpce-1","vpce-2"],"aws:PrincipalAccount":"111122223333"},` +
			`"ForAnyValue:StringLikeIfExists":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci-*"},` +
			`"Null":{"aws:MultiFactorAuthAge":"true"},"IpAddress":{"aws:SourceIp":[]}}}}`,
		stmts: []string{"#0 Deny A[s3:*] R[*] P* C{" +
			"StringNotEquals aws:SourceVpce=[vpce-1 vpce-2]; StringNotEquals aws:PrincipalAccount=[111122223333]; " +
			"ForAnyValue:StringLikeIfExists aws:PrincipalArn=[arn:aws:iam::*:role/ci-*]; " +
			"Null aws:MultiFactorAuthAge=[true]; IpAddress aws:SourceIp=[]}"},
	}, {
		name:  "empty condition",
		src:   `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{}}}`,
		stmts: []string{"#0 Allow A[s3:*] R[*]"},
	}})
}

// Unknown values (a Terraform variable, a computed attribute) stay unknown
// at every level, with their range, and never produce a Problem.
func TestParseUnknown(t *testing.T) {
	const u = `"` + unknownMarker + `"`
	runParseCases(t, []parseCase{
		{name: "whole statement list", src: `{"Statement":` + u + `}`, stmts: []string{"#0 ?"}},
		{name: "one statement", src: `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},` + u + `]}`,
			stmts: []string{"#0 Allow A[s3:*] R[*]", "#1 ?"}},
		{name: "Version, Id and Sid", src: `{"Version":` + u + `,"Id":` + u + `,"Statement":{"Sid":` + u + `,"Effect":"Allow"}}`,
			stmts: []string{"#0 Allow Sid=?"}},
		{name: "Effect", src: `{"Statement":{"Effect":` + u + `,"Action":"s3:*"}}`, stmts: []string{"#0 ? A[s3:*]"}},
		{name: "Action list", src: `{"Statement":{"Effect":"Allow","Action":` + u + `}}`, stmts: []string{"#0 Allow A?"}},
		{name: "Action item", src: `{"Statement":{"Effect":"Allow","Action":["s3:GetObject",` + u + `]}}`,
			stmts: []string{"#0 Allow A[s3:GetObject ?]"}},
		{name: "NotAction, Resource, NotResource", src: `{"Statement":{"Effect":"Allow","NotAction":` + u + `,"Resource":[` + u + `],"NotResource":` + u + `}}`,
			stmts: []string{"#0 Allow NA? R[?] NR?"}},
		{name: "Principal", src: `{"Statement":{"Effect":"Allow","Principal":` + u + `}}`, stmts: []string{"#0 Allow P?"}},
		{name: "NotPrincipal", src: `{"Statement":{"Effect":"Deny","NotPrincipal":` + u + `}}`, stmts: []string{"#0 Deny NP?"}},
		{name: "principal entry", src: `{"Statement":{"Effect":"Allow","Principal":{"AWS":` + u + `,"Service":"s3.amazonaws.com"}}}`,
			stmts: []string{"#0 Allow P{AWS:? Service:[s3.amazonaws.com]}"}},
		{name: "principal item", src: `{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333",` + u + `]}}}`,
			stmts: []string{"#0 Allow P{AWS:[111122223333 ?]}"}},
		{name: "Condition", src: `{"Statement":{"Effect":"Allow","Condition":` + u + `}}`, stmts: []string{"#0 Allow C{? ?=?}"}},
		{name: "condition operator", src: `{"Statement":{"Effect":"Allow","Condition":{"StringEquals":` + u + `}}}`,
			stmts: []string{"#0 Allow C{StringEquals ?=?}"}},
		{name: "condition values", src: `{"Statement":{"Effect":"Allow","Condition":{"StringEquals":{"aws:SourceVpc":` + u + `}}}}`,
			stmts: []string{"#0 Allow C{StringEquals aws:SourceVpc=?}"}},
		{name: "condition value item", src: `{"Statement":{"Effect":"Allow","Condition":{"StringEquals":{"aws:SourceVpc":["vpc-1",` + u + `]}}}}`,
			stmts: []string{"#0 Allow C{StringEquals aws:SourceVpc=[vpc-1 ?]}"}},
	})
}

// TestParseUnknownFlags checks the flags and ranges that the summaries above
// render as "?".
func TestParseUnknownFlags(t *testing.T) {
	src := `{"Statement":[{"Effect":"Allow","Action":"(unknown)","Resource":["(unknown)"],` +
		`"Principal":{"AWS":"(unknown)"},"Condition":{"StringEquals":"(unknown)","Bool":{"k":"(unknown)"}}},"(unknown)"]}`
	doc := Parse(located(t, src))
	if len(doc.Problems) != 0 {
		t.Errorf("problems: %q", problems(doc))
	}
	st := doc.Statements[0]
	if !st.Action.Present || !st.Action.Unknown || st.Action.Items != nil || st.Action.AllKnown() {
		t.Errorf("Action = %+v, want present and unknown", st.Action)
	}
	if st.Action.Range != span(t, src, `"(unknown)"`, 0) {
		t.Errorf("Action range = %v", st.Action.Range)
	}
	if st.Resource.Unknown || len(st.Resource.Items) != 1 || st.Resource.Items[0].Known() || st.Resource.AllKnown() {
		t.Errorf("Resource = %+v, want a known list with one unknown item", st.Resource)
	}
	if r := st.Resource.Items[0].Range; r != span(t, src, `"(unknown)"`, 1) {
		t.Errorf("unknown Resource item range = %v", r)
	}
	e := st.Principal.Entries[0]
	if !e.Unknown || e.Values != nil || str(e.Type) != "AWS" || e.ValueRange != span(t, src, `"(unknown)"`, 2) {
		t.Errorf("principal entry = %+v", e)
	}
	c0, c1 := st.Conditions[0], st.Conditions[1]
	if !c0.Unknown || str(c0.Operator) != "StringEquals" || c0.Key.Known() || c0.Range != span(t, src, `"(unknown)"`, 3) {
		t.Errorf("unknown operator block = %+v", c0)
	}
	if !c1.Unknown || str(c1.Key) != "k" || c1.Values != nil || c1.Range != span(t, src, `"k":"(unknown)"`, 0) {
		t.Errorf("unknown condition values = %+v", c1)
	}
	if last := doc.Statements[1]; !last.Unknown || last.Index != 1 || last.Range != span(t, src, `"(unknown)"`, 5) {
		t.Errorf("unknown statement = %+v", last)
	}

	// A document that is unknown as a whole: no statements, no problems.
	doc = Parse(&graph.Node{Kind: graph.KindUnknown})
	if len(doc.Statements) != 0 || len(doc.Problems) != 0 {
		t.Errorf("unknown document: %q, %q", summaries(doc), problems(doc))
	}
}

// Structural defects IAM would reject are recorded as Problems, each at the
// offending text.
func TestParseProblems(t *testing.T) {
	runParseCases(t, []parseCase{
		{
			name:     "missing Effect",
			src:      `{"Statement":[{"Action":"s3:*","Resource":"*"}]}`,
			stmts:    []string{"#0 ? A[s3:*] R[*]"},
			problems: []string{"1:15 statement has no Effect"},
		},
		{
			// Effect is case-sensitive: "allow" is not "Allow".
			name:     "Effect in the wrong case",
			src:      `{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`,
			stmts:    []string{"#0 allow A[s3:*] R[*]"},
			problems: []string{`1:24 Effect must be "Allow" or "Deny", not "allow"`},
		},
		{
			name:     "Effect of another word",
			src:      `{"Statement":{"Effect":"Permit"}}`,
			stmts:    []string{"#0 Permit"},
			problems: []string{`1:24 not "Permit"`},
		},
		{
			name:     "Effect boolean",
			src:      `{"Statement":{"Effect":true}}`,
			stmts:    []string{"#0 true"},
			problems: []string{`1:24 not "true"`},
		},
		{
			name:     "unknown statement element",
			src:      `{"Statement":{"Effect":"Allow","Actions":"s3:*","resource":"*"}}`,
			stmts:    []string{"#0 Allow"},
			problems: []string{`1:32 unknown statement element "Actions"`, `1:49 unknown statement element "resource"`},
		},
		{
			name:     "unknown policy element",
			src:      `{"version":"2012-10-17","Statement":[]}`,
			stmts:    []string{},
			problems: []string{`1:2 unknown policy element "version"`},
		},
		{
			name:     "Statement string",
			src:      `{"Statement":"Allow"}`,
			stmts:    []string{},
			problems: []string{"1:14 Statement must be an object or a list of objects"},
		},
		{
			name:     "Statement null",
			src:      `{"Statement":null}`,
			stmts:    []string{},
			problems: []string{"1:14 Statement must be an object or a list of objects"},
		},
		{
			name:     "statement of the wrong type",
			src:      `{"Statement":[{"Effect":"Allow"},"x",[]]}`,
			stmts:    []string{"#0 Allow", "#1 ?", "#2 ?"},
			problems: []string{"1:34 a statement must be an object", "1:38 a statement must be an object"},
		},
		{
			name:     "document not an object",
			src:      `[{"Effect":"Allow"}]`,
			stmts:    []string{},
			problems: []string{"1:1 a policy document must be a JSON object, not a list"},
		},
		{
			name:     "Principal string other than *",
			src:      `{"Statement":{"Effect":"Allow","Principal":"111122223333"}}`,
			stmts:    []string{"#0 Allow P?"},
			problems: []string{`1:44 Principal must be "*" or an object such as {"AWS": …}, not the string "111122223333"`},
		},
		{
			name:     "NotPrincipal list",
			src:      `{"Statement":{"Effect":"Deny","NotPrincipal":["*"]}}`,
			stmts:    []string{"#0 Deny NP?"},
			problems: []string{`1:46 NotPrincipal must be "*" or an object, not a list`},
		},
		{
			name:     "principal entry of the wrong type",
			src:      `{"Statement":{"Effect":"Allow","Principal":{"AWS":{"x":1},"Service":true}}}`,
			stmts:    []string{"#0 Allow P{AWS:? Service:?}"},
			problems: []string{`1:51 Principal "AWS" must be a string or a list of strings`, `1:69 Principal "Service" must be`},
		},
		{
			name:     "Action list containing an object",
			src:      `{"Statement":{"Effect":"Allow","Action":["s3:GetObject",{"a":1},null,["x"]]}}`,
			stmts:    []string{"#0 Allow A[s3:GetObject]"},
			problems: []string{"1:57 Action entries must be strings, not an object", "1:65 Action entries must be strings, not null", "1:70 not a list"},
		},
		{
			name:     "Resource object",
			src:      `{"Statement":{"Effect":"Allow","Resource":{"a":1},"NotAction":null}}`,
			stmts:    []string{"#0 Allow NA? R?"},
			problems: []string{"1:43 Resource must be a string or a list of strings, not an object", "1:63 NotAction must be a string or a list of strings, not null"},
		},
		{
			name:     "Condition not an object",
			src:      `{"Statement":{"Effect":"Allow","Condition":["x"]}}`,
			stmts:    []string{"#0 Allow"},
			problems: []string{"1:44 Condition must be an object"},
		},
		{
			name:     "condition operator not an object",
			src:      `{"Statement":{"Effect":"Allow","Condition":{"StringEquals":"x","Bool":{"aws:SecureTransport":"true"}}}}`,
			stmts:    []string{"#0 Allow C{Bool aws:SecureTransport=[true]}"},
			problems: []string{`1:60 condition operator "StringEquals" must map keys to values`},
		},
	})
}

// TestParseWrongTypesAreProblems: a value of the wrong JSON type is a
// structural defect like "Action": [{}] (which is reported), not an unknown
// value. Today Effect, principal identifiers and condition values of kind
// object, list or null silently become unknown strings with no Problem.
func TestParseWrongTypesAreProblems(t *testing.T) {
	for _, src := range []string{
		`{"Statement":{"Effect":{"x":1}}}`,
		`{"Statement":{"Effect":["Allow"]}}`,
		`{"Statement":{"Effect":null}}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":[{"x":1}]}}}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":[null]}}}`,
		`{"Statement":{"Effect":"Allow","Condition":{"StringEquals":{"aws:SourceVpc":{"x":1}}}}}`,
		`{"Statement":{"Effect":"Allow","Condition":{"StringEquals":{"aws:SourceVpc":null}}}}`,
		`{"Statement":{"Effect":"Allow","Condition":{"StringEquals":{"aws:SourceVpc":[["vpc-1"]]}}}}`,
	} {
		if doc := Parse(located(t, src)); len(doc.Problems) == 0 {
			t.Errorf("no Problem for %s (statements %q)", src, summaries(doc))
		}
	}
}

// TestParseRanges pins exact ranges on a multi-line document: values point
// at their text, Strings.KeyRange and PrincipalSpec.Range span from the key
// to the end of the value, a Condition's range from its key to the end of its
// values.
func TestParseRanges(t *testing.T) {
	src := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:role/r"]},
      "Action": "s3:GetObject",
      "Resource": [
        "arn:aws:s3:::b",
        "arn:aws:s3:::b/*"
      ],
      "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}
    }
  ]
}`
	doc := Parse(located(t, src))
	if len(doc.Problems) != 0 || len(doc.Statements) != 1 {
		t.Fatalf("problems %q, statements %q", problems(doc), summaries(doc))
	}
	st := doc.Statements[0]
	pos := func(line, col int) graph.Pos {
		t.Helper()
		// Byte offset of line:col in this ASCII document.
		off := 0
		for l := 1; l < line; l++ {
			off += strings.IndexByte(src[off:], '\n') + 1
		}
		return graph.Pos{Line: line, Col: col, Byte: off + col - 1}
	}
	rng := func(l1, c1, l2, c2 int) graph.Range {
		return graph.Range{File: testFile, Start: pos(l1, c1), End: pos(l2, c2)}
	}
	checks := []struct {
		what      string
		got, want graph.Range
	}{
		{"document", doc.Range, rng(1, 1, 16, 2)},
		{"Version", doc.Version.Range, rng(2, 14, 2, 26)},
		{"statement", st.Range, rng(4, 5, 14, 6)},
		{"Sid", st.Sid.Range, rng(5, 14, 5, 20)},
		{"Effect", st.Effect.Range, rng(6, 17, 6, 24)},
		{"Principal (key to end of value)", st.Principal.Range, rng(7, 7, 7, 65)},
		{"principal type", st.Principal.Entries[0].Type.Range, rng(7, 21, 7, 26)},
		{"principal values", st.Principal.Entries[0].ValueRange, rng(7, 28, 7, 64)},
		{"principal value", st.Principal.Entries[0].Values[0].Range, rng(7, 29, 7, 63)},
		{"Action value", st.Action.Range, rng(8, 17, 8, 31)},
		{"Action key to value", st.Action.KeyRange, rng(8, 7, 8, 31)},
		{"Action item", st.Action.Items[0].Range, rng(8, 17, 8, 31)},
		{"Resource list", st.Resource.Range, rng(9, 19, 12, 8)},
		{"Resource key to end of list", st.Resource.KeyRange, rng(9, 7, 12, 8)},
		{"first Resource", st.Resource.Items[0].Range, rng(10, 9, 10, 25)},
		{"second Resource", st.Resource.Items[1].Range, rng(11, 9, 11, 27)},
		{"condition operator", st.Conditions[0].Operator.Range, rng(13, 21, 13, 35)},
		{"condition key", st.Conditions[0].Key.Range, rng(13, 38, 13, 54)},
		{"condition (key to end of values)", st.Conditions[0].Range, rng(13, 38, 13, 64)},
		{"condition value", st.Conditions[0].Values[0].Range, rng(13, 56, 13, 64)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: range %v (bytes %d-%d), want %v", c.what, c.got, c.got.Start.Byte, c.got.End.Byte, c.want)
		}
	}
	// The second Resource is exactly the quoted text at line 11.
	if r := st.Resource.Items[1].Range; src[r.Start.Byte:r.End.Byte] != `"arn:aws:s3:::b/*"` {
		t.Errorf("second Resource covers %q", src[r.Start.Byte:r.End.Byte])
	}
}

// TestParseProblemRanges pins whole Problem ranges (not just their start).
func TestParseProblemRanges(t *testing.T) {
	src := "{\"Statement\": [\n  {\"Action\": \"s3:*\"},\n  {\"Effect\": \"deny\", \"Foo\": 1}\n]}"
	doc := Parse(located(t, src))
	want := []graph.Range{
		span(t, src, `{"Action": "s3:*"}`, 0), // missing Effect: the statement
		span(t, src, `"deny"`, 0),             // wrong Effect: the value
		span(t, src, `"Foo"`, 0),              // unknown element: the key
	}
	if len(doc.Problems) != len(want) {
		t.Fatalf("problems %q", problems(doc))
	}
	for i, p := range doc.Problems {
		if p.Range != want[i] {
			t.Errorf("problem %q at %v, want %v", p.Message, p.Range, want[i])
		}
	}
	if st := doc.Statements[0]; st.Effect.Known() || st.Effect.Range != st.Range {
		t.Errorf("missing Effect = %+v, want unknown at the statement", doc.Statements[0].Effect)
	}
}

func TestJoinRange(t *testing.T) {
	r := func(file string, s, e int) graph.Range {
		return graph.Range{File: file, Start: graph.Pos{Line: 1, Col: s + 1, Byte: s}, End: graph.Pos{Line: 1, Col: e + 1, Byte: e}}
	}
	tests := []struct {
		a, b, want graph.Range
	}{
		{r("f", 0, 3), r("f", 5, 9), r("f", 0, 9)},
		{r("f", 5, 9), r("f", 0, 3), r("f", 0, 9)},
		{r("f", 0, 9), r("f", 2, 3), r("f", 0, 9)},
		{graph.Range{}, r("f", 5, 9), r("f", 5, 9)},
		{r("f", 0, 3), graph.Range{}, graph.Range{}}, // b has another (no) file: b
		{r("f", 0, 3), r("g", 5, 9), r("g", 5, 9)},   // different files: b
	}
	for _, tc := range tests {
		if got := joinRange(tc.a, tc.b); got != tc.want {
			t.Errorf("joinRange(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestParseResourceShapes: a partly known Resource or NotResource string
// (graph.ShapeOf) is one unknown entry that keeps its shape, alone or in a
// list; other elements keep no shape.
func TestParseResourceShapes(t *testing.T) {
	r := func(line int) graph.Range {
		return graph.Range{Start: graph.Pos{Line: line, Col: 1}, End: graph.Pos{Line: line, Col: 9}}
	}
	shape := "arn:aws:s3:::" + graph.UnknownPart + "/*"
	field := func(key string, v *graph.Node) graph.Field { return graph.Field{Key: key, KeyRange: v.Range, Value: v} }
	st := &graph.Node{Kind: graph.KindObject, Fields: []graph.Field{
		field("Effect", &graph.Node{Kind: graph.KindString, Str: "Allow", Range: r(1)}),
		field("Action", graph.UnknownShaped("s3:"+graph.UnknownPart, r(2))),
		field("Resource", graph.UnknownShaped(shape, r(3))),
		field("NotResource", &graph.Node{Kind: graph.KindList, Range: r(4), List: []*graph.Node{
			graph.UnknownShaped(shape, r(5)), {Kind: graph.KindUnknown, Range: r(6)}}}),
	}}
	doc := Parse(&graph.Node{Kind: graph.KindObject, Fields: []graph.Field{
		field("Statement", &graph.Node{Kind: graph.KindList, List: []*graph.Node{st}})}})
	got := doc.Statements[0]
	if !got.Action.Unknown || len(got.Action.Items) != 0 {
		t.Errorf("Action = %+v, want an unknown element", got.Action)
	}
	if got.Resource.Unknown || len(got.Resource.Items) != 1 || got.Resource.Items[0].V != shape || got.Resource.Items[0].Known() ||
		got.Resource.Items[0].Range != r(3) || got.Resource.Range != r(3) {
		t.Errorf("Resource = %+v, want one unknown entry shaped %q", got.Resource, shape)
	}
	if n := got.NotResource; n.Unknown || len(n.Items) != 2 || n.Items[0].V != shape || n.Items[1].V != "" || n.Items[1].Known() {
		t.Errorf("NotResource = %+v", n)
	}
}

// TestShapeMisses: a partly known Resource entry matches no request that
// its known text rules out, whatever its unknown parts hold; otherwise it
// may match.
func TestShapeMisses(t *testing.T) {
	u := graph.UnknownPart
	st := func(shape string) *graph.Statement {
		return &graph.Statement{Resource: graph.Strings{Present: true, Items: []graph.String{graph.StringShaped(shape, graph.Range{})}}}
	}
	for _, tc := range []struct {
		shape, resource string
		want            Tri
	}{
		{"arn:aws:s3:::" + u + "/*", "arn:aws:s3:::acme", No},             // objects only: never the bucket
		{"arn:aws:s3:::" + u + "/*", "arn:aws:s3:::acme/k", Maybe},        // may be acme's objects
		{"arn:aws:s3:::" + u, "arn:aws:s3:::acme/k", Maybe},               // the unknown part may hold "acme/*"
		{"arn:aws:s3:::" + u + "-logs/*", "arn:aws:s3:::acme/k", No},      // "-logs/" is not in it
		{"arn:aws:s3:::${aws:username}/" + u, "arn:aws:s3:::acme", Maybe}, // a policy variable: undecided
	} {
		req := &Request{Action: "s3:ListBucket", Resource: tc.resource}
		if got := matchResources(st(tc.shape), req); got.T != tc.want {
			t.Errorf("%q against %s: %v, want %v", tc.shape, tc.resource, got.T, tc.want)
		}
	}
}

// reference_policies_elements_version: a document without Version is read
// as 2008-10-17, which has no policy variables.
func TestLiteralVariables(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, true},
		{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, true},
		{`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},"Version":"2012-10-17"}`, false},
	} {
		doc := Parse(located(t, c.doc))
		if got := doc.Statements[0].LiteralVariables; got != c.want {
			t.Errorf("%s: LiteralVariables %v, want %v", c.doc, got, c.want)
		}
	}
}

func TestVariables(t *testing.T) {
	got := Variables("arn:aws:s3:::b/${aws:username}/${aws:PrincipalTag/team, 'x'}/&{aws:userid}/${*}/${var.name}/${aws:username")
	want := []string{"aws:username", "aws:PrincipalTag/team", "aws:userid"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Variables = %q, want %q", got, want)
	}
}
