package terraform

import (
	"bytes"
	"unicode/utf8"
)

// moduleSources lists the literal source of each top-level module block of
// a native configuration file. It runs before anything is evaluated, on
// every file that may call a module, so it reads the bytes directly: HCL's
// lexer would build a token slice for the whole file (a twelfth of all the
// memory a large scan allocated went there) only for the parser to lex the
// file again later. The scan knows just as much of HCL's lexical structure
// as finding blocks needs (comments, quoted templates with their
// interpolations, heredocs, brackets) and follows the lexer's rules for
// them. ok is false whenever it is in any doubt (a source that is not a
// plain literal, Unicode outside strings, anything unterminated or
// unbalanced); the caller then parses the file.
func moduleSources(src []byte) (sources []string, ok bool) {
	if !utf8.Valid(src) || hasLoneCR(src) {
		return nil, false
	}
	s := prescanner{src: src}
	seen := map[string]bool{}
	lineStart := true
	for {
		k, word := s.next(&lineStart)
		switch k {
		case tokEOF:
			return sources, s.depth == 0
		case tokFail:
			return nil, false
		case tokWord:
			if s.depth != 0 || !lineStart || word != "module" {
				break
			}
			label, good := s.moduleHeader()
			if !good {
				return nil, false
			}
			source, good := s.moduleBody()
			if !good {
				return nil, false
			}
			// Terraform refuses a second block of one name; s3lint keeps
			// the first.
			if !seen[label] {
				seen[label] = true
				if source != "" {
					sources = append(sources, source)
				}
			}
		}
		lineStart = false
	}
}

type tokKind int

const (
	tokEOF    tokKind = iota
	tokFail           // something the prescan does not vouch for
	tokWord           // an identifier or a number
	tokOpen           // { [ (
	tokClose          // } ] )
	tokQuoted         // a quoted string, skipped
	tokOther          // any other operator, or a heredoc, skipped
)

// prescanner walks the main (expression) mode of HCL's lexer over src.
type prescanner struct {
	src   []byte
	i     int
	depth int // open brackets, braces and parentheses
	// lit is the content of the last quoted string, when it was a plain
	// literal (no escapes, interpolations or directives).
	lit   []byte
	plain bool
	// nest counts the template sequences being skipped, which nest by
	// recursion; a file nested deeper than any real one is left to the
	// parser, which reports it.
	nest int
}

const maxPrescanNesting = 64

// next reads the next token, skipping spaces and comments. A newline, or a
// line comment (which ends with one), sets *lineStart; a block comment
// leaves it as it was, as it does for the lexer-based reading of lines.
func (s *prescanner) next(lineStart *bool) (tokKind, string) {
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == ' ' || c == '\t':
			s.i++
		case c == '\n':
			s.i++
			*lineStart = true
		case c == '\r':
			if s.i+1 >= len(s.src) || s.src[s.i+1] != '\n' {
				return tokFail, ""
			}
			s.i += 2
			*lineStart = true
		case c == '#' || (c == '/' && s.peek(1) == '/'):
			end := bytes.IndexByte(s.src[s.i:], '\n')
			if end < 0 {
				s.i = len(s.src)
			} else {
				s.i += end + 1
				*lineStart = true
			}
		case c == '/' && s.peek(1) == '*':
			end := bytes.Index(s.src[s.i+2:], []byte("*/"))
			if end < 0 {
				return tokFail, ""
			}
			s.i += 2 + end + 2
		default:
			return s.token()
		}
	}
	return tokEOF, ""
}

func (s *prescanner) peek(n int) byte {
	if s.i+n < len(s.src) {
		return s.src[s.i+n]
	}
	return 0
}

// token reads one token that starts at s.i (not a space, newline or
// comment).
func (s *prescanner) token() (tokKind, string) {
	c := s.src[s.i]
	switch {
	case isWordByte(c):
		start := s.i
		for s.i < len(s.src) && isWordByte(s.src[s.i]) {
			s.i++
		}
		return tokWord, string(s.src[start:s.i])
	case c == '{' || c == '[' || c == '(':
		s.i++
		s.depth++
		return tokOpen, ""
	case c == '}' || c == ']' || c == ')':
		s.i++
		s.depth--
		if s.depth < 0 {
			return tokFail, ""
		}
		return tokClose, ""
	case c == '"':
		s.i++
		if !s.quoted() {
			return tokFail, ""
		}
		return tokQuoted, ""
	case c == '<' && s.peek(1) == '<':
		if !s.heredoc() {
			return tokFail, ""
		}
		return tokOther, ""
	case c >= utf8.RuneSelf:
		// Unicode identifiers and the like: the lexer knows them.
		return tokFail, ""
	}
	s.i++
	return tokOther, ""
}

// isWordByte: identifiers (letters, digits, underscores and dashes in HCL)
// and numbers read as one word; the prescan only compares whole words.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// isIdentStart: an ASCII letter or an underscore, which may start an
// identifier.
func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// quoted skips a quoted template whose opening quote has been read, and
// records in s.lit and s.plain whether it was a plain literal. A newline
// inside it is an error to the parser, and a doubt here.
func (s *prescanner) quoted() bool {
	start := s.i
	s.plain = true
	for s.i < len(s.src) {
		switch c := s.src[s.i]; c {
		case '"':
			s.lit = s.src[start:s.i]
			s.i++
			return true
		case '\n', '\r':
			return false
		case '\\':
			s.plain = false
			if s.i+1 >= len(s.src) || s.src[s.i+1] == '\n' || s.src[s.i+1] == '\r' {
				return false
			}
			s.i += 2
		case '$', '%':
			s.plain = false
			if !s.templateMark() {
				return false
			}
		default:
			s.i++
		}
	}
	return false
}

