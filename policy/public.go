package policy

import (
	"net/netip"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// Public is the verdict on whether a resource policy is public in the sense
// of Block Public Access, with the statements that make it so: those that
// surely do first, then those that may.
type Public struct {
	Truth
	Statements []*graph.Statement
}

// restrictingKeys are the condition keys whose fixed values make a
// statement non-public (S3 guide, "The meaning of public").
var restrictingKeys = map[string]bool{
	"aws:sourceip":       true,
	"aws:sourcearn":      true,
	"aws:sourcevpc":      true,
	"aws:sourcevpce":     true,
	"aws:sourceowner":    true,
	"aws:sourceaccount":  true,
	"aws:principalorgid": true,
	"aws:userid":         true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
	"s3:dataaccesspointarn":                          true,
	"s3:dataaccesspointaccount":                      true,
}

// uncertainKeys name principals too, but AWS's documentation does not list
// them among the keys that make a policy non-public; a statement limited
// only by them is neither called public nor private.
var uncertainKeys = map[string]bool{
	"aws:principalarn":     true,
	"aws:principalaccount": true,
}

// IsPublic classifies a bucket or access point policy the way Block Public
// Access does: public unless every Allow statement is limited to fixed
// principals or fixed values of the restricting condition keys. Deny
// statements never make a policy public.
func IsPublic(doc *graph.Document, kind graph.PolicyKind) Public {
	if doc == nil {
		return Public{Truth: maybe("a policy document that cannot be known before deployment")}
	}
	out := Public{Truth: no}
	var maybePublic []*graph.Statement
	for _, st := range doc.Statements {
		if st.IsDeny() {
			continue
		}
		t := statementPublic(st, kind)
		if !st.Unknown && !st.Effect.Known() {
			t = t.And(maybe("the Effect of a statement"))
		}
		switch t.T {
		case Yes:
			out.Statements = append(out.Statements, st)
		case Maybe:
			maybePublic = append(maybePublic, st)
		}
		out.Truth = out.Or(t)
	}
	out.Statements = append(out.Statements, maybePublic...)
	return out
}

func statementPublic(st *graph.Statement, kind graph.PolicyKind) Truth {
	if st.Unknown {
		return maybe("a statement that cannot be known before deployment")
	}
	if st.NotPrincipal != nil {
		// Everyone except a few: public unless conditions restrict it.
		return conditionsRestrict(st, kind).Not()
	}
	open := principalOpen(st.Principal)
	if open.T == No {
		return no
	}
	return open.And(conditionsRestrict(st, kind).Not())
}

// principalOpen tells whether a Principal element reaches beyond fixed
// principals: "*", {"AWS": "*"}, or a wildcard in an ARN.
func principalOpen(p *graph.PrincipalSpec) Truth {
	if p == nil {
		return no
	}
	if p.Unknown {
		return maybe("the Principal element")
	}
	if p.Wildcard {
		return yes
	}
	out := no
	for _, e := range p.Entries {
		if e.Unknown || !e.Type.Known() {
			out = out.Or(maybe("the Principal element"))
			continue
		}
		for _, v := range e.Values {
			switch {
			case !v.Known():
				out = out.Or(maybe("the Principal element"))
			case HasWildcard(v.V):
				out = yes
			}
		}
	}
	return out
}

// conditionsRestrict tells whether some condition of the statement pins it
// to fixed values of a restricting key.
func conditionsRestrict(st *graph.Statement, kind graph.PolicyKind) Truth {
	out := no
	for i := range st.Conditions {
		out = out.Or(conditionRestricts(&st.Conditions[i], kind))
		if out.T == Yes {
			return out
		}
	}
	return out
}

func conditionRestricts(c *graph.Condition, kind graph.PolicyKind) Truth {
	if !c.Key.Known() || !c.Operator.Known() {
		return maybe("a condition that cannot be known before deployment")
	}
	key := strings.ToLower(c.Key.V)
	restricting, uncertain := restrictingKeys[key], uncertainKeys[key]
	if !restricting && !uncertain {
		return no
	}
	op, ok := parseOperator(c.Operator.V)
	if !ok || op.negated || op.kind == opNull {
		return no
	}
	if op.ifExists || op.qual != qualNone {
		// Whether a key that may be missing restricts anything is not
		// documented.
		return maybe("whether " + c.Operator.V + " on " + c.Key.V + " makes the statement non-public")
	}
	if c.Unknown || len(c.Values) == 0 {
		return maybe("the values of the condition on " + c.Key.V)
	}
	for _, v := range c.Values {
		if !v.Known() {
			return maybe("the values of the condition on " + c.Key.V)
		}
		if _, clean := maskVariables(v.V); !clean {
			// ${AWS::AccountId} outside Fn::Sub, ${var.x} never
			// rendered: not an IAM policy variable, and whether AWS
			// takes it for text or refuses it is not documented.
			return maybe("whether AWS reads " + v.V + " as text (it is no IAM policy variable)")
		}
		if !fixedValue(key, v.V, op, kind) {
			return no
		}
	}
	if uncertain {
		return maybe("whether " + c.Key.V + " makes the statement non-public")
	}
	return yes
}

// fixedValue reports whether a condition value pins the key to fixed values.
func fixedValue(key, v string, op parsedOp, kind graph.PolicyKind) bool {
	if strings.Contains(v, "${") {
		return false
	}
	switch key {
	case "aws:sourceip":
		return op.kind == opIP && narrowCIDR(v)
	case "aws:userid":
		// Role IDs with any session (AROA…:*) stand for the whole role,
		// which AWS counts as public.
		return !HasWildcard(v)
	case "s3:dataaccesspointarn":
		if a, ok := ParseARN(v); ok && kind == graph.BucketPolicy && !HasWildcard(a.Account) &&
			a.Account != "" && strings.HasPrefix(a.Resource, "accesspoint/") && !HasWildcard(a.Resource[:len("accesspoint/")]) {
			return true
		}
	}
	return !HasWildcard(v)
}

// narrowCIDR reports whether a SourceIp value is narrow enough not to be
// public: at least /8 for IPv4 and /32 for IPv6, or a private range.
func narrowCIDR(v string) bool {
	p, err := parsePrefix(v)
	if err != nil {
		return false
	}
	if p.Addr().Is4() {
		for _, private := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
			if q := netip.MustParsePrefix(private); q.Contains(p.Addr()) && p.Bits() >= q.Bits() {
				return true
			}
		}
		return p.Bits() >= 8
	}
	return p.Bits() >= 32
}

// PublicCannedACL reports a canned ACL that grants everyone or every AWS
// account access, which Block Public Access counts as public.
func PublicCannedACL(name string) bool {
	return name == "public-read" || name == "public-read-write" || name == "authenticated-read"
}

// IsPublicACL reports whether an ACL grants anything to everyone or to every
// AWS account (AllUsers, AuthenticatedUsers).
func IsPublicACL(acl *graph.ACL) Truth {
	out := no
	if acl.Canned.Known() {
		if PublicCannedACL(acl.Canned.V) {
			return yes
		}
	} else {
		out = maybe("the canned ACL")
	}
	for _, g := range acl.Grants {
		if !g.URI.Known() || !g.Type.Known() {
			out = out.Or(maybe("an ACL grantee"))
			continue
		}
		if publicGroup(g.URI.V) {
			return yes
		}
	}
	return out
}

func publicGroup(uri string) bool {
	return strings.HasSuffix(uri, "/groups/global/AllUsers") || strings.HasSuffix(uri, "/groups/global/AuthenticatedUsers")
}
