package tfplan

import (
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/policy"
)

func (p *plan) entity(r resourceNode) graph.Entity {
	pr := p.providerOf(r.addr)
	return graph.Entity{Address: r.addr, Type: r.typ, Format: graph.TerraformPlan, Range: r.node.Range,
		Provider: pr.key, Account: pr.account, Partition: policy.RegionPartition(pr.region), Region: p.regionOf(r, pr), Root: p.root}
}

// regionOf is the region a resource deploys to: its own region attribute
// (AWS provider 6 records it for every resource), else its provider's.
func (p *plan) regionOf(r resourceNode, pr *provider) string {
	if v := r.values.Get("region"); v != nil && v.Kind == graph.KindString && v.Str != "" {
		return v.Str
	}
	return pr.region
}

// str reads an attribute of a resource's values: unknown when Terraform
// knows it only after apply, default "" when it is not set.
func (p *plan) str(r resourceNode, attr string) graph.String {
	return p.strIn(r, r.values, p.afterUnknown(r.addr), attr)
}

// strIn reads an attribute of values (a resource's, or a nested block's)
// with the matching after_unknown object.
func (p *plan) strIn(r resourceNode, values, au *graph.Node, attr string) graph.String {
	v := values.Get(attr)
	if v == nil || v.Kind == graph.KindNull {
		if isUnknown(au, attr) {
			return graph.StringUnknown(r.node.Range)
		}
		return graph.StringDefault("", r.node.Range)
	}
	return v.AsString()
}

// policy reads a policy document attribute of a resource.
func (p *plan) policy(r resourceNode, attr string, kind graph.PolicyKind) *graph.Policy {
	// The AWS provider marks policy unknown for new resources even when
	// none is set: only a policy the configuration sets counts.
	unknown := isUnknown(p.afterUnknown(r.addr), attr) && p.configured(r.addr, attr)
	return p.policyIn(r, r.values, unknown, attr, kind)
}

// policyIn reads a policy document attribute, a JSON string, with positions
// inside the string; unknown says Terraform knows it only after apply.
func (p *plan) policyIn(r resourceNode, values *graph.Node, unknown bool, attr string, kind graph.PolicyKind) *graph.Policy {
	v := values.Get(attr)
	unknown = unknown && (v == nil || v.Kind == graph.KindNull)
	if !unknown && (v == nil || v.Kind != graph.KindString || v.Str == "") {
		return nil
	}
	pol := &graph.Policy{Entity: p.entity(r), Kind: kind, DocRange: r.node.Range}
	if !unknown {
		pol.DocRange = v.Range
		if f := values.Field(attr); f != nil {
			pol.DocRange.Start = f.KeyRange.Start
		}
		doc, err := jsonpos.ParseString(p.file, v, jsonpos.Options{})
		if err != nil {
			doc = v // not JSON: the policy parser reports the wrong shape
		}
		pol.Doc = policy.Parse(doc)
	}
	p.l.g.Policies = append(p.l.g.Policies, pol)
	return pol
}

// dropMirrors takes a bucket's own policy argument out of the graph when
// an aws_s3_bucket_policy sets the bucket's policy too: a state (which has
// no configuration to say what was set) holds the policy resource's
// document in the bucket's computed policy attribute as well.
func dropMirrors(g *graph.Graph) {
	mirror := map[*graph.Policy]bool{}
	for _, b := range g.Buckets {
		other := slices.ContainsFunc(b.Policies, func(p *graph.Policy) bool { return p.Address != b.Address })
		if !other {
			continue
		}
		b.Policies = slices.DeleteFunc(b.Policies, func(p *graph.Policy) bool {
			if p.Address == b.Address {
				mirror[p] = true
				return true
			}
			return false
		})
	}
	if len(mirror) > 0 {
		g.Policies = slices.DeleteFunc(g.Policies, func(p *graph.Policy) bool { return mirror[p] })
	}
}

// arn is the resource's ARN: from the plan, or built as AWS builds it.
func (p *plan) arn(r resourceNode, build func(pr *provider) string) graph.String {
	if v := r.values.Get("arn"); v != nil && v.Kind == graph.KindString {
		return graph.StringOf(v.Str, v.Range)
	}
	if s := build(p.providerOf(r.addr)); s != "" {
		return graph.StringOf(s, r.node.Range)
	}
	return graph.StringUnknown(r.node.Range)
}

