package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// Flag is one Block Public Access setting in effect for a bucket, with the
// declarations that turn it on.
type Flag struct {
	On    Truth
	Where []Location
}

// BPA is the Block Public Access in effect for a bucket: the most
// restrictive combination of its own settings, AWS's defaults when it has
// none, and the account's settings.
type BPA struct {
	BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets Flag
}

// BlockPublicAccess computes the Block Public Access in effect for a bucket.
// The result is shared: its slices are clipped, so that appending to them
// copies.
func (e *Engine) BlockPublicAccess(b *graph.Bucket) BPA {
	if e == nil || b == nil {
		return blockPublicAccess(e, b)
	}
	if v, ok := e.bpa.Load(b); ok {
		return v.(BPA)
	}
	out := blockPublicAccess(e, b)
	for _, f := range []*Flag{&out.BlockPublicAcls, &out.IgnorePublicAcls, &out.BlockPublicPolicy, &out.RestrictPublicBuckets} {
		f.Where = slices.Clip(f.Where)
		f.On.Why = slices.Clip(f.On.Why)
	}
	e.bpa.Store(b, out)
	return out
}

func blockPublicAccess(e *Engine, b *graph.Bucket) BPA {
	var out BPA
	flags := []*Flag{&out.BlockPublicAcls, &out.IgnorePublicAcls, &out.BlockPublicPolicy, &out.RestrictPublicBuckets}
	names := []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}
	for _, f := range flags {
		f.On = no
	}
	if b == nil {
		if e == nil {
			return out
		}
		for _, f := range flags {
			f.On = maybe("the Block Public Access settings of a bucket outside the configuration")
		}
		return out
	}
	if b.PublicAccessBlock == nil {
		for i, f := range flags {
			f.On = yes
			f.Where = append(f.Where, Location{Range: b.Range, What: b.Address + " declares no public access block, so AWS turns " + names[i] + " on (the default for new buckets since April 2023)"})
		}
	} else {
		pab := b.PublicAccessBlock
		vals := []graph.Bool{pab.BlockPublicAcls, pab.IgnorePublicAcls, pab.BlockPublicPolicy, pab.RestrictPublicBuckets}
		for i, f := range flags {
			f.On = boolTruth(vals[i], names[i]+" of "+pab.Address)
			if f.On.T != No {
				f.Where = append(f.Where, Location{Range: vals[i].Range, What: names[i] + " in " + pab.Address})
			}
		}
	}
	for _, ab := range e.g.AccountBlocks {
		same := accountsMatch(ab.Account, b.Account)
		if same.T == No {
			continue
		}
		vals := []graph.Bool{ab.BlockPublicAcls, ab.IgnorePublicAcls, ab.BlockPublicPolicy, ab.RestrictPublicBuckets}
		for i, f := range flags {
			on := same.And(boolTruth(vals[i], names[i]+" of "+ab.Address))
			if on.T != No {
				f.On = f.On.Or(on)
				f.Where = append(f.Where, Location{Range: vals[i].Range, What: names[i] + " for the account in " + ab.Address})
			}
		}
	}
	return out
}

func boolTruth(b graph.Bool, what string) Truth {
	switch {
	case b.IsTrue():
		return yes
	case b.IsFalse():
		return no
	}
	return maybe(what)
}

// accountsMatch compares two accounts of the graph.
func accountsMatch(a, b graph.Account) Truth {
	if !a.Known() || !b.Known() {
		return maybe("an account that cannot be known before deployment")
	}
	if same, known := a.SameAs(b); known {
		return truthOf(same)
	}
	return equalSym(string(a), string(b)).Or(maybe("whether " + display(string(a)) + " and " + display(string(b)) + " are the same account"))
}

// bpaState is what Block Public Access means for one decision.
type bpaState struct {
	BPA
	public     Public
	inPlace    Truth // the bucket policy can be put in place
	restrict   Truth // RestrictPublicBuckets cuts off outside callers
	ignoreACLs Truth
}

