package terraform

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/s3lint/s3lint/graph"
)

// Bucket settings: Block Public Access, object ownership, ACLs,
// versioning, default encryption and lifecycle rules, declared by the
// deprecated arguments of aws_s3_bucket or by resources of their own;
// account-level Block Public Access; access points.
//
// Every value is located: an argument at its expression, an argument not
// written (or written null, which Terraform treats alike) as Default at
// the whole block that would hold it (the resource block when that block
// is not written either), and a value that cannot be known as Unknown at
// its expression. A required argument that is missing (Terraform would
// reject the configuration) is Unknown: nothing is guessed.

// within is where the defaults of a block lie: the whole block, or fb
// when the block is not written.
func (a *adapter) within(b *bodyContent, fb graph.Range) graph.Range {
	if b == nil {
		return fb
	}
	return a.l.rng(b.rng)
}

// setArg returns the attribute when it is written and not null.
func setArg(b *bodyContent, name string) *attrValue {
	at := b.attr(name)
	if at == nil || at.val.IsKnown() && at.val.IsNull() {
		return nil
	}
	return at
}

// strArg reads an optional string argument of a block (nil when the block
// is not written; fb is then where the default lies).
func (a *adapter) strArg(b *bodyContent, name, def string, fb graph.Range) graph.String {
	at := setArg(b, name)
	if at == nil {
		return graph.StringDefault(def, a.within(b, fb))
	}
	r := a.l.rng(at.attr.Expr.Range())
	if s, ok := asString(at.val); ok {
		return graph.StringOf(s, r)
	}
	a.wrongType(at, name, "a string")
	return graph.StringUnknown(r)
}

// wrongType warns about a known value that Terraform cannot convert to the
// type of the argument, and so rejects at plan: s3lint takes it as unknown,
// which never makes a finding, so without the warning the mistake would
// pass in silence.
func (a *adapter) wrongType(at *attrValue, name, want string) {
	if !at.val.IsWhollyKnown() || at.val.IsNull() {
		return
	}
	a.l.diagAt(graph.DiagWarning, at.attr.Expr.Range(), fmt.Sprintf(
		"%s must be %s, not %s (Terraform rejects it); s3lint takes it as unknown", name, want, describeValue(at.val)))
}

// describeValue names a value for a message: short scalars as written,
// collections by their kind, sensitive values not at all.
func describeValue(v cty.Value) string {
	if v.ContainsMarked() {
		return "a sensitive value"
	}
	t := v.Type()
	switch {
	case t == cty.String:
		s := v.AsString()
		if utf8.RuneCountInString(s) > 40 {
			s = string([]rune(s)[:40]) + "…"
		}
		return strconv.Quote(s)
	case t == cty.Number:
		return v.AsBigFloat().Text('g', 12)
	case t == cty.Bool:
		return strconv.FormatBool(v.True())
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		return "a list"
	case t.IsMapType() || t.IsObjectType():
		return "an object"
	}
	return t.FriendlyName()
}

// reqArg reads a required string argument: unknown when it is missing.
func (a *adapter) reqArg(b *bodyContent, name string, fb graph.Range) graph.String {
	if setArg(b, name) == nil {
		return graph.StringUnknown(a.within(b, fb))
	}
	return a.strArg(b, name, "", fb)
}

// boolArg reads an optional boolean argument, converting strings as
// Terraform does ("true").
func (a *adapter) boolArg(b *bodyContent, name string, def bool, fb graph.Range) graph.Bool {
	at := setArg(b, name)
	if at == nil {
		return graph.BoolDefault(def, a.within(b, fb))
	}
	r := a.l.rng(at.attr.Expr.Range())
	if !at.val.IsWhollyKnown() {
		return graph.BoolUnknown(r)
	}
	v, err := convert.Convert(at.val, cty.Bool)
	if err != nil {
		a.wrongType(at, name, "true or false")
		return graph.BoolUnknown(r)
	}
	if v.IsNull() || !v.IsKnown() {
		return graph.BoolUnknown(r)
	}
	return graph.BoolOf(v.True(), r)
}

