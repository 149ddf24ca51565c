package terraform

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// module is one directory of .tf / .tf.json files, parsed but not evaluated.
type module struct {
	dir       string // as walked, slash-separated, relative to the working directory
	files     []*hcl.File
	variables map[string]*variableDecl
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	resources map[string]*resourceDecl // "aws_s3_bucket.b", "data.aws_iam_policy_document.p"
	resOrder  []*resourceDecl          // source order
	calls     map[string]*moduleCall
	callOrder []*moduleCall
	providers map[string]*providerDecl // "aws", "aws.prod"
	// attrNames holds every attribute name that any traversal in the module
	// reads; resource objects carry these as unknown placeholders so that a
	// reference to an attribute we do not model is unknown, not an error.
	attrNames map[string]bool
	// outputDeps lists the addresses an output's depends_on names: whatever
	// refers to the output waits for them too.
	outputDeps map[string][]string
	// refs holds the references of the native expressions evaluated in the
	// module (hcl.Expression → []hcl.Traversal): a module is instantiated
	// many times, by workers side by side, and finding an expression's
	// references walks it.
	refs sync.Map
}

// references returns expr.Variables(), worked out once for a native
// expression (the keys must be comparable: they are pointers).
func (m *module) references(expr hcl.Expression) []hcl.Traversal {
	if _, native := expr.(hclsyntax.Expression); !native {
		return expr.Variables()
	}
	if trs, ok := m.refs.Load(expr); ok {
		return trs.([]hcl.Traversal)
	}
	trs := expr.Variables()
	m.refs.Store(expr, trs)
	return trs
}

type variableDecl struct {
	name     string
	defRange hcl.Range
	def      hcl.Expression // nil when there is no default
	typeExpr hcl.Expression // nil when there is no type
	// nullable is false when nullable = false: a null input then takes
	// the default.
	nullable bool
	// typ is the type constraint, read once for every instance that
	// converts a value to it.
	typ varType
}

// varType is a variable's type constraint as variableType reads it.
type varType struct {
	ty       cty.Type
	defaults *typeexpr.Defaults
	parseHCL bool
	ok       bool
}

type resourceDecl struct {
	mode     string // "resource" or "data"
	typ      string
	name     string
	key      string // "aws_s3_bucket.b" or "data.aws_x.y"
	body     hcl.Body
	count    hcl.Expression
	forEach  hcl.Expression
	provider string // provider reference as written: "aws", "aws.prod"
	// dependsOn lists the addresses named in depends_on.
	dependsOn []string
	// traversals are the references in the body, found once for every
	// instance and every root that evaluates the module.
	traversals []hcl.Traversal
	// relative are the relative traversals in a native body, for
	// collectAttrNames.
	relative []hcl.Traversal
	defRange hcl.Range // the block header
	rng      hcl.Range // the whole block
}

type moduleCall struct {
	name      string
	source    string
	sourceRng hcl.Range
	inputs    map[string]*hcl.Attribute
	count     hcl.Expression
	forEach   hcl.Expression
	providers map[string]string // child provider key → parent provider key
	// dependsOn lists the addresses named in the call's depends_on: every
	// resource of the module waits for them.
	dependsOn []string
	defRange  hcl.Range
	rng       hcl.Range
}

type providerDecl struct {
	key  string // "aws" or "aws.alias"
	body hcl.Body
	rng  hcl.Range
}

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "ephemeral", LabelNames: []string{"type", "name"}},
		{Type: "moved"},
		{Type: "import"},
		{Type: "removed"},
		{Type: "check", LabelNames: []string{"name"}},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}, {Name: "nullable"}},
}

var resourceMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "count"}, {Name: "for_each"}, {Name: "provider"}, {Name: "depends_on"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "lifecycle"}, {Type: "provisioner", LabelNames: []string{"type"}}, {Type: "connection"},
	},
}

// resourceMetaNames are the arguments and blocks of resourceMetaSchema,
// which are not a resource's content.
var resourceMetaNames = map[string]bool{
	"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true,
}

var moduleMetaNames = map[string]bool{
	"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true,
}