func (p *plan) resource(r resourceNode) {
	if r.values == nil || r.values.Kind != graph.KindObject {
		return
	}
	if pr := p.providerOf(r.addr); pr.customS3 && strings.HasPrefix(r.typ, "aws_s3") {
		// An S3-compatible store: AWS's defaults and checks are not its own.
		if !pr.noted {
			pr.noted = true
			p.l.g.Diagnostics = append(p.l.g.Diagnostics, graph.Diagnostic{Severity: graph.DiagNote, File: r.node.Range.File, Range: r.node.Range,
				Message: policy.CustomEndpointNote(pr.key)})
		}
		return
	}
	g := p.l.g
	key := r.mode + "." + r.typ
	if r.mode == "managed" {
		key = "resource." + r.typ
	}
	switch key {
	case "resource.aws_s3_bucket":
		b := &graph.Bucket{Entity: p.entity(r), Name: p.str(r, "bucket")}
		if b.Name.Origin == graph.Default {
			b.Name = graph.StringUnknown(r.node.Range)
		}
		b.ARN = p.arn(r, func(pr *provider) string {
			name := b.Name.V
			if !b.Name.Known() {
				// The name is chosen at apply: a symbol stands for it.
				name = graph.SymbolicName(r.addr, p.file.Name)
			}
			return "arn:" + pr.partition + ":s3:::" + name
		})
		g.Buckets = append(g.Buckets, b)
		p.entities[r.addr] = b
		// Since version 4 of the AWS provider the bucket's policy
		// argument is also computed: it mirrors the document an
		// aws_s3_bucket_policy put. Only a policy the configuration sets
		// is the bucket's own (and aws_s3_bucket_policy drops a mirror).
		if p.configured(r.addr, "policy") {
			if pol := p.policy(r, "policy", graph.BucketPolicy); pol != nil {
				pol.Bucket, pol.BucketRef = b, b.Name
				b.Policies = append(b.Policies, pol)
			}
		}
		p.bucketInline(r, b)
		p.bucketLogging(r, b)
	case "resource.aws_s3_bucket_policy":
		if graph.DirectoryBucketName(p.str(r, "bucket")) {
			break // not a general purpose bucket's: not modelled
		}
		if pol := p.policy(r, "policy", graph.BucketPolicy); pol != nil {
			pol.BucketRef = p.str(r, "bucket")
			p.links = append(p.links, func() {
				if b, ok := p.refTarget(r.addr, "bucket").(*graph.Bucket); ok {
					pol.Bucket = b
					b.Policies = append(b.Policies, pol)
				}
			})
		}
	case "resource.aws_vpc_endpoint":
		top := p.top(r)
		e := &graph.Endpoint{Entity: p.entity(r), Service: p.str(r, "service_name"), ID: p.str(r, "id"),
			Type: p.strOf(top, "vpc_endpoint_type", "Gateway"), VpcID: p.strOf(top, "vpc_id", "")}
		g.Endpoints = append(g.Endpoints, e)
		p.entities[r.addr] = e
		e.Policy = p.policy(r, "policy", graph.EndpointPolicy)
	case "resource.aws_vpc_endpoint_policy":
		if pol := p.policy(r, "policy", graph.EndpointPolicy); pol != nil {
			p.links = append(p.links, func() {
				if e, ok := p.refTarget(r.addr, "vpc_endpoint_id").(*graph.Endpoint); ok {
					e.Policy = pol
				}
			})
		}
	case "resource.aws_kms_key", "resource.aws_kms_replica_key":
		k := &graph.Key{Entity: p.entity(r), ARN: p.arn(r, func(*provider) string { return "" })}
		g.Keys = append(g.Keys, k)
		p.entities[r.addr] = k
		k.Policy = p.policy(r, "policy", graph.KeyPolicy)
	case "resource.aws_kms_key_policy":
		if pol := p.policy(r, "policy", graph.KeyPolicy); pol != nil {
			p.links = append(p.links, func() {
				if k, ok := p.refTarget(r.addr, "key_id").(*graph.Key); ok {
					k.Policy = pol
				}
			})
		}
	case "resource.aws_iam_policy":
		if pol := p.policy(r, "policy", graph.IdentityPolicy); pol != nil {
			pol.Name = p.str(r, "name")
			pol.ARN = p.arn(r, p.iamARN(r, "policy"))
			p.entities[r.addr] = pol
			if pol.ARN.Known() {
				p.managed[pol.ARN.V] = pol
			}
		}
	case "resource.aws_iam_role", "resource.aws_iam_user", "resource.aws_iam_group":
		p.principal(r)
	case "resource.aws_iam_role_policy", "resource.aws_iam_user_policy", "resource.aws_iam_group_policy":
		kind, attr := principalAttr(r.typ)
		if pol := p.policy(r, "policy", graph.IdentityPolicy); pol != nil {
			pol.Name = p.str(r, "name")
			p.links = append(p.links, func() { pol.AttachTo(p.findPrincipal(r, kind, attr)) })
		}
	case "resource.aws_iam_role_policy_attachment", "resource.aws_iam_user_policy_attachment",
		"resource.aws_iam_group_policy_attachment":
		kind, attr := principalAttr(r.typ)
		p.links = append(p.links, func() { p.attachARN(p.findPrincipal(r, kind, attr), r) })
	case "resource.aws_iam_policy_attachment":
		p.links = append(p.links, func() {
			for _, pk := range []struct {
				kind graph.PrincipalKind
				attr string
			}{{graph.Role, "roles"}, {graph.User, "users"}, {graph.Group, "groups"}} {
				if list := r.values.Get(pk.attr); list != nil {
					for _, n := range list.List {
						if n.Kind == graph.KindString {
							p.attachARN(p.names.Find(pk.kind, n.Str), r)
						}
					}
				}
			}
		})
	default:
		if r.mode == "managed" && p.delivery(r) {
			return
		}
		p.setting(r, key)
	}
}

