package tfplan

import (
	"github.com/s3lint/s3lint/graph"
)

// Bucket settings: Block Public Access, object ownership, ACLs,
// versioning, default encryption and lifecycle rules, from the deprecated
// arguments of aws_s3_bucket or from resources of their own;
// account-level Block Public Access; access points.
//
// A plan shows every attribute, written or not (the provider fills in its
// defaults). A value the configuration sets is Explicit at its JSON value;
// one it does not set is Default at the object that holds it, with the
// value the plan shows; one Terraform knows only after apply (after_unknown)
// is Unknown at that object. Without a configuration (a state, or a plan
// that lacks one) every value shown counts as written.

// block is an object of a resource's values (the resource's own, or the
// first of a nested block list) with what the plan says about it.
type block struct {
	r    resourceNode
	vals *graph.Node // nil when the plan has no such block
	au   *graph.Node // its after_unknown object
	// unknown marks a block Terraform knows only after apply.
	unknown bool
	// path is the configuration path of the block's attributes:
	// "", "rule.", "rule.apply_server_side_encryption_by_default.".
	path string
	at   graph.Range // the object, or the enclosing one when absent
}

func (p *plan) top(r resourceNode) block {
	return block{r: r, vals: r.values, au: p.afterUnknown(r.addr), at: r.node.Range}
}

// child is the first block of a nested block list.
func (b block) child(name string) block {
	c := block{r: b.r, path: b.path + name + ".", at: b.at, unknown: b.unknown}
	switch v := b.vals.Get(name); {
	case v == nil:
	case v.Kind == graph.KindList && len(v.List) > 0 && v.List[0].Kind == graph.KindObject:
		c.vals = v.List[0]
	case v.Kind == graph.KindObject:
		c.vals = v
	}
	if c.vals != nil {
		c.at = c.vals.Range
	}
	switch au := b.au.Get(name); {
	case au == nil:
	case au.Kind == graph.KindList && len(au.List) > 0:
		c.au = au.List[0]
	case au.Kind == graph.KindObject:
		c.au = au
	case au.Kind == graph.KindBool && au.Bool:
		c.unknown = true
	}
	return c
}

// children is every block of a nested block list, in order.
func (b block) children(name string) []block {
	v := b.vals.Get(name)
	if v == nil || v.Kind != graph.KindList {
		return nil
	}
	au := b.au.Get(name)
	var out []block
	for i, e := range v.List {
		if e == nil || e.Kind != graph.KindObject {
			continue
		}
		c := block{r: b.r, path: b.path + name + ".", vals: e, at: e.Range, unknown: b.unknown}
		if au != nil && au.Kind == graph.KindList && i < len(au.List) {
			c.au = au.List[i]
		}
		out = append(out, c)
	}
	return out
}

// present reports whether the plan has the block, or knows it only after
// apply.
func (b block) present() bool { return b.vals != nil || b.unknown }

// written reports whether the configuration sets an attribute of a block.
// Without a configuration, or when the block itself is not recorded there
// (a dynamic block), every attribute counts as written.
func (p *plan) written(b block, name string) bool {
	refs, ok := p.refs[configAddress(b.r.addr)]
	if !ok {
		return true
	}
	if b.path != "" {
		if _, ok := refs[b.path[:len(b.path)-1]]; !ok {
			return true
		}
	}
	_, ok = refs[b.path+name]
	return ok
}

// declares reports whether a resource declares a (computed) attribute: the
// configuration sets it, or, without a configuration, the values hold it.
func (p *plan) declares(r resourceNode, name string) bool {
	if refs, ok := p.refs[configAddress(r.addr)]; ok {
		_, set := refs[name]
		return set
	}
	switch v := r.values.Get(name); {
	case v == nil || v.Kind == graph.KindNull:
		return false
	case v.Kind == graph.KindList:
		return len(v.List) > 0
	case v.Kind == graph.KindString:
		return v.Str != ""
	}
	return true
}

