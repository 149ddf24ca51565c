package cloudformation

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/policy"
)

// evaluator resolves intrinsic functions as far as their values can be known
// before deployment. Values keep the range of the text that wrote them;
// what cannot be known is a KindUnknown node, and AWS::NoValue removes the
// element that holds it.
type evaluator struct {
	t *template
	// stop is closed when the template runs out of time: every value is
	// unknown from then on, and the reading ends soon.
	stop limits.Stop
	// values are parameter values: from a parameters file, else the
	// Default; a parameter missing here has no value before deployment.
	values map[string]*graph.Node
	// fixed parameters were given in a parameters file, so conditions on
	// them are decided; other parameters may take any value at deployment.
	fixed map[string]bool
	conds map[string]tri
	// assign chooses a branch for conditions that cannot be decided, one
	// variant at a time (see variants).
	assign map[string]bool
	busy   map[string]bool
	// names caches the physical names of resources (for the current
	// branch choices): references to names may nest deeply.
	names  map[string]*graph.Node
	depth  int
	report func(r graph.Range, msg string)
	// imports are the values other templates of the scan export, which
	// Fn::ImportValue reads (see exports.go); nil while they are not known.
	imports map[string]*export
	// importedNames are the names the template imports, literally or as
	// evaluated: what it depends on (nil in the first round).
	importedNames map[string]bool
}

type tri int8

const (
	unknownTri tri = iota
	falseTri
	trueTri
)

// maxDepth bounds nesting of intrinsic functions.
const maxDepth = 200

func newEvaluator(t *template, fileParams map[string]*string, report func(graph.Range, string)) *evaluator {
	e := &evaluator{t: t, values: map[string]*graph.Node{}, fixed: map[string]bool{}, conds: map[string]tri{},
		busy: map[string]bool{}, report: report}
	for name, decl := range t.parameters {
		typ := ""
		if ty := decl.Get("Type"); ty != nil && ty.Kind == graph.KindString {
			typ = ty.Str
		}
		if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value") {
			// Resolved from Parameter Store at deployment.
			continue
		}
		rng := decl.Range
		var raw *string
		if v, ok := fileParams[name]; ok {
			if v == nil {
				// UsePreviousValue: whatever the stack has now.
				continue
			}
			raw = v
			e.fixed[name] = true
		} else if d := decl.Get("Default"); d != nil && d.Kind != graph.KindObject && d.Kind != graph.KindList {
			s := d.AsString()
			if s.Known() {
				raw, rng = &s.V, d.Range
			}
		}
		if raw == nil {
			continue
		}
		if typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") {
			list := &graph.Node{Kind: graph.KindList, Range: rng}
			for _, p := range strings.Split(*raw, ",") {
				list.List = append(list.List, &graph.Node{Kind: graph.KindString, Str: strings.TrimSpace(p), Range: rng})
			}
			e.values[name] = list
			continue
		}
		e.values[name] = &graph.Node{Kind: graph.KindString, Str: *raw, Range: rng}
	}
	return e
}

func unknownAt(r graph.Range) *graph.Node { return &graph.Node{Kind: graph.KindUnknown, Range: r} }

func str(s string, r graph.Range) *graph.Node {
	return &graph.Node{Kind: graph.KindString, Str: s, Range: r}
}

// at copies a value to a new range: the place that referred to it. The
// items of a list move too (a list parameter's items are all written at
// the Ref); the insides of objects keep their own places.
func at(n *graph.Node, r graph.Range) *graph.Node {
	c := *n
	c.Range = r
	if n.Kind == graph.KindList {
		c.List = make([]*graph.Node, len(n.List))
		for i, e := range n.List {
			c.List[i] = at(e, r)
		}
	}
	return &c
}

// intrinsic recognises {"Ref": …} and {"Fn::…": …}.
func intrinsic(n *graph.Node) (fn string, arg *graph.Node, ok bool) {
	if n == nil || n.Kind != graph.KindObject || len(n.Fields) != 1 {
		return "", nil, false
	}
	k := n.Fields[0].Key
	if k == "Ref" || strings.HasPrefix(k, "Fn::") {
		return k, n.Fields[0].Value, true
	}
	return "", nil, false
}

