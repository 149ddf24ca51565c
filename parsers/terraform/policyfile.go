package terraform

import (
	"maps"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// Policies kept in files beside the module: file("policy.json") and
// templatefile("policy.json.tpl", {…}). The functions have already read
// the file to compute the value; here the same file is read again, through
// the same confined reader, so that the document can be located in it. A
// file's text is used only when rendering it here gives exactly the value
// the function returned, so a file that changed in between, or a template
// this rendering does not follow, costs positions, never correctness.

// policyFile returns the file at path p, as file() and templatefile() in
// module instance in resolve it, in the loader's file table: read once per
// worker, inside the scan roots only, and named as configuration files are
// (slash-separated, relative to the same directories), so that reports,
// fingerprints and fixes find it. It is nil when the file cannot be read.
func (l *loader) policyFile(in *instance, p string) *source.File {
	if in == nil || in.root == nil || in.root.mod == nil {
		return nil
	}
	// Terraform expands ~ to the home directory, which s3lint never
	// reads (the functions return unknown for it too).
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return nil
	}
	if !filepath.IsAbs(p) {
		// Relative paths resolve against the root module directory, as
		// functionsFor's table resolves them.
		p = filepath.Join(in.root.mod.dir, p)
	}
	p = filepath.Clean(p)
	name := filepath.ToSlash(p)
	if f := l.file(name); f != nil {
		return f
	}
	if l.unreadable[name] {
		return nil
	}
	b, err := l.readConfinedQuiet(p)
	if err != nil {
		// The function that read it first has reported a limit.
		l.unreadable[name] = true
		return nil
	}
	f := source.NewFile(name, b)
	l.files[name] = f
	return f
}

// fileCallText renders what a call of file() or templatefile() in origin o
// returns, with a mapper from each byte of the text to the file it was
// read from. Unknown template interpolations render as unknownMark. ok is
// false when the call is not one of these or cannot be followed.
func (l *loader) fileCallText(call *hclsyntax.FunctionCallExpr, o *origin) (text string, m jsonpos.Mapper, ok bool) {
	if o == nil || o.in == nil {
		return "", nil, false
	}
	switch {
	case call.Name == "file" && len(call.Args) == 1:
	case call.Name == "templatefile" && len(call.Args) == 2:
	default:
		return "", nil, false
	}
	pv := o.in.eval(call.Args[0], o.sc)
	if !pv.IsKnown() || pv.IsNull() || pv.Type() != cty.String {
		return "", nil, false
	}
	f := l.policyFile(o.in, pv.AsString())
	if f == nil || !utf8.Valid(f.Bytes) {
		return "", nil, false
	}
	if call.Name == "file" {
		return string(f.Bytes), f.Range, true
	}
	return l.renderTemplateFile(f, call.Args[1], o)
}

// renderTemplateFile renders a template file as templatefile does, in the
// template's own scope (the vars argument, evaluated in the module, and
// Terraform's functions but the template ones), part by part like a
// heredoc. A template that is one interpolation (often
// ${jsonencode({…})}) maps as a whole to it.
func (l *loader) renderTemplateFile(f *source.File, varsExpr hcl.Expression, o *origin) (string, jsonpos.Mapper, bool) {
	// The function refused a template nested past the limit before
	// parsing it; so does this, silently (it has been reported).
	if nestingOffset(f.Bytes, true, l.opts.Limits.MaxNesting) >= 0 {
		return "", nil, false
	}
	expr, diags := hclsyntax.ParseTemplate(f.Bytes, f.Name, hcl.InitialPos)
	if diags.HasErrors() {
		return "", nil, false
	}
	ctx, ok := l.templateContext(expr, o.in.eval(varsExpr, o.sc), o.in)
	if !ok {
		return "", nil, false
	}
	eval := func(e hclsyntax.Expression) (cty.Value, bool) {
		v, d := e.Value(ctx)
		if d.HasErrors() {
			// The real rendering fails too: nothing to locate.
			return cty.NilVal, false
		}
		return l.clean(v), true
	}
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		return l.renderParts(e, eval)
	case *hclsyntax.TemplateWrapExpr:
		v, ok := eval(e)
		if !ok || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return "", nil, false
		}
		r := e.Range()
		whole := func(_, _ int) graph.Range { return f.Range(r.Start.Byte, r.End.Byte) }
		return v.AsString(), whole, true
	}
	return "", nil, false
}

// templateContext is the evaluation context of a template file: the
// attributes of vars as its variables (all unknown when vars is), and the
// functions of the module but templatefile and templatestring, which
// Terraform forbids inside templates (and which could recurse here).
func (l *loader) templateContext(expr hcl.Expression, vars cty.Value, in *instance) (*hcl.EvalContext, bool) {
	vals := map[string]cty.Value{}
	switch ty := vars.Type(); {
	case !vars.IsKnown():
		for _, tr := range expr.Variables() {
			vals[tr.RootName()] = cty.DynamicVal
		}
	case vars.IsNull() || !ty.IsMapType() && !ty.IsObjectType():
		return nil, false
	default:
		vals = vars.AsValueMap()
	}
	for _, tr := range expr.Variables() {
		if _, ok := vals[tr.RootName()]; !ok {
			return nil, false // templatefile fails on this
		}
	}
	return &hcl.EvalContext{Variables: vals, Functions: l.templateFuncs(in.root.mod.dir)}, true
}

// templateFuncs is the function table of templates rendered for the root
// module in rootDir.
func (l *loader) templateFuncs(rootDir string) map[string]function.Function {
	if t, ok := l.tmplFuncs[rootDir]; ok {
		return t
	}
	t := maps.Clone(l.functionsFor(rootDir))
	for _, name := range []string{"templatefile", "templatestring"} {
		t[name] = refusedFunc
	}
	l.tmplFuncs[rootDir] = t
	return t
}

// refusedFunc stands for a function that templates may not call: its
// result is an error, whatever its arguments.
var refusedFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true},
	Type:     func([]cty.Value) (cty.Type, error) { return cty.NilType, errRefused },
	Impl:     func([]cty.Value, cty.Type) (cty.Value, error) { return cty.NilVal, errRefused },
})

var errRefused = function.NewArgErrorf(0, "template functions cannot be called from inside a template")

// fileNode parses the text a file() or templatefile() call returned and
// locates it in the file; ok is false when the call cannot be followed or
// its rendering here differs from text.
func (l *loader) fileNode(text string, call *hclsyntax.FunctionCallExpr, o *origin, whole graph.Range) (*graph.Node, bool) {
	rendered, m, ok := l.fileCallText(call, o)
	if !ok || rendered != text {
		return nil, false
	}
	n, err := jsonpos.Parse([]byte(text), m, jsonpos.Options{})
	if err != nil {
		// The syntax error is shown where it is, in the file.
		return l.invalidJSON(text, err, m, whole), true
	}
	return n, true
}
