package graph

import "strings"

// Partly known strings. A string made of known text and parts that cannot be
// known before deployment ("arn:aws:s3:::${var.bucket}/*" with a variable
// without a value) is unknown, yet its known text can settle some questions
// on its own: whatever the variable holds, that Resource pattern never
// matches a bucket ARN, because bucket names have no "/". The loaders keep
// such a string's shape, its known text with UnknownPart where each unknown
// part stands, in the Str of an unknown Node; policy parsing carries it into
// the V of an unknown Resource or NotResource entry. The value stays unknown
// for everything else: only a rule that asks for the shape (String.Shape)
// reads it, and only for what every value of the unknown parts would make
// true.

// UnknownPart marks where an unknown part stands in the shape of a partly
// known string. It is a private-use character, which no ARN, name or
// template holds.
const UnknownPart = "\ue000"

// ShapeOf returns text as a shape when it has both an unknown part and
// known text; ok is false for a string wholly known or wholly unknown.
func ShapeOf(text string) (string, bool) {
	if !strings.Contains(text, UnknownPart) || strings.Trim(text, UnknownPart) == "" {
		return "", false
	}
	return text, true
}

// Starred is the pattern that matches every ARN a shape's pattern can
// match whatever its unknown parts hold: an unknown part may itself hold a
// wildcard, and "*" matches whatever that would.
func Starred(shape string) string { return strings.ReplaceAll(shape, UnknownPart, "*") }

// StringShaped is an unknown string whose shape is known (see ShapeOf);
// without one it is StringUnknown.
func StringShaped(text string, r Range) String {
	s := StringUnknown(r)
	if shape, ok := ShapeOf(text); ok {
		s.V = shape
	}
	return s
}

// Shape returns the shape of an unknown string that has one.
func (s String) Shape() (string, bool) {
	if s.Known() {
		return "", false
	}
	return ShapeOf(s.V)
}

// AsShapedString is AsString, except that an unknown node with a shape
// becomes an unknown string with that shape.
func (n *Node) AsShapedString() String {
	if n.Kind == KindUnknown && n.Str != "" {
		return StringShaped(n.Str, n.Range)
	}
	return n.AsString()
}

// UnknownShaped is an unknown node with the shape of text (see ShapeOf),
// or without one.
func UnknownShaped(text string, r Range) *Node {
	n := &Node{Kind: KindUnknown, Range: r}
	if shape, ok := ShapeOf(text); ok {
		n.Str = shape
	}
	return n
}
