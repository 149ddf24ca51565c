package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// adapter turns the evaluated resources of one root module (and the modules
// it calls) into graph entities and links them: policies to the roles,
// users and groups they are attached to, bucket policies to buckets, key
// policies to keys.
type adapter struct {
	l          *loader
	entities   map[*resInstance]any
	principals graph.PrincipalNames
	policies   map[string]*graph.Policy // managed policies by ARN
	links      []func()
	deps       *depWalker
	// recorders are the roles of the Config recorders, by module instance.
	recorders map[*instance]graph.String
	// elsewhere are the provider configurations whose S3 resources are
	// not AWS's (a custom S3 endpoint), noted once each.
	elsewhere map[*providerInfo]bool
	// bucketOfSetting is the bucket each setting names (bucketOf).
	bucketOfSetting map[any]*graph.Bucket
}

func (l *loader) adapt(root *instance) {
	a := &adapter{
		l: l, entities: map[*resInstance]any{},
		principals: graph.PrincipalNames{},
		policies:   map[string]*graph.Policy{},
		deps:       newDepWalker(),
	}
	a.walk(root)
	// Links may add links that must run after every other (see
	// aws_config_delivery_channel).
	for len(a.links) > 0 {
		link := a.links[0]
		a.links = a.links[1:]
		link()
	}
}

func (a *adapter) walk(in *instance) {
	for _, d := range in.mod.resOrder {
		rs := in.resources[d.key]
		if rs == nil {
			continue
		}
		for _, ri := range rs.insts {
			if ri.body != nil {
				a.resource(ri)
			}
			a.l.g.AddDependencies(ri.in.root.mod.dir, ri.addr, a.deps.dependencies(ri)...)
		}
	}
	for _, c := range in.mod.callOrder {
		if cs := in.children[c.name]; cs != nil {
			for _, ci := range cs.insts {
				a.walk(ci)
			}
		}
	}
}

func (a *adapter) entity(ri *resInstance) graph.Entity {
	return graph.Entity{
		Address: ri.addr, Type: ri.decl.typ, Format: graph.Terraform, Range: a.l.rng(ri.decl.rng),
		Provider: ri.prov.key, Account: ri.prov.account, Partition: ri.prov.knownPartition(), Region: resourceRegion(ri), Root: ri.in.root.mod.dir,
	}
}

// resourceRegion is the region a resource deploys to: its own region
// argument (AWS provider 6), else its provider's; "" when unknown.
func resourceRegion(ri *resInstance) string {
	if ri.body != nil {
		if at := ri.body.attr("region"); at != nil {
			s, _ := asString(at.val)
			return s
		}
	}
	return ri.prov.region
}

// str reads an attribute as a located string: unknown when it cannot be
// known, default "" (at the block) when it is not set — or set to null,
// which Terraform takes as not set (a module's optional input passed
// through with a null default).
func (a *adapter) str(body *bodyContent, name string) graph.String {
	at := setArg(body, name)
	if at == nil {
		return graph.StringDefault("", a.l.rng(body.defRng))
	}
	r := a.l.rng(at.attr.Expr.Range())
	s, ok := asString(at.val)
	if !ok {
		return graph.StringUnknown(r)
	}
	return graph.StringOf(s, r)
}

// arn reads the synthesised ARN of the instance.
func (a *adapter) arn(ri *resInstance) graph.String { return a.synthesized(ri, "arn") }

// synthesized reads an attribute that AWS assigns (arn, id) as the loader
// synthesised it, located at the block header.
func (a *adapter) synthesized(ri *resInstance, name string) graph.String {
	r := a.l.rng(ri.decl.defRange)
	obj := ri.value()
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return graph.StringUnknown(r)
	}
	v := obj.GetAttr(name)
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return graph.StringUnknown(r)
	}
	return graph.StringOf(v.AsString(), r)
}

// policy reads a policy document attribute.
func (a *adapter) policy(ri *resInstance, body *bodyContent, attr string, kind graph.PolicyKind) *graph.Policy {
	at := body.attr(attr)
	if at == nil || at.val.IsNull() {
		return nil
	}
	p := &graph.Policy{Entity: a.entity(ri), Kind: kind, DocRange: a.l.rng(at.attr.Range)}
	n := a.l.docNode(at.val, &origin{expr: at.attr.Expr, in: ri.in, sc: ri.sc}, a.l.rng(at.attr.Expr.Range()))
	if n.Kind != graph.KindUnknown {
		p.Doc = policy.Parse(n)
	}
	a.l.g.Policies = append(a.l.g.Policies, p)
	return p
}

