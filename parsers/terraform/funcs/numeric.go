package funcs

import (
	"math"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
)

// numericFuncs returns the numeric functions. Terraform uses the cty stdlib
// versions of all of them; log is redone only to report a result that is
// not a number (such as log(0, 0)) as an error rather than a crash, and pow
// likewise.
func numericFuncs() map[string]function.Function {
	return map[string]function.Function{
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      logFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      powFunc,
		"signum":   stdlib.SignumFunc,
	}
}

// logFunc is log(num, base), computed in float64 as cty's version does.
var logFunc = function.New(&function.Spec{
	Description: "Returns the logarithm of a number in a base.",
	Params: []function.Parameter{
		{Name: "num", Type: cty.Number},
		{Name: "base", Type: cty.Number},
	},
	Type:         function.StaticReturnType(cty.Number),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var num, base float64
		if err := gocty.FromCtyValue(args[0], &num); err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if err := gocty.FromCtyValue(args[1], &base); err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		r := math.Log(num) / math.Log(base)
		if math.IsNaN(r) {
			return cty.NilVal, function.NewArgErrorf(0, "the logarithm of %g in base %g is not a number", num, base)
		}
		return cty.NumberFloatVal(r), nil
	},
})

// powFunc is pow(num, power), computed in float64 as cty's version does.
var powFunc = function.New(&function.Spec{
	Description: "Raises a number to a power.",
	Params: []function.Parameter{
		{Name: "num", Type: cty.Number},
		{Name: "power", Type: cty.Number},
	},
	Type:         function.StaticReturnType(cty.Number),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var num, power float64
		if err := gocty.FromCtyValue(args[0], &num); err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if err := gocty.FromCtyValue(args[1], &power); err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		r := math.Pow(num, power)
		if math.IsNaN(r) {
			return cty.NilVal, function.NewArgErrorf(1, "%g to the power %g is not a number", num, power)
		}
		return cty.NumberFloatVal(r), nil
	},
})