// leafUnknown reports an attribute Terraform knows only after apply.
func (b block) leafUnknown(name string) bool {
	if b.unknown {
		return true
	}
	v := b.au.Get(name)
	return v != nil && v.Kind == graph.KindBool && v.Bool
}

// strOf reads a string attribute of a block.
func (p *plan) strOf(b block, name, def string) graph.String {
	v := b.vals.Get(name)
	switch {
	case v == nil || v.Kind == graph.KindNull:
		if b.leafUnknown(name) {
			return graph.StringUnknown(b.at)
		}
		return graph.StringDefault(def, b.at)
	case v.Kind == graph.KindList || v.Kind == graph.KindObject:
		return graph.StringUnknown(v.Range)
	case !p.written(b, name):
		return graph.StringDefault(v.AsString().V, b.at)
	}
	return v.AsString()
}

// reqStr reads a required string attribute: unknown when missing.
func (p *plan) reqStr(b block, name string) graph.String {
	if v := b.vals.Get(name); v == nil || v.Kind == graph.KindNull {
		return graph.StringUnknown(b.at)
	}
	return p.strOf(b, name, "")
}

// boolOf reads a boolean attribute of a block.
func (p *plan) boolOf(b block, name string, def bool) graph.Bool {
	v := b.vals.Get(name)
	switch {
	case v == nil || v.Kind == graph.KindNull:
		if b.leafUnknown(name) {
			return graph.BoolUnknown(b.at)
		}
		return graph.BoolDefault(def, b.at)
	case v.Kind == graph.KindString && (v.Str == "true" || v.Str == "false"):
		if !p.written(b, name) {
			return graph.BoolDefault(v.Str == "true", b.at)
		}
		return graph.BoolOf(v.Str == "true", v.Range)
	case v.Kind != graph.KindBool:
		return graph.BoolUnknown(v.Range)
	case !p.written(b, name):
		return graph.BoolDefault(v.Bool, b.at)
	}
	return graph.BoolOf(v.Bool, v.Range)
}

// enabledOf reads an "Enabled"/"Disabled" attribute as a boolean. The
// provider records "" when AWS reports nothing (MFA delete never turned
// on): not set.
func (p *plan) enabledOf(b block, name string) graph.Bool {
	s := p.strOf(b, name, "")
	switch {
	case !s.Known():
		return graph.BoolUnknown(s.Range)
	case s.V == "":
		return graph.BoolDefault(false, b.at)
	case s.V == "Enabled":
		return graph.Bool{Value: graph.Value[bool]{V: true, Origin: s.Origin, Range: s.Range}}
	case s.V == "Disabled":
		return graph.Bool{Value: graph.Value[bool]{V: false, Origin: s.Origin, Range: s.Range}}
	}
	return graph.BoolUnknown(s.Range)
}

// memberRange is the range of an attribute of an object, from its key to
// the end of its value; the object's when the attribute is absent.
func memberRange(obj *graph.Node, name string) graph.Range {
	f := obj.Field(name)
	if f == nil {
		if obj == nil {
			return graph.Range{}
		}
		return obj.Range
	}
	r := f.Value.Range
	r.Start = f.KeyRange.Start
	return r
}

// pab reads the four Block Public Access flags of a block; def is the value
// of a flag the plan does not show.
func (p *plan) pab(addr string, b block, at graph.Range, def bool) *graph.PublicAccessBlock {
	return &graph.PublicAccessBlock{
		Setting:               graph.Setting{Address: addr, Range: at},
		BlockPublicAcls:       p.boolOf(b, "block_public_acls", def),
		IgnorePublicAcls:      p.boolOf(b, "ignore_public_acls", def),
		BlockPublicPolicy:     p.boolOf(b, "block_public_policy", def),
		RestrictPublicBuckets: p.boolOf(b, "restrict_public_buckets", def),
	}
}

