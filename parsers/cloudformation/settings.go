package cloudformation

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// Bucket settings, access points and VPC endpoint details.
//
// A setting is read once per branch choice of the conditions it uses that
// cannot be decided before deployment (see evaluator.variants). A value
// that every branch agrees on is known; one that the branches disagree on
// is unknown, located at the Fn::If that decides it. A property that some
// branch removes (AWS::NoValue) counts, in that branch, as what AWS does
// when the property is absent.

// cannedACLs translates CloudFormation's AccessControl values to the S3
// API's canned ACL names.
var cannedACLs = map[string]string{
	"Private":                "private",
	"PublicRead":             "public-read",
	"PublicReadWrite":        "public-read-write",
	"AuthenticatedRead":      "authenticated-read",
	"AwsExecRead":            "aws-exec-read",
	"BucketOwnerRead":        "bucket-owner-read",
	"BucketOwnerFullControl": "bucket-owner-full-control",
	"LogDeliveryWrite":       "log-delivery-write",
}

// fieldRange is a property from its key through its value.
func fieldRange(f *graph.Field) graph.Range {
	if f.Value == nil || f.Value.Range.File != f.KeyRange.File || f.Value.Range.End.Byte < f.KeyRange.Start.Byte {
		// A value from elsewhere (a YAML alias to an earlier anchor
		// keeps the key's place).
		return f.KeyRange
	}
	return graph.Range{File: f.KeyRange.File, Start: f.KeyRange.Start, End: f.Value.Range.End}
}

// fields lists the located values of a setting, so that the branches of a
// setting can be merged value by value.
type fields struct {
	bools   []*graph.Bool
	strings []*graph.String
}

// settingOf reads the setting that property f declares, under every branch
// choice of its undecided conditions. read turns an evaluated property
// into the setting (never called with nil); absent is the setting as AWS
// has it when a branch removes the property. It returns nil when every
// branch removes the property, and the setting of each branch (nil where
// removed) for what cannot be merged value by value.
func settingOf[S any](a *adapter, f *graph.Field, read func(v *graph.Node) *S, absent func() *S,
	valuesOf func(*S) fields) (*S, []*S) {
	var each []*S
	present := false
	for _, choice := range a.e.variants(f.Value) {
		a.e.setAssign(choice)
		var s *S
		if v := a.e.eval(f.Value); v != nil {
			s = read(v)
			present = true
		}
		a.e.setAssign(nil)
		each = append(each, s)
	}
	if !present {
		return nil, each
	}
	if len(each) == 1 {
		return each[0], each
	}
	// With no branch chosen, an undecided Fn::If is unknown where it is
	// written: that is where the merged value is unknown.
	var out *S
	if v := a.e.eval(f.Value); v != nil {
		out = read(v)
	} else {
		out = absent()
	}
	filled := make([]*S, len(each))
	for i, s := range each {
		filled[i] = s
		if s == nil {
			filled[i] = absent()
		}
	}
	to := valuesOf(out)
	for j, b := range to.bools {
		vs := make([]graph.Value[bool], len(filled))
		for i, s := range filled {
			vs[i] = valuesOf(s).bools[j].Value
		}
		b.Value = merge(b.Value, vs)
	}
	for j, str := range to.strings {
		vs := make([]graph.Value[string], len(filled))
		for i, s := range filled {
			vs[i] = valuesOf(s).strings[j].Value
		}
		str.Value = merge(str.Value, vs)
	}
	return out, each
}

// merge is a value whatever branch is taken: the value of every branch
// when they are the same; a known value at plain's place (the Fn::If) when
// they agree on it from different places; otherwise unknown there. plain
// is the value read with no branch chosen.
func merge[T comparable](plain graph.Value[T], each []graph.Value[T]) graph.Value[T] {
	if len(each) == 0 {
		return plain
	}
	first := each[0]
	same, agree, explicit := true, true, false
	for _, v := range each {
		same = same && v == first
		agree = agree && v.Known() && v.V == first.V
		explicit = explicit || v.Origin == graph.Explicit
	}
	switch {
	case same:
		return first
	case agree && explicit:
		return graph.Value[T]{V: first.V, Origin: graph.Explicit, Range: plain.Range}
	case agree:
		return graph.Value[T]{V: first.V, Origin: graph.Default, Range: plain.Range}
	}
	return graph.Value[T]{Origin: graph.Unknown, Range: plain.Range}
}