func (a *adapter) resource(ri *resInstance) {
	if strings.HasPrefix(ri.decl.typ, "aws_s3") && ri.prov.customS3 != (hcl.Range{}) {
		// An S3-compatible store (MinIO, LocalStack, Ceph…): AWS's
		// defaults and checks are not its own.
		if !a.elsewhere[ri.prov] {
			if a.elsewhere == nil {
				a.elsewhere = map[*providerInfo]bool{}
			}
			a.elsewhere[ri.prov] = true
			a.l.note(ri.prov.customS3, "%s", policy.CustomEndpointNote(ri.prov.key))
		}
		return
	}
	g := a.l.g
	body := ri.body
	switch ri.decl.mode + "." + ri.decl.typ {
	case "resource.aws_s3_bucket":
		b := &graph.Bucket{Entity: a.entity(ri), Name: a.str(body, "bucket"), ARN: a.arn(ri)}
		if b.Name.Origin == graph.Default {
			// No bucket argument: AWS generates a name.
			b.Name = graph.StringUnknown(b.Range)
		}
		g.Buckets = append(g.Buckets, b)
		a.entities[ri] = b
		if p := a.policy(ri, body, "policy", graph.BucketPolicy); p != nil {
			p.Bucket, p.BucketRef = b, b.Name
			b.Policies = append(b.Policies, p)
		}
		a.bucketInline(ri, b)
		a.bucketLogging(ri, b)
		if rc := body.block("replication_configuration"); rc != nil {
			a.replication(ri, rc, b.ARN, "rules", true)
		}
	case "resource.aws_s3_bucket_policy":
		if graph.DirectoryBucketName(a.str(body, "bucket")) {
			break // not a general purpose bucket's: not modelled
		}
		if p := a.policy(ri, body, "policy", graph.BucketPolicy); p != nil {
			p.BucketRef = a.str(body, "bucket")
			p.BucketFromInput = !p.BucketRef.Known() && fromInputs(ri.in.mod, body.attr("bucket"))
			a.linkBucket(p, ri, body.attr("bucket"))
		}
	case "resource.aws_vpc_endpoint":
		e := &graph.Endpoint{Entity: a.entity(ri), Service: a.str(body, "service_name"), ID: a.synthesized(ri, "id")}
		e.Type = a.strArg(body, "vpc_endpoint_type", "Gateway", e.Range)
		e.VpcID = a.strArg(body, "vpc_id", "", e.Range)
		g.Endpoints = append(g.Endpoints, e)
		a.entities[ri] = e
		e.Policy = a.policy(ri, body, "policy", graph.EndpointPolicy)
	case "resource.aws_vpc_endpoint_policy":
		p := a.policy(ri, body, "policy", graph.EndpointPolicy)
		if p != nil {
			a.links = append(a.links, func() {
				if e, ok := a.entities[a.refTarget(ri, body.attr("vpc_endpoint_id"))].(*graph.Endpoint); ok {
					e.Policy = p
				}
			})
		}
	case "resource.aws_kms_key", "resource.aws_kms_replica_key":
		// A replica of a multi-Region key has a key policy of its own.
		k := &graph.Key{Entity: a.entity(ri), ARN: a.arn(ri)}
		g.Keys = append(g.Keys, k)
		a.entities[ri] = k
		k.Policy = a.policy(ri, body, "policy", graph.KeyPolicy)
	case "resource.aws_kms_key_policy":
		p := a.policy(ri, body, "policy", graph.KeyPolicy)
		if p != nil {
			a.links = append(a.links, func() {
				if k, ok := a.entities[a.refTarget(ri, body.attr("key_id"))].(*graph.Key); ok {
					k.Policy = p
				}
			})
		}
	case "resource.aws_kms_grant":
		// A grant lets its grantee use the key for its operations,
		// whatever the key policy says.
		a.links = append(a.links, func() {
			if k, ok := a.entities[a.refTarget(ri, body.attr("key_id"))].(*graph.Key); ok {
				g := graph.KeyGrant{Address: ri.addr, Grantee: a.str(body, "grantee_principal"),
					Operations: graph.Strings{Present: true, Range: a.l.rng(ri.decl.rng)}}
				if at := body.attr("operations"); at != nil && at.val.IsKnown() && !at.val.IsNull() && at.val.CanIterateElements() {
					r := a.l.rng(at.attr.Expr.Range())
					for it := at.val.ElementIterator(); it.Next(); {
						_, e := it.Element()
						if op, ok := asString(e); ok {
							g.Operations.Items = append(g.Operations.Items, graph.StringOf(op, r))
						} else {
							g.Operations.Items = append(g.Operations.Items, graph.StringUnknown(r))
						}
					}
				} else {
					g.Operations.Unknown = true
				}
				k.Grants = append(k.Grants, g)
			}
		})
	case "resource.aws_iam_policy":
		p := a.policy(ri, body, "policy", graph.IdentityPolicy)
		if p != nil {
			p.Name, p.ARN = a.str(body, "name"), a.arn(ri)
			a.entities[ri] = p
			if p.ARN.Known() {
				a.policies[p.ARN.V] = p
			}
		}
	case "resource.aws_iam_role", "resource.aws_iam_user", "resource.aws_iam_group":
		a.principal(ri)
	case "resource.aws_iam_role_policy", "resource.aws_iam_user_policy", "resource.aws_iam_group_policy":
		kind, attr := principalAttr(ri.decl.typ)
		if p := a.policy(ri, body, "policy", graph.IdentityPolicy); p != nil {
			p.Name = a.str(body, "name")
			a.links = append(a.links, func() { p.AttachTo(a.findPrincipal(ri, kind, body.attr(attr))) })
		}
	case "resource.aws_iam_role_policy_attachment", "resource.aws_iam_user_policy_attachment",
		"resource.aws_iam_group_policy_attachment":
		kind, attr := principalAttr(ri.decl.typ)
		a.links = append(a.links, func() {
			a.attachARN(a.findPrincipal(ri, kind, body.attr(attr)), ri, body.attr("policy_arn"))
		})
	case "resource.aws_iam_policy_attachment":
		a.links = append(a.links, func() {
			for _, pk := range []struct {
				kind graph.PrincipalKind
				attr string
			}{{graph.Role, "roles"}, {graph.User, "users"}, {graph.Group, "groups"}} {
				at := body.attr(pk.attr)
				if at == nil {
					continue
				}
				found, unresolved := a.listPrincipals(ri, pk.kind, at)
				for _, p := range found {
					a.attachARN(p, ri, body.attr("policy_arn"))
				}
				if unresolved {
					a.maybeAttached(ri, pk.kind, at)
				}
			}
		})
	case "resource.aws_iam_user_group_membership":
		a.links = append(a.links, func() {
			u := a.findPrincipal(ri, graph.User, body.attr("user"))
			if at := body.attr("groups"); u != nil && at != nil {
				found, unresolved := a.listPrincipals(ri, graph.Group, at)
				u.Groups = append(u.Groups, found...)
				if unresolved {
					// In a group not known: its policies are not known.
					u.ManagedARNs = append(u.ManagedARNs, graph.StringUnknown(a.l.rng(at.attr.Expr.Range())))
				}
			}
		})
	case "resource.aws_iam_group_membership":
		a.links = append(a.links, func() {
			grp := a.findPrincipal(ri, graph.Group, body.attr("group"))
			if at := body.attr("users"); grp != nil && at != nil {
				found, unresolved := a.listPrincipals(ri, graph.User, at)
				for _, u := range found {
					u.Groups = append(u.Groups, grp)
				}
				if unresolved {
					a.maybeAttached(ri, graph.User, at)
				}
			}
		})
	case "resource.aws_s3_bucket_logging", "resource.aws_cloudtrail", "resource.aws_lb", "resource.aws_alb",
		"resource.aws_elb", "resource.aws_flow_log", "resource.aws_cloudfront_distribution",
		"resource.aws_config_delivery_channel", "resource.aws_config_configuration_recorder",
		"resource.aws_wafv2_web_acl_logging_configuration", "resource.aws_s3_bucket_replication_configuration",
		"resource.aws_s3_bucket_inventory", "resource.aws_s3_bucket_analytics_configuration",
		"resource.aws_route53_resolver_query_log_config", "resource.aws_networkfirewall_logging_configuration", "resource.aws_msk_cluster":
		a.delivery(ri)
	default:
		a.setting(ri)
	}
}