// eval resolves every intrinsic in n. It returns nil for AWS::NoValue.
func (e *evaluator) eval(n *graph.Node) *graph.Node {
	if n == nil {
		return nil
	}
	if e.depth > maxDepth || e.stop.Expired() {
		// Too deep, or out of time (the results are left out then).
		return unknownAt(n.Range)
	}
	e.depth++
	defer func() { e.depth-- }()
	switch n.Kind {
	case graph.KindObject:
		if fn, arg, ok := intrinsic(n); ok {
			return e.call(fn, arg, n.Range)
		}
		out := &graph.Node{Kind: graph.KindObject, Range: n.Range}
		for _, f := range n.Fields {
			if v := e.eval(f.Value); v != nil {
				out.Fields = append(out.Fields, graph.Field{Key: f.Key, KeyRange: f.KeyRange, Value: v})
			}
		}
		return out
	case graph.KindList:
		out := &graph.Node{Kind: graph.KindList, Range: n.Range}
		for _, x := range n.List {
			if v := e.eval(x); v != nil {
				out.List = append(out.List, v)
			}
		}
		return out
	case graph.KindString:
		if strings.Contains(n.Str, "{{resolve:") {
			// A dynamic reference, resolved from SSM or Secrets
			// Manager at deployment.
			return unknownAt(n.Range)
		}
		return n
	default:
		return n
	}
}

func (e *evaluator) call(fn string, arg *graph.Node, rng graph.Range) *graph.Node {
	switch fn {
	case "Ref":
		name := e.eval(arg)
		if name == nil || name.Kind != graph.KindString {
			return unknownAt(rng)
		}
		return e.ref(name.Str, rng)
	case "Fn::GetAtt":
		if arg.Kind == graph.KindString {
			// The long form also accepts "Resource.Attribute".
			res, attr, _ := strings.Cut(arg.Str, ".")
			arg = &graph.Node{Kind: graph.KindList, Range: arg.Range, List: []*graph.Node{str(res, arg.Range), str(attr, arg.Range)}}
		}
		a := e.eval(arg)
		if a == nil || a.Kind != graph.KindList || len(a.List) != 2 || a.List[0].Kind != graph.KindString || a.List[1].Kind != graph.KindString {
			return unknownAt(rng)
		}
		return e.getAtt(a.List[0].Str, a.List[1].Str, rng)
	case "Fn::Sub":
		return e.sub(arg, rng)
	case "Fn::Join":
		return e.join(arg, rng)
	case "Fn::Select":
		a := e.eval(arg)
		if a == nil || a.Kind != graph.KindList || len(a.List) != 2 || a.List[1].Kind != graph.KindList {
			return unknownAt(rng)
		}
		i, err := strconv.Atoi(a.List[0].AsString().V)
		if err != nil || !a.List[0].AsString().Known() || i < 0 || i >= len(a.List[1].List) {
			return unknownAt(rng)
		}
		return at(a.List[1].List[i], rng)
	case "Fn::Split":
		a := e.eval(arg)
		if a == nil || a.Kind != graph.KindList || len(a.List) != 2 || a.List[0].Kind != graph.KindString || a.List[1].Kind != graph.KindString {
			return unknownAt(rng)
		}
		out := &graph.Node{Kind: graph.KindList, Range: rng}
		for _, p := range strings.Split(a.List[1].Str, a.List[0].Str) {
			out.List = append(out.List, str(p, rng))
		}
		return out
	case "Fn::FindInMap":
		return e.findInMap(arg, rng)
	case "Fn::If":
		return e.ifFn(arg, rng)
	case "Fn::ImportValue":
		return e.importValue(arg, rng)
	case "Fn::Base64", "Fn::GetStackOutput", "Fn::GetAZs", "Fn::Cidr", "Fn::Transform", "Fn::ToJsonString",
		"Fn::Length", "Fn::ForEach", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::GetParam",
		"Fn::Contains", "Fn::EachMemberIn", "Fn::EachMemberEquals", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll":
		return unknownAt(rng)
	}
	e.report(rng, fmt.Sprintf("unrecognised intrinsic function %s", fn))
	return unknownAt(rng)
}

