package terraform

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/s3lint/s3lint/parsers/internal/source"
)

// jsonTemplate re-reads a string of a .tf.json file as the template it is,
// so that interpolations inside it can be followed. The template is parsed
// from the unescaped text under a virtual file name whose offsets map back
// to the JSON source, so positions stay exact despite escapes.
func (l *loader) jsonTemplate(o *origin) *origin {
	r := o.expr.Range()
	f := l.files[r.Filename]
	if f == nil || r.Start.Byte < 0 || r.End.Byte > len(f.Bytes) || r.End.Byte-r.Start.Byte < 2 || f.Bytes[r.Start.Byte] != '"' {
		return nil
	}
	text, offsets, ok := unquoteJSON(f.Bytes[r.Start.Byte:r.End.Byte], r.Start.Byte)
	if !ok {
		return nil
	}
	name := fmt.Sprintf("%s\x00%d", r.Filename, r.Start.Byte)
	if _, seen := l.virtual[name]; !seen {
		l.virtual[name] = &virtualFile{real: r.Filename, offsets: offsets}
		l.files[name] = source.NewFile(name, []byte(text))
	}
	tmpl, diags := hclsyntax.ParseTemplate([]byte(text), name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	return &origin{expr: tmpl, in: o.in, sc: o.sc}
}

// virtualFile is text unescaped from a JSON string: offsets[i] is the byte
// of the real file where byte i of the text was written (with one extra
// entry for the end).
type virtualFile struct {
	real    string
	offsets []int
}

// unquoteJSON unescapes a JSON string literal (with its quotes), recording
// for each output byte the source offset it came from.
func unquoteJSON(src []byte, base int) (string, []int, bool) {
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
			rep, n = string(rune(v)), 6
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
