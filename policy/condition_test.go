package policy

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// absent marks a key that the request does not carry in ctxOf.
const absent = "\x00absent"

// ctxOf builds a request context from key/value pairs: values separated by
// "|" make a multivalued key, and the value absent marks a missing key.
// Keys left out are unknown.
func ctxOf(kv ...string) Context {
	c := Context{}
	for i := 0; i+1 < len(kv); i += 2 {
		switch kv[i+1] {
		case absent:
			c.SetAbsent(kv[i])
		default:
			c.Set(kv[i], strings.Split(kv[i+1], "|")...)
		}
	}
	return c
}

// tlsOneOf is the context the engine assumes for an HTTPS request: one of
// TLS 1.2 and 1.3.
func tlsOneOf() Context {
	c := Context{}
	c.AssumeOneOf("s3:TlsVersion", "1.2", "1.3")
	return c
}

// condTruth evaluates a Condition block (JSON) in a statement that matches
// every action and resource, for a request of the action with the context.
func condTruth(t *testing.T, cond string, action string, ctx Context) Truth {
	t.Helper()
	doc := Parse(located(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+cond+`}}`))
	if len(doc.Problems) > 0 || len(doc.Statements) != 1 {
		t.Fatalf("bad condition %s: %v", cond, doc.Problems)
	}
	req := Request{Action: action, Resource: "arn:aws:s3:::b/k", Context: ctx, act: LookupAction(action)}
	m, _, _ := statementMatches(doc.Statements[0], &req, noPrincipal)
	return m
}

