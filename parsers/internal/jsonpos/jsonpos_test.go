package jsonpos_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

const file = "doc.json"

// parse runs jsonpos on src with a plain file's line index as mapper.
func parse(src string, o jsonpos.Options) (*graph.Node, error) {
	f := source.NewFile(file, []byte(src))
	return jsonpos.Parse(f.Bytes, f.Range, o)
}

func mustParse(t *testing.T, src string) *graph.Node {
	t.Helper()
	n, err := parse(src, jsonpos.Options{})
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return n
}

// rng builds an expected range; byte offsets are given explicitly because
// columns count characters.
func rng(l1, c1, b1, l2, c2, b2 int) graph.Range {
	return graph.Range{File: file, Start: graph.Pos{Line: l1, Col: c1, Byte: b1}, End: graph.Pos{Line: l2, Col: c2, Byte: b2}}
}

// text is the source text a range covers.
func text(src string, r graph.Range) string { return src[r.Start.Byte:r.End.Byte] }

func TestScalars(t *testing.T) {
	tests := []struct {
		src  string
		kind graph.Kind
		str  string // Str for strings and numbers
		b    bool
	}{
		{`"abc"`, graph.KindString, "abc", false},
		{`""`, graph.KindString, "", false},
		{`0`, graph.KindNumber, "0", false},
		{`-0`, graph.KindNumber, "-0", false},
		{`42`, graph.KindNumber, "42", false},
		{`-17`, graph.KindNumber, "-17", false},
		{`3.25`, graph.KindNumber, "3.25", false},
		{`-0.5`, graph.KindNumber, "-0.5", false},
		{`1e10`, graph.KindNumber, "1e10", false},
		{`1E+10`, graph.KindNumber, "1E+10", false},
		{`-2.5e-3`, graph.KindNumber, "-2.5e-3", false},
		{`0e0`, graph.KindNumber, "0e0", false},
		{`123456789012345678901234567890`, graph.KindNumber, "123456789012345678901234567890", false},
		{`1e400`, graph.KindNumber, "1e400", false},
		{`true`, graph.KindBool, "", true},
		{`false`, graph.KindBool, "", false},
		{`null`, graph.KindNull, "", false},
	}
	for _, tc := range tests {
		// Surrounding whitespace of every kind JSON allows.
		src := " \t\r\n" + tc.src + "\n\t "
		n := mustParse(t, src)
		if n.Kind != tc.kind || n.Str != tc.str || n.Bool != tc.b {
			t.Errorf("Parse(%q) = kind %v str %q bool %v; want %v %q %v", tc.src, n.Kind, n.Str, n.Bool, tc.kind, tc.str, tc.b)
		}
		// The value starts on line 2, column 1, after " \t\r\n".
		n0 := utf8.RuneCountInString(tc.src)
		want := rng(2, 1, 4, 2, 1+n0, 4+len(tc.src))
		if n.Range != want {
			t.Errorf("Parse(%q) range = %+v, want %+v", tc.src, n.Range, want)
		}
	}
}