// enabledArg reads an "Enabled"/"Disabled" argument (mfa_delete of
// aws_s3_bucket_versioning) as a boolean, false when not set. Any other
// value is rejected by the provider, so it is unknown.
func (a *adapter) enabledArg(b *bodyContent, name string, fb graph.Range) graph.Bool {
	s := a.strArg(b, name, "Disabled", fb)
	switch {
	case s.Origin == graph.Default:
		return graph.BoolDefault(false, s.Range)
	case s.Is("Enabled"):
		return graph.BoolOf(true, s.Range)
	case s.Is("Disabled"):
		return graph.BoolOf(false, s.Range)
	case s.Known():
		if at := setArg(b, name); at != nil {
			a.l.diagAt(graph.DiagWarning, at.attr.Expr.Range(), fmt.Sprintf(
				`%s must be "Enabled" or "Disabled", not %s (the provider rejects it); s3lint takes it as unknown`, name, describeValue(at.val)))
		}
	}
	return graph.BoolUnknown(s.Range)
}

// strElems reads the elements of a list argument, each located at the
// expression that wrote it; known is false when the list itself cannot be
// known.
func (a *adapter) strElems(ri *resInstance, at *attrValue) (out []graph.String, known bool) {
	whole := a.l.rng(at.attr.Expr.Range())
	if !at.val.IsKnown() {
		return nil, false
	}
	if at.val.IsNull() {
		return nil, true
	}
	if !at.val.CanIterateElements() {
		return nil, false
	}
	n := a.l.valueNode(at.val, &origin{expr: at.attr.Expr, in: ri.in, sc: ri.sc}, whole)
	for _, e := range n.List {
		s := e.AsString()
		if e.Kind == graph.KindUnknown || e.Kind == graph.KindNull {
			s = graph.StringUnknown(e.Range)
		}
		out = append(out, s)
	}
	return out, true
}

// pab reads the four Block Public Access flags of a block (nil when not
// written); def is the value of an omitted flag: false for buckets and
// accounts (the provider sends false), true for access points.
func (a *adapter) pab(addr string, blk *bodyContent, at, fb graph.Range, def bool) *graph.PublicAccessBlock {
	return &graph.PublicAccessBlock{
		Setting:               graph.Setting{Address: addr, Range: at},
		BlockPublicAcls:       a.boolArg(blk, "block_public_acls", def, fb),
		IgnorePublicAcls:      a.boolArg(blk, "ignore_public_acls", def, fb),
		BlockPublicPolicy:     a.boolArg(blk, "block_public_policy", def, fb),
		RestrictPublicBuckets: a.boolArg(blk, "restrict_public_buckets", def, fb),
	}
}

