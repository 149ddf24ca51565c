package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L083 finds buckets whose policy lets everyone read objects that the
// bucket encrypts with SSE-KMS, which anonymous requests cannot read.
var S3L083 = &Def{
	M: Meta{
		ID:        "S3L083",
		Name:      "public-read-kms-encrypted",
		Title:     "anonymous reads granted on objects encrypted with SSE-KMS",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"kms", "encryption", "public", "website"},
		Doc: `S3 serves an object encrypted with SSE-KMS (or DSSE-KMS) only to requests signed with Signature
Version 4: it must call KMS to decrypt the object on the caller's behalf, and an anonymous caller
has no identity for KMS to authorize. So on a bucket whose default encryption is SSE-KMS — with
the AWS-managed key aws/s3 or a customer-managed key, whatever its key policy says — a bucket
policy that lets everyone (` + "`Principal: \"*\"`" + `) read objects does not make them readable: every
anonymous GET (a browser, ` + "`curl`" + `) fails with 400 InvalidArgument, "Requests specifying Server Side
Encryption with AWS KMS managed keys require AWS Signature Version 4", and the static website
endpoint, which serves no SSE-KMS objects at all, answers 403 Access Denied. This is the usual outcome of
turning on KMS default encryption for every bucket of an account, static sites included.

The rule reports the encryption setting (the key ID when one is named, otherwise the algorithm) of
a bucket whose default encryption is known to be SSE-KMS when a statement of its bucket policy
allows s3:GetObject (by name or wildcard) on its objects to everyone — ` + "`Principal: \"*\"`" + ` or
` + "`{\"AWS\": \"*\"}`" + ` — with no condition, or only conditions that unsigned requests meet (aws:Referer,
aws:UserAgent, aws:SecureTransport), and Block Public Access certainly lets that policy work
(otherwise S3L040 and S3L041 report). Related locations point at each such statement. It also
reports an upload of the configuration (` + "`aws_s3_object`" + `) that sends the canned ACL public-read (or
public-read-write) for an object encrypted with KMS — by the bucket's default or its own
server_side_encryption — where that ACL takes effect: object ownership that keeps ACLs
(ObjectWriter, BucketOwnerPreferred) and Block Public Access certainly neither blocking nor
ignoring public ACLs (otherwise S3L031 and S3L042 report). A public-read ACL on the bucket itself
lets everyone list it, not read its objects, and is not this rule's. And it reports an object the
configuration uploads asking for KMS itself (` + "`server_side_encryption = \"aws:kms\"`" + ` or
` + "`\"aws:kms:dsse\"`" + `) at a key a public statement of the bucket policy covers, whatever the bucket's
default encryption: a download bucket with SSE-S3 by default and one file uploaded with SSE-KMS
serves every file but that one.

It stays silent when the encryption is not known, when the public statement is limited by other
keys (aws:SourceIp, aws:SourceVpce, aws:PrincipalOrgID …: its callers may sign their requests
and use the key), when a Deny surely refuses the anonymous read anyway, when an object the
configuration uploads (` + "`aws_s3_object`" + `) asks for another encryption
(` + "`server_side_encryption = \"AES256\"`" + `), and when a statement of the bucket policy lets uploads choose another encryption (a
condition on s3:x-amz-server-side-encryption with a value other than aws:kms or aws:kms:dsse); a
policy that forces KMS keeps the objects unreadable. Otherwise objects are taken to be encrypted
with the bucket's default, as objects uploaded without an encryption header are. A statement in
place only under a template condition (a branch of Fn::If, or the Condition of the policy resource)
is reported with it ("when IsPublic is true"); a Terraform policy whose count or for_each is not
known is left out.

Bad:

` + "```hcl" + `
resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"   # the site's pages become unreadable to visitors
    }
  }
}
` + "```" + `

Good:

` + "```hcl" + `
      sse_algorithm = "AES256"
` + "```" + `

Fix: encrypt a bucket meant for anonymous readers with SSE-S3 (AES256), or upload public objects
with server_side_encryption = "AES256"; objects already written keep their key, so copy them over
themselves after the change. (Presigned URLs, which are signed with Signature Version 4 by a
principal that may use the key, still work.) To keep SSE-KMS, serve the objects through CloudFront
with origin access control, whose requests are signed: grant cloudfront.amazonaws.com
s3:GetObject in the bucket policy and kms:Decrypt in the key policy of a customer-managed key
(aws/s3 cannot be granted to CloudFront), and drop the public statement.`,
	},
	Run: runS3L083,
}

