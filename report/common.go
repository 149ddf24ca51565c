package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// toolName is the name used when Result.Tool is empty.
const toolName = "s3lint"

func (r *Result) toolName() string {
	if r.Tool != "" {
		return r.Tool
	}
	return toolName
}

// ruleIndex maps rule IDs to their position in r.Rules; the first of
// duplicate IDs wins.
func (r *Result) ruleIndex() map[string]int {
	idx := make(map[string]int, len(r.Rules))
	for i, m := range r.Rules {
		if _, dup := idx[m.ID]; !dup {
			idx[m.ID] = i
		}
	}
	return idx
}

// helpURI returns the documentation address of rule id, or "".
func (r *Result) helpURI(id string) string {
	if r.HelpURI == nil {
		return ""
	}
	return r.HelpURI(id)
}

// summarize counts findings and diagnostics.
func summarize(r *Result) JSONSummary {
	var s JSONSummary
	files := map[string]bool{}
	for _, f := range r.Findings {
		s.Findings++
		switch f.Severity {
		case rules.Error:
			s.Errors++
		case rules.Warning:
			s.Warnings++
		case rules.Note:
			s.Notes++
		}
		if f.Range.File != "" {
			files[f.Range.File] = true
		}
	}
	s.Files = len(files)
	s.Suppressed = len(r.Suppressed)
	for _, d := range r.Diagnostics {
		switch d.Severity {
		case graph.DiagError:
			s.InputErrors++
		case graph.DiagWarning:
			s.InputWarnings++
		case graph.DiagNote:
			s.InputNotes++
		}
	}
	return s
}

// diagFile is the file a diagnostic is about: the file of its range, or
// Diagnostic.File when the range is zero.
func diagFile(d graph.Diagnostic) string {
	if d.Range.File != "" {
		return d.Range.File
	}
	return d.File
}

// diagLevel is the name of a diagnostic severity, which is also its SARIF
// level; unknown values read as "error" so that they are never hidden.
func diagLevel(s graph.Severity) string {
	switch s {
	case graph.DiagWarning:
		return "warning"
	case graph.DiagNote:
		return "note"
	default:
		return "error"
	}
}

// position formats file and the start of r as "file:line:col", "file:line"
// or "file", whichever is known; "" when nothing is.
func position(file string, r graph.Range) string {
	if file == "" {
		return ""
	}
	switch {
	case r.Start.Line > 0 && r.Start.Col > 0:
		return file + ":" + strconv.Itoa(r.Start.Line) + ":" + strconv.Itoa(r.Start.Col)
	case r.Start.Line > 0:
		return file + ":" + strconv.Itoa(r.Start.Line)
	default:
		return file
	}
}

// plural formats n and noun, adding an "s" unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// terminalSafe makes s safe to print on a terminal: messages quote values
// from the scanned files, and a bucket name holding an escape sequence must
// not be able to move the cursor or change colours. Control characters other
// than tab and newline become \xNN or \uNNNN escapes, invalid UTF-8 becomes
// U+FFFD, and each newline is followed by indent so that continuation lines
// stay under their finding.
func terminalSafe(s, indent string) string {
	clean := true
	for _, c := range s {
		if c == utf8.RuneError || c == '\n' || (c != '\t' && unicode.IsControl(c)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, c := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case c == '\n':
			b.WriteByte('\n')
			b.WriteString(indent)
		case c == '\t' || !unicode.IsControl(c):
			b.WriteRune(c)
		case c < 0x80:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}
