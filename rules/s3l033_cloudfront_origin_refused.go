package rules

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L033 finds CloudFront distributions whose S3 origin, read through
// origin access control or an origin access identity, does not let
// CloudFront read it.
var S3L033 = &Def{
	M: Meta{
		ID:        "S3L033",
		Name:      "cloudfront-origin-refused",
		Title:     "an S3 origin of a CloudFront distribution does not let CloudFront in",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"cloudfront", "bucket-policy", "kms"},
		Doc: `A CloudFront distribution with origin access control (OAC) on an S3 origin
(` + "`origin_access_control_id`" + ` in Terraform, ` + "`OriginAccessControlId`" + ` in CloudFormation) signs its
requests to the bucket as the service principal ` + "`cloudfront.amazonaws.com`" + `, with ` + "`aws:SourceArn`" + `
set to the distribution's ARN. The service is not an identity of the account, so only what names
it lets it in:

- the bucket policy must allow ` + "`cloudfront.amazonaws.com`" + ` ` + "`s3:GetObject`" + ` on the objects (AWS's
  policy tests ` + "`aws:SourceArn`" + ` against the distribution's ARN);
- when the bucket's default encryption is SSE-KMS with a customer-managed key, the key policy must
  allow ` + "`cloudfront.amazonaws.com`" + ` ` + "`kms:Decrypt`" + `: delegating the key to the account does not
  admit an AWS service.

Without either, every object request the distribution forwards to the origin gets 403 Access
Denied, which viewers see as CloudFront's own 403 (or the custom error page that hides it).

An origin read through a (legacy) origin access identity (OAI: ` + "`s3_origin_config`" + `'s
` + "`origin_access_identity`" + `, ` + "`S3OriginConfig.OriginAccessIdentity`" + `) signs as the identity, an IAM user of
CloudFront's own pseudo-account (` + "`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ID`" + `):

- the bucket policy must allow that identity ` + "`s3:GetObject`" + `, by its IAM ARN or its canonical user ID
  (an error when it does not: a policy that allows only ` + "`cloudfront.amazonaws.com`" + `, left half-way
  through a move to OAC, or another identity, is said so);
- an identity cannot use KMS keys at all (AWS documents SSE-KMS as unsupported with OAI), so a
  bucket whose default encryption is SSE-KMS, customer-managed or ` + "`aws/s3`" + `, serves none of the
  objects stored with that default: a warning (an object uploaded with its own SSE-S3 header is
  still served), not given when a cache behavior that targets the origin (or an origin group it
  is a member of) runs Lambda@Edge on origin requests, which AWS's documented workaround uses to
  sign them itself.

CloudFront forwards requests to an S3 origin with the protocol the viewer used. A cache behavior
whose viewer protocol policy is ` + "`allow-all`" + ` (the CDK's default) therefore sends plain HTTP
requests to the bucket, which a bucket policy that denies ` + "`aws:SecureTransport`" + ` false (the usual
"enforce TLS" statement, ` + "`enforceSSL`" + ` in the CDK) refuses: viewers that use HTTP get 403 whenever
the object is not in CloudFront's cache (the cache does not keep protocols apart). That is a
warning, at the viewer protocol policy; it is not given for a behavior that runs a function or
Lambda@Edge on viewer requests (which may redirect HTTP itself), nor for one that targets an
origin group.

The rule asks the engine for ` + "`s3:GetObject`" + ` on the origin's objects (under its origin path) as the
service, with the distribution's ARN as ` + "`aws:SourceArn`" + ` (the distribution ID is AWS's choice: a
symbol stands for it, and a policy that refers to the distribution's ARN renders the same
symbol), and decides the key policy for ` + "`kms:Decrypt`" + `. It reports at the origin's domain name when
the bucket policy, or the key policy, definitely refuses the request.

An S3 origin read with neither (` + "`s3_origin_config`" + ` with an empty identity, ` + "`S3OriginConfig: {}`" + `) sends
anonymous requests: the bucket must let anyone read its objects, which Block Public Access (on by
default since 2023) and a bucket without a public policy do not. That is an error too; the rule
asks the engine for anonymous ` + "`s3:GetObject`" + `. It is not given where the objects may be public
through their own ACLs (ACLs enabled and IgnorePublicAcls off: ` + "`aws s3 sync --acl public-read`" + `
sets them outside the configuration) or where Lambda@Edge runs on origin requests (it may sign
them). A website endpoint is a custom origin and is left alone.

For an identity, the engine is asked for ` + "`s3:GetObject`" + ` as that user, of no account the
configuration deploys to, on an object not encrypted with KMS; the identity's ID is a symbol when
the configuration creates it, so a grant to another identity of the configuration does not admit
it, and a public bucket policy is set aside for it where RestrictPublicBuckets is on (it is no
principal of the bucket's account). What else CloudFront's requests carry (the principal's
account, type and organization, MFA) is not documented, so conditions on those keys leave the
answer unknown. An origin whose origin access control ID is ` + "`\"\"`" + ` has none, and is read through its
identity.

It stays silent when the bucket or its key is not in the configuration, when the bucket policy may
be another of the configuration's (a bucket policy whose bucket is not known), when the answer
depends on values not known before deployment (a distribution ARN in a stack whose account is not
known, a condition on a key the request may or may not carry, an identity granted by a canonical
user ID, which is not known before deployment), for the AWS-managed ` + "`aws/s3`" + ` key with
origin access control (CloudFront's documentation only covers customer-managed keys), and for
website endpoints (custom origins), whose access is the website's.

Bad:

` + "```hcl" + `
resource "aws_cloudfront_distribution" "site" {
  origin {
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_id                = "site"
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id   # the bucket has no policy for it
  }
  # …
}
` + "```" + `

Good:

` + "```hcl" + `
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
      Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.site.arn } }
    }]
  })
}
` + "```" + `

Fix: add that statement to the bucket policy; for an SSE-KMS bucket, also allow
` + "`cloudfront.amazonaws.com`" + ` ` + "`kms:Decrypt`" + ` in the key policy, with the same ` + "`aws:SourceArn`" + ` condition. For
viewers that use HTTP, set the viewer protocol policy to ` + "`redirect-to-https`" + `. For an origin access
identity, allow it ` + "`s3:GetObject`" + ` in the bucket policy, or move the origin to OAC (which an SSE-KMS
bucket needs).`,
	},
	Run: runS3L033,
}

