package funcs

import (
	"errors"
	"fmt"
	"slices"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// collectionFuncs returns the collection functions. Terraform uses the cty
// stdlib versions of most of them; the others differ from stdlib (or are
// missing from it) and are defined below.
func collectionFuncs() map[string]function.Function {
	return map[string]function.Function{
		"alltrue":         allTrueFunc,
		"anytrue":         anyTrueFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        coalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           indexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"list":            removedFunc("list", "tolist([ ... ])"),
		"lookup":          lookupFunc,
		"map":             removedFunc("map", "tomap({ ... })"),
		"matchkeys":       matchkeysFunc,
		"merge":           stdlib.MergeFunc,
		"one":             oneFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": dynamicAsUnknown(stdlib.SetIntersectionFunc),
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     dynamicAsUnknown(stdlib.SetSubtractFunc),
		"setunion":        dynamicAsUnknown(stdlib.SetUnionFunc),
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"sum":             sumFunc,
		"transpose":       transposeFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
	}
}

// dynamicAsUnknown wraps a function that fails on arguments of unknown type
// (cty's set functions take the element type of their arguments' types) so
// that such arguments give an unknown result, as they do elsewhere. HCL
// never passes them (it converts arguments to the parameter types first);
// direct callers may.
func dynamicAsUnknown(f function.Function) function.Function {
	params, varParam := openParams(f)
	dynamic := func(args []cty.Value) bool {
		for _, a := range args {
			if a.Type() == cty.DynamicPseudoType {
				return true
			}
		}
		return false
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			if dynamic(args) {
				return cty.DynamicPseudoType, nil
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if dynamic(args) {
				var marks []cty.ValueMarks
				for _, a := range args {
					_, m := a.UnmarkDeep()
					marks = append(marks, m)
				}
				return cty.DynamicVal.WithMarks(marks...), nil
			}
			return f.Call(args)
		},
	})
}

// removedFunc returns one of the functions Terraform v0.12 removed, which
// always fails with a pointer to the replacement syntax.
func removedFunc(name, replacement string) function.Function {
	return forbidden(nil, fmt.Sprintf("the %q function was deprecated in Terraform v0.12 and is no longer available; use %s syntax to write a literal %s", name, replacement, name))
}

// lengthFunc is Terraform's length. Unlike stdlib's it also measures strings
// (in grapheme clusters) and structural values, and its result is known for
// tuples and objects even when their value is not.
var lengthFunc = function.New(&function.Spec{
	Description: "Returns the number of elements of a collection or structure, or of characters of a string.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
		AllowUnknown:     true,
		AllowMarked:      true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() {
			return cty.Number, nil
		}
		return cty.Number, errors.New("argument must be a string, a collection type, or a structural type")
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		ty := v.Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number).WithMarks(marks), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))).WithMarks(marks), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))).WithMarks(marks), nil
		case ty == cty.String:
			n, err := stdlib.Strlen(v)
			if err != nil {
				return cty.NilVal, err
			}
			return n.WithMarks(marks), nil
		default:
			return v.Length().WithMarks(marks), nil
		}
	},
})

// allTrueFunc is alltrue: true when every element is true (and for an empty
// list). A null element counts as false. Terraform returns unknown as soon
// as it meets an unknown element; this returns false if any known element is
// false, which is the same value Terraform will eventually compute.
var allTrueFunc = function.New(&function.Spec{
	Description:  "Reports whether every element of a list is true.",
	Params:       []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:         function.StaticReturnType(cty.Bool),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		unknown := false
		for _, v := range args[0].AsValueSlice() {
			switch {
			case !v.IsKnown():
				unknown = true
			case v.IsNull() || v.False():
				return cty.False, nil
			}
		}
		if unknown {
			return cty.UnknownVal(cty.Bool), nil
		}
		return cty.True, nil
	},
})