// member is the value of key in an evaluated object and its field: nil
// when the object has no such member, an unknown node when the object
// itself is unknown or not an object.
func member(v *graph.Node, key string) (*graph.Node, *graph.Field) {
	switch {
	case v == nil:
		return nil, nil
	case v.Kind == graph.KindUnknown:
		return v, nil
	case v.Kind != graph.KindObject:
		return unknownAt(v.Range), nil
	}
	f := v.Field(key)
	if f == nil {
		return nil, nil
	}
	return f.Value, f
}

// first is the first item of an evaluated list: nil when the list is
// absent or empty, an unknown node when it cannot be known.
func first(list *graph.Node) *graph.Node {
	switch {
	case list == nil:
		return nil
	case list.Kind == graph.KindUnknown:
		return list
	case list.Kind != graph.KindList:
		return unknownAt(list.Range)
	case len(list.List) == 0:
		return nil
	}
	return list.List[0]
}

// strOf reads an evaluated value as a located string; absent is the value
// when it is not set.
func strOf(n *graph.Node, absent graph.String) graph.String {
	switch {
	case n == nil:
		return absent
	case n.Kind == graph.KindString && strings.Contains(n.Str, "{{resolve:"):
		return graph.StringUnknown(n.Range)
	case n.Kind == graph.KindString, n.Kind == graph.KindNumber, n.Kind == graph.KindBool:
		return n.AsString()
	}
	return graph.StringUnknown(n.Range)
}

// boolOf reads an evaluated value as a located boolean, as CloudFormation
// converts it: true and false, or the strings "true", "True", "false" and
// "False" (cfn-lint's BOOLEAN_STRINGS; a parameter's value is a string).
// Anything else is unknown, with a warning.
func (a *adapter) boolOf(n *graph.Node, name string, absent graph.Bool) graph.Bool {
	switch {
	case n == nil:
		return absent
	case n.Kind == graph.KindBool:
		return graph.BoolOf(n.Bool, n.Range)
	case n.Kind == graph.KindString:
		switch n.Str {
		case "true", "True":
			return graph.BoolOf(true, n.Range)
		case "false", "False":
			return graph.BoolOf(false, n.Range)
		}
		if strings.Contains(n.Str, "{{resolve:") {
			return graph.BoolUnknown(n.Range)
		}
	case n.Kind == graph.KindUnknown:
		return graph.BoolUnknown(n.Range)
	}
	msg := fmt.Sprintf("%s must be true or false, not %s; s3lint takes it as unknown", name, n.JSON())
	if n.Kind == graph.KindString && yaml11Bools[n.Str] && !strings.EqualFold(filepath.Ext(n.Range.File), ".json") {
		msg = fmt.Sprintf("%s is %q: YAML parsers disagree on whether an unquoted %s is a boolean, so s3lint takes it as unknown; write true or false",
			name, n.Str, n.Str)
	}
	a.l.report(n.Range, graph.DiagWarning, msg)
	return graph.BoolUnknown(n.Range)
}

// yaml11Bools are the one-letter words that the YAML 1.1 specification reads
// as booleans when they are not quoted, and that common parsers do not (the
// loader reads yes, no, on and off as booleans; see yaml11Bool).
var yaml11Bools = map[string]bool{"y": true, "Y": true, "n": true, "N": true}

// bucketSettings reads the settings of an AWS::S3::Bucket. It runs after
// every resource is adapted, so that the key it encrypts with is known.
func (a *adapter) bucketSettings(r *resource, b *graph.Bucket) {
	if r.props == nil {
		return
	}
	addr := r.address()
	if f := r.props.Field("PublicAccessBlockConfiguration"); f != nil {
		b.PublicAccessBlock = a.publicAccessBlock(f, addr, false)
	}
	if f := r.props.Field("OwnershipControls"); f != nil {
		b.Ownership = a.ownership(f, addr)
	}
	if f := r.props.Field("AccessControl"); f != nil {
		if acl := a.cannedACL(f, addr); acl != nil {
			b.ACLs = append(b.ACLs, acl)
		}
	}
	if f := r.props.Field("VersioningConfiguration"); f != nil {
		b.Versioning = a.versioning(f, addr)
	}
	if f := r.props.Field("BucketEncryption"); f != nil {
		b.Encryption = a.encryption(f, addr)
	}
	if f := r.props.Field("LifecycleConfiguration"); f != nil {
		// Declared unless it is removed whatever branch is taken.
		if v := a.e.eval(f.Value); v != nil {
			b.Lifecycle = &graph.Setting{Address: addr, Range: fieldRange(f)}
		}
	}
}