func runS3L033(p *Pass) error {
	eng := p.Engine()
	for _, d := range p.Graph.Deliveries {
		if d.Kind == graph.CloudFrontOAI && d.Bucket != nil {
			checkOAI(p, eng, d)
			continue
		}
		if d.Kind == graph.CloudFrontAnonymous && d.Bucket != nil {
			checkAnonymous(p, eng, d)
			continue
		}
		if d.Kind != graph.CloudFrontOAC || d.Bucket == nil {
			continue
		}
		b := d.Bucket
		ctx := policy.Context{}
		if d.SourceARN.Known() {
			ctx.Set("aws:SourceArn", d.SourceARN.V)
		}
		if a, ok := accountOf(d); ok {
			ctx.Set("aws:SourceAccount", a)
		}
		res, ok := originObjects(d, policy.BucketARNOf(b))
		if !ok {
			continue
		}
		svc := policy.Caller{Kind: policy.CallerService, Service: d.Kind.Service()}
		dec := eng.Decide(policy.Request{Caller: svc, Action: "s3:GetObject", Resource: res, Context: ctx.Clone()})
		if dec.Outcome.Denied() {
			p.Report(originPolicyFinding(d, b, dec))
			continue
		}
		checkViewerHTTP(p, eng, policy.Request{Caller: svc, Action: "s3:GetObject", Resource: res, Context: ctx}, d, dec)
		enc := b.Encryption
		if enc == nil || enc.Key == nil {
			continue
		}
		if kms, known := enc.UsesKMS(); !kms || !known {
			continue
		}
		kctx := ctx.Clone()
		kv := policy.ServiceKeyUse(enc.Key, d.Kind.Service(), "kms:Decrypt", kctx)
		if kv.Outcome.Denied() {
			p.Report(originKeyFinding(d, b, enc.Key, kv))
		}
	}
	return nil
}