// pseudo parameters that have a value before deployment; the others are
// unknown.
func (e *evaluator) pseudo(name string, rng graph.Range) (*graph.Node, bool) {
	switch name {
	case "AWS::AccountId":
		return str(string(e.t.account), rng), true
	case "AWS::Partition":
		return str(e.partition(), rng), true
	case "AWS::URLSuffix":
		if e.partition() == "aws-cn" {
			return str("amazonaws.com.cn", rng), true
		}
		return str("amazonaws.com", rng), true
	case "AWS::NoValue":
		return nil, true
	case "AWS::Region":
		if e.t.region != "" {
			return str(e.t.region, rng), true
		}
		return unknownAt(rng), true
	case "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs":
		return unknownAt(rng), true
	}
	return nil, false
}

// partition is the stack's partition: its region's when a CDK manifest
// gives one, else aws.
func (e *evaluator) partition() string { return policy.PartitionOf(e.t.region) }

// replicaKeyID is the key ID of an AWS::KMS::ReplicaKey: its primary's,
// from PrimaryKeyArn.
func (e *evaluator) replicaKeyID(r *resource) (string, bool) {
	v := e.eval(r.prop("PrimaryKeyArn"))
	if v == nil || v.Kind != graph.KindString {
		return "", false
	}
	return graph.KeyIDOf(v.Str)
}

// replicaKeyARN is the ARN of an AWS::KMS::ReplicaKey: its primary's key ID
// in the stack's region.
func (e *evaluator) replicaKeyARN(r *resource) (string, bool) {
	id, ok := e.replicaKeyID(r)
	if !ok {
		return "", false
	}
	return graph.KMSARN(policy.PartitionOf(e.t.region), e.t.region, e.t.account, "key/"+id), true
}

// keyARN is the ARN of a key the template creates, with a symbol for its
// ID (and for its region when the stack's is not known).
func (t *template) keyARN(id string) string {
	return graph.SymbolicKeyARN(policy.PartitionOf(t.region), t.region, t.account, id, t.file)
}

func (e *evaluator) ref(name string, rng graph.Range) *graph.Node {
	if v, ok := e.pseudo(name, rng); ok {
		return v
	}
	if _, ok := e.t.parameters[name]; ok {
		if v := e.values[name]; v != nil {
			return at(v, rng)
		}
		return unknownAt(rng)
	}
	if r := e.t.byID[name]; r != nil {
		return e.refResource(r, rng)
	}
	// A reference to nothing: validate reports it (for templates without
	// macros, which may add what is missing).
	return unknownAt(rng)
}

// reportMissing reports a reference to something the template does not
// declare, unless macros (a Transform, modules) rewrite the template before
// deployment and may add it.
func (e *evaluator) reportMissing(rng graph.Range, msg string) {
	if !e.t.transformed {
		e.report(rng, msg)
	}
}

// name is the physical name of a resource: its name property when known,
// else a symbol standing for the name CloudFormation will generate.
func (e *evaluator) name(r *resource, prop string, rng graph.Range) *graph.Node {
	if v, ok := e.names[r.id]; ok {
		return at(v, rng)
	}
	v := e.computeName(r, prop, rng)
	if e.names == nil {
		e.names = map[string]*graph.Node{}
	}
	e.names[r.id] = v
	return v
}

// setAssign chooses the branches of undecided conditions for what is
// evaluated next (nil: none chosen).
func (e *evaluator) setAssign(a map[string]bool) {
	e.assign = a
	e.names = nil
}

func (e *evaluator) computeName(r *resource, prop string, rng graph.Range) *graph.Node {
	if e.busy[r.id] {
		e.report(rng, fmt.Sprintf("circular reference: the name of %s depends on itself", r.id))
		return unknownAt(rng)
	}
	generated := true // CloudFormation names it
	if p := r.prop(prop); p != nil {
		e.busy[r.id] = true
		v := e.eval(p)
		delete(e.busy, r.id)
		if v != nil && v.Kind != graph.KindUnknown && (v.Kind != graph.KindString || v.Str != "") {
			return at(v, rng)
		}
		// Removed (AWS::NoValue: CloudFormation names it) or not known
		// before deployment: a symbol stands for the name.
		generated = v == nil
	}
	if generated {
		if shape, ok := generatedNames[r.typ]; ok {
			return str(graph.SymbolicGeneratedName(r.id, e.t.file, shape), rng)
		}
	}
	return str(graph.SymbolicName(r.id, e.t.file), rng)
}

