package funcs

import (
	"errors"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

func templateFileParams() []function.Parameter {
	return []function.Parameter{
		pathParam("path"),
		{Name: "vars", Type: cty.DynamicPseudoType},
	}
}

func templateStringParams() []function.Parameter {
	return []function.Parameter{
		// The template is taken as an expression so that the function can
		// insist on a reference, as Terraform does.
		{Name: "template", Type: customdecode.ExpressionClosureType},
		{Name: "vars", Type: cty.DynamicPseudoType},
	}
}

// makeTemplateFileFunc returns Terraform's templatefile, which renders the
// file at path as an HCL template with vars as its only variables and funcs
// as its functions.
//
// A template consisting of a single interpolation returns that value
// unconverted, so the result type is only known once the template has been
// rendered: the declared return type is therefore dynamic.
func makeTemplateFileFunc(files fileAccess, funcs func() map[string]function.Function, check func(string, []byte) error) function.Function {
	return function.New(&function.Spec{
		Description: "Renders a template file with the given variables.",
		Params:      templateFileParams(),
		Type:        function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			pathVal, pathMarks := args[0].Unmark()
			if !pathVal.IsKnown() {
				return cty.DynamicVal.WithMarks(pathMarks), nil
			}
			path := pathVal.AsString()
			src, known, err := files.load(path)
			switch {
			case err != nil:
				return cty.NilVal, function.NewArgError(0, err)
			case !known:
				return cty.DynamicVal.WithMarks(pathMarks), nil
			case !utf8.Valid(src):
				return cty.NilVal, function.NewArgErrorf(0, "contents of %s are not valid UTF-8", redacted(path, pathMarks))
			}
			resolved, _ := files.resolve(path) // load succeeded: it resolves
			if err := check(resolved, src); err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			expr, diags := hclsyntax.ParseTemplate(src, path, hcl.Pos{Line: 1, Column: 1})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			v, err := renderTemplate(expr, args[1], funcs())
			if err != nil {
				return cty.NilVal, err
			}
			return v.WithMarks(pathMarks), nil
		},
	})
}

// makeTemplateStringFunc returns Terraform's templatestring, which renders a
// string taken from elsewhere in the module as a template.
//
// Like Terraform, it accepts only a reference (optionally indexed, or a
// splat) as the template argument, so that a template literal written in
// place, which would already have been rendered once, is rejected.
func makeTemplateStringFunc(funcs func() map[string]function.Function, check func(string, []byte) error) function.Function {
	return function.New(&function.Spec{
		Description:  "Renders a template string, given as a reference, with the given variables.",
		Params:       templateStringParams(),
		Type:         function.StaticReturnType(cty.String),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			closure := customdecode.ExpressionClosureFromVal(args[0])
			switch e := closure.Expression.(type) {
			case *hclsyntax.TemplateWrapExpr:
				return cty.NilVal, function.NewArgErrorf(0, "invalid template expression: templatestring is only for rendering templates retrieved dynamically from elsewhere; write the reference directly, without template interpolation syntax")
			case *hclsyntax.TemplateExpr:
				return cty.NilVal, function.NewArgErrorf(0, "invalid template expression: templatestring is only for rendering templates retrieved dynamically from elsewhere; to render an inline template, use a plain template string expression")
			default:
				if !isTemplateRef(e) {
					return cty.NilVal, function.NewArgErrorf(0, "invalid template expression: must be a direct reference to a single string from elsewhere, containing valid template syntax")
				}
			}

			tmpl, diags := closure.Value()
			if diags.HasErrors() {
				return cty.NilVal, function.NewArgErrorf(0, "invalid template expression: %s", diags.Error())
			}
			tmpl, marks := tmpl.Unmark()
			switch {
			case !tmpl.IsKnown():
				return cty.UnknownVal(cty.String).WithMarks(marks), nil
			case tmpl.Type() != cty.String || tmpl.IsNull() || tmpl.ContainsMarked():
				return cty.NilVal, function.NewArgErrorf(0, "invalid template value: a string is required")
			}
			v, err := renderString(tmpl.AsString(), "<templatestring argument>", args[1], funcs(), check)
			if err != nil {
				return cty.NilVal, err
			}
			return v.WithMarks(marks), nil
		},
	})
}

