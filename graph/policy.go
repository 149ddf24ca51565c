package graph

// Document is an IAM policy document with every element located. It is the
// neutral form of identity policies, bucket policies, key policies, endpoint
// policies and trust policies alike; package policy parses and evaluates it.
type Document struct {
	Range      Range // the whole document
	Version    String
	ID         String
	Statements []*Statement
	// Problems are structural defects found while parsing (a statement
	// without Effect, a Principal of the wrong shape, …).
	Problems []Problem
}

// Problem is a structural defect in a policy document.
type Problem struct {
	Range   Range
	Message string
}

// Statement is one statement of a policy document.
type Statement struct {
	Index        int   // 0-based position in the document
	Range        Range // the statement object
	Sid          String
	Effect       String // "Allow" or "Deny" when known
	Action       Strings
	NotAction    Strings
	Resource     Strings
	NotResource  Strings
	Principal    *PrincipalSpec // nil when absent
	NotPrincipal *PrincipalSpec // nil when absent
	Conditions   []Condition
	// Unknown is set when the statement as a whole could not be known (for
	// example a statement produced by an unknown value); its elements are
	// then empty.
	Unknown bool
	// LiteralVariables is set when the document has no Version or the old
	// "2008-10-17": IAM then reads ${aws:username} and the like as plain
	// text, not as policy variables.
	LiteralVariables bool
}

// SourceRange implements Ranged.
func (s *Statement) SourceRange() Range { return s.Range }

// IsAllow reports whether the statement's effect is known to be Allow.
func (s *Statement) IsAllow() bool { return s.Effect.Is("Allow") }

// IsDeny reports whether the statement's effect is known to be Deny.
func (s *Statement) IsDeny() bool { return s.Effect.Is("Deny") }

// Strings is a located list of strings such as Action or Resource, which IAM
// accepts as a single string or a list.
type Strings struct {
	Present bool  // the element was written
	Range   Range // the value (string or list)
	// KeyRange is the element's key ("Action": …), or the whole element where
	// the source has no separate key.
	KeyRange Range
	Items    []String
	// Unknown is set when the element's value as a whole is unknown (for
	// example a list produced by an unknown variable); Items is then empty.
	Unknown bool
}

// SourceRange implements Ranged.
func (s Strings) SourceRange() Range { return s.Range }

// AllKnown reports whether the list itself and every item are known.
func (s Strings) AllKnown() bool {
	if s.Unknown {
		return false
	}
	for _, it := range s.Items {
		if !it.Known() {
			return false
		}
	}
	return true
}

// PrincipalSpec is a Principal or NotPrincipal element.
type PrincipalSpec struct {
	Range    Range
	Wildcard bool // "Principal": "*"
	Entries  []PrincipalEntry
	Unknown  bool // the element's value could not be known
	// Invalid says what was written instead of "*" or an object ("a
	// list", "the string \"arn:…\""), which no service accepts; the
	// element is then Unknown too.
	Invalid string
}

// SourceRange implements Ranged.
func (p *PrincipalSpec) SourceRange() Range { return p.Range }

// PrincipalEntry is one principal type with its identifiers, such as
// "AWS": ["arn:aws:iam::123456789012:root"].
type PrincipalEntry struct {
	Type       String // AWS, Service, Federated, CanonicalUser
	Values     []String
	Unknown    bool // the list of identifiers could not be known
	ValueRange Range
}

// Condition is one operator/key pair of a Condition block with its values.
type Condition struct {
	Range    Range  // the key and its values
	Operator String // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Key      String // as written; keys compare case-insensitively
	Values   []String
	Unknown  bool // the list of values could not be known
}
