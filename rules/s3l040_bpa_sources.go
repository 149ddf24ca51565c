package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Helpers shared by the Block Public Access rules S3L040, S3L041 and S3L042:
// which declarations turn a flag on for a bucket, how to word them, and how
// to turn them off.

// bpaFlag is one of the four Block Public Access settings.
type bpaFlag struct {
	name string // BlockPublicPolicy: the API and CloudFormation name
	tf   string // block_public_policy: the Terraform argument
	of   func(*graph.PublicAccessBlock) graph.Bool
	in   func(policy.BPA) policy.Flag
}

var (
	bpaBlockPublicAcls = bpaFlag{"BlockPublicAcls", "block_public_acls",
		func(p *graph.PublicAccessBlock) graph.Bool { return p.BlockPublicAcls },
		func(b policy.BPA) policy.Flag { return b.BlockPublicAcls }}
	bpaIgnorePublicAcls = bpaFlag{"IgnorePublicAcls", "ignore_public_acls",
		func(p *graph.PublicAccessBlock) graph.Bool { return p.IgnorePublicAcls },
		func(b policy.BPA) policy.Flag { return b.IgnorePublicAcls }}
	bpaBlockPublicPolicy = bpaFlag{"BlockPublicPolicy", "block_public_policy",
		func(p *graph.PublicAccessBlock) graph.Bool { return p.BlockPublicPolicy },
		func(b policy.BPA) policy.Flag { return b.BlockPublicPolicy }}
	bpaRestrictPublicBuckets = bpaFlag{"RestrictPublicBuckets", "restrict_public_buckets",
		func(p *graph.PublicAccessBlock) graph.Bool { return p.RestrictPublicBuckets },
		func(b policy.BPA) policy.Flag { return b.RestrictPublicBuckets }}
)

// bpaSourceKind says where a flag in effect comes from.
type bpaSourceKind uint8

const (
	bpaFromDefault bpaSourceKind = iota // no public access block declared: AWS's 2023 default
	bpaFromBucket                       // the bucket's own public access block
	bpaFromAccount                      // an account-level public access block
)

// bpaSource is a declaration that certainly turns a flag on for a bucket.
type bpaSource struct {
	kind bpaSourceKind
	at   graph.Range
	addr string                   // the resource that declares it (the bucket for the default)
	pab  *graph.PublicAccessBlock // nil for the default
}

// bpaState is a flag as the engine has it for a bucket, with the
// declarations that certainly turn it on.
type bpaState struct {
	on      policy.Tri
	sources []bpaSource
	where   []policy.Location // the engine's places, when no source is certain
}

// bpaFlagState asks the engine whether flag is in effect for b and finds the
// declarations that turn it on: the bucket's own setting (or the default
// when it declares none) and account-level settings of the same account.
func bpaFlagState(e *policy.Engine, g *graph.Graph, b *graph.Bucket, flag bpaFlag) bpaState {
	f := flag.in(e.BlockPublicAccess(b))
	st := bpaState{on: f.On.T, where: f.Where}
	if f.On.T != policy.Yes {
		return st
	}
	if pab := b.PublicAccessBlock; pab == nil {
		st.sources = append(st.sources, bpaSource{kind: bpaFromDefault, at: b.Range, addr: b.Address})
	} else if v := flag.of(pab); v.IsTrue() {
		st.sources = append(st.sources, bpaSource{kind: bpaFromBucket, at: v.Range, addr: pab.Address, pab: pab})
	}
	for _, ab := range g.AccountBlocks {
		if same, known := ab.Account.SameAs(b.Account); !same || !known {
			continue
		}
		if v := flag.of(&ab.PublicAccessBlock); v.IsTrue() {
			st.sources = append(st.sources, bpaSource{kind: bpaFromAccount, at: v.Range, addr: ab.Address, pab: &ab.PublicAccessBlock})
		}
	}
	return st
}

// certain reports whether the flag is on for sure. A flag that only AWS's
// 2023 default turns on is not certain for a bucket read from a Terraform
// plan or state: the bucket may exist already, created before the default
// changed, and nothing in the file says whether the plan creates it.
func (s bpaState) certain(b *graph.Bucket) bool {
	if s.on != policy.Yes {
		return false
	}
	if b.Format == graph.TerraformPlan {
		for _, src := range s.sources {
			if src.kind != bpaFromDefault {
				return true
			}
		}
		return false
	}
	return true
}

