package policy

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// kmsActionsFor lists the KMS permissions an S3 request needs on an SSE-KMS
// bucket: Decrypt to read, GenerateDataKey to write, both for multipart
// uploads.
func kmsActionsFor(action string, multipart bool) []string {
	a := strings.ToLower(action)
	switch {
	case kmsRead[a]:
		return []string{"kms:Decrypt"}
	case kmsWrite[a] && multipart:
		return []string{"kms:GenerateDataKey", "kms:Decrypt"}
	case kmsWrite[a]:
		return []string{"kms:GenerateDataKey"}
	}
	return nil
}

// KeyARNOf is the ARN of a key of the graph, symbolic when unknown.
func KeyARNOf(k *graph.Key) string {
	if k.ARN.Known() && k.ARN.V != "" {
		return k.ARN.V
	}
	acct := k.Account
	if acct == "" {
		acct = graph.SymbolicAccount(k.Address)
	}
	return graph.SymbolicKeyARN("", "", acct, k.Address, k.Root)
}

// kms decides whether the caller can use the bucket's default KMS key for the
// request. The objects are assumed to be encrypted with the bucket's default
// key; an object written with another key needs that key instead.
func (dc *decider) kms() sideResult {
	b, req := dc.b, dc.req
	r := sideResult{allow: yes, deny: no, step: Step{Check: CheckKMS, Status: NotInvolved}}
	acts := kmsActionsFor(req.Action, req.Multipart)
	if rk := req.Replication; rk != nil {
		switch strings.ToLower(req.Action) {
		case "s3:getobjectversionforreplication", "s3:getobjectversion":
			acts = []string{"kms:Decrypt"}
		case "s3:replicateobject":
			return dc.replicaKMS(r, rk)
		}
	}
	if b == nil || len(acts) == 0 || !dc.object || req.NoKMS {
		r.step.Detail = "not involved"
		return r
	}
	c := &req.Caller
	if u := kmsUpload(b, req); u != nil && c.Kind == CallerAnonymous && kmsRead[strings.ToLower(req.Action)] {
		// The object asks for KMS itself, whatever the bucket's default.
		r.allow = no
		r.step.Status, r.step.Detail = Denied, "the object "+u.Key.V+" is uploaded by "+u.Address+" with "+u.SSE.V+
			", and anonymous requests cannot use KMS keys, so it can never be read anonymously"
		r.where = []Location{{Range: u.SSE.Range, What: "server_side_encryption of " + u.Address}}
		r.step.Where = r.where
		return r
	}
	enc := b.Encryption
	isKMS, known := enc.UsesKMS()
	if known && !isKMS {
		r.step.Detail = b.Address + " encrypts with S3-managed keys (SSE-S3), which need no KMS permission"
		return r
	}
	// Only where the bucket may encrypt with KMS does an object's own
	// encryption matter.
	if why, ok := notKMSObject(b, req); ok {
		r.step.Detail = why
		return r
	}
	if !known {
		r.allow = maybe("the encryption algorithm of " + b.Address)
		r.step.Status, r.step.Detail = Undecided, "whether "+b.Address+" encrypts with KMS cannot be known before deployment"
		return r
	}
	encLoc := Location{Range: enc.Range, What: "default encryption of " + b.Address + " in " + enc.Address}
	if c.Kind == CallerAnonymous {
		r.allow = no
		r.step.Status, r.step.Detail = Denied, "anonymous requests cannot use KMS keys, so SSE-KMS objects can never be read or written anonymously"
		r.where = []Location{encLoc}
		r.step.Where = r.where
		return r
	}
	if enc.AWSManagedKey() {
		r.step.Where = []Location{encLoc}
		if c.Kind == CallerService {
			// Its key policy admits principals of the account calling
			// through S3 (kms:CallerAccount), which no service principal
			// is; yet whether S3 then refuses a service's delivery is not
			// documented.
			r.allow = maybe("whether " + c.Service + " can use the AWS-managed key aws/s3 through S3")
			r.step.Status, r.step.Detail = Undecided, "the bucket encrypts with the AWS-managed key aws/s3, whose key policy admits only principals of the bucket's account; whether S3 refuses "+
				c.Service+" for it is not documented"
			return r
		}
		switch dc.same.T {
		case Yes:
			r.step.Status, r.step.Detail = Allowed, "the AWS-managed key aws/s3 lets every principal of the bucket's account use it through S3"
		case No:
			r.allow = no
			r.deny = yes
			r.denyWhere = []Location{encLoc}
			r.where = []Location{encLoc}
			r.step.Status, r.step.Detail = Denied, "the bucket encrypts with the AWS-managed key aws/s3, whose key policy cannot be changed to admit other accounts"
		default:
			r.allow = maybe(dc.same.Why...)
			r.step.Status, r.step.Detail = Undecided, "the AWS-managed key aws/s3 works only within the bucket's account; "+strings.Join(dc.same.Why, ", ")+" is unknown"
		}
		return r
	}
	k := enc.Key
	if k == nil {
		what := "the key " + display(enc.KeyID.V)
		if !enc.KeyID.Known() {
			what = "the KMS key of " + b.Address
		}
		r.allow = maybe(what + ", whose key policy is not in the configuration")
		r.step.Status, r.step.Detail = Undecided, what+" is not in the configuration, so its key policy cannot be read"
		r.step.Where = []Location{encLoc}
		return r
	}
	if c.Kind == CallerService {
		r.allow = maybe("whether " + c.Service + " may use " + k.Address)
		r.step.Status, r.step.Detail = Undecided, "services use keys under their own rules"
		return r
	}
	return dc.useKey(r, k, acts, encLoc, encryptionContextARN(b, req.Resource), "SSE-KMS default encryption")
}