// anyTrueFunc is anytrue: true when some element is true; nulls count as
// false and an empty list gives false.
var anyTrueFunc = function.New(&function.Spec{
	Description:  "Reports whether any element of a list is true.",
	Params:       []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:         function.StaticReturnType(cty.Bool),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		unknown := false
		for _, v := range args[0].AsValueSlice() {
			switch {
			case !v.IsKnown():
				unknown = true
			case !v.IsNull() && v.True():
				return cty.True, nil
			}
		}
		if unknown {
			return cty.UnknownVal(cty.Bool), nil
		}
		return cty.False, nil
	},
})

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor (when the arguments unify to string) the empty string. stdlib's
// version only skips nulls.
var coalesceFunc = function.New(&function.Spec{
	Description: "Returns the first argument that is not null or an empty string.",
	VarParam: &function.Parameter{
		Name:             "vals",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) == 0 {
			return cty.NilType, errors.New("at least one argument is required")
		}
		types := make([]cty.Type, len(args))
		for i, v := range args {
			types[i] = v.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, errors.New("all arguments must have the same type")
		}
		return ty, nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, v := range args {
			v, err := convert.Convert(v, retType)
			if err != nil {
				return cty.NilVal, err
			}
			switch {
			case !v.IsKnown():
				return cty.UnknownVal(retType), nil
			case v.IsNull():
			case retType == cty.String && v.AsString() == "":
			default:
				return v, nil
			}
		}
		return cty.NilVal, errors.New("no non-null, non-empty-string arguments")
	},
})

// indexFunc is Terraform's index, which finds the position of a value in a
// list or tuple. (stdlib's IndexFunc is the [] operator.)
var indexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element equal to a value.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		return cty.Number, nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot search an empty list")
		}
		for it := args[0].ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq := v.Equals(args[1])
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

// lookupFunc is Terraform's lookup: the element of a map, or attribute of an
// object, with the given key, or the optional default. stdlib's version
// requires the default and does not accept objects missing the key.
var lookupFunc = function.New(&function.Spec{
	Description: "Returns the element with the given key, or a default.",
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true, AllowUnknown: true},
		{Name: "key", Type: cty.String, AllowMarked: true, AllowUnknown: true},
	},
	VarParam: &function.Parameter{
		Name:             "default",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
		AllowMarked:      true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, fmt.Errorf("lookup() takes two or three arguments, got %d", len(args))
		}
		ty := args[0].Type()
		switch {
		case ty.IsObjectType():
			key, keyMarks := args[1].Unmark()
			if !key.IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			if k := key.AsString(); ty.HasAttribute(k) {
				return ty.AttributeType(k), nil
			} else if len(args) < 3 {
				return cty.NilType, function.NewArgErrorf(0, "the given object has no attribute %s", redacted(k, keyMarks))
			}
			return args[2].Type(), nil
		case ty.IsMapType():
			if len(args) == 3 {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.NilType, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
				}
			}
			return ty.ElementType(), nil
		default:
			return cty.NilType, function.NewArgErrorf(0, "lookup() requires a map as the first argument")
		}
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		coll, collMarks := args[0].Unmark()
		key, keyMarks := args[1].Unmark()
		if !coll.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(retType).WithMarks(collMarks, keyMarks), nil
		}
		k := key.AsString()
		if coll.Type().IsObjectType() {
			if coll.Type().HasAttribute(k) {
				return coll.GetAttr(k).WithMarks(collMarks, keyMarks), nil
			}
		} else if coll.HasIndex(cty.StringVal(k)).True() {
			return coll.Index(cty.StringVal(k)).WithMarks(collMarks, keyMarks), nil
		}
		if len(args) < 3 {
			return cty.NilVal, fmt.Errorf("lookup failed to find key %s", redacted(k, keyMarks))
		}
		def, err := convert.Convert(args[2], retType)
		if err != nil {
			return cty.NilVal, function.NewArgError(2, err)
		}
		return def.WithMarks(collMarks, keyMarks), nil
	},
})