// bucketInline reads the deprecated inline settings of aws_s3_bucket. The
// provider computes most of them (a plan or state shows the bucket's
// versioning and encryption whether or not the configuration sets them),
// so only those the configuration declares count.
func (p *plan) bucketInline(r resourceNode, b *graph.Bucket) {
	top := p.top(r)
	setting := func(name string) graph.Setting {
		return graph.Setting{Address: r.addr, Range: memberRange(r.values, name)}
	}
	if hasACL, hasGrants := p.declares(r, "acl"), p.declares(r, "grant"); hasACL || hasGrants {
		x := &graph.ACL{Canned: graph.StringDefault("", r.node.Range)}
		if hasACL {
			x.Setting, x.Canned = setting("acl"), p.strOf(top, "acl", "")
		} else {
			x.Setting = setting("grant")
		}
		if hasGrants {
			x.Grants = p.legacyGrants(top)
		}
		x.Unchanged = p.unchanged(r.addr, "acl", "grant")
		b.ACLs = append(b.ACLs, x)
	}
	if p.declares(r, "versioning") {
		vb := top.child("versioning")
		// enabled = false is Disabled, as in the configuration loader.
		en := p.boolOf(vb, "enabled", false)
		v := &graph.Versioning{Setting: setting("versioning"), MFADelete: p.boolOf(vb, "mfa_delete", false)}
		status := "Disabled"
		if en.V {
			status = "Enabled"
		}
		v.Status = graph.String{Value: graph.Value[string]{V: status, Origin: en.Origin, Range: en.Range}}
		if !en.Known() {
			v.Status = graph.StringUnknown(en.Range)
		}
		b.Versioning = v
	}
	if p.declares(r, "server_side_encryption_configuration") {
		b.Encryption = p.encryption(r, setting("server_side_encryption_configuration"), top.child("server_side_encryption_configuration"))
	}
	if p.declares(r, "lifecycle_rule") {
		s := setting("lifecycle_rule")
		b.Lifecycle = &s
	}
	if p.declares(r, "website") {
		s := setting("website")
		b.Website = &s
	}
	// request_payer is an argument of the bucket before version 4 of the
	// provider, deprecated and computed since: only a configuration that
	// sets it declares it.
	if p.declares(r, "request_payer") {
		b.RequestPayment = &graph.RequestPayment{Setting: setting("request_payer"), Payer: p.reqStr(top, "request_payer")}
	}
}

// legacyGrants reads the grant blocks of aws_s3_bucket: one grant per
// permission.
func (p *plan) legacyGrants(top block) []graph.Grant {
	list := top.vals.Get("grant")
	if list == nil || list.Kind != graph.KindList {
		if top.leafUnknown("grant") || list != nil && list.Kind != graph.KindNull {
			u := graph.StringUnknown(top.at)
			return []graph.Grant{{Range: top.at, Type: u, ID: u, URI: u, Email: u, Permission: u}}
		}
		return nil
	}
	var out []graph.Grant
	for i, gv := range list.List {
		gb := block{r: top.r, vals: gv, path: "grant.", at: gv.Range}
		if au := top.au.Get("grant"); au != nil && au.Kind == graph.KindList && i < len(au.List) {
			gb.au = au.List[i]
		}
		base := graph.Grant{
			Range: gv.Range,
			Type:  p.reqStr(gb, "type"),
			ID:    p.strOf(gb, "id", ""),
			URI:   p.strOf(gb, "uri", ""),
			Email: graph.StringDefault("", gv.Range),
		}
		perms := gv.Get("permissions")
		if perms == nil || perms.Kind != graph.KindList {
			base.Permission = graph.StringUnknown(gv.Range)
			out = append(out, base)
			continue
		}
		for _, pv := range perms.List {
			g := base
			g.Permission = pv.AsString()
			if pv.Kind != graph.KindString {
				g.Permission = graph.StringUnknown(pv.Range)
			}
			out = append(out, g)
		}
	}
	return out
}

