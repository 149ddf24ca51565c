package graph

import (
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Format is the kind of source a resource was loaded from.
type Format uint8

// The input formats.
const (
	Terraform Format = iota
	CloudFormation
	TerraformPlan
	// PolicyFile is an IAM policy document kept in a JSON file of its own
	// (policies/s3-read.json), attached to nothing the scan can see.
	PolicyFile
)

func (f Format) String() string {
	return [...]string{"terraform", "cloudformation", "terraform-plan", "policy-document"}[f]
}

// Account identifies an AWS account: a 12-digit ID, a symbol standing for "the
// account that this provider/stack deploys to" (see SymbolicAccount), or ""
// when nothing is known.
type Account string

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// SymbolicAccount names the account a provider or stack deploys to when its ID
// is not written in the configuration. The form cannot be mistaken for a real
// account ID and reads well inside an ARN in a message.
func SymbolicAccount(provider string) Account {
	// The provider may hold a path (stack templates/app.yaml): slashes
	// and colons would split the ARNs and keys the symbol is put into.
	return Account("<account of " + symbolEscaper.Replace(provider) + ">")
}

// IsID reports whether a is a literal 12-digit account ID.
func (a Account) IsID() bool { return accountIDPattern.MatchString(string(a)) }

// IsSymbol reports whether a is a symbolic account.
func (a Account) IsSymbol() bool { return strings.HasPrefix(string(a), "<account of ") }

// Known reports whether anything is known about a.
func (a Account) Known() bool { return a != "" }

// SameAs compares two accounts. known is false when the answer cannot be
// decided from the configuration (an unknown account, or two symbols that may
// or may not name the same account).
func (a Account) SameAs(b Account) (same, known bool) {
	switch {
	case !a.Known() || !b.Known():
		return false, false
	case a == b:
		return true, true
	case a.IsID() && b.IsID():
		return false, true
	case a == OAIAccount && (b.IsID() || b.IsSymbol()), b == OAIAccount && (a.IsID() || a.IsSymbol()):
		// A symbol stands for a 12-digit account, which CloudFront's
		// pseudo-account is not.
		return false, true
	default:
		return false, false
	}
}

// Entity is what every resource in the graph has: where it is and who owns it.
type Entity struct {
	// Address names the resource for people: a Terraform address with module
	// path and instance key (module.data.aws_s3_bucket.b["logs"]) or a
	// CloudFormation logical ID (or CDK path), or the file name of a policy
	// document kept in a file of its own.
	Address string
	// LogicalID is a CloudFormation resource's logical ID when Address is
	// another name for it (the CDK's construct path); "" otherwise.
	LogicalID string
	Type      string // aws_s3_bucket, AWS::S3::Bucket, …
	Format    Format
	Range     Range // the whole resource block or mapping
	// Provider is the provider configuration that deploys it ("aws",
	// "aws.prod") or the stack for templates.
	Provider string
	Account  Account
	// Partition is the AWS partition the resource deploys to ("aws",
	// "aws-cn", …) when the configuration states it, as a Terraform
	// provider's literal region does; "" when unknown, as for templates,
	// which deploy to whatever partition their stack is created in.
	Partition string
	// Region is the region the resource deploys to when the configuration
	// states it (a Terraform provider's literal region); "" when unknown,
	// as for templates.
	Region string
	// Condition names the Condition of a template resource when it is not
	// decided before deployment: the resource may not be created (see
	// Undecided).
	Condition string
	// Root is the configuration the resource belongs to: the Terraform
	// root module directory, the template file, or the directory of a plan
	// file (which stands for the root module it was made from), or the file
	// of a stand-alone policy document.
	Root string
}

// SourceRange implements Ranged.
func (e *Entity) SourceRange() Range { return e.Range }

// Undecided reports whether the entity may not exist: a template resource
// under a condition not decided before deployment, or the instances of a
// Terraform count or for_each (of the resource or of a module it is in)
// whose value is not known before apply — any number of them, none
// included —, whose addresses carry the key as Terraform would write it
// unknown, [count.index] or [each.key].
func (e *Entity) Undecided() bool {
	return e.Condition != "" || strings.Contains(e.Address, "[count.index]") || strings.Contains(e.Address, "[each.key]")
}

// PolicyKind says where a policy document is attached and so how AWS uses it.
type PolicyKind uint8

// The policy kinds.
const (
	IdentityPolicy    PolicyKind = iota // attached to a user, group or role
	BucketPolicy                        // resource policy of an S3 bucket
	AccessPointPolicy                   // resource policy of an S3 access point
	EndpointPolicy                      // VPC endpoint policy
	KeyPolicy                           // KMS key policy
	TrustPolicy                         // role trust (assume role) policy
	// StandalonePolicy is a document kept in a file of its own and
	// attached to nothing in the graph: where AWS uses it, and so who it
	// applies to, is unknown. It is never among the policies of a bucket,
	// principal, key or endpoint, so only rules that read statements on
	// their own judge it. A document with a Principal is of this kind too.
	StandalonePolicy
)

func (k PolicyKind) String() string {
	return [...]string{"identity policy", "bucket policy", "access point policy",
		"VPC endpoint policy", "key policy", "trust policy", "policy document"}[k]
}

// IsResourcePolicy reports whether documents of this kind carry a
// Principal. A stand-alone document may or may not: it is neither.
func (k PolicyKind) IsResourcePolicy() bool { return k != IdentityPolicy && k != StandalonePolicy }

// Policy is a policy document attached somewhere.
type Policy struct {
	Entity
	Kind PolicyKind
	// Doc is nil when the document cannot be known (an unknown variable, a
	// file outside the scan, …).
	Doc *Document
	// DocRange is the attribute or property that holds the document.
	DocRange Range
	Name     String
	ARN      String // managed policies

	// Bucket policies: the bucket as written (name or ARN) and, when it is
	// in the graph, the bucket itself.
	BucketRef String
	Bucket    *Bucket
	// BucketFromInput is set when BucketRef is not known because it comes
	// from an input without a value (a parameter, a variable): it may then
	// name any bucket of the configuration. A reference to a resource or
	// module output that is not known names that, not any bucket.
	BucketFromInput bool

	// Identity policies: the principals the policy is attached to.
	Attached []*Principal

	// Variant is set when the document is one of several that a template
	// may produce, depending on conditions not decided before deployment:
	// only one of them is ever in place.
	Variant *Variant
}

// Variant says under which template conditions a policy document is the
// one in place.
type Variant struct {
	// Group names the property the alternatives come from; policies of one
	// group exclude each other.
	Group string
	// When assigns a value to each condition the document depends on.
	When map[string]bool
}

// Describe words the conditions for people: "HasPublicRead is true and
// HasKey is false".
func (v *Variant) Describe() string {
	if v == nil {
		return ""
	}
	names := make([]string, 0, len(v.When))
	for n := range v.When {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + " is " + strconv.FormatBool(v.When[n])
	}
	return strings.Join(parts, " and ")
}

// PrincipalKind is the kind of an IAM identity defined in the graph.
type PrincipalKind uint8

// The kinds of IAM identities.
const (
	Role PrincipalKind = iota
	User
	Group
)

func (k PrincipalKind) String() string { return [...]string{"role", "user", "group"}[k] }

// Principal is an IAM role, user or group defined in the configuration.
type Principal struct {
	Entity
	Kind     PrincipalKind
	Name     String
	ARN      String
	Policies []*Policy // inline and attached managed identity policies
	// ManagedARNs are attached managed policies that are not in the graph
	// (AWS managed policies, policies from elsewhere).
	ManagedARNs []String
	Boundary    *Policy // permissions boundary, when in the graph
	BoundaryARN String  // permissions boundary as written
	Trust       *Policy // roles: the trust policy
	Groups      []*Principal
}

// Bucket is an S3 bucket.
type Bucket struct {
	Entity
	Name     String // unknown when generated (bucket_prefix, no BucketName)
	ARN      String
	Policies []*Policy // bucket policies that target this bucket
	// MaybePolicies, for a bucket without a bucket policy of its own, are
	// the bucket policies of its configuration whose bucket is not known
	// before deployment (a name built from an input without a value): any
	// of them may be this bucket's (LinkBucketsByName).
	MaybePolicies []*Policy

	// PublicAccessBlock is nil when the configuration declares none: new
	// buckets then get all four flags on (AWS's April 2023 default).
	PublicAccessBlock *PublicAccessBlock
	// Ownership is nil when undeclared: BucketOwnerEnforced by default.
	Ownership *Ownership
	ACLs      []*ACL
	// ObjectACLs are the ACLs that uploads of the configuration send
	// with the objects they put in the bucket (aws_s3_object acl). They
	// are not the bucket's ACL and grant nothing on other objects.
	ObjectACLs []*ACL
	// Uploads are the objects the configuration uploads into the bucket,
	// with the encryption each asks for.
	Uploads []*Upload
	// Versioning and Encryption are nil when undeclared (versioning off;
	// SSE-S3 by default since 2023).
	Versioning *Versioning
	Encryption *Encryption
	// Lifecycle is where lifecycle rules are declared, when they are.
	Lifecycle *Setting
	// RequestPayment is nil when undeclared: the bucket owner pays.
	RequestPayment *RequestPayment
	// Website is where a static website configuration is declared, when
	// it is: the website endpoint serves anonymous requests only.
	Website      *Setting
	AccessPoints []*AccessPoint

	// assumed marks the settings that linkUnknownSettings made up; the
	// next linking starts without them.
	assumed assumedSettings
}

// assumedSettings are bits of Bucket.assumed.
type assumedSettings uint8

const (
	assumedPAB assumedSettings = 1 << iota
	assumedOwnership
	assumedVersioning
	assumedEncryption
)

// PolicyResources groups the bucket's policies by the resource that puts
// them (its configuration and address), in the order of Policies: the
// documents a template's undecided conditions choose between come from one
// resource and stay together. A bucket has one policy, so two groups are
// rivals of which only one is in place.
func (b *Bucket) PolicyResources() [][]*Policy {
	var groups [][]*Policy
	index := map[[2]string]int{}
	for _, p := range b.Policies {
		k := [2]string{p.Root, p.Address}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], p)
	}
	return groups
}