// checkViewerHTTP reports an origin whose bucket policy refuses the requests
// of viewers that use HTTP, which a cache behavior lets in (allow-all):
// CloudFront forwards a viewer's plain HTTP request to an S3 origin over
// HTTP. req is CloudFront's request, dec its decision over HTTPS.
func checkViewerHTTP(p *Pass, eng *policy.Engine, req policy.Request, d *graph.Delivery, dec policy.Decision) {
	if !d.ViewerHTTP.Is("allow-all") || dec.Outcome == policy.ExplicitDeny {
		return
	}
	req.Context = req.Context.Clone()
	req.Context.Set("aws:SecureTransport", "false")
	if http := eng.Decide(req); http.Outcome == policy.ExplicitDeny {
		p.Report(originHTTPFinding(d, d.Bucket, http))
	}
}

// checkOAI decides an origin read through an origin access identity: the
// bucket policy must allow the identity s3:GetObject (it is an IAM user of
// CloudFront's pseudo-account, so nothing of the bucket's account admits
// it), and the identity cannot use KMS keys at all.
func checkOAI(p *Pass, eng *policy.Engine, d *graph.Delivery) {
	b := d.Bucket
	res, ok := originObjects(d, policy.BucketARNOf(b))
	if !ok || !d.Identity.Known() {
		// The origin path, or whether the origin reads through an
		// identity at all ("" is none), is not known.
		return
	}
	// What CloudFront's requests carry beyond the identity is not
	// documented: keys the engine would fill in for an account's user stay
	// unknown, so that a condition on them is never decided.
	ctx := policy.Context{}
	for _, k := range []string{"aws:PrincipalAccount", "aws:PrincipalType", "aws:PrincipalOrgID", "aws:PrincipalIsAWSService",
		"aws:PrincipalServiceName", "aws:userid", "aws:username", "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner",
		"aws:ViaAWSService", "aws:CalledVia", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge"} {
		ctx.SetNotKnown(k)
	}
	oai := policy.Caller{Kind: policy.CallerUser, Account: graph.OAIAccount, ARN: d.Identity.V}
	// Objects encrypted with KMS are refused whatever the policy (below):
	// ask about the others.
	req := policy.Request{Caller: oai, Action: "s3:GetObject", Resource: res, Context: ctx, NoKMS: true}
	if dec := eng.Decide(req); dec.Outcome.Denied() {
		p.Report(oaiPolicyFinding(d, b, dec))
	} else {
		checkViewerHTTP(p, eng, req, d, dec)
	}
	if kms, known := b.Encryption.UsesKMS(); kms && known && !d.EdgeCode {
		p.Report(oaiKeyFinding(d, b))
	}
}

// checkAnonymous decides an S3 origin read with neither origin access
// control nor an identity: CloudFront's requests to it are not signed, so
// the bucket must let anyone read the objects.
func checkAnonymous(p *Pass, eng *policy.Engine, d *graph.Delivery) {
	b := d.Bucket
	res, ok := originObjects(d, policy.BucketARNOf(b))
	if !ok || d.EdgeCode {
		// Lambda@Edge on origin requests may sign them (AWS's way to
		// read a private bucket through such an origin).
		return
	}
	if own := b.ObjectOwnership(); !own.Is(graph.BucketOwnerEnforced) && eng.BlockPublicAccess(b).IgnorePublicAcls.On.T != policy.Yes {
		// ACLs may be enabled and not ignored: objects may be public
		// through their own ACLs, which the configuration does not hold
		// (aws s3 sync --acl public-read).
		return
	}
	req := policy.Request{Caller: policy.Caller{Kind: policy.CallerAnonymous}, Action: "s3:GetObject", Resource: res}
	dec := eng.Decide(req)
	if !dec.Outcome.Denied() {
		checkViewerHTTP(p, eng, req, d, dec)
		return
	}
	why := "nothing lets anonymous callers read its objects (no bucket policy statement allows Principal \"*\" s3:GetObject)"
	fix := "give the origin an origin access control and allow cloudfront.amazonaws.com s3:GetObject on " + policy.Display(policy.BucketARNOf(b)) +
		"/* in the bucket policy, with the condition aws:SourceArn = the distribution's ARN"
	switch {
	case stepDenied(dec, policy.CheckCaller):
		why = "it is a Requester Pays bucket, which serves no anonymous request"
		fix = "set the payer of " + b.Address + " back to BucketOwner"
	case dec.Outcome == policy.ExplicitDeny:
		why = "a Deny of its bucket policy refuses anonymous requests"
	case stepDenied(dec, policy.CheckBPA):
		why = "Block Public Access keeps anonymous callers out of it"
	case stepDenied(dec, policy.CheckKMS):
		why = "its default encryption is SSE-KMS, which anonymous requests cannot use"
	}
	p.Report(refusedOrigin(d, dec, "with neither origin access control nor an origin access identity, so CloudFront's requests to it are anonymous", "and "+why, fix))
}