// encryption reads the rule of a server-side encryption configuration: the
// resource's values, or the inline block.
func (p *plan) encryption(r resourceNode, s graph.Setting, parent block) *graph.Encryption {
	e := &graph.Encryption{Setting: s}
	rule := parent.child("rule")
	if rule.vals == nil {
		// Not in the plan, or known only after apply.
		at := rule.at
		e.Algorithm, e.KeyID, e.BucketKey = graph.StringUnknown(at), graph.StringUnknown(at), graph.BoolUnknown(at)
		return e
	}
	e.BucketKey = p.boolOf(rule, "bucket_key_enabled", false)
	by := rule.child("apply_server_side_encryption_by_default")
	if !by.present() {
		// Without a default, S3 encrypts with S3-managed keys.
		e.Algorithm, e.KeyID = graph.StringDefault("AES256", rule.at), graph.StringDefault("", rule.at)
		return e
	}
	e.Algorithm = p.reqStr(by, "sse_algorithm")
	e.KeyID = p.strOf(by, "kms_master_key_id", "")
	path := by.path + "kms_master_key_id"
	p.links = append(p.links, func() { e.Key = p.keyOf(r, path, e.KeyID) })
	return e
}

// kmsAlias is an aws_kms_alias of the plan, kept to find the key it
// names.
type kmsAlias struct {
	addr      string
	name, arn graph.String
}

// keyOf finds the KMS key a kms_master_key_id refers to: by the
// configuration's reference to the key or to an alias of it, or by the
// key's ARN or the alias's name or ARN as the plan shows them.
func (p *plan) keyOf(r resourceNode, path string, keyID graph.String) *graph.Key {
	for _, t := range p.refTargets(r.addr, path) {
		switch t := t.(type) {
		case *graph.Key:
			return t
		case *kmsAlias:
			if k := p.aliasKey(t); k != nil {
				return k
			}
		}
	}
	if !keyID.Known() || keyID.V == "" {
		return nil
	}
	for _, k := range p.l.g.Keys {
		if k.ARN.Is(keyID.V) {
			return k
		}
	}
	for _, a := range p.aliases {
		if a.name.Is(keyID.V) || a.arn.Is(keyID.V) {
			return p.aliasKey(a)
		}
	}
	return nil
}

// aliasKey is the key an alias's target_key_id names, when in the plan.
func (p *plan) aliasKey(a *kmsAlias) *graph.Key {
	if k, ok := p.refTarget(a.addr, "target_key_id").(*graph.Key); ok {
		return k
	}
	return nil
}

// bucketSetting gives a setting declared by a resource of its own to the
// bucket its bucket attribute names: by the configuration's reference once
// the plan is read, else by name (graph.LinkBucketsByName).
func (p *plan) bucketSetting(r resourceNode, s *graph.SettingLink) {
	s.Root = p.root
	s.BucketRef = p.str(r, "bucket")
	p.links = append(p.links, func() {
		if b, ok := p.refTarget(r.addr, "bucket").(*graph.Bucket); ok {
			s.ApplyTo(b)
			return
		}
		if s.BucketRef.Known() && s.BucketRef.V != "" {
			p.l.g.SettingLinks = append(p.l.g.SettingLinks, s)
		}
	})
}