func principalAttr(typ string) (graph.PrincipalKind, string) {
	switch typ {
	case "aws_iam_user_policy", "aws_iam_user_policy_attachment":
		return graph.User, "user"
	case "aws_iam_group_policy", "aws_iam_group_policy_attachment":
		return graph.Group, "group"
	default:
		return graph.Role, "role"
	}
}

func (a *adapter) principal(ri *resInstance) {
	body := ri.body
	kind := map[string]graph.PrincipalKind{"aws_iam_role": graph.Role, "aws_iam_user": graph.User, "aws_iam_group": graph.Group}[ri.decl.typ]
	p := &graph.Principal{Entity: a.entity(ri), Kind: kind, Name: a.str(body, "name"), ARN: a.arn(ri)}
	a.l.g.Principals = append(a.l.g.Principals, p)
	a.entities[ri] = p
	a.principals.Add(p)
	if kind == graph.Role {
		p.Trust = a.policy(ri, body, "assume_role_policy", graph.TrustPolicy)
		for _, ib := range body.blocks["inline_policy"] {
			if pol := a.policy(ri, ib, "policy", graph.IdentityPolicy); pol != nil {
				pol.Name = a.str(ib, "name")
				pol.AttachTo(p)
			}
		}
		if at := body.attr("managed_policy_arns"); at != nil {
			a.links = append(a.links, func() { a.managedPolicyARNs(ri, p, at) })
		}
	}
	if kind != graph.Group {
		p.BoundaryARN = a.str(body, "permissions_boundary")
		a.links = append(a.links, func() {
			if p.BoundaryARN.Known() && p.BoundaryARN.V != "" {
				p.Boundary = a.policies[p.BoundaryARN.V]
			}
		})
	}
}

