package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// TextOptions controls the text writers.
type TextOptions struct {
	// Color adds ANSI colours: severities in red (error), yellow (warning)
	// or cyan (note), rule IDs in bold. The caller decides, typically from
	// whether the output is a terminal and from NO_COLOR.
	Color bool
	// ShowNotes makes WriteTextDiagnostics print note diagnostics (a module
	// not followed, a value that cannot be known) as well as errors and
	// warnings. Notes explain why something was not checked; they are
	// numerous on large configurations, so a CLI would show them on request
	// (a verbose flag). It does not affect findings or their related
	// locations, which are always printed.
	ShowNotes bool
	// ShowSuppressed makes WriteText print suppressed findings too, in
	// order among the others, marked "(suppressed)" and followed by the
	// suppression. Without it they are only counted in the summary.
	ShowSuppressed bool
	// Debug makes WriteTextDiagnostics print the Detail of a diagnostic
	// (the stack of an internal error) under its message, for a bug report.
	Debug bool
}

// ANSI escape sequences.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiCyan   = "\x1b[1;36m"
)

// Indentation of related locations and of continuation lines.
const (
	relatedIndent = "    "
	messageIndent = "    "
)

func (o TextOptions) paint(code, s string) string {
	if !o.Color {
		return s
	}
	return code + s + ansiReset
}

// severityColor returns the colour of a level name.
func severityColor(level string) string {
	switch level {
	case "error":
		return ansiRed
	case "warning":
		return ansiYellow
	default:
		return ansiCyan
	}
}

// WriteText writes the findings of r, one line each, as
//
//	path:line:col: severity RULEID message
//
// each followed by its related locations, indented by four spaces, as
//
//	path:line:col: note: message
//
// and then a one-line summary such as
//
//	3 findings (2 errors, 1 warning) in 2 files; 1 suppressed; 1 input error
//
// or "no findings". Suppressed findings are left out unless o.ShowSuppressed
// is set, and counted in the summary. Diagnostics are not written (see WriteTextDiagnostics),
// but input errors and warnings are counted in the summary. Paths are
// Range.File as given. Text that comes from the scanned files is made safe
// for a terminal: control characters are escaped.
func WriteText(w io.Writer, r *Result, o TextOptions) error {
	var b strings.Builder
	writeFindings(&b, r, o)
	b.WriteString(textSummary(summarize(r)))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTextDiagnostics writes the diagnostics of r (input problems: parse
// errors, warnings and, with o.ShowNotes, notes), one line each, as
//
//	path:line:col: error: message
//
// or "path: error: message" when only the file is known, or "error: message"
// when not even that is. It writes nothing when there is nothing to report,
// so a CLI can send it to stderr and findings to stdout, or call both with
// the same writer.
func WriteTextDiagnostics(w io.Writer, r *Result, o TextOptions) error {
	var b strings.Builder
	for _, d := range r.Diagnostics {
		if d.Severity == graph.DiagNote && !o.ShowNotes {
			continue
		}
		level := diagLevel(d.Severity)
		writeLine(&b, "", position(diagFile(d), d.Range),
			o.paint(severityColor(level), level+":"), d.Message, messageIndent)
		if o.Debug && d.Detail != "" {
			for line := range strings.Lines(d.Detail) {
				b.WriteString(relatedIndent)
				b.WriteString(terminalSafe(strings.TrimRight(line, "\n"), ""))
				b.WriteString("\n")
			}
		}
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFinding(b *strings.Builder, f rules.Finding, o TextOptions, mark string) {
	level := f.Severity.String()
	head := o.paint(severityColor(level), level) + " " + o.paint(ansiBold, terminalSafe(f.RuleID, "")) + mark
	msg := f.Message
	if f.Resource != "" {
		// The resource names the finding where line numbers say little:
		// a module instance, or a CDK construct path.
		msg += " [" + f.Resource + "]"
	}
	writeLine(b, "", position(f.Range.File, f.Range), head, msg, messageIndent)
	for _, rel := range f.Related {
		writeLine(b, relatedIndent, position(rel.Range.File, rel.Range),
			o.paint(ansiCyan, "note:"), rel.Message, relatedIndent+messageIndent)
	}
}

// writeLine writes "indent pos: head message\n", leaving out "pos: " when the
// position is unknown; continuation lines of message start with cont.
func writeLine(b *strings.Builder, indent, pos, head, message, cont string) {
	b.WriteString(indent)
	if pos != "" {
		b.WriteString(terminalSafe(pos, ""))
		b.WriteString(": ")
	}
	b.WriteString(head)
	if message != "" {
		b.WriteByte(' ')
		b.WriteString(terminalSafe(message, cont))
	}
	b.WriteByte('\n')
}

// textSummary formats the last line of the text output.
func textSummary(s JSONSummary) string {
	var b strings.Builder
	if s.Findings == 0 {
		b.WriteString("no findings")
	} else {
		b.WriteString(plural(s.Findings, "finding"))
		var parts []string
		if s.Errors > 0 {
			parts = append(parts, plural(s.Errors, "error"))
		}
		if s.Warnings > 0 {
			parts = append(parts, plural(s.Warnings, "warning"))
		}
		if s.Notes > 0 {
			parts = append(parts, plural(s.Notes, "note"))
		}
		if len(parts) > 0 {
			b.WriteString(" (" + strings.Join(parts, ", ") + ")")
		}
		if s.Files > 0 {
			b.WriteString(" in " + plural(s.Files, "file"))
		}
	}
	if s.Suppressed > 0 {
		b.WriteString("; " + strconv.Itoa(s.Suppressed) + " suppressed")
	}
	var input []string
	if s.InputErrors > 0 {
		input = append(input, plural(s.InputErrors, "input error"))
	}
	if s.InputWarnings > 0 {
		input = append(input, plural(s.InputWarnings, "input warning"))
	}
	if len(input) > 0 {
		b.WriteString("; " + strings.Join(input, ", "))
	}
	return b.String()
}
