package policy

import (
	"slices"
	"sort"
)

// Tri is a three-valued truth: whether something holds, does not, or depends
// on values the configuration does not fix.
type Tri int8

// The truth values, ordered so that And is min and Or is max.
const (
	No Tri = iota
	Maybe
	Yes
)

func (t Tri) String() string { return [...]string{"no", "maybe", "yes"}[t] }

// Truth is a Tri with, when it is Maybe, the inputs it depends on ("the
// value of aws:SourceVpce", "the object key", …).
type Truth struct {
	T Tri
	// Why lists the unknown inputs, sorted and without duplicates; empty
	// unless T is Maybe.
	Why []string
}

var (
	yes = Truth{T: Yes}
	no  = Truth{T: No}
)

func maybe(why ...string) Truth {
	w := slices.Clone(why)
	sort.Strings(w)
	return Truth{T: Maybe, Why: slices.Compact(w)}
}

func truthOf(b bool) Truth {
	if b {
		return yes
	}
	return no
}

// And is three-valued conjunction.
func (t Truth) And(o Truth) Truth {
	switch {
	case t.T == No || o.T == No:
		return no
	case t.T == Yes:
		return o
	case o.T == Yes:
		return t
	}
	return maybe(append(slices.Clone(t.Why), o.Why...)...)
}

// Or is three-valued disjunction.
func (t Truth) Or(o Truth) Truth {
	switch {
	case t.T == Yes || o.T == Yes:
		return yes
	case t.T == No:
		return o
	case o.T == No:
		return t
	}
	return maybe(append(slices.Clone(t.Why), o.Why...)...)
}

// Not is three-valued negation; the inputs stay the same.
func (t Truth) Not() Truth {
	switch t.T {
	case Yes:
		return no
	case No:
		return yes
	}
	return t
}