func runS3L083(p *Pass) error {
	e := p.Engine()
	for _, b := range p.Graph.Buckets {
		reported := publicUploadsKMS(p, e, b)
		if kms, known := b.Encryption.UsesKMS(); kms && known && !choosesEncryption(b) && !uploadsMayNotUseKMS(b) {
			arn := policy.BucketARNOf(b)
			if r := publicReadersOf(e, b, func(st *graph.Statement) string { return objectARNIn(st, arn) }, kmsRefusesAnonymous); len(r.statements) > 0 {
				p.Report(r.qualify(publicKMSFinding(b, r.statements)))
				continue
			}
		}
		publicReadsOfKMSUploads(p, e, b, reported)
	}
	return nil
}

// publicReaders are the bucket policy statements that let everyone read
// objects anonymous requests cannot read, with the template conditions
// under which they are in place (none when one is in place whatever
// they are).
type publicReaders struct {
	statements []*graph.Statement
	when       []string
	always     bool
}

// publicReadersOf gathers the statements of the bucket's policies that let
// everyone read the object objectOf names for them ("" for none) where
// refused finds the engine's decision on that anonymous read refused for
// the reason the rule is about (kmsRefusesAnonymous, unpaidRefuses).
func publicReadersOf(e *policy.Engine, b *graph.Bucket, objectOf func(*graph.Statement) string, refused func(policy.Decision) bool) publicReaders {
	var r publicReaders
	seen := map[graph.Range]bool{}
	for _, pol := range b.Policies {
		when := policyConditions(pol)
		if pol.Doc == nil || when == nil && pol.Undecided() {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if !anonymousRead(st) {
				continue
			}
			object := objectOf(st)
			if object == "" {
				continue
			}
			req := policy.Request{Caller: policy.Caller{Kind: policy.CallerAnonymous}, Action: "s3:GetObject", Resource: object, Conditions: when}
			if !refused(e.Decide(req)) {
				continue
			}
			if when == nil {
				r.always = true
			} else {
				r.when = appendDistinct(r.when, (&graph.Variant{When: when}).Describe())
			}
			if !seen[st.Range] {
				seen[st.Range] = true
				r.statements = append(r.statements, st)
			}
		}
	}
	return r
}

// policyConditions are the template conditions under which a policy is in
// place: those of its Fn::If branch and its resource's Condition when
// they are not decided before deployment; nil for none. A Terraform
// policy whose count or for_each is not known is not in place under any
// condition s3lint can name, and has none.
func policyConditions(pol *graph.Policy) map[string]bool {
	var when map[string]bool
	if pol.Variant != nil {
		when = maps.Clone(pol.Variant.When)
	}
	if pol.Condition != "" && !strings.Contains(pol.Address, "[") {
		if when == nil {
			when = map[string]bool{}
		}
		when[pol.Condition] = true
	}
	return when
}

// qualify prefixes the finding's message with the template conditions the
// statements need, when some do.
func (r publicReaders) qualify(f Finding) Finding {
	if !r.always {
		f.Message = "when " + strings.Join(r.when, " or ") + ", " + f.Message
	}
	return f
}