// refusedOrigin is the finding of an origin whose bucket refuses
// CloudFront's requests: how says how CloudFront reads it, why what
// refuses (with its conjunction), fix what to do.
func refusedOrigin(d *graph.Delivery, dec policy.Decision, how, why, fix string) Finding {
	b := d.Bucket
	f := Finding{Range: d.BucketRef.Range, Resource: d.Address,
		Message: fmt.Sprintf("%s reads %s %s, %s, so every request the distribution forwards to the origin gets 403 Access Denied; %s",
			d.What, b.Address, how, why, fix)}
	decidingRelated(&f, []policy.Decision{dec}, Related{Range: b.Range, Message: "origin bucket " + b.Address})
	return f
}

// policyBlocked says why a bucket policy that Block Public Access refuses
// lets no origin in (S3L040 reports the refusal itself).
const policyBlocked = "its bucket policy is public and BlockPublicPolicy is on: S3 refuses the policy, and none of it is in place (S3L040)"

// stepDenied reports whether a decision's check denied the request.
func stepDenied(dec policy.Decision, check string) bool {
	st := dec.Step(check)
	return st != nil && st.Status == policy.Denied
}

// oaiPolicyFinding words a bucket policy that refuses an origin access
// identity.
func oaiPolicyFinding(d *graph.Delivery, b *graph.Bucket, dec policy.Decision) Finding {
	why := policyRefusal(b, "it")
	fix := "allow s3:GetObject on " + policy.Display(policy.BucketARNOf(b)) + "/* to that identity in the bucket policy " +
		"(Principal AWS = its IAM ARN, or CanonicalUser = its S3 canonical user ID), or move the origin to origin access control"
	switch {
	case dec.Outcome == policy.ExplicitDeny:
		why = "a Deny of its bucket policy refuses it"
		fix = "exempt the identity from the Deny, or move the origin to origin access control"
	case stepDenied(dec, policy.CheckBPA) && namedOAI(b, d.Identity.V) == "this":
		// The policy grants the identity already: its public statements
		// keep the whole policy out.
		why = policyBlocked
		fix = "remove or narrow the policy's public statements, which make Block Public Access refuse all of it, or turn BlockPublicPolicy off for the bucket"
	case stepDenied(dec, policy.CheckBPA):
		why = policyBlocked
		fix = "grant s3:GetObject on " + policy.Display(policy.BucketARNOf(b)) + "/* to the identity by its IAM ARN instead (a statement that names it is " +
			"not public), or move the origin to origin access control"
	case restrictsPublic(dec):
		why = "its bucket policy is public and RestrictPublicBuckets is on, so S3 ignores the policy for callers outside the bucket's account, which the identity is"
		fix = "make the bucket policy non-public (narrow its public statements) or turn RestrictPublicBuckets off for the bucket, and allow the identity s3:GetObject on " +
			policy.Display(policy.BucketARNOf(b)) + "/* if the policy does not yet"
	case grantsService(b, graph.CloudFrontOAC.Service()):
		why += " (it allows cloudfront.amazonaws.com, which signs the requests of origins that use origin access control, not of those that use an identity)"
	default:
		switch namedOAI(b, d.Identity.V) {
		case "this":
			why += " (its statements for this identity do not cover s3:GetObject on the origin's objects)"
		case "another":
			why += " (it allows another origin access identity)"
		}
	}
	return refusedOrigin(d, dec, "through the origin access identity "+policy.Display(d.Identity.V)+", which needs s3:GetObject on its objects", "but "+why, fix)
}