// isOverrideFile reports Terraform override files, which merge into other
// files' blocks. s3lint does not apply them (see the loader's doc).
func isOverrideFile(name string) bool {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

// buildModule reads the declarations of a module from its parsed files.
// Declaration problems are returned as diagnostics.
func buildModule(dir string, files []*hcl.File) (*module, hcl.Diagnostics) {
	m := &module{
		dir:       dir,
		files:     files,
		variables: map[string]*variableDecl{},
		locals:    map[string]*hcl.Attribute{},
		outputs:   map[string]*hcl.Attribute{},
		resources: map[string]*resourceDecl{},
		calls:     map[string]*moduleCall{},
		providers: map[string]*providerDecl{},
		attrNames: map[string]bool{},
	}
	var diags hcl.Diagnostics
	for _, f := range files {
		content, _, d := f.Body.PartialContent(fileSchema)
		diags = append(diags, d...)
		for _, b := range content.Blocks {
			diags = append(diags, m.addBlock(b)...)
		}
	}
	for _, f := range files {
		m.collectAttrNames(f.Body)
	}
	return m, diags
}

func (m *module) addBlock(b *hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	switch b.Type {
	case "variable":
		c, _, d := b.Body.PartialContent(variableSchema)
		diags = append(diags, d...)
		v := &variableDecl{name: b.Labels[0], defRange: b.DefRange, nullable: true}
		if a := c.Attributes["nullable"]; a != nil {
			if nv, d := a.Expr.Value(nil); !d.HasErrors() && nv.IsKnown() && nv.Type() == cty.Bool && !nv.IsNull() {
				v.nullable = nv.True()
			}
		}
		if a := c.Attributes["default"]; a != nil {
			v.def = a.Expr
		}
		if a := c.Attributes["type"]; a != nil {
			v.typeExpr = a.Expr
		}
		v.typ.ty, v.typ.defaults, v.typ.parseHCL, v.typ.ok = variableType(v.typeExpr)
		m.variables[v.name] = v
	case "locals":
		attrs, d := b.Body.JustAttributes()
		diags = append(diags, d...)
		for name, a := range attrs {
			m.locals[name] = a
		}
	case "output":
		c, _, d := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}, {Name: "depends_on"}}})
		diags = append(diags, d...)
		if a := c.Attributes["value"]; a != nil {
			m.outputs[b.Labels[0]] = a
		}
		if a := c.Attributes["depends_on"]; a != nil {
			if m.outputDeps == nil {
				m.outputDeps = map[string][]string{}
			}
			m.outputDeps[b.Labels[0]] = traversalList(a.Expr)
		}
	case "resource", "data":
		r := &resourceDecl{mode: b.Type, typ: b.Labels[0], name: b.Labels[1], defRange: b.DefRange, rng: blockRange(b)}
		trs, rel := bodyReferences(b.Body)
		r.traversals = trs[:len(trs):len(trs)] // shared: an append copies
		r.relative = rel
		r.key = r.typ + "." + r.name
		if b.Type == "data" {
			r.key = "data." + r.key
		}
		c, rest, d := b.Body.PartialContent(resourceMetaSchema)
		diags = append(diags, d...)
		r.body = rest
		if a := c.Attributes["count"]; a != nil {
			r.count = a.Expr
		}
		if a := c.Attributes["for_each"]; a != nil {
			r.forEach = a.Expr
		}
		if a := c.Attributes["provider"]; a != nil {
			r.provider = traversalString(a.Expr)
		}
		if a := c.Attributes["depends_on"]; a != nil {
			r.dependsOn = traversalList(a.Expr)
		}
		if first, dup := m.resources[r.key]; dup {
			diags = append(diags, duplicate(b.Type+" "+r.typ+"."+r.name, b.DefRange, first.defRange))
		} else {
			m.resources[r.key] = r
			m.resOrder = append(m.resOrder, r)
		}
	case "module":
		diags = append(diags, m.addCall(b)...)
	case "provider":
		attrs, _ := b.Body.JustAttributes()
		key := b.Labels[0]
		if a := attrs["alias"]; a != nil {
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
				key += "." + v.AsString()
			}
		}
		m.providers[key] = &providerDecl{key: key, body: b.Body, rng: b.DefRange}
	}
	return diags
}

func (m *module) addCall(b *hcl.Block) hcl.Diagnostics {
	attrs, diags := b.Body.JustAttributes()
	c := &moduleCall{
		name: b.Labels[0], inputs: map[string]*hcl.Attribute{}, providers: map[string]string{},
		defRange: b.DefRange, rng: blockRange(b),
	}
	for name, a := range attrs {
		switch name {
		case "source":
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
				c.source = v.AsString()
			}
			c.sourceRng = a.Expr.Range()
		case "count":
			c.count = a.Expr
		case "for_each":
			c.forEach = a.Expr
		case "providers":
			c.providers = providerMap(a.Expr)
		case "depends_on":
			c.dependsOn = traversalList(a.Expr)
		default:
			if !moduleMetaNames[name] {
				c.inputs[name] = a
			}
		}
	}
	if first, dup := m.calls[c.name]; dup {
		diags = append(diags, duplicate("module "+c.name, b.DefRange, first.defRange))
	} else {
		m.calls[c.name] = c
		m.callOrder = append(m.callOrder, c)
	}
	return diags
}