// findPrincipal finds the role, user or group an attribute names, by
// reference or by name.
func (a *adapter) findPrincipal(ri *resInstance, kind graph.PrincipalKind, at *attrValue) *graph.Principal {
	if at == nil {
		return nil
	}
	if p, ok := a.entities[a.refTarget(ri, at)].(*graph.Principal); ok {
		return p
	}
	if at.val.IsKnown() && !at.val.IsNull() && at.val.Type() == cty.String {
		// By name, or by ARN.
		return a.findByName(kind, at.val.AsString())
	}
	return nil
}

// findByName finds a principal of a kind by name or ARN, or by the symbol
// that stands for the name of one named at apply (taken out of its ARN by
// split or trimprefix).
func (a *adapter) findByName(kind graph.PrincipalKind, s string) *graph.Principal {
	if p := a.principals.Find(kind, s); p != nil || !strings.HasPrefix(s, "<name of ") {
		return p
	}
	for _, p := range a.l.g.Principals {
		if p.Kind == kind && namedAtApply(p) && p.ARN.Known() && strings.HasSuffix(p.ARN.V, "/"+s) {
			return p
		}
	}
	return nil
}

// managedPolicyARNs attaches the policies a role's managed_policy_arns
// names: by ARN, or by reference when the ARN is not known (a policy named
// at apply); an element that is neither is an unknown managed policy.
func (a *adapter) managedPolicyARNs(ri *resInstance, p *graph.Principal, at *attrValue) {
	r := a.l.rng(at.attr.Expr.Range())
	known := a.eachElement(ri, at, func(e cty.Value, target any) {
		if arn, ok := asString(e); ok {
			a.attachByARN(p, arn, r)
		} else if pol, ok := target.(*graph.Policy); ok {
			pol.AttachTo(p)
		} else {
			p.ManagedARNs = append(p.ManagedARNs, graph.StringUnknown(r))
		}
	})
	if !known {
		p.ManagedARNs = append(p.ManagedARNs, graph.StringUnknown(r))
	}
}

// eachElement calls fn with each element of a list attribute and, for an
// element whose value is not known, the entity its expression refers to
// (nil when it is not a reference to one, or the list is not written as a
// tuple). A null list has no elements; known is false when the list itself
// is not known.
func (a *adapter) eachElement(ri *resInstance, at *attrValue, fn func(e cty.Value, target any)) (known bool) {
	v := at.val
	if v.IsKnown() && v.IsNull() {
		return true
	}
	if !v.IsKnown() || !v.CanIterateElements() {
		return false
	}
	var exprs []hclsyntax.Expression
	if tup, ok := at.attr.Expr.(*hclsyntax.TupleConsExpr); ok && len(tup.Exprs) == v.LengthInt() {
		exprs = tup.Exprs
	}
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		var target any
		if !e.IsKnown() && exprs != nil {
			sub := &attrValue{attr: &hcl.Attribute{Name: at.attr.Name, Expr: exprs[i], Range: exprs[i].Range()}, val: e}
			target = a.entities[a.refTarget(ri, sub)]
		}
		fn(e, target)
	}
	return true
}

