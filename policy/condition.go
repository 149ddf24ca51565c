package policy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/s3lint/s3lint/graph"
)

// opKind is the comparison an IAM condition operator makes.
type opKind uint8

const (
	opString opKind = iota
	opStringIgnoreCase
	opStringLike
	opNumeric
	opDate
	opBool
	opBinary
	opIP
	opARN
	opNull
)

// cmp is the relation of numeric and date operators.
type cmp uint8

const (
	cmpEq cmp = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

type operator struct {
	kind    opKind
	negated bool
	rel     cmp
}

// operators are IAM's condition operators without qualifiers or IfExists.
var operators = map[string]operator{
	"stringequals":              {kind: opString},
	"stringnotequals":           {kind: opString, negated: true},
	"stringequalsignorecase":    {kind: opStringIgnoreCase},
	"stringnotequalsignorecase": {kind: opStringIgnoreCase, negated: true},
	"stringlike":                {kind: opStringLike},
	"stringnotlike":             {kind: opStringLike, negated: true},
	"numericequals":             {kind: opNumeric},
	"numericnotequals":          {kind: opNumeric, negated: true},
	"numericlessthan":           {kind: opNumeric, rel: cmpLt},
	"numericlessthanequals":     {kind: opNumeric, rel: cmpLe},
	"numericgreaterthan":        {kind: opNumeric, rel: cmpGt},
	"numericgreaterthanequals":  {kind: opNumeric, rel: cmpGe},
	"dateequals":                {kind: opDate},
	"datenotequals":             {kind: opDate, negated: true},
	"datelessthan":              {kind: opDate, rel: cmpLt},
	"datelessthanequals":        {kind: opDate, rel: cmpLe},
	"dategreaterthan":           {kind: opDate, rel: cmpGt},
	"dategreaterthanequals":     {kind: opDate, rel: cmpGe},
	"bool":                      {kind: opBool},
	"binaryequals":              {kind: opBinary},
	"ipaddress":                 {kind: opIP},
	"notipaddress":              {kind: opIP, negated: true},
	"arnequals":                 {kind: opARN},
	"arnlike":                   {kind: opARN},
	"arnnotequals":              {kind: opARN, negated: true},
	"arnnotlike":                {kind: opARN, negated: true},
	"null":                      {kind: opNull},
}

// setQualifier is ForAllValues / ForAnyValue.
type setQualifier uint8

const (
	qualNone setQualifier = iota
	qualAll
	qualAny
)

// parsedOp is an operator as written, split into its parts.
type parsedOp struct {
	operator
	qual     setQualifier
	ifExists bool
}

// ParseOperator splits an operator as written ("ForAnyValue:StringLikeIfExists").
// ok is false for operators IAM does not have.
func parseOperator(s string) (parsedOp, bool) {
	var p parsedOp
	lower := strings.ToLower(s)
	if q, rest, ok := strings.Cut(lower, ":"); ok {
		switch q {
		case "forallvalues":
			p.qual = qualAll
		case "foranyvalue":
			p.qual = qualAny
		default:
			return p, false
		}
		lower = rest
	}
	if base, ok := strings.CutSuffix(lower, "ifexists"); ok && base != "null" {
		p.ifExists = true
		lower = base
	}
	op, ok := operators[lower]
	if !ok || (op.kind == opNull && (p.ifExists || p.qual != qualNone)) {
		return p, false
	}
	p.operator = op
	return p, true
}

// NegatedOperator reports whether an operator as written is a negated test
// (StringNotEquals, ArnNotLike, NotIpAddress …), which a missing key makes
// true; ok is false for operators IAM does not have.
func NegatedOperator(s string) (negated, ok bool) {
	p, ok := parseOperator(s)
	return p.negated, ok
}

// ValidOperator reports whether IAM knows the operator as written.
func ValidOperator(s string) bool {
	_, ok := parseOperator(s)
	return ok
}

// evalCondition decides one operator/key pair of a Condition block against
// the request.
func evalCondition(c *graph.Condition, req *Request, literalVariables bool) Truth {
	if !c.Operator.Known() || !c.Key.Known() {
		return maybe("a condition that cannot be known before deployment")
	}
	op, ok := parseOperator(c.Operator.V)
	if !ok {
		// IAM rejects such a policy; whatever happens is not ours to guess.
		return maybe("the unsupported condition operator " + c.Operator.V)
	}
	key := c.Key.V
	cv := req.Context.lookup(key, req.act)
	switch cv.State {
	case KeyUnknown:
		return maybe("the value of " + key)
	case KeyAbsent:
		switch {
		case op.kind == opNull:
			// Null true matches a missing key.
			return nullMatches(c, true)
		case op.ifExists, op.qual == qualAll:
			return yes
		case op.qual == qualAny:
			return no
		default:
			// AWS: a missing key makes ordinary operators false and
			// negated ones true.
			return truthOf(op.negated)
		}
	}
	if op.kind == opNull {
		return nullMatches(c, false)
	}
	if c.Unknown {
		return maybe("the values of the condition on " + key)
	}
	values := make([]string, 0, len(c.Values))
	for _, v := range c.Values {
		if !v.Known() {
			return maybe("the values of the condition on " + key)
		}
		s, t := substituteVariables(v.V, req, literalVariables)
		switch t.T {
		case No:
			// A variable without a value: this value equals nothing.
			continue
		case Maybe:
			return t
		}
		values = append(values, s)
	}
	if !cv.OneOf {
		return matchValues(op, values, cv.Values)
	}
	// The request carries one of the values, and which is not known: the
	// condition is decided when it is decided alike for each.
	var out Truth
	for i, v := range cv.Values {
		t := matchValues(op, values, []string{v})
		switch {
		case i == 0:
			out = t
		case t.T != out.T || t.T == Maybe:
			return maybe("the value of " + key + " (" + strings.Join(cv.Values, " or ") + ")")
		}
	}
	return out
}

// matchValues compares a request's values of a key with a condition's.
func matchValues(op parsedOp, values, requestValues []string) Truth {
	single := func(v string) Truth {
		any := no
		for _, cond := range values {
			any = any.Or(compare(op.operator, v, cond))
			if any.T == Yes {
				break
			}
		}
		if op.negated {
			return any.Not()
		}
		return any
	}
	if op.qual == qualAll {
		all := yes
		for _, v := range requestValues {
			all = all.And(single(v))
		}
		return all
	}
	// No qualifier on a key with several values behaves like ForAnyValue.
	anyv := no
	for _, v := range requestValues {
		anyv = anyv.Or(single(v))
	}
	return anyv
}

// nullMatches decides a Null condition: "true" matches a missing key,
// "false" a present one.
func nullMatches(c *graph.Condition, absent bool) Truth {
	if c.Unknown {
		return maybe("the values of the Null condition on " + c.Key.V)
	}
	out := no
	for _, v := range c.Values {
		if !v.Known() {
			out = out.Or(maybe("the values of the Null condition on " + c.Key.V))
			continue
		}
		want := strings.EqualFold(v.V, "true")
		out = out.Or(truthOf(want == absent))
	}
	return out
}

// compare applies the positive form of an operator to one request value and
// one condition value.
func compare(op operator, v, cond string) Truth {
	switch op.kind {
	case opString, opBinary:
		return equalSym(cond, v)
	case opStringIgnoreCase:
		return equalSym(strings.ToLower(cond), strings.ToLower(v))
	case opStringLike:
		return matchSym(cond, v)
	case opBool:
		if hasSymbol(v) {
			return maybe(symbolNames(v)...)
		}
		return truthOf(strings.EqualFold(cond, v))
	case opARN:
		return matchARN(cond, v)
	case opNumeric:
		a, err1 := strconv.ParseFloat(v, 64)
		b, err2 := strconv.ParseFloat(cond, 64)
		if err1 != nil || err2 != nil {
			if hasSymbol(v) {
				return maybe(symbolNames(v)...)
			}
			return no
		}
		return relate(op.rel, compareFloat(a, b))
	case opDate:
		a, ok1 := parseDate(v)
		b, ok2 := parseDate(cond)
		if !ok1 || !ok2 {
			if hasSymbol(v) {
				return maybe(symbolNames(v)...)
			}
			return no
		}
		return relate(op.rel, a.Compare(b))
	case opIP:
		return ipIn(v, cond)
	}
	return no
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func relate(rel cmp, c int) Truth {
	switch rel {
	case cmpLt:
		return truthOf(c < 0)
	case cmpLe:
		return truthOf(c <= 0)
	case cmpGt:
		return truthOf(c > 0)
	case cmpGe:
		return truthOf(c >= 0)
	}
	return truthOf(c == 0)
}

// parseDate reads the forms IAM accepts: ISO 8601 dates and times, or
// seconds since the epoch.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	return time.Time{}, false
}

// ipIn reports whether an address (or range) from the request lies in the
// CIDR or address of a condition.
func ipIn(v, cond string) Truth {
	if hasSymbol(v) {
		return maybe(symbolNames(v)...)
	}
	pfx, err := parsePrefix(cond)
	if err != nil {
		return no
	}
	if addr, err := netip.ParseAddr(v); err == nil {
		return truthOf(pfx.Contains(addr.Unmap()))
	}
	if in, err := parsePrefix(v); err == nil {
		// A range stands for "some address in it": inside when wholly
		// contained, outside when disjoint, otherwise it depends.
		switch {
		case in.Bits() >= pfx.Bits() && pfx.Contains(in.Addr()):
			return yes
		case !in.Overlaps(pfx):
			return no
		}
		return maybe("the caller's address within " + v)
	}
	return no
}

// parsePrefix reads an address or CIDR as IAM's IP operators do. An IPv6
// zone (fe80::1%eth0) is not part of IAM's syntax: netip.ParsePrefix rejects
// one in a CIDR, and so does this for a lone address, rather than drop the
// zone and match an address that a zoned request value never matches.
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		if a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("an IP address with a zone: %q", s)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, err
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

// matchARN compares ARNs part by part, as ArnEquals and ArnLike do: each
// of the six colon-separated parts is matched on its own, so a wildcard
// never spans a colon that separates parts.
func matchARN(pattern, v string) Truth {
	pp := strings.SplitN(pattern, ":", 6)
	vp := strings.SplitN(v, ":", 6)
	if len(pp) != 6 || len(vp) != 6 {
		return no
	}
	out := yes
	for i := range pp {
		out = out.And(matchSym(pp[i], vp[i]))
		if out.T == No {
			return no
		}
	}
	return out
}

// substituteVariables replaces IAM policy variables (${aws:username}, or
// ${aws:username, 'default'}) in a condition value or resource with their
// values from the request. A variable whose key the request does not carry
// (and that has no default) has no value: the element then matches nothing,
// which the answer No says. In a policy whose Version has no variables
// (literal), the text stays as it is.
func substituteVariables(s string, req *Request, literal bool) (string, Truth) {
	if literal || !strings.Contains(s, "${") {
		return s, yes
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), yes
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			b.WriteString(rest)
			return b.String(), yes
		}
		b.WriteString(rest[:i])
		name := rest[i+2 : i+j]
		rest = rest[i+j+1:]
		switch name {
		case "*", "?", "$":
			b.WriteString(name)
			continue
		}
		def, hasDefault := "", false
		if k, d, ok := strings.Cut(name, ","); ok {
			d = strings.TrimSpace(d)
			if len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
				return "", maybe("the policy variable ${" + name + "}")
			}
			name, def, hasDefault = strings.TrimSpace(k), d[1:len(d)-1], true
		}
		cv := req.Context.lookup(name, req.act)
		switch {
		case cv.State == KeyKnown && len(cv.Values) == 1:
			b.WriteString(cv.Values[0])
		case cv.State == KeyAbsent && hasDefault:
			b.WriteString(def)
		case cv.State == KeyAbsent:
			return "", no
		default:
			return "", maybe("the policy variable ${" + name + "}")
		}
	}
}