// notKMSObject tells when the object of a request is surely not encrypted
// with KMS whatever the bucket's default: an upload that asks for SSE-S3
// (s3:x-amz-server-side-encryption AES256), or an object the configuration
// uploads with server_side_encryption = "AES256".
func notKMSObject(b *graph.Bucket, req *Request) (string, bool) {
	if v := req.Context.Get("s3:x-amz-server-side-encryption"); v.State == KeyKnown && len(v.Values) == 1 && v.Values[0] == "AES256" &&
		strings.EqualFold(req.Action, "s3:PutObject") {
		return "the upload asks for SSE-S3 (s3:x-amz-server-side-encryption AES256), which needs no KMS permission", true
	}
	prefix := BucketARNOf(b) + "/"
	key, isObject := strings.CutPrefix(req.Resource, prefix)
	if !isObject {
		return "", false
	}
	for _, u := range b.Uploads {
		if u.Key.Known() && u.Key.V == key && u.SSE.Known() && u.SSE.V == "AES256" {
			return "the object " + key + " is uploaded by " + u.Address + " with SSE-S3 (server_side_encryption AES256), which needs no KMS permission", true
		}
	}
	return "", false
}

// kmsUpload is the upload of the configuration that writes the object of a
// request with server_side_encryption = "aws:kms" (or "aws:kms:dsse"), or
// nil: none does, or another upload of the same key asks for something
// else or something not known. Which key such an object needs is not read
// (kms_key_id); that it needs one is what anonymous readers run into.
func kmsUpload(b *graph.Bucket, req *Request) *graph.Upload {
	key, isObject := strings.CutPrefix(req.Resource, BucketARNOf(b)+"/")
	if !isObject || len(b.Uploads) == 0 {
		return nil
	}
	var found *graph.Upload
	for _, u := range b.Uploads {
		if !u.Key.Known() || u.Key.V != key {
			continue
		}
		if !u.SSE.Known() || u.SSE.V != "aws:kms" && u.SSE.V != "aws:kms:dsse" {
			return nil
		}
		if found == nil {
			found = u
		}
	}
	return found
}