// TestRanges pins exact line:col ranges, columns counted in characters (as
// SARIF and editors do) across multibyte UTF-8 and tabs.
func TestRanges(t *testing.T) {
	src := "{\n" + // line 1
		"\t\"ключ\": \"значение\",\n" + // line 2: a tab, Cyrillic (2 bytes a letter)
		"  \"日本\": [1, \"😀\", true],\n" + // line 3: CJK (3 bytes), an emoji (4 bytes)
		"\t\t\"n\": {\"a\": null}\n" + // line 4: two tabs
		"}"
	n := mustParse(t, src)
	if n.Kind != graph.KindObject || len(n.Fields) != 3 {
		t.Fatalf("got %s", n.JSON())
	}
	off := func(s string) int {
		i := strings.Index(src, s)
		if i < 0 {
			t.Fatalf("%q not in source", s)
		}
		return i
	}
	checks := []struct {
		what string
		got  graph.Range
		want graph.Range
		text string
	}{
		{"document", n.Range, rng(1, 1, 0, 5, 2, len(src)), src},
		// Line 2: col 1 is the tab.
		{"key ключ", n.Fields[0].KeyRange, rng(2, 2, 3, 2, 8, 3+len(`"ключ"`)), `"ключ"`},
		{"value значение", n.Fields[0].Value.Range, rng(2, 10, off(`"значение"`), 2, 20, off(`"значение"`)+len(`"значение"`)), `"значение"`},
		// Line 3.
		{"key 日本", n.Fields[1].KeyRange, rng(3, 3, off(`"日本"`), 3, 7, off(`"日本"`)+len(`"日本"`)), `"日本"`},
		{"list", n.Fields[1].Value.Range, rng(3, 9, off("[1"), 3, 23, off("[1")+len(`[1, "😀", true]`)), `[1, "😀", true]`},
		{"1", n.Fields[1].Value.List[0].Range, rng(3, 10, off("1,"), 3, 11, off("1,")+1), "1"},
		{"emoji", n.Fields[1].Value.List[1].Range, rng(3, 13, off(`"😀"`), 3, 16, off(`"😀"`)+6), `"😀"`},
		{"true", n.Fields[1].Value.List[2].Range, rng(3, 18, off("true"), 3, 22, off("true")+4), "true"},
		// Line 4: two tabs are two columns.
		{"key n", n.Fields[2].KeyRange, rng(4, 3, off(`"n"`), 4, 6, off(`"n"`)+3), `"n"`},
		{"object", n.Fields[2].Value.Range, rng(4, 8, off(`{"a"`), 4, 19, off(`{"a"`)+len(`{"a": null}`)), `{"a": null}`},
		{"null", n.Fields[2].Value.Fields[0].Value.Range, rng(4, 14, off("null"), 4, 18, off("null")+4), "null"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: range %+v, want %+v", c.what, c.got, c.want)
		}
		if got := text(src, c.got); got != c.text {
			t.Errorf("%s: covers %q, want %q", c.what, got, c.text)
		}
	}
	if n.Fields[0].Key != "ключ" || n.Fields[0].Value.Str != "значение" || n.Fields[1].Key != "日本" || n.Fields[1].Value.List[1].Str != "😀" {
		t.Errorf("decoded text differs: %s", n.JSON())
	}
}

func TestCRLFRanges(t *testing.T) {
	src := "[\r\n  \"a\",\r\n  \"b\"\r\n]"
	n := mustParse(t, src)
	b := n.List[1]
	if want := rng(3, 3, 13, 3, 6, 16); b.Range != want {
		t.Errorf("range of \"b\" = %+v, want %+v", b.Range, want)
	}
	if want := rng(1, 1, 0, 4, 2, len(src)); n.Range != want {
		t.Errorf("list range = %+v, want %+v", n.Range, want)
	}
}

// TestBOM: a leading UTF-8 byte-order mark is skipped (editors on Windows
// write one) and ranges still count from the start of the file.
func TestBOM(t *testing.T) {
	src := "\ufeff{\"a\": 1}"
	n := mustParse(t, src)
	// (Whether the BOM counts as a column is left open: today it does.)
	if n.Range.Start.Byte != 3 || n.Range.Start.Line != 1 || n.Range.End.Byte != len(src) || n.Fields[0].Key != "a" {
		t.Errorf("after a BOM: %+v %s", n.Range, n.JSON())
	}
	// Only one, and only at the very start.
	for _, bad := range []string{"\ufeff\ufeff{}", " \ufeff{}", "{}\ufeff", "[\ufeff]", "\xef\xbb{}"} {
		if _, err := parse(bad, jsonpos.Options{}); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", bad)
		}
	}
	if _, err := parse("\ufeff", jsonpos.Options{}); err == nil {
		t.Error("a lone BOM parsed")
	}
}