// publicReadsOfKMSUploads reports objects the configuration uploads with
// server_side_encryption = "aws:kms" (or "aws:kms:dsse") into a bucket
// whose policy lets everyone read them, when the bucket's own finding
// does not already say so; uploads already reported for a public ACL are
// left out.
func publicReadsOfKMSUploads(p *Pass, e *policy.Engine, b *graph.Bucket, reported map[string]bool) {
	arn := policy.BucketARNOf(b)
	// The instances of one block (a for_each over files) are reported
	// together, at the argument they share.
	type group struct {
		first   *graph.Upload
		keys    []string
		readers publicReaders
	}
	var groups []*group
	byBlock := map[string]*group{}
	for _, u := range b.Uploads {
		block := stripInstanceKey(u.Address)
		if reported[block] || !u.Key.Known() || !u.SSE.Known() || u.SSE.V != "aws:kms" && u.SSE.V != "aws:kms:dsse" {
			continue
		}
		object := arn + "/" + u.Key.V
		r := publicReadersOf(e, b, func(st *graph.Statement) string {
			if res, ok := knownResources(st); ok && slices.ContainsFunc(res, func(r graph.String) bool { return policy.MatchResource(r.V, object) }) {
				return object
			}
			return ""
		}, kmsRefusesAnonymous)
		if len(r.statements) == 0 {
			continue
		}
		g := byBlock[block]
		if g == nil {
			g = &group{first: u, readers: r}
			byBlock[block] = g
			groups = append(groups, g)
		}
		g.keys = append(g.keys, u.Key.V)
	}
	for _, g := range groups {
		u, r := g.first, g.readers
		who, what, it, objects := u.Address, g.keys[0], "it", "the object"
		if len(g.keys) > 1 {
			who, what, it, objects = stripInstanceKey(u.Address), fmt.Sprintf("%d objects (%s)", len(g.keys), list(g.keys)), "them", "the objects"
		}
		names := make([]string, 0, len(r.statements))
		var related []Related
		for _, st := range r.statements {
			names = append(names, bpaStatementName(st))
			related = append(related, Related{Range: bpaPublicAt(st), Message: "this statement lets everyone read " + objects})
		}
		p.Report(r.qualify(Finding{
			Range:    u.SSE.Range,
			Resource: who,
			Message: fmt.Sprintf("%s uploads %s to bucket %s encrypted with KMS (server_side_encryption = %q), but the bucket policy lets everyone "+
				"read %s (%s): S3 serves KMS-encrypted objects only to requests signed with Signature Version 4, so every anonymous GET fails "+
				"(400 InvalidArgument: requests specifying SSE-KMS require Signature Version 4; the website endpoint answers 403); "+
				"upload %s with server_side_encryption = \"AES256\", or serve %s through CloudFront with origin access control",
				who, what, bucketLabel(b), u.SSE.V, it, list(names), it, it),
			Related: related,
		}))
	}
}

