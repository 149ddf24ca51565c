package jsonpos

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// Unquote unescapes a JSON string literal (with its quotes), recording
// for each output byte the source offset it came from.
func Unquote(src []byte, base int) (string, []int, bool) {
	var out []byte
	var offs []int
	for i := 1; i < len(src)-1; {
		c := src[i]
		if c != '\\' {
			out = append(out, c)
			offs = append(offs, base+i)
			i++
			continue
		}
		if i+1 >= len(src)-1 {
			return "", nil, false
		}
		var rep string
		n := 2
		switch src[i+1] {
		case '"', '\\', '/':
			rep = string(src[i+1])
		case 'b':
			rep = "\b"
		case 'f':
			rep = "\f"
		case 'n':
			rep = "\n"
		case 'r':
			rep = "\r"
		case 't':
			rep = "\t"
		case 'u':
			if i+6 > len(src)-1 {
				return "", nil, false
			}
			v, err := strconv.ParseUint(string(src[i+2:i+6]), 16, 32)
			if err != nil {
				return "", nil, false
			}
			r := rune(v)
			if utf16.IsSurrogate(r) && i+12 <= len(src)-1 && src[i+6] == '\\' && src[i+7] == 'u' {
				// A surrogate pair: two escapes, one character.
				if v2, err := strconv.ParseUint(string(src[i+8:i+12]), 16, 32); err == nil {
					if d := utf16.DecodeRune(r, rune(v2)); d != utf8.RuneError {
						r, n = d, 12
					}
				}
			}
			if n != 12 {
				n = 6
			}
			rep = string(r)
		default:
			return "", nil, false
		}
		for range len(rep) {
			offs = append(offs, base+i)
		}
		out = append(out, rep...)
		i += n
	}
	offs = append(offs, base+len(src)-1)
	return string(out), offs, true
}

// ParseString parses JSON written inside a JSON string of f (a policy in a
// Terraform plan, say), with positions mapped through the escapes to the
// exact place in f. n is the located string node.
func ParseString(f *source.File, n *graph.Node, o Options) (*graph.Node, error) {
	r := n.Range
	if r.Start.Byte < 0 || r.End.Byte > len(f.Bytes) || r.End.Byte-r.Start.Byte < 2 || f.Bytes[r.Start.Byte] != '"' {
		return Parse([]byte(n.Str), func(int, int) graph.Range { return r }, o)
	}
	text, offsets, ok := Unquote(f.Bytes[r.Start.Byte:r.End.Byte], r.Start.Byte)
	if !ok {
		return Parse([]byte(n.Str), func(int, int) graph.Range { return r }, o)
	}
	at := func(i int) int { return offsets[max(0, min(i, len(offsets)-1))] }
	return Parse([]byte(text), func(s, e int) graph.Range { return f.Range(at(s), at(e)) }, o)
}
