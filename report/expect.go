package report

import (
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/expect"
)

// WriteExpectYAML writes suggested expectations as the expect: list of
// .s3lint.yaml, ready to paste; the rows that could not be suggested are
// comments that say why.
func WriteExpectYAML(w io.Writer, ss []expect.Suggestion) error {
	var b strings.Builder
	b.WriteString("# Access the configuration grants and refuses today, proved by s3lint (access --suggest).\n")
	b.WriteString("# Paste it into .s3lint.yaml and keep what you rely on: scan reports a change as S3L100.\n")
	b.WriteString("expect:\n")
	n := 0
	for _, s := range ss {
		switch {
		case s.Skipped != "":
			fmt.Fprintf(&b, "  # not suggested: %s\n", s.Skipped)
		case s.NotPublic:
			fmt.Fprintf(&b, "  - bucket: %s\n    public: false\n", yamlScalar(s.Bucket))
			n++
		default:
			fmt.Fprintf(&b, "  - principal: %s\n    bucket: %s\n", yamlScalar(s.Principal), yamlScalar(s.Bucket))
			if len(s.Can) > 0 {
				fmt.Fprintf(&b, "    can: [%s]\n", strings.Join(s.Can, ", "))
			}
			if len(s.Cannot) > 0 {
				fmt.Fprintf(&b, "    cannot: [%s]\n", strings.Join(s.Cannot, ", "))
			}
			n++
		}
	}
	if n == 0 {
		b.WriteString("  [] # nothing to suggest: no bucket whose access is proved\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// yamlScalar writes s as a YAML scalar, quoted when it must be.
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}
