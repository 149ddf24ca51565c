package policy

import (
	"math"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// negations pairs each positive operator with its negated form. For a key
// with one value (or none, or an unknown one) and no set qualifier, AWS
// defines the negated operator as the opposite of the positive one.
var negations = map[string]string{
	"StringEquals":           "StringNotEquals",
	"StringEqualsIgnoreCase": "StringNotEqualsIgnoreCase",
	"StringLike":             "StringNotLike",
	"NumericEquals":          "NumericNotEquals",
	"DateEquals":             "DateNotEquals",
	"IpAddress":              "NotIpAddress",
	"ArnEquals":              "ArnNotEquals",
	"ArnLike":                "ArnNotLike",
}

// fuzzOperators are every operator IAM has in every qualified form, in a
// fixed order, plus a few it does not have.
func fuzzOperators() []string {
	var base []string
	for name := range operators {
		base = append(base, name)
	}
	slices.Sort(base)
	out := []string{"", "Nope", "ForAllValues:Null", "NullIfExists", "ForSomeValues:StringEquals"}
	for _, b := range base {
		out = append(out, b, b+"IfExists", "ForAllValues:"+b, "ForAnyValue:"+b+"IfExists")
	}
	return out
}

// fuzzCondition builds the condition op(key: values).
func fuzzCondition(op, key string, values []string) *graph.Condition {
	r := graph.Range{File: "p.json", Start: graph.Pos{Line: 1, Col: 1}, End: graph.Pos{Line: 1, Col: 2, Byte: 1}}
	c := &graph.Condition{Range: r, Operator: graph.StringOf(op, r), Key: graph.StringOf(key, r)}
	for _, v := range values {
		c.Values = append(c.Values, graph.StringOf(v, r))
	}
	return c
}

// splitValues splits a fuzzed list at NUL bytes, so that values may hold
// commas, and a list may be empty.
func splitValues(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}

// FuzzCondition evaluates every condition operator, in every qualified form
// and as fuzzed, on arbitrary keys, condition values and request contexts.
// Beyond never panicking it checks what AWS defines: the answer is the
// same twice over; a negated operator is the opposite of the positive one
// on a key with one value; a value compared with itself matches
// (StringEquals, StringLike, ArnEquals, IpAddress, NumericEquals,
// DateEquals, Bool); a missing key makes IfExists and ForAllValues true,
// ForAnyValue false, and Null "true" true.
func FuzzCondition(f *testing.F) {
	f.Add("StringEquals", "aws:SourceVpce", "vpce-1a2b3c", "vpce-1a2b3c", uint8(0))
	f.Add("StringLike", "s3:prefix", "home/${aws:username}/*\x00public/*", "home/alice/notes", uint8(0))
	f.Add("IpAddress", "aws:SourceIp", "203.0.113.0/24\x002001:db8::/32", "203.0.113.7", uint8(0))
	f.Add("NotIpAddress", "aws:SourceIp", "::ffff:10.0.0.0/104", "10.1.2.3/16", uint8(0))
	f.Add("ArnLike", "aws:SourceArn", "arn:aws:cloudtrail:*:111122223333:trail/*", "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", uint8(0))
	f.Add("NumericLessThanEquals", "s3:max-keys", "10", "1e308", uint8(0))
	f.Add("DateGreaterThan", "aws:CurrentTime", "2024-02-29T23:59:59Z", "1700000000", uint8(0))
	f.Add("Bool", "aws:SecureTransport", "false", "FALSE", uint8(1))
	f.Add("Null", "s3:x-amz-server-side-encryption", "true", "", uint8(1))
	f.Add("ForAllValues:StringEqualsIfExists", "aws:TagKeys", "a\x00b", "a,b,c", uint8(0))
	f.Add("ForAnyValue:StringNotLike", "aws:PrincipalOrgPaths", "o-1/r-1/*", "", uint8(2))
	f.Add("StringEqualsIgnoreCase", "aws:PrincipalTag/Team", "${aws:PrincipalTag/team, 'x'}", "X", uint8(3))
	f.Add("NumericEquals", "s3:signatureAge", "NaN\x00-0\x00+Inf", "0x1p-2", uint8(0))
	f.Add("DateLessThan", "aws:EpochTime", "-9223372036854775808", "9223372036854775807", uint8(0))
	f.Add("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::<account of aws>:role/r", "arn:aws:iam::111122223333:role/<name of r>", uint8(0))
	f.Add("StringEquals", "s3:ExistingObjectTag/<key>", "\xff\xfe\x00", "\xff,\xfe", uint8(0))
	f.Add("BinaryEquals", "${", "${${}}\x00${aws:username,}", "${", uint8(0))

	ops := fuzzOperators()
	f.Fuzz(func(t *testing.T, op, key, condValues, reqValues string, mode uint8) {
		values := splitValues(condValues)
		ctx := Context{}
		var reqs []string
		switch mode % 4 {
		case 0:
			reqs = strings.Split(reqValues, ",")
			ctx.Set(key, reqs...)
		case 1:
			ctx.SetAbsent(key)
		case 2:
			// unknown: not in the context at all
		case 3:
			reqs = []string{reqValues}
			ctx.Set(key, reqs...)
		}
		// Policy variables in condition values read these.
		ctx.Set("aws:username", reqValues)
		if mode&4 != 0 {
			ctx.SetAbsent("aws:userid")
		}
		act := LookupAction("s3:ListBucket")
		if mode&8 != 0 {
			act = LookupAction("s3:GetObject")
		}
		eval := func(op string, key string, values []string) Truth {
			req := Request{Action: act.String(), Resource: "arn:aws:s3:::b", Context: ctx, act: act}
			return evalCondition(fuzzCondition(op, key, values), &req, false)
		}

		for _, o := range append([]string{op}, ops...) {
			first := eval(o, key, values)
			if again := eval(o, key, values); !reflect.DeepEqual(first, again) {
				t.Fatalf("%s(%q: %q) gave %v, then %v", o, key, values, first, again)
			}
			if first.T == Maybe && len(first.Why) == 0 {
				t.Fatalf("%s(%q: %q) is maybe without a reason", o, key, values)
			}
		}

		state := ctx.lookup(key, act).State
		if state == KeyKnown && len(ctx.lookup(key, act).Values) <= 1 || state != KeyKnown {
			for pos, neg := range negations {
				p, n := eval(pos, key, values), eval(neg, key, values)
				if n.T != p.Not().T {
					t.Fatalf("%s(%q: %q) is %v but %s is %v", pos, key, values, p.T, neg, n.T)
				}
			}
		}

		switch state {
		case KeyAbsent:
			for _, o := range []string{"StringEqualsIfExists", "ForAllValues:StringLike", "ForAllValues:NumericLessThan", "IpAddressIfExists"} {
				if got := eval(o, key, values); got.T != Yes {
					t.Fatalf("%s on the missing key %q is %v", o, key, got.T)
				}
			}
			if got := eval("ForAnyValue:StringEquals", key, values); got.T != No {
				t.Fatalf("ForAnyValue:StringEquals on the missing key %q is %v", key, got.T)
			}
			if got := eval("Null", key, []string{"true"}); got.T != Yes {
				t.Fatalf("Null true on the missing key %q is %v", key, got.T)
			}
		case KeyKnown:
			if got := eval("Null", key, []string{"false"}); got.T != Yes {
				t.Fatalf("Null false on the present key %q is %v", key, got.T)
			}
			cv := ctx.lookup(key, act).Values
			if len(cv) != 1 || strings.Contains(cv[0], "${") {
				return
			}
			x := cv[0]
			self := []string{"StringEquals", "StringLike", "BinaryEquals"}
			if !hasSymbol(x) {
				// A symbol stands for a value not known before deployment.
				self = append(self, "Bool")
			}
			if strings.Count(x, ":") >= 5 {
				self = append(self, "ArnEquals", "ArnLike")
			}
			if a, err := netip.ParseAddr(x); err == nil && a.Zone() == "" {
				// IAM has no zones (fe80::1%eth0): such a value is no
				// address and matches nothing.
				self = append(self, "IpAddress")
			}
			if n, err := strconv.ParseFloat(x, 64); err == nil && !math.IsNaN(n) {
				self = append(self, "NumericEquals", "NumericLessThanEquals", "NumericGreaterThanEquals")
			}
			if _, ok := parseDate(x); ok {
				self = append(self, "DateEquals", "DateLessThanEquals")
			}
			for _, o := range self {
				if got := eval(o, key, []string{x}); got.T != Yes {
					t.Fatalf("%s(%q: %q) on the value itself is %v", o, key, x, got.T)
				}
			}
			// Only ASCII: Unicode case folding is not a round trip (ı, K).
			if got := eval("StringEqualsIgnoreCase", key, []string{strings.ToUpper(x)}); isASCII(x) && got.T != Yes {
				t.Fatalf("StringEqualsIgnoreCase(%q: %q) is %v", key, strings.ToUpper(x), got.T)
			}
		}
	})
}