// BucketPublic classifies the bucket's policies together.
func BucketPublic(b *graph.Bucket) Public {
	return bucketPublic(b, nil)
}

func bucketPublic(b *graph.Bucket, skip map[*graph.Policy]bool) Public {
	out := Public{Truth: no}
	if b == nil {
		return out
	}
	for _, p := range b.Policies {
		if skip[p] {
			continue
		}
		pp := IsPublic(p.Doc, graph.BucketPolicy)
		out.Truth = out.Or(pp.Truth)
		out.Statements = append(out.Statements, pp.Statements...)
	}
	return out
}

func (dc *decider) bpaStep() bpaState {
	b := dc.b
	st := bpaState{BPA: dc.e.BlockPublicAccess(b), inPlace: yes, restrict: no, ignoreACLs: no}
	s := Step{Check: CheckBPA, Status: NotInvolved}
	if b == nil {
		s.Detail = "the bucket is not in the configuration"
		dc.step(s)
		st.restrict = maybe("the Block Public Access settings of a bucket outside the configuration")
		return st
	}
	st.public = bucketPublic(b, dc.req.skip)
	policies := activePolicies(b, dc.req.skip) > 0
	if policies {
		st.inPlace = st.BlockPublicPolicy.On.And(st.public.Truth).Not()
		st.restrict = st.RestrictPublicBuckets.On.And(st.public.Truth).And(st.inPlace)
	}
	st.ignoreACLs = st.IgnorePublicAcls.On.Or(st.BlockPublicAcls.On)
	if dc.quiet {
		return st
	}
	var notes []string
	if policies {
		switch blocked := st.inPlace.Not(); blocked.T {
		case Yes:
			s.Status = Denied
			notes = append(notes, "the bucket policy is public and BlockPublicPolicy is on, so S3 rejects PutBucketPolicy with 403 and the policy is never in place")
			dc.bpaBlocked = append(append([]Location{}, st.BlockPublicPolicy.Where...), policyLocations(b)...)
		case Maybe:
			s.Status = Undecided
			notes = append(notes, "whether S3 accepts the bucket policy depends on "+strings.Join(blocked.Why, ", "))
		}
		dc.bpaRestricts = append(append([]Location{}, st.RestrictPublicBuckets.Where...), policyLocations(b)...)
		switch st.restrict.T {
		case Yes:
			notes = append(notes, "the bucket policy is public and RestrictPublicBuckets is on: only AWS services and principals of the bucket owner's account get through it")
			if s.Status == NotInvolved {
				s.Status = Noted
			}
		case Maybe:
			notes = append(notes, "whether RestrictPublicBuckets limits the bucket policy depends on "+strings.Join(st.restrict.Why, ", "))
		}
		if st.public.T == Yes && len(notes) == 0 {
			notes = append(notes, "the bucket policy is public and Block Public Access lets it be")
		}
	}
	if len(notes) == 0 {
		notes = append(notes, "no public bucket policy for Block Public Access to act on")
	}
	s.Detail = strings.Join(notes, "; ")
	if st.public.T != No {
		for _, f := range []Flag{st.BlockPublicPolicy, st.RestrictPublicBuckets} {
			if f.On.T != No {
				s.Where = append(s.Where, f.Where...)
			}
		}
	}
	dc.step(s)
	return st
}

// activePolicies counts the bucket policies in place.
func activePolicies(b *graph.Bucket, skip map[*graph.Policy]bool) int {
	n := 0
	for _, p := range b.Policies {
		if !skip[p] {
			n++
		}
	}
	return n
}

func policyLocations(b *graph.Bucket) []Location {
	var out []Location
	for _, p := range b.Policies {
		out = append(out, Location{Range: p.DocRange, What: "bucket policy " + p.Address})
	}
	return out
}