// listPrincipals finds the roles, users or groups a list attribute names:
// each element by name or ARN, or, when its value is not known (the name of
// a role named at apply, aws_iam_role.app.name), by reference.
// unresolved is set when some element names a principal that cannot be
// found that way.
func (a *adapter) listPrincipals(ri *resInstance, kind graph.PrincipalKind, at *attrValue) (found []*graph.Principal, unresolved bool) {
	known := a.eachElement(ri, at, func(e cty.Value, target any) {
		if s, ok := asString(e); ok {
			if p := a.findByName(kind, s); p != nil {
				found = append(found, p)
			}
		} else if p, ok := target.(*graph.Principal); ok && p.Kind == kind {
			found = append(found, p)
		} else {
			unresolved = true
		}
	})
	return found, unresolved || !known
}

// maybeAttached records, for the principals named at apply that a list
// element which could not be resolved may name, that a policy or group of
// ri may apply to them, so their identity policies are not known: the
// principals of the kind that the list's expression refers to
// (aws_iam_role.batch[*].name, a for expression over them), or, when it
// refers to none, every one of the kind in ri's root module. (A principal
// with a known name is looked up by name, as before.)
func (a *adapter) maybeAttached(ri *resInstance, kind graph.PrincipalKind, at *attrValue) {
	r := a.l.rng(at.attr.Expr.Range())
	mark := func(p *graph.Principal) {
		if p.Kind == kind && namedAtApply(p) {
			p.ManagedARNs = append(p.ManagedARNs, graph.StringUnknown(r))
		}
	}
	typ := map[graph.PrincipalKind]string{graph.Role: "aws_iam_role", graph.User: "aws_iam_user", graph.Group: "aws_iam_group"}[kind]
	if names, ok := onlyResources(at.attr.Expr, typ); ok {
		for _, name := range names {
			if rs := ri.in.resources[typ+"."+name]; rs != nil {
				for _, inst := range rs.insts {
					if p, ok := a.entities[inst].(*graph.Principal); ok {
						mark(p)
					}
				}
			}
		}
		return
	}
	for _, p := range a.l.g.Principals {
		if p.Root == ri.in.root.mod.dir {
			mark(p)
		}
	}
}

// onlyResources names the resources of a type that a list expression is
// made of, when it is made of nothing else: typ.NAME[*].x, a for
// expression over typ.NAME, a tuple of references to such resources, or
// toset/tolist of one of those. ok is false for anything else (a variable,
// a local, concat of several lists …), which may name any resource.
func onlyResources(expr hcl.Expression, typ string) (names []string, ok bool) {
	direct := func(e hclsyntax.Expression) (string, bool) {
		for {
			switch x := e.(type) {
			case *hclsyntax.ScopeTraversalExpr:
				if x.Traversal.RootName() != typ {
					return "", false
				}
				return attrStep(x.Traversal, 1)
			case *hclsyntax.RelativeTraversalExpr:
				e = x.Source
			case *hclsyntax.IndexExpr:
				e = x.Collection
			case *hclsyntax.SplatExpr:
				e = x.Source
			default:
				return "", false
			}
		}
	}
	switch x := expr.(type) {
	case *hclsyntax.SplatExpr:
		if n, ok := direct(x.Source); ok {
			return []string{n}, true
		}
	case *hclsyntax.ForExpr:
		if n, ok := direct(x.CollExpr); ok {
			return []string{n}, true
		}
	case *hclsyntax.FunctionCallExpr:
		if (x.Name == "toset" || x.Name == "tolist") && len(x.Args) == 1 {
			return onlyResources(x.Args[0], typ)
		}
	case *hclsyntax.TupleConsExpr:
		for _, e := range x.Exprs {
			n, ok := direct(e)
			if !ok {
				return nil, false
			}
			names = append(names, n)
		}
		return names, true
	}
	return nil, false
}