// Ownership is a bucket's object ownership setting.
type Ownership struct {
	Setting
	Rule String // BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter
}

// ObjectOwnership returns the bucket's object ownership: the declared rule,
// or BucketOwnerEnforced as a default located at the bucket.
func (b *Bucket) ObjectOwnership() String {
	if b.Ownership == nil {
		return StringDefault(BucketOwnerEnforced, b.Range)
	}
	return b.Ownership.Rule
}

// Key is a KMS key.
type Key struct {
	Entity
	ARN    String
	Policy *Policy
	// AmendedBy is a custom resource that receives the key and whose code
	// may add statements to its key policy at deployment ("" when none
	// does): what the key policy does not allow may then be allowed.
	AmendedBy string
	// Grants are the KMS grants on the key (aws_kms_grant): each lets its
	// grantee use the key for its operations, whatever the key policy says.
	Grants []KeyGrant
}

// KeyGrant is a KMS grant on a key.
type KeyGrant struct {
	Address string
	// Grantee is the principal (an ARN, or a service principal).
	Grantee String
	// Operations are the KMS operations it allows ("Decrypt",
	// "GenerateDataKey"); Unknown when the list is not known.
	Operations Strings
}

// Endpoint is a VPC endpoint.
type Endpoint struct {
	Entity
	Service String // com.amazonaws.REGION.s3
	// ID is the endpoint's ID (vpce-…): a symbol (SymbolicID) when AWS
	// assigns it at creation.
	ID     String
	Type   String // Gateway (the default) or Interface
	VpcID  String
	Policy *Policy // nil: the default policy, which allows everything
}