// setting reads the bucket settings resources, the account's Block Public
// Access, access points and KMS aliases.
func (p *plan) setting(r resourceNode, key string) {
	top := p.top(r)
	whole := graph.Setting{Address: r.addr, Range: r.node.Range}
	switch key {
	case "resource.aws_s3_bucket_public_access_block":
		p.bucketSetting(r, &graph.SettingLink{PublicAccessBlock: p.pab(r.addr, top, whole.Range, false)})
	case "resource.aws_s3_account_public_access_block":
		p.accountBlock(r, top)
	case "resource.aws_s3_bucket_ownership_controls":
		o := &graph.Ownership{Setting: whole, Rule: p.reqStr(top.child("rule"), "object_ownership")}
		p.bucketSetting(r, &graph.SettingLink{Ownership: o})
	case "resource.aws_s3_bucket_acl":
		x := &graph.ACL{Setting: whole, Canned: p.strOf(top, "acl", "")}
		x.Unchanged = p.unchanged(r.addr, "acl", "access_control_policy")
		if p.written(top, "access_control_policy") {
			x.Grants = p.aclGrants(top.child("access_control_policy"))
		}
		p.bucketSetting(r, &graph.SettingLink{ACL: x})
	case "resource.aws_s3_object", "resource.aws_s3_bucket_object", "resource.aws_s3_object_copy":
		// The provider computes server_side_encryption when the
		// configuration sets none: a new object gets the bucket's
		// default; an object already there keeps what the plan shows
		// (the provider sends it again with an update).
		u := &graph.Upload{Setting: whole, Key: p.str(r, "key"), SSE: graph.StringDefault("", whole.Range)}
		if sse := p.strOf(top, "server_side_encryption", ""); p.declares(r, "server_side_encryption") || sse.Known() && sse.V != "" {
			u.SSE = sse
		}
		p.bucketSetting(r, &graph.SettingLink{Upload: u})
		// An upload sends an ACL only when the configuration sets one.
		if !p.declares(r, "acl") {
			break
		}
		x := &graph.ACL{Setting: whole, Canned: p.strOf(top, "acl", ""), Key: p.str(r, "key")}
		// An update sends the ACL when it changes, and with the object
		// when the object is uploaded again.
		x.Unchanged = p.unchanged(r.addr, "acl", "content", "content_base64", "source", "source_hash", "etag", "key", "bucket")
		p.bucketSetting(r, &graph.SettingLink{ObjectACL: x})
	case "resource.aws_s3_bucket_versioning":
		vc := top.child("versioning_configuration")
		v := &graph.Versioning{Setting: whole}
		if vc.present() {
			v.Status, v.MFADelete = p.reqStr(vc, "status"), p.enabledOf(vc, "mfa_delete")
		} else {
			v.Status, v.MFADelete = graph.StringUnknown(r.node.Range), graph.BoolUnknown(r.node.Range)
		}
		p.bucketSetting(r, &graph.SettingLink{Versioning: v})
	case "resource.aws_s3_bucket_server_side_encryption_configuration":
		p.bucketSetting(r, &graph.SettingLink{Encryption: p.encryption(r, whole, top)})
	case "resource.aws_s3_bucket_lifecycle_configuration":
		p.bucketSetting(r, &graph.SettingLink{Lifecycle: &whole})
	case "resource.aws_s3_bucket_website_configuration":
		p.bucketSetting(r, &graph.SettingLink{Website: &whole})
	case "resource.aws_s3_bucket_request_payment_configuration":
		p.bucketSetting(r, &graph.SettingLink{RequestPayment: &graph.RequestPayment{Setting: whole, Payer: p.reqStr(top, "payer")}})
	case "resource.aws_s3_access_point":
		p.accessPoint(r, top)
	case "resource.aws_s3control_access_point_policy":
		pol := p.policy(r, "policy", graph.AccessPointPolicy)
		if pol == nil {
			return
		}
		p.links = append(p.links, func() {
			ap, ok := p.refTarget(r.addr, "access_point_arn").(*graph.AccessPoint)
			if arn := p.str(r, "access_point_arn"); !ok && arn.Known() && arn.V != "" {
				for _, cand := range p.l.g.AccessPoints {
					if cand.ARN.Is(arn.V) {
						ap = cand
						break
					}
				}
			}
			// The resource replaces the access point's own policy
			// argument (the provider documents the two as
			// conflicting); of two such resources the first stays.
			if ap != nil && (ap.Policy == nil || ap.Policy.Address == ap.Address) {
				ap.Policy = pol
			}
		})
	case "resource.aws_kms_alias":
		a := &kmsAlias{addr: r.addr, name: p.str(r, "name"), arn: p.str(r, "arn")}
		p.entities[r.addr] = a
		p.aliases = append(p.aliases, a)
	}
}

