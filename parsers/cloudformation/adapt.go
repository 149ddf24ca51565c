package cloudformation

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// adapter turns the resources of one template into graph entities and links
// them: policies to roles, users and groups, bucket policies to buckets.
type adapter struct {
	l    *loader
	t    *template
	e    *evaluator
	byID map[string]any // logical ID → entity
	// managed holds the managed policies by logical ID: one per branch of
	// its undecided conditions.
	managed map[string][]*graph.Policy
	names   graph.PrincipalNames
	links   []func()
}

func (l *loader) adapt(t *template, e *evaluator) {
	a := &adapter{l: l, t: t, e: e, byID: map[string]any{}, managed: map[string][]*graph.Policy{},
		names: graph.PrincipalNames{}}
	for _, r := range t.resources {
		if r.condition != "" && e.cond(r.condition, r.keyRange) == falseTri {
			// Never created.
			continue
		}
		a.resource(r)
	}
	for _, link := range a.links {
		link()
	}
}

func (a *adapter) entity(r *resource) graph.Entity {
	rng := r.node.Range
	rng.Start = r.keyRange.Start
	e := graph.Entity{Address: r.address(), Type: r.typ, Format: graph.CloudFormation, Range: rng,
		Provider: "stack " + a.t.file, Account: a.t.account, Region: a.t.region, Root: a.t.file,
		Condition: a.undecidedCondition(r)}
	if e.Address != r.id {
		e.LogicalID = r.id
	}
	return e
}

// undecidedCondition is the resource's Condition when it is not decided
// before deployment, else "".
func (a *adapter) undecidedCondition(r *resource) string {
	if r.condition == "" || a.e.cond(r.condition, r.keyRange) == trueTri {
		return ""
	}
	return r.condition
}

// str evaluates a property as a located string: unknown when it cannot be
// known, default "" (at the resource) when it is not set.
func (a *adapter) str(r *resource, name string) graph.String {
	p := r.prop(name)
	if p == nil {
		return graph.StringDefault("", r.keyRange)
	}
	v := a.e.eval(p)
	if v == nil {
		return graph.StringDefault("", p.Range)
	}
	if v.Kind == graph.KindList || v.Kind == graph.KindObject {
		return graph.StringUnknown(v.Range)
	}
	s := v.AsString()
	s.Range = v.Range
	return s
}

// policies reads a policy document property, once per branch that its
// Fn::If conditions can take.
func (a *adapter) policies(r *resource, holder *graph.Node, prop string, kind graph.PolicyKind) []*graph.Policy {
	f := holder.Field(prop)
	if f == nil {
		return nil
	}
	var out []*graph.Policy
	vs := a.e.variants(f.Value)
	for _, v := range vs {
		a.e.setAssign(v)
		n := a.e.eval(f.Value)
		a.e.setAssign(nil)
		if n == nil {
			continue
		}
		p := a.policyOf(r, n, f, kind)
		if len(vs) > 1 {
			// Alternatives: only the one whose conditions hold is in place.
			p.Variant = &graph.Variant{Group: f.KeyRange.String(), When: v}
		}
		out = append(out, p)
	}
	return out
}

func (a *adapter) policyOf(r *resource, doc *graph.Node, f *graph.Field, kind graph.PolicyKind) *graph.Policy {
	p := &graph.Policy{Entity: a.entity(r), Kind: kind, DocRange: graph.Range{File: f.KeyRange.File, Start: f.KeyRange.Start, End: f.Value.Range.End}}
	if doc.Kind == graph.KindString {
		// Some templates give the document as a JSON string.
		if n, err := parseJSONString(doc); err == nil {
			doc = n
		}
	}
	if doc.Kind != graph.KindUnknown {
		p.Doc = policy.Parse(doc)
	}
	a.l.g.Policies = append(a.l.g.Policies, p)
	return p
}