// duplicate is the error for a second block of one name, which Terraform
// refuses; s3lint reads the first.
func duplicate(what string, again, first hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + what,
		Detail: fmt.Sprintf("%s is already declared at %s:%d; Terraform refuses a module that declares it twice, "+
			"and s3lint reads only the first", what, first.Filename, first.Start.Line),
		Subject: &again,
	}
}

// providerMap reads a module call's providers = { aws = aws.prod, … }.
func providerMap(expr hcl.Expression) map[string]string {
	out := map[string]string{}
	pairs, d := hcl.ExprMap(expr)
	if d.HasErrors() {
		return out
	}
	for _, kv := range pairs {
		k := traversalString(kv.Key)
		v := traversalString(kv.Value)
		if k != "" && v != "" {
			out[k] = v
		}
	}
	return out
}

// traversalString renders a bare reference such as aws.prod as text.
func traversalString(expr hcl.Expression) string {
	tr, d := hcl.AbsTraversalForExpr(expr)
	if d.HasErrors() {
		// Provider references may be written as strings in old configs.
		if v, vd := expr.Value(nil); !vd.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
			return v.AsString()
		}
		return ""
	}
	parts := make([]string, 0, len(tr))
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ".")
}

func traversalList(expr hcl.Expression) []string {
	exprs, d := hcl.ExprList(expr)
	if d.HasErrors() {
		return nil
	}
	var out []string
	for _, e := range exprs {
		if s := traversalString(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// blockRange is the whole block for native syntax and the header for JSON.
func blockRange(b *hcl.Block) hcl.Range {
	if sb, ok := b.Body.(*hclsyntax.Body); ok {
		r := sb.SrcRange
		r.Start = b.DefRange.Start
		return r
	}
	return b.DefRange
}

// collectAttrNames gathers the attribute names that a traversal in a
// native-syntax body may read from a resource object (JSON bodies are
// skipped: they rarely reference attributes we do not model). The names
// that only name things — the variable in var.x, the local in local.x, the
// resource in aws_s3_bucket.b, the output in module.m.out — are left out:
// every resource instance carries each name as an attribute, and a module
// names many things.
//
// A resource block's references were found when it was declared; only the
// other blocks are walked for theirs.
func (m *module) collectAttrNames(body hcl.Body) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return
	}
	add := func(tr hcl.Traversal, skip int) {
		for i, step := range tr {
			if a, ok := step.(hcl.TraverseAttr); ok && i > skip {
				m.attrNames[a.Name] = true
			}
		}
	}
	visit := func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			add(e.Traversal, m.namingSteps(e.Traversal))
		case *hclsyntax.RelativeTraversalExpr:
			add(e.Traversal, -1)
		}
		return nil
	}
	for _, a := range sb.Attributes {
		_ = hclsyntax.VisitAll(a, visit)
	}
	for _, b := range sb.Blocks {
		if r := m.declaredBy(b); r != nil {
			for _, tr := range r.traversals {
				add(tr, m.namingSteps(tr))
			}
			for _, tr := range r.relative {
				add(tr, -1)
			}
			continue
		}
		_ = hclsyntax.VisitAll(b, visit)
	}
}

// declaredBy returns the resource that a resource or data block declares,
// or nil (another kind of block, or a second block of a name, which is
// not declared).
func (m *module) declaredBy(b *hclsyntax.Block) *resourceDecl {
	if (b.Type != "resource" && b.Type != "data") || len(b.Labels) != 2 {
		return nil
	}
	key := b.Labels[0] + "." + b.Labels[1]
	if b.Type == "data" {
		key = "data." + key
	}
	if r := m.resources[key]; r != nil && r.defRange == b.DefRange() {
		return r
	}
	return nil
}

// namingSteps is the index of the last step of an absolute traversal that
// names a thing rather than reading an attribute of a value: 1 in var.x,
// local.x, each.value, count.index, path.module and aws_s3_bucket.b (for a
// resource the module declares); 2 in data.t.n and module.m.out; 0 (the
// root alone) otherwise, as in the variable of a for expression.
func (m *module) namingSteps(tr hcl.Traversal) int {
	root := tr.RootName()
	switch root {
	case "var", "local", "each", "count", "path", "terraform":
		return 1
	case "data", "module":
		return 2
	}
	if name, ok := attrStep(tr, 1); ok {
		if _, declared := m.resources[root+"."+name]; declared {
			return 1
		}
	}
	return 0
}

// moduleSource classifies a module source: a local path resolved against
// the calling module's directory, or a remote source that is never fetched.
func moduleSource(callerDir, source string) (dir string, local bool) {
	if strings.HasPrefix(source, "./") || strings.HasPrefix(source, "../") || source == "." || source == ".." {
		return filepath.ToSlash(filepath.Clean(filepath.Join(callerDir, source))), true
	}
	return "", false
}

// sortedKeys returns the keys of m in order, for deterministic iteration.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