// replicaKMS decides whether a replication rule's role may encrypt a
// replica with the rule's replica key (kms:Encrypt).
func (dc *decider) replicaKMS(r sideResult, rk *ReplicationKMS) sideResult {
	loc := Location{Range: rk.At, What: "replica key of the replication rule"}
	if rk.Key == nil {
		r.allow = maybe("the replica key " + display(rk.KeyRef) + ", whose key policy is not in the configuration")
		r.step.Status, r.step.Detail = Undecided, "the replica key "+display(rk.KeyRef)+" is not in the configuration, so its key policy cannot be read"
		r.step.Where = []Location{loc}
		return r
	}
	// Which ARN S3 puts in the encryption context of a replica (the
	// object's, or the bucket's with an S3 Bucket Key) is not read: left
	// unknown.
	return dc.useKey(r, rk.Key, []string{"kms:Encrypt"}, loc, "", "replica key")
}

// useKey decides whether the caller may call acts on the key k through S3
// for the request, with the encryption context's aws:s3:arn (unknown when
// ""); encLoc is where the key is chosen, role what it is to the request.
func (dc *decider) useKey(r sideResult, k *graph.Key, acts []string, encLoc Location, ctxARN, role string) sideResult {
	req := dc.req
	c := &req.Caller
	same := accountsMatchCaller(c, k.Account)
	var details []string
	for _, act := range acts {
		kreq := kmsRequest(req, dc.b, k, act, ctxARN)
		kp := k.Policy
		if kp == nil {
			kp = defaultKeyPolicy(k)
		}
		v := evalPolicy(kp, &kreq, withPrincipal)
		v.amended(k)
		v.granted(k, c, act, req.roots)
		id := dc.identity(&kreq, act)
		// The key policy is the gate: it allows the caller itself, or it
		// names the account, which lets the account's IAM policies decide.
		// A grant to the role ARN is limited by the role's boundary; a
		// grant to the session itself is not.
		sameCase := v.allowDirect.And(id.boundary).Or(v.allowSession).Or(v.allow.And(id.allow.And(id.boundary)))
		crossCase := v.allow.And(id.allow.And(id.boundary))
		allow := combineAccounts(same, sameCase, crossCase)
		deny := v.deny.Or(id.deny)
		r.allow, r.deny = r.allow.And(allow), r.deny.Or(deny)
		r.allows = append(append(r.allows, v.allows...), id.allows...)
		r.denies = append(append(r.denies, v.denies...), id.denies...)
		if dc.quiet {
			continue
		}
		switch {
		case deny.T == Yes:
			details = append(details, "a Deny matches "+act)
		case allow.T == Yes && deny.T == No:
			details = append(details, act+" allowed")
		case allow.T == No:
			why := "the key policy of " + k.Address + " neither allows " + c.Label() + " " + act + " nor delegates to its account"
			fix := "allow " + c.Label() + " " + act + " in the key policy of " + k.Address
			side := RefusedByKeyPolicy
			switch {
			case same.T != No && v.allow.T != No && v.allowDirect.T != Yes:
				side = RefusedByIdentity
				why = "the key policy of " + k.Address + " delegates " + act + " to the account, but no identity policy of " + c.Label() + " allows " + act + " on the key"
				if v.allow.T == Maybe {
					why = "the key policy of " + k.Address + " delegates " + act + " to an account that may be " + c.Label() + "'s, but no identity policy of " + c.Label() + " allows " + act + " on the key"
				}
				fix = "allow " + act + " on the key " + k.Address + " in an identity policy of " + c.Label() + " (the key policy of " + k.Address + " delegates to the account)"
			case same.T == No && v.allow.T == Yes:
				side = RefusedByIdentity
				why = "the key policy of " + k.Address + " admits the account, but " + c.Label() + "'s own policies do not allow " + act + " on the key (cross-account use needs both)"
				fix = "allow " + act + " on the key " + k.Address + " in an identity policy of " + c.Label() + " (using a key of another account needs the caller's own Allow too)"
			case same.T == No:
				why = "the key policy of " + k.Address + " does not admit " + c.Label() + " or its account " + display(string(c.Account))
				fix = "allow " + display(c.ARN) + " (or its account " + display(string(c.Account)) + ") " + act + " in the key policy of " + k.Address
				if id.allow.T != Yes {
					fix += ", and " + act + " on the key in an identity policy of " + c.Label()
				}
			}
			if r.fix == "" {
				r.fix = fix
			}
			if r.step.KeyRefusal != RefusedByKeyPolicy {
				r.step.KeyRefusal = side
			}
			details = append(details, why)
			r.where = append(r.where, Location{Range: kp.DocRange, What: "key policy of " + k.Address})
			if kp.DocRange.File == "" {
				r.where = append(r.where[:len(r.where)-1], Location{Range: k.Range, What: k.Address + " (default key policy)"})
			}
		default:
			details = append(details, "whether "+act+" is allowed depends on "+strings.Join(maybe(append(allow.Why, deny.Why...)...).Why, ", "))
		}
	}
	if dc.quiet {
		return r
	}
	switch {
	case r.deny.T == Yes:
		r.step.Status = Denied
	case r.allow.T == Yes && r.deny.T == No:
		r.step.Status = Allowed
	case r.allow.T == No:
		r.step.Status = Denied
	default:
		r.step.Status = Undecided
	}
	r.step.Detail = k.Address + " (" + role + "): " + strings.Join(details, "; ")
	r.step.Where = append([]Location{encLoc}, refLocations(nil, r.allows, r.denies)...)
	for _, d := range r.denies {
		if d.Match.T == Yes && d.Policy.Range.File != "" {
			r.denyWhere = append(r.denyWhere, Location{Range: d.Range(), What: "Deny in " + d.Policy.Address})
		}
	}
	return r
}