func bpaFields(p *graph.PublicAccessBlock) fields {
	return fields{bools: []*graph.Bool{&p.BlockPublicAcls, &p.IgnorePublicAcls, &p.BlockPublicPolicy, &p.RestrictPublicBuckets}}
}

// publicAccessBlock reads PublicAccessBlockConfiguration. A flag it omits
// is omitted: false for a bucket (CloudFormation sends false for it), true
// for an access point ("all block public access settings are enabled by
// default for access points; you must explicitly disable any settings
// that you don't want", S3's access-points-bpa-settings). A branch that
// removes the whole property has AWS's defaults: all four on, for both.
func (a *adapter) publicAccessBlock(f *graph.Field, addr string, omitted bool) *graph.PublicAccessBlock {
	rng := fieldRange(f)
	read := func(v *graph.Node) *graph.PublicAccessBlock {
		p := &graph.PublicAccessBlock{Setting: graph.Setting{Address: addr, Range: rng}}
		for _, flag := range []struct {
			name string
			to   *graph.Bool
		}{{"BlockPublicAcls", &p.BlockPublicAcls}, {"IgnorePublicAcls", &p.IgnorePublicAcls},
			{"BlockPublicPolicy", &p.BlockPublicPolicy}, {"RestrictPublicBuckets", &p.RestrictPublicBuckets}} {
			n, _ := member(v, flag.name)
			*flag.to = a.boolOf(n, flag.name, graph.BoolDefault(omitted, rng))
		}
		return p
	}
	absent := func() *graph.PublicAccessBlock { return allBlocked(addr, rng) }
	p, _ := settingOf(a, f, read, absent, bpaFields)
	return p
}

// allBlocked is a Block Public Access configuration with every flag on by
// default, located at rng.
func allBlocked(addr string, rng graph.Range) *graph.PublicAccessBlock {
	on := graph.BoolDefault(true, rng)
	return &graph.PublicAccessBlock{Setting: graph.Setting{Address: addr, Range: rng},
		BlockPublicAcls: on, IgnorePublicAcls: on, BlockPublicPolicy: on, RestrictPublicBuckets: on}
}

// ownership reads OwnershipControls: the first rule's ObjectOwnership (S3
// takes exactly one rule, which must name it).
func (a *adapter) ownership(f *graph.Field, addr string) *graph.Ownership {
	rng := fieldRange(f)
	read := func(v *graph.Node) *graph.Ownership {
		o := &graph.Ownership{Setting: graph.Setting{Address: addr, Range: rng}}
		rules, rf := member(v, "Rules")
		rule := first(rules)
		switch {
		case rule != nil:
			n, _ := member(rule, "ObjectOwnership")
			o.Rule = strOf(n, graph.StringUnknown(rule.Range))
		case rf != nil:
			o.Rule = graph.StringUnknown(fieldRange(rf))
		default:
			o.Rule = graph.StringUnknown(rng)
		}
		return o
	}
	absent := func() *graph.Ownership {
		return &graph.Ownership{Setting: graph.Setting{Address: addr, Range: rng},
			Rule: graph.StringDefault(graph.BucketOwnerEnforced, rng)}
	}
	o, _ := settingOf(a, f, read, absent, func(o *graph.Ownership) fields { return fields{strings: []*graph.String{&o.Rule}} })
	return o
}

// cannedACL reads AccessControl as a canned ACL in the S3 API's spelling.
func (a *adapter) cannedACL(f *graph.Field, addr string) *graph.ACL {
	rng := fieldRange(f)
	read := func(v *graph.Node) *graph.ACL {
		acl := &graph.ACL{Setting: graph.Setting{Address: addr, Range: rng}, Canned: strOf(v, graph.StringUnknown(rng))}
		if s, ok := cannedACLs[acl.Canned.V]; ok && acl.Canned.Known() {
			acl.Canned.V = s
		}
		return acl
	}
	absent := func() *graph.ACL {
		return &graph.ACL{Setting: graph.Setting{Address: addr, Range: rng}, Canned: graph.StringDefault("private", rng)}
	}
	acl, _ := settingOf(a, f, read, absent, func(acl *graph.ACL) fields { return fields{strings: []*graph.String{&acl.Canned}} })
	return acl
}

