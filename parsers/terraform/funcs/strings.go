package funcs

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
)

// maxPadding bounds the field widths of format and formatlist and the
// indentation of indent. Terraform has no such limit, but a short expression
// like format("%999999999d", 1) would otherwise exhaust memory, and no real
// configuration pads by more than a few hundred characters.
const maxPadding = 10000

// stringFuncs returns the string functions except templatestring, which
// Table adds because it needs the rest of the table.
func stringFuncs() map[string]function.Function {
	return map[string]function.Function{
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      guard(stdlib.FormatFunc, checkFormatWidths),
		"formatlist":  guard(stdlib.FormatListFunc, checkFormatWidths),
		"indent":      guard(stdlib.IndentFunc, checkIndent),
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  startsWithFunc,
		"strcontains": strContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"upper":       stdlib.UpperFunc,
	}
}

// guard wraps a function that never returns null so that check vets its
// arguments (as the wrapped function's implementation would see them) before
// the call.
func guard(f function.Function, check func(args []cty.Value) error) function.Function {
	return function.New(&function.Spec{
		Description:  f.Description(),
		Params:       f.Params(),
		VarParam:     f.VarParam(),
		Type:         f.ReturnTypeForValues,
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if err := check(args); err != nil {
				return cty.NilVal, err
			}
			return f.Call(args)
		},
	})
}

// checkFormatWidths rejects format strings (the first argument) whose field
// widths or precisions exceed maxPadding.
func checkFormatWidths(args []cty.Value) error {
	v, _ := args[0].Unmark()
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	s := v.AsString()
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		// Scan the flags, argument index, width and precision of this verb;
		// every run of digits among them must be small.
		n := 0
		for i++; i < len(s) && strings.IndexByte("+-# .[]0123456789", s[i]) >= 0; i++ {
			if s[i] < '0' || s[i] > '9' {
				n = 0
				continue
			}
			n = n*10 + int(s[i]-'0')
			if n > maxPadding {
				return function.NewArgErrorf(0, "field width or precision too large (the limit is %d)", maxPadding)
			}
		}
	}
	return nil
}

// checkIndent rejects indentation beyond maxPadding and negative indentation
// (which Terraform reports as a crash).
func checkIndent(args []cty.Value) error {
	v, _ := args[0].Unmark()
	var spaces int
	if err := gocty.FromCtyValue(v, &spaces); err != nil {
		return function.NewArgError(0, err)
	}
	if spaces < 0 || spaces > maxPadding {
		return function.NewArgErrorf(0, "number of spaces must be between 0 and %d", maxPadding)
	}
	return nil
}

// startsWithFunc is Terraform's startswith. When the string is unknown but
// has a known prefix (a cty refinement), the result may still be known.
var startsWithFunc = function.New(&function.Spec{
	Description: "Reports whether a string starts with a prefix.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String, AllowUnknown: true},
		{Name: "prefix", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.Bool),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		prefix := args[1].AsString()
		if !args[0].IsKnown() {
			known := args[0].Range().StringPrefix()
			switch {
			case strings.HasPrefix(known, prefix):
				return cty.True, nil
			case !strings.HasPrefix(prefix, known):
				return cty.False, nil
			default:
				return cty.UnknownVal(cty.Bool), nil
			}
		}
		return cty.BoolVal(strings.HasPrefix(args[0].AsString(), prefix)), nil
	},
})

// endsWithFunc is Terraform's endswith.
var endsWithFunc = function.New(&function.Spec{
	Description: "Reports whether a string ends with a suffix.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "suffix", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.Bool),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(strings.HasSuffix(args[0].AsString(), args[1].AsString())), nil
	},
})

// strContainsFunc is Terraform's strcontains.
var strContainsFunc = function.New(&function.Spec{
	Description: "Reports whether a string contains a substring.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.Bool),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(strings.Contains(args[0].AsString(), args[1].AsString())), nil
	},
})

// replaceFunc is Terraform's replace. Unlike the cty stdlib version, a
// substring wrapped in forward slashes ("/re/") is an RE2 regular expression,
// and the replacement may then refer to capture groups ($1, ${name}).
var replaceFunc = function.New(&function.Spec{
	Description: "Replaces each occurrence of a substring, or of matches of a /regular expression/, with a replacement.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, substr, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(substr) > 1 && substr[0] == '/' && substr[len(substr)-1] == '/' {
			re, err := regexp.Compile(substr[1 : len(substr)-1])
			if err != nil {
				return cty.NilVal, function.NewArgError(1, fmt.Errorf("invalid regular expression: %w", err))
			}
			return cty.StringVal(re.ReplaceAllString(str, repl)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, substr, repl)), nil
	},
})
