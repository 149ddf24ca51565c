package policy

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// CallerKind is who makes a request.
type CallerKind uint8

// The kinds of caller.
const (
	// CallerRole is a session of an IAM role: the role's credentials as an
	// application, a CI job or a service using the role has them.
	CallerRole CallerKind = iota
	CallerUser
	// CallerRoot is the root user of an account.
	CallerRoot
	// CallerService is an AWS service principal (logging.s3.amazonaws.com).
	CallerService
	// CallerAnonymous is an unsigned request.
	CallerAnonymous
)

func (k CallerKind) String() string {
	return [...]string{"role", "user", "root user", "service", "anonymous caller"}[k]
}

// Caller is the principal of a request.
type Caller struct {
	Kind    CallerKind
	Account graph.Account
	// ARN is the role, user or root ARN (arn:aws:iam::A:role/path/R); empty
	// for services and anonymous callers. It may hold symbols.
	ARN string
	// Session is a role session's ARN: arn:aws:sts::A:assumed-role/R/<session>.
	Session string
	Service string
	// Principal is the role or user when it is defined in the graph.
	Principal *graph.Principal
}

// Label names the caller for people.
func (c *Caller) Label() string {
	switch {
	case c.Principal != nil:
		return c.Principal.Address
	case c.Kind == CallerService:
		return c.Service
	case c.Kind == CallerAnonymous:
		return "anonymous caller"
	}
	return display(c.ARN)
}

// Key identifies the caller among others (for de-duplication).
func (c *Caller) Key() string {
	switch c.Kind {
	case CallerService:
		return "service:" + c.Service
	case CallerAnonymous:
		return "anonymous"
	}
	if c.Principal != nil {
		return "principal:" + c.Principal.Address + "@" + c.Principal.Root
	}
	return c.Kind.String() + ":" + c.ARN
}

// CallerFor is a session of a role, or a user, defined in the graph.
// Groups cannot make requests; ok is false for them.
func CallerFor(p *graph.Principal) (c Caller, ok bool) {
	if p == nil || p.Kind == graph.Group {
		return Caller{}, false
	}
	c = Caller{Principal: p, Account: p.Account}
	kind := "role"
	c.Kind = CallerRole
	if p.Kind == graph.User {
		c.Kind, kind = CallerUser, "user"
	}
	switch {
	case p.ARN.Known() && p.ARN.V != "":
		c.ARN = p.ARN.V
	default:
		name := p.Name.V
		if !p.Name.Known() || name == "" {
			name = graph.SymbolicName(p.Address, p.Root)
		}
		acct := string(p.Account)
		if acct == "" {
			acct = string(graph.SymbolicAccount(p.Address))
		}
		c.ARN = "arn:aws:iam::" + acct + ":" + kind + "/" + name
	}
	if a, ok := ParseARN(c.ARN); ok {
		if c.Account == "" {
			c.Account = graph.Account(a.Account)
		}
		if c.Kind == CallerRole {
			c.Session = "arn:" + a.Partition + ":sts::" + a.Account + ":assumed-role/" + lastSegment(a.Resource) + "/<session>"
		}
	}
	return c, true
}

// CallerFromARN reads a caller from an ARN or account ID as people write
// them: a role, user, assumed-role session or root ARN, a 12-digit account
// (its root user), a service principal name, or "*"/"anonymous".
func CallerFromARN(s string) (Caller, bool) {
	switch {
	case s == "*" || strings.EqualFold(s, "anonymous"):
		return Caller{Kind: CallerAnonymous}, true
	case graph.Account(s).IsID():
		return Caller{Kind: CallerRoot, Account: graph.Account(s), ARN: "arn:aws:iam::" + s + ":root"}, true
	case strings.HasSuffix(s, ".amazonaws.com") && !strings.HasPrefix(s, "arn:"):
		return Caller{Kind: CallerService, Service: s}, true
	}
	a, ok := ParseARN(s)
	if !ok || (a.Service != "iam" && a.Service != "sts") || a.Account == "" {
		return Caller{}, false
	}
	c := Caller{Account: graph.Account(a.Account), ARN: s}
	switch {
	case a.Service == "iam" && a.Resource == "root":
		c.Kind = CallerRoot
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
		c.Kind = CallerRole
		c.Session = "arn:" + a.Partition + ":sts::" + a.Account + ":assumed-role/" + lastSegment(a.Resource) + "/<session>"
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/"):
		c.Kind = CallerUser
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		parts := strings.Split(a.Resource, "/")
		if len(parts) != 3 {
			return Caller{}, false
		}
		// The role's path is not part of a session ARN.
		c.Kind = CallerRole
		c.Session = s
		c.ARN = "arn:" + a.Partition + ":iam::" + a.Account + ":role/" + parts[1]
	default:
		return Caller{}, false
	}
	return c, true
}

