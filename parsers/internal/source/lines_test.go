package source

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
)

// Positions are 1-based lines and 1-based columns counted in characters
// (SARIF's unicodeCodePoints, what editors show); Byte is the 0-based offset.
func TestPos(t *testing.T) {
	tests := []struct {
		name string
		src  string
		off  int
		want graph.Pos
	}{
		// ASCII.
		{"start", "ab\ncd", 0, graph.Pos{Line: 1, Col: 1, Byte: 0}},
		{"middle of line 1", "ab\ncd", 1, graph.Pos{Line: 1, Col: 2, Byte: 1}},
		{"newline itself", "ab\ncd", 2, graph.Pos{Line: 1, Col: 3, Byte: 2}},
		{"start of line 2", "ab\ncd", 3, graph.Pos{Line: 2, Col: 1, Byte: 3}},
		{"last char", "ab\ncd", 4, graph.Pos{Line: 2, Col: 2, Byte: 4}},
		{"end of file", "ab\ncd", 5, graph.Pos{Line: 2, Col: 3, Byte: 5}},
		{"end after final newline", "ab\n", 3, graph.Pos{Line: 2, Col: 1, Byte: 3}},
		{"empty lines", "\n\n\nx", 3, graph.Pos{Line: 4, Col: 1, Byte: 3}},
		{"on an empty line", "\n\n\nx", 1, graph.Pos{Line: 2, Col: 1, Byte: 1}},
		{"tab is one column", "\t\tx", 2, graph.Pos{Line: 1, Col: 3, Byte: 2}},

		// Multibyte: é is 2 bytes, 日 3, 😀 4; each is one column.
		{"after é", "é=1", 2, graph.Pos{Line: 1, Col: 2, Byte: 2}},
		{"after 日本", "日本x", 6, graph.Pos{Line: 1, Col: 3, Byte: 6}},
		{"after emoji", "😀x", 4, graph.Pos{Line: 1, Col: 2, Byte: 4}},
		{"multibyte on line 2", "日\n\té😀\"", 11, graph.Pos{Line: 2, Col: 4, Byte: 11}},
		{"multibyte line before", "日本語\nx", 10, graph.Pos{Line: 2, Col: 1, Byte: 10}},

		// CRLF: the \r is the last character of its line.
		{"CR", "ab\r\ncd", 2, graph.Pos{Line: 1, Col: 3, Byte: 2}},
		{"LF after CR", "ab\r\ncd", 3, graph.Pos{Line: 1, Col: 4, Byte: 3}},
		{"after CRLF", "ab\r\ncd", 4, graph.Pos{Line: 2, Col: 1, Byte: 4}},
		{"CRLF end", "ab\r\ncd\r\n", 8, graph.Pos{Line: 3, Col: 1, Byte: 8}},
		{"lone CR is not a line break", "a\rb", 2, graph.Pos{Line: 1, Col: 3, Byte: 2}},

		// Out of range offsets are clamped to the file.
		{"negative", "ab\ncd", -5, graph.Pos{Line: 1, Col: 1, Byte: 0}},
		{"past the end", "ab\ncd", 99, graph.Pos{Line: 2, Col: 3, Byte: 5}},
		{"past the end after newline", "ab\n", 4, graph.Pos{Line: 2, Col: 1, Byte: 3}},
		{"empty file", "", 0, graph.Pos{Line: 1, Col: 1, Byte: 0}},
		{"empty file, past the end", "", 7, graph.Pos{Line: 1, Col: 1, Byte: 0}},
		{"empty file, negative", "", -1, graph.Pos{Line: 1, Col: 1, Byte: 0}},
	}
	for _, tc := range tests {
		f := NewFile("f.json", []byte(tc.src))
		if got := f.Pos(tc.off); got != tc.want {
			t.Errorf("%s: Pos(%d) in %q = %+v, want %+v", tc.name, tc.off, tc.src, got, tc.want)
		}
	}
}