func (a *adapter) resource(r *resource) {
	g := a.l.g
	switch r.typ {
	case "AWS::S3::Bucket":
		b := &graph.Bucket{Entity: a.entity(r), Name: a.str(r, "BucketName")}
		if b.Name.Origin == graph.Default || graph.HasSymbol(b.Name.V) {
			b.Name = graph.StringUnknown(r.keyRange)
		}
		if arn := a.e.getAtt(r.id, "Arn", r.keyRange); arn.Kind == graph.KindString {
			b.ARN = graph.StringOf(arn.Str, r.keyRange)
		} else {
			b.ARN = graph.StringUnknown(r.keyRange)
		}
		g.Buckets = append(g.Buckets, b)
		a.byID[r.id] = b
		a.bucketLogging(r, b)
		a.replication(r, b)
		a.reports(r, b)
		// After every resource, so the key it encrypts with exists.
		a.links = append(a.links, func() { a.bucketSettings(r, b) })
	case "AWS::CloudTrail::Trail", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer",
		"AWS::EC2::FlowLog", "AWS::CloudFront::Distribution", "AWS::Config::DeliveryChannel", "AWS::WAFv2::LoggingConfiguration":
		a.delivery(r)
	case "AWS::S3::BucketPolicy":
		for _, p := range a.policies(r, r.props, "PolicyDocument", graph.BucketPolicy) {
			p.BucketRef = a.str(r, "Bucket")
			p.BucketFromInput = !p.BucketRef.Known() && a.fromInputs(r.prop("Bucket"), 0)
			a.linkBucket(p, r.prop("Bucket"))
		}
	case "AWS::S3::AccessPoint":
		a.accessPoint(r)
	case "AWS::EC2::VPCEndpoint":
		e := &graph.Endpoint{Entity: a.entity(r), Service: a.str(r, "ServiceName"),
			ID: graph.StringOf(graph.SymbolicID(r.id, a.t.file), r.keyRange)}
		a.endpointDetails(r, e)
		g.Endpoints = append(g.Endpoints, e)
		if ps := a.policies(r, r.props, "PolicyDocument", graph.EndpointPolicy); len(ps) > 0 {
			e.Policy = ps[0]
		}
	case "AWS::KMS::Key", "AWS::KMS::ReplicaKey":
		// A replica of a multi-Region key has a key policy of its own.
		k := &graph.Key{Entity: a.entity(r), ARN: graph.StringOf(a.t.keyARN(r.id), r.keyRange)}
		if r.typ == "AWS::KMS::ReplicaKey" {
			k.ARN = graph.StringUnknown(r.keyRange)
			if arn, ok := a.e.replicaKeyARN(r); ok {
				k.ARN = graph.StringOf(arn, r.keyRange)
			}
		}
		g.Keys = append(g.Keys, k)
		a.byID[r.id] = k
		if ps := a.policies(r, r.props, "KeyPolicy", graph.KeyPolicy); len(ps) > 0 {
			k.Policy = ps[0]
		}
	case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
		a.principal(r)
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		for _, p := range a.policies(r, r.props, "PolicyDocument", graph.IdentityPolicy) {
			p.Name = a.str(r, "PolicyName")
			if r.typ == "AWS::IAM::ManagedPolicy" {
				p.Name = a.str(r, "ManagedPolicyName")
				if arn := a.e.refResource(r, r.keyRange); arn.Kind == graph.KindString {
					p.ARN = graph.StringOf(arn.Str, r.keyRange)
				}
				a.managed[r.id] = append(a.managed[r.id], p)
			}
			for _, pk := range []struct {
				kind graph.PrincipalKind
				prop string
			}{{graph.Role, "Roles"}, {graph.User, "Users"}, {graph.Group, "Groups"}} {
				a.attachAll(p, pk.kind, r.prop(pk.prop))
			}
		}
	case "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy":
		kind, prop := graph.Role, "RoleName"
		switch r.typ {
		case "AWS::IAM::UserPolicy":
			kind, prop = graph.User, "UserName"
		case "AWS::IAM::GroupPolicy":
			kind, prop = graph.Group, "GroupName"
		}
		for _, p := range a.policies(r, r.props, "PolicyDocument", graph.IdentityPolicy) {
			p.Name = a.str(r, "PolicyName")
			a.attachOne(p, kind, r.prop(prop))
		}
	case "AWS::Serverless::Function":
		if a.t.sam {
			// After every resource, so the role SAM adds exists.
			a.links = append(a.links, func() { a.samFunction(r) })
		}
	default:
		if name, ok := strings.CutPrefix(r.typ, "Custom::"); ok && strings.Contains(strings.ToLower(name), "keypolicy") {
			// After every resource, so the keys exist.
			a.links = append(a.links, func() { a.customResourceKeys(r) })
		}
	}
}