// bucketPolicy evaluates the bucket's policies.
func (dc *decider) bucketPolicy(bpa bpaState) sideResult {
	b, req := dc.b, dc.req
	r := sideResult{allow: no, allowDirect: no, allowSession: no, deny: no, step: Step{Check: CheckBucketPolicy}}
	if b == nil && dc.noBucket {
		r.step.Status, r.step.Detail = NotInvolved, display(req.Resource)+" is not a bucket or object"
		return r
	}
	if b == nil {
		why := maybe("the policy of " + display(req.Resource) + ", whose bucket is not in the configuration")
		r.allow, r.allowDirect, r.deny = why, why, why
		r.step.Status, r.step.Detail = Undecided, "the bucket is not in the configuration"
		return r
	}
	if activePolicies(b, req.skip) == 0 {
		if dc.maybePolicies(&r) {
			return r
		}
		r.step.Status, r.step.Detail = NotInvolved, b.Address+" has no bucket policy"
		return r
	}
	for _, p := range b.Policies {
		v := evalPolicy(p, req, withPrincipal)
		r.allow, r.allowDirect, r.deny = r.allow.Or(v.allow), r.allowDirect.Or(v.allowDirect), r.deny.Or(v.deny)
		r.allowSession = r.allowSession.Or(v.allowSession)
		r.allows, r.denies = append(r.allows, v.allows...), append(r.denies, v.denies...)
	}
	if req.Caller.Kind == CallerRoot && dc.same.T == Yes && rootAlways[strings.ToLower(req.Action)] {
		// The owner's root user can always read, replace and delete the
		// bucket policy, so that a lock-out can be undone.
		r.deny, r.denies = no, nil
	}
	if bpa.inPlace.T != Yes {
		r.allow, r.allowDirect, r.deny = r.allow.And(bpa.inPlace), r.allowDirect.And(bpa.inPlace), r.deny.And(bpa.inPlace)
		r.allowSession = r.allowSession.And(bpa.inPlace)
	}
	if dc.quiet {
		return r
	}
	allow := r.allow
	if f := dc.foreignObject(); f.T == Yes {
		r.step.Status = Denied
		r.step.Detail = fmt.Sprintf("the object belongs to %s, not the bucket owner: the bucket policy's Allows do not reach it (object ownership %s)", display(string(req.ObjectOwner)), b.ObjectOwnership().V)
		r.step.Where = refLocations(nil, nil, r.denies)
		return r
	}
	switch {
	case r.deny.T == Yes:
		r.step.Status, r.step.Detail = Denied, "a Deny statement matches"
	case bpa.inPlace.T == No:
		r.step.Status, r.step.Detail = Denied, "the policy is never in place (see Block Public Access)"
	case allow.T == Yes && r.allowDirect.T == Yes:
		r.step.Status, r.step.Detail = Allowed, "a statement allows "+req.Caller.Label()
	case allow.T == Yes:
		r.step.Status, r.step.Detail = Allowed, "a statement allows the caller's account; its IAM policies must allow too"
	case allow.T == No && r.deny.T == No:
		r.step.Status, r.step.Detail = NotInvolved, "no statement matches"
	default:
		r.step.Status = Undecided
		r.step.Detail = "whether the bucket policy matches depends on " + strings.Join(maybe(append(allow.Why, r.deny.Why...)...).Why, ", ")
	}
	r.step.Where = refLocations(nil, r.allows, r.denies)
	if len(r.step.Where) == 0 {
		r.step.Where = policyLocations(b)
	}
	return r
}