// oaiKeyFinding words an SSE-KMS origin read through an origin access
// identity.
func oaiKeyFinding(d *graph.Delivery, b *graph.Bucket) Finding {
	key := "its KMS key"
	if b.Encryption.Key != nil {
		key = b.Encryption.Key.Address
	}
	fix := "move the origin to origin access control and allow cloudfront.amazonaws.com kms:Decrypt in the key policy, or encrypt the bucket with SSE-S3"
	if b.Encryption.AWSManagedKey() {
		key = "the AWS-managed key aws/s3"
		fix = "encrypt the bucket with SSE-S3, or with a customer-managed key whose key policy allows cloudfront.amazonaws.com kms:Decrypt and move the origin to " +
			"origin access control (the policy of aws/s3 cannot admit CloudFront)"
	}
	return Finding{Range: d.BucketRef.Range, Resource: d.Address, Severity: Warning,
		Message: fmt.Sprintf("%s reads %s through an origin access identity, but the bucket's default encryption is SSE-KMS (%s), and an origin access identity cannot use KMS keys: "+
			"every object stored with the default encryption gets 403 Access Denied through CloudFront; %s",
			d.What, b.Address, key, fix),
		Related: []Related{{Range: b.Encryption.Range, Message: "default encryption of " + b.Address}}}
}

// restrictsPublic reports whether RestrictPublicBuckets set the bucket
// policy aside for the decision's caller.
func restrictsPublic(dec policy.Decision) bool {
	st := dec.Step(policy.CheckAccounts)
	return st != nil && strings.Contains(st.Detail, "RestrictPublicBuckets")
}

// namedOAI says which origin access identities the Allows of the bucket's
// policies name by IAM ARN, against the identity identity: "this" when one
// names it, "another" when they name only identities that certainly
// differ from it, "" when none is named or whether one is it cannot be
// told (a canonical user ID; a literal ID against one AWS assigns).
func namedOAI(b *graph.Bucket, identity string) string {
	named, unsure := false, false
	for e := range allowEntries(b.Policies) {
		if e.Type.Is("CanonicalUser") || e.Unknown {
			unsure = unsure || e.Type.Is("CanonicalUser")
			continue
		}
		for _, v := range e.Values {
			switch {
			case !v.Known():
				unsure = true
			case v.V == identity:
				return "this"
			case strings.Contains(v.V, ":iam::cloudfront:user/CloudFront Origin Access Identity"):
				named = true
				unsure = unsure || graph.HasSymbol(v.V) != graph.HasSymbol(identity)
			}
		}
	}
	if named && !unsure {
		return "another"
	}
	return ""
}

// originObjects is the ARN of a representative object the distribution
// reads: under the origin path, when there is one. ok is false when the
// path is not known.
func originObjects(d *graph.Delivery, bucketARN string) (string, bool) {
	if !d.Prefix.Known() {
		return "", false
	}
	path := strings.Trim(d.Prefix.V, "/")
	if path != "" {
		path += "/"
	}
	return bucketARN + "/" + path + "<key>", true
}