// publicUploadsKMS reports uploads of the configuration that send a public
// canned ACL (public-read) for an object the bucket encrypts with KMS,
// where the ACL takes effect: ACLs enabled (an explicit ObjectWriter or
// BucketOwnerPreferred) and Block Public Access certainly neither refusing
// nor ignoring public ACLs (else S3L031 or S3L042 reports). It returns the
// upload blocks it reported.
func publicUploadsKMS(p *Pass, e *policy.Engine, b *graph.Bucket) (reported map[string]bool) {
	if own := b.ObjectOwnership(); !own.Known() || own.V == graph.BucketOwnerEnforced || len(b.ObjectACLs) == 0 {
		return nil
	}
	for _, flag := range []bpaFlag{bpaBlockPublicAcls, bpaIgnorePublicAcls} {
		if bpaFlagState(e, p.Graph, b, flag).on != policy.No {
			return nil
		}
	}
	sse := map[string]*graph.Upload{}
	for _, u := range b.Uploads {
		sse[u.Address] = u
	}
	// unreadable reports whether the object of every instance of the
	// group is surely encrypted with KMS.
	unreadable := func(u *upload) (*graph.Upload, bool) {
		var first *graph.Upload
		for _, acl := range b.ObjectACLs {
			if stripInstanceKey(acl.Address) != u.block || acl.Canned.V != u.acl.Canned.V || acl.Canned.Known() != u.acl.Canned.Known() {
				continue
			}
			up := sse[acl.Address]
			if up == nil {
				return nil, false
			}
			if kms, known := up.UsesKMS(b.Encryption); !kms || !known || acl.Unchanged && up.SSE.V == "" {
				// An object already there (a plan leaves it as it is)
				// keeps the encryption it was written with, which the
				// bucket's default today does not tell.
				return nil, false
			}
			if first == nil {
				first = up
			}
		}
		return first, first != nil
	}
	for _, u := range uploadsOf(b) {
		acl := u.acl
		if !acl.Canned.Known() || acl.Canned.V != "public-read" && acl.Canned.V != "public-read-write" {
			continue
		}
		up, ok := unreadable(u)
		if !ok {
			continue
		}
		p.Report(Finding{
			Range:    acl.Canned.Range,
			Resource: acl.Address,
			Message: fmt.Sprintf("%s to bucket %s with the canned ACL %s, so that anyone may read it, but the object is encrypted with KMS "+
				"(%s): S3 serves KMS-encrypted objects only to requests signed with Signature Version 4, so every anonymous GET fails "+
				"(400 InvalidArgument: requests specifying SSE-KMS require Signature Version 4); upload it with server_side_encryption = \"AES256\" "+
				"(or encrypt the bucket with SSE-S3), or serve it through CloudFront with origin access control",
				u.name(), bucketLabel(b), acl.Canned.V, uploadEncryption(up, b)),
		})
		if reported == nil {
			reported = map[string]bool{}
		}
		reported[u.block] = true
	}
	return reported
}

// uploadEncryption says where an upload's KMS encryption comes from.
func uploadEncryption(u *graph.Upload, b *graph.Bucket) string {
	if u.SSE.Known() && u.SSE.V != "" {
		return "its server_side_encryption is " + u.SSE.V
	}
	return "the bucket's default encryption, " + b.Encryption.Algorithm.V + ", set in " + b.Encryption.Address
}

// anonymousKeys are the condition keys an unsigned request can meet: a
// statement limited only by them is meant for anonymous readers too.
var anonymousKeys = map[string]bool{
	"aws:referer":         true,
	"aws:useragent":       true,
	"aws:securetransport": true,
}

// anonymousRead reports whether an Allow statement lets everyone, signed or
// not, call s3:GetObject: Principal "*" (or {"AWS": "*"}), the action by
// name or wildcard, and no condition an unsigned request could not meet.
func anonymousRead(st *graph.Statement) bool {
	if st.Unknown || !st.IsAllow() || st.NotPrincipal != nil || st.Principal == nil || st.Principal.Unknown ||
		!everyone(st.Principal) || !statementNames(st, "s3:GetObject") {
		return false
	}
	for _, c := range st.Conditions {
		if c.Unknown || !c.Key.Known() || !anonymousKeys[strings.ToLower(c.Key.V)] {
			return false
		}
	}
	return true
}

// everyone reports whether a Principal element is "*" or {"AWS": "*"}.
func everyone(p *graph.PrincipalSpec) bool {
	if p.Wildcard {
		return true
	}
	for _, e := range p.Entries {
		if e.Type.Is("AWS") && slices.ContainsFunc(e.Values, func(v graph.String) bool { return v.Is("*") }) {
			return true
		}
	}
	return false
}

// kmsRefusesAnonymous reports whether the engine finds the KMS key to be
// what refuses an anonymous read.
func kmsRefusesAnonymous(d policy.Decision) bool { return anonymousRefusedAt(d, policy.CheckKMS) }

// anonymousRefusedAt reports whether the engine finds a check to be what
// refuses an anonymous request: its step denies, Block Public Access
// certainly lets the public policy work, and no Deny surely matches.
func anonymousRefusedAt(d policy.Decision, check string) bool {
	if s := d.Step(check); s == nil || s.Status != policy.Denied {
		return false
	}
	if s := d.Step(policy.CheckBPA); s != nil && (s.Status == policy.Denied || s.Status == policy.Undecided) {
		return false
	}
	return !slices.ContainsFunc(d.Denies, func(r policy.Ref) bool { return r.Match.T == policy.Yes })
}