// generatedNames are the forms of the names CloudFormation gives IAM roles,
// users and groups without a name property: the stack's name, the logical
// ID and a random suffix of twelve or thirteen letters and digits, joined
// by hyphens (MyStack-AppRole-1ABCDEFGHIJK), parts shortened to fit. The
// form kept is the least of it: a hyphen with at least ten characters
// after it, so that a policy naming "security-admin" is known not to name
// such a role.
var generatedNames = map[string]string{
	"AWS::IAM::Role":  "*-??????????*",
	"AWS::IAM::User":  "*-??????????*",
	"AWS::IAM::Group": "*-??????????*",
}

func (e *evaluator) refResource(r *resource, rng graph.Range) *graph.Node {
	switch r.typ {
	case "AWS::S3::Bucket":
		return e.name(r, "BucketName", rng)
	case "AWS::IAM::Role":
		return e.name(r, "RoleName", rng)
	case "AWS::IAM::User":
		return e.name(r, "UserName", rng)
	case "AWS::IAM::Group":
		return e.name(r, "GroupName", rng)
	case "AWS::IAM::ManagedPolicy":
		return e.iamARN(r, "policy", "ManagedPolicyName", rng)
	case "AWS::S3::AccessPoint":
		if p := r.prop("Name"); p != nil {
			return at(e.evalOrUnknown(p), rng)
		}
	case "AWS::KMS::Alias":
		if p := r.prop("AliasName"); p != nil {
			return at(e.evalOrUnknown(p), rng)
		}
	case "AWS::KMS::ReplicaKey":
		if id, ok := e.replicaKeyID(r); ok {
			return str(id, rng)
		}
	case "AWS::EC2::VPCEndpoint", "AWS::EC2::VPC", "AWS::CloudFront::Distribution", "AWS::CloudFront::CloudFrontOriginAccessIdentity", "AWS::KMS::Key":
		// IDs AWS assigns at creation: a symbol that policies referring
		// to the resource render too.
		return str(graph.SymbolicID(r.id, e.t.file), rng)
	}
	return unknownAt(rng)
}

func (e *evaluator) evalOrUnknown(n *graph.Node) *graph.Node {
	if v := e.eval(n); v != nil {
		return v
	}
	return unknownAt(n.Range)
}

// iamARN builds the ARN of an IAM role, user, group or managed policy from
// its path and name and the template's account.
func (e *evaluator) iamARN(r *resource, kind, nameProp string, rng graph.Range) *graph.Node {
	name := e.name(r, nameProp, rng)
	path := str("/", rng)
	if p := r.prop("Path"); p != nil {
		key := "path " + r.id
		if e.busy[key] {
			e.report(rng, fmt.Sprintf("circular reference: the path of %s depends on itself", r.id))
			return unknownAt(rng)
		}
		e.busy[key] = true
		path = e.evalOrUnknown(p)
		delete(e.busy, key)
	}
	if name.Kind != graph.KindString || path.Kind != graph.KindString {
		return unknownAt(rng)
	}
	return str("arn:"+e.partition()+":iam::"+string(e.t.account)+":"+kind+path.Str+name.Str, rng)
}

