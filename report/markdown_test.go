package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInlinePlain(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                                 "plain text",
		"use `s3:GetObject` here":                    "use s3:GetObject here",
		"``code with ` inside``":                     "code with ` inside",
		"**bold** and *it* and __b__ and _i_":        "bold and it and b and i",
		"***both***":                                 "both",
		"snake_case_name stays":                      "snake_case_name stays",
		"s3:Get* and s3:Put*":                        "s3:Get* and s3:Put*",
		"2 * 3 * 4":                                  "2 * 3 * 4",
		"`*` in code stays":                          "* in code stays",
		"**not closed":                               "**not closed",
		"see [the docs](https://x.example/a)":        "see the docs (https://x.example/a)",
		"see [https://x.example](https://x.example)": "see https://x.example",
		"[a **b**](https://x.example \"title\")":     "a b (https://x.example)",
		"[anchor](#fix)":                             "anchor",
		"![diagram](img.png)":                        "diagram",
		"<https://x.example>":                        "https://x.example",
		"a <b>tag</b>":                               "a <b>tag</b>",
		`escaped \*star\* and \[x\]`:                 "escaped *star* and [x]",
		"[not a link] (x)":                           "[not a link] (x)",
		"unclosed `tick":                             "unclosed `tick",
		"arn:aws:s3:::bucket/*":                      "arn:aws:s3:::bucket/*",
	} {
		if got := inlinePlain(in); got != want {
			t.Errorf("inlinePlain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFirstParagraph(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"One line.", "One line."},
		{"# Title\n\nFirst `para`\ncontinues.\n\nSecond.", "First para continues."},
		{"## Title\nRight after the heading.\n", "Right after the heading."},
		{"<!-- generated -->\n```hcl\nx = 1\n```\n\nText after code.", "Text after code."},
		{"Para before\n```\ncode\n```", "Para before"},
		{"\r\nWindows\r\nlines\r\n\r\nnext", "Windows lines"},
	} {
		if got := firstParagraph(tt.in); got != tt.want {
			t.Errorf("firstParagraph(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownToPlain(t *testing.T) {
	in := "\n# S3L010: object action\n" +
		"\n\n" +
		"Object actions apply to **objects**.\n" +
		"\n" +
		"## Bad\n" +
		"\n" +
		"```hcl\n" +
		"resource \"x\" \"y\" {\n" +
		"\n" +
		"  a = \"*\"\n" +
		"}\n" +
		"```\n" +
		"\n" +
		"> quoted *text*\n" +
		"- item with [link](https://x.example)\n" +
		"  - nested `code`\n" +
		"\n\n\n"
	want := "S3L010: object action\n" +
		"\n" +
		"Object actions apply to objects.\n" +
		"\n" +
		"Bad\n" +
		"\n" +
		"    resource \"x\" \"y\" {\n" +
		"\n" +
		"      a = \"*\"\n" +
		"    }\n" +
		"\n" +
		"quoted text\n" +
		"- item with link (https://x.example)\n" +
		"  - nested code"
	if diff := cmp.Diff(want, markdownToPlain(in)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