func lastSegment(res string) string {
	return res[strings.LastIndexByte(res, '/')+1:]
}

// principalMatch says how a Principal element names a caller: direct names
// the caller itself or everyone; account names the caller's account, which
// delegates the decision to that account's IAM policies.
type principalMatch struct {
	direct, account Truth
	// session is the part of direct that names the role session itself,
	// which a permissions boundary does not limit.
	session Truth
}

// matchPrincipal decides whether a Principal element names the caller.
// rootOnly is set for gateway endpoint policies, where an account principal
// stands for the account's root user only.
func matchPrincipal(spec *graph.PrincipalSpec, c *Caller, rootOnly bool, roots map[string]string) principalMatch {
	m := principalMatch{direct: no, account: no, session: no}
	if spec == nil {
		return m
	}
	if spec.Unknown {
		return principalMatch{direct: maybe("the Principal element, which cannot be known before deployment"), account: no, session: no}
	}
	if spec.Wildcard {
		m.direct = yes
		return m
	}
	for _, e := range spec.Entries {
		if e.Type.Known() && !typeMayName(e.Type.V, c) {
			// Whatever its values, an entry of this type cannot name the
			// caller (a canonical user is never a service).
			continue
		}
		if !e.Type.Known() || e.Unknown {
			m.direct = m.direct.Or(maybe("a principal that cannot be known before deployment"))
			continue
		}
		for _, v := range e.Values {
			if !v.Known() {
				m.direct = m.direct.Or(maybe("a principal that cannot be known before deployment"))
				continue
			}
			d, a := matchPrincipalValue(e.Type.V, v.V, c, rootOnly, roots)
			m.direct, m.account = m.direct.Or(d), m.account.Or(a)
			if e.Type.V == "AWS" && c.Kind == CallerRole && strings.Contains(v.V, ":assumed-role/") {
				m.session = m.session.Or(d)
			}
		}
	}
	return m
}

// matchPrincipalValue matches one principal of a type.
func matchPrincipalValue(typ, v string, c *Caller, rootOnly bool, roots map[string]string) (direct, account Truth) {
	switch typ {
	case "AWS":
		if v == "*" {
			return yes, no
		}
		if c.Kind == CallerAnonymous || c.Kind == CallerService {
			return no, no
		}
		if acct, ok := accountPrincipal(v); ok {
			same := equalSym(acct, string(c.Account))
			switch c.Account {
			case "":
				same = maybe("the caller's account")
			case graph.OAIAccount:
				// An account ID, or a symbol standing for one, never
				// names CloudFront's pseudo-account.
				same = truthOf(acct == string(graph.OAIAccount))
			}
			if rootOnly {
				// Gateway endpoint policies: the account means its root.
				return same.And(truthOf(c.Kind == CallerRoot)), no
			}
			if c.Kind == CallerRoot {
				return same, no
			}
			return no, same
		}
		a, ok := ParseARN(v)
		if !ok {
			return no, no
		}
		switch {
		case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/") && c.Kind == CallerRole:
			return distinctPrincipals(v, c.ARN, roots), no
		case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/") && c.Kind == CallerUser:
			return distinctPrincipals(v, c.ARN, roots), no
		case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/") && c.Kind == CallerRole:
			return equalSym(v, c.Session), no
		}
		return no, no
	case "Service":
		if c.Kind != CallerService {
			return no, no
		}
		return truthOf(strings.EqualFold(v, c.Service)), no
	case "CanonicalUser":
		if c.Kind == CallerAnonymous || c.Kind == CallerService {
			return no, no
		}
		// A canonical user ID stands for an account, but which one cannot
		// be told offline.
		return no, maybe("the account behind canonical user ID " + abbreviate(v))
	}
	// Federated principals are web identity or SAML sessions, never the
	// callers the engine asks about.
	return no, no
}

// typeMayName reports whether a principal entry of a type may name the
// caller, as matchPrincipalValue decides for each value: AWS values may be
// "*", which names services too; Service values name only services;
// CanonicalUser values name only accounts' identities; Federated values
// are never the callers the engine asks about. An unknown type may be any.
func typeMayName(typ string, c *Caller) bool {
	switch typ {
	case "Service":
		return c.Kind == CallerService
	case "CanonicalUser":
		return c.Kind != CallerService && c.Kind != CallerAnonymous
	case "Federated":
		return false
	}
	return true
}

// distinctPrincipals compares the ARN of a role or user in a policy with
// the caller's, as equalSym does, except that two roles or users that one
// configuration (a template, a Terraform root module) creates are two
// principals whatever names they are given at deployment: IAM names are
// unique in an account, so a role without RoleName is never the role of
// another resource. roots holds the configuration of each ARN of the
// graph's roles and users; across configurations (copies of a template may
// well create the same role) the answer stays equalSym's.
func distinctPrincipals(v, arn string, roots map[string]string) Truth {
	t := equalSym(v, arn)
	if t.T != Maybe {
		return t
	}
	if rv, rc := roots[v], roots[arn]; rv != "" && rv == rc {
		return no
	}
	return t
}