// matchkeysFunc is matchkeys: the elements of values whose corresponding
// element of keys is in searchset. When an unknown key or search value makes
// the answer uncertain the result is unknown (Terraform returns an empty
// list there).
var matchkeysFunc = function.New(&function.Spec{
	Description: "Returns the elements of values whose corresponding key is in searchset.",
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()}); ty == cty.NilType {
			return cty.NilType, errors.New("keys and searchset must be of the same type")
		}
		return args[0].Type(), nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		values := args[0]
		if values.LengthInt() != args[1].LengthInt() {
			return cty.NilVal, errors.New("length of keys and values should be equal")
		}
		ty, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()})
		keys, err := convert.Convert(args[1], ty)
		if err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		search, err := convert.Convert(args[2], ty)
		if err != nil {
			return cty.NilVal, function.NewArgError(2, err)
		}
		empty := cty.ListValEmpty(retType.ElementType())
		if search.LengthInt() == 0 {
			return empty, nil
		}
		if !values.IsWhollyKnown() || !keys.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		vals := values.AsValueSlice()
		var out []cty.Value
		for i, k := range keys.AsValueSlice() {
			for _, s := range search.AsValueSlice() {
				eq := k.Equals(s)
				if !eq.IsKnown() {
					return cty.UnknownVal(retType), nil
				}
				if eq.True() {
					out = append(out, vals[i])
					break
				}
			}
		}
		if len(out) == 0 {
			return empty, nil
		}
		return cty.ListVal(out), nil
	},
})

// oneFunc is one: the only element of a list, set or tuple with one element,
// or null when it has none.
var oneFunc = function.New(&function.Spec{
	Description: "Returns the only element of a zero- or one-element collection, or null if it is empty.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType() && len(ty.TupleElementTypes()) == 0:
			return cty.DynamicPseudoType, nil
		case ty.IsTupleType() && len(ty.TupleElementTypes()) == 1:
			return ty.TupleElementTypes()[0], nil
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		n := v.Length()
		if !n.IsKnown() {
			// A set whose unknown elements may or may not coincide.
			return cty.UnknownVal(retType), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType), nil
		case 1:
			return v.AsValueSlice()[0], nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
})

// sumFunc is sum: the total of a list, set or tuple of numbers.
var sumFunc = function.New(&function.Spec{
	Description: "Returns the sum of a list, set or tuple of numbers.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be list, set, or tuple. Received %s", ty.FriendlyName())
		}
		return cty.Number, nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		errNotNumbers := function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
		var total cty.Value
		for i, v := range args[0].AsValueSlice() {
			if v.IsNull() {
				return cty.NilVal, errNotNumbers
			}
			v, err := convert.Convert(v, cty.Number)
			if err != nil {
				return cty.NilVal, errNotNumbers
			}
			if i == 0 {
				total = v
				continue
			}
			// big.Float panics when adding opposite infinities.
			a, b := total.AsBigFloat(), v.AsBigFloat()
			if a.IsInf() && b.IsInf() && a.Sign() != b.Sign() {
				return cty.NilVal, errors.New("can't compute sum of opposing infinities")
			}
			total = total.Add(v)
		}
		return total, nil
	},
})

// transposeFunc is transpose: it swaps the keys and values of a map of lists
// of strings, each resulting list being sorted.
var transposeFunc = function.New(&function.Spec{
	Description:  "Swaps the keys and values of a map of lists of strings.",
	Params:       []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:         function.StaticReturnType(cty.Map(cty.List(cty.String))),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		swapped := map[string][]string{}
		for k, list := range args[0].AsValueMap() {
			if list.IsNull() {
				return cty.NilVal, errors.New("input must be a map of lists of strings, not of null")
			}
			for _, v := range list.AsValueSlice() {
				if v.IsNull() {
					return cty.NilVal, errors.New("input lists must not contain null")
				}
				swapped[v.AsString()] = append(swapped[v.AsString()], k)
			}
		}
		if len(swapped) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		out := make(map[string]cty.Value, len(swapped))
		for k, ks := range swapped {
			slices.Sort(ks)
			vals := make([]cty.Value, len(ks))
			for i, s := range ks {
				vals[i] = cty.StringVal(s)
			}
			out[k] = cty.ListVal(vals)
		}
		return cty.MapVal(out), nil
	},
})
