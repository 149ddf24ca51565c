package cloudformation

import (
	"errors"
	"regexp"
	"strconv"

	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
)

func asSyntax(err error, target **jsonpos.SyntaxError) bool { return errors.As(err, target) }

// yaml.v3 reports positions only inside its messages: "yaml: line 3: …".
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

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