// bucketInline reads the deprecated inline settings of aws_s3_bucket: acl
// and grant, versioning, server_side_encryption_configuration and
// lifecycle_rule. Each is a Setting of the bucket located at its argument
// or block.
func (a *adapter) bucketInline(ri *resInstance, b *graph.Bucket) {
	body := ri.body
	whole := a.l.rng(body.rng)
	setting := func(r graph.Range) graph.Setting {
		return graph.Setting{Address: ri.addr, Range: r, Root: ri.in.root.mod.dir}
	}

	grants := body.blocks["grant"]
	if acl := setArg(body, "acl"); acl != nil || len(grants) > 0 {
		x := &graph.ACL{Canned: a.strArg(body, "acl", "", whole)}
		if acl != nil {
			x.Setting = setting(a.l.rng(acl.attr.Range))
		} else {
			x.Setting = setting(a.l.rng(grants[0].rng))
		}
		for _, gb := range grants {
			x.Grants = append(x.Grants, a.legacyGrants(ri, gb)...)
		}
		b.ACLs = append(b.ACLs, x)
	}

	if vb := body.block("versioning"); vb != nil {
		// enabled = true is Enabled. enabled = false is Disabled: for a
		// bucket created from this configuration the provider makes no
		// versioning call, so the bucket is never versioned (Suspended
		// would describe a bucket that was versioned before, which a
		// configuration cannot tell).
		en := a.boolArg(vb, "enabled", false, whole)
		v := &graph.Versioning{Setting: setting(a.l.rng(vb.rng)), MFADelete: a.boolArg(vb, "mfa_delete", false, whole)}
		status := "Disabled"
		if en.V {
			status = "Enabled"
		}
		switch en.Origin {
		case graph.Unknown:
			v.Status = graph.StringUnknown(en.Range)
		case graph.Default:
			v.Status = graph.StringDefault(status, en.Range)
		default:
			v.Status = graph.StringOf(status, en.Range)
		}
		b.Versioning = v
	}

	if eb := body.block("server_side_encryption_configuration"); eb != nil {
		b.Encryption = a.encryption(ri, setting(a.l.rng(eb.rng)), eb)
	}

	if lr := body.blocks["lifecycle_rule"]; len(lr) > 0 {
		b.Lifecycle = &graph.Setting{Address: ri.addr, Range: a.l.rng(lr[0].rng)}
	}

	if w := body.block("website"); w != nil {
		b.Website = &graph.Setting{Address: ri.addr, Range: a.l.rng(w.rng)}
	}

	// request_payer: an argument of the bucket before version 4 of the
	// provider, deprecated since for
	// aws_s3_bucket_request_payment_configuration.
	if at := setArg(body, "request_payer"); at != nil {
		rng := a.l.rng(at.attr.Range)
		b.RequestPayment = &graph.RequestPayment{Setting: setting(rng), Payer: a.strArg(body, "request_payer", "", rng)}
	}
}

// legacyGrants reads a grant block of aws_s3_bucket: one grant per
// permission.
func (a *adapter) legacyGrants(ri *resInstance, gb *bodyContent) []graph.Grant {
	gd := a.l.rng(gb.rng)
	base := graph.Grant{
		Range: gd,
		Type:  a.reqArg(gb, "type", gd),
		ID:    a.strArg(gb, "id", "", gd),
		URI:   a.strArg(gb, "uri", "", gd),
		Email: graph.StringDefault("", gd),
	}
	at := setArg(gb, "permissions")
	if at == nil {
		base.Permission = graph.StringUnknown(gd)
		return []graph.Grant{base}
	}
	perms, known := a.strElems(ri, at)
	if !known {
		base.Permission = graph.StringUnknown(a.l.rng(at.attr.Expr.Range()))
		return []graph.Grant{base}
	}
	out := make([]graph.Grant, 0, len(perms))
	for _, p := range perms {
		g := base
		g.Permission = p
		out = append(out, g)
	}
	return out
}

// encryption reads the rule of a server-side encryption configuration
// (the resource's body, or the inline block).
func (a *adapter) encryption(ri *resInstance, s graph.Setting, parent *bodyContent) *graph.Encryption {
	e := &graph.Encryption{Setting: s}
	pd := a.l.rng(parent.rng)
	rule := parent.block("rule")
	if rule == nil {
		e.Algorithm, e.KeyID, e.BucketKey = graph.StringUnknown(pd), graph.StringUnknown(pd), graph.BoolUnknown(pd)
		return e
	}
	rd := a.l.rng(rule.rng)
	e.BucketKey = a.boolArg(rule, "bucket_key_enabled", false, rd)
	by := rule.block("apply_server_side_encryption_by_default")
	if by == nil {
		// Without a default, S3 encrypts with S3-managed keys.
		e.Algorithm, e.KeyID = graph.StringDefault("AES256", rd), graph.StringDefault("", rd)
		return e
	}
	e.Algorithm = a.reqArg(by, "sse_algorithm", rd)
	e.KeyID = a.strArg(by, "kms_master_key_id", "", rd)
	if at := setArg(by, "kms_master_key_id"); at != nil {
		a.links = append(a.links, func() { e.Key = a.keyOf(ri, at) })
	}
	return e
}

