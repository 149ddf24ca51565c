package cloudformation

import (
	_ "embed" // SAM's policy templates
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
)

// SAM policy templates that grant S3 or KMS permissions, as SAM defines
// them (see data/SOURCES.md).
//
//go:embed data/sam_policy_templates.json
var samTemplatesJSON []byte

const samTemplatesFile = "<SAM policy templates>"

var (
	samOnce      sync.Once
	samTemplates map[string]*graph.Node // name → Definition
)

func samTemplate(name string) *graph.Node {
	samOnce.Do(func() {
		samTemplates = map[string]*graph.Node{}
		root, err := jsonpos.Parse(samTemplatesJSON, func(int, int) graph.Range {
			return graph.Range{File: samTemplatesFile}
		}, jsonpos.Options{})
		if err != nil {
			// Embedded and tested; a broken copy simply expands nothing.
			return
		}
		for _, f := range root.Get("Templates").Fields {
			samTemplates[f.Key] = f.Value.Get("Definition")
		}
	})
	return samTemplates[name]
}

// samFunction models the role SAM creates for an AWS::Serverless::Function
// (logical ID <Function>Role) with the policies the function lists:
// managed policy names or ARNs, inline documents, and policy templates
// expanded to the statements SAM generates. A function with its own Role
// uses that role, and SAM ignores Policies.
func (a *adapter) samFunction(r *resource) {
	if r.props == nil || r.prop("Role") != nil {
		return
	}
	// The role is added to the template (addSAMRoles) and becomes a
	// principal like any other.
	role, ok := a.byID[r.id+"Role"].(*graph.Principal)
	if !ok {
		return
	}
	pf := r.props.Field("Policies")
	if pf == nil {
		return
	}
	items := []*graph.Node{pf.Value}
	if pf.Value.Kind == graph.KindList {
		items = pf.Value.List
	}
	for _, item := range items {
		f := &graph.Field{Key: "Policies", KeyRange: item.Range, Value: item}
		switch {
		case item.Kind == graph.KindString:
			role.ManagedARNs = append(role.ManagedARNs, graph.StringOf(managedPolicyARN(item.Str), item.Range))
		case item.Kind != graph.KindObject:
		case item.Get("Statement") != nil:
			for _, pol := range a.policies(r, &graph.Node{Kind: graph.KindObject, Fields: []graph.Field{*f}}, "Policies", graph.IdentityPolicy) {
				pol.AttachTo(role)
			}
		case len(item.Fields) == 1 && samTemplate(item.Fields[0].Key) != nil:
			a.samPolicy(r, role, item.Fields[0])
		default:
			if _, _, isFn := intrinsic(item); isFn {
				a.attachManaged(role, item)
			}
		}
	}
}

// samPolicy expands one policy template use ({S3ReadPolicy: {BucketName:
// x}}) into the policy SAM generates, located at the use.
func (a *adapter) samPolicy(r *resource, role *graph.Principal, use graph.Field) {
	def := samTemplate(use.Key)
	args := map[string]*graph.Node{}
	for _, f := range use.Value.Fields {
		args[f.Key] = f.Value
	}
	at := graph.Range{File: use.KeyRange.File, Start: use.KeyRange.Start, End: use.Value.Range.End}
	for _, name := range samParameters(def) {
		if args[name] == nil {
			// The SAM transform fails; the policy is unknown.
			a.l.reportError(at, fmt.Sprintf("policy template %s needs its parameter %s", use.Key, name))
			args[name] = unknownAt(at)
		}
	}
	doc := substitute(def, args)
	holder := &graph.Node{Kind: graph.KindObject, Fields: []graph.Field{{Key: use.Key, KeyRange: use.KeyRange, Value: doc}}}
	for _, pol := range a.policies(r, holder, use.Key, graph.IdentityPolicy) {
		if pol.Doc != nil {
			relocate(pol.Doc, at)
		}
		pol.DocRange = at
		pol.Name = graph.StringOf(use.Key, use.KeyRange)
		pol.AttachTo(role)
	}
}

// substitute replaces {"Ref": Param} of a template definition with the
// value the user gave.
func substitute(n *graph.Node, args map[string]*graph.Node) *graph.Node {
	if name, ok := refName(n); ok {
		if v, given := args[name]; given {
			return v
		}
		return n
	}
	out := *n
	out.Fields, out.List = nil, nil
	for _, f := range n.Fields {
		out.Fields = append(out.Fields, graph.Field{Key: f.Key, KeyRange: f.KeyRange, Value: substitute(f.Value, args)})
	}
	for _, e := range n.List {
		out.List = append(out.List, substitute(e, args))
	}
	return &out
}

// relocate gives every part of an expanded template that has no place in
// the user's file the range of the template use.
func relocate(doc *graph.Document, at graph.Range) {
	fix := func(r *graph.Range) {
		if r.File == samTemplatesFile || r.File == "" {
			*r = at
		}
	}
	fix(&doc.Range)
	for _, st := range doc.Statements {
		fix(&st.Range)
		fix(&st.Effect.Range)
		for _, s := range []*graph.Strings{&st.Action, &st.NotAction, &st.Resource, &st.NotResource} {
			fix(&s.Range)
			fix(&s.KeyRange)
			for i := range s.Items {
				fix(&s.Items[i].Range)
			}
		}
	}
}

// managedPolicyARN turns a managed policy name as SAM accepts it into an ARN.
func managedPolicyARN(s string) string {
	if strings.HasPrefix(s, "arn:") {
		return s
	}
	return "arn:aws:iam::aws:policy/" + s
}

// samParameters lists the parameters a template definition refers to.
func samParameters(def *graph.Node) []string {
	seen := map[string]bool{}
	var walk func(*graph.Node)
	walk = func(n *graph.Node) {
		if name, ok := refName(n); ok && !strings.HasPrefix(name, "AWS::") {
			seen[name] = true
			return
		}
		for _, f := range n.Fields {
			walk(f.Value)
		}
		for _, e := range n.List {
			walk(e)
		}
	}
	walk(def)
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