// Severity of a loader diagnostic.
type Severity uint8

// Diagnostic severities.
const (
	DiagError Severity = iota // the input could not be read as intended
	DiagWarning
	DiagNote // informational: a module not followed, a value not knowable
)

func (s Severity) String() string { return [...]string{"error", "warning", "note"}[s] }

// Diagnostic is a problem found while loading input: a parse error, an
// evaluation error, or a note about something that was not followed.
type Diagnostic struct {
	Severity Severity
	Message  string
	Range    Range // may be zero when only the file is known
	File     string
	// Detail is for --debug only: the stack of an internal error. Reports
	// leave it out, since it differs from run to run.
	Detail string
}

// Graph is everything loaded from one scan.
type Graph struct {
	Buckets    []*Bucket
	Policies   []*Policy
	Principals []*Principal
	Keys       []*Key
	Endpoints  []*Endpoint
	// AccountBlocks are account-level Block Public Access settings.
	AccountBlocks []*AccountPublicAccessBlock
	AccessPoints  []*AccessPoint
	// Deliveries are the AWS features configured to write into buckets.
	Deliveries []*Delivery
	// SettingLinks are bucket settings whose resources name their bucket
	// by a literal name, waiting for LinkBucketsByName.
	SettingLinks []*SettingLink
	Diagnostics  []Diagnostic
	// DependsOn records the order Terraform applies resources in: for each
	// root module (Entity.Root), the resources each resource refers to
	// directly (through locals, variables, module outputs, count and
	// for_each) or names in depends_on, by address (module-qualified, with
	// instance keys, as Entity.Address and Setting.Address). Resources that
	// depend on each other neither directly nor transitively are applied in
	// parallel. A root or address without an entry has no dependency
	// information (CloudFormation templates, plans on their own): unknown,
	// not independent.
	DependsOn map[string]map[string][]string
	// Expectations are the access the configuration must keep, declared in
	// .s3lint.yaml; the scan copies them in for rule S3L100.
	Expectations []Expectation
	// Mentions are the files the loaders read, by name as read, each with
	// whether its text contains the word s3lint. Suppressions (comments,
	// template Metadata) can only be in a file that does, so they are
	// looked for again only there and in files no loader read, instead
	// of reading every file of the repository a second time.
	Mentions map[string]bool
}