// because words why the flag is on for the bucket, for a message: "BlockPublicPolicy
// is on for bucket b" followed by this (" (set in …)").
func (s bpaState) because() string {
	var why []string
	for _, src := range s.sources {
		switch src.kind {
		case bpaFromDefault:
			why = append(why, "it declares no public access block, so AWS's default for new buckets since April 2023 applies")
		case bpaFromBucket:
			why = append(why, "set in "+src.addr)
		case bpaFromAccount:
			why = append(why, "set for the whole account in "+src.addr)
		}
	}
	if len(why) == 0 {
		return ""
	}
	return " (" + strings.Join(why, "; ") + ")"
}

// related points at the declarations that turn the flag on.
func (s bpaState) related(b *graph.Bucket, flag bpaFlag) []Related {
	var out []Related
	for _, src := range s.sources {
		switch src.kind {
		case bpaFromDefault:
			out = append(out, Related{Range: src.at, Message: fmt.Sprintf(
				"bucket %s declares no public access block, so AWS turns %s on (the default for new buckets since April 2023)", bucketLabel(b), flag.name)})
		case bpaFromBucket:
			out = append(out, Related{Range: src.at, Message: fmt.Sprintf("%s is turned on for bucket %s here", flag.name, bucketLabel(b))})
		case bpaFromAccount:
			out = append(out, Related{Range: src.at, Message: fmt.Sprintf("%s is turned on for every bucket of the account here", flag.name)})
		}
	}
	if len(out) == 0 {
		for _, w := range s.where {
			out = append(out, Related{Range: w.Range, Message: w.What})
		}
	}
	return out
}

// bpaRelax words how to turn flags off for the bucket where they are turned
// on: flag, and those of also that the same declaration does not already
// turn off. dependent is the Terraform resource that must be applied after
// the change (the policy or the ACL); kind names the resource type it
// should be when it is an argument of the bucket itself.
func bpaRelax(b *graph.Bucket, s bpaState, flag bpaFlag, also []bpaFlag, dependent, kind string) string {
	tf := b.Format != graph.CloudFormation
	after := ""
	if tf {
		if dependent == "" || dependent == b.Address {
			after = " and move the argument of " + b.Address + " into an " + kind + " that depends on it"
		} else {
			after = " and make sure " + dependent + " depends on it (depends_on)"
		}
	}
	cdk := ""
	if !tf && strings.Contains(b.Address, "/") && (flag.name == bpaBlockPublicPolicy.name || flag.name == bpaRestrictPublicBuckets.name) {
		// A CDK construct path: BLOCK_ACLS leaves both policy flags off.
		cdk = " (in the CDK, blockPublicAccess: BlockPublicAccess.BLOCK_ACLS)"
	}
	var parts []string
	for _, src := range s.sources {
		var names, args, cfn []string
		for i, f := range append([]bpaFlag{flag}, also...) {
			if i > 0 && src.pab != nil && f.of(src.pab).IsFalse() {
				continue
			}
			names = append(names, f.name)
			args = append(args, f.tf+" = false")
			cfn = append(cfn, f.name+": false")
		}
		switch {
		case src.kind == bpaFromDefault && tf:
			parts = append(parts, fmt.Sprintf("declare an aws_s3_bucket_public_access_block for %s with %s%s", bucketLabel(b),
				list(bpaAll(names, func(f bpaFlag, on bool) string { return fmt.Sprintf("%s = %t", f.tf, on) })), after))
		case src.kind == bpaFromDefault:
			parts = append(parts, fmt.Sprintf("give %s a PublicAccessBlockConfiguration with %s%s", b.Address,
				list(bpaAll(names, func(f bpaFlag, on bool) string { return fmt.Sprintf("%s: %t", f.name, on) })), cdk))
		case src.kind == bpaFromBucket && tf:
			parts = append(parts, fmt.Sprintf("set %s in %s%s", list(args), src.addr, after))
		case src.kind == bpaFromBucket:
			parts = append(parts, fmt.Sprintf("set %s in the PublicAccessBlockConfiguration of %s%s", list(cfn), src.addr, cdk))
		case src.kind == bpaFromAccount:
			parts = append(parts, fmt.Sprintf("turn %s off in %s, which applies to every bucket of the account (a bucket's own setting cannot relax it)",
				list(names), src.addr))
		}
	}
	if len(parts) == 0 {
		return "turn " + flag.name + " off for this bucket"
	}
	return strings.Join(parts, ", and ")
}

