package funcs

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// fuzzOptions serves s as the contents of every file except those whose
// name contains "missing" (not found) or "denied" (an error), and globs a
// fixed list.
func fuzzOptions(s string) Options {
	return Options{
		BaseDir: "/mod",
		ReadFile: func(p string) ([]byte, error) {
			switch {
			case strings.Contains(p, "missing"):
				return nil, fs.ErrNotExist
			case strings.Contains(p, "denied"):
				return nil, errors.New("denied")
			}
			return []byte(s), nil
		},
		Glob: func(dir, pattern string) ([]string, error) {
			if strings.Contains(pattern, "[") {
				return nil, errors.New("bad pattern")
			}
			return []string{dir + "/" + pattern, "rel/" + s}, nil
		},
	}
}

// fuzzArgs returns the candidate arguments built from the fuzzed inputs.
func fuzzArgs(s1, s2 string, n float64) []cty.Value {
	if math.IsNaN(n) {
		n = 0
	}
	num := cty.NumberFloatVal(n)
	return []cty.Value{
		cty.StringVal(s1),
		cty.StringVal(s2),
		num,
		cty.NumberIntVal(int64(len(s1)) - int64(len(s2))),
		cty.ListVal([]cty.Value{cty.StringVal(s1), cty.StringVal(s2)}),
		cty.TupleVal([]cty.Value{cty.StringVal(s1), num, cty.True}),
		cty.MapVal(map[string]cty.Value{s1: cty.StringVal(s2), "k": cty.StringVal(s1)}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal(s1), "n": num}),
		cty.SetVal([]cty.Value{num, cty.NumberIntVal(2)}),
		cty.UnknownVal(cty.String),
		cty.StringVal(s1).Mark(Sensitive),
		cty.NullVal(cty.String),
		cty.DynamicVal,
		cty.BoolVal(len(s1) > len(s2)),
	}
}

// FuzzFunctions calls every function with arguments made from fuzzed
// strings and a number, directly and through HCL, and checks that nothing
// panics (not even inside cty's recovery of function panics).
func FuzzFunctions(f *testing.F) {
	f.Add("hello", "l", 2.0, uint64(0))
	f.Add("10.0.0.0/8", "fd00::/64", 4.0, uint64(12345))
	f.Add("%{ for x in [1] }${x}%{ endfor }", "${", -1.5, uint64(99))
	f.Add("2018-01-02T23:12:01Z", "YYYY-MM-DD", 1e300, uint64(7))
	f.Add("/(a+)/", "$1$1", math.Inf(1), uint64(1<<40))
	f.Add("a,b\n1,2", "{\"a\": [1]}", 36.0, uint64(3))
	f.Add("arn:aws:iam::1:role/p/x", "UTF-16LE", 0.5, uint64(5))
	f.Add("\xff\xfe", "", math.Copysign(0, -1), uint64(math.MaxUint64))

	table := Table(fuzzOptions(""))
	var names []string
	for name := range table {
		names = append(names, name)
	}
	slices.Sort(names)

	// The same calls written as HCL, with the fuzzed values as variables.
	vars := []string{"v.s1", "v.s2", "v.n", "v.list", "v.tuple", "v.map", "v.obj", "v.unknown", "v.secret", "null"}
	type hclCall struct {
		src  string
		expr hcl.Expression
	}
	var calls []hclCall
	for _, name := range names {
		for arity := range 4 {
			for variant := range 3 {
				args := make([]string, arity)
				for i := range args {
					args[i] = vars[(i*3+variant*5+arity)%len(vars)]
				}
				src := fmt.Sprintf("%s(%s)", name, strings.Join(args, ", "))
				calls = append(calls, hclCall{src, parse(f, src)})
			}
		}
	}

	f.Fuzz(func(t *testing.T, s1, s2 string, n float64, sel uint64) {
		table := Table(fuzzOptions(s1))
		cands := fuzzArgs(s1, s2, n)
		for _, name := range names {
			fn := table[name]
			for arity := range 4 {
				// All of one kind, then a mix chosen by sel.
				for variant := range 3 {
					args := make([]cty.Value, arity)
					for i := range args {
						switch variant {
						case 0:
							args[i] = cands[0]
						case 1:
							args[i] = cands[2]
						default:
							args[i] = cands[(sel>>(4*uint(i)+uint(arity)))%uint64(len(cands))]
						}
					}
					callNoPanic(t, name, fn, args)
				}
			}
		}

		if math.IsNaN(n) {
			n = 0
		}
		ctx := &hcl.EvalContext{
			Functions: table,
			Variables: map[string]cty.Value{"v": cty.ObjectVal(map[string]cty.Value{
				"s1":      cty.StringVal(s1),
				"s2":      cty.StringVal(s2),
				"n":       cty.NumberFloatVal(n),
				"list":    cty.ListVal([]cty.Value{cty.StringVal(s1), cty.StringVal(s2)}),
				"tuple":   cty.TupleVal([]cty.Value{cty.StringVal(s2), cty.NumberFloatVal(n)}),
				"map":     cty.MapVal(map[string]cty.Value{"a": cty.StringVal(s1)}),
				"obj":     cty.ObjectVal(map[string]cty.Value{"s": cty.StringVal(s2)}),
				"unknown": cty.UnknownVal(cty.String),
				"secret":  cty.StringVal(s2).Mark(Sensitive),
			})},
		}
		for _, c := range calls {
			evalNoPanic(t, c.src, c.expr, ctx)
		}
	})
}

// evalNoPanic evaluates expr and fails the test if that panics.
func evalNoPanic(t *testing.T, src string, expr hcl.Expression, ctx *hcl.EvalContext) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", src, r)
		}
	}()
	_, diags := expr.Value(ctx)
	for _, d := range diags {
		if strings.Contains(d.Detail, "internal error in function") {
			t.Fatalf("%s panicked inside: %s", src, d.Detail)
		}
	}
}