// namedAtApply reports whether a principal's name is not known before
// apply (not written, name_prefix, an input without a value).
func namedAtApply(p *graph.Principal) bool { return !p.Name.Known() || p.Name.V == "" }

// attachARN attaches the managed policy a policy_arn attribute names.
func (a *adapter) attachARN(p *graph.Principal, ri *resInstance, at *attrValue) {
	if p == nil || at == nil {
		return
	}
	if pol, ok := a.entities[a.refTarget(ri, at)].(*graph.Policy); ok {
		pol.AttachTo(p)
		return
	}
	if at.val.IsKnown() && !at.val.IsNull() && at.val.Type() == cty.String {
		a.attachByARN(p, at.val.AsString(), a.l.rng(at.attr.Expr.Range()))
		return
	}
	p.ManagedARNs = append(p.ManagedARNs, graph.StringUnknown(a.l.rng(at.attr.Expr.Range())))
}

func (a *adapter) attachByARN(p *graph.Principal, arn string, r graph.Range) {
	if pol := a.policies[arn]; pol != nil {
		pol.AttachTo(p)
		return
	}
	p.ManagedARNs = append(p.ManagedARNs, graph.StringOf(arn, r))
}

// bucketTarget is the bucket a bucket argument refers to. Besides the bucket
// itself, it may refer to a resource that configures the bucket and whose
// own bucket argument names it (aws_s3_bucket_policy.this.id, as modules
// write it to order the two), or choose between such references with a
// condition not known before deployment, when both lead to one bucket.
func (a *adapter) bucketTarget(ri *resInstance, at *attrValue) *graph.Bucket {
	if at == nil {
		return nil
	}
	return a.bucketOf(&origin{expr: at.attr.Expr, in: ri.in, sc: ri.sc})
}

// idIsBucket are the types whose id is their bucket's name; the bucket
// argument of every aws_s3_bucket_* type (and of an upload) is.
var idIsBucket = map[string]bool{
	"aws_s3_bucket_policy": true, "aws_s3_bucket_public_access_block": true, "aws_s3_bucket_ownership_controls": true,
	"aws_s3_bucket_versioning": true, "aws_s3_bucket_server_side_encryption_configuration": true,
	"aws_s3_bucket_lifecycle_configuration": true, "aws_s3_bucket_logging": true, "aws_s3_bucket_website_configuration": true,
	"aws_s3_bucket_cors_configuration": true, "aws_s3_bucket_accelerate_configuration": true,
	"aws_s3_bucket_request_payment_configuration": true, "aws_s3_bucket_notification": true,
	"aws_s3_bucket_replication_configuration": true,
}

// readsBucketName reports whether attribute attr of a resource of type typ is
// the name of the bucket its bucket argument names.
func readsBucketName(typ, attr string) bool {
	switch attr {
	case "bucket":
		return strings.HasPrefix(typ, "aws_s3_bucket_") || typ == "aws_s3_object"
	case "id":
		return idIsBucket[typ]
	}
	return false
}

// bucketOf finds the bucket an expression names, through other settings
// of the bucket; each setting is followed once (a reference cycle, or two
// branches through the same setting, cost nothing more).
func (a *adapter) bucketOf(o *origin) *graph.Bucket {
	t, attr := a.originRef(o)
	if t == nil {
		expr := o.expr
		for p, ok := expr.(*hclsyntax.ParenthesesExpr); ok; p, ok = expr.(*hclsyntax.ParenthesesExpr) {
			expr = p.Expression
		}
		switch e := expr.(type) {
		case *hclsyntax.ConditionalExpr:
			yes := a.bucketOf(&origin{expr: e.TrueResult, in: o.in, sc: o.sc})
			if no := a.bucketOf(&origin{expr: e.FalseResult, in: o.in, sc: o.sc}); yes != nil && yes == no {
				return yes
			}
		case *hclsyntax.ScopeTraversalExpr:
			// An instance that may not exist (behind a count not known
			// before deployment): its declaration still names the bucket.
			if decl, attr := settingDecl(o.in, e.Traversal); decl != nil && readsBucketName(decl.typ, attr) {
				if sb, ok := decl.body.(*hclsyntax.Body); ok && sb.Attributes["bucket"] != nil {
					return a.follow(decl, &origin{expr: sb.Attributes["bucket"].Expr, in: o.in})
				}
			}
		case *hclsyntax.RelativeTraversalExpr:
			return a.symbolicInstanceBucket(o.in, o.sc, e)
		}
		return nil
	}
	if b, ok := a.entities[t].(*graph.Bucket); ok {
		return b
	}
	if readsBucketName(t.decl.typ, attr) && t.body != nil {
		if at := t.body.attr("bucket"); at != nil {
			return a.follow(t, &origin{expr: at.attr.Expr, in: t.in, sc: t.sc})
		}
	}
	return nil
}

