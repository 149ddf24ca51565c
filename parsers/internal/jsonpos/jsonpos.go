// Package jsonpos parses JSON into located graph nodes: every key and value
// keeps its exact range. encoding/json hides positions and yaml.v3 mis-reads
// some valid JSON (the escape \/) and hides duplicate keys, so policies,
// templates and plans are read with this small strict parser instead.
package jsonpos

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
)

// Mapper turns a byte span of the parsed text into a source range. For a
// plain file it is the file's line index; for JSON embedded in a Terraform
// heredoc it maps back into the .tf file.
type Mapper func(start, end int) graph.Range

// Options tune the parser.
type Options struct {
	// MaxDepth bounds nesting (default 512); deeper input is an error rather
	// than a stack overflow.
	MaxDepth int
	// OnDuplicate is called for a key that repeats within one object. The
	// node keeps both fields, in order; readers that look keys up take the
	// first, so callers should report duplicates.
	OnDuplicate func(key string, first, again graph.Range)
}

// SyntaxError is malformed JSON at a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
	// TooDeep says the input nests deeper than MaxDepth: Offset is the
	// first value past it.
	TooDeep bool
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse reads one JSON value (surrounded by optional whitespace and a leading
// byte-order mark) from b.
func Parse(b []byte, m Mapper, o Options) (*graph.Node, error) {
	if o.MaxDepth == 0 {
		o.MaxDepth = 512
	}
	p := &parser{b: b, m: m, o: o}
	if strings.HasPrefix(string(b[:min(3, len(b))]), "\ufeff") {
		p.i = 3
	}
	p.space()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.b) {
		return nil, p.errf("unexpected %s after the JSON value", p.describe())
	}
	return n, nil
}

type parser struct {
	b []byte
	i int
	m Mapper
	o Options
}

func (p *parser) errf(format string, args ...any) error {
	return &SyntaxError{Offset: p.i, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) describe() string {
	if p.i >= len(p.b) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.b[p.i:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", p.b[p.i])
	}
	return strconv.QuoteRune(r)
}

func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (*graph.Node, error) {
	if depth > p.o.MaxDepth {
		return nil, &SyntaxError{Offset: p.i, Msg: fmt.Sprintf("nesting deeper than %d levels", p.o.MaxDepth), TooDeep: true}
	}
	if p.i >= len(p.b) {
		return nil, p.errf("unexpected end of input, expected a value")
	}
	start := p.i
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &graph.Node{Kind: graph.KindString, Str: s, Range: p.m(start, p.i)}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", &graph.Node{Kind: graph.KindBool, Bool: true})
	case c == 'f':
		return p.literal("false", &graph.Node{Kind: graph.KindBool})
	case c == 'n':
		return p.literal("null", &graph.Node{Kind: graph.KindNull})
	default:
		return nil, p.errf("unexpected %s, expected a JSON value", p.describe())
	}
}

func (p *parser) literal(word string, n *graph.Node) (*graph.Node, error) {
	if !strings.HasPrefix(string(p.b[p.i:min(len(p.b), p.i+len(word))]), word) {
		return nil, p.errf("unexpected %s, expected a JSON value", p.describe())
	}
	n.Range = p.m(p.i, p.i+len(word))
	p.i += len(word)
	return n, nil
}

func (p *parser) number() (*graph.Node, error) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return nil, p.errf("invalid number")
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.errf("invalid number: expected digits after the decimal point")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.errf("invalid number: expected digits in the exponent")
		}
	}
	return &graph.Node{Kind: graph.KindNumber, Str: string(p.b[start:p.i]), Range: p.m(start, p.i)}, nil
}

func (p *parser) str() (string, error) {
	p.i++ // opening quote
	var sb strings.Builder
	for {
		if p.i >= len(p.b) {
			return "", p.errf("unterminated string")
		}
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return sb.String(), nil
		case c == '\\':
			if err := p.escape(&sb); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", p.errf("control character 0x%02x in string (escape it)", c)
		default:
			r, w := utf8.DecodeRune(p.b[p.i:])
			if r == utf8.RuneError && w == 1 {
				return "", p.errf("invalid UTF-8 in string")
			}
			sb.Write(p.b[p.i : p.i+w])
			p.i += w
		}
	}
}