// versioning reads VersioningConfiguration. CloudFormation cannot turn MFA
// delete on.
func (a *adapter) versioning(f *graph.Field, addr string) *graph.Versioning {
	rng := fieldRange(f)
	read := func(v *graph.Node) *graph.Versioning {
		n, _ := member(v, "Status")
		// Status is required; the schema's default is Suspended.
		return &graph.Versioning{Setting: graph.Setting{Address: addr, Range: rng},
			Status: strOf(n, graph.StringDefault("Suspended", rng)), MFADelete: graph.BoolDefault(false, rng)}
	}
	absent := func() *graph.Versioning {
		return &graph.Versioning{Setting: graph.Setting{Address: addr, Range: rng},
			Status: graph.StringDefault("Disabled", rng), MFADelete: graph.BoolDefault(false, rng)}
	}
	vs, _ := settingOf(a, f, read, absent, func(v *graph.Versioning) fields {
		return fields{bools: []*graph.Bool{&v.MFADelete}, strings: []*graph.String{&v.Status}}
	})
	return vs
}

// encryption reads BucketEncryption: the first rule of
// ServerSideEncryptionConfiguration (S3 takes one), and the key of the
// template it names, if any.
func (a *adapter) encryption(f *graph.Field, addr string) *graph.Encryption {
	rng := fieldRange(f)
	read := func(v *graph.Node) *graph.Encryption {
		e := &graph.Encryption{Setting: graph.Setting{Address: addr, Range: rng}}
		list, lf := member(v, "ServerSideEncryptionConfiguration")
		rule := first(list)
		if rule == nil {
			// Required, with a rule: CloudFormation rejects the
			// template, and nothing is known.
			at := rng
			if lf != nil {
				at = fieldRange(lf)
			}
			e.Algorithm, e.KeyID, e.BucketKey = graph.StringUnknown(at), graph.StringUnknown(at), graph.BoolUnknown(at)
			return e
		}
		n, _ := member(rule, "BucketKeyEnabled")
		e.BucketKey = a.boolOf(n, "BucketKeyEnabled", graph.BoolDefault(false, rule.Range))
		byDefault, df := member(rule, "ServerSideEncryptionByDefault")
		if byDefault == nil {
			// A rule without a default keeps S3's: SSE-S3.
			e.Algorithm, e.KeyID = graph.StringDefault("AES256", rule.Range), graph.StringDefault("", rule.Range)
			return e
		}
		at := byDefault.Range
		if df != nil {
			at = fieldRange(df)
		}
		n, _ = member(byDefault, "SSEAlgorithm")
		e.Algorithm = strOf(n, graph.StringUnknown(at)) // required
		n, _ = member(byDefault, "KMSMasterKeyID")
		e.KeyID = strOf(n, graph.StringDefault("", at))
		if n != nil {
			e.Key = a.keyNamed(a.rawKeyID(f.Value))
		}
		return e
	}
	absent := func() *graph.Encryption {
		return &graph.Encryption{Setting: graph.Setting{Address: addr, Range: rng},
			Algorithm: graph.StringDefault("AES256", rng), KeyID: graph.StringDefault("", rng), BucketKey: graph.BoolDefault(false, rng)}
	}
	e, each := settingOf(a, f, read, absent, func(e *graph.Encryption) fields {
		return fields{bools: []*graph.Bool{&e.BucketKey}, strings: []*graph.String{&e.Algorithm, &e.KeyID}}
	})
	if e == nil {
		return nil
	}
	// The key of every branch, when they agree (e may be one of them).
	var key *graph.Key
	for i, s := range each {
		var k *graph.Key
		if s != nil {
			k = s.Key
		}
		if i > 0 && k != key {
			key = nil
			break
		}
		key = k
	}
	e.Key = key
	return e
}

// Choosing branches in templates as written (before evaluation), for what
// evaluation loses: which resource a value refers to.

type branch uint8

const (
	taken     branch = iota // the node is what is used
	removed                 // AWS::NoValue
	undecided               // an Fn::If with no branch chosen
)