func (e *evaluator) getAtt(id, attr string, rng graph.Range) *graph.Node {
	r := e.t.byID[id]
	if r == nil {
		return unknownAt(rng) // reported by validate
	}
	switch r.typ + "." + attr {
	case "AWS::S3::Bucket.Arn":
		if n := e.name(r, "BucketName", rng); n.Kind == graph.KindString {
			return str("arn:"+e.partition()+":s3:::"+n.Str, rng)
		}
	case "AWS::S3::Bucket.DomainName":
		if n := e.name(r, "BucketName", rng); n.Kind == graph.KindString {
			return str(n.Str+".s3.amazonaws.com", rng)
		}
	case "AWS::IAM::Role.Arn":
		return e.iamARN(r, "role", "RoleName", rng)
	case "AWS::IAM::User.Arn":
		return e.iamARN(r, "user", "UserName", rng)
	case "AWS::IAM::Group.Arn":
		return e.iamARN(r, "group", "GroupName", rng)
	case "AWS::IAM::ManagedPolicy.PolicyArn":
		return e.iamARN(r, "policy", "ManagedPolicyName", rng)
	case "AWS::S3::AccessPoint.Name":
		return e.refResource(r, rng)
	case "AWS::KMS::Key.Arn":
		return str(e.t.keyARN(r.id), rng)
	case "AWS::KMS::ReplicaKey.Arn":
		if arn, ok := e.replicaKeyARN(r); ok {
			return str(arn, rng)
		}
	case "AWS::KMS::Key.KeyId", "AWS::KMS::ReplicaKey.KeyId":
		return e.refResource(r, rng)
	case "AWS::CloudFront::Distribution.Id", "AWS::CloudFront::CloudFrontOriginAccessIdentity.Id":
		return e.refResource(r, rng)
	}
	return unknownAt(rng)
}

// sub resolves Fn::Sub in both forms: "text ${Name} ${Res.Attr} ${!Literal}"
// and [text, {Name: value}].
func (e *evaluator) sub(arg *graph.Node, rng graph.Range) *graph.Node {
	text := arg
	vars := map[string]*graph.Node{}
	if arg.Kind == graph.KindList {
		if len(arg.List) != 2 || arg.List[1].Kind != graph.KindObject {
			e.report(rng, "Fn::Sub takes a string, or a list of a string and a mapping of variables")
			return unknownAt(rng)
		}
		text = arg.List[0]
		for _, f := range arg.List[1].Fields {
			vars[f.Key] = e.evalOrUnknown(f.Value)
		}
	}
	if text.Kind != graph.KindString {
		return unknownAt(rng)
	}
	s := text.Str
	var b strings.Builder
	// regionOnly: every unknown part so far is the stack's region.
	unknown, regionOnly := false, false
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			e.report(rng, "Fn::Sub: a ${ without its closing }")
			return unknownAt(rng)
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		var v *graph.Node
		if x, ok := vars[name]; ok {
			v = x
		} else if name == "AWS::Region" && e.t.region == "" {
			// Unknown, but the same in every ARN of the stack: a key's ARN
			// built from it is the key's (see keyARNWithRegion).
			b.WriteString(regionMark)
			regionOnly = regionOnly || !unknown
			unknown = true
			continue
		} else if res, attr, dotted := strings.Cut(name, "."); dotted {
			v = e.getAtt(res, attr, rng)
		} else {
			v = e.ref(name, rng)
		}
		if v == nil {
			continue
		}
		if v.Kind == graph.KindList || v.Kind == graph.KindObject {
			// Fn::Sub refuses them: nothing of the string is known.
			return unknownAt(rng)
		}
		part, known := shapePart(v)
		regionOnly = regionOnly && known
		unknown = unknown || !known
		b.WriteString(part)
	}
	if strings.Contains(b.String(), "{{resolve:") {
		return unknownAt(rng)
	}
	if unknown {
		return e.partlyKnown(b.String(), regionOnly, rng)
	}
	return str(b.String(), rng)
}

// partlyKnown is a string built with Fn::Sub or Fn::Join that has unknown
// parts (graph.UnknownPart, or regionMark for the stack's region): the key
// ARN it is when the region is all that is unknown (keyARNWithRegion),
// else an unknown value of its shape.
func (e *evaluator) partlyKnown(s string, regionOnly bool, rng graph.Range) *graph.Node {
	if regionOnly && e.keyARNWithRegion(s) {
		return str(strings.ReplaceAll(s, regionMark, "<region>"), rng)
	}
	return graph.UnknownShaped(strings.ReplaceAll(s, regionMark, graph.UnknownPart), rng)
}

// regionMark stands for the stack's region in a string built with Fn::Sub
// or Fn::Join while the region is not known.
const regionMark = "\x00region\x00"