// encryptionContextARN is the aws:s3:arn of the encryption context S3
// uses for object under the bucket b's default encryption: the bucket's
// ARN with an S3 Bucket Key, else the object's; "" when whether the bucket
// uses one is not known.
func encryptionContextARN(b *graph.Bucket, object string) string {
	switch enc := b.Encryption; {
	case enc.BucketKey.IsTrue():
		return BucketARNOf(b)
	case enc.BucketKey.Known():
		return object
	}
	return ""
}

// kmsRequest is the request S3 makes to KMS on the caller's behalf for
// req: act on the key k, for the bucket b (nil when not in the graph), with
// ctxARN as the encryption context's aws:s3:arn ("" when not known).
func kmsRequest(req *Request, b *graph.Bucket, k *graph.Key, act, ctxARN string) Request {
	kreq := *req
	kreq.Action, kreq.act, kreq.Resource = act, LookupAction(act), KeyARNOf(k)
	kreq.Context = req.Context.Clone()
	ctx := kreq.Context
	if _, ok := ctx["kms:calleraccount"]; !ok && req.Caller.Account != "" {
		ctx.Set("kms:CallerAccount", string(req.Caller.Account))
	}
	if _, ok := ctx["kms:viaservice"]; !ok {
		switch via := s3ViaService(b); {
		case via != "":
			ctx.Set("kms:ViaService", via)
		case b != nil && !strings.HasPrefix(BucketARNOf(b), "arn:aws:") && !strings.HasPrefix(BucketARNOf(b), "arn:aws-us-gov:"):
			// Other partitions' endpoints are under other domains,
			// which the assumed value would not match.
			ctx.SetNotKnown("kms:ViaService")
		default:
			ctx.Assume("kms:ViaService", "s3.<region>.amazonaws.com")
		}
	}
	if _, ok := ctx["kms:encryptioncontext:aws:s3:arn"]; !ok && ctxARN != "" {
		ctx.Set("kms:EncryptionContext:aws:s3:arn", ctxARN)
	}
	ctx.Set("kms:EncryptionContextKeys", "aws:s3:arn")
	// The TLS version the engine assumes is the client's connection to S3;
	// whether S3's call to KMS carries it is not documented.
	if v := ctx.Get("s3:TlsVersion"); v.Assumed {
		delete(ctx, lowerKey("s3:TlsVersion"))
	}
	// S3 calls KMS on the caller's behalf (a forward access session).
	ctx.Set("aws:ViaAWSService", "true")
	return kreq
}