// aclGrants reads the grants of an access_control_policy block.
func (p *plan) aclGrants(acp block) []graph.Grant {
	if acp.vals == nil {
		if acp.unknown {
			u := graph.StringUnknown(acp.at)
			return []graph.Grant{{Range: acp.at, Type: u, ID: u, URI: u, Email: u, Permission: u}}
		}
		return nil
	}
	list := acp.vals.Get("grant")
	if list == nil || list.Kind != graph.KindList {
		if acp.leafUnknown("grant") {
			u := graph.StringUnknown(acp.at)
			return []graph.Grant{{Range: acp.at, Type: u, ID: u, URI: u, Email: u, Permission: u}}
		}
		return nil
	}
	var out []graph.Grant
	for i, gv := range list.List {
		gb := block{r: acp.r, vals: gv, path: acp.path + "grant.", at: gv.Range}
		if au := acp.au.Get("grant"); au != nil && au.Kind == graph.KindList && i < len(au.List) {
			gb.au = au.List[i]
		}
		ge := gb.child("grantee")
		out = append(out, graph.Grant{
			Range:      gv.Range,
			Type:       p.reqStr(ge, "type"),
			ID:         p.strOf(ge, "id", ""),
			URI:        p.strOf(ge, "uri", ""),
			Email:      p.strOf(ge, "email_address", ""),
			Permission: p.reqStr(gb, "permission"),
		})
	}
	return out
}

// accountBlock reads an aws_s3_account_public_access_block. Its account is
// account_id when the configuration sets it, else the provider's.
func (p *plan) accountBlock(r resourceNode, top block) {
	ab := &graph.AccountPublicAccessBlock{Entity: p.entity(r)}
	ab.PublicAccessBlock = *p.pab(r.addr, top, r.node.Range, false)
	id := p.strOf(top, "account_id", "")
	switch {
	case p.written(top, "account_id"):
		ab.AccountID = id
		if id.Known() {
			ab.Account = graph.Account(id.V)
		} else {
			ab.Account = ""
		}
	default:
		// Not set: the provider's account, which the plan may show.
		ab.AccountID = graph.StringDefault("", r.node.Range)
		if id.Known() && graph.Account(id.V).IsID() {
			ab.AccountID.V = id.V
			ab.Account = graph.Account(id.V)
		}
	}
	p.l.g.AccountBlocks = append(p.l.g.AccountBlocks, ab)
}

// accessPoint reads an aws_s3_access_point and links it to its bucket.
func (p *plan) accessPoint(r resourceNode, top block) {
	ap := &graph.AccessPoint{Entity: p.entity(r), Name: p.str(r, "name"), BucketRef: p.str(r, "bucket")}
	if p.written(top, "account_id") {
		if id := p.str(r, "account_id"); id.Known() {
			ap.Account = graph.Account(id.V)
		} else {
			ap.Account = ""
		}
	}
	ap.ARN = p.arn(r, func(pr *provider) string {
		if !ap.Name.Known() || ap.Name.V == "" || pr.region == "" || !ap.Account.Known() {
			return ""
		}
		return "arn:" + pr.partition + ":s3:" + pr.region + ":" + string(ap.Account) + ":accesspoint/" + ap.Name.V
	})
	ap.Policy = p.policy(r, "policy", graph.AccessPointPolicy)
	// Access points block all public access unless told otherwise.
	pb := top.child("public_access_block_configuration")
	at := r.node.Range
	if pb.vals != nil {
		at = memberRange(r.values, "public_access_block_configuration")
	}
	ap.PublicAccessBlock = p.pab(r.addr, pb, at, true)
	if vc := top.child("vpc_configuration"); vc.present() {
		ap.VpcID = p.reqStr(vc, "vpc_id")
	} else {
		ap.VpcID = graph.StringDefault("", r.node.Range)
	}
	p.l.g.AccessPoints = append(p.l.g.AccessPoints, ap)
	p.entities[r.addr] = ap
	p.links = append(p.links, func() {
		if b, ok := p.refTarget(r.addr, "bucket").(*graph.Bucket); ok {
			ap.Bucket = b
			b.AccessPoints = append(b.AccessPoints, ap)
		}
	})
}
