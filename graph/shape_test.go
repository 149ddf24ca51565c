package graph

import "testing"

// TestShapes: only strings with both an unknown part and known text have
// a shape, and only unknown values carry one.
func TestShapes(t *testing.T) {
	for text, want := range map[string]bool{
		"arn:aws:s3:::" + UnknownPart + "/*": true,
		UnknownPart + "/*":                   true,
		UnknownPart:                          false,
		UnknownPart + UnknownPart:            false,
		"arn:aws:s3:::b/*":                   false,
		"":                                   false,
	} {
		if _, ok := ShapeOf(text); ok != want {
			t.Errorf("ShapeOf(%q) ok = %v, want %v", text, ok, want)
		}
		s := StringShaped(text, Range{})
		if s.Known() {
			t.Errorf("StringShaped(%q) is known", text)
		}
		if shape, ok := s.Shape(); ok != want || ok && shape != text || !ok && s.V != "" {
			t.Errorf("StringShaped(%q).Shape() = %q, %v", text, shape, ok)
		}
		n := UnknownShaped(text, Range{})
		if got := n.AsShapedString(); got.V != s.V || got.Known() {
			t.Errorf("UnknownShaped(%q).AsShapedString() = %+v", text, got)
		}
		if got := n.AsString(); got.V != "" || got.Known() {
			t.Errorf("UnknownShaped(%q).AsString() = %+v, want unknown without a shape", text, got)
		}
	}
	if _, ok := StringOf("arn:aws:s3:::"+UnknownPart, Range{}).Shape(); ok {
		t.Error("a known string has no shape")
	}
}