// symbolicInstanceBucket is the bucket aws_s3_bucket.b[each.key].id (or
// .bucket, .arn) names when the buckets' for_each is not known before
// deployment: their one instance, whose key is not known either, stands for
// each of them. Only a block iterating over the same collection (the same
// for_each expression, or for_each = aws_s3_bucket.b) and indexing it with
// its own each.key names the bucket of the same key; anything else may name
// another bucket, and nil is returned. count.index is treated alike.
func (a *adapter) symbolicInstanceBucket(in *instance, sc *scope, e *hclsyntax.RelativeTraversalExpr) *graph.Bucket {
	attr, ok := attrStep(e.Traversal, 0)
	if in == nil || sc == nil || !ok || len(e.Traversal) != 1 || attr != "id" && attr != "bucket" && attr != "arn" {
		return nil
	}
	ix, isIndex := e.Source.(*hclsyntax.IndexExpr)
	if !isIndex {
		return nil
	}
	coll, isTraversal := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
	if !isTraversal || len(coll.Traversal) != 2 || coll.Traversal.RootName() != "aws_s3_bucket" {
		return nil
	}
	name, _ := attrStep(coll.Traversal, 1)
	decl := in.mod.resources["aws_s3_bucket."+name]
	if decl == nil {
		return nil
	}
	key, isKey := ix.Key.(*hclsyntax.ScopeTraversalExpr)
	if !isKey || len(key.Traversal) != 2 {
		return nil
	}
	step, _ := attrStep(key.Traversal, 1)
	switch key.Traversal.RootName() + "." + step {
	case "each.key":
		if sc.eachKey == cty.NilVal || sc.eachKey.IsKnown() || decl.forEach == nil ||
			!a.sameCollection(sc.forEach, decl.forEach, "aws_s3_bucket."+name) {
			return nil
		}
	default:
		return nil
	}
	rs := in.resources[decl.key]
	if rs == nil || len(rs.insts) != 1 || rs.insts[0].key == cty.NilVal || rs.insts[0].key.IsKnown() {
		return nil
	}
	b, _ := a.entities[rs.insts[0]].(*graph.Bucket)
	return b
}

// sameCollection reports whether a setting's for_each iterates over the
// same collection as its bucket's: the same expression as written, or
// the bucket resource itself.
func (a *adapter) sameCollection(mine, theirs hcl.Expression, bucket string) bool {
	if mine == nil {
		return false
	}
	if tr, ok := hcl.UnwrapExpression(mine).(*hclsyntax.ScopeTraversalExpr); ok && tr.Traversal.RootName() == "aws_s3_bucket" && len(tr.Traversal) == 2 {
		if name, _ := attrStep(tr.Traversal, 1); "aws_s3_bucket."+name == bucket {
			return true
		}
	}
	text := func(e hcl.Expression) (string, bool) {
		r := e.Range()
		f := a.l.file(r.Filename)
		if f == nil || r.Start.Byte < 0 || r.End.Byte > len(f.Bytes) || r.Start.Byte >= r.End.Byte {
			return "", false
		}
		return string(f.Bytes[r.Start.Byte:r.End.Byte]), true
	}
	m, ok1 := text(mine)
	t, ok2 := text(theirs)
	return ok1 && ok2 && m == t
}

// follow is bucketOf of a setting's bucket argument, once per setting
// (an instance or a declaration).
func (a *adapter) follow(setting any, o *origin) *graph.Bucket {
	if b, done := a.bucketOfSetting[setting]; done {
		return b // nil while it is being followed: a cycle
	}
	if a.bucketOfSetting == nil {
		a.bucketOfSetting = map[any]*graph.Bucket{}
	}
	a.bucketOfSetting[setting] = nil
	b := a.bucketOf(o)
	a.bucketOfSetting[setting] = b
	return b
}