func principalAttr(typ string) (graph.PrincipalKind, string) {
	switch {
	case strings.HasPrefix(typ, "aws_iam_user"):
		return graph.User, "user"
	case strings.HasPrefix(typ, "aws_iam_group"):
		return graph.Group, "group"
	default:
		return graph.Role, "role"
	}
}

// iamARN builds the ARN of an IAM role, user, group or policy from its name
// and path and its provider's account.
func (p *plan) iamARN(r resourceNode, kind string) func(pr *provider) string {
	return func(pr *provider) string {
		name := p.str(r, "name")
		path := p.str(r, "path")
		if !name.Known() || name.V == "" || !path.Known() {
			return ""
		}
		if path.V == "" {
			path.V = "/"
		}
		return "arn:" + pr.partition + ":iam::" + string(pr.account) + ":" + kind + path.V + name.V
	}
}

func (p *plan) principal(r resourceNode) {
	kind, arnKind := graph.Role, "role"
	switch r.typ {
	case "aws_iam_user":
		kind, arnKind = graph.User, "user"
	case "aws_iam_group":
		kind, arnKind = graph.Group, "group"
	}
	pr := &graph.Principal{Entity: p.entity(r), Kind: kind, Name: p.str(r, "name")}
	pr.ARN = p.arn(r, p.iamARN(r, arnKind))
	p.l.g.Principals = append(p.l.g.Principals, pr)
	p.entities[r.addr] = pr
	p.names.Add(pr)
	if kind == graph.Role {
		pr.Trust = p.policy(r, "assume_role_policy", graph.TrustPolicy)
		if list := r.values.Get("inline_policy"); list != nil {
			au := p.afterUnknown(r.addr).Get("inline_policy")
			for i, ip := range list.List {
				var iau *graph.Node
				if au != nil && i < len(au.List) {
					iau = au.List[i]
				}
				if pol := p.policyIn(r, ip, isUnknown(iau, "policy"), "policy", graph.IdentityPolicy); pol != nil {
					pol.Name = p.strIn(r, ip, iau, "name")
					pol.AttachTo(pr)
				}
			}
		}
		p.links = append(p.links, func() {
			attached := map[*graph.Policy]bool{}
			if list := r.values.Get("managed_policy_arns"); list != nil {
				for _, n := range list.List {
					if n.Kind != graph.KindString {
						continue
					}
					if pol := p.managed[n.Str]; pol != nil {
						pol.AttachTo(pr)
						attached[pol] = true
					} else {
						pr.ManagedARNs = append(pr.ManagedARNs, graph.StringOf(n.Str, n.Range))
					}
				}
			}
			// Policies created in the same plan have ARNs known only
			// after apply; the configuration's references name them.
			for _, e := range p.refTargets(r.addr, "managed_policy_arns") {
				if pol, ok := e.(*graph.Policy); ok && !attached[pol] {
					pol.AttachTo(pr)
				}
			}
		})
	}
	if kind != graph.Group {
		pr.BoundaryARN = p.str(r, "permissions_boundary")
		p.links = append(p.links, func() {
			if pr.BoundaryARN.Known() {
				pr.Boundary = p.managed[pr.BoundaryARN.V]
			}
			if pol, ok := p.refTarget(r.addr, "permissions_boundary").(*graph.Policy); ok && pr.Boundary == nil {
				pr.Boundary = pol
			}
		})
	}
}