// keyOf finds the KMS key an argument refers to: the key itself
// (aws_kms_key.k.arn, .id, .key_id), or an alias whose target_key_id
// refers to a key (aws_kms_alias.a.arn, .name).
func (a *adapter) keyOf(ri *resInstance, at *attrValue) *graph.Key {
	t := a.refTarget(ri, at)
	if k, ok := a.entities[t].(*graph.Key); ok {
		return k
	}
	if t != nil && t.decl.mode == "resource" && t.decl.typ == "aws_kms_alias" && t.body != nil {
		if k, ok := a.entities[a.refTarget(t, t.body.attr("target_key_id"))].(*graph.Key); ok {
			return k
		}
	}
	return nil
}

// bucketSetting gives a setting declared by a resource of its own to the
// bucket its bucket argument names: by reference once every resource of
// the root is read, else by name once every configuration is
// (graph.LinkBucketsByName).
func (a *adapter) bucketSetting(ri *resInstance, s *graph.SettingLink) {
	at := ri.body.attr("bucket")
	s.Root = ri.in.root.mod.dir
	s.BucketRef = a.str(ri.body, "bucket")
	a.links = append(a.links, func() {
		if b := a.bucketTarget(ri, at); b != nil {
			s.ApplyTo(b)
			return
		}
		switch {
		case s.BucketRef.Known() && s.BucketRef.V != "":
			a.l.g.SettingLinks = append(a.l.g.SettingLinks, s) // by name, later
		case !s.BucketRef.Known() && fromInputs(ri.in.mod, at):
			// A name from an input without a value may be that of
			// any bucket of the configuration.
			a.l.g.SettingLinks = append(a.l.g.SettingLinks, s)
		}
	})
}

// setting reads the bucket settings resources, the account's Block Public
// Access and access points.
func (a *adapter) setting(ri *resInstance) {
	body := ri.body
	whole := graph.Setting{Address: ri.addr, Range: a.l.rng(ri.decl.rng), Root: ri.in.root.mod.dir}
	res := whole.Range // where the defaults of the resource's own arguments lie
	switch ri.decl.mode + "." + ri.decl.typ {
	case "resource.aws_s3_bucket_public_access_block":
		a.bucketSetting(ri, &graph.SettingLink{PublicAccessBlock: a.pab(ri.addr, body, whole.Range, res, false)})
	case "resource.aws_s3_account_public_access_block":
		ab := &graph.AccountPublicAccessBlock{Entity: a.entity(ri), AccountID: a.strArg(body, "account_id", "", res)}
		ab.PublicAccessBlock = *a.pab(ri.addr, body, whole.Range, res, false)
		switch ab.AccountID.Origin {
		case graph.Unknown:
			ab.Account = ""
		case graph.Explicit:
			ab.Account = graph.Account(ab.AccountID.V)
		}
		a.l.g.AccountBlocks = append(a.l.g.AccountBlocks, ab)
	case "resource.aws_s3_bucket_ownership_controls":
		o := &graph.Ownership{Setting: whole, Rule: a.reqArg(body.block("rule"), "object_ownership", res)}
		a.bucketSetting(ri, &graph.SettingLink{Ownership: o})
	case "resource.aws_s3_bucket_acl":
		x := &graph.ACL{Setting: whole, Canned: a.strArg(body, "acl", "", res)}
		if acp := body.block("access_control_policy"); acp != nil {
			for _, gb := range acp.blocks["grant"] {
				gd := a.l.rng(gb.rng)
				ge := gb.block("grantee")
				x.Grants = append(x.Grants, graph.Grant{
					Range:      gd,
					Type:       a.reqArg(ge, "type", gd),
					ID:         a.strArg(ge, "id", "", gd),
					URI:        a.strArg(ge, "uri", "", gd),
					Email:      a.strArg(ge, "email_address", "", gd),
					Permission: a.reqArg(gb, "permission", gd),
				})
			}
		}
		a.bucketSetting(ri, &graph.SettingLink{ACL: x})
	case "resource.aws_s3_object", "resource.aws_s3_bucket_object", "resource.aws_s3_object_copy":
		a.bucketSetting(ri, &graph.SettingLink{Upload: &graph.Upload{Setting: whole, Key: a.str(body, "key"),
			SSE: a.strArg(body, "server_side_encryption", "", res)}})
		// An upload sends an ACL only when the configuration sets one.
		if setArg(body, "acl") == nil {
			break
		}
		x := &graph.ACL{Setting: whole, Canned: a.strArg(body, "acl", "", res), Key: a.str(body, "key")}
		a.bucketSetting(ri, &graph.SettingLink{ObjectACL: x})
	case "resource.aws_s3_bucket_versioning":
		v := &graph.Versioning{Setting: whole}
		if vc := body.block("versioning_configuration"); vc != nil {
			v.Status, v.MFADelete = a.reqArg(vc, "status", res), a.enabledArg(vc, "mfa_delete", res)
		} else {
			v.Status, v.MFADelete = graph.StringUnknown(res), graph.BoolUnknown(res)
		}
		a.bucketSetting(ri, &graph.SettingLink{Versioning: v})
	case "resource.aws_s3_bucket_server_side_encryption_configuration":
		a.bucketSetting(ri, &graph.SettingLink{Encryption: a.encryption(ri, whole, body)})
	case "resource.aws_s3_bucket_lifecycle_configuration":
		a.bucketSetting(ri, &graph.SettingLink{Lifecycle: &whole})
	case "resource.aws_s3_bucket_website_configuration":
		a.bucketSetting(ri, &graph.SettingLink{Website: &whole})
	case "resource.aws_s3_bucket_request_payment_configuration":
		a.bucketSetting(ri, &graph.SettingLink{RequestPayment: &graph.RequestPayment{Setting: whole, Payer: a.reqArg(body, "payer", res)}})
	case "resource.aws_s3_access_point":
		a.accessPoint(ri)
	case "resource.aws_s3control_access_point_policy":
		p := a.policy(ri, body, "policy", graph.AccessPointPolicy)
		if p == nil {
			break
		}
		at := body.attr("access_point_arn")
		a.links = append(a.links, func() {
			ap, ok := a.entities[a.refTarget(ri, at)].(*graph.AccessPoint)
			if !ok {
				arn := a.str(body, "access_point_arn")
				for _, cand := range a.l.g.AccessPoints {
					if arn.Known() && arn.V != "" && cand.ARN.Is(arn.V) {
						ap = cand
						break
					}
				}
			}
			// The resource replaces the access point's own policy
			// argument (the provider documents the two as
			// conflicting); of two such resources the first stays.
			if ap != nil && (ap.Policy == nil || ap.Policy.Address == ap.Address) {
				ap.Policy = p
			}
		})
	}
}