// templateMark reads a $ or % inside a template: an escaped sequence ($${
// or %%{) or a lone sign is literal text; ${ and %{ open a sequence, which
// is skipped to its closing brace.
func (s *prescanner) templateMark() bool {
	sign := s.src[s.i]
	switch {
	case s.peek(1) == sign && s.peek(2) == '{':
		s.i += 3
		return true
	case s.peek(1) == '{':
		s.i += 2
		return s.sequence()
	}
	s.i++
	return true
}

// sequence skips the expression of a template sequence whose "${" or "%{"
// has been read, through its closing brace.
func (s *prescanner) sequence() bool {
	if s.nest++; s.nest > maxPrescanNesting {
		return false
	}
	defer func() { s.nest-- }()
	outer := s.depth
	s.depth = 1 // the sequence's own brace
	lineStart := false
	for {
		switch k, _ := s.next(&lineStart); k {
		case tokEOF, tokFail:
			return false
		case tokClose:
			if s.depth == 0 {
				// In a file that parses, brackets inside are balanced, so
				// this is the brace the lexer ends the sequence at.
				s.depth = outer
				return s.src[s.i-1] == '}'
			}
		}
	}
}

// heredoc skips a heredoc whose "<<" is at s.i, through its closing marker
// (the newline after the marker is left to be read). Like the lexer, it
// takes a line as the marker only when the line starts outside any
// interpolation and holds no $ or %, and compares it with spaces trimmed.
func (s *prescanner) heredoc() bool {
	i := s.i + 2
	if i < len(s.src) && s.src[i] == '-' {
		i++
	}
	start := i
	if i >= len(s.src) || !isIdentStart(s.src[i]) {
		return false
	}
	for i < len(s.src) && isWordByte(s.src[i]) {
		i++
	}
	marker := s.src[start:i]
	switch {
	case i < len(s.src) && s.src[i] == '\n':
		i++
	case i+1 < len(s.src) && s.src[i] == '\r' && s.src[i+1] == '\n':
		i += 2
	default:
		return false
	}
	s.i = i
	startOfLine := true
	for s.i < len(s.src) {
		if startOfLine {
			end := bytes.IndexByte(s.src[s.i:], '\n')
			if end < 0 {
				return false // unterminated: the marker needs its newline
			}
			line := s.src[s.i : s.i+end]
			if !bytes.ContainsAny(line, "$%") {
				if bytes.Equal(bytes.TrimSpace(line), marker) {
					s.i += end
					if line[len(line)-1] == '\r' {
						s.i--
					}
					return true
				}
				s.i += end + 1
				continue
			}
		}
		switch c := s.src[s.i]; c {
		case '\n':
			s.i++
			startOfLine = true
		case '$', '%':
			startOfLine = false
			if !s.templateMark() {
				return false
			}
		default:
			startOfLine = false
			s.i++
		}
	}
	return false
}

// moduleHeader reads the label and the opening brace after "module".
func (s *prescanner) moduleHeader() (label string, ok bool) {
	s.skipSpaces()
	if s.i >= len(s.src) {
		return "", false
	}
	switch c := s.src[s.i]; {
	case c == '"':
		s.i++
		if !s.quoted() || !s.plain || len(s.lit) == 0 {
			return "", false
		}
		label = string(s.lit)
	case isIdentStart(c):
		_, label = s.token()
	default:
		return "", false
	}
	s.skipSpaces()
	if s.i >= len(s.src) || s.src[s.i] != '{' {
		return "", false
	}
	s.i++
	s.depth++
	return label, true
}

// hasLoneCR: a carriage return not followed by a newline, which the lexer
// treats differently in different places.
func hasLoneCR(src []byte) bool {
	for i := bytes.IndexByte(src, '\r'); i >= 0; {
		if i+1 >= len(src) || src[i+1] != '\n' {
			return true
		}
		next := bytes.IndexByte(src[i+1:], '\r')
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

func (s *prescanner) skipSpaces() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// moduleBody reads a module block's body, whose opening brace has been
// read, through its closing brace: the literal value of its source
// argument ("" when there is none).
func (s *prescanner) moduleBody() (source string, ok bool) {
	lineStart := true
	for {
		k, word := s.next(&lineStart)
		switch {
		case k == tokEOF || k == tokFail:
			return "", false
		case k == tokClose && s.depth == 0:
			return source, true
		case k == tokWord && s.depth == 1 && lineStart && word == "source":
			s.skipSpaces()
			if s.i >= len(s.src) || s.src[s.i] != '=' || s.peek(1) == '=' || s.peek(1) == '>' {
				return "", false
			}
			s.i++
			s.skipSpaces()
			if s.i >= len(s.src) || s.src[s.i] != '"' {
				return "", false
			}
			s.i++
			if !s.quoted() || !s.plain || len(s.lit) == 0 {
				return "", false // escapes or templates: let the parser decide
			}
			source = string(s.lit)
			// Only a literal alone is a source Terraform accepts: what
			// follows must end the argument ("./a" / x is a division).
			s.skipSpaces()
			if s.i < len(s.src) {
				c := s.src[s.i]
				comment := c == '#' || c == '/' && (s.peek(1) == '/' || s.peek(1) == '*')
				if !comment && c != '\r' && c != '\n' && c != '}' {
					return "", false
				}
			}
		}
		lineStart = false
	}
}