// findPrincipal resolves the role, user or group an attribute names: by
// the configuration's reference, or by name.
func (p *plan) findPrincipal(r resourceNode, kind graph.PrincipalKind, attr string) *graph.Principal {
	if pr, ok := p.refTarget(r.addr, attr).(*graph.Principal); ok {
		return pr
	}
	if n := p.str(r, attr); n.Known() && n.V != "" {
		return p.names.Find(kind, n.V)
	}
	return nil
}

func (p *plan) attachARN(pr *graph.Principal, r resourceNode) {
	if pr == nil {
		return
	}
	if pol, ok := p.refTarget(r.addr, "policy_arn").(*graph.Policy); ok {
		pol.AttachTo(pr)
		return
	}
	arn := p.str(r, "policy_arn")
	if pol := p.managed[arn.V]; arn.Known() && pol != nil {
		pol.AttachTo(pr)
		return
	}
	pr.ManagedARNs = append(pr.ManagedARNs, arn)
}

// refTarget finds the entity an attribute of a resource instance refers
// to, through the references the configuration records: in the same module
// instance, and for a counted or for_each'd target the instance with the
// same key.
func (p *plan) refTarget(addr, attr string) any {
	if ts := p.refTargets(addr, attr); len(ts) > 0 {
		return ts[0]
	}
	return nil
}

// maxRefDepth bounds how far refTargets follows each.value and module
// variables.
const maxRefDepth = 16

// refTargets is every entity an attribute refers to, in reference order.
// each.value is followed to the for_each of the resource (or module call),
// and a module variable to the argument of the call that passes it.
func (p *plan) refTargets(addr, attr string) []any {
	var out []any
	seen := map[any]bool{}
	modPrefix, own := splitAddress(addr)
	var walk func(refs, forEach []string, modPrefix, key string, depth int)
	walk = func(refs, forEach []string, modPrefix, key string, depth int) {
		if depth > maxRefDepth {
			return
		}
		for _, ref := range refs {
			parts := strings.Split(ref, ".")
			n := 2
			if parts[0] == "data" {
				n = 3
			}
			switch parts[0] {
			case "each":
				if len(parts) > 1 && parts[1] == "value" {
					walk(forEach, nil, modPrefix, key, depth+1)
				}
				continue
			case "var":
				parent, call := splitAddress(strings.TrimSuffix(modPrefix, "."))
				if len(parts) > 1 && modPrefix != "" {
					inputs := p.inputs[configAddress(modPrefix)]
					name := instanceKeys.ReplaceAllString(parts[1], "")
					walk(inputs[name], inputs[forEachKey], parent, instanceKeys.FindString(call), depth+1)
				}
				continue
			case "local", "module":
				continue
			}
			if len(parts) < n {
				continue
			}
			base := modPrefix + strings.Join(parts[:n], ".")
			e, ok := p.entities[base]
			if !ok && key != "" {
				e, ok = p.entities[base+key]
			}
			if ok && !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	refs := p.refs[configAddress(addr)]
	walk(refs[attr], refs[forEachKey], modPrefix, instanceKeys.FindString(own), 0)
	return out
}

// splitAddress splits an instance address into its module path (with the
// trailing dot) and the resource part. Dots inside instance keys
// (module.x["a.b"]) do not split.
func splitAddress(addr string) (modPrefix, res string) {
	rest := addr
	for strings.HasPrefix(rest, "module.") {
		cut := segmentEnd(rest[len("module."):])
		if cut < 0 {
			break
		}
		cut += len("module.") + 1
		modPrefix += rest[:cut]
		rest = rest[cut:]
	}
	return modPrefix, rest
}

// segmentEnd finds the dot that ends the first segment of an address,
// skipping [keys] and their quoted strings; -1 when there is none.
func segmentEnd(s string) int {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			return i
		}
	}
	return -1
}
