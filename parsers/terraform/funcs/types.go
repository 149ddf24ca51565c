package funcs

import (
	"strconv"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// typeFuncs returns the type conversion, sensitivity and error handling
// functions.
func typeFuncs() map[string]function.Function {
	return map[string]function.Function{
		"can":             tryfunc.CanFunc,
		"try":             tryfunc.TryFunc,
		"tobool":          makeToFunc(cty.Bool),
		"tolist":          makeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":           makeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":        makeToFunc(cty.Number),
		"toset":           makeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":        makeToFunc(cty.String),
		"sensitive":       sensitiveFunc,
		"nonsensitive":    nonsensitiveFunc,
		"issensitive":     isSensitiveFunc,
		"ephemeralasnull": ephemeralAsNullFunc,
		"type":            typeFunc,
	}
}

// anyParam is a parameter that accepts every value as it is.
func anyParam(name string) function.Parameter {
	return function.Parameter{
		Name:             name,
		Type:             cty.DynamicPseudoType,
		AllowNull:        true,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowMarked:      true,
	}
}

// sameType is a TypeFunc returning the type of the only argument.
func sameType(args []cty.Value) (cty.Type, error) {
	return args[0].Type(), nil
}

// makeToFunc returns a to... conversion function. The argument is taken as
// it is (not converted by the function machinery) so that errors read as
// explicit conversions, as in Terraform, and never reveal sensitive values.
func makeToFunc(want cty.Type) function.Function {
	wantName := want.FriendlyNameForConstraint()
	return function.New(&function.Spec{
		Description: "Converts a value to " + wantName + ".",
		Params:      []function.Parameter{anyParam("v")},
		Type: func(args []cty.Value) (cty.Type, error) {
			got := args[0].Type()
			want := uniformTarget(got, want)
			if got.Equals(want) || convert.GetConversionUnsafe(got, want) != nil {
				return want, nil
			}
			switch {
			case got.IsTupleType() && want.IsTupleType():
				return cty.NilType, function.NewArgErrorf(0, "incompatible tuple type for conversion: %s", convert.MismatchMessage(got, want))
			case got.IsObjectType() && want.IsObjectType():
				return cty.NilType, function.NewArgErrorf(0, "incompatible object type for conversion: %s", convert.MismatchMessage(got, want))
			default:
				return cty.NilType, function.NewArgErrorf(0, "cannot convert %s to %s", got.FriendlyName(), wantName)
			}
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			v := args[0]
			if !v.IsKnown() {
				return cty.UnknownVal(retType).WithSameMarks(v), nil
			}
			out, err := convert.Convert(v, retType)
			if err == nil {
				return out, nil
			}
			raw, marks := v.UnmarkDeep()
			got := raw.Type()
			what := "string"
			if got == cty.String && !raw.IsNull() {
				what = strconv.Quote(raw.AsString())
			}
			switch {
			case marks.Has(Sensitive):
				return cty.NilVal, function.NewArgErrorf(0, "cannot convert this sensitive %s to %s", got.FriendlyName(), wantName)
			case got == cty.String && want == cty.Bool:
				return cty.NilVal, function.NewArgErrorf(0, `cannot convert %s to bool; only the strings "true" or "false" are allowed`, what)
			case got == cty.String && want == cty.Number:
				return cty.NilVal, function.NewArgErrorf(0, "cannot convert %s to number; given string must be a decimal representation of a number", what)
			default:
				return cty.NilVal, function.NewArgErrorf(0, "cannot convert %s to %s", got.FriendlyName(), wantName)
			}
		},
	})
}

// uniformTarget is want with its element type made concrete when want is
// a collection of any type and every element of got, a tuple or object, has
// the same type: the type cty's conversion would find, but found without
// unifying the element types pairwise, which costs minutes for a tuple of a
// million strings (toset(flatten(...)) in a hostile for_each).
func uniformTarget(got, want cty.Type) cty.Type {
	var elems func(yield func(cty.Type) bool)
	switch {
	case !want.IsCollectionType() || want.ElementType() != cty.DynamicPseudoType:
		return want
	case got.IsTupleType() && (want.IsListType() || want.IsSetType()):
		elems = func(yield func(cty.Type) bool) {
			for _, t := range got.TupleElementTypes() {
				if !yield(t) {
					return
				}
			}
		}
	case got.IsObjectType() && want.IsMapType():
		elems = func(yield func(cty.Type) bool) {
			for _, t := range got.AttributeTypes() {
				if !yield(t) {
					return
				}
			}
		}
	default:
		return want
	}
	var first cty.Type
	n := 0
	for t := range elems {
		if n == 0 {
			first = t
		}
		n++
		// Only primitive types: two equal object types can still
		// unify into a map whose element is another type.
		if !t.IsPrimitiveType() || !t.Equals(first) {
			return want
		}
	}
	switch {
	case n == 0:
		return want
	case want.IsListType():
		return cty.List(first)
	case want.IsSetType():
		return cty.Set(first)
	default:
		return cty.Map(first)
	}
}

// sensitiveFunc is sensitive(v): v marked Sensitive.
var sensitiveFunc = makeSensitiveFunc(func() {})

// makeSensitiveFunc returns sensitive(), which calls marked before it marks
// a value.
func makeSensitiveFunc(marked func()) function.Function {
	return function.New(&function.Spec{
		Description: "Marks a value as sensitive.",
		Params:      []function.Parameter{anyParam("value")},
		Type:        sameType,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			marked()
			return args[0].Mark(Sensitive), nil
		},
	})
}