// maybePolicies evaluates the bucket policies that may be the bucket's
// (graph.Bucket.MaybePolicies) into r, and reports whether one of them may
// matter: what it would allow or deny is then only a possibility.
func (dc *decider) maybePolicies(r *sideResult) bool {
	b, req := dc.b, dc.req
	var where []Location
	for _, p := range b.MaybePolicies {
		if req.skip[p] {
			continue
		}
		v := evalPolicy(p, req, withPrincipal)
		if v.allow.T == No && v.deny.T == No && v.allowDirect.T == No && v.allowSession.T == No {
			continue
		}
		its := maybe("whether " + p.Address + ", whose bucket is not known before deployment, is the policy of " + b.Address)
		r.allow, r.allowDirect = r.allow.Or(v.allow.And(its)), r.allowDirect.Or(v.allowDirect.And(its))
		r.allowSession, r.deny = r.allowSession.Or(v.allowSession.And(its)), r.deny.Or(v.deny.And(its))
		where = append(where, Location{Range: p.DocRange, What: "bucket policy " + p.Address + " (its bucket is not known)"})
	}
	if where == nil {
		return false
	}
	if req.Caller.Kind == CallerRoot && dc.same.T == Yes && rootAlways[strings.ToLower(req.Action)] {
		r.deny = no
	}
	if !dc.quiet {
		r.step.Status, r.step.Where = Undecided, where
		r.step.Detail = b.Address + " has no bucket policy of its own, but a bucket policy whose bucket is not known before deployment may be its, and may match"
	}
	return true
}

// aclPerms are the bucket actions each ACL permission grants.
var aclPerms = map[string][]string{
	"READ":      {"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"},
	"WRITE":     {"s3:PutObject", "s3:DeleteObject"},
	"READ_ACP":  {"s3:GetBucketAcl"},
	"WRITE_ACP": {"s3:PutBucketAcl"},
}