// bpaAll writes all four flags in the API's order: those of off false, the
// others true. A public access block declared with only some flags leaves
// the others false, in Terraform and CloudFormation alike.
func bpaAll(off []string, how func(f bpaFlag, on bool) string) []string {
	var out []string
	for _, f := range []bpaFlag{bpaBlockPublicAcls, bpaIgnorePublicAcls, bpaBlockPublicPolicy, bpaRestrictPublicBuckets} {
		out = append(out, how(f, !slices.Contains(off, f.name)))
	}
	return out
}

// bpaFails words what a failed call does to the deployment.
func bpaFails(f graph.Format) string {
	if f == graph.CloudFormation {
		return "the stack fails"
	}
	return "the apply fails"
}

// bpaBucketRelated points at the bucket, unless another related location
// already does.
func bpaBucketRelated(b *graph.Bucket, rel []Related) []Related {
	for _, r := range rel {
		if r.Range == b.Range {
			return rel
		}
	}
	if b.Range.IsZero() {
		return rel
	}
	return append(rel, Related{Range: b.Range, Message: "bucket " + bucketLabel(b) + " is declared here"})
}

// when words the template conditions under which a policy alternative is
// the one in place: "when IsPublic is true, ", or "".
func bpaWhen(pol *graph.Policy) string {
	if d := pol.Variant.Describe(); d != "" {
		return "when " + d + ", "
	}
	return ""
}

// bpaCapitalize upper-cases the first letter of a message.
func bpaCapitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// bpaPublicStatements returns the Allow statements of a bucket policy that are
// public on their own, for certain.
func bpaPublicStatements(pol *graph.Policy) []*graph.Statement {
	if pol.Doc == nil {
		return nil
	}
	var out []*graph.Statement
	for _, st := range pol.Doc.Statements {
		one := &graph.Document{Statements: []*graph.Statement{st}}
		if policy.IsPublic(one, graph.BucketPolicy).T == policy.Yes {
			out = append(out, st)
		}
	}
	return out
}

// bpaPublicAt is where a public statement is reported: the principal that
// opens it, else the statement.
func bpaPublicAt(st *graph.Statement) graph.Range {
	switch {
	case st.NotPrincipal != nil && !st.NotPrincipal.Range.IsZero():
		return st.NotPrincipal.Range
	case st.Principal != nil && !st.Principal.Range.IsZero():
		return st.Principal.Range
	}
	return st.Range
}

// bpaWhyPublic words what makes a statement public: its principal and the
// lack of a restricting condition.
func bpaWhyPublic(st *graph.Statement) string {
	why := bpaOpenPrincipal(st) + " with no condition that limits it to fixed principals, networks or sources"
	if len(st.Conditions) > 0 {
		// A condition that does not restrict enough for AWS (a source
		// address range of /0, a key AWS does not count).
		why = bpaOpenPrincipal(st) + " whose conditions do not limit it to fixed principals, networks or sources as AWS counts them"
	}
	if st.IsAllow() && st.Sid.Known() && strings.HasPrefix(strings.ToLower(st.Sid.V), "deny") {
		// A Deny meant, an Allow written: an aws_iam_policy_document
		// statement without effect is an Allow.
		why += "; its Sid reads as a Deny, but the statement is an Allow (a statement that names no effect is one)"
	}
	return why
}

// bpaOpenPrincipal words the principal that opens a statement to everyone.
func bpaOpenPrincipal(st *graph.Statement) string {
	p := st.Principal
	switch {
	case st.NotPrincipal != nil:
		return "NotPrincipal (everyone but the principals listed)"
	case p == nil:
		return "a principal that matches everyone"
	case p.Wildcard:
		return `Principal "*"`
	}
	for _, e := range p.Entries {
		for _, v := range e.Values {
			switch {
			case !v.Known() || !policy.HasWildcard(v.V):
			case v.V == "*":
				return fmt.Sprintf(`Principal {"%s": "*"}`, e.Type.V)
			default:
				return fmt.Sprintf("the wildcard principal %q", v.V)
			}
		}
	}
	return "a principal that matches everyone"
}

// bpaStatementName names a statement for people: its Sid, or its position.
func bpaStatementName(st *graph.Statement) string {
	switch {
	case st.Sid.Known() && st.Sid.V != "":
		return fmt.Sprintf("statement %q", st.Sid.V)
	case st.Index < 0:
		// A statement whose position differs between alternatives.
		return fmt.Sprintf("the statement on line %d", st.Range.Start.Line)
	}
	return fmt.Sprintf("statement %d", st.Index+1)
}

