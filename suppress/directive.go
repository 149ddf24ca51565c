package suppress

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/s3lint/s3lint/graph"
)

// Kind is the form a directive takes.
type Kind uint8

// The forms of directive.
const (
	// Line: "s3lint:ignore" in a comment, for the line it ends or the
	// element below it.
	Line Kind = iota
	// File: "s3lint:ignore-file" in a comment, for the whole file.
	File
	// Metadata: an entry of a template resource's Metadata.s3lint.ignore,
	// for that resource.
	Metadata
)

func (k Kind) String() string {
	return [...]string{"s3lint:ignore", "s3lint:ignore-file", "Metadata s3lint ignore"}[k]
}

// Directive is one suppression as written.
type Directive struct {
	Kind  Kind
	Range graph.Range // the comment, or the Metadata entry
	// IDs are the rule IDs it names, upper case, in order.
	IDs    []string
	Reason string
	// Expires is the last day on which the directive applies; zero when
	// it does not expire.
	Expires time.Time
	// Problems make the directive invalid: it suppresses nothing and each
	// problem is reported as an error.
	Problems []string
}

// Valid reports whether the directive has no problems.
func (d *Directive) Valid() bool { return len(d.Problems) == 0 }

// Expired reports whether the directive's last day lies before today's
// date at now (in UTC).
func (d *Directive) Expired(now time.Time) bool {
	if d.Expires.IsZero() {
		return false
	}
	y, m, day := now.UTC().Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return d.Expires.Before(today)
}

const (
	directivePrefix = "s3lint:ignore"
	fileSuffix      = "-file"
	expPrefix       = "exp:"
	dateLayout      = "2006-01-02"
)

var idPattern = regexp.MustCompile(`^(?i)S3L[0-9]+$`)

// ParseComment reads the text of one comment, with or without its marker
// ("#", "//", "/* … */"). ok is false when the comment is not a directive,
// that is, when it does not start with "s3lint:ignore". The grammar is
//
//	s3lint:ignore[-file] ID[,ID…] [ID…] [exp:YYYY-MM-DD] reason…
//
// IDs are separated by commas, spaces or both; the first word that is not
// a rule ID starts the reason, which may be introduced by "--", "-" or ":"
// and is required. exp: may stand anywhere in the reason. Problems (no ID,
// no reason, a bad date, a second exp:, an unknown directive) are recorded
// in the directive, which then suppresses nothing.
func ParseComment(text string) (d Directive, ok bool) {
	text = strings.TrimSpace(stripMarker(text))
	if !strings.HasPrefix(text, directivePrefix) {
		return d, false
	}
	rest := text[len(directivePrefix):]
	switch {
	case rest == "" || startsWithSpace(rest):
		d.Kind = Line
	case strings.HasPrefix(rest, fileSuffix) && (len(rest) == len(fileSuffix) || startsWithSpace(rest[len(fileSuffix):])):
		d.Kind = File
		rest = rest[len(fileSuffix):]
	default:
		word := directivePrefix + strings.Fields(rest)[0]
		d.Problems = append(d.Problems, fmt.Sprintf("unknown directive %q (want s3lint:ignore or s3lint:ignore-file)", word))
		return d, true
	}
	words := strings.Fields(rest)
	i := 0
	for ; i < len(words); i++ {
		ids, isIDs := splitIDs(words[i])
		if !isIDs {
			break
		}
		d.IDs = append(d.IDs, ids...)
	}
	var reason []string
	for _, w := range words[i:] {
		if strings.HasPrefix(w, expPrefix) {
			d.setExpiry(w[len(expPrefix):])
			continue
		}
		reason = append(reason, w)
	}
	d.Reason = trimReason(strings.Join(reason, " "))
	d.check()
	return d, true
}

// setExpiry records the date of an exp: word.
func (d *Directive) setExpiry(s string) {
	if !d.Expires.IsZero() {
		d.Problems = append(d.Problems, "more than one exp: date")
		return
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		d.Problems = append(d.Problems, fmt.Sprintf("%q is not a date: write exp:YYYY-MM-DD", expPrefix+s))
		return
	}
	d.Expires = t
}

// check records missing IDs and reasons.
func (d *Directive) check() {
	if len(d.IDs) == 0 {
		d.Problems = append(d.Problems, fmt.Sprintf("%s names no rule: write %s S3L010 reason", d.Kind, d.Kind))
	}
	if d.Reason == "" {
		d.Problems = append(d.Problems, fmt.Sprintf("%s needs a reason after the rule IDs", d.Kind))
	}
}

// splitIDs reads one word as a list of rule IDs ("S3L010", "S3L010,S3L011",
// "S3L010,", "S3L010:"); ok is false when any part is something else.
func splitIDs(w string) (ids []string, ok bool) {
	for part := range strings.SplitSeq(strings.TrimSuffix(w, ":"), ",") {
		if part == "" {
			continue
		}
		if !idPattern.MatchString(part) {
			return nil, false
		}
		ids = append(ids, strings.ToUpper(part))
	}
	return ids, len(ids) > 0
}

// stripMarker removes a comment's "#", "//" or "/* */".
func stripMarker(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "#"):
		return s[1:]
	case strings.HasPrefix(s, "//"):
		return s[2:]
	case strings.HasPrefix(s, "/*"):
		return strings.TrimSuffix(s[2:], "*/")
	}
	return s
}

func startsWithSpace(s string) bool { return s != "" && (s[0] == ' ' || s[0] == '\t') }

// trimReason drops the separators people put before a reason.
func trimReason(s string) string {
	for _, sep := range []string{"--", "—", "-", ":"} {
		if strings.HasPrefix(s, sep) {
			return strings.TrimSpace(s[len(sep):])
		}
	}
	return strings.TrimSpace(s)
}