// pick resolves Fn::If (and AWS::NoValue) at n by the conditions that can
// be decided and the branch choice being evaluated.
func (a *adapter) pick(n *graph.Node) (*graph.Node, branch) {
	for range maxDepth {
		if name, ok := refName(n); ok && name == "AWS::NoValue" {
			return nil, removed
		}
		fn, arg, ok := intrinsic(n)
		if !ok || fn != "Fn::If" || arg.Kind != graph.KindList || len(arg.List) != 3 || arg.List[0].Kind != graph.KindString {
			return n, taken
		}
		var yes bool
		switch a.e.cond(arg.List[0].Str, n.Range) {
		case trueTri:
			yes = true
		case falseTri:
		default:
			v, chosen := a.e.assign[arg.List[0].Str]
			if !chosen {
				return n, undecided
			}
			yes = v
		}
		if yes {
			n = arg.List[1]
		} else {
			n = arg.List[2]
		}
	}
	return n, undecided
}

// rawKeyID finds KMSMasterKeyID as written in a BucketEncryption property,
// for the branch choice being evaluated, or nil.
func (a *adapter) rawKeyID(prop *graph.Node) *graph.Node {
	n, b := a.pick(prop)
	if b != taken {
		return nil
	}
	list, b := a.pick(n.Get("ServerSideEncryptionConfiguration"))
	if b != taken || list == nil || list.Kind != graph.KindList {
		return nil
	}
	var rule *graph.Node
	for _, item := range list.List {
		x, b := a.pick(item)
		if b == removed {
			continue
		}
		if b == undecided {
			return nil
		}
		rule = x
		break
	}
	n, b = a.pick(rule.Get("ServerSideEncryptionByDefault"))
	if b != taken || n == nil {
		return nil
	}
	return n.Get("KMSMasterKeyID")
}

// keyNamed is the KMS key of the template that a KMSMasterKeyID names:
// by Ref or Fn::GetAtt of the key (also inside Fn::Sub and Fn::Join, as in
// a key ARN built from parts), or of an AWS::KMS::Alias, or by an alias
// name or alias ARN matching an alias of the template; the alias's
// TargetKeyId then names the key. nil when it names none, or several.
func (a *adapter) keyNamed(raw *graph.Node) *graph.Key {
	ids := map[string]bool{}
	a.keyRefs(raw, ids, 0)
	if name := aliasName(a.partial(raw, 0)); name != "" {
		a.aliasesNamed(name, ids)
	}
	if len(ids) != 1 {
		return nil
	}
	for id := range ids {
		if k, ok := a.byID[id].(*graph.Key); ok {
			return k
		}
	}
	return nil
}

// keyRefs adds the logical IDs of the keys that n refers to, directly or
// through an alias.
func (a *adapter) keyRefs(n *graph.Node, ids map[string]bool, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	n, b := a.pick(n)
	switch b {
	case removed:
		return
	case undecided:
		// Either branch.
		if fn, arg, ok := intrinsic(n); ok && fn == "Fn::If" && arg.Kind == graph.KindList && len(arg.List) == 3 {
			a.keyRefs(arg.List[1], ids, depth+1)
			a.keyRefs(arg.List[2], ids, depth+1)
		}
		return
	}
	fn, arg, ok := intrinsic(n)
	if !ok {
		for _, f := range n.Fields {
			a.keyRefs(f.Value, ids, depth+1)
		}
		for _, x := range n.List {
			a.keyRefs(x, ids, depth+1)
		}
		return
	}
	switch fn {
	case "Ref", "Fn::GetAtt":
		if id := refID(n); id != "" {
			a.keyOf(id, ids, depth)
		} else if fn == "Fn::GetAtt" && arg.Kind == graph.KindString {
			id, _, _ := strings.Cut(arg.Str, ".")
			a.keyOf(id, ids, depth)
		}
	case "Fn::Sub":
		text, vars := arg, (*graph.Node)(nil)
		if arg.Kind == graph.KindList && len(arg.List) == 2 {
			text, vars = arg.List[0], arg.List[1]
		}
		if text.Kind == graph.KindString {
			for _, name := range subNames(text.Str) {
				if vars.Get(name) != nil {
					continue
				}
				id, _, _ := strings.Cut(name, ".")
				a.keyOf(id, ids, depth)
			}
		}
		if vars != nil {
			for _, f := range vars.Fields {
				a.keyRefs(f.Value, ids, depth+1)
			}
		}
	case "Fn::Join", "Fn::Select":
		a.keyRefs(arg, ids, depth+1)
	}
}