func TestConditionOperators(t *testing.T) {
	const list = "s3:ListBucket"
	cases := []struct {
		name   string
		cond   string
		action string
		ctx    Context
		want   Tri
		why    string // for Maybe: a word Why must contain
	}{
		// S3 UsingEncryptionInTransit: S3 accepts TLS 1.2 and 1.3 only, so
		// the usual "deny TLS below 1.2" never matches an HTTPS request...
		{"TLS below 1.2, one of 1.2 or 1.3", `{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`, list, tlsOneOf(), No, ""},
		// ... while "deny below 1.3" depends on the client.
		{"TLS below 1.3, one of 1.2 or 1.3", `{"NumericLessThan":{"s3:TlsVersion":"1.3"}}`, list, tlsOneOf(), Maybe, "s3:TlsVersion (1.2 or 1.3)"},
		{"TLS at least 1.2, one of 1.2 or 1.3", `{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`, list, tlsOneOf(), Yes, ""},
		// IAM reference_policies_elements_condition_operators (Important): a
		// key missing from the request makes ordinary operators false...
		{"StringEquals, key missing", `{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", absent), No, ""},
		// ... and negated operators (StringNotEquals) true.
		{"StringNotEquals, key missing", `{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", absent), Yes, ""},
		// condition_operators (Important): StringNotLike with the key missing
		// is true.
		{"StringNotLike, key missing", `{"StringNotLike":{"aws:SourceVpc":"vpc-*"}}`, list, ctxOf("aws:SourceVpc", absent), Yes, ""},
		// condition_operators (Important): ArnNotLike with the key missing is
		// true.
		{"ArnNotLike, key missing", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::*"}}`, list, ctxOf("aws:SourceArn", absent), Yes, ""},
		// condition_operators: ArnLike with the key missing is false.
		{"ArnLike, key missing", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}`, list, ctxOf("aws:SourceArn", absent), No, ""},
		// condition_operators: NotIpAddress with the key missing is true.
		{"NotIpAddress, key missing", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, list, ctxOf("aws:SourceIp", absent), Yes, ""},
		// condition_operators (...IfExists): a missing key makes the
		// condition true.
		{"StringEqualsIfExists, key missing", `{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", absent), Yes, ""},
		{"StringNotEqualsIfExists, key missing", `{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", absent), Yes, ""}, // condition_operators (...IfExists)
		// condition_operators (...IfExists): a present key is compared as
		// usual.
		{"StringEqualsIfExists, key present and different", `{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", "vpce-2"), No, ""},
		{"StringEqualsIfExists, key present and equal", `{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", "vpce-1"), Yes, ""}, // condition_operators (...IfExists)
		// condition_operators (Null): "true" matches a missing key, "false" a
		// present one.
		{"Null true, key missing", `{"Null":{"aws:MultiFactorAuthAge":"true"}}`, list, ctxOf("aws:MultiFactorAuthAge", absent), Yes, ""},
		{"Null true, key present", `{"Null":{"aws:MultiFactorAuthAge":"true"}}`, list, ctxOf("aws:MultiFactorAuthAge", "30"), No, ""},     // condition_operators (Null)
		{"Null false, key present", `{"Null":{"aws:MultiFactorAuthAge":"false"}}`, list, ctxOf("aws:MultiFactorAuthAge", "30"), Yes, ""},  // condition_operators (Null)
		{"Null false, key missing", `{"Null":{"aws:MultiFactorAuthAge":"false"}}`, list, ctxOf("aws:MultiFactorAuthAge", absent), No, ""}, // condition_operators (Null)
		// reference_policies_condition-single-vs-multi-valued-context-keys:
		// ForAllValues is true when the key is missing...
		{"ForAllValues, key missing", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, list, ctxOf("aws:TagKeys", absent), Yes, ""},
		// ... and ForAnyValue false.
		{"ForAnyValue, key missing", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, list, ctxOf("aws:TagKeys", absent), No, ""},
		// multi-valued context keys: ForAllValues needs every request value
		// among the policy's.
		{"ForAllValues, subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b","c"]}}`, list, ctxOf("aws:TagKeys", "a|b"), Yes, ""},
		{"ForAllValues, one outside", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b","c"]}}`, list, ctxOf("aws:TagKeys", "a|d"), No, ""}, // multi-valued context keys (ForAllValues)
		// multi-valued context keys: ForAnyValue needs one request value
		// among the policy's.
		{"ForAnyValue, one inside", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, list, ctxOf("aws:TagKeys", "d|a"), Yes, ""},
		{"ForAnyValue, none inside", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, list, ctxOf("aws:TagKeys", "d|e"), No, ""}, // multi-valued context keys (ForAnyValue)
		// A key nobody fixed may or may not be in the request: the answer
		// depends on it (s3lint's three-valued reading of
		// reference_policies_evaluation-logic), and Why names the key.
		{"unknown key", `{"StringEquals":{"aws:PrincipalTag/team":"data"}}`, list, ctxOf(), Maybe, "aws:PrincipalTag/team"},
		{"unknown key under Null", `{"Null":{"aws:PrincipalTag/team":"true"}}`, list, ctxOf(), Maybe, "aws:PrincipalTag/team"}, // unknown key (s3lint three-valued reading)
		// condition_operators (Numeric).
		{"NumericLessThan true", `{"NumericLessThan":{"s3:max-keys":"10"}}`, list, ctxOf("s3:max-keys", "5"), Yes, ""},
		{"NumericLessThan false", `{"NumericLessThan":{"s3:max-keys":"10"}}`, list, ctxOf("s3:max-keys", "20"), No, ""},                           // condition_operators (Numeric)
		{"NumericLessThanEquals at the bound", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, list, ctxOf("s3:max-keys", "10"), Yes, ""},       // condition_operators (Numeric)
		{"NumericGreaterThan at the bound", `{"NumericGreaterThan":{"s3:max-keys":"10"}}`, list, ctxOf("s3:max-keys", "10"), No, ""},              // condition_operators (Numeric)
		{"NumericGreaterThanEquals at the bound", `{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}`, list, ctxOf("s3:max-keys", "10"), Yes, ""}, // condition_operators (Numeric)
		{"NumericEquals compares numbers", `{"NumericEquals":{"s3:max-keys":"10"}}`, list, ctxOf("s3:max-keys", "10.0"), Yes, ""},                 // condition_operators (Numeric)
		{"NumericNotEquals", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, list, ctxOf("s3:max-keys", "10"), No, ""},                               // condition_operators (Numeric)
		// condition_operators (Date): ISO 8601 dates and epoch seconds.
		{"DateGreaterThan true", `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, list, ctxOf("aws:CurrentTime", "2024-06-01T12:00:00Z"), Yes, ""},
		{"DateLessThan false", `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, list, ctxOf("aws:CurrentTime", "2024-06-01T12:00:00Z"), No, ""},           // condition_operators (Date)
		{"DateGreaterThan with epoch seconds", `{"DateGreaterThan":{"aws:CurrentTime":"1577836800"}}`, list, ctxOf("aws:CurrentTime", "2024-06-01T12:00:00Z"), Yes, ""}, // condition_operators (Date)
		{"DateEquals across forms", `{"DateEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, list, ctxOf("aws:CurrentTime", "1577836800"), Yes, ""},                 // condition_operators (Date)
		// condition_operators (Boolean).
		{"Bool false vs true", `{"Bool":{"aws:SecureTransport":"false"}}`, list, ctxOf("aws:SecureTransport", "true"), No, ""},
		{"Bool true vs true", `{"Bool":{"aws:SecureTransport":"true"}}`, list, ctxOf("aws:SecureTransport", "true"), Yes, ""},              // condition_operators (Boolean)
		{"Bool written as a JSON boolean", `{"Bool":{"aws:SecureTransport":false}}`, list, ctxOf("aws:SecureTransport", "false"), Yes, ""}, // condition_operators (Boolean)
		// condition_operators (IP address): CIDR ranges and single
		// addresses, IPv4 and IPv6.
		{"IpAddress inside", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, list, ctxOf("aws:SourceIp", "203.0.113.7"), Yes, ""},
		{"IpAddress outside", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, list, ctxOf("aws:SourceIp", "198.51.100.7"), No, ""},                        // condition_operators (IP address)
		{"IpAddress single address", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, list, ctxOf("aws:SourceIp", "203.0.113.7"), Yes, ""},                    // condition_operators (IP address)
		{"IpAddress one of a list", `{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, list, ctxOf("aws:SourceIp", "203.0.113.7"), Yes, ""}, // condition_operators (IP address)
		{"NotIpAddress inside", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, list, ctxOf("aws:SourceIp", "203.0.113.7"), No, ""},                    // condition_operators (IP address)
		{"NotIpAddress outside", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, list, ctxOf("aws:SourceIp", "198.51.100.7"), Yes, ""},                 // condition_operators (IP address)
		{"IpAddress IPv6 inside", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, list, ctxOf("aws:SourceIp", "2001:db8:1::5"), Yes, ""},                   // condition_operators (IP address)
		{"IpAddress IPv6 outside", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, list, ctxOf("aws:SourceIp", "2001:db9::5"), No, ""},                     // condition_operators (IP address)
		{"IpAddress IPv4 address vs IPv6 range", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, list, ctxOf("aws:SourceIp", "203.0.113.7"), No, ""},       // condition_operators (IP address)
		// IAM's IP syntax has no IPv6 zones: a zoned value is no address and
		// matches nothing, whether the request carries the zone or not
		// (found by FuzzCondition).
		{"IpAddress zoned condition value", `{"IpAddress":{"aws:SourceIp":"fe80::1%eth0"}}`, list, ctxOf("aws:SourceIp", "fe80::1"), No, ""},
		{"IpAddress zoned on both sides", `{"IpAddress":{"aws:SourceIp":"fe80::1%eth0"}}`, list, ctxOf("aws:SourceIp", "fe80::1%eth0"), No, ""},
		{"NotIpAddress zoned condition value", `{"NotIpAddress":{"aws:SourceIp":"fe80::1%eth0"}}`, list, ctxOf("aws:SourceIp", "fe80::1"), Yes, ""},
		// condition_operators (ARN): each of the six colon-separated parts is
		// matched on its own, with * and ? inside a part.
		{"ArnLike wildcard in account and name", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci-*"}}`, list, ctxOf("aws:PrincipalArn", "arn:aws:iam::111122223333:role/ci-deploy"), Yes, ""},
		{"ArnLike wildcard in the resource part spans slashes", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::log-*"}}`, list, ctxOf("aws:SourceArn", "arn:aws:s3:::log-bucket/x/y"), Yes, ""},    // condition_operators (ARN)
		{"ArnLike * does not stand for missing parts", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*"}}`, list, ctxOf("aws:PrincipalArn", "arn:aws:iam::111122223333:role/x"), No, ""},       // condition_operators (ARN)
		{"ArnLike * does not span part separators", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:*:role/x"}}`, list, ctxOf("aws:PrincipalArn", "arn:aws:iam::111122223333:role/x"), No, ""},        // condition_operators (ARN)
		{"ArnLike ? is one character", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::11112222333?:role/x"}}`, list, ctxOf("aws:PrincipalArn", "arn:aws:iam::111122223333:role/x"), Yes, ""},    // condition_operators (ARN)
		{"ArnLike is case-sensitive", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/App"}}`, list, ctxOf("aws:PrincipalArn", "arn:aws:iam::111122223333:role/app"), No, ""},  // condition_operators (ARN)
		{"ArnEquals exact", `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app"}}`, list, ctxOf("aws:PrincipalArn", "arn:aws:iam::111122223333:role/app"), Yes, ""},         // condition_operators (ARN)
		{"ArnNotEquals other", `{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/admin"}}`, list, ctxOf("aws:PrincipalArn", "arn:aws:iam::111122223333:role/app"), Yes, ""}, // condition_operators (ARN)
		// condition_operators (String): StringLike globs with * and ?,
		// case-sensitively.
		{"StringLike *", `{"StringLike":{"s3:prefix":"home/*"}}`, list, ctxOf("s3:prefix", "home/alice/docs"), Yes, ""},
		{"StringLike ? is one character", `{"StringLike":{"s3:prefix":"home/?"}}`, list, ctxOf("s3:prefix", "home/ab"), No, ""},      // condition_operators (String)
		{"StringLike ? matches one character", `{"StringLike":{"s3:prefix":"home/?"}}`, list, ctxOf("s3:prefix", "home/a"), Yes, ""}, // condition_operators (String)
		{"StringLike is case-sensitive", `{"StringLike":{"s3:prefix":"HOME/*"}}`, list, ctxOf("s3:prefix", "home/x"), No, ""},        // condition_operators (String)
		{"StringNotLike", `{"StringNotLike":{"s3:prefix":"home/*"}}`, list, ctxOf("s3:prefix", "tmp/x"), Yes, ""},                    // condition_operators (String)
		// condition_operators (String): StringEquals takes * literally.
		{"StringEquals takes * literally", `{"StringEquals":{"s3:prefix":"home/*"}}`, list, ctxOf("s3:prefix", "home/x"), No, ""},
		// reference_policies_elements_condition: value case depends on the
		// operator; StringEquals is case-sensitive...
		{"StringEquals is case-sensitive", `{"StringEquals":{"aws:username":"Alice"}}`, list, ctxOf("aws:username", "alice"), No, ""},
		// ... StringEqualsIgnoreCase is not.
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"aws:username":"Alice"}}`, list, ctxOf("aws:username", "alice"), Yes, ""},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"aws:username":"Alice"}}`, list, ctxOf("aws:username", "ALICE"), No, ""}, // reference_policies_elements_condition (IgnoreCase)
		// reference_policies_variables: ${aws:username} in a condition value
		// is the request's value.
		{"policy variable in a value, matching", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, list, ctxOf("aws:username", "alice", "s3:prefix", "home/alice/x"), Yes, ""},
		{"policy variable in a value, other user", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, list, ctxOf("aws:username", "alice", "s3:prefix", "home/bob/x"), No, ""}, // reference_policies_variables
		// reference_policies_variables (special characters): ${*} ${?} ${$}
		// stand for the literal characters.
		{"policy variable ${*} is a literal star", `{"StringEquals":{"s3:prefix":"a${*}b"}}`, list, ctxOf("s3:prefix", "a*b"), Yes, ""},
		// reference_policies_elements_condition: context key names are not
		// case-sensitive (AWS:SOURCEVPCE is aws:SourceVpce).
		{"key names are case-insensitive", `{"StringEquals":{"AWS:SOURCEVPCE":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", "vpce-1"), Yes, ""},
		// IAM documents no case rule for operator names; the engine reads
		// them case-insensitively, like key names.
		{"operator names are read case-insensitively", `{"stringequals":{"aws:SourceVpce":"vpce-1"}}`, list, ctxOf("aws:SourceVpce", "vpce-1"), Yes, ""},
		{"qualifier and IfExists read case-insensitively", `{"forallvalues:STRINGEQUALSIFEXISTS":{"aws:TagKeys":["a"]}}`, list, ctxOf("aws:TagKeys", "a"), Yes, ""}, // IAM documents no case rule
		// reference_policies_elements_condition (multiple values): values of
		// one key are ORed...
		{"values of a key are ORed", `{"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}`, list, ctxOf("aws:SourceVpce", "vpce-2"), Yes, ""},
		// ... keys and operators are ANDed.
		{"keys are ANDed", `{"StringEquals":{"aws:SourceVpce":"vpce-1","aws:PrincipalAccount":"111122223333"}}`, list,
			ctxOf("aws:SourceVpce", "vpce-1", "aws:PrincipalAccount", "444455556666"), No, ""},
		{"operators are ANDed", `{"StringEquals":{"aws:SourceVpce":"vpce-1"},"Bool":{"aws:SecureTransport":"true"}}`, list, // reference_policies_elements_condition (multiple values)
			ctxOf("aws:SourceVpce", "vpce-1", "aws:SecureTransport", "false"), No, ""},
		// Service Authorization Reference (S3 actions table): s3:prefix is a
		// ListBucket key; a GetObject request never carries it, so a
		// negated operator on it is true (condition_operators, Important).
		{"service key the action does not support is missing", `{"StringNotLike":{"s3:prefix":"home/*"}}`, "s3:GetObject", ctxOf(), Yes, ""},
		// ... while a key the action supports is unknown until fixed.
		{"service key the action supports is unknown", `{"StringNotLike":{"s3:prefix":"home/*"}}`, list, ctxOf(), Maybe, "s3:prefix"},
		// Service Authorization Reference (GetObject supports
		// s3:ExistingObjectTag/<key>); S3 tagging-and-policies: the key
		// holds the object's tag, which the configuration cannot know.
		{"s3:ExistingObjectTag on GetObject is unknown", `{"StringEquals":{"s3:ExistingObjectTag/classification":"public"}}`, "s3:GetObject", ctxOf(), Maybe, "s3:ExistingObjectTag/classification"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := condTruth(t, tc.cond, tc.action, tc.ctx)
			if got.T != tc.want {
				t.Fatalf("%s: got %v %q, want %v", tc.cond, got.T, got.Why, tc.want)
			}
			if tc.why != "" && !strings.Contains(strings.Join(got.Why, "\n"), tc.why) {
				t.Errorf("Why %q does not name %q", got.Why, tc.why)
			}
		})
	}
}

func TestParseOperator(t *testing.T) {
	// IAM reference_policies_elements_condition_operators: the operators,
	// qualifiers and IfExists; Null takes neither.
	valid := []string{"StringEquals", "StringNotLikeIfExists", "ForAnyValue:StringLike", "ForAllValues:ArnLikeIfExists",
		"NumericLessThanEquals", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddressIfExists", "ArnNotEquals", "Null"}
	invalid := []string{"StringEqual", "NullIfExists", "ForAnyValue:Null", "ForSomeValues:StringEquals", "StringLikeIfExist", ""}
	for _, s := range valid {
		if !ValidOperator(s) {
			t.Errorf("ValidOperator(%q) = false", s)
		}
	}
	for _, s := range invalid {
		if ValidOperator(s) {
			t.Errorf("ValidOperator(%q) = true", s)
		}
	}
	// An operator IAM does not have makes the statement undecidable rather
	// than silently true or false.
	if got := condTruth(t, `{"StringEqual":{"aws:SourceVpce":"vpce-1"}}`, "s3:ListBucket", ctxOf("aws:SourceVpce", "vpce-1")); got.T != Maybe {
		t.Errorf("unsupported operator: %v", got.T)
	}
}

func TestDecideConditions(t *testing.T) {
	lockout := `{"Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Sid":"VpceOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
		 "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`
	denyUnless := func(cond string) string {
		return `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":` + cond + `}}`
	}
	homeDirs := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}`
	runDecideCases(t, []decideCase{
		// docs/aws-s3-access.md §6 + condition_operators (Important): the
		// lock-out pattern denies requests from outside the endpoint, which
		// carry no aws:SourceVpce, because the negated operator is true.
		{name: "StringNotEquals aws:SourceVpce from the Internet", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			p := w.bucketPolicy(b, lockout)
			w.expect(p, 1)
			req := getObject(w.as(r))
			req.Network = NetworkInternet
			return req
		}},
		// UsingEncryptionInTransit: S3 accepts TLS 1.2 and 1.3, so a Deny
		// below 1.2 never applies over HTTPS...
		{name: "Deny TLS below 1.2 over HTTPS", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`))
			return getObject(w.as(r))
		}},
		// ... a Deny below 1.3 depends on the client...
		{name: "Deny TLS below 1.3 over HTTPS", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"NumericLessThan":{"s3:TlsVersion":"1.3"}}`))
			return getObject(w.as(r))
		}},
		// ... except through an interface endpoint, which does not offer
		// TLS 1.3 ...
		{name: "Deny TLS below 1.3 through an interface endpoint", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"NumericLessThan":{"s3:TlsVersion":"1.3"}}`))
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, w.endpoint("Interface", "")
			return req
		}},
		// ... and over plain HTTP there is no TLS version: the Deny's
		// operator is false for a missing key.
		{name: "Deny TLS below 1.2 over HTTP", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`))
			req := getObject(w.as(r))
			req.Context = Context{}
			req.Context.Set("aws:SecureTransport", "false")
			return req
		}},
		// example-bucket-policies-vpc-endpoint: through the named endpoint
		// the Deny does not apply.
		{name: "StringNotEquals aws:SourceVpce through the endpoint", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.bucketPolicy(b, lockout)
			ep := w.endpoint("Gateway", "")
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			req.Context = ctxOf("aws:SourceVpce", "vpce-1")
			return req
		}},
		// §6: when the network is not known, the decision depends on
		// aws:SourceVpce, and Why says so.
		{name: "StringNotEquals aws:SourceVpce, network unknown", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.bucketPolicy(b, lockout)
			return getObject(w.as(r))
		}, check: whyMentions("aws:SourceVpce")},
		// §6: adding IfExists does not help, the key is missing and the
		// negated operator is true.
		{name: "StringNotEqualsIfExists aws:SourceVpc from the Internet", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-0abc"}}`))
			req := getObject(w.as(r))
			req.Network = NetworkInternet
			return req
		}},
		// vpc-endpoints-access / §6: requests through an endpoint carry no
		// aws:SourceIp, so an IP allow-list written as Deny NotIpAddress
		// blocks callers inside the VPC.
		{name: "NotIpAddress aws:SourceIp through an endpoint", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`))
			ep := w.endpoint("Gateway", "")
			req := getObject(w.as(r))
			req.Network, req.Endpoint = NetworkEndpoint, ep
			return req
		}},
		// condition_operators (IP address): from the allowed range the Deny
		// does not apply.
		{name: "NotIpAddress aws:SourceIp from the allowed range", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`))
			req := getObject(w.as(r))
			req.Network, req.Context = NetworkInternet, ctxOf("aws:SourceIp", "203.0.113.9")
			return req
		}},
		// reference_policies_condition-keys (aws:PrincipalOrgID): a key the
		// configuration does not fix makes the decision unknown; Why names
		// the key.
		{name: "unknown key names itself", want: Unknown, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc123"}}`))
			return getObject(w.as(r))
		}, check: whyMentions("aws:PrincipalOrgID")},
		// reference_policies_elements_notprincipal recommends Principal "*"
		// with ArnNotEquals aws:PrincipalArn; for a role session
		// aws:PrincipalArn is the role ARN (condition-keys), so the exempted
		// role passes...
		{name: "ArnNotEquals aws:PrincipalArn exempts the role's sessions", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
				 "Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app"}}}]}`)
			return getObject(w.from("arn:aws:sts::" + acctA + ":assumed-role/app/s1"))
		}},
		// ... and every other principal is denied.
		{name: "ArnNotLike aws:PrincipalArn denies other roles", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/admin-*"}}`))
			return getObject(w.as(r))
		}},
		// condition-keys (aws:PrincipalAccount): the caller's account.
		{name: "StringNotEquals aws:PrincipalAccount denies other accounts", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctB)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
				 "Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}]}`)
			return getObject(w.as(r))
		}},
		// condition-keys (s3:ResourceAccount): the bucket owner's account.
		{name: "s3:ResourceAccount in an identity policy", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:ResourceAccount":"111122223333"}}}}`)
			return getObject(w.as(r))
		}},
		// S3 example-bucket-policies (aws:SecureTransport): the engine
		// assumes HTTPS, as SDKs and the console use...
		{name: "Deny Bool aws:SecureTransport false, HTTPS assumed", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"Bool":{"aws:SecureTransport":"false"}}`))
			return getObject(w.as(r))
		}},
		// ... and a plain-HTTP request is denied.
		{name: "Deny Bool aws:SecureTransport false, plain HTTP", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"Bool":{"aws:SecureTransport":"false"}}`))
			req := getObject(w.as(r))
			req.Context = ctxOf("aws:SecureTransport", "false")
			return req
		}},
		// docs/aws-s3-access.md §5 (condition-keys aws:MultiFactorAuthPresent):
		// Deny + Bool false misses callers with long-term keys, which carry
		// no MFA key at all.
		{name: "Deny Bool MultiFactorAuthPresent false misses access keys", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			u := w.user("ci")
			w.attach(u, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`))
			req := getObject(w.as(u))
			req.Context = ctxOf("aws:MultiFactorAuthPresent", absent)
			return req
		}},
		// §5: BoolIfExists false denies them.
		{name: "Deny BoolIfExists MultiFactorAuthPresent false denies access keys", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			u := w.user("ci")
			w.attach(u, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`))
			req := getObject(w.as(u))
			req.Context = ctxOf("aws:MultiFactorAuthPresent", absent)
			return req
		}},
		// §5 (the S3 guide's example): Deny + Null aws:MultiFactorAuthAge
		// true denies requests without MFA...
		{name: "Deny Null MultiFactorAuthAge without MFA", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"Null":{"aws:MultiFactorAuthAge":"true"}}`))
			req := getObject(w.as(r))
			req.Context = ctxOf("aws:MultiFactorAuthAge", absent)
			return req
		}},
		// ... and lets MFA-backed sessions through.
		{name: "Deny Null MultiFactorAuthAge with MFA", want: Allow, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"Null":{"aws:MultiFactorAuthAge":"true"}}`))
			req := getObject(w.as(r))
			req.Context = ctxOf("aws:MultiFactorAuthAge", "120")
			return req
		}},
		// reference_policies_variables: ${aws:username} in Resource is the
		// calling user's name.
		{name: "${aws:username} in Resource, own home", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			u := w.user("alice")
			w.attach(u, homeDirs)
			return Request{Caller: w.as(u), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/alice/notes.txt"}
		}},
		// reference_policies_variables: ... and nobody else's.
		{name: "${aws:username} in Resource, another home", want: ImplicitDeny, build: func(w *world) Request { // reference_policies_variables
			w.bucket("b", acctA)
			u := w.user("alice")
			w.attach(u, homeDirs)
			return Request{Caller: w.as(u), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/bob/notes.txt"}
		}},
		// reference_policies_variables (Note, and "Policy variables with no
		// value"): a variable AWS cannot resolve — aws:username for a role
		// session — makes the statement invalid, so it grants nothing.
		{name: "${aws:username} in Resource for a role", want: ImplicitDeny,
			build: func(w *world) Request {
				w.bucket("b", acctA)
				r := w.role("app", acctA)
				w.attach(r, homeDirs)
				return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/app/notes.txt"}
			}},
		// reference_policies_variables ("Specifying default values"):
		// ${key, 'default'} stands for the default when the key is missing.
		{name: "policy variable default value", want: Allow,
			build: func(w *world) Request {
				w.bucket("b", acctA)
				r := w.role("app", acctA)
				w.attach(r, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username, 'shared'}/*"}}`)
				return Request{Caller: w.as(r), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/shared/notes.txt"}
			}},
		// reference_policies_elements_version: without a Version (read as
		// 2008-10-17), or with 2008-10-17, a variable is plain text: the
		// user's own home is not named...
		{name: "${aws:username} in a policy without Version, own home", want: ImplicitDeny, build: func(w *world) Request {
			w.bucket("b", acctA)
			u := w.user("alice")
			w.attach(u, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}`)
			return Request{Caller: w.as(u), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/alice/notes.txt"}
		}},
		// ... the key with the text in it is.
		{name: "${aws:username} in a 2008-10-17 policy, the literal key", want: Allow, build: func(w *world) Request {
			w.bucket("b", acctA)
			u := w.user("alice")
			w.attach(u, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
				"Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}}`)
			return Request{Caller: w.as(u), Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Context: ctxOf("s3:prefix", "home/${aws:username}/x")}
		}},
		// docs/aws-s3-access.md §4 (ensure-object-ownership): a Deny with
		// StringNotEquals s3:x-amz-acl refuses uploads without the
		// bucket-owner-full-control header.
		{name: "require bucket-owner-full-control, header missing", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("writer", acctB)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}}`)
			w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`)
			return Request{Caller: w.as(r), Action: "s3:PutObject", Resource: "arn:aws:s3:::b/in/x", Context: ctxOf("s3:x-amz-acl", absent)}
		}},
		// §4 (ensure-object-ownership): uploads with the header pass.
		{name: "require bucket-owner-full-control, header sent", want: Allow, build: func(w *world) Request { // docs/aws-s3-access.md §4 (ensure-object-ownership)
			b := w.bucket("b", acctA)
			r := w.role("writer", acctB)
			w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}}`)
			w.bucketPolicy(b, `{"Statement":[
				{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"},
				{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`)
			return Request{Caller: w.as(r), Action: "s3:PutObject", Resource: "arn:aws:s3:::b/in/x", Context: ctxOf("s3:x-amz-acl", "bucket-owner-full-control")}
		}},
		// Service Authorization Reference: s3:prefix exists only on listing
		// requests; a Deny StringNotLike s3:prefix over s3:* therefore
		// denies every GetObject (condition_operators, Important).
		{name: "Deny StringNotLike s3:prefix over s3:* denies GetObject", want: ExplicitDeny, build: func(w *world) Request {
			b := w.bucket("b", acctA)
			r := w.role("app", acctA)
			w.attach(r, getObjectsOfB)
			w.bucketPolicy(b, denyUnless(`{"StringNotLike":{"s3:prefix":"data/*"}}`))
			return getObject(w.as(r))
		}},
		// S3 tagging-and-policies: an Allow conditioned on the object's tag
		// depends on the object, which the configuration does not hold.
		{name: "Allow on s3:ExistingObjectTag depends on the object", want: Unknown,
			build: func(w *world) Request {
				w.bucket("b", acctA)
				r := w.role("app", acctA)
				w.attach(r, `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/public":"yes"}}}}`)
				return getObject(w.as(r))
			}, check: whyMentions("s3:ExistingObjectTag/public")},
		// Same key in a negated Deny: the engine must not deny every object.
		{name: "Deny StringNotEquals s3:ExistingObjectTag depends on the object", want: Unknown,
			build: func(w *world) Request {
				b := w.bucket("b", acctA)
				r := w.role("app", acctA)
				w.attach(r, getObjectsOfB)
				w.bucketPolicy(b, denyUnless(`{"StringNotEquals":{"s3:ExistingObjectTag/classification":"public"}}`))
				return getObject(w.as(r))
			}},
	})
}

// A condition on a key that the action's requests never carry is false for
// every such request, unless a missing key makes its operator true.
func TestConditionNeverHolds(t *testing.T) {
	cond := func(op, key string) *graph.Condition {
		value := "home/*"
		if op == "Null" {
			value = "true"
		}
		return &graph.Condition{Operator: graph.StringOf(op, graph.Range{}), Key: graph.StringOf(key, graph.Range{}), Values: []graph.String{graph.StringOf(value, graph.Range{})}}
	}
	for _, c := range []struct {
		op, key, action string
		want            bool
	}{
		{"StringLike", "s3:prefix", "s3:GetObject", true},
		{"StringLike", "s3:prefix", "s3:ListBucket", false},
		{"StringLikeIfExists", "s3:prefix", "s3:GetObject", false},
		{"StringNotLike", "s3:prefix", "s3:GetObject", false},
		{"ForAllValues:StringLike", "s3:prefix", "s3:GetObject", false},
		{"ForAnyValue:StringLike", "s3:prefix", "s3:GetObject", true},
		{"Null", "s3:prefix", "s3:GetObject", false},
		{"StringEquals", "s3:x-amz-acl", "s3:GetObject", true},
		{"StringEquals", "s3:x-amz-acl", "s3:PutObject", false},
		{"StringEquals", "s3:ExistingObjectTag/team", "s3:GetObject", false},
		{"StringEquals", "aws:SourceVpce", "s3:GetObject", false}, // global keys depend on the request
		{"StringEquals", "s3:prefix", "s3:NoSuchAction", false},
		// Keys of the resource types: through access points, bucket tags.
		{"StringEquals", "s3:DataAccessPointAccount", "s3:GetObject", false},
		{"StringEquals", "s3:BucketTag/team", "s3:PutObject", false},
	} {
		if got := ConditionNeverHolds(cond(c.op, c.key), c.action); got != c.want {
			t.Errorf("%s %s on %s: %v, want %v", c.op, c.key, c.action, got, c.want)
		}
	}
}

// Requests the engine decides are on buckets, objects and keys: the keys of
// those resource types may be there, those of access points are not.
func TestLookupResourceTypeKeys(t *testing.T) {
	for _, c := range []struct {
		key, action string
		want        KeyState
	}{
		{"s3:BucketTag/team", "s3:GetObject", KeyUnknown},
		{"s3:DataAccessPointArn", "s3:GetObject", KeyAbsent},
		{"s3:prefix", "s3:GetObject", KeyAbsent},
		{"kms:KeySpec", "kms:Decrypt", KeyUnknown},
	} {
		if got := (Context{}).lookup(c.key, LookupAction(c.action)).State; got != c.want {
			t.Errorf("%s on %s: %v, want %v", c.key, c.action, got, c.want)
		}
	}
}