// FailingKeyConditions lists the conditions of st that definitely do not
// hold for the KMS request S3 makes on the caller's behalf when it serves
// req with the key k: act on k, kms:ViaService and the encryption context
// as the engine sends them. For wording findings: which condition refuses.
func (e *Engine) FailingKeyConditions(req Request, act string, k *graph.Key, st *graph.Statement) []graph.Condition {
	if k == nil || st == nil {
		return nil
	}
	b := e.BucketOf(req.Resource)
	ctxARN := ""
	if b != nil && b.Encryption != nil && b.Encryption.Key == k && act != "kms:Encrypt" {
		ctxARN = encryptionContextARN(b, req.Resource)
	}
	kreq := kmsRequest(&req, b, k, act, ctxARN)
	var out []graph.Condition
	for i := range st.Conditions {
		if evalCondition(&st.Conditions[i], &kreq, st.LiteralVariables).T == No {
			out = append(out, st.Conditions[i])
		}
	}
	return out
}

// S3ViaService is the kms:ViaService S3 sends for a request on bucket b,
// or "" when the engine does not know it.
func S3ViaService(b *graph.Bucket) string { return s3ViaService(b) }

// s3ViaService is the kms:ViaService S3 sends for a request on bucket b:
// S3 uses a key in the bucket's region, from its endpoint there. "" when
// the region is not known, or its partition's endpoint domain is not
// amazonaws.com.
func s3ViaService(b *graph.Bucket) string {
	if b == nil || b.Region == "" {
		return ""
	}
	switch RegionPartition(b.Region) {
	case "aws", "aws-us-gov":
		return "s3." + b.Region + ".amazonaws.com"
	}
	return ""
}

// accountsMatchCaller compares the caller's account with another account.
func accountsMatchCaller(c *Caller, a graph.Account) Truth {
	if c.Account == "" {
		return maybe("the caller's account")
	}
	return accountsMatch(c.Account, a)
}

// defaultKeyPolicy is the policy AWS gives a key created without one: the
// key's account may use it through IAM policies.
func defaultKeyPolicy(k *graph.Key) *graph.Policy {
	acct := string(k.Account)
	if acct == "" {
		acct = string(graph.SymbolicAccount(k.Address))
	}
	st := &graph.Statement{Effect: graph.StringOf("Allow", graph.Range{}),
		Action: stringsOf([]string{"kms:*"}), Resource: stringsOf([]string{"*"}),
		Principal: &graph.PrincipalSpec{Entries: []graph.PrincipalEntry{{Type: graph.StringOf("AWS", graph.Range{}),
			Values: []graph.String{graph.StringOf("arn:aws:iam::"+acct+":root", graph.Range{})}}}}}
	return &graph.Policy{Entity: graph.Entity{Address: "default key policy of " + k.Address}, Kind: graph.KeyPolicy,
		Doc: &graph.Document{Statements: []*graph.Statement{st}}}
}

// KeyVerdict is what a key policy alone says about a request.
type KeyVerdict struct {
	Outcome Outcome
	// Why lists the unknown inputs when Outcome is Unknown.
	Why []string
	// Policy is the key policy decided against (the default key policy
	// when the key declares none); Denies are the Deny statements that
	// match.
	Policy *graph.Policy
	Denies []Ref
}

