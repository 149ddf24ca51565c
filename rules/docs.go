package rules

import (
	"fmt"
	"strings"
)

// Markdown renders a rule's documentation page (docs/rules/<ID>.md).
func Markdown(m Meta) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", m.ID, m.Name)
	fmt.Fprintf(&b, "**%s** · severity: %s · since %s", strings.ToUpper(m.Title[:1])+m.Title[1:], m.Severity, m.Since)
	if !m.Default {
		b.WriteString(" · off by default")
	}
	b.WriteString("\n\n")
	b.WriteString(strings.TrimSpace(m.Doc))
	b.WriteString("\n")
	if ex, ok := fixtureExamples[m.ID]; ok {
		fmt.Fprintf(&b, "\n## From the fixtures\n\nReported (`fixtures/%s/bad.tf`):\n\n```hcl\n%s\n```\n\n", m.ID, ex.bad)
		fmt.Fprintf(&b, "Silent (`fixtures/%s/good.tf`):\n\n```hcl\n%s\n```\n", m.ID, ex.good)
	}
	return b.String()
}

// fixtureExample is a bad and a good excerpt of a rule's fixtures.
type fixtureExample struct{ bad, good string }
