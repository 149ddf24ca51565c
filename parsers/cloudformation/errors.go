package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

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

// badByteOffset finds the byte behind the yaml.v3 errors that carry no
// position: invalid UTF-8 and control characters. what describes it.
func badByteOffset(err error, b []byte) (off int, what string, ok bool) {
	msg := err.Error()
	utf := strings.Contains(msg, "UTF-8") || strings.Contains(msg, "Unicode character")
	ctl := strings.Contains(msg, "control characters are not allowed")
	if !utf && !ctl {
		return 0, "", false
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			if utf {
				return i, fmt.Sprintf("byte 0x%02x", b[i]), true
			}
		case !yamlPrintable(r) && (i != 0 || r != '\ufeff'):
			if ctl {
				return i, fmt.Sprintf("U+%04X", r), true
			}
		}
		i += n
	}
	return 0, "", false
}

// yamlPrintable is the YAML 1.2 set of characters a stream may hold.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return false
	case r >= 0xd800 && r <= 0xdfff, r == 0xfffe || r == 0xffff:
		return false
	}
	return true
}

// indentTab is the offset of the first tab in the indentation of the line
// that starts at start.
func indentTab(b []byte, start int) (int, bool) {
	for i := start; i < len(b) && (b[i] == ' ' || b[i] == '\t'); i++ {
		if b[i] == '\t' {
			return i, true
		}
	}
	return 0, false
}

func anchorName(err error) string {
	if m := yamlUnknownAnchor.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}