// isTemplateRef reports whether expr is a reference to a value, possibly
// indexed, traversed or splatted, as templatestring requires.
func isTemplateRef(expr hcl.Expression) bool {
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return true
	case *hclsyntax.RelativeTraversalExpr:
		return isTemplateRef(e.Source)
	case *hclsyntax.IndexExpr:
		return isTemplateRef(e.Collection)
	case *hclsyntax.SplatExpr:
		return isTemplateRef(e.Source)
	default:
		return false
	}
}

// renderTemplate evaluates a parsed template with the attributes of vars (a
// known map or object) as its variables.
func renderTemplate(expr hcl.Expression, vars cty.Value, funcs map[string]function.Function) (cty.Value, error) {
	if ty := vars.Type(); !ty.IsMapType() && !ty.IsObjectType() {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must be a map")
	}
	vals := vars.AsValueMap()
	for name := range vals {
		if !hclsyntax.ValidIdentifier(name) {
			return cty.NilVal, function.NewArgErrorf(1, "invalid template variable name %q: must start with a letter, followed by zero or more letters, digits, and underscores", name)
		}
	}
	// Check references up front for a clearer message than HCL's.
	for _, tr := range expr.Variables() {
		if _, ok := vals[tr.RootName()]; !ok {
			return cty.NilVal, function.NewArgErrorf(1, "vars map does not contain key %q, referenced at %s", tr.RootName(), tr[0].SourceRange())
		}
	}
	v, diags := expr.Value(&hcl.EvalContext{Variables: vals, Functions: funcs})
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	return v, nil
}

// RenderTemplateFile renders what the template_file data source of the
// (archived) template provider renders: src, a template in Terraform's
// syntax, with vars, a map of primitive values, as its variables. The
// provider's own functions are not modelled: a template that calls one, or
// that cannot be rendered for any other reason, is unknown, as is one
// with an unknown variable. check refuses a template nested too deeply.
func RenderTemplateFile(src string, vars cty.Value, check func(string, []byte) error) cty.Value {
	unknown := cty.UnknownVal(cty.String)
	if vars.IsNull() {
		vars = cty.EmptyObjectVal
	}
	ty := vars.Type()
	if !vars.IsWhollyKnown() || vars.ContainsMarked() || !ty.IsMapType() && !ty.IsObjectType() {
		return unknown
	}
	for _, v := range vars.AsValueMap() {
		if !v.Type().IsPrimitiveType() || v.IsNull() {
			return unknown
		}
	}
	v, err := renderString(src, "<template_file template>", vars, nil, check)
	if err != nil || !v.IsWhollyKnown() {
		return unknown
	}
	return v
}

// renderString renders src, a template given as a string (named name in
// messages), with vars and funcs, into a string; check, when given,
// refuses a template nested too deeply before it is parsed.
func renderString(src, name string, vars cty.Value, funcs map[string]function.Function, check func(string, []byte) error) (cty.Value, error) {
	if check != nil {
		if err := check("", []byte(src)); err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(src), name, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return cty.NilVal, function.NewArgErrorf(0, "invalid template: %s", diags.Error())
	}
	v, err := renderTemplate(expr, vars, funcs)
	if err != nil {
		return cty.NilVal, err
	}
	if v.IsNull() {
		return cty.NilVal, errors.New("invalid template result: the template produced null")
	}
	v, err = convert.Convert(v, cty.String)
	if err != nil {
		return cty.NilVal, errors.New("invalid template result: " + err.Error())
	}
	return v, nil
}