// TestEscapes covers every escape of RFC 8259 §7, including \/ (which
// yaml.v3 mis-reads), surrogate pairs, and lone surrogates (U+FFFD, as
// encoding/json does).
func TestEscapes(t *testing.T) {
	tests := []struct{ src, want string }{
		{`"\""`, `"`},
		{`"\\"`, `\`},
		{`"\/"`, `/`},
		{`"arn:aws:s3:::b\/*"`, `arn:aws:s3:::b/*`},
		{`"\b\f\n\r\t"`, "\b\f\n\r\t"},
		{`"\u0041\u00e9\u00E9\u20ac"`, "Aéé€"},
		{`"\u0000"`, "\x00"},
		{`"\ud83d\ude00"`, "😀"},
		{`"\uD83D\uDE00"`, "😀"},
		{`"x\ud800"`, "x\uFFFD"},
		{`"\ud800x"`, "\uFFFDx"},
		{`"\udc00"`, "\uFFFD"},
		{`"\ud800\u0041"`, "\uFFFDA"},
		{`"\ud800\ud800\udc00"`, "\uFFFD\U00010000"},
		{`"\udc00\ud800"`, "\uFFFD\uFFFD"},
		{`"\ud800\n"`, "\uFFFD\n"},
		{`"\ufffd"`, "\uFFFD"},
		{"\"raw é 😀 \x7f\"", "raw é 😀 \x7f"},
	}
	for _, tc := range tests {
		n, err := parse(tc.src, jsonpos.Options{})
		if err != nil {
			t.Errorf("Parse(%s): %v", tc.src, err)
			continue
		}
		if n.Str != tc.want {
			t.Errorf("Parse(%s) = %q, want %q", tc.src, n.Str, tc.want)
		}
		var std string
		if err := json.Unmarshal([]byte(tc.src), &std); err != nil || std != n.Str {
			t.Errorf("encoding/json reads %s as %q (%v), jsonpos as %q", tc.src, std, err, n.Str)
		}
		if n.Range.Start.Byte != 0 || n.Range.End.Byte != len(tc.src) {
			t.Errorf("Parse(%s) range %+v does not cover the literal", tc.src, n.Range)
		}
	}
}

// TestErrors pins the error and its byte offset for malformed input.
func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		offset int
		msg    string
	}{
		{"empty", "", 0, "unexpected end of input"},
		{"whitespace only", " \n\t", 3, "unexpected end of input"},
		{"truncated object", `{"a":`, 5, "unexpected end of input"},
		{"truncated after value", `{"a":1`, 6, "expected ',' or '}'"},
		{"truncated list", `[1, 2`, 5, "expected ',' or ']'"},
		{"truncated key", `{"a`, 3, "unterminated string"},
		{"truncated string", `"abc`, 4, "unterminated string"},
		{"truncated escape", `"\`, 2, "unterminated escape"},
		{"truncated unicode", `"\u12`, 3, `truncated \u escape`},
		{"truncated literal", `tru`, 0, "expected a JSON value"},
		{"trailing comma in list", `[1,]`, 3, "unexpected ']', expected a JSON value"},
		{"trailing comma in object", `{"a":1,}`, 7, "unexpected '}', expected a string key"},
		{"leading comma", `[,1]`, 1, "expected a JSON value"},
		{"double comma", `[1,,2]`, 3, "expected a JSON value"},
		{"missing colon", `{"a" 1}`, 5, "expected ':' after the key"},
		{"missing comma", `[1 2]`, 3, "expected ',' or ']'"},
		{"missing comma in object", `{"a":1 "b":2}`, 7, "expected ',' or '}'"},
		{"single-quoted string", `'a'`, 0, "unexpected '\\'', expected a JSON value"},
		{"single-quoted key", `{'a':1}`, 1, "expected a string key"},
		{"unquoted key", `{a:1}`, 1, "expected a string key"},
		{"number key", `{1:1}`, 1, "expected a string key"},
		{"control character", "\"a\x01b\"", 2, "control character 0x01"},
		{"raw newline in string", "\"a\nb\"", 2, "control character 0x0a"},
		{"raw tab in string", "\"a\tb\"", 2, "control character 0x09"},
		{"NUL in string", "\"\x00\"", 1, "control character 0x00"},
		{"0x1f in string", "\"ab\x1f\"", 3, "control character 0x1f"},
		{"invalid UTF-8 in string", "\"a\xffb\"", 2, "invalid UTF-8"},
		{"truncated UTF-8 in string", "\"a\xe6\x97\"", 2, "invalid UTF-8"},
		{"UTF-8 surrogate in string", "\"\xed\xa0\x80\"", 1, "invalid UTF-8"},
		{"overlong UTF-8 in string", "\"\xc0\xaf\"", 1, "invalid UTF-8"},
		{"invalid UTF-8 outside strings", "\xff", 0, "byte 0xff"},
		{"invalid escape", `"\x41"`, 2, `invalid escape sequence \x`},
		{"invalid escape \\U", `"\U0041"`, 2, `invalid escape sequence \U`},
		{"invalid unicode escape", `"\u12g4"`, 3, `invalid \u escape`},
		{"signed unicode escape", `"\u+123"`, 3, `invalid \u escape`},
		{"bad low surrogate escape", `"\ud800\uzzzz"`, 9, `invalid \u escape`},
		// RFC 8259 §6: no leading zeros, no leading +, no bare point.
		{"leading zero", `01`, 1, "unexpected '1' after the JSON value"},
		{"leading zeros", `007`, 1, "after the JSON value"},
		{"negative leading zero", `-01`, 2, "after the JSON value"},
		{"leading zero in list", `[01]`, 2, "expected ',' or ']'"},
		{"plus sign", `+1`, 0, "expected a JSON value"},
		{"bare minus", `-`, 1, "invalid number"},
		{"minus letter", `-a`, 1, "invalid number"},
		{"leading point", `.5`, 0, "expected a JSON value"},
		{"trailing point", `1.`, 2, "digits after the decimal point"},
		{"point then exponent", `1.e5`, 2, "digits after the decimal point"},
		{"empty exponent", `1e`, 2, "digits in the exponent"},
		{"signed empty exponent", `1E+`, 3, "digits in the exponent"},
		{"hex", `0x1F`, 1, "after the JSON value"},
		{"Infinity", `Infinity`, 0, "expected a JSON value"},
		{"NaN", `NaN`, 0, "expected a JSON value"},
		{"trailing garbage", `{} x`, 3, "unexpected 'x' after the JSON value"},
		{"two values", `1 2`, 2, "after the JSON value"},
		{"literal with suffix", `trueX`, 4, "unexpected 'X' after the JSON value"},
		{"capitalized literal", `True`, 0, "expected a JSON value"},
		{"comment", `{"a":1 /* c */}`, 7, "expected ',' or '}'"},
		{"form feed is not whitespace", "\f1", 0, "expected a JSON value"},
		{"NBSP is not whitespace", "\u00a01", 0, "unexpected '\\u00a0'"},
		{"unclosed nesting", `[[[{"a":[`, 9, "unexpected end of input"},
		{"mismatched close", `[1}`, 2, "expected ',' or ']'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := parse(tc.src, jsonpos.Options{})
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", tc.src, n.JSON())
			}
			if n != nil {
				t.Errorf("Parse(%q) returned a node with its error", tc.src)
			}
			var se *jsonpos.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T %v, want *SyntaxError", tc.src, err, err)
			}
			if se.Offset != tc.offset || !strings.Contains(se.Msg, tc.msg) || err.Error() != se.Msg {
				t.Errorf("Parse(%q) = offset %d %q, want offset %d containing %q", tc.src, se.Offset, se.Msg, tc.offset, tc.msg)
			}
			if json.Valid([]byte(tc.src)) && !strings.Contains(tc.name, "UTF-8") {
				t.Errorf("encoding/json accepts %q", tc.src)
			}
		})
	}
}

func nest(depth int, inner string) string {
	return strings.Repeat("[", depth) + inner + strings.Repeat("]", depth)
}

// TestDepth: nesting is bounded so that hostile input is an error, not a
// stack overflow. A value may sit inside at most MaxDepth containers.
func TestDepth(t *testing.T) {
	if _, err := parse(nest(512, "1"), jsonpos.Options{}); err != nil {
		t.Errorf("512 levels (the default limit): %v", err)
	}
	_, err := parse(nest(513, "1"), jsonpos.Options{})
	var se *jsonpos.SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "nesting deeper than 512 levels") || se.Offset != 513 {
		t.Errorf("513 levels: %v, want a nesting error at offset 513", err)
	}
	// Far beyond any stack: still just an error.
	if _, err := parse(nest(1_000_000, ""), jsonpos.Options{}); err == nil {
		t.Error("a million levels parsed")
	}
	if _, err := parse(strings.Repeat(`{"a":`, 100_000), jsonpos.Options{}); err == nil || !strings.Contains(err.Error(), "nesting") {
		t.Errorf("100000 nested objects: %v, want a nesting error", err)
	}

	small := jsonpos.Options{MaxDepth: 2}
	for src, ok := range map[string]bool{
		`1`:               true,
		`[1]`:             true,
		`[[1]]`:           true,
		`{"a":{"b":1}}`:   true,
		`[[[]]]`:          true, // the innermost list is a value at depth 2
		`[[[1]]]`:         false,
		`{"a":[{"b":1}]}`: false,
		`[1,[2,[3]]]`:     false,
		`[[1],[2],[3]]`:   true,
	} {
		_, err := parse(src, small)
		if (err == nil) != ok {
			t.Errorf("MaxDepth 2, %s: err = %v, want ok = %v", src, err, ok)
		}
	}
}

// dupCall records one OnDuplicate call.
type dupCall struct {
	key          string
	first, again graph.Range
}

// TestDuplicateKeys: a repeated key is reported with the range of its first
// occurrence and of the repeat; the node keeps both fields in order.
// Keys compare after unescaping, and only within one object.
func TestDuplicateKeys(t *testing.T) {
	src := `{"a": 1, "b": {"a": 2}, "a": 3, "\u0061": 4, "b": 5}`
	var calls []dupCall
	n, err := parse(src, jsonpos.Options{OnDuplicate: func(key string, first, again graph.Range) {
		calls = append(calls, dupCall{key, first, again})
	}})
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string, i int) graph.Range {
		off := -1
		for range i + 1 {
			off += 1 + strings.Index(src[off+1:], s)
		}
		return rng(1, off+1, off, 1, off+1+len(s), off+len(s))
	}
	want := []dupCall{
		{"a", at(`"a"`, 0), at(`"a"`, 2)},
		{"a", at(`"a"`, 0), at(`"\u0061"`, 0)},
		{"b", at(`"b"`, 0), at(`"b"`, 1)},
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("OnDuplicate calls:\n got %+v\nwant %+v", calls, want)
	}
	var keys []string
	for _, f := range n.Fields {
		keys = append(keys, f.Key+"="+f.Value.JSON())
	}
	if got := strings.Join(keys, " "); got != `a=1 b={"a":2} a=3 a=4 b=5` {
		t.Errorf("fields = %s", got)
	}
	// Get returns the first.
	if n.Get("a").Str != "1" {
		t.Errorf("Get(a) = %s", n.Get("a").JSON())
	}
	// Without a callback duplicates are fine.
	if _, err := parse(src, jsonpos.Options{}); err != nil {
		t.Error(err)
	}
	// Case matters: "A" and "a" are different keys.
	calls = nil
	if _, err := parse(`{"a":1,"A":2}`, jsonpos.Options{OnDuplicate: func(k string, f, a graph.Range) { calls = append(calls, dupCall{k, f, a}) }}); err != nil || calls != nil {
		t.Errorf("a and A reported as duplicates: %v %+v", err, calls)
	}
}

// toAny converts a node to the value encoding/json produces with UseNumber:
// later duplicate keys win, as in encoding/json.
func toAny(n *graph.Node) any {
	switch n.Kind {
	case graph.KindNull:
		return nil
	case graph.KindBool:
		return n.Bool
	case graph.KindNumber:
		return json.Number(n.Str)
	case graph.KindString:
		return n.Str
	case graph.KindList:
		out := []any{}
		for _, e := range n.List {
			out = append(out, toAny(e))
		}
		return out
	case graph.KindObject:
		out := map[string]any{}
		for _, f := range n.Fields {
			out[f.Key] = toAny(f.Value)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected kind %v", n.Kind))
}

func stdDecode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// checkRanges verifies the structural promises about ranges: every range is
// inside the input, non-empty, nested in its parent, in source order, and
// covers text of the right shape.
func checkRanges(t *testing.T, src []byte, n *graph.Node) {
	t.Helper()
	var walk func(n *graph.Node, lo, hi int)
	within := func(what string, r graph.Range, lo, hi int) {
		t.Helper()
		if r.File != file || r.Start.Byte < lo || r.End.Byte > hi || r.Start.Byte >= r.End.Byte {
			t.Fatalf("%s range %+v not a non-empty span within [%d,%d) of %d bytes", what, r, lo, hi, len(src))
		}
	}
	walk = func(n *graph.Node, lo, hi int) {
		within(n.Kind.String(), n.Range, lo, hi)
		s, e := n.Range.Start.Byte, n.Range.End.Byte
		txt := string(src[s:e])
		first, last := txt[0], txt[len(txt)-1]
		switch n.Kind {
		case graph.KindObject:
			if first != '{' || last != '}' {
				t.Fatalf("object range covers %q", txt)
			}
			prev := s + 1
			for _, f := range n.Fields {
				within("key", f.KeyRange, prev, e-1)
				if src[f.KeyRange.Start.Byte] != '"' || src[f.KeyRange.End.Byte-1] != '"' {
					t.Fatalf("key range covers %q", src[f.KeyRange.Start.Byte:f.KeyRange.End.Byte])
				}
				walk(f.Value, f.KeyRange.End.Byte, e-1)
				prev = f.Value.Range.End.Byte
			}
		case graph.KindList:
			if first != '[' || last != ']' {
				t.Fatalf("list range covers %q", txt)
			}
			prev := s + 1
			for _, v := range n.List {
				walk(v, prev, e-1)
				prev = v.Range.End.Byte
			}
		case graph.KindString:
			var std string
			if first != '"' || last != '"' || len(txt) < 2 || json.Unmarshal([]byte(txt), &std) != nil || std != n.Str {
				t.Fatalf("string %q has range covering %q", n.Str, txt)
			}
		case graph.KindNumber:
			if txt != n.Str {
				t.Fatalf("number %q has range covering %q", n.Str, txt)
			}
		case graph.KindBool, graph.KindNull:
			if txt != n.JSON() {
				t.Fatalf("%s has range covering %q", n.JSON(), txt)
			}
		default:
			t.Fatalf("kind %v from the JSON parser", n.Kind)
		}
		// Line and column agree with the byte offset.
		for _, p := range []graph.Pos{n.Range.Start, n.Range.End} {
			before := src[:p.Byte]
			line := 1 + bytes.Count(before, []byte("\n"))
			lineStart := before[bytes.LastIndexByte(before, '\n')+1:]
			if line == 1 {
				// A byte-order mark is not a column.
				lineStart = bytes.TrimPrefix(lineStart, []byte("\ufeff"))
			}
			col := 1 + utf8.RuneCount(lineStart)
			if p.Line != line || p.Col != col {
				t.Fatalf("position %+v, want line %d col %d", p, line, col)
			}
		}
	}
	walk(n, 0, len(src))
}

// corpus are valid documents; jsonpos must read each as encoding/json does.
var corpus = []string{
	`{}`, `[]`, `""`, `0`, `-0.0e+0`, `true`, `false`, `null`,
	` {"a" : [ 1 , 2 ] , "b" : { } } `,
	`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b\/*"}}`,
	`["\u00e9", "\ud83d\ude00", "\ud800", "\udc00\ud800", "a\u0000b"]`,
	`[1e308, 1e309, -1e-400, 123456789012345678901234567890, 0.1]`,
	`{"": {"": [""]}}`,
	`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
	"[\"\x7f\", \"é\", \"日本語\", \"😀\"]",
	`{"a":1,"a":2}`,
	"\r\n\t [\r\n\t 1\r\n\t ]\r\n\t ",
}

func corpusFiles(t testing.TB) map[string][]byte {
	paths, err := filepath.Glob(filepath.Join("testdata", "valid", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/valid/*.json: %v", err)
	}
	out := map[string][]byte{}
	for i, s := range corpus {
		out[fmt.Sprintf("corpus[%d]", i)] = []byte(s)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = b
	}
	return out
}

// TestAgainstEncodingJSON: on valid documents jsonpos agrees with
// encoding/json value for value, and every range is sound.
func TestAgainstEncodingJSON(t *testing.T) {
	for name, b := range corpusFiles(t) {
		t.Run(name, func(t *testing.T) {
			if !json.Valid(b) {
				t.Fatalf("corpus entry is not valid JSON")
			}
			want, err := stdDecode(b)
			if err != nil {
				t.Fatal(err)
			}
			f := source.NewFile(file, b)
			n, err := jsonpos.Parse(b, f.Range, jsonpos.Options{})
			if err != nil {
				t.Fatalf("jsonpos: %v", err)
			}
			if got := toAny(n); !reflect.DeepEqual(got, want) {
				t.Errorf("values differ:\njsonpos       %#v\nencoding/json %#v", got, want)
			}
			checkRanges(t, b, n)
		})
	}
}

// nesting is the deepest bracket nesting of valid JSON b.
func nesting(b []byte) int {
	depth, deepest := 0, 0
	inStr, esc := false, false
	for _, c := range b {
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// FuzzParse: jsonpos never panics; it accepts exactly what encoding/json
// accepts, except
//   - a leading byte-order mark, which only jsonpos skips;
//   - invalid UTF-8 inside strings, which encoding/json replaces and
//     jsonpos (strict) rejects;
//   - nesting beyond jsonpos's limit (512; encoding/json allows 10000);
//
// accepted documents decode to the same values, and every range lies within
// the input.
func FuzzParse(f *testing.F) {
	for _, b := range corpusFiles(f) {
		f.Add(b)
	}
	for _, s := range []string{"", "01", "[1,]", `{"a" 1}`, "'a'", "\"\x01\"", "\"\xff\"", "\ufeff{}", "\ufeff\ufeff1",
		`"\ud800\u"`, `"\u12`, "[" + strings.Repeat("[", 600), nest(512, "1"), nest(513, "1"), nest(513, ""), `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sf := source.NewFile(file, b)
		n, err := jsonpos.Parse(b, sf.Range, jsonpos.Options{OnDuplicate: func(key string, first, again graph.Range) {
			if first.Start.Byte >= again.Start.Byte || again.End.Byte > len(b) {
				t.Fatalf("duplicate %q: first %+v, again %+v", key, first, again)
			}
		}})
		if err != nil {
			var se *jsonpos.SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(b) || se.Msg == "" {
				t.Fatalf("error %#v not a SyntaxError within the input", err)
			}
		}
		if (n == nil) == (err == nil) {
			t.Fatalf("node %v and error %v", n, err)
		}

		std := b
		bom := bytes.HasPrefix(b, []byte("\ufeff"))
		if bom {
			std = b[3:]
		}
		valid := json.Valid(std)
		switch {
		case valid && !utf8.Valid(std):
			if err == nil {
				t.Fatalf("accepted invalid UTF-8 %q", b)
			}
			return
		case valid && nesting(std) > 512:
			if err == nil && nesting(std) > 513 {
				t.Fatalf("accepted nesting %d beyond the limit", nesting(std))
			}
			return
		case valid && err != nil:
			t.Fatalf("encoding/json accepts %q, jsonpos says: %v", b, err)
		case !valid && err == nil:
			t.Fatalf("encoding/json rejects %q, jsonpos accepts it as %s", b, n.JSON())
		case !valid:
			return
		}
		want, derr := stdDecode(std)
		if derr != nil {
			t.Fatalf("encoding/json: Valid but Decode fails: %v", derr)
		}
		if got := toAny(n); !reflect.DeepEqual(got, want) {
			t.Fatalf("values differ on %q:\njsonpos       %#v\nencoding/json %#v", b, got, want)
		}
		checkRanges(t, b, n)
		if bom && n.Range.Start.Byte < 3 {
			t.Fatalf("range %+v starts inside the BOM", n.Range)
		}
	})
}

// TestDuplicateKeysLargeObject: past a few fields duplicates are found
// through an index; the reports are the same as by scanning: each repeat
// names the first occurrence, in source order.
func TestDuplicateKeysLargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 40 {
		if i > 0 {
			b.WriteString(", ")
		}
		// Keys k0…k29, then k3, k3, k20, k35 again.
		key := fmt.Sprintf("k%d", i)
		switch i {
		case 5, 31:
			key = "k3"
		case 33:
			key = "k20"
		case 39:
			key = "k5"
		}
		fmt.Fprintf(&b, "%q: %d", key, i)
	}
	b.WriteString("}")
	var got []string
	_, err := parse(b.String(), jsonpos.Options{OnDuplicate: func(key string, first, again graph.Range) {
		got = append(got, fmt.Sprintf("%s@%d/%d", key, first.Start.Byte, again.Start.Byte))
	}})
	if err != nil {
		t.Fatal(err)
	}
	src := b.String()
	at := func(key string, n int) int {
		off := -1
		for range n + 1 {
			off += 1 + strings.Index(src[off+1:], `"`+key+`"`)
		}
		return off
	}
	want := []string{
		fmt.Sprintf("k3@%d/%d", at("k3", 0), at("k3", 1)),
		fmt.Sprintf("k3@%d/%d", at("k3", 0), at("k3", 2)),
		fmt.Sprintf("k20@%d/%d", at("k20", 0), at("k20", 1)),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OnDuplicate calls:\n got %v\nwant %v", got, want)
	}
}
