package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// jsonTemplate re-reads a string of a .tf.json file as the template it is,
// so that interpolations inside it can be followed. The template is parsed
// from the unescaped text under a virtual file name whose offsets map back
// to the JSON source, so positions stay exact despite escapes.
func (l *loader) jsonTemplate(o *origin) *origin {
	r := o.expr.Range()
	f := l.file(r.Filename)
	if f == nil || r.Start.Byte < 0 || r.End.Byte > len(f.Bytes) || r.End.Byte-r.Start.Byte < 2 || f.Bytes[r.Start.Byte] != '"' {
		return nil
	}
	text, offsets, ok := jsonpos.Unquote(f.Bytes[r.Start.Byte:r.End.Byte], r.Start.Byte)
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
