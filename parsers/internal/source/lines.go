// Package source turns byte offsets in a file into line and column positions.
package source

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
)

var bom = []byte("\ufeff")

// File is a source file's name and bytes with an index of line starts.
type File struct {
	Name  string
	Bytes []byte
	lines []int // byte offset where each line starts
	// ascii is true when every byte is ASCII: a column is then a byte
	// count. Otherwise, in valid UTF-8, starts[i] is the number of
	// characters before byte i*checkpoint, so that a column costs at most
	// one checkpoint's scan, not one line's: CDK and minified templates
	// put megabytes on a single line.
	ascii  bool
	valid  bool
	starts []int
}

// checkpoint is the distance in bytes between character-count checkpoints.
const checkpoint = 256

// NewFile indexes b.
func NewFile(name string, b []byte) *File {
	f := &File{Name: name, Bytes: b, lines: make([]int, 1, 1+len(b)/32)}
	ascii := true
	for i, c := range b {
		if c == '\n' {
			f.lines = append(f.lines, i+1)
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	f.ascii = ascii
	if !ascii && utf8.Valid(b) {
		f.valid = true
		f.starts = make([]int, len(b)/checkpoint+1)
		n := 0
		for i, c := range b {
			if i%checkpoint == 0 {
				f.starts[i/checkpoint] = n
			}
			if utf8.RuneStart(c) {
				n++
			}
		}
	}
	return f
}

// chars counts the characters before byte offset off, in valid UTF-8.
func (f *File) chars(off int) int {
	c := off / checkpoint
	n := f.starts[c]
	for _, b := range f.Bytes[c*checkpoint : off] {
		if utf8.RuneStart(b) {
			n++
		}
	}
	return n
}

// columns counts the characters of f.Bytes[start:off], as
// utf8.RuneCount does.
func (f *File) columns(start, off int) int {
	switch {
	case f.ascii:
		return off - start
	case f.valid && off-start > checkpoint && (off == len(f.Bytes) || utf8.RuneStart(f.Bytes[off])):
		return f.chars(off) - f.chars(start)
	}
	return utf8.RuneCount(f.Bytes[start:off])
}

// Pos converts a byte offset to a position; columns count characters, as
// SARIF's unicodeCodePoints and most editors do. Offsets outside the file
// are clamped.
func (f *File) Pos(off int) graph.Pos {
	off = max(0, min(off, len(f.Bytes)))
	line := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	start := f.lines[line]
	if line == 0 && bytes.HasPrefix(f.Bytes, bom) && off >= len(bom) {
		// Editors do not show a byte-order mark as a column.
		start = len(bom)
	}
	return graph.Pos{Line: line + 1, Col: f.columns(start, off) + 1, Byte: off}
}

// Range converts a byte span to a range. An end before the start becomes
// the start: HCL gives an expression cut short by a syntax error (an
// unterminated string inside a call) a zero end, and a range must never end
// before it begins.
func (f *File) Range(start, end int) graph.Range {
	return graph.Range{File: f.Name, Start: f.Pos(start), End: f.Pos(max(start, end))}
}

// LineStart is the byte offset where a 1-based line begins (the end of the
// file for lines past it).
func (f *File) LineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Bytes)
	}
	return f.lines[line-1]
}