// customResourceKeys marks the keys of the template that a custom resource
// named for updating key policies (Custom::KmsKeyPolicyUpdater, which the
// AWS Solutions Constructs use to add a distribution to a key policy)
// receives by Ref, GetAtt or Sub: its code runs at deployment and may add
// statements to their key policies. Custom resources that merely use a key
// (seeding objects, SDK calls) are not taken to change its policy.
func (a *adapter) customResourceKeys(r *resource) {
	var walk func(n *graph.Node, depth int)
	walk = func(n *graph.Node, depth int) {
		if n == nil || depth > maxDepth {
			return
		}
		if k, ok := a.byID[refID(n)].(*graph.Key); ok && k.AmendedBy == "" {
			k.AmendedBy = r.address()
		}
		for _, e := range n.List {
			walk(e, depth+1)
		}
		for _, f := range n.Fields {
			walk(f.Value, depth+1)
		}
	}
	walk(r.props, 0)
}

func (a *adapter) principal(r *resource) {
	kind, nameProp, arnKind := graph.Role, "RoleName", "role"
	switch r.typ {
	case "AWS::IAM::User":
		kind, nameProp, arnKind = graph.User, "UserName", "user"
	case "AWS::IAM::Group":
		kind, nameProp, arnKind = graph.Group, "GroupName", "group"
	}
	p := &graph.Principal{Entity: a.entity(r), Kind: kind, Name: a.str(r, nameProp)}
	if p.Name.Origin == graph.Default || graph.HasSymbol(p.Name.V) {
		p.Name = graph.StringUnknown(r.keyRange)
	}
	if arn := a.e.iamARN(r, arnKind, nameProp, r.keyRange); arn.Kind == graph.KindString {
		p.ARN = graph.StringOf(arn.Str, r.keyRange)
	} else {
		p.ARN = graph.StringUnknown(r.keyRange)
	}
	a.l.g.Principals = append(a.l.g.Principals, p)
	a.byID[r.id] = p
	a.names.Add(p)
	if r.props == nil {
		return
	}
	if kind == graph.Role {
		if ts := a.policies(r, r.props, "AssumeRolePolicyDocument", graph.TrustPolicy); len(ts) > 0 {
			p.Trust = ts[0]
		}
	}
	a.inlinePolicies(r, p, r.prop("Policies"))
	a.managedARNs(p, r.prop("ManagedPolicyArns"))
	if kind != graph.Group {
		p.BoundaryARN = a.str(r, "PermissionsBoundary")
		a.links = append(a.links, func() {
			if pols := a.managed[refID(r.prop("PermissionsBoundary"))]; len(pols) > 0 {
				p.Boundary = pols[0]
			}
		})
	}
	if kind == graph.User {
		if groups := r.prop("Groups"); groups != nil && groups.Kind == graph.KindList {
			a.links = append(a.links, func() {
				for _, gn := range groups.List {
					if grp := a.find(graph.Group, gn); grp != nil {
						p.Groups = append(p.Groups, grp)
					}
				}
			})
		}
	}
}

// inlinePolicies reads Policies: [{PolicyName, PolicyDocument}] of a role,
// user or group.
func (a *adapter) inlinePolicies(r *resource, p *graph.Principal, list *graph.Node) {
	for _, item := range a.items(list) {
		if item.Kind != graph.KindObject {
			continue
		}
		for _, pol := range a.policies(r, item, "PolicyDocument", graph.IdentityPolicy) {
			if n := item.Get("PolicyName"); n != nil {
				pol.Name = stringOf(a.e.eval(n))
			}
			pol.AttachTo(p)
		}
	}
}

// managedARNs attaches ManagedPolicyArns: managed policies of the template
// by reference, others kept as ARNs.
func (a *adapter) managedARNs(p *graph.Principal, list *graph.Node) {
	for _, item := range a.items(list) {
		a.links = append(a.links, func() { a.attachManaged(p, item) })
	}
}

// attachManaged attaches a managed policy given by reference to one in the
// template (every branch of it), or records the ARN.
func (a *adapter) attachManaged(p *graph.Principal, item *graph.Node) {
	if pols := a.managed[refID(item)]; len(pols) > 0 {
		for _, pol := range pols {
			pol.AttachTo(p)
		}
		return
	}
	if v := a.e.eval(item); v != nil {
		p.ManagedARNs = append(p.ManagedARNs, stringOf(v))
	}
}

