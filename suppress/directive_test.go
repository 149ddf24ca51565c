package suppress

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseComment(t *testing.T) {
	for _, tc := range []struct {
		in       string
		ok       bool
		kind     Kind
		ids      []string
		reason   string
		expires  string
		problems []string // substrings, in order
	}{
		{in: "# just a comment"},
		{in: "# see s3lint:ignore S3L010 later"}, // not at the start
		{in: "# s3lint:ignore S3L010 the bucket is replicated", ok: true, ids: []string{"S3L010"}, reason: "the bucket is replicated"},
		{in: "// s3lint:ignore S3L010 reason", ok: true, ids: []string{"S3L010"}, reason: "reason"},
		{in: "/* s3lint:ignore S3L010 reason */", ok: true, ids: []string{"S3L010"}, reason: "reason"},
		{in: "#s3lint:ignore S3L010 tight", ok: true, ids: []string{"S3L010"}, reason: "tight"},
		{in: "s3lint:ignore S3L010 no marker", ok: true, ids: []string{"S3L010"}, reason: "no marker"},
		{in: "# s3lint:ignore S3L010,S3L011 two", ok: true, ids: []string{"S3L010", "S3L011"}, reason: "two"},
		{in: "# s3lint:ignore S3L010, S3L011 S3L012 three", ok: true, ids: []string{"S3L010", "S3L011", "S3L012"}, reason: "three"},
		{in: "# s3lint:ignore s3l010 lower case", ok: true, ids: []string{"S3L010"}, reason: "lower case"},
		{in: "# s3lint:ignore S3L010 -- dashed", ok: true, ids: []string{"S3L010"}, reason: "dashed"},
		{in: "# s3lint:ignore S3L010: colon", ok: true, ids: []string{"S3L010"}, reason: "colon"},
		{in: "# s3lint:ignore S3L010 — em dash", ok: true, ids: []string{"S3L010"}, reason: "em dash"},
		{in: "# s3lint:ignore S3L010   many   spaces\t", ok: true, ids: []string{"S3L010"}, reason: "many spaces"},
		{in: "# s3lint:ignore S3L010 exp:2027-01-31 until the migration", ok: true, ids: []string{"S3L010"},
			reason: "until the migration", expires: "2027-01-31"},
		{in: "# s3lint:ignore S3L010 until the migration exp:2027-01-31", ok: true, ids: []string{"S3L010"},
			reason: "until the migration", expires: "2027-01-31"},
		{in: "# s3lint:ignore-file S3L090 generated", ok: true, kind: File, ids: []string{"S3L090"}, reason: "generated"},
		{in: "# s3lint:ignore-file S3L090,S3L091 exp:2026-12-01 generated", ok: true, kind: File,
			ids: []string{"S3L090", "S3L091"}, reason: "generated", expires: "2026-12-01"},
		// Problems.
		{in: "# s3lint:ignore S3L010", ok: true, ids: []string{"S3L010"}, problems: []string{"needs a reason"}},
		{in: "# s3lint:ignore S3L010 exp:2027-01-31", ok: true, ids: []string{"S3L010"}, expires: "2027-01-31",
			problems: []string{"needs a reason"}},
		{in: "# s3lint:ignore", ok: true, problems: []string{"names no rule", "needs a reason"}},
		{in: "# s3lint:ignore because", ok: true, reason: "because", problems: []string{"names no rule"}},
		{in: "# s3lint:ignore S3L010 exp:31-01-2027 why", ok: true, ids: []string{"S3L010"}, reason: "why",
			problems: []string{`"exp:31-01-2027" is not a date`}},
		{in: "# s3lint:ignore S3L010 exp:2027-01-31 exp:2027-02-01 why", ok: true, ids: []string{"S3L010"}, reason: "why",
			expires: "2027-01-31", problems: []string{"more than one exp:"}},
		{in: "# s3lint:ignores S3L010 why", ok: true, problems: []string{`unknown directive "s3lint:ignores"`}},
		{in: "# s3lint:ignore-line S3L010 why", ok: true, problems: []string{`unknown directive "s3lint:ignore-line"`}},
		{in: "# s3lint:ignore-file", ok: true, kind: File, problems: []string{"s3lint:ignore-file names no rule", "needs a reason"}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, ok := ParseComment(tc.in)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if d.Kind != tc.kind || !reflect.DeepEqual(d.IDs, tc.ids) || d.Reason != tc.reason {
				t.Errorf("got kind %v ids %q reason %q; want %v %q %q", d.Kind, d.IDs, d.Reason, tc.kind, tc.ids, tc.reason)
			}
			var exp string
			if !d.Expires.IsZero() {
				exp = d.Expires.Format(dateLayout)
			}
			if exp != tc.expires {
				t.Errorf("expires %q, want %q", exp, tc.expires)
			}
			if len(d.Problems) != len(tc.problems) {
				t.Fatalf("problems %q, want %q", d.Problems, tc.problems)
			}
			for i, p := range tc.problems {
				if !strings.Contains(d.Problems[i], p) {
					t.Errorf("problem %q does not contain %q", d.Problems[i], p)
				}
			}
		})
	}
}

func TestExpired(t *testing.T) {
	today := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		exp  string
		want bool
	}{
		{"", false},
		{"2026-11-27", true},
		{"2026-11-28", false}, // the last day still applies
		{"2026-11-29", false},
		{"2020-01-01", true},
	} {
		d := Directive{}
		if tc.exp != "" {
			d.Expires = date(tc.exp)
		}
		if got := d.Expired(today); got != tc.want {
			t.Errorf("exp %q on 2026-11-28: expired %v, want %v", tc.exp, got, tc.want)
		}
	}
}