// NoteRead records that a loader read file, whose text is b.
func (g *Graph) NoteRead(file string, b []byte) { g.noteMention(file, Mentioned(b)) }

// Mentioned reports whether a file's text has the word s3lint: without it,
// the file holds no suppression, in a comment or a template's Metadata.
func Mentioned(b []byte) bool { return bytes.Contains(b, []byte("s3lint")) }

func (g *Graph) noteMention(file string, mentions bool) {
	if g.Mentions == nil {
		g.Mentions = map[string]bool{}
	}
	g.Mentions[file] = g.Mentions[file] || mentions
}

// AddDependencies records that resource from of root waits for the
// resources to; with none, it records that from depends on nothing.
func (g *Graph) AddDependencies(root, from string, to ...string) {
	if g.DependsOn == nil {
		g.DependsOn = map[string]map[string][]string{}
	}
	if g.DependsOn[root] == nil {
		g.DependsOn[root] = map[string][]string{}
	}
	g.DependsOn[root][from] = append(g.DependsOn[root][from], to...)
}

// Merge appends everything in o to g.
func (g *Graph) Merge(o *Graph) {
	g.Buckets = append(g.Buckets, o.Buckets...)
	g.Policies = append(g.Policies, o.Policies...)
	g.Principals = append(g.Principals, o.Principals...)
	g.Keys = append(g.Keys, o.Keys...)
	g.Endpoints = append(g.Endpoints, o.Endpoints...)
	g.AccountBlocks = append(g.AccountBlocks, o.AccountBlocks...)
	g.AccessPoints = append(g.AccessPoints, o.AccessPoints...)
	g.Deliveries = append(g.Deliveries, o.Deliveries...)
	g.SettingLinks = append(g.SettingLinks, o.SettingLinks...)
	g.Diagnostics = append(g.Diagnostics, o.Diagnostics...)
	for root, deps := range o.DependsOn {
		for from, to := range deps {
			g.AddDependencies(root, from, to...)
		}
	}
	for file, mentions := range o.Mentions {
		g.noteMention(file, mentions)
	}
}

// Sort puts every list in source order so that everything downstream is
// deterministic whatever order files were loaded in.
func (g *Graph) Sort() {
	byEntity := func(a, b *Entity) bool {
		if a.Range != b.Range {
			return a.Range.Less(b.Range)
		}
		return a.Address < b.Address
	}
	sort.SliceStable(g.Buckets, func(i, j int) bool { return byEntity(&g.Buckets[i].Entity, &g.Buckets[j].Entity) })
	sort.SliceStable(g.Policies, func(i, j int) bool {
		a, b := g.Policies[i], g.Policies[j]
		if a.DocRange != b.DocRange {
			return a.DocRange.Less(b.DocRange)
		}
		return byEntity(&a.Entity, &b.Entity)
	})
	sort.SliceStable(g.Principals, func(i, j int) bool {
		return byEntity(&g.Principals[i].Entity, &g.Principals[j].Entity)
	})
	sort.SliceStable(g.Deliveries, func(i, j int) bool {
		return byEntity(&g.Deliveries[i].Entity, &g.Deliveries[j].Entity)
	})
	sort.SliceStable(g.Keys, func(i, j int) bool { return byEntity(&g.Keys[i].Entity, &g.Keys[j].Entity) })
	sort.SliceStable(g.Endpoints, func(i, j int) bool {
		return byEntity(&g.Endpoints[i].Entity, &g.Endpoints[j].Entity)
	})
	sort.SliceStable(g.AccountBlocks, func(i, j int) bool {
		return byEntity(&g.AccountBlocks[i].Entity, &g.AccountBlocks[j].Entity)
	})
	sort.SliceStable(g.AccessPoints, func(i, j int) bool {
		return byEntity(&g.AccessPoints[i].Entity, &g.AccessPoints[j].Entity)
	})
	sort.SliceStable(g.Diagnostics, func(i, j int) bool {
		a, b := g.Diagnostics[i], g.Diagnostics[j]
		af, bf := a.File, b.File
		if a.Range.File != "" {
			af = a.Range.File
		}
		if b.Range.File != "" {
			bf = b.Range.File
		}
		if af != bf {
			return af < bf
		}
		if a.Range != b.Range {
			return a.Range.Less(b.Range)
		}
		return a.Message < b.Message
	})
}

