package report

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// JUnit XML as GitLab (artifacts:reports:junit) and Jenkins (the JUnit
// plugin) read it. There is no standard schema; both read testsuites >
// testsuite > testcase with name and classname, and a failure or error
// element whose text they show. GitLab also shows the testcase's file
// attribute (a path from the repository root) and tells new failures from
// old ones by suite, classname and name, so names carry no line numbers.
// GitLab reads the XML with ActiveSupport's Hash.from_xml, which gives
// meaning to some values of a "type" attribute ("yaml", "integer" …): the
// types written here are "error", "warning", "note", "suppressed" and
// "input", which it
// leaves alone.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitProblem `xml:"skipped"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",innerxml"` // escaped by junitText
}

// junitText escapes s as element text, keeping its line breaks, tabs and
// quotes as they are (encoding/xml writes them as &#xA;, &#x9; and &#34;,
// which is as valid but hard to read in a file). Characters XML cannot hold
// become U+FFFD.
func junitText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	r := strings.NewReplacer("&#xA;", "\n", "&#34;", `"`, "&#39;", "'", "&#x9;", "\t")
	return r.Replace(b.String())
}

// junitTime is the time of every suite and case: a scan does not time its
// rules, and output must not change between runs.
const junitTime = "0"

// WriteJUnit writes r as a JUnit XML report, indented, ending in a newline.
//
// Each rule that ran is a testsuite named "S3L010 object-action-on-bucket-arn";
// each of its findings is a failing testcase whose classname is the suite's
// name and whose name is the resource and file ("aws_s3_bucket_policy.p in
// main.tf", "#2" and so on for more findings of the rule there), with file
// and line attributes and a failure element: message is the finding's
// message, type its severity, and the text gives the place, the message,
// the related places and the rule's documentation address. A rule without
// findings has one passing testcase named "no findings", so a clean run is
// a valid report that counts one passing test per rule. A suppressed
// finding (Result.Suppressed) is a skipped testcase, named as it would be
// unsuppressed, whose skipped element gives the justification. Input errors (a
// file that could not be read) are testcases with an error element in a
// last suite named "input"; warnings and notes about the input are not
// written. Paths are relative to r.SrcRoot, the repository root.
func WriteJUnit(w io.Writer, r *Result) error {
	loc := newLocator(r.SrcRoot, r.WorkDir)
	doc := junitSuites{Name: r.toolName(), Time: junitTime}

	// One suite per rule, in the order of r.Rules, then suites for rules
	// that reported without being listed.
	suites := map[string]*junitSuite{}
	var order []string
	addSuite := func(id, name string) {
		if _, ok := suites[id]; ok {
			return
		}
		title := id
		if name != "" {
			title += " " + name
		}
		suites[id] = &junitSuite{Name: title, Time: junitTime}
		order = append(order, id)
	}
	for _, m := range r.Rules {
		addSuite(m.ID, m.Name)
	}
	seen := map[string]int{}
	addCase := func(f rules.Finding) (*junitSuite, *junitCase) {
		addSuite(f.RuleID, "")
		s := suites[f.RuleID]
		file := ""
		if f.Range.File != "" {
			file, _ = loc.rel(f.Range.File)
		}
		name := junitCaseName(f.Resource, file)
		key := f.RuleID + "\x00" + name
		seen[key]++
		if n := seen[key]; n > 1 {
			name += " #" + strconv.Itoa(n)
		}
		s.Cases = append(s.Cases, junitCase{
			Name:      name,
			Classname: s.Name,
			File:      file,
			Line:      max(f.Range.Start.Line, 0),
			Time:      junitTime,
		})
		return s, &s.Cases[len(s.Cases)-1]
	}
	for _, f := range r.Findings {
		s, c := addCase(f)
		c.Failure = &junitProblem{
			Message: f.Message,
			Type:    f.Severity.String(),
			Text:    junitText(junitFailureText(r, loc, f, c.File)),
		}
		s.Failures++
	}
	for _, sf := range r.Suppressed {
		s, c := addCase(sf.Finding)
		why := "suppressed: " + sf.Suppression.Justification
		if sf.Suppression.Kind == rules.External {
			why = "suppressed " + sf.Suppression.Justification
		}
		c.Skipped = &junitProblem{
			Message: why,
			Type:    "suppressed",
			Text:    junitText(junitFailureText(r, loc, sf.Finding, c.File) + why + "\n"),
		}
		s.Skipped++
	}
	for _, id := range order {
		s := suites[id]
		if len(s.Cases) == 0 {
			s.Cases = append(s.Cases, junitCase{Name: "no findings", Classname: s.Name, Time: junitTime})
		}
		s.Tests = len(s.Cases)
		doc.Suites = append(doc.Suites, *s)
	}

	input := junitSuite{Name: "input", Time: junitTime}
	for _, d := range r.Diagnostics {
		if d.Severity != graph.DiagError {
			continue
		}
		file := ""
		if df := diagFile(d); df != "" {
			file, _ = loc.rel(df)
		}
		name := file
		if name == "" {
			name = "s3lint"
		}
		text := d.Message
		if p := position(file, d.Range); p != "" {
			text = p + ": " + text
		}
		input.Cases = append(input.Cases, junitCase{
			Name:      name,
			Classname: "input",
			File:      file,
			Line:      max(d.Range.Start.Line, 0),
			Time:      junitTime,
			Error:     &junitProblem{Message: d.Message, Type: "input", Text: junitText(text + "\n")},
		})
		input.Errors++
	}
	if len(input.Cases) > 0 {
		input.Tests = len(input.Cases)
		doc.Suites = append(doc.Suites, input)
	}

	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitCaseName names the testcase of a finding without its line, so that
// the name survives edits above it: "resource in file", or what is known.
func junitCaseName(resource, file string) string {
	switch {
	case resource != "" && file != "":
		return resource + " in " + file
	case resource != "":
		return resource
	case file != "":
		return file
	default:
		return "(no file)"
	}
}

// junitFailureText is the body of a failure: what the text format prints
// for the finding, with paths from the repository root, and the rule's
// documentation address.
func junitFailureText(r *Result, loc *locator, f rules.Finding, file string) string {
	var b strings.Builder
	if p := position(file, f.Range); p != "" {
		b.WriteString(p + ": ")
	}
	b.WriteString(f.Severity.String() + " " + f.RuleID + " " + f.Message)
	if f.Resource != "" {
		b.WriteString(" [" + f.Resource + "]")
	}
	b.WriteByte('\n')
	for _, rel := range f.Related {
		b.WriteString(relatedIndent)
		if p := rootPosition(loc, rel.Range.File, rel.Range); p != "" {
			b.WriteString(p + ": ")
		}
		b.WriteString("note: " + rel.Message + "\n")
	}
	if u := r.helpURI(f.RuleID); u != "" {
		b.WriteString("see " + u + "\n")
	}
	return b.String()
}