const (
	allUsersURI  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logDelivery  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

type aclGrant struct {
	owner      bool
	uri, id    string
	permission string
	loc        Location
}

// cannedGrants are the grants of canned ACLs on a bucket.
func cannedGrants(canned string) []aclGrant {
	owner := aclGrant{owner: true, permission: "FULL_CONTROL"}
	switch canned {
	case "public-read":
		return []aclGrant{owner, {uri: allUsersURI, permission: "READ"}}
	case "public-read-write":
		return []aclGrant{owner, {uri: allUsersURI, permission: "READ"}, {uri: allUsersURI, permission: "WRITE"}}
	case "authenticated-read":
		return []aclGrant{owner, {uri: authUsersURI, permission: "READ"}}
	case "log-delivery-write":
		return []aclGrant{owner, {uri: logDelivery, permission: "WRITE"}, {uri: logDelivery, permission: "READ_ACP"}}
	}
	return []aclGrant{owner}
}

// acls evaluates the bucket ACL for bucket-level requests. Object ACLs are
// not in templates: an object's ACL is whatever its writer sent.
func (dc *decider) acls(bpa bpaState) sideResult {
	b, req := dc.b, dc.req
	r := sideResult{allow: no, allowDirect: no, deny: no, step: Step{Check: CheckACL, Status: NotInvolved}}
	if b == nil {
		r.step.Detail = "the bucket is not in the configuration"
		return r
	}
	own := b.ObjectOwnership()
	enforced := truthOf(own.V == graph.BucketOwnerEnforced)
	if !own.Known() {
		enforced = maybe("the bucket's object ownership")
	}
	if enforced.T == Yes {
		r.step.Detail = "ACLs are disabled (object ownership BucketOwnerEnforced"
		if own.Origin == graph.Default {
			r.step.Detail += ", the default"
		}
		r.step.Detail += "): the bucket owner owns every object and only policies grant access"
		r.step.Where = []Location{{Range: own.Range, What: "object ownership of " + b.Address}}
		return r
	}
	var grants []aclGrant
	if len(b.ACLs) == 0 {
		grants = cannedGrants("private")
	}
	unknown := no
	for _, acl := range b.ACLs {
		loc := Location{Range: acl.Range, What: "ACL of " + b.Address + " in " + acl.Address}
		switch {
		case !acl.Canned.Known():
			unknown = unknown.Or(maybe("the canned ACL of " + acl.Address))
		case acl.Canned.V != "" || len(acl.Grants) == 0:
			for _, g := range cannedGrants(acl.Canned.V) {
				g.loc = loc
				grants = append(grants, g)
			}
		}
		for _, g := range acl.Grants {
			if !g.Permission.Known() || !g.URI.Known() || !g.ID.Known() {
				unknown = unknown.Or(maybe("an ACL grant of " + acl.Address))
				continue
			}
			grants = append(grants, aclGrant{uri: g.URI.V, id: g.ID.V, permission: g.Permission.V, loc: Location{Range: g.Range, What: "grant in " + acl.Address}})
		}
	}
	c := &req.Caller
	var hits []string
	for _, g := range grants {
		if !permits(g.permission, req.Action) {
			continue
		}
		direct, account := no, no
		public := false
		switch {
		case g.owner:
			if c.Kind != CallerAnonymous && c.Kind != CallerService {
				account = dc.same
			}
		case g.uri == allUsersURI:
			direct, public = yes, true
		case g.uri == authUsersURI:
			direct, public = truthOf(c.Kind != CallerAnonymous), true
		case g.uri == logDelivery:
			direct = truthOf(c.Kind == CallerService && c.Service == "logging.s3.amazonaws.com")
		case g.id != "":
			if c.Kind != CallerAnonymous && c.Kind != CallerService {
				account = maybe("the account behind canonical user ID " + abbreviate(g.id))
			}
		}
		if public && bpa.ignoreACLs.T != No {
			direct = direct.And(bpa.ignoreACLs.Not())
			hits = append(hits, "a public grant that Block Public Access ignores")
			if g.loc.Range.File != "" {
				r.step.Where = append(r.step.Where, g.loc)
			}
		}
		if direct.T != No || account.T != No {
			if g.loc.Range.File != "" {
				r.step.Where = append(r.step.Where, g.loc)
			}
		}
		r.allowDirect = r.allowDirect.Or(direct)
		r.allow = r.allow.Or(direct).Or(account)
	}
	if unknown.T != No {
		r.allow = r.allow.Or(unknown)
		r.allowDirect = r.allowDirect.Or(unknown)
	}
	r.allow = r.allow.And(enforced.Not())
	r.allowDirect = r.allowDirect.And(enforced.Not())
	if dc.quiet {
		return r
	}
	switch r.allow.T {
	case Yes:
		r.step.Status = Allowed
		r.step.Detail = "the bucket ACL grants " + req.Action
		if r.allowDirect.T != Yes {
			r.step.Detail += " to the caller's account"
		}
	case Maybe:
		r.step.Status = Undecided
		r.step.Detail = "whether the bucket ACL grants " + req.Action + " depends on " + strings.Join(r.allow.Why, ", ")
	default:
		r.step.Detail = "the bucket ACL grants the caller nothing for " + req.Action
		if dc.object {
			r.step.Detail = "object ACLs are set by each object's writer and are not in the configuration; the bucket ACL does not cover objects"
		}
	}
	if len(hits) > 0 {
		r.step.Detail += "; " + hits[0]
	}
	return r
}

// namesAccount reports whether some statement's Principal names an account.
func namesAccount(doc *graph.Document) bool {
	if doc == nil {
		return false
	}
	for _, st := range doc.Statements {
		if st.Principal == nil {
			continue
		}
		for _, e := range st.Principal.Entries {
			for _, v := range e.Values {
				if _, ok := accountPrincipal(v.V); ok && e.Type.Is("AWS") {
					return true
				}
			}
		}
	}
	return false
}

// permits reports whether an ACL permission covers an action.
func permits(perm, action string) bool {
	if perm == "FULL_CONTROL" {
		for _, p := range []string{"READ", "WRITE", "READ_ACP", "WRITE_ACP"} {
			if permits(p, action) {
				return true
			}
		}
		return false
	}
	for _, a := range aclPerms[perm] {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}

// mfaDelete refuses version deletes and versioning changes on buckets with
// MFA delete unless the root user sends its MFA code.
func (dc *decider) mfaDelete() sideResult {
	b, req := dc.b, dc.req
	r := sideResult{allow: yes, deny: no, step: Step{Check: CheckMFA, Status: NotInvolved}}
	if b == nil || b.Versioning == nil || !mfaActions[strings.ToLower(req.Action)] {
		r.step.Detail = "not involved"
		if b != nil && b.Versioning != nil && b.Versioning.MFADelete.IsTrue() {
			r.step.Detail = "MFA delete is on, but " + req.Action + " does not need it"
		}
		return r
	}
	v := b.Versioning
	loc := Location{Range: v.MFADelete.Range, What: "MFA delete in " + v.Address}
	on := boolTruth(v.MFADelete, "whether MFA delete is on for "+b.Address)
	if on.T == No {
		r.step.Detail = "MFA delete is off"
		return r
	}
	if req.Caller.Kind == CallerRoot && dc.same.T != No {
		r.allow = maybe("whether the root user sends its MFA code (x-amz-mfa)")
		r.step.Status, r.step.Detail = Undecided, req.Action+" needs the x-amz-mfa header with the root user's MFA code"
		r.step.Where = []Location{loc}
		return r
	}
	r.deny = on
	r.where = []Location{loc}
	r.step.Status = Denied
	if on.T == Maybe {
		r.step.Status = Undecided
	}
	r.step.Detail = "MFA delete is on: " + req.Action + " needs the x-amz-mfa header with the MFA code of the bucket owner's root user, which " + req.Caller.Label() + " cannot send"
	r.step.Where = []Location{loc}
	return r
}

// endpoint applies the VPC endpoint policy to requests that come through it.
func (dc *decider) endpoint() sideResult {
	req := dc.req
	r := sideResult{allow: yes, deny: no, step: Step{Check: CheckEndpoint, Status: NotInvolved}}
	switch req.Network {
	case NetworkUnknown:
		r.step.Detail = "no VPC endpoint was named; if the request comes through one, its policy applies too"
		return r
	case NetworkInternet:
		r.step.Detail = "the request does not come through a VPC endpoint"
		return r
	}
	ep := req.Endpoint
	if ep == nil {
		r.step.Detail = "the endpoint is not in the configuration"
		r.allow = maybe("the policy of the VPC endpoint")
		r.step.Status = Undecided
		return r
	}
	if ep.Policy == nil {
		r.step.Status, r.step.Detail = Allowed, ep.Address+" has the default endpoint policy, which allows everything"
		r.step.Where = []Location{{Range: ep.Range, What: ep.Address}}
		return r
	}
	mode := withPrincipal
	if !ep.Type.Known() || !strings.EqualFold(ep.Type.V, "Interface") {
		mode = gatewayPrincipal
	}
	v := evalPolicy(ep.Policy, req, mode)
	r.allow, r.deny, r.allows, r.denies = v.allow, v.deny, v.allows, v.denies
	if dc.quiet {
		return r
	}
	switch {
	case v.deny.T == Yes:
		r.step.Status, r.step.Detail = Denied, "a Deny in the policy of "+ep.Address+" matches"
	case v.allow.T == Yes && v.deny.T == No:
		r.step.Status, r.step.Detail = Allowed, "the policy of "+ep.Address+" lets the request through"
	case v.allow.T == No:
		r.step.Status, r.step.Detail = Denied, "the policy of "+ep.Address+" does not allow "+req.Action+" on "+display(req.Resource)
		r.where = []Location{{Range: ep.Policy.DocRange, What: "policy of " + ep.Address}}
		if mode == gatewayPrincipal && namesAccount(ep.Policy.Doc) {
			r.step.Detail += " (in a gateway endpoint policy an account principal means only its root user)"
		}
	default:
		r.step.Status = Undecided
		r.step.Detail = "whether the policy of " + ep.Address + " lets the request through depends on " + strings.Join(maybe(append(v.allow.Why, v.deny.Why...)...).Why, ", ")
	}
	r.step.Where = refLocations(nil, r.allows, r.denies)
	if len(r.step.Where) == 0 {
		r.step.Where = []Location{{Range: ep.Policy.DocRange, What: "policy of " + ep.Address}}
	}
	return r
}