// ConditionNeverHolds reports whether a condition is false for every
// request of the action because such requests never carry its key: a key
// of the action's own service that its tables do not list (s3:prefix on
// s3:GetObject, s3:x-amz-acl on s3:GetObject), tested with an operator
// that a missing key makes false (not Null true, not …IfExists, not
// ForAllValues, not a single-valued negated one).
func ConditionNeverHolds(c *graph.Condition, action string) bool {
	act := LookupAction(action)
	if act == nil || !c.Key.Known() || !c.Operator.Known() || !sameService(act, c.Key.V) || CarriesKey(action, c.Key.V) {
		return false
	}
	req := Request{Action: action, act: act, Context: Context{}}
	return evalCondition(c, &req, false).T == No
}

// CarriesKey reports whether requests of the action may carry the key: a
// key of its service that its tables list, for any resource it may be
// against (a statement of a bucket policy may speak of requests through
// access points, which carry s3:DataAccessPointArn). Unlike the engine's
// lookup, which decides requests on buckets, objects and keys only.
func CarriesKey(action, key string) bool {
	act := LookupAction(action)
	return act != nil && sameService(act, key) && act.carries(key)
}

// sameService reports whether a condition key is of the action's service.
func sameService(act *Action, key string) bool {
	svc, _, _ := strings.Cut(strings.ToLower(key), ":")
	return svc == act.Service
}