// SymbolicName stands for the name of a resource whose name cannot be known
// before deployment (a bucket named by a variable without a value, by
// bucket_prefix, or left to CloudFormation). The ARN built from it still has
// the right shape, so rules can tell a bucket ARN from an object ARN; the
// symbol equals only itself, and may equal any real name, so rules compare
// it with care (see HasSymbol). scope (the root module or template) keeps
// equal addresses of different configurations apart.
func SymbolicName(address, scope string) string {
	// Keep characters that mean something in ARNs and patterns (an
	// instance key may hold them) out of the symbol.
	s := "<name of " + symbolEscaper.Replace(address)
	if scope != "" {
		s += "@" + symbolEscaper.Replace(scope)
	}
	return s + ">"
}

// SymbolicGeneratedName is SymbolicName for a name AWS or the tool
// generates, whose form is known: shape is a glob that every such name
// matches ("terraform-*" for a Terraform role without a name), so that a
// policy naming another name is known not to mean it. The shape is kept
// in the symbol, escaped (see ShapeOfSymbol).
func SymbolicGeneratedName(address, scope, shape string) string {
	s := SymbolicName(address, scope)
	return s[:len(s)-1] + "#" + symbolEscaper.Replace(shape) + ">"
}

// ShapeOfSymbol returns the glob a symbol's value matches ("*" unless the
// symbol was made by SymbolicGeneratedName). sym is one symbol, <…>.
func ShapeOfSymbol(sym string) string {
	i := strings.LastIndexByte(sym, '#')
	if i < 0 || !strings.HasPrefix(sym, "<name of ") {
		return "*"
	}
	return UnescapeSymbol(strings.TrimSuffix(sym[i+1:], ">"))
}

var (
	symbolEscaper   = strings.NewReplacer("%", "%25", "/", "%2F", "*", "%2A", "?", "%3F", ":", "%3A", ">", "%3E", "@", "%40", "#", "%23")
	symbolUnescaper = strings.NewReplacer("%2F", "/", "%2A", "*", "%3F", "?", "%3A", ":", "%3E", ">", "%40", "@", "%23", "#", "%25", "%")
)

// SymbolicKeyARN is the ARN of a KMS key created by the configuration: AWS
// picks the key ID at creation, so an ID symbol stands for it (and a symbol
// for the region when the configuration does not state it). Policies that
// refer to the key's ARN render the same string, so they match it exactly,
// and the ARNs of two keys of one configuration never match each other.
func SymbolicKeyARN(partition, region string, account Account, address, scope string) string {
	return KMSARN(partition, region, account, "key/"+SymbolicID(address, scope))
}

// KeyIDOf returns the key ID of a KMS key ARN (…:key/ID), when it names one
// key.
func KeyIDOf(arn string) (string, bool) {
	_, id, ok := strings.Cut(arn, ":key/")
	return id, ok && id != "" && !strings.ContainsAny(id, "/*?")
}

// KMSARN is the ARN of a KMS resource ("key/…", "alias/…") of the
// configuration, with a symbol for the region when it does not state it.
func KMSARN(partition, region string, account Account, resource string) string {
	if partition == "" {
		partition = "aws"
	}
	if region == "" {
		region = "<region>"
	}
	return "arn:" + partition + ":kms:" + region + ":" + string(account) + ":" + resource
}

// SymbolicID stands for the ID AWS assigns a resource at creation (a VPC
// endpoint's vpce-…, a VPC's vpc-…). References render it, so a policy
// condition on aws:SourceVpce = aws_vpc_endpoint.s3.id and the endpoint
// itself agree offline.
func SymbolicID(address, scope string) string {
	s := "<id of " + symbolEscaper.Replace(address)
	if scope != "" {
		s += "@" + symbolEscaper.Replace(scope)
	}
	return s + ">"
}

// HasSymbol reports whether s contains a symbolic name, account or ID.
func HasSymbol(s string) bool {
	return strings.Contains(s, "<name of ") || strings.Contains(s, "<account of ") || strings.Contains(s, "<id of ")
}

// SymbolAddress returns the address of the first symbolic name in s, or "".
func SymbolAddress(s string) string {
	addr, _ := nameSymbolParts(s)
	return addr
}

// SymbolScope returns the scope of the first symbolic name in s (the root
// module or template that made it), or "".
func SymbolScope(s string) string {
	_, scope := nameSymbolParts(s)
	return scope
}

// nameSymbolParts splits the first symbolic name in s,
// <name of ADDRESS@SCOPE#SHAPE>, into its address and scope, unescaped.
func nameSymbolParts(s string) (address, scope string) {
	_, rest, ok := strings.Cut(s, "<name of ")
	if !ok {
		return "", ""
	}
	sym, _, _ := strings.Cut(rest, ">")
	sym, _, _ = strings.Cut(sym, "#")
	address, scope, _ = strings.Cut(sym, "@")
	return UnescapeSymbol(address), UnescapeSymbol(scope)
}

