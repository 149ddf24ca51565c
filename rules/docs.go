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
	return b.String()
}