// accessPoint reads an aws_s3_access_point and links it to its bucket.
func (a *adapter) accessPoint(ri *resInstance) {
	body := ri.body
	res := a.l.rng(ri.decl.rng) // where the defaults of its own arguments lie
	ap := &graph.AccessPoint{Entity: a.entity(ri), Name: a.str(body, "name"), ARN: a.arn(ri), BucketRef: a.str(body, "bucket")}
	if id := a.strArg(body, "account_id", "", res); id.Origin == graph.Explicit {
		ap.Account = graph.Account(id.V)
	} else if id.Origin == graph.Unknown {
		ap.Account = ""
	}
	ap.Policy = a.policy(ri, body, "policy", graph.AccessPointPolicy)
	// Access points block all public access unless told otherwise.
	pb := body.block("public_access_block_configuration")
	at := ap.Range
	if pb != nil {
		at = a.l.rng(pb.rng)
	}
	ap.PublicAccessBlock = a.pab(ri.addr, pb, at, res, true)
	if vc := body.block("vpc_configuration"); vc != nil {
		ap.VpcID = a.reqArg(vc, "vpc_id", res)
	} else {
		ap.VpcID = graph.StringDefault("", res)
	}
	a.l.g.AccessPoints = append(a.l.g.AccessPoints, ap)
	a.entities[ri] = ap
	bucket := body.attr("bucket")
	a.links = append(a.links, func() {
		if b := a.bucketTarget(ri, bucket); b != nil {
			ap.Bucket = b
			b.AccessPoints = append(b.AccessPoints, ap)
		}
	})
}