// UnescapeSymbol undoes the escaping of the address and scope inside a
// symbol (which keeps a symbol's own delimiters out of them).
func UnescapeSymbol(s string) string {
	if !strings.Contains(s, "%") {
		return s // most addresses: no replacer needed
	}
	return symbolUnescaper.Replace(s)
}

// LinkKeysByARN links a bucket's default encryption to a key of the graph
// whose ARN its key ID spells out (a key ARN passed through a module input).
func (g *Graph) LinkKeysByARN() {
	byARN := map[string]*Key{}
	for _, k := range g.Keys {
		if k.ARN.Known() && k.ARN.V != "" {
			if _, dup := byARN[k.ARN.V]; !dup {
				byARN[k.ARN.V] = k
			}
		}
	}
	for _, b := range g.Buckets {
		if e := b.Encryption; e != nil && e.Key == nil && e.KeyID.Known() {
			e.Key = byARN[e.KeyID.V]
		}
	}
	for _, d := range g.Deliveries {
		if d.Key == nil && d.KeyRef.Known() {
			d.Key = byARN[d.KeyRef.V]
		}
	}
}

// bareNameSymbol is the name symbol of a bucket ARN that holds nothing else
// ("arn:aws:s3:::<name of Logs@t.yaml>"), or "".
func bareNameSymbol(arn String) string {
	if !arn.Known() {
		return ""
	}
	if _, name, ok := strings.Cut(arn.V, ":s3:::"); ok && IsNameSymbol(name) {
		return name
	}
	return ""
}

// IsNameSymbol reports whether s is one symbolic name and nothing else.
func IsNameSymbol(s string) bool {
	return strings.HasPrefix(s, "<name of ") && strings.IndexByte(s, '>') == len(s)-1
}

// LinkBucketsByName links what names its bucket by a literal name (rather
// than by reference) to the bucket with that name: bucket policies, access
// points and bucket settings declared by resources of their own. Bucket
// names are global, so this works across modules, templates and formats;
// where several configurations declare a bucket of that name (copies of an
// example), each prefers the bucket of its own configuration. It may run again after more
// is merged: what is linked stays linked.
func (g *Graph) LinkBucketsByName() {
	for _, b := range g.Buckets {
		b.dropAssumed()
	}
	byName := map[string][]*Bucket{}
	for _, b := range g.Buckets {
		if b.Name.Known() && b.Name.V != "" && !HasSymbol(b.Name.V) {
			byName[b.Name.V] = append(byName[b.Name.V], b)
		} else if sym := bareNameSymbol(b.ARN); sym != "" {
			// A name AWS or the tool chooses, which a template's export
			// passes on as the symbol (Fn::ImportValue of its Ref): the
			// symbol names this bucket and no other.
			byName[sym] = append(byName[sym], b)
		}
	}
	find := func(ref String, root string) *Bucket {
		if !ref.Known() || ref.V == "" {
			return nil
		}
		bs := byName[ref.V]
		for _, b := range bs {
			if b.Root == root {
				return b
			}
		}
		if len(bs) > 0 {
			return bs[0]
		}
		return nil
	}
	for _, p := range g.Policies {
		if p.Kind != BucketPolicy || p.Bucket != nil || !p.BucketRef.Known() {
			continue
		}
		if b := find(p.BucketRef, p.Root); b != nil {
			p.Bucket = b
			b.Policies = append(b.Policies, p)
		}
	}
	for _, ap := range g.AccessPoints {
		if ap.Bucket != nil {
			continue
		}
		if b := find(ap.BucketRef, ap.Root); b != nil {
			ap.Bucket = b
			b.AccessPoints = append(b.AccessPoints, ap)
		}
	}
	g.linkDeliveries(find)
	waiting := g.SettingLinks[:0]
	for _, s := range g.SettingLinks {
		if b := find(s.BucketRef, s.Root); b != nil {
			s.ApplyTo(b)
		} else {
			waiting = append(waiting, s)
		}
	}
	clear(g.SettingLinks[len(waiting):])
	g.SettingLinks = waiting
	g.linkUnknownPolicies()
	g.linkUnknownSettings()
}

// linkUnknownSettings gives each bucket the settings of its configuration
// whose bucket is not known (a setting resource and a bucket named by the
// same input without a value), as what they may be: a flag of a Block
// Public Access configuration that may be the bucket's is unknown unless
// it is the same either way. A setting the bucket has of its own stands.
// Settings still waiting with a known name belong to buckets outside the
// graph, and ACLs and lifecycle rules are not made up.
func (g *Graph) linkUnknownSettings() {
	var byRoot map[string][]*SettingLink
	for _, s := range g.SettingLinks {
		if !s.BucketRef.Known() {
			if byRoot == nil {
				byRoot = map[string][]*SettingLink{}
			}
			byRoot[s.Root] = append(byRoot[s.Root], s)
		}
	}
	if byRoot == nil {
		return
	}
	for _, b := range g.Buckets {
		for _, s := range byRoot[b.Root] {
			b.assumeUnknown(s)
		}
	}
}