// ServiceKeyUse decides whether an AWS service principal may call a KMS
// action on k. A service is no IAM identity of the account, so no IAM policy
// and no delegation to the account can admit it: only a key policy
// statement that names the service does. ctx holds the keys the service
// sends (aws:SourceArn, encryption context …); keys it does not hold are
// unknown.
func ServiceKeyUse(k *graph.Key, service, action string, ctx Context) KeyVerdict {
	kp := k.Policy
	if kp == nil {
		kp = defaultKeyPolicy(k)
	}
	if ctx == nil {
		ctx = Context{}
	}
	ctx.Set("aws:PrincipalIsAWSService", "true")
	ctx.Set("aws:PrincipalServiceName", service)
	for _, key := range []string{"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:userid", "aws:username"} {
		ctx.SetAbsent(key)
	}
	req := Request{Caller: Caller{Kind: CallerService, Service: service}, Action: action, act: LookupAction(action),
		Resource: KeyARNOf(k), Context: ctx}
	v := evalPolicy(kp, &req, withPrincipal)
	v.amended(k)
	v.granted(k, &req.Caller, action, nil)
	kv := KeyVerdict{Policy: kp, Denies: v.denies}
	switch {
	case v.deny.T == Yes:
		kv.Outcome = ExplicitDeny
	case v.allow.T == Yes && v.deny.T == No:
		kv.Outcome = Allow
	case v.allow.T == No && v.deny.T == No:
		kv.Outcome = ImplicitDeny
	default:
		kv.Outcome = Unknown
		kv.Why = append(append([]string(nil), v.allow.Why...), v.deny.Why...)
	}
	return kv
}

// amended widens a key policy's verdict for a key whose policy a custom
// resource may add statements to at deployment (graph.Key.AmendedBy): what
// the written policy does not allow, they may. Its Denies stand.
func (v *verdict) amended(k *graph.Key) {
	if k.AmendedBy == "" {
		return
	}
	added := maybe("what " + k.AmendedBy + " may allow beyond the key policy of " + k.Address)
	v.allow, v.allowDirect = v.allow.Or(added), v.allowDirect.Or(added)
}

// granted widens a key policy's verdict by the key's grants that may name
// the caller and the operation: a grant lets its grantee use the key
// directly. A grant's constraints (encryption context) are not read, so a
// matching grant makes the use possible, not certain.
func (v *verdict) granted(k *graph.Key, c *Caller, act string, roots map[string]string) {
	op := strings.TrimPrefix(act, "kms:")
	for _, g := range k.Grants {
		ops := no
		if g.Operations.Unknown {
			ops = maybe("the operations of " + g.Address)
		}
		for _, it := range g.Operations.Items {
			switch {
			case !it.Known():
				ops = ops.Or(maybe("the operations of " + g.Address))
			case strings.EqualFold(it.V, op):
				ops = yes
			}
		}
		if ops.T == No {
			continue
		}
		who := no
		switch {
		case !g.Grantee.Known():
			who = maybe("the grantee of " + g.Address)
		case c.Kind == CallerService:
			who = truthOf(strings.EqualFold(g.Grantee.V, c.Service))
		case c.ARN != "":
			if acct, isAcct := accountPrincipal(g.Grantee.V); isAcct {
				// A grant to an account lets its identities use the
				// key as their IAM policies allow, as a key policy that
				// delegates to the account does.
				if equalSym(acct, string(c.Account)).And(ops).T != No {
					v.allow = v.allow.Or(maybe("what " + g.Address + " allows the account beyond the key policy of " + k.Address))
				}
				continue
			}
			who = distinctPrincipals(g.Grantee.V, c.ARN, roots)
		}
		if who.And(ops).T == No {
			continue
		}
		grant := maybe("what " + g.Address + " allows beyond the key policy of " + k.Address)
		v.allow, v.allowDirect = v.allow.Or(grant), v.allowDirect.Or(grant)
	}
}