// keyOf adds the key that resource id is or that it (an alias) targets.
func (a *adapter) keyOf(id string, ids map[string]bool, depth int) {
	r := a.t.byID[id]
	if r == nil || r.condition != "" && a.e.cond(r.condition, r.keyRange) == falseTri {
		return
	}
	switch r.typ {
	case "AWS::KMS::Key", "AWS::KMS::ReplicaKey":
		ids[id] = true
	case "AWS::KMS::Alias":
		a.keyRefs(r.prop("TargetKeyId"), ids, depth+1)
	}
}

// aliasesNamed adds the keys targeted by the aliases of the template named
// name (alias/…).
func (a *adapter) aliasesNamed(name string, ids map[string]bool) {
	for _, r := range a.t.resources {
		if r.typ != "AWS::KMS::Alias" {
			continue
		}
		if v := a.e.eval(r.prop("AliasName")); v != nil && v.Kind == graph.KindString && v.Str == name {
			a.keyOf(r.id, ids, 0)
		}
	}
}

// subNames lists the ${…} names of an Fn::Sub string, without ${!…}
// literals.
func subNames(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		if name := s[i+2 : i+j]; !strings.HasPrefix(name, "!") {
			out = append(out, name)
		}
		s = s[i+j+1:]
	}
}

// unknownPart stands for what cannot be known inside a partly known string.
const unknownPart = "\x00"

// partial evaluates a string as far as it can be known, with unknownPart
// for each part that cannot: an alias ARN built with ${AWS::Region} still
// names its alias.
func (a *adapter) partial(n *graph.Node, depth int) string {
	if n == nil || depth > maxDepth {
		return unknownPart
	}
	n, b := a.pick(n)
	switch b {
	case removed:
		return ""
	case undecided:
		return unknownPart
	}
	if fn, arg, ok := intrinsic(n); ok {
		switch fn {
		case "Fn::Sub":
			return a.partialSub(arg, n.Range, depth)
		case "Fn::Join":
			if arg.Kind != graph.KindList || len(arg.List) != 2 || arg.List[0].Kind != graph.KindString || arg.List[1].Kind != graph.KindList {
				return unknownPart
			}
			parts := make([]string, 0, len(arg.List[1].List))
			for _, p := range arg.List[1].List {
				parts = append(parts, a.partial(p, depth+1))
			}
			return strings.Join(parts, arg.List[0].Str)
		}
	}
	return known(a.e.eval(n))
}

func (a *adapter) partialSub(arg *graph.Node, rng graph.Range, depth int) string {
	text, vars := arg, (*graph.Node)(nil)
	if arg.Kind == graph.KindList && len(arg.List) == 2 {
		text, vars = arg.List[0], arg.List[1]
	}
	if text.Kind != graph.KindString {
		return unknownPart
	}
	s := text.Str
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return unknownPart
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		switch res, attr, dotted := strings.Cut(name, "."); {
		case strings.HasPrefix(name, "!"):
			b.WriteString("${" + name[1:] + "}")
		case vars.Get(name) != nil:
			b.WriteString(a.partial(vars.Get(name), depth+1))
		case dotted:
			b.WriteString(known(a.e.getAtt(res, attr, rng)))
		default:
			b.WriteString(known(a.e.ref(name, rng)))
		}
	}
}

// known is an evaluated scalar as a string, or unknownPart.
func known(v *graph.Node) string {
	if v == nil {
		return ""
	}
	s := v.AsString()
	if !s.Known() || v.Kind == graph.KindList || v.Kind == graph.KindObject || graph.HasSymbol(s.V) ||
		strings.Contains(s.V, "{{resolve:") {
		return unknownPart
	}
	return s.V
}

// aliasName is the alias name (alias/…) in a KMS key reference that is an
// alias name or alias ARN, or "" when it is neither or not known.
func aliasName(s string) string {
	name := ""
	switch {
	case strings.HasPrefix(s, "alias/"):
		name = s
	case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":alias/"):
		name = s[strings.LastIndex(s, ":alias/")+1:]
	}
	if strings.Contains(name, unknownPart) || name == "alias/" {
		return ""
	}
	return name
}