// dropAssumed takes away the settings linkUnknownSettings made up.
func (b *Bucket) dropAssumed() {
	if b.assumed&assumedPAB != 0 {
		b.PublicAccessBlock = nil
	}
	if b.assumed&assumedOwnership != 0 {
		b.Ownership = nil
	}
	if b.assumed&assumedVersioning != 0 {
		b.Versioning = nil
	}
	if b.assumed&assumedEncryption != 0 {
		b.Encryption = nil
	}
	b.assumed = 0
}

// assumeUnknown makes b's setting what it is when s may or may not be b's:
// each value known only where the two agree. The starting point is b's
// default, or what an earlier unknown setting made of it.
func (b *Bucket) assumeUnknown(s *SettingLink) {
	keepsOwn := func(bit assumedSettings, declared bool) bool {
		if declared && b.assumed&bit == 0 {
			return true // b's own setting stands
		}
		b.assumed |= bit
		return false
	}
	switch {
	case s.PublicAccessBlock != nil:
		if keepsOwn(assumedPAB, b.PublicAccessBlock != nil) {
			return
		}
		o, cur := s.PublicAccessBlock, b.PublicAccessBlock
		if cur == nil {
			on := BoolDefault(true, b.Range)
			cur = &PublicAccessBlock{Setting: o.Setting, BlockPublicAcls: on, IgnorePublicAcls: on, BlockPublicPolicy: on, RestrictPublicBuckets: on}
		}
		b.PublicAccessBlock = &PublicAccessBlock{Setting: o.Setting,
			BlockPublicAcls: eitherBool(cur.BlockPublicAcls, o.BlockPublicAcls), IgnorePublicAcls: eitherBool(cur.IgnorePublicAcls, o.IgnorePublicAcls),
			BlockPublicPolicy: eitherBool(cur.BlockPublicPolicy, o.BlockPublicPolicy), RestrictPublicBuckets: eitherBool(cur.RestrictPublicBuckets, o.RestrictPublicBuckets)}
	case s.Ownership != nil:
		if keepsOwn(assumedOwnership, b.Ownership != nil) {
			return
		}
		b.Ownership = &Ownership{Setting: s.Ownership.Setting, Rule: eitherString(b.ObjectOwnership(), s.Ownership.Rule)}
	case s.Versioning != nil:
		if keepsOwn(assumedVersioning, b.Versioning != nil) {
			return
		}
		cur := b.Versioning
		if cur == nil {
			cur = &Versioning{Status: StringDefault("Disabled", b.Range), MFADelete: BoolDefault(false, b.Range)}
		}
		b.Versioning = &Versioning{Setting: s.Versioning.Setting, Status: eitherString(cur.Status, s.Versioning.Status), MFADelete: eitherBool(cur.MFADelete, s.Versioning.MFADelete)}
	case s.Encryption != nil:
		if keepsOwn(assumedEncryption, b.Encryption != nil) {
			return
		}
		cur := b.Encryption
		if cur == nil {
			cur = &Encryption{Algorithm: StringDefault("AES256", b.Range), KeyID: StringDefault("", b.Range), BucketKey: BoolDefault(false, b.Range)}
		}
		e := &Encryption{Setting: s.Encryption.Setting, Algorithm: eitherString(cur.Algorithm, s.Encryption.Algorithm),
			KeyID: eitherString(cur.KeyID, s.Encryption.KeyID), BucketKey: eitherBool(cur.BucketKey, s.Encryption.BucketKey)}
		if cur.Key == s.Encryption.Key {
			e.Key = cur.Key
		}
		b.Encryption = e
	}
}

// either is a value that is a or o: known where both are known and equal
// (located where o, the setting that may apply, writes it), else unknown.
func either[T comparable](a, o Value[T]) Value[T] {
	if a.Known() && o.Known() && a.V == o.V {
		if o.Origin == Explicit {
			return o
		}
		return a
	}
	return Value[T]{Origin: Unknown, Range: o.Range}
}

// eitherBool is either for booleans.
func eitherBool(a, o Bool) Bool { return Bool{either(a.Value, o.Value)} }

// eitherString is either for strings.
func eitherString(a, o String) String { return String{either(a.Value, o.Value)} }

