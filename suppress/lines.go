package suppress

import (
	"sort"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
)

// lineKind classifies a source line.
type lineKind uint8

const (
	blank   lineKind = iota
	comment          // holds comments only
	code
)

// text is one file's bytes with a line index.
type text struct {
	name   string
	src    []byte
	starts []int // byte offset of each line; starts[0] is line 1
}

func newText(name string, src []byte) *text {
	t := &text{name: name, src: src, starts: []int{0}}
	for i, c := range src {
		if c == '\n' {
			t.starts = append(t.starts, i+1)
		}
	}
	return t
}

// lines is the number of lines.
func (t *text) lines() int { return len(t.starts) }

// line returns the 1-based line holding byte offset off.
func (t *text) line(off int) int {
	return sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > off })
}

// lineText returns line n without its line break.
func (t *text) lineText(n int) []byte {
	if n < 1 || n > len(t.starts) {
		return nil
	}
	end := len(t.src)
	if n < len(t.starts) {
		end = t.starts[n] - 1
	}
	s := t.src[t.starts[n-1]:end]
	if len(s) > 0 && s[len(s)-1] == '\r' {
		s = s[:len(s)-1]
	}
	return s
}

// pos returns the position of byte offset off.
func (t *text) pos(off int) graph.Pos {
	off = max(0, min(off, len(t.src)))
	l := t.line(off)
	return graph.Pos{Line: l, Col: utf8.RuneCount(t.src[t.starts[l-1]:off]) + 1, Byte: off}
}

// rng returns the range of bytes [start, end).
func (t *text) rng(start, end int) graph.Range {
	return graph.Range{File: t.name, Start: t.pos(start), End: t.pos(end)}
}

// onlySpaceBefore reports whether nothing but blanks precede off on its line.
func (t *text) onlySpaceBefore(off int) bool {
	for i := t.starts[t.line(off)-1]; i < off; i++ {
		if t.src[i] != ' ' && t.src[i] != '\t' {
			return false
		}
	}
	return true
}

// target returns the line a directive in a comment from line first to line
// last applies to: the comment's own line when it follows code, otherwise
// the first line below that is not a comment. 0 when a blank line or the
// end of the file comes first. kinds is indexed by line number.
func target(kinds []lineKind, first, last int, trailing bool) int {
	if trailing {
		return first
	}
	for l := last + 1; l < len(kinds); l++ {
		switch kinds[l] {
		case code:
			return l
		case blank:
			return 0
		}
	}
	return 0
}