// accessPoint adds an AWS::S3::AccessPoint.
func (a *adapter) accessPoint(r *resource) {
	ap := &graph.AccessPoint{Entity: a.entity(r), Name: a.str(r, "Name"), ARN: graph.StringUnknown(r.keyRange),
		BucketRef: a.str(r, "Bucket")}
	if ap.Name.Origin == graph.Default || graph.HasSymbol(ap.Name.V) {
		// CloudFormation names it.
		ap.Name = graph.StringUnknown(r.keyRange)
	}
	if ps := a.policies(r, r.props, "Policy", graph.AccessPointPolicy); len(ps) > 0 {
		ap.Policy = ps[0]
	}
	addr := r.address()
	if f := r.props.Field("PublicAccessBlockConfiguration"); f != nil {
		ap.PublicAccessBlock = a.publicAccessBlock(f, addr, true)
	}
	if ap.PublicAccessBlock == nil {
		// Absent, or removed in every branch: access points block by
		// default.
		ap.PublicAccessBlock = allBlocked(addr, r.keyRange)
	}
	ap.VpcID = graph.StringDefault("", r.keyRange)
	if f := r.props.Field("VpcConfiguration"); f != nil {
		rng := fieldRange(f)
		ap.VpcID = a.stringIn(f, "VpcId", graph.StringDefault("", rng), graph.StringDefault("", rng))
	}
	a.l.g.AccessPoints = append(a.l.g.AccessPoints, ap)
	a.byID[r.id] = ap
	ref := r.prop("Bucket")
	a.links = append(a.links, func() {
		if b, ok := a.byID[refID(ref)].(*graph.Bucket); ok {
			ap.Bucket = b
			b.AccessPoints = append(b.AccessPoints, ap)
		}
	})
}

// endpointDetails reads the type and VPC of an AWS::EC2::VPCEndpoint.
func (a *adapter) endpointDetails(r *resource, e *graph.Endpoint) {
	e.Type = graph.StringDefault("Gateway", r.keyRange)
	if f := r.props.Field("VpcEndpointType"); f != nil {
		e.Type = a.stringIn(f, "", graph.StringDefault("Gateway", fieldRange(f)), graph.StringDefault("Gateway", fieldRange(f)))
	}
	// VpcId is required.
	e.VpcID = graph.StringUnknown(r.keyRange)
	if f := r.props.Field("VpcId"); f != nil {
		e.VpcID = a.stringIn(f, "", graph.StringUnknown(fieldRange(f)), graph.StringUnknown(fieldRange(f)))
	}
}

// stringIn reads a string property f (key "") or member key of the object
// property f, under every branch choice. unset is the value when the
// member is not set, removed when a branch removes the property.
func (a *adapter) stringIn(f *graph.Field, key string, unset, removed graph.String) graph.String {
	read := func(v *graph.Node) *graph.String {
		n := v
		if key != "" {
			n, _ = member(v, key)
		}
		s := strOf(n, unset)
		return &s
	}
	absent := func() *graph.String { s := removed; return &s }
	s, _ := settingOf(a, f, read, absent, func(s *graph.String) fields { return fields{strings: []*graph.String{s}} })
	if s == nil {
		return removed
	}
	return *s
}

// linkAccessPointsByName links access points that name their bucket by a
// literal name (or a parameter holding it) to the bucket of that name,
// preferring one of the same template: bucket names are global. Access
// points that graph.LinkBucketsByName has linked stay as they are.
func linkAccessPointsByName(g *graph.Graph) {
	byName := map[string][]*graph.Bucket{}
	for _, b := range g.Buckets {
		if b.Name.Known() && b.Name.V != "" && !graph.HasSymbol(b.Name.V) {
			byName[b.Name.V] = append(byName[b.Name.V], b)
		}
	}
	for _, ap := range g.AccessPoints {
		if ap.Bucket != nil || !ap.BucketRef.Known() || len(byName[ap.BucketRef.V]) == 0 {
			continue
		}
		bs := byName[ap.BucketRef.V]
		b := bs[0]
		for _, x := range bs {
			if x.Root == ap.Root {
				b = x
				break
			}
		}
		ap.Bucket = b
		b.AccessPoints = append(b.AccessPoints, ap)
	}
}
