package cloudformation

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"

	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
)

func asSyntax(err error, target **jsonpos.SyntaxError) bool { return errors.As(err, target) }

// yaml.v3 reports positions only inside its messages: "yaml: line 3: …".
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlUnknownAnchor is the one yaml.v3 error without a line.
var yamlUnknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '([^']*)' referenced$`)

// anchorOffset finds where an unknown alias is used, for the error that
// yaml.v3 reports without a position.
func anchorOffset(err error, b []byte) (int, bool) {
	m := yamlUnknownAnchor.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, false
	}
	i := bytes.Index(b, []byte("*"+m[1]))
	return i, i >= 0
}

func yamlErrorLine(err error) (line int, msg string, ok bool) {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil || m[1] == "" {
		return 0, "", false
	}
	n, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return 0, "", false
	}
	return n, "YAML: " + m[2], true
}

func anchorName(err error) string {
	if m := yamlUnknownAnchor.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}