// linkUnknownPolicies gives each bucket that has no bucket policy the
// bucket policies of its configuration whose bucket is not known: a name
// built from an input that has no value, the same for the bucket and the
// policy, cannot be matched, and "no bucket policy" would be a guess. It
// starts afresh on every call, since more may have been linked since.
func (g *Graph) linkUnknownPolicies() {
	var byRoot map[string][]*Policy
	for _, p := range g.Policies {
		if p.Kind == BucketPolicy && p.Bucket == nil && !p.BucketRef.Known() && p.BucketFromInput {
			if byRoot == nil {
				byRoot = map[string][]*Policy{}
			}
			byRoot[p.Root] = append(byRoot[p.Root], p)
		}
	}
	for _, b := range g.Buckets {
		b.MaybePolicies = nil
		if len(b.Policies) == 0 {
			b.MaybePolicies = byRoot[b.Root]
		}
	}
}

// SettingLink is a bucket setting declared by a resource of its own
// (aws_s3_bucket_versioning, aws_s3_bucket_public_access_block, …) on its
// way to its bucket. Exactly one of the setting fields is set.
type SettingLink struct {
	Root              string // the configuration that declares the setting
	BucketRef         String // the bucket argument as written
	PublicAccessBlock *PublicAccessBlock
	Ownership         *Ownership
	ACL               *ACL
	ObjectACL         *ACL // an upload's ACL: joins the bucket's ObjectACLs
	Upload            *Upload
	Versioning        *Versioning
	Encryption        *Encryption
	Lifecycle         *Setting
	RequestPayment    *RequestPayment
	Website           *Setting
}

// ApplyTo gives the setting to b. A setting declared both inline (an
// argument of the bucket, whose Address is the bucket's) and by a resource
// of its own keeps the resource's: the AWS provider documents the two as
// conflicting, and the resource is the current form. Of two resources for
// one setting the first applied stays, except ACLs, which are all kept.
func (s *SettingLink) ApplyTo(b *Bucket) {
	replaces := func(cur *Setting) bool { return cur.Address == b.Address }
	switch {
	case s.PublicAccessBlock != nil:
		if b.PublicAccessBlock == nil || replaces(&b.PublicAccessBlock.Setting) {
			b.PublicAccessBlock = s.PublicAccessBlock
		}
	case s.Ownership != nil:
		if b.Ownership == nil || replaces(&b.Ownership.Setting) {
			b.Ownership = s.Ownership
		}
	case s.ACL != nil:
		acls := b.ACLs[:0:0]
		for _, a := range b.ACLs {
			if !replaces(&a.Setting) {
				acls = append(acls, a)
			}
		}
		acls = append(acls, s.ACL)
		b.ACLs = acls
	case s.ObjectACL != nil:
		b.ObjectACLs = append(b.ObjectACLs, s.ObjectACL)
	case s.Upload != nil:
		b.Uploads = append(b.Uploads, s.Upload)
	case s.Versioning != nil:
		if b.Versioning == nil || replaces(&b.Versioning.Setting) {
			b.Versioning = s.Versioning
		}
	case s.Encryption != nil:
		if b.Encryption == nil || replaces(&b.Encryption.Setting) {
			b.Encryption = s.Encryption
		}
	case s.Lifecycle != nil:
		if b.Lifecycle == nil || replaces(b.Lifecycle) {
			b.Lifecycle = s.Lifecycle
		}
	case s.RequestPayment != nil:
		if b.RequestPayment == nil || replaces(&b.RequestPayment.Setting) {
			b.RequestPayment = s.RequestPayment
		}
	case s.Website != nil:
		if b.Website == nil || replaces(b.Website) {
			b.Website = s.Website
		}
	}
}

// AttachTo records that an identity policy applies to a principal.
func (p *Policy) AttachTo(pr *Principal) {
	if p == nil || pr == nil {
		return
	}
	p.Attached = append(p.Attached, pr)
	pr.Policies = append(pr.Policies, p)
}

// PrincipalNames finds the roles, users and groups of one configuration by
// name or ARN, as attachments name them.
type PrincipalNames map[PrincipalKind]map[string]*Principal

// Add indexes a principal under its name, when known.
func (n PrincipalNames) Add(p *Principal) {
	if !p.Name.Known() || p.Name.V == "" || HasSymbol(p.Name.V) {
		return
	}
	if n[p.Kind] == nil {
		n[p.Kind] = map[string]*Principal{}
	}
	n[p.Kind][p.Name.V] = p
}

// Find returns the principal of the kind with that name or ARN, or nil.
func (n PrincipalNames) Find(kind PrincipalKind, nameOrARN string) *Principal {
	if p := n[kind][nameOrARN]; p != nil {
		return p
	}
	for _, p := range n[kind] {
		if p.ARN.Is(nameOrARN) {
			return p
		}
	}
	return nil
}