// keyARNWithRegion reports whether s, with regionMark for the stack's
// region, is the ARN of a key the template creates, as templates write it
// when they do not use Fn::GetAtt: !Sub
// "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}"
// (SAM's KMS policy templates too). It is then that key's ARN, whatever the
// region.
func (e *evaluator) keyARNWithRegion(s string) bool {
	if !strings.Contains(s, ":kms:"+regionMark+":") {
		return false
	}
	id, ok := graph.KeyIDOf(s)
	if !ok {
		return false
	}
	for _, r := range e.t.resources {
		if r.typ == "AWS::KMS::Key" && graph.SymbolicID(r.id, e.t.file) == id {
			return strings.ReplaceAll(s, regionMark, "<region>") == e.t.keyARN(r.id)
		}
	}
	return false
}

// shapePart is what a string value adds to a string built with Fn::Sub or
// Fn::Join: its text when known (known is then true), else its shape when
// it has one, or graph.UnknownPart.
func shapePart(v *graph.Node) (text string, known bool) {
	if v.Kind == graph.KindUnknown && v.Str != "" {
		return v.Str, false
	}
	if s := v.AsString(); s.Known() {
		return s.V, true
	}
	return graph.UnknownPart, false
}

func (e *evaluator) join(arg *graph.Node, rng graph.Range) *graph.Node {
	a := e.eval(arg)
	if a == nil || a.Kind != graph.KindList || len(a.List) != 2 || a.List[0].Kind != graph.KindString || a.List[1].Kind != graph.KindList {
		return unknownAt(rng)
	}
	// The items written as {Ref: AWS::Region}, while the stack's region is
	// not known (see keyARNWithRegion).
	var raw []*graph.Node
	if arg.Kind == graph.KindList && len(arg.List) == 2 && arg.List[1].Kind == graph.KindList && len(arg.List[1].List) == len(a.List[1].List) {
		raw = arg.List[1].List
	}
	parts := make([]string, 0, len(a.List[1].List))
	unknown, regionOnly := false, true
	for i, p := range a.List[1].List {
		if p.Kind == graph.KindList || p.Kind == graph.KindObject {
			return unknownAt(rng)
		}
		if raw != nil && e.t.region == "" && refID(raw[i]) == "AWS::Region" {
			if fn, _, _ := intrinsic(raw[i]); fn == "Ref" {
				unknown = true
				parts = append(parts, regionMark)
				continue
			}
		}
		part, known := shapePart(p)
		unknown, regionOnly = unknown || !known, regionOnly && known
		parts = append(parts, part)
	}
	s := strings.Join(parts, a.List[0].Str)
	if unknown {
		return e.partlyKnown(s, regionOnly, rng)
	}
	return str(s, rng)
}

func (e *evaluator) findInMap(arg *graph.Node, rng graph.Range) *graph.Node {
	a := e.eval(arg)
	if a == nil || a.Kind != graph.KindList || len(a.List) < 3 {
		return unknownAt(rng)
	}
	var def *graph.Node
	if len(a.List) == 4 {
		def = a.List[3].Get("DefaultValue")
	}
	cur := e.t.mappings
	for _, k := range a.List[:3] {
		ks := k.AsString()
		if !ks.Known() || k.Kind == graph.KindList || k.Kind == graph.KindObject {
			return unknownAt(rng)
		}
		cur = cur.Get(ks.V)
		if cur == nil {
			if def != nil {
				return at(def, rng)
			}
			e.report(rng, fmt.Sprintf("Fn::FindInMap: %s is not in the mapping", ks.V))
			return unknownAt(rng)
		}
	}
	return at(e.evalOrUnknown(cur), rng)
}

func (e *evaluator) ifFn(arg *graph.Node, rng graph.Range) *graph.Node {
	if arg.Kind != graph.KindList || len(arg.List) != 3 || arg.List[0].Kind != graph.KindString {
		e.report(rng, "Fn::If takes a condition name and two values")
		return unknownAt(rng)
	}
	switch e.cond(arg.List[0].Str, rng) {
	case trueTri:
		return e.eval(arg.List[1])
	case falseTri:
		return e.eval(arg.List[2])
	}
	if v, ok := e.assign[arg.List[0].Str]; ok {
		if v {
			return e.eval(arg.List[1])
		}
		return e.eval(arg.List[2])
	}
	return unknownAt(rng)
}