// nonsensitiveFunc is nonsensitive(v): v without its own Sensitive mark
// (marks on nested values stay, as in Terraform). Like Terraform since
// v1.5, it accepts values that are not sensitive.
var nonsensitiveFunc = function.New(&function.Spec{
	Description: "Removes the sensitive mark from a value.",
	Params:      []function.Parameter{anyParam("value")},
	Type:        sameType,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		delete(marks, Sensitive)
		return v.WithMarks(marks), nil
	},
})

// isSensitiveFunc is issensitive(v): whether v itself is marked Sensitive.
// An unknown value that is not marked may still turn out to be sensitive,
// so the result is then unknown.
var isSensitiveFunc = function.New(&function.Spec{
	Description:  "Reports whether a value is sensitive.",
	Params:       []function.Parameter{anyParam("value")},
	Type:         function.StaticReturnType(cty.Bool),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		switch v := args[0]; {
		case v.HasMark(Sensitive):
			return cty.True, nil
		case !v.IsKnown():
			return cty.UnknownVal(cty.Bool), nil
		default:
			return cty.False, nil
		}
	},
})

// ephemeralAsNullFunc is ephemeralasnull(v): v with every value marked
// Ephemeral, at any depth, replaced by a null of the same type (or, if it
// is unknown, an unknown without refinements), keeping its other marks.
var ephemeralAsNullFunc = function.New(&function.Spec{
	Description: "Replaces ephemeral values within a value with nulls.",
	Params:      []function.Parameter{anyParam("value")},
	Type:        sameType,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.Transform(args[0], func(_ cty.Path, v cty.Value) (cty.Value, error) {
			raw, marks := v.Unmark()
			if !marks.Has(Ephemeral) {
				return v, nil
			}
			delete(marks, Ephemeral)
			if !raw.IsKnown() {
				return cty.UnknownVal(raw.Type()).WithMarks(marks), nil
			}
			return cty.NullVal(raw.Type()).WithMarks(marks), nil
		})
	},
})

// typeFunc is type(v). Terraform offers it only in the console, where it
// returns a special type value that HCL expressions cannot represent, so
// here the result is unknown.
var typeFunc = function.New(&function.Spec{
	Description: "Returns the type of a value (unknown outside terraform console).",
	Params:      []function.Parameter{anyParam("value")},
	Type:        function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})
