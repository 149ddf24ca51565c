package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

func TestTextSummary(t *testing.T) {
	finding := func(file string, s rules.Severity) rules.Finding {
		return rules.Finding{RuleID: "S3L010", Severity: s, Message: "m", Range: rng(file, 1, 1, 1, 2)}
	}
	diag := func(s graph.Severity) graph.Diagnostic {
		return graph.Diagnostic{Severity: s, Message: "d", File: "x.tf"}
	}
	tests := []struct {
		name string
		r    Result
		want string
	}{
		{"empty", Result{}, "no findings"},
		{"one", Result{Findings: []rules.Finding{finding("a.tf", rules.Error)}}, "1 finding (1 error) in 1 file"},
		{
			"mixed",
			Result{Findings: []rules.Finding{
				finding("a.tf", rules.Error), finding("a.tf", rules.Error),
				finding("b.tf", rules.Warning), finding("c/d.tf", rules.Note),
			}},
			"4 findings (2 errors, 1 warning, 1 note) in 3 files",
		},
		{
			"input problems only",
			Result{Diagnostics: []graph.Diagnostic{diag(graph.DiagError), diag(graph.DiagNote)}},
			"no findings; 1 input error",
		},
		{
			"both",
			Result{
				Findings: []rules.Finding{finding("a.tf", rules.Warning), finding("b.tf", rules.Warning)},
				Diagnostics: []graph.Diagnostic{
					diag(graph.DiagError), diag(graph.DiagError), diag(graph.DiagWarning),
				},
			},
			"2 findings (2 warnings) in 2 files; 2 input errors, 1 input warning",
		},
		{
			"no file",
			Result{Findings: []rules.Finding{{RuleID: "S3L010", Severity: rules.Error, Message: "m"}}},
			"1 finding (1 error)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteText(&b, &tt.r, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if got := lines[len(lines)-1]; got != tt.want {
				t.Errorf("summary = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextDiagnostics(t *testing.T) {
	r := &Result{Diagnostics: []graph.Diagnostic{
		{Severity: graph.DiagError, Message: "bad token", Range: rng("a.tf", 2, 3, 2, 4)},
		{Severity: graph.DiagWarning, Message: "odd", Range: rng("a.tf", 5, 0, 5, 0)},
		{Severity: graph.DiagNote, Message: "module not followed", Range: rng("b.tf", 1, 1, 1, 9)},
		{Severity: graph.DiagError, Message: "permission denied", File: "c.json"},
		{Severity: graph.DiagError, Message: "no input files"},
		{Severity: graph.DiagError, Message: "internal error while running rule S3L999: boom", Detail: "goroutine 7 [running]:\nmain.f()\n\t/src/f.go:3 +0x1d\n"},
	}}
	for _, tt := range []struct {
		o    TextOptions
		want string
	}{
		{TextOptions{}, "a.tf:2:3: error: bad token\n" +
			"a.tf:5: warning: odd\n" +
			"c.json: error: permission denied\n" +
			"error: no input files\n" +
			"error: internal error while running rule S3L999: boom\n"},
		{TextOptions{ShowNotes: true}, "a.tf:2:3: error: bad token\n" +
			"a.tf:5: warning: odd\n" +
			"b.tf:1:1: note: module not followed\n" +
			"c.json: error: permission denied\n" +
			"error: no input files\n" +
			"error: internal error while running rule S3L999: boom\n"},
		// --debug: the stack, indented under its message.
		{TextOptions{Debug: true}, "a.tf:2:3: error: bad token\n" +
			"a.tf:5: warning: odd\n" +
			"c.json: error: permission denied\n" +
			"error: no input files\n" +
			"error: internal error while running rule S3L999: boom\n" +
			"    goroutine 7 [running]:\n" +
			"    main.f()\n" +
			"    \t/src/f.go:3 +0x1d\n"},
	} {
		var b bytes.Buffer
		if err := WriteTextDiagnostics(&b, r, tt.o); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, b.String()); diff != "" {
			t.Errorf("ShowNotes=%v Debug=%v (-want +got):\n%s", tt.o.ShowNotes, tt.o.Debug, diff)
		}
	}

	// Nothing to say: nothing written, not even a newline.
	var b bytes.Buffer
	notesOnly := &Result{Diagnostics: []graph.Diagnostic{{Severity: graph.DiagNote, Message: "n", File: "x"}}}
	if err := WriteTextDiagnostics(&b, notesOnly, TextOptions{}); err != nil || b.Len() != 0 {
		t.Errorf("notes hidden: wrote %q, err %v; want nothing", b.String(), err)
	}
}

func TestTextNoColorByDefault(t *testing.T) {
	out := textOutput(t, sampleResult(), TextOptions{ShowNotes: true})
	if bytes.Contains(out, []byte("\x1b")) {
		t.Errorf("escape sequence in output without Color:\n%s", out)
	}
	colored := textOutput(t, sampleResult(), TextOptions{Color: true})
	for _, want := range []string{ansiRed + "error" + ansiReset, ansiYellow + "warning" + ansiReset,
		ansiCyan + "note" + ansiReset, ansiBold + "S3L010" + ansiReset} {
		if !bytes.Contains(colored, []byte(want)) {
			t.Errorf("coloured output lacks %q", want)
		}
	}
}

// TestTextTerminalSafe checks that text from the scanned files cannot reach
// the terminal as an escape sequence.
func TestTextTerminalSafe(t *testing.T) {
	r := &Result{Findings: []rules.Finding{{
		RuleID: "S3L010", Severity: rules.Error,
		Message: "bucket \"evil\x1b[2J\" is odd\nsecond line\x07\r",
		Range:   rng("we\x1bird.tf", 1, 2, 1, 3),
		Related: []rules.Related{{Range: rng("x.tf", 4, 1, 4, 2), Message: "here\nand here\u009b"}},
	}}}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "we\\x1bird.tf:1:2: error S3L010 bucket \"evil\\x1b[2J\" is odd\n" +
		"    second line\\x07\\x0d\n" +
		"    x.tf:4:1: note: here\n" +
		"        and here\\u009b\n" +
		"1 finding (1 error) in 1 file\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTerminalSafeInvalidUTF8(t *testing.T) {
	if got, want := terminalSafe("a\xffb", ""), "a\uFFFDb"; got != want {
		t.Errorf("terminalSafe = %q, want %q", got, want)
	}
	if got := terminalSafe("tab\tok é", ""); got != "tab\tok é" {
		t.Errorf("terminalSafe changed clean text: %q", got)
	}
}

// TestAccessTextEmpty: an empty access table says why grants to everyone
// under conditions are missing from it, and how to ask about them.
func TestAccessTextEmpty(t *testing.T) {
	var b strings.Builder
	if err := WriteAccessText(&b, nil, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "no bucket in the configuration is granted to a principal it names (grants to everyone under conditions, such as aws:SourceIp, are not listed: ask about them with s3lint explain --principal anonymous --action s3:GetObject --resource BUCKET/KEY --context KEY=VALUE)\n") {
		t.Errorf("got %q", got)
	}
}