// uploadsMayNotUseKMS reports whether an object the configuration uploads
// into the bucket asks for another encryption (server_side_encryption =
// "AES256"), or one not known: what it serves may then be readable.
func uploadsMayNotUseKMS(b *graph.Bucket) bool {
	return slices.ContainsFunc(b.Uploads, func(u *graph.Upload) bool {
		kms, known := u.UsesKMS(b.Encryption)
		return !kms || !known
	})
}

// choosesEncryption reports whether a bucket policy statement lets uploads
// ask for an encryption other than KMS: a condition on
// s3:x-amz-server-side-encryption with a value other than aws:kms or
// aws:kms:dsse (such as a Deny of uploads that do not ask for AES256), or
// a condition that is not known. A policy that forces KMS keeps the
// objects unreadable.
func choosesEncryption(b *graph.Bucket) bool {
	for _, pol := range b.Policies {
		if pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			for _, c := range st.Conditions {
				if c.Unknown || !c.Key.Known() {
					return true
				}
				if !strings.EqualFold(c.Key.V, "s3:x-amz-server-side-encryption") {
					continue
				}
				for _, v := range c.Values {
					if !v.Known() || v.V != "aws:kms" && v.V != "aws:kms:dsse" {
						return true
					}
				}
			}
		}
	}
	return false
}

func publicKMSFinding(b *graph.Bucket, public []*graph.Statement) Finding {
	enc := b.Encryption
	kind := "SSE-KMS"
	if enc.Algorithm.V == "aws:kms:dsse" {
		kind = "DSSE-KMS"
	}
	at, how := enc.Algorithm.Range, kind+" ("+enc.Algorithm.V+")"
	switch {
	case enc.AWSManagedKey():
		how = kind + " (" + enc.Algorithm.V + ", the AWS-managed key aws/s3)"
	case enc.KeyID.Origin == graph.Explicit && enc.KeyID.V != "":
		key := policy.Display(enc.KeyID.V)
		if enc.Key != nil {
			key = enc.Key.Address
		}
		at, how = enc.KeyID.Range, kind+" ("+enc.Algorithm.V+", the key "+key+")"
	}
	if at.IsZero() {
		at = enc.Range
	}
	var related []Related
	for _, st := range public {
		related = append(related, Related{Range: bpaPublicAt(st), Message: "this statement lets everyone read objects"})
	}
	names := make([]string, 0, len(public))
	for _, st := range public {
		names = append(names, bpaStatementName(st))
	}
	return Finding{
		Range:    at,
		Resource: enc.Address,
		Message: fmt.Sprintf("bucket %s encrypts new objects by default with %s, but its bucket policy lets everyone read them (%s): "+
			"S3 serves KMS-encrypted objects only to requests signed with Signature Version 4, so every anonymous GET fails: "+
			"a browser's or curl's with 400 InvalidArgument (requests specifying SSE-KMS require Signature Version 4), "+
			"the website endpoint's with 403 Access Denied; encrypt the bucket with SSE-S3 (AES256) and copy the objects already "+
			"written over themselves, or serve them through CloudFront with origin access control and a customer-managed key "+
			"whose key policy allows cloudfront.amazonaws.com kms:Decrypt",
			bucketWhere(b), how, list(names)),
		Related: related,
	}
}

// bucketWhere names a bucket with its address and place: "acme-site
// (aws_s3_bucket.site, main.tf:9)", or "Site (main.tf:9)" when it has no
// name of its own.
func bucketWhere(b *graph.Bucket) string {
	if label := bucketLabel(b); label != b.Address {
		return label + " (" + b.Address + ", " + b.Range.Short() + ")"
	}
	return b.Address + " (" + b.Range.Short() + ")"
}