func TestRange(t *testing.T) {
	src := "{\r\n  \"ключ\": 1\r\n}"
	f := NewFile("dir/p.json", []byte(src))
	if f.Name != "dir/p.json" || string(f.Bytes) != src {
		t.Errorf("NewFile kept %q, %q", f.Name, f.Bytes)
	}
	start := strings.Index(src, `"ключ"`)
	end := start + len(`"ключ"`)
	want := graph.Range{File: "dir/p.json",
		Start: graph.Pos{Line: 2, Col: 3, Byte: start},
		End:   graph.Pos{Line: 2, Col: 9, Byte: end}}
	if got := f.Range(start, end); got != want {
		t.Errorf("Range = %+v, want %+v", got, want)
	}
	// Spanning lines; end clamped.
	want = graph.Range{File: "dir/p.json",
		Start: graph.Pos{Line: 1, Col: 1, Byte: 0},
		End:   graph.Pos{Line: 3, Col: 2, Byte: len(src)}}
	if got := f.Range(-1, 1000); got != want {
		t.Errorf("Range(-1, 1000) = %+v, want %+v", got, want)
	}
	// An empty range at a point.
	if got := f.Range(3, 3); got.Start != got.End || got.Start != (graph.Pos{Line: 2, Col: 1, Byte: 3}) {
		t.Errorf("Range(3, 3) = %+v", got)
	}
	// An end before the start (HCL's zero end for an expression cut short
	// by a syntax error, found by FuzzLoadModule) is the start.
	if got := f.Range(3, 0); got.Start != got.End || got.Start != (graph.Pos{Line: 2, Col: 1, Byte: 3}) {
		t.Errorf("Range(3, 0) = %+v", got)
	}
}

// TestPosAgainstNaive compares Pos with a direct count at every offset of a
// mixed file (multibyte, tabs, CRLF, empty lines, no final newline).
func TestPosAgainstNaive(t *testing.T) {
	src := "a\tb\r\n\n日本語 é\r\n😀\n\n  x"
	f := NewFile("f", []byte(src))
	line, col := 1, 1
	for off := 0; off <= len(src); {
		want := graph.Pos{Line: line, Col: col, Byte: off}
		if got := f.Pos(off); got != want {
			t.Fatalf("Pos(%d) = %+v, want %+v", off, got, want)
		}
		if off == len(src) {
			break
		}
		r, w := utf8.DecodeRuneInString(src[off:])
		off += w
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
}

func BenchmarkPos(b *testing.B) {
	src := []byte(strings.Repeat("  \"key\": \"value with é\",\n", 10000))
	f := NewFile("f", src)
	for b.Loop() {
		f.Pos(len(src) / 2)
	}
}

// TestBOMIsNotAColumn: editors show the first character after a byte-order
// mark in column 1.
func TestBOMIsNotAColumn(t *testing.T) {
	f := NewFile("bom.json", []byte("\ufeff{\n}"))
	if p := f.Pos(3); p.Line != 1 || p.Col != 1 {
		t.Errorf("first character after the BOM at %d:%d, want 1:1", p.Line, p.Col)
	}
	if p := f.Pos(5); p.Line != 2 || p.Col != 1 {
		t.Errorf("second line at %d:%d, want 2:1", p.Line, p.Col)
	}
}

// TestPosLongLines checks the checkpointed column count against a direct
// count on long lines, in ASCII, valid UTF-8 and invalid UTF-8.
func TestPosLongLines(t *testing.T) {
	for name, src := range map[string]string{
		"ascii":   strings.Repeat("{\"a\": [1, 2]}, ", 500),
		"utf8":    "\ufeff" + strings.Repeat("{\"ключ\": \"日本😀\"}, ", 300) + "\n" + strings.Repeat("é", 1000),
		"invalid": strings.Repeat("ab\xffcé", 400),
	} {
		f := NewFile("f", []byte(src))
		for off := 0; off <= len(src); off++ {
			line := strings.Count(src[:off], "\n")
			start := strings.LastIndex(src[:off], "\n") + 1
			if line == 0 && strings.HasPrefix(src, "\ufeff") && off >= 3 {
				start = 3
			}
			want := graph.Pos{Line: line + 1, Col: utf8.RuneCountInString(src[start:off]) + 1, Byte: off}
			if got := f.Pos(off); got != want {
				t.Fatalf("%s: Pos(%d) = %+v, want %+v", name, off, got, want)
			}
		}
	}
}