// cond decides a named condition, when its inputs are fixed before
// deployment.
func (e *evaluator) cond(name string, rng graph.Range) tri {
	if v, ok := e.conds[name]; ok {
		return v
	}
	def, ok := e.t.conditions[name]
	if !ok {
		e.reportMissing(rng, fmt.Sprintf("condition %s is not defined in Conditions", name))
		return unknownTri
	}
	if e.busy["condition "+name] {
		e.report(rng, fmt.Sprintf("circular condition: %s depends on itself", name))
		return unknownTri
	}
	e.busy["condition "+name] = true
	v := e.condExpr(def)
	delete(e.busy, "condition "+name)
	e.conds[name] = v
	return v
}

func (e *evaluator) condExpr(n *graph.Node) tri {
	if e.depth > maxDepth {
		return unknownTri
	}
	e.depth++
	defer func() { e.depth-- }()
	if n.Kind == graph.KindObject && len(n.Fields) == 1 && n.Fields[0].Key == "Condition" {
		if c := n.Fields[0].Value; c.Kind == graph.KindString {
			return e.cond(c.Str, n.Range)
		}
		return unknownTri
	}
	fn, arg, ok := intrinsic(n)
	if !ok {
		s := n.AsString()
		switch {
		case s.Is("true"):
			return trueTri
		case s.Is("false"):
			return falseTri
		}
		return unknownTri
	}
	switch fn {
	case "Fn::Equals":
		if arg.Kind != graph.KindList || len(arg.List) != 2 {
			return unknownTri
		}
		a, b := e.condValue(arg.List[0]), e.condValue(arg.List[1])
		if a == nil || b == nil {
			return unknownTri
		}
		if *a == *b {
			return trueTri
		}
		return falseTri
	case "Fn::And", "Fn::Or":
		if arg.Kind != graph.KindList {
			return unknownTri
		}
		result := trueTri
		if fn == "Fn::Or" {
			result = falseTri
		}
		for _, x := range arg.List {
			v := e.condExpr(x)
			switch {
			case fn == "Fn::And" && v == falseTri, fn == "Fn::Or" && v == trueTri:
				return v
			case v == unknownTri:
				result = unknownTri
			}
		}
		return result
	case "Fn::Not":
		if arg.Kind != graph.KindList || len(arg.List) != 1 {
			return unknownTri
		}
		switch e.condExpr(arg.List[0]) {
		case trueTri:
			return falseTri
		case falseTri:
			return trueTri
		}
	}
	return unknownTri
}

// condValue is a value inside a condition: parameters count only when a
// parameters file fixes them, since their defaults may be overridden.
func (e *evaluator) condValue(n *graph.Node) *string {
	if name, ok := refName(n); ok {
		if _, isParam := e.t.parameters[name]; isParam && !e.fixed[name] {
			return nil
		}
	}
	v := e.eval(n)
	if v == nil {
		return nil
	}
	s := v.AsString()
	if !s.Known() || v.Kind == graph.KindList || v.Kind == graph.KindObject || graph.HasSymbol(s.V) {
		return nil
	}
	return &s.V
}

func refName(n *graph.Node) (string, bool) {
	fn, arg, ok := intrinsic(n)
	if !ok || fn != "Ref" || arg.Kind != graph.KindString {
		return "", false
	}
	return arg.Str, true
}

// maxVariantConditions bounds how many undecided conditions are taken both
// ways (2^n variants of a document).
const maxVariantConditions = 6

// variants lists the branch choices under which a property is checked:
// every combination of the conditions it uses in Fn::If that cannot be
// decided before deployment, so a policy is checked for each branch that
// can be taken.
func (e *evaluator) variants(n *graph.Node) []map[string]bool {
	var free []string
	seen := map[string]bool{}
	var walk func(*graph.Node, int)
	walk = func(n *graph.Node, depth int) {
		if n == nil || depth > maxDepth {
			return
		}
		if fn, arg, ok := intrinsic(n); ok && fn == "Fn::If" && arg.Kind == graph.KindList && len(arg.List) == 3 &&
			arg.List[0].Kind == graph.KindString {
			name := arg.List[0].Str
			if !seen[name] && e.cond(name, n.Range) == unknownTri {
				seen[name] = true
				free = append(free, name)
			}
		}
		for _, f := range n.Fields {
			walk(f.Value, depth+1)
		}
		for _, x := range n.List {
			walk(x, depth+1)
		}
	}
	walk(n, 0)
	if len(free) == 0 || len(free) > maxVariantConditions {
		return []map[string]bool{nil}
	}
	sort.Strings(free)
	out := make([]map[string]bool, 0, 1<<len(free))
	for mask := range 1 << len(free) {
		a := map[string]bool{}
		for i, name := range free {
			a[name] = mask&(1<<i) != 0
		}
		out = append(out, a)
	}
	return out
}

