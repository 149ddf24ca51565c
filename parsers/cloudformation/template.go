package cloudformation

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// template is one CloudFormation template, parsed but not evaluated.
type template struct {
	file       string
	root       *graph.Node
	parameters map[string]*graph.Node // the parameter declarations
	mappings   *graph.Node
	conditions map[string]*graph.Node
	resources  []*resource // in source order
	byID       map[string]*resource
	sam        bool // Transform: AWS::Serverless-2016-10-31
	// transformed templates are rewritten by macros before deployment, so
	// they may refer to resources the template does not show.
	transformed bool
	account     graph.Account
	// region is the stack's region when a CDK manifest gives it, else "".
	region string
}

// resource is one entry of Resources.
type resource struct {
	id         string // logical ID
	typ        string
	node       *graph.Node // the whole entry
	props      *graph.Node // Properties, or nil
	condition  string      // the Condition attribute
	cdkPath    string      // Metadata aws:cdk:path, for CDK output
	keyRange   graph.Range // the logical ID as written
	propsRange graph.Range
	// samFunction is the function whose execution role this is, for the
	// roles the SAM transform adds.
	samFunction *resource
}

// address names the resource in messages: its CDK path when the CDK wrote
// the template, otherwise its logical ID.
func (r *resource) address() string {
	if r.samFunction != nil {
		return r.samFunction.address() + "Role"
	}
	if r.cdkPath != "" {
		return r.cdkPath
	}
	return r.id
}

// prop returns a property's raw node, or nil.
func (r *resource) prop(name string) *graph.Node {
	return r.props.Get(name)
}

// isTemplate tells a CloudFormation template from other YAML and JSON: a
// top-level AWSTemplateFormatVersion, or Resources whose entries all have a
// Type of the form Org::Service::Resource (registry extensions such as
// Datadog::Monitors::Monitor included), at least one of them AWS::….
func isTemplate(root *graph.Node) bool {
	if root == nil || root.Kind != graph.KindObject {
		return false
	}
	if root.Get("AWSTemplateFormatVersion") != nil {
		return true
	}
	res := root.Get("Resources")
	if res == nil || res.Kind != graph.KindObject || len(res.Fields) == 0 {
		return false
	}
	aws := false
	for _, f := range res.Fields {
		if strings.HasPrefix(f.Key, "Fn::ForEach::") || f.Key == "Fn::Transform" {
			continue
		}
		t := f.Value.Get("Type")
		if t == nil || t.Kind != graph.KindString || !strings.Contains(t.Str, "::") {
			return false
		}
		aws = aws || strings.HasPrefix(t.Str, "AWS::")
	}
	return aws
}

// newTemplate reads the sections of a template. Problems of shape are
// returned as diagnostics.
func newTemplate(file string, root *graph.Node) (*template, []graph.Diagnostic) {
	t := &template{
		file: file, root: root, parameters: map[string]*graph.Node{}, conditions: map[string]*graph.Node{},
		byID: map[string]*resource{}, account: graph.SymbolicAccount("stack " + file),
	}
	var diags []graph.Diagnostic
	bad := func(r graph.Range, msg string) {
		diags = append(diags, graph.Diagnostic{Severity: graph.DiagError, Range: r, File: file, Message: msg})
	}
	params := root.Get("Parameters")
	if params == nil {
		// A module fragment inlined into its parent template may declare
		// its parameters as Inputs (aws-cloudformation-templates'
		// LocalModules examples): the parent gives their values.
		params = root.Get("Inputs")
	}
	if params != nil && params.Kind == graph.KindObject {
		for _, f := range params.Fields {
			t.parameters[f.Key] = f.Value
		}
	}
	t.mappings = root.Get("Mappings")
	if c := root.Get("Conditions"); c != nil && c.Kind == graph.KindObject {
		for _, f := range c.Fields {
			t.conditions[f.Key] = f.Value
		}
	}
	t.transformed = root.Get("Transform") != nil
	if v := root.Get("AWSTemplateFormatVersion"); v != nil && v.Kind == graph.KindString && v.Str != "2010-09-09" {
		// CloudFormation knows no other version: another is the dialect
		// of a tool that rewrites the template first (org-formation's
		// 2010-09-09-OC binds references to other accounts' stacks), and
		// may supply what it refers to.
		t.transformed = true
	}
	switch tr := root.Get("Transform"); {
	case tr == nil:
	case tr.Kind == graph.KindString:
		t.sam = strings.HasPrefix(tr.Str, "AWS::Serverless")
	case tr.Kind == graph.KindList:
		for _, e := range tr.List {
			t.sam = t.sam || e.Kind == graph.KindString && strings.HasPrefix(e.Str, "AWS::Serverless")
		}
	}
	res := root.Get("Resources")
	switch {
	case res == nil:
		bad(root.Range, "the template has no Resources section")
		return t, diags
	case res.Kind != graph.KindObject:
		bad(res.Range, "Resources must be a mapping of logical IDs to resources")
		return t, diags
	}
	for _, f := range res.Fields {
		if f.Key == "Fn::Transform" {
			// AWS::Include and other macros add resources at deployment.
			t.transformed = true
			continue
		}
		if strings.HasPrefix(f.Key, "Fn::ForEach::") {
			// AWS::LanguageExtensions loops are not expanded.
			diags = append(diags, graph.Diagnostic{Severity: graph.DiagNote, Range: f.KeyRange, File: file,
				Message: f.Key + " is not expanded: the resources it makes are not checked"})
			continue
		}
		r := &resource{id: f.Key, node: f.Value, keyRange: f.KeyRange}
		if f.Value.Kind != graph.KindObject {
			bad(f.Value.Range, "resource "+f.Key+" must be a mapping with a Type")
			continue
		}
		typ := f.Value.Get("Type")
		if typ == nil || typ.Kind != graph.KindString {
			bad(f.Value.Range, "resource "+f.Key+" has no Type")
			continue
		}
		r.typ = typ.Str
		if strings.HasSuffix(r.typ, "::MODULE") {
			// A module expands into resources <ModuleID><ResourceID>.
			t.transformed = true
		}
		if p := f.Value.Field("Properties"); p != nil {
			r.props, r.propsRange = p.Value, p.KeyRange
			if p.Value.Kind != graph.KindObject {
				bad(p.Value.Range, "Properties of "+f.Key+" must be a mapping")
				r.props = nil
			}
		}
		if c := f.Value.Get("Condition"); c != nil && c.Kind == graph.KindString {
			r.condition = c.Str
		}
		if m := f.Value.Get("Metadata"); m != nil {
			if p := m.Get("aws:cdk:path"); p != nil && p.Kind == graph.KindString {
				r.cdkPath = p.Str
			}
		}
		if _, dup := t.byID[r.id]; dup {
			bad(f.KeyRange, "duplicate logical ID "+r.id)
			continue
		}
		t.byID[r.id] = r
		t.resources = append(t.resources, r)
	}
	if t.sam {
		t.addSAMRoles()
	}
	return t, diags
}

// addSAMRoles adds the execution role that the SAM transform creates for a
// function without a Role (logical ID <Function>Role), so that references
// to it resolve and the function's policies have a principal.
func (t *template) addSAMRoles() {
	for _, r := range t.resources {
		if r.typ != "AWS::Serverless::Function" || r.prop("Role") != nil {
			continue
		}
		id := r.id + "Role"
		if t.byID[id] != nil {
			continue
		}
		role := &resource{id: id, typ: "AWS::IAM::Role", node: r.node, keyRange: r.keyRange, samFunction: r,
			condition: r.condition}
		t.byID[id] = role
		t.resources = append(t.resources, role)
	}
}