// items lists the entries of a list property. An entry that is a
// condition (Fn::If) becomes the value of each branch that can be taken,
// and AWS::NoValue removes it.
func (a *adapter) items(list *graph.Node) []*graph.Node {
	if list == nil || list.Kind != graph.KindList {
		return nil
	}
	var out []*graph.Node
	for _, item := range list.List {
		if fn, _, ok := intrinsic(item); !ok || fn != "Fn::If" {
			out = append(out, item)
			continue
		}
		for _, v := range a.e.variants(item) {
			a.e.setAssign(v)
			if x := a.e.eval(item); x != nil {
				out = append(out, x)
			}
			a.e.setAssign(nil)
		}
	}
	return out
}

func (a *adapter) attachAll(pol *graph.Policy, kind graph.PrincipalKind, list *graph.Node) {
	for _, item := range a.items(list) {
		a.attachOne(pol, kind, item)
	}
}

func (a *adapter) attachOne(pol *graph.Policy, kind graph.PrincipalKind, item *graph.Node) {
	if item == nil {
		return
	}
	a.links = append(a.links, func() { pol.AttachTo(a.find(kind, item)) })
}

// find resolves a role, user or group named by reference or by name.
func (a *adapter) find(kind graph.PrincipalKind, n *graph.Node) *graph.Principal {
	if p, ok := a.byID[refID(n)].(*graph.Principal); ok {
		return p
	}
	if v := a.e.eval(n); v != nil && v.Kind == graph.KindString {
		return a.names.Find(kind, v.Str)
	}
	return nil
}

func (a *adapter) linkBucket(p *graph.Policy, ref *graph.Node) {
	a.links = append(a.links, func() {
		if b, ok := a.byID[refID(ref)].(*graph.Bucket); ok {
			p.Bucket = b
			b.Policies = append(b.Policies, p)
		}
	})
}

// fromInputs reports whether a value is built only from literals,
// parameters and pseudo parameters (other than through Fn::ImportValue,
// Fn::GetAtt or a Ref to a resource): when it is not known, it is an input
// without a value, which may name any bucket of the template, rather than
// something another stack or resource names.
func (a *adapter) fromInputs(n *graph.Node, depth int) bool {
	if n == nil {
		return true
	}
	if depth > maxDepth {
		return false
	}
	switch n.Kind {
	case graph.KindList:
		for _, e := range n.List {
			if !a.fromInputs(e, depth+1) {
				return false
			}
		}
	case graph.KindObject:
		for _, f := range n.Fields {
			switch f.Key {
			case "Fn::ImportValue", "Fn::GetStackOutput", "Fn::GetAtt", "Fn::GetAZs", "Fn::Transform":
				return false
			case "Ref":
				if f.Value.Kind == graph.KindString && a.t.byID[f.Value.Str] != nil {
					return false
				}
			case "Fn::Sub":
				text := f.Value
				if text.Kind == graph.KindList && len(text.List) > 0 {
					text = text.List[0]
				}
				if text.Kind == graph.KindString {
					// ${Resource} and ${Resource.Attr} name resources;
					// the Sub's own variables are judged below.
					for _, name := range subNames(text.Str) {
						if strings.Contains(name, ".") || a.t.byID[name] != nil {
							return false
						}
					}
				}
			}
			if !a.fromInputs(f.Value, depth+1) {
				return false
			}
		}
	}
	return true
}

// refID returns the logical ID a value refers to: {"Ref": id},
// {"Fn::GetAtt": [id, …]}, or {"Fn::Sub": "${id}"} / "${id.Attr}".
func refID(n *graph.Node) string {
	fn, arg, ok := intrinsic(n)
	if !ok {
		return ""
	}
	switch fn {
	case "Ref":
		if arg.Kind == graph.KindString {
			return arg.Str
		}
	case "Fn::GetAtt":
		if arg.Kind == graph.KindList && len(arg.List) > 0 && arg.List[0].Kind == graph.KindString {
			return arg.List[0].Str
		}
	case "Fn::Sub":
		if arg.Kind == graph.KindString && strings.HasPrefix(arg.Str, "${") && strings.HasSuffix(arg.Str, "}") &&
			strings.Count(arg.Str, "${") == 1 {
			id, _, _ := strings.Cut(arg.Str[2:len(arg.Str)-1], ".")
			return id
		}
	}
	return ""
}

// stringOf reads an evaluated value as a located string.
func stringOf(n *graph.Node) graph.String {
	if n == nil {
		return graph.StringUnknown(graph.Range{})
	}
	if n.Kind == graph.KindList || n.Kind == graph.KindObject {
		return graph.StringUnknown(n.Range)
	}
	return n.AsString()
}