func (p *parser) escape(sb *strings.Builder) error {
	if p.i+1 >= len(p.b) {
		p.i++
		return p.errf("unterminated escape sequence")
	}
	e := p.b[p.i+1]
	p.i += 2
	switch e {
	case '"', '\\', '/':
		sb.WriteByte(e)
	case 'b':
		sb.WriteByte('\b')
	case 'f':
		sb.WriteByte('\f')
	case 'n':
		sb.WriteByte('\n')
	case 'r':
		sb.WriteByte('\r')
	case 't':
		sb.WriteByte('\t')
	case 'u':
		r, err := p.hex4()
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			// A surrogate pair is two \u escapes; a lone half becomes
			// U+FFFD as in encoding/json.
			if p.i+6 <= len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
				save := p.i
				p.i += 2
				r2, err := p.hex4()
				if err == nil {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						sb.WriteRune(d)
						return nil
					}
				}
				p.i = save
			}
			r = utf8.RuneError
		}
		sb.WriteRune(r)
	default:
		p.i--
		return p.errf("invalid escape sequence \\%c", e)
	}
	return nil
}

func (p *parser) hex4() (rune, error) {
	if p.i+4 > len(p.b) {
		return 0, p.errf("truncated \\u escape")
	}
	v, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, p.errf("invalid \\u escape")
	}
	p.i += 4
	return rune(v), nil
}

// smallObject is the number of fields up to which duplicate keys are found
// by scanning the fields, rather than through a map: most objects of a
// template are small, and a map each is most of the parse's garbage.
const smallObject = 16

// duplicate reports key to OnDuplicate when fields already has it, and
// returns the key index, once fields outgrow smallObject.
func (p *parser) duplicate(fields []graph.Field, seen map[string]graph.Range, key string, kr graph.Range) map[string]graph.Range {
	if seen == nil && len(fields) < smallObject {
		for _, f := range fields {
			if f.Key == key {
				p.o.OnDuplicate(key, f.KeyRange, kr)
				return nil
			}
		}
		return nil
	}
	if seen == nil {
		seen = make(map[string]graph.Range, 2*len(fields))
		for i := len(fields) - 1; i >= 0; i-- {
			seen[fields[i].Key] = fields[i].KeyRange // the first wins
		}
	}
	if first, dup := seen[key]; dup {
		p.o.OnDuplicate(key, first, kr)
	} else {
		seen[key] = kr
	}
	return seen
}

func (p *parser) object(depth int) (*graph.Node, error) {
	start := p.i
	p.i++
	n := &graph.Node{Kind: graph.KindObject}
	var seen map[string]graph.Range // built only for large objects
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		n.Range = p.m(start, p.i)
		return n, nil
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, p.errf("unexpected %s, expected a string key", p.describe())
		}
		ks := p.i
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		kr := p.m(ks, p.i)
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, p.errf("unexpected %s, expected ':' after the key", p.describe())
		}
		p.i++
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.o.OnDuplicate != nil {
			seen = p.duplicate(n.Fields, seen, key, kr)
		}
		n.Fields = append(n.Fields, graph.Field{Key: key, KeyRange: kr, Value: v})
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errf("unexpected end of input, expected ',' or '}'")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			n.Range = p.m(start, p.i)
			return n, nil
		default:
			return nil, p.errf("unexpected %s, expected ',' or '}'", p.describe())
		}
	}
}

func (p *parser) array(depth int) (*graph.Node, error) {
	start := p.i
	p.i++
	n := &graph.Node{Kind: graph.KindList}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		n.Range = p.m(start, p.i)
		return n, nil
	}
	for {
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.List = append(n.List, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errf("unexpected end of input, expected ',' or ']'")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			n.Range = p.m(start, p.i)
			return n, nil
		default:
			return nil, p.errf("unexpected %s, expected ',' or ']'", p.describe())
		}
	}
}