// knownFunctions are the intrinsic functions CloudFormation accepts.
var knownFunctions = map[string]bool{
	"Ref": true, "Fn::GetAtt": true, "Fn::Sub": true, "Fn::Join": true, "Fn::Select": true, "Fn::Split": true,
	"Fn::FindInMap": true, "Fn::If": true, "Fn::Base64": true, "Fn::ImportValue": true, "Fn::GetStackOutput": true, "Fn::GetAZs": true,
	"Fn::Cidr": true, "Fn::Transform": true, "Fn::ToJsonString": true, "Fn::Length": true, "Fn::ForEach": true,
	"Fn::Equals": true, "Fn::And": true, "Fn::Or": true, "Fn::Not": true, "Fn::GetParam": true,
	// Rule functions, in the Rules section.
	"Fn::Contains": true, "Fn::EachMemberIn": true, "Fn::EachMemberEquals": true, "Fn::RefAll": true,
	"Fn::ValueOf": true, "Fn::ValueOfAll": true,
}

// validate checks the references of every intrinsic function in n, whatever
// branch a condition takes and whether or not s3lint reads the value:
// CloudFormation rejects a template with a Ref to nothing anywhere.
func (e *evaluator) validate(n *graph.Node, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	if fn, arg, ok := intrinsic(n); ok {
		switch fn {
		case "Ref":
			if arg.Kind == graph.KindString {
				e.checkName(arg.Str, n.Range)
				return
			}
		case "Fn::GetAtt":
			if arg.Kind == graph.KindList && len(arg.List) > 0 && arg.List[0].Kind == graph.KindString &&
				e.t.byID[arg.List[0].Str] == nil {
				e.report(n.Range, fmt.Sprintf("Fn::GetAtt of %s, which is not a resource of this template", arg.List[0].Str))
			}
		case "Fn::Sub":
			e.checkSub(arg, n.Range)
		case "Fn::If":
			if arg.Kind == graph.KindList && len(arg.List) == 3 && arg.List[0].Kind == graph.KindString {
				if _, ok := e.t.conditions[arg.List[0].Str]; !ok {
					e.report(n.Range, fmt.Sprintf("condition %s is not defined in Conditions", arg.List[0].Str))
				}
			}
		default:
			if !knownFunctions[fn] {
				e.report(n.Range, fmt.Sprintf("unrecognised intrinsic function %s", fn))
				return
			}
		}
	}
	for _, f := range n.Fields {
		e.validate(f.Value, depth+1)
	}
	for _, x := range n.List {
		e.validate(x, depth+1)
	}
}

func (e *evaluator) checkName(name string, rng graph.Range) {
	if _, ok := e.pseudo(name, rng); ok {
		return
	}
	if _, ok := e.t.parameters[name]; ok {
		return
	}
	if e.t.byID[name] == nil {
		e.report(rng, fmt.Sprintf("Ref to %s, which is neither a parameter nor a resource of this template", name))
	}
}

func (e *evaluator) checkSub(arg *graph.Node, rng graph.Range) {
	text := arg
	vars := map[string]bool{}
	if arg.Kind == graph.KindList && len(arg.List) == 2 {
		text = arg.List[0]
		for _, f := range arg.List[1].Fields {
			vars[f.Key] = true
		}
	}
	if text.Kind != graph.KindString {
		return
	}
	for _, name := range subNames(text.Str) {
		if vars[name] {
			continue
		}
		if res, _, dotted := strings.Cut(name, "."); dotted {
			if e.t.byID[res] == nil {
				e.report(rng, fmt.Sprintf("Fn::Sub refers to %s, which is not a resource of this template", name))
			}
			continue
		}
		e.checkName(name, rng)
	}
}