// originPolicyFinding words a bucket policy that refuses CloudFront.
func originPolicyFinding(d *graph.Delivery, b *graph.Bucket, dec policy.Decision) Finding {
	why := policyRefusal(b, "it")
	fix := "allow s3:GetObject on " + policy.Display(policy.BucketARNOf(b)) + "/* to the service principal cloudfront.amazonaws.com in the bucket policy, " +
		"with the condition aws:SourceArn = the distribution's ARN"
	switch {
	case dec.Outcome == policy.ExplicitDeny:
		why = "a Deny of its bucket policy refuses it"
	case stepDenied(dec, policy.CheckBPA):
		why = policyBlocked
		if grantsService(b, graph.CloudFrontOAC.Service()) {
			// The policy grants CloudFront already: its public
			// statements keep the whole policy out.
			fix = "remove or narrow the policy's public statements, which make Block Public Access refuse all of it, or turn BlockPublicPolicy off for the bucket"
		}
	case grantsOAI(b):
		why += " (it grants an origin access identity, which is not who signs requests made with origin access control)"
	default:
		if st, c := sourceARNMismatch(b, d); c != nil {
			vals := make([]string, 0, len(c.Values))
			for _, v := range c.Values {
				vals = append(vals, policy.Display(v.V))
			}
			why += fmt.Sprintf(" (%s grants cloudfront.amazonaws.com only for aws:SourceArn %s, which is not the distribution's ARN, %s",
				bpaStatementName(st), strings.Join(vals, ", "), policy.Display(d.SourceARN.V))
			if slices.ContainsFunc(c.Values, func(v graph.String) bool { return !strings.HasPrefix(v.V, "arn:") }) {
				why += ": a distribution's ID is not its ARN)"
				fix = "write the distribution's ARN (its arn attribute, not its id) as the value of aws:SourceArn"
			} else {
				why += ")"
				fix = "add this distribution's ARN to the values of aws:SourceArn, or give it a statement of its own"
			}
			f := refusedOrigin(d, dec, "through origin access control, as cloudfront.amazonaws.com, which needs s3:GetObject on its objects", "but "+why, fix)
			f.Related = append(f.Related, Related{Range: c.Range, Message: "the condition on aws:SourceArn"})
			return f
		}
	}
	return refusedOrigin(d, dec, "through origin access control, as cloudfront.amazonaws.com, which needs s3:GetObject on its objects", "but "+why, fix)
}

// equalityOperator reports a condition operator that holds only when the
// request's value matches one of the condition's: StringEquals, StringLike,
// ArnEquals, ArnLike, with or without IfExists.
func equalityOperator(op graph.String) bool {
	if !op.Known() {
		return false
	}
	switch strings.TrimSuffix(op.V, "IfExists") {
	case "StringEquals", "StringLike", "ArnEquals", "ArnLike":
		return true
	}
	return false
}

// sourceARNMismatch finds an Allow of the bucket's policies that names
// cloudfront.amazonaws.com under a condition on aws:SourceArn whose
// values, all known, are none the distribution's ARN: the usual mistake
// of writing the distribution's ID, or another distribution's ARN.
func sourceARNMismatch(b *graph.Bucket, d *graph.Delivery) (*graph.Statement, *graph.Condition) {
	if !d.SourceARN.Known() || d.SourceARN.V == "" {
		return nil, nil
	}
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			// Only a statement that would let the distribution read
			// the origin's objects but for the condition.
			if st.Unknown || !statementNamesService(st, graph.CloudFrontOAC.Service()) ||
				!statementNames(st, "s3:GetObject") || objectARNIn(st, policy.BucketARNOf(b)) == "" {
				continue
			}
			for i := range st.Conditions {
				c := &st.Conditions[i]
				if c.Unknown || !c.Key.Known() || !strings.EqualFold(c.Key.V, "aws:SourceArn") || len(c.Values) == 0 || !equalityOperator(c.Operator) {
					continue
				}
				matches := false
				for _, v := range c.Values {
					// A value that is no ARN (a distribution's ID) matches
					// none; an ARN that holds a symbol may.
					isARN := strings.HasPrefix(v.V, "arn:") || strings.HasPrefix(v.V, "*") || strings.HasPrefix(v.V, "?")
					if !v.Known() || isARN && policy.MayMatch(v.V, d.SourceARN.V) {
						matches = true
					}
				}
				if !matches {
					return st, c
				}
			}
		}
	}
	return nil, nil
}

// originHTTPFinding words a bucket policy that refuses the requests of
// viewers that use HTTP.
func originHTTPFinding(d *graph.Delivery, b *graph.Bucket, dec policy.Decision) Finding {
	f := Finding{Range: d.ViewerHTTP.Range, Resource: d.Address, Severity: Warning,
		Message: fmt.Sprintf("viewers that use HTTP get 403 Access Denied from %s whenever CloudFront does not have the object cached: this cache behavior lets them (allow-all), "+
			"CloudFront forwards their requests to the S3 origin over HTTP, and a Deny of the bucket policy of %s refuses requests that are not over HTTPS "+
			"(aws:SecureTransport false); set the viewer protocol policy to redirect-to-https", d.What, b.Address)}
	for _, r := range dec.Denies {
		if r.Match.T == policy.Yes && r.Statement != nil {
			f.Related = append(f.Related, Related{Range: r.Range(), Message: "the Deny in " + r.Policy.Address})
		}
	}
	return f
}

