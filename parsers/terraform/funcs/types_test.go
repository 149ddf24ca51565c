package funcs

import (
	"fmt"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// The collection conversions give the type cty's unification gives, also
// on the fast path for tuples and objects whose elements share one
// primitive type, and keep the elements.
func TestCollectionConversionTypes(t *testing.T) {
	strs := cty.TupleVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a"), cty.StringVal("b")})
	mixed := cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1)})
	objs := cty.TupleVal([]cty.Value{
		cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("x")}),
		cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("y")}),
	})
	attrs := cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.StringVal("y")})
	fns := typeFuncs()
	for _, c := range []struct {
		fn   string
		arg  cty.Value
		want cty.Value
	}{
		{"toset", strs, cty.SetVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		{"tolist", strs, cty.ListVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a"), cty.StringVal("b")})},
		{"toset", mixed, cty.SetVal([]cty.Value{cty.StringVal("a"), cty.StringVal("1")})},
		{"tolist", objs, cty.ListVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("x")}),
			cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("y")}),
		})},
		{"tomap", attrs, cty.MapVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.StringVal("y")})},
		{"toset", cty.EmptyTupleVal, cty.SetValEmpty(cty.DynamicPseudoType)},
	} {
		t.Run(fmt.Sprintf("%s(%#v)", c.fn, c.arg), func(t *testing.T) {
			got, err := fns[c.fn].Call([]cty.Value{c.arg})
			if err != nil {
				t.Fatal(err)
			}
			if !got.Type().Equals(c.want.Type()) || !got.RawEquals(c.want) {
				t.Errorf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

// A million strings convert in linear time: cty's pairwise unification of
// the element types would take minutes.
func BenchmarkToSetMillion(b *testing.B) {
	elems := make([]cty.Value, 1_000_000)
	for i := range elems {
		elems[i] = cty.StringVal(fmt.Sprint(i))
	}
	tuple := cty.TupleVal(elems)
	toset := typeFuncs()["toset"]
	for b.Loop() {
		if _, err := toset.Call([]cty.Value{tuple}); err != nil {
			b.Fatal(err)
		}
	}
}
