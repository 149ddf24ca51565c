package report

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rule documentation is markdown; SARIF also wants it as plain text
// (help.text, fullDescription.text), which viewers show when they cannot
// render markdown. The conversion below handles what rule docs use
// (headings, paragraphs, lists, fenced code, code spans, emphasis, links)
// and leaves everything else as written. It is not a markdown renderer.

var (
	headingRE = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	fenceRE   = regexp.MustCompile("^ {0,3}(```+|~~~+)")
)

// firstParagraph returns the first paragraph of markdown md that is not a
// heading, a fenced code block or an HTML comment, as plain text on one line.
func firstParagraph(md string) string {
	var para []string
	fence := ""
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		if fence != "" {
			if isFenceClose(line, fence) {
				fence = ""
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case fenceRE.MatchString(line):
			if len(para) > 0 {
				return strings.Join(para, " ")
			}
			fence = fenceRE.FindStringSubmatch(line)[1]
		case trimmed == "":
			if len(para) > 0 {
				return strings.Join(para, " ")
			}
		case headingRE.MatchString(line), strings.HasPrefix(trimmed, "<!--"):
			if len(para) > 0 {
				return strings.Join(para, " ")
			}
		default:
			para = append(para, inlinePlain(trimmed))
		}
	}
	return strings.Join(para, " ")
}

func isFenceClose(line, fence string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, fence[:3]) && strings.Trim(t, fence[:1]) == "" && len(t) >= len(fence)
}

// markdownToPlain converts markdown md to plain text: heading marks,
// emphasis and code-span backticks are removed, links become "text (url)",
// fenced code is kept indented by four spaces, and runs of blank lines
// become one.
func markdownToPlain(md string) string {
	var out []string
	fence := ""
	blank := true // suppress leading blank lines
	emit := func(s string) {
		if strings.TrimSpace(s) == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			return
		}
		out = append(out, s)
		blank = false
	}
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		if fence != "" {
			if isFenceClose(line, fence) {
				fence = ""
				continue
			}
			if strings.TrimSpace(line) == "" {
				out = append(out, "")
				continue
			}
			out = append(out, "    "+strings.TrimRight(line, " \t"))
			blank = false
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			fence = m[1]
			continue
		}
		if m := headingRE.FindStringSubmatch(line); m != nil {
			emit(inlinePlain(m[2]))
			continue
		}
		// Keep indentation (list nesting, indented code); drop a
		// blockquote marker.
		body := strings.TrimRight(line, " \t")
		indent := body[:len(body)-len(strings.TrimLeft(body, " \t"))]
		rest := body[len(indent):]
		if q, ok := strings.CutPrefix(rest, ">"); ok {
			rest = strings.TrimPrefix(q, " ")
		}
		emit(indent + inlinePlain(rest))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// inlinePlain removes inline markdown from one line of text.
func inlinePlain(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
			continue
		case c == '`':
			n := runLen(s, i, '`')
			if end := findCodeClose(s, i+n, n); end >= 0 {
				code := s[i+n : end]
				if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
					code = code[1 : len(code)-1]
				}
				b.WriteString(code)
				i = end + n
			} else {
				b.WriteString(s[i : i+n])
				i += n
			}
			continue
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if text, _, end, ok := parseLink(s, i+1); ok {
				b.WriteString(inlinePlain(text))
				i = end
				continue
			}
		case c == '[':
			if text, url, end, ok := parseLink(s, i); ok {
				t := inlinePlain(text)
				b.WriteString(t)
				if url != "" && url != t && !strings.HasPrefix(url, "#") {
					b.WriteString(" (" + url + ")")
				}
				i = end
				continue
			}
		case c == '<':
			if end := strings.IndexByte(s[i:], '>'); end > 0 {
				inner := s[i+1 : i+end]
				if strings.HasPrefix(inner, "http://") || strings.HasPrefix(inner, "https://") {
					b.WriteString(inner)
					i += end + 1
					continue
				}
			}
		case c == '*' || c == '_':
			n := runLen(s, i, c)
			if n <= 3 && opens(s, i, n) {
				if end := findEmphasisClose(s, i+n, c, n); end >= 0 {
					b.WriteString(inlinePlain(s[i+n : end]))
					i = end + n
					continue
				}
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

// runLen counts the bytes equal to c from s[i].
func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// findCodeClose finds a run of exactly n backticks from s[from].
func findCodeClose(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := runLen(s, i, '`')
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// opens reports whether the delimiter run s[i:i+n] can open emphasis: it is
// followed by a non-space, and for "_" it does not sit inside a word
// (snake_case names stay as they are).
func opens(s string, i, n int) bool {
	if i+n >= len(s) || isSpace(s[i+n]) {
		return false
	}
	if s[i] == '_' && i > 0 && isWordByte(s[i-1]) {
		return false
	}
	return true
}

// findEmphasisClose finds a closing run of exactly n c's from s[from]: one
// preceded by a non-space and, for "_", not followed by a word character.
func findEmphasisClose(s string, from int, c byte, n int) int {
	for i := from; i < len(s); {
		if s[i] == '`' {
			m := runLen(s, i, '`')
			if end := findCodeClose(s, i+m, m); end >= 0 {
				i = end + m
				continue
			}
			i += m
			continue
		}
		if s[i] != c {
			i++
			continue
		}
		m := runLen(s, i, c)
		if m == n && i > from && !isSpace(s[i-1]) &&
			(c != '_' || i+m >= len(s) || !isWordByte(s[i+m])) {
			return i
		}
		i += m
	}
	return -1
}

// parseLink parses "[text](url)" or "[text](url "title")" at s[i] == '['.
func parseLink(s string, i int) (text, url string, end int, ok bool) {
	depth := 0
	j := i
	for ; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
			continue
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if j >= len(s) || j+1 >= len(s) || s[j+1] != '(' {
		return "", "", 0, false
	}
	closeParen := strings.IndexByte(s[j+2:], ')')
	if closeParen < 0 {
		return "", "", 0, false
	}
	target := strings.TrimSpace(s[j+2 : j+2+closeParen])
	if k := strings.IndexAny(target, " \t"); k >= 0 {
		target = target[:k] // drop a title
	}
	target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
	return s[i+1 : j], target, j + 2 + closeParen + 1, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

func isWordByte(c byte) bool {
	return c >= utf8.RuneSelf || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