// originKeyFinding words a key policy that refuses CloudFront.
func originKeyFinding(d *graph.Delivery, b *graph.Bucket, k *graph.Key, kv policy.KeyVerdict) Finding {
	why := "the key policy of " + k.Address + " has no statement that allows cloudfront.amazonaws.com kms:Decrypt (delegating to the account does not cover AWS services)"
	fix := "add a key policy statement allowing the service principal cloudfront.amazonaws.com kms:Decrypt, with the condition aws:SourceArn = the distribution's ARN"
	switch {
	case kv.Policy != nil && k.Policy == nil:
		why = k.Address + " has the default key policy, which admits only the account's IAM identities, not AWS services"
	case namesService(k.Policy, d.Kind.Service()):
		why = "the statements of the key policy of " + k.Address + " that name cloudfront.amazonaws.com do not allow it kms:Decrypt for this distribution (their actions or conditions leave it out)"
	}
	if kv.Outcome == policy.ExplicitDeny {
		why = "a Deny of the key policy of " + k.Address + " refuses cloudfront.amazonaws.com kms:Decrypt"
		fix = "exempt the service principal cloudfront.amazonaws.com from the Deny"
	}
	f := Finding{Range: d.BucketRef.Range, Resource: d.Address,
		Message: fmt.Sprintf("%s reads %s through origin access control, as cloudfront.amazonaws.com; the bucket encrypts with %s (SSE-KMS), and %s, "+
			"so every request for an object encrypted with it gets 403 Access Denied; %s",
			d.What, b.Address, k.Address, why, fix)}
	for _, r := range kv.Denies {
		f.Related = append(f.Related, Related{Range: r.Range(), Message: "the Deny"})
	}
	f.Related = append(f.Related, keyPolicyRelated(k), Related{Range: b.Encryption.Range, Message: "default encryption of " + b.Address})
	return f
}

// grantsService reports whether an Allow of the bucket's policies names a
// service principal.
func grantsService(b *graph.Bucket, service string) bool {
	for _, p := range b.Policies {
		if namesService(p, service) {
			return true
		}
	}
	return false
}

// namesService reports whether an Allow of a policy names a service
// principal.
func namesService(p *graph.Policy, service string) bool {
	if p == nil || p.Doc == nil {
		return false
	}
	return slices.ContainsFunc(p.Doc.Statements, func(st *graph.Statement) bool { return statementNamesService(st, service) })
}

// statementNamesService reports whether an Allow statement's Principal
// names a service principal.
func statementNamesService(st *graph.Statement, service string) bool {
	if !st.IsAllow() || st.Principal == nil {
		return false
	}
	for _, e := range st.Principal.Entries {
		if !e.Type.Is("Service") {
			continue
		}
		for _, v := range e.Values {
			if v.Known() && strings.EqualFold(v.V, service) {
				return true
			}
		}
	}
	return false
}

// grantsOAI reports whether an Allow of the bucket's policies names a
// CloudFront origin access identity (by ARN or canonical user ID).
func grantsOAI(b *graph.Bucket) bool {
	for e := range allowEntries(b.Policies) {
		if e.Type.Is("CanonicalUser") && e.Unknown {
			// An identity's canonical user ID, known only after apply
			// (a partner's is written out).
			return true
		}
		for _, v := range e.Values {
			switch {
			case e.Type.Is("AWS") && v.Known() && strings.Contains(v.V, ":iam::cloudfront:user/CloudFront Origin Access Identity"):
				return true
			case e.Type.Is("CanonicalUser") && !v.Known():
				return true
			}
		}
	}
	return false
}

// allowEntries yields the principal entries of the Allow statements of
// the policies.
func allowEntries(policies []*graph.Policy) iter.Seq[*graph.PrincipalEntry] {
	return func(yield func(*graph.PrincipalEntry) bool) {
		for _, p := range policies {
			if p == nil || p.Doc == nil {
				continue
			}
			for _, st := range p.Doc.Statements {
				if !st.IsAllow() || st.Principal == nil {
					continue
				}
				for i := range st.Principal.Entries {
					if !yield(&st.Principal.Entries[i]) {
						return
					}
				}
			}
		}
	}
}
