package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// WriteGitHub writes r as GitHub Actions workflow commands, one per line,
// which the runner turns into annotations on the files of a pull request:
//
//	::error file=main.tf,line=3,endLine=3,col=5,endColumn=19,title=S3L010 object-action-on-bucket-arn::message
//
// Findings become ::error, ::warning or ::notice (for note) commands;
// input errors and warnings become ::error and ::warning commands titled
// "s3lint input error" or "s3lint input warning" (notes are left out: they
// explain, they do not need fixing). A summary line as in the text format
// ends the output.
//
// File paths are relative to r.SrcRoot, the repository root, as GitHub
// expects them; a file outside it is named by its path relative to the root
// ("../x.tf"), which GitHub cannot annotate but the log still shows. Columns
// are given only when the range starts and ends on the same line (GitHub
// accepts them only then), and endColumn is the column of the last
// character. The message holds the finding's message, its resource, its
// related places (one per line) and the rule's documentation address.
//
// Property values are escaped as the runner expects ("%" → %25, CR → %0D,
// LF → %0A, ":" → %3A, "," → %2C), and so is the message ("%", CR, LF), so
// that no text from the scanned files can end the command or start another;
// other control characters are written as visible escapes (\x1b).
func WriteGitHub(w io.Writer, r *Result) error {
	loc := newLocator(r.SrcRoot, r.WorkDir)
	idx := r.ruleIndex()
	var b strings.Builder
	for _, d := range r.Diagnostics {
		var level string
		switch d.Severity {
		case graph.DiagError:
			level = "error"
		case graph.DiagWarning:
			level = "warning"
		default:
			continue
		}
		writeGitHubCommand(&b, level, loc, diagFile(d), d.Range, "s3lint input "+level, d.Message)
	}
	for _, f := range r.Findings {
		title := f.RuleID
		if i, ok := idx[f.RuleID]; ok && r.Rules[i].Name != "" {
			title += " " + r.Rules[i].Name
		}
		var msg strings.Builder
		msg.WriteString(f.Message)
		if f.Resource != "" {
			msg.WriteString(" [" + f.Resource + "]")
		}
		for _, rel := range f.Related {
			msg.WriteString("\n")
			if p := rootPosition(loc, rel.Range.File, rel.Range); p != "" {
				msg.WriteString(p + ": ")
			}
			msg.WriteString(rel.Message)
		}
		if u := r.helpURI(f.RuleID); u != "" {
			msg.WriteString("\n" + u)
		}
		writeGitHubCommand(&b, githubLevel(f.Severity), loc, f.Range.File, f.Range, title, msg.String())
	}
	b.WriteString(textSummary(summarize(r)))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// githubLevel is the workflow command of a severity.
func githubLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	default:
		return "notice"
	}
}

// writeGitHubCommand writes one workflow command line.
func writeGitHubCommand(b *strings.Builder, level string, loc *locator, file string, r graph.Range, title, message string) {
	b.WriteString("::" + level)
	var props []string
	if file != "" {
		p, _ := loc.rel(file)
		props = append(props, "file="+githubProperty(p))
		if r.Start.Line > 0 {
			props = append(props, "line="+strconv.Itoa(r.Start.Line))
			if r.End.Line >= r.Start.Line {
				props = append(props, "endLine="+strconv.Itoa(r.End.Line))
			}
			if r.End.Line == r.Start.Line && r.Start.Col > 0 {
				props = append(props, "col="+strconv.Itoa(r.Start.Col))
				if last := r.End.Col - 1; last >= r.Start.Col {
					props = append(props, "endColumn="+strconv.Itoa(last))
				}
			}
		}
	}
	if title != "" {
		props = append(props, "title="+githubProperty(title))
	}
	if len(props) > 0 {
		b.WriteString(" " + strings.Join(props, ","))
	}
	b.WriteString("::")
	b.WriteString(githubData(message))
	b.WriteByte('\n')
}

// rootPosition is "path:line:col" of a related place, with the path
// relative to the source root.
func rootPosition(loc *locator, file string, r graph.Range) string {
	if file == "" {
		return ""
	}
	p, _ := loc.rel(file)
	return position(p, r)
}

// githubData escapes the message of a workflow command.
func githubData(s string) string { return githubEscape(s, false) }

// githubProperty escapes a property value of a workflow command.
func githubProperty(s string) string { return githubEscape(s, true) }

func githubEscape(s string, property bool) string {
	var b strings.Builder
	for _, c := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case c == '%':
			b.WriteString("%25")
		case c == '\r':
			b.WriteString("%0D")
		case c == '\n':
			b.WriteString("%0A")
		case property && c == ':':
			b.WriteString("%3A")
		case property && c == ',':
			b.WriteString("%2C")
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
