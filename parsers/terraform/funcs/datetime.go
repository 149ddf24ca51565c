package funcs

import (
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// datetimeFuncs returns the date and time functions. timestamp and
// plantimestamp read the clock, so they return unknown strings.
func datetimeFuncs() map[string]function.Function {
	return map[string]function.Function{
		"formatdate":    stdlib.FormatDateFunc,
		"timeadd":       stdlib.TimeAddFunc,
		"timecmp":       timeCmpFunc,
		"timestamp":     unknownFunc("Returns the current time (unknown: s3lint does not read the clock).", cty.String),
		"plantimestamp": unknownFunc("Returns the time of the plan (unknown: s3lint does not read the clock).", cty.String),
	}
}

// unknownFunc returns a function whose result, of type ty, is unknown: the
// functions Terraform computes from the clock, randomness or the
// environment. params describe its arguments, which are still type-checked.
func unknownFunc(desc string, ty cty.Type, params ...function.Parameter) function.Function {
	return function.New(&function.Spec{
		Description:  desc,
		Params:       params,
		Type:         function.StaticReturnType(ty),
		RefineResult: refineNotNull,
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.UnknownVal(ty), nil
		},
	})
}

// timeCmpFunc is timecmp: -1, 0 or 1 as the first RFC 3339 timestamp is
// before, equal to or after the second.
var timeCmpFunc = function.New(&function.Spec{
	Description: "Compares two RFC 3339 timestamps, returning -1, 0 or 1.",
	Params: []function.Parameter{
		{Name: "timestamp_a", Type: cty.String},
		{Name: "timestamp_b", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.Number),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var ts [2]time.Time
		for i := range ts {
			t, err := parseRFC3339(args[i].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgError(i, err)
			}
			ts[i] = t
		}
		return cty.NumberIntVal(int64(ts[0].Compare(ts[1]))), nil
	},
})

// parseRFC3339 parses a timestamp with the same strictness as the cty
// datetime functions (timeadd is asked to validate it), keeping fractional
// seconds.
func parseRFC3339(s string) (time.Time, error) {
	if _, err := stdlib.TimeAdd(cty.StringVal(s), cty.StringVal("0s")); err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339, s)
}
