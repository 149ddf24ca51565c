package graph

import (
	"strconv"
	"strings"
)

// Kind is the kind of a Node.
type Kind uint8

// The kinds of Node. They mirror JSON, plus Unknown for values that cannot be
// known before deployment.
const (
	KindUnknown Kind = iota
	KindNull
	KindBool
	KindNumber
	KindString
	KindList
	KindObject
)

func (k Kind) String() string {
	return [...]string{"unknown", "null", "bool", "number", "string", "list", "object"}[k]
}

// Node is a located JSON-like value: the format-neutral form in which loaders
// hand over documents (policies above all) so that every element keeps the
// source range of the text that produced it.
type Node struct {
	Kind   Kind
	Str    string  // KindString; the literal text for KindNumber; a shape for KindUnknown (shape.go)
	Bool   bool    // KindBool
	List   []*Node // KindList
	Fields []Field // KindObject, in source order
	Range  Range
}

// Field is one member of an object node.
type Field struct {
	Key      string
	KeyRange Range
	Value    *Node
}

// SourceRange implements Ranged.
func (n *Node) SourceRange() Range { return n.Range }

// Get returns the value of the first field whose key equals key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != KindObject {
		return nil
	}
	for i := range n.Fields {
		if n.Fields[i].Key == key {
			return n.Fields[i].Value
		}
	}
	return nil
}

// Field returns the first field whose key equals key, or nil.
func (n *Node) Field(key string) *Field {
	if n == nil || n.Kind != KindObject {
		return nil
	}
	for i := range n.Fields {
		if n.Fields[i].Key == key {
			return &n.Fields[i]
		}
	}
	return nil
}

// IsKnown reports whether n and everything below it is known.
func (n *Node) IsKnown() bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case KindUnknown:
		return false
	case KindList:
		for _, e := range n.List {
			if !e.IsKnown() {
				return false
			}
		}
	case KindObject:
		for _, f := range n.Fields {
			if !f.Value.IsKnown() {
				return false
			}
		}
	}
	return true
}

// AsString returns n as a located string: strings, numbers and booleans are
// known (IAM reads them as strings); anything else is unknown.
func (n *Node) AsString() String {
	switch n.Kind {
	case KindString, KindNumber:
		return StringOf(n.Str, n.Range)
	case KindBool:
		return StringOf(strconv.FormatBool(n.Bool), n.Range)
	default:
		return StringUnknown(n.Range)
	}
}

// JSON renders n as compact JSON; unknown values render as null. It is meant
// for messages and tests, not for round trips.
func (n *Node) JSON() string {
	var b strings.Builder
	n.writeJSON(&b)
	return b.String()
}

func (n *Node) writeJSON(b *strings.Builder) {
	if n == nil {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case KindUnknown, KindNull:
		b.WriteString("null")
	case KindBool:
		b.WriteString(strconv.FormatBool(n.Bool))
	case KindNumber:
		b.WriteString(n.Str)
	case KindString:
		b.WriteString(strconv.Quote(n.Str))
	case KindList:
		b.WriteByte('[')
		for i, e := range n.List {
			if i > 0 {
				b.WriteByte(',')
			}
			e.writeJSON(b)
		}
		b.WriteByte(']')
	case KindObject:
		b.WriteByte('{')
		for i, f := range n.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(f.Key))
			b.WriteByte(':')
			f.Value.writeJSON(b)
		}
		b.WriteByte('}')
	}
}