// bpaOtherPublic points at other public statements.
func bpaOtherPublic(sts []*graph.Statement) []Related {
	var out []Related
	for _, st := range sts {
		out = append(out, Related{Range: bpaPublicAt(st), Message: bpaCapitalize(bpaStatementName(st)) + " is public too"})
	}
	return out
}

// bpaNonPublicFix is the other way out: a policy Block Public Access does not
// count as public.
const bpaNonPublicFix = "or make the policy non-public: name the principals (accounts, roles, services) " +
	"or limit Principal \"*\" with a condition on fixed values of aws:PrincipalOrgID, aws:SourceVpce, aws:SourceArn or aws:SourceIp"

// bpaCandidate is a bucket policy, or one alternative of a template's
// policy, that a rule reports, with its public statements.
type bpaCandidate struct {
	pol *graph.Policy
	pub []*graph.Statement
}

// bpaMerge reports each candidate once. Alternatives of one template policy
// that are all reported at the same statement are reported together, with
// only the conditions they share ("when HasPublicRead is true"), when every
// alternative that shares them is among the reported: a policy public under
// every alternative is reported without conditions. report gets the
// candidate to word the finding from, the statement to report, the other
// public statements and the conditions.
func bpaMerge(g *graph.Graph, cands []bpaCandidate, report func(c bpaCandidate, st *graph.Statement, also []*graph.Statement, when string)) {
	var order []string
	groups := map[string][]bpaCandidate{}
	for _, c := range cands {
		if c.pol.Variant == nil {
			report(c, c.pub[0], c.pub[1:], "")
			continue
		}
		if groups[c.pol.Variant.Group] == nil {
			order = append(order, c.pol.Variant.Group)
		}
		groups[c.pol.Variant.Group] = append(groups[c.pol.Variant.Group], c)
	}
	for _, group := range order {
		flagged := groups[group]
		var alts []*graph.Policy
		for _, p := range g.Policies {
			if p.Variant != nil && p.Variant.Group == group {
				alts = append(alts, p)
			}
		}
		if bpaReportTogether(flagged, alts, report) {
			continue
		}
		// Else together per statement, where they agree.
		var at []graph.Range
		byAt := map[graph.Range][]bpaCandidate{}
		for _, c := range flagged {
			r := c.pub[0].Range
			if byAt[r] == nil {
				at = append(at, r)
			}
			byAt[r] = append(byAt[r], c)
		}
		for _, r := range at {
			if !bpaReportTogether(byAt[r], alts, report) {
				for _, c := range byAt[r] {
					report(c, c.pub[0], c.pub[1:], bpaWhen(c.pol))
				}
			}
		}
	}
}

// bpaReportTogether reports flagged alternatives as one finding when they
// are every alternative of alts that shares their common conditions and
// have a public statement in common; it reports nothing and returns false
// otherwise.
func bpaReportTogether(flagged []bpaCandidate, alts []*graph.Policy, report func(bpaCandidate, *graph.Statement, []*graph.Statement, string)) bool {
	common := map[string]bool{}
	for k, v := range flagged[0].pol.Variant.When {
		common[k] = v
	}
	for _, c := range flagged[1:] {
		for k, v := range common {
			if w, ok := c.pol.Variant.When[k]; !ok || w != v {
				delete(common, k)
			}
		}
	}
	for _, a := range alts {
		agrees := true
		for k, v := range common {
			if w, ok := a.Variant.When[k]; !ok || w != v {
				agrees = false
				break
			}
		}
		if agrees && !slices.ContainsFunc(flagged, func(c bpaCandidate) bool { return c.pol == a }) {
			return false
		}
	}
	// The statements public in every flagged alternative, in the first's
	// order.
	var shared []*graph.Statement
	for _, st := range flagged[0].pub {
		if !slices.ContainsFunc(flagged[1:], func(c bpaCandidate) bool {
			return !slices.ContainsFunc(c.pub, func(o *graph.Statement) bool { return o.Range == st.Range })
		}) {
			shared = append(shared, st)
		}
	}
	if len(shared) == 0 {
		return false
	}
	when := ""
	if len(common) > 0 {
		when = "when " + (&graph.Variant{When: common}).Describe() + ", "
	}
	for i, st := range shared {
		for _, c := range flagged[1:] {
			if j := slices.IndexFunc(c.pub, func(o *graph.Statement) bool { return o.Range == st.Range }); c.pub[j].Index != st.Index {
				unnumbered := *st
				unnumbered.Index = -1
				shared[i] = &unnumbered
				break
			}
		}
	}
	report(flagged[0], shared[0], shared[1:], when)
	return true
}