// accountPrincipal reads "123456789012" or "arn:aws:iam::123456789012:root"
// (or their symbolic forms) as an account.
func accountPrincipal(v string) (string, bool) {
	if graph.Account(v).IsID() || graph.Account(v).IsSymbol() {
		return v, true
	}
	a, ok := ParseARN(v)
	if ok && a.Service == "iam" && a.Resource == "root" {
		return a.Account, true
	}
	return "", false
}

// notPrincipalApplies decides whether a statement with NotPrincipal applies
// to the caller. AWS checks every identity of the caller — the session, the
// role, the account — and the statement applies unless all of them are
// listed; so a Deny that lists only a role still denies its sessions.
func notPrincipalApplies(spec *graph.PrincipalSpec, c *Caller, deny bool, roots map[string]string) Truth {
	if deny && c.Principal != nil && (c.Principal.Boundary != nil || !c.Principal.BoundaryARN.Known() || c.Principal.BoundaryARN.V != "") {
		// IAM: a Deny with NotPrincipal always denies principals that have
		// a permissions boundary, listed or not.
		if c.Principal.BoundaryARN.Known() || c.Principal.Boundary != nil {
			return yes
		}
		return maybe("whether " + c.Principal.Address + " has a permissions boundary")
	}
	if spec.Unknown {
		return maybe("the NotPrincipal element, which cannot be known before deployment")
	}
	if spec.Wildcard {
		return no
	}
	type identity struct {
		account bool
		value   string
	}
	var ids []identity
	switch c.Kind {
	case CallerRole:
		ids = []identity{{value: c.Session}, {value: c.ARN}, {account: true, value: string(c.Account)}}
	case CallerUser:
		ids = []identity{{value: c.ARN}, {account: true, value: string(c.Account)}}
	case CallerRoot:
		ids = []identity{{account: true, value: string(c.Account)}}
	case CallerService:
		ids = []identity{{value: c.Service}}
	default:
		return yes
	}
	excluded := yes
	for _, id := range ids {
		listed := no
		for _, e := range spec.Entries {
			if !e.Type.Known() || e.Unknown {
				listed = listed.Or(maybe("a NotPrincipal entry that cannot be known before deployment"))
				continue
			}
			for _, v := range e.Values {
				if !v.Known() {
					listed = listed.Or(maybe("a NotPrincipal entry that cannot be known before deployment"))
					continue
				}
				switch {
				case c.Kind == CallerService:
					if e.Type.V == "Service" && strings.EqualFold(v.V, id.value) {
						listed = yes
					}
				case e.Type.V != "AWS":
				case v.V == "*":
					listed = yes
				case id.account:
					if acct, ok := accountPrincipal(v.V); ok {
						listed = listed.Or(equalSym(acct, id.value))
					}
				default:
					if _, isAcct := accountPrincipal(v.V); !isAcct {
						listed = listed.Or(distinctPrincipals(v.V, id.value, roots))
					}
				}
			}
		}
		excluded = excluded.And(listed)
	}
	return excluded.Not()
}

func abbreviate(s string) string {
	if len(s) > 12 {
		return s[:8] + "…"
	}
	return s
}

// display renders a value with symbols for people.
// Symbols keep their scope ("@dir") only to tell configurations apart;
// people read them without it.
func display(s string) string {
	if !hasSymbol(s) {
		return s
	}
	s = displayIDs(s)
	s = rewriteSymbols(s, "<name of ", func(inner string) string {
		addr, _, _ := strings.Cut(inner, "@")
		return graph.UnescapeSymbol(addr)
	})
	// The provider or stack an account symbol names, unescaped.
	return rewriteSymbols(s, "<account of ", graph.UnescapeSymbol)
}

// rewriteSymbols replaces the inside of every symbol that starts with
// prefix ("<name of ") by what f makes of it.
func rewriteSymbols(s, prefix string, f func(inner string) string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, prefix)
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(prefix + f(s[i+len(prefix):i+j]) + ">")
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// displayIDs renders ID symbols as the reference that produces them:
// ${aws_vpc_endpoint.s3.id} in Terraform, ${Endpoint} (a Ref) in templates.
func displayIDs(s string) string {
	for {
		i := strings.Index(s, "<id of ")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return s
		}
		addr, _, _ := strings.Cut(s[i+len("<id of "):i+j], "@")
		addr = graph.UnescapeSymbol(addr)
		ref := "${" + addr + "}"
		if strings.Contains(addr, ".") {
			ref = "${" + addr + ".id}"
		}
		s = s[:i] + ref + s[i+j+1:]
	}
}

// Display renders a value that may hold symbols for people.
func Display(s string) string { return display(s) }
