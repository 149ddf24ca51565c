package graph

// Origin says where a value came from.
type Origin uint8

const (
	// Explicit values were written in the source (directly or computed from it).
	Explicit Origin = iota
	// Default values were not written; AWS or the tool applies a default. The
	// range is the enclosing block, so a message should say "not set".
	Default
	// Unknown values cannot be known before deployment (a variable without a
	// value, a computed attribute, an imported value). Rules never report on
	// them.
	Unknown
)

func (o Origin) String() string {
	switch o {
	case Explicit:
		return "explicit"
	case Default:
		return "default"
	default:
		return "unknown"
	}
}

// Value is a located, possibly unknown value.
type Value[T any] struct {
	V      T
	Origin Origin
	Range  Range
}

// SourceRange implements Ranged.
func (v Value[T]) SourceRange() Range { return v.Range }

// Known reports whether the value is known (explicit or default).
func (v Value[T]) Known() bool { return v.Origin != Unknown }

// Bool is a located tri-state boolean.
type Bool struct{ Value[bool] }

// IsTrue is true only for a known true value.
func (b Bool) IsTrue() bool { return b.Origin != Unknown && b.V }

// IsFalse is true only for a known false value.
func (b Bool) IsFalse() bool { return b.Origin != Unknown && !b.V }

// BoolOf is an explicit boolean written at r.
func BoolOf(v bool, r Range) Bool { return Bool{Value[bool]{V: v, Origin: Explicit, Range: r}} }

// BoolDefault is a boolean that was not written; parent is the enclosing block.
func BoolDefault(v bool, parent Range) Bool {
	return Bool{Value[bool]{V: v, Origin: Default, Range: parent}}
}

// BoolUnknown is a boolean whose value cannot be known.
func BoolUnknown(r Range) Bool { return Bool{Value[bool]{Origin: Unknown, Range: r}} }

// String is a located, possibly unknown string.
type String struct{ Value[string] }

// StringOf is an explicit string written at r.
func StringOf(v string, r Range) String {
	return String{Value[string]{V: v, Origin: Explicit, Range: r}}
}

// StringDefault is a string that was not written; parent is the enclosing block.
func StringDefault(v string, parent Range) String {
	return String{Value[string]{V: v, Origin: Default, Range: parent}}
}

// StringUnknown is a string whose value cannot be known.
func StringUnknown(r Range) String { return String{Value[string]{Origin: Unknown, Range: r}} }

// Is reports whether s is known and equal to v.
func (s String) Is(v string) bool { return s.Known() && s.V == v }