// settingDecl is the declaration of a bucket's setting or policy that a
// reference names (aws_s3_bucket_policy.this[0].id), with the attribute
// the reference reads.
func settingDecl(in *instance, tr hcl.Traversal) (*resourceDecl, string) {
	name, ok := attrStep(tr, 1)
	if in == nil || !ok || !strings.HasPrefix(tr.RootName(), "aws_s3_") {
		return nil, ""
	}
	i := 2
	if len(tr) > i {
		if _, index := tr[i].(hcl.TraverseIndex); index {
			i++
		}
	}
	attr, _ := attrStep(tr, i)
	return in.mod.resources[tr.RootName()+"."+name], attr
}

// linkBucket links a bucket policy to its bucket by reference; policies
// naming a bucket only by name are linked after every root is loaded.
func (a *adapter) linkBucket(p *graph.Policy, ri *resInstance, at *attrValue) {
	a.links = append(a.links, func() {
		if b := a.bucketTarget(ri, at); b != nil {
			p.Bucket = b
			b.Policies = append(b.Policies, p)
		}
	})
}

// fromInputs reports whether an argument's value comes only from inputs
// (variables, each and count) of its module, through its locals: when it
// is not known, it is an input without a value, which may name anything.
// An argument that refers to a resource, a data source or a module's
// output names that, even when it is not known (an instance behind an
// undecided count, a module that is not read).
func fromInputs(mod *module, at *attrValue) bool {
	if at == nil || at.attr == nil {
		return false
	}
	return exprFromInputs(mod, at.attr.Expr, 0)
}

func exprFromInputs(mod *module, expr hcl.Expression, depth int) bool {
	for _, tr := range mod.references(expr) {
		switch tr.RootName() {
		case "var", "each", "count", "path", "terraform":
		case "local":
			name, ok := attrStep(tr, 1)
			if !ok {
				return false
			}
			l := mod.locals[name]
			if l == nil || depth >= maxHops || !exprFromInputs(mod, l.Expr, depth+1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// refTarget finds the resource instance an attribute refers to, following
// locals, variables, module outputs, each.value and computed indexes
// (aws_s3_bucket.b.id, local.bucket_id, var.bucket passed
// aws_s3_bucket.b.bucket, aws_s3_bucket.b[each.key].id, each.value.id …).
func (a *adapter) refTarget(ri *resInstance, at *attrValue) *resInstance {
	if at == nil {
		return nil
	}
	t, _ := a.originRef(&origin{expr: at.attr.Expr, in: ri.in, sc: ri.sc})
	return t
}

// originRef is refTarget from where a value is written, with the attribute
// of the instance that the reference reads ("" when it reads the whole
// instance, or when that is not told).
func (a *adapter) originRef(o *origin) (*resInstance, string) {
	l := a.l
	attr := ""
	for range maxHops {
		switch {
		case o == nil:
			return nil, ""
		case o.res != nil:
			// A reference to an instance or one of its attributes is a
			// reference to the instance.
			if o.attr != "" {
				attr = o.attr
			}
			return o.res, attr
		case o.expr == nil:
			return nil, ""
		}
		switch e := hcl.UnwrapExpression(o.expr).(type) {
		case *hclsyntax.RelativeTraversalExpr:
			// x[k].attr: the attribute belongs to whatever x[k] is.
			if name, ok := attrStep(e.Traversal, 0); ok {
				attr = name
			}
			o = &origin{expr: e.Source, in: o.in, sc: o.sc}
			continue
		case *hclsyntax.ScopeTraversalExpr:
			o = l.traversalRef(o, e.Traversal)
			continue
		}
		o = l.resolveOnce(o)
	}
	return nil, ""
}

// traversalRef follows a reference for refTarget, stopping at the first
// resource instance it names instead of following its attributes.
func (l *loader) traversalRef(o *origin, tr hcl.Traversal) *origin {
	for i := len(tr); i > 0; i-- {
		// Find the longest prefix that names a resource instance.
		if r := l.traversalOrigin(o.in, o.sc, tr[:i]); r != nil && r.res != nil {
			// With the attribute read, for bucketOf.
			ref := &origin{res: r.res, attr: r.attr}
			if name, ok := attrStep(tr, i); ok && ref.attr == "" {
				ref.attr = name
			}
			return ref
		}
	}
	return l.traversalOrigin(o.in, o.sc, tr)
}
