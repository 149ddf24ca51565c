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
}

// NewFile indexes b.
func NewFile(name string, b []byte) *File {
	f := &File{Name: name, Bytes: b, lines: []int{0}}
	for i, c := range b {
		if c == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	return f
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
	return graph.Pos{Line: line + 1, Col: utf8.RuneCount(f.Bytes[start:off]) + 1, Byte: off}
}

// Range converts a byte span to a range.
func (f *File) Range(start, end int) graph.Range {
	return graph.Range{File: f.Name, Start: f.Pos(start), End: f.Pos(end)}
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
