package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Uploads: the ACL that an upload of the configuration (aws_s3_object,
// aws_s3_bucket_object, aws_s3_object_copy) sends with its object, as
// S3L031 and S3L042 read it.

// objectACLOthers are the canned ACLs of an object that give others than
// the owner access, and whom. S3's object ACLs have no log-delivery-write
// (the provider refuses it before any request), and a WRITE grant means
// nothing on an object.
var objectACLOthers = map[string]string{
	"public-read":        "everyone (AllUsers) read access",
	"public-read-write":  "everyone (AllUsers) read access",
	"authenticated-read": "every AWS account (AuthenticatedUsers) read access",
	"aws-exec-read":      "Amazon EC2 read access",
}

// upload is the uploads of one resource block into one bucket with one
// ACL: a for_each over a site's files is one upload of many objects, and
// depends_on names the block.
type upload struct {
	acl   *graph.ACL // of the first instance
	block string     // the resource address without its instance key
	keys  []string   // the known keys, cleaned as the provider does
	n     int
	// sent is set when some instance's upload is made by the apply: not
	// one a plan leaves as it is, or one of a state file.
	sent bool
}

// uploadsOf groups a bucket's upload ACLs by resource block and ACL (a
// plan gives each instance a place of its own; the block, one).
func uploadsOf(b *graph.Bucket) []*upload {
	type id struct {
		block, canned string
		known         bool
	}
	var out []*upload
	seen := map[id]*upload{}
	for _, acl := range b.ObjectACLs {
		k := id{stripInstanceKey(acl.Address), acl.Canned.V, acl.Canned.Known()}
		u := seen[k]
		if u == nil {
			u = &upload{acl: acl, block: k.block}
			seen[k] = u
			out = append(out, u)
		}
		u.n++
		u.sent = u.sent || !acl.Unchanged
		if acl.Key.Known() && acl.Key.V != "" && !graph.HasSymbol(acl.Key.V) {
			u.keys = append(u.keys, storedKey(acl.Key.V))
		}
	}
	return out
}

// storedKey is the key S3 stores an upload under: the AWS provider drops a
// leading "/" or "./" and collapses repeated slashes before it calls S3.
func storedKey(key string) string {
	for strings.Contains(key, "//") {
		key = strings.ReplaceAll(key, "//", "/")
	}
	for strings.HasPrefix(key, "./") || strings.HasPrefix(key, "/") {
		key = strings.TrimPrefix(strings.TrimPrefix(key, "."), "/")
	}
	return key
}

// name says who uploads what: "aws_s3_object.index uploads object
// index.html", "aws_s3_object.site uploads 42 objects (css/a.css, …)"; an
// object that a plan leaves as it is, or one of a state file, "uploaded".
func (u *upload) name() string {
	verb := "uploads"
	if !u.sent {
		verb = "uploaded"
	}
	switch {
	case u.n == 1 && len(u.keys) == 1:
		return fmt.Sprintf("%s %s object %s", u.acl.Address, verb, u.keys[0])
	case u.n == 1:
		return u.acl.Address + " " + verb + " its object"
	case len(u.keys) > 0:
		return fmt.Sprintf("%s %s %d objects (%s, …)", u.block, verb, u.n, u.keys[0])
	}
	return fmt.Sprintf("%s %s %d objects", u.block, verb, u.n)
}

// call is the request that sends the ACL.
func (u *upload) call() string {
	if strings.Contains("."+u.block, ".aws_s3_object_copy.") {
		return "CopyObject"
	}
	return "PutObject, or PutObjectAcl when only the ACL changes"
}

// aclSender is a Terraform resource that sends an ACL to S3 — an
// aws_s3_bucket_acl, or an upload — as the ordering findings word it.
type aclSender struct {
	acl      *graph.ACL  // the ACL (an upload's first instance's)
	at       graph.Range // where the finding points: the canned ACL, or the ACL
	addr     string      // the resource the finding names (an upload's block)
	call     string      // the request that sends the ACL
	what     string      // what the fix calls the resource
	first    string      // what Terraform does first when the order is reversed
	upload   bool
	reversed bool // the setting waits for the ACL, instead of not at all
}

// unorderedACLs lists the separate ACL resources and uploads of b's
// configuration whose ACL counts (bucket, upload) and that do not wait for
// the setting resource to, directly or transitively, each once. deps are
// the configuration's dependencies; resources outside them are left out.
func unorderedACLs(b *graph.Bucket, deps map[string][]string, to string, bucket, upload func(*graph.ACL) bool) []aclSender {
	var all []aclSender
	for _, acl := range b.ACLs {
		if acl.Address == "" || acl.Address == b.Address || acl.Root != b.Root || !bucket(acl) {
			// An ACL of another configuration is applied on its own;
			// one written inline in the bucket is created with it.
			continue
		}
		all = append(all, aclSender{acl: acl, addr: acl.Address, call: "PutBucketAcl", what: "the ACL", first: "puts the ACL in place first"})
	}
	for _, u := range uploadsOf(b) {
		if u.acl.Address == "" || u.acl.Root != b.Root || !upload(u.acl) {
			continue
		}
		all = append(all, aclSender{acl: u.acl, addr: u.block, call: "the upload (" + u.call() + ") that sends its ACL",
			what: "the upload", first: "uploads the object first", upload: true})
	}
	var out []aclSender
	for _, sd := range all {
		if _, known := deps[sd.acl.Address]; !known || dependsOn(deps, sd.acl.Address, to) {
			continue
		}
		sd.at = sd.acl.Canned.Range
		if !sd.acl.Canned.Known() || sd.acl.Canned.Origin != graph.Explicit {
			sd.at = sd.acl.Range
		}
		sd.reversed = dependsOn(deps, to, sd.acl.Address)
		out = append(out, sd)
	}
	return out
}

// givesOthersOnObject reports whether an upload's ACL is a canned ACL that
// gives others than the owner access.
func givesOthersOnObject(acl *graph.ACL) bool {
	if !acl.Canned.Known() || acl.Canned.Origin != graph.Explicit {
		return false
	}
	_, ok := objectACLOthers[acl.Canned.V]
	return ok
}

// aclWaits are the setting resources a Terraform ACL of b (a bucket ACL's
// or an upload's) must wait for on a new bucket: the ownership controls
// that enable ACLs, and for a public ACL the public access block that
// turns BlockPublicAcls off — those of its configuration it does not wait
// for yet, without one that another of them waits for already.
func aclWaits(p *Pass, b *graph.Bucket, acl *graph.ACL) []string {
	deps := p.Graph.DependsOn[b.Root]
	var need []string
	if own := b.Ownership; own != nil && own.Address != "" && own.Address != b.Address && own.Root == b.Root &&
		own.Rule.Known() && (own.Rule.V == graph.BucketOwnerPreferred || own.Rule.V == graph.ObjectWriter) {
		need = append(need, own.Address)
	}
	if pab := b.PublicAccessBlock; pab != nil && pab.Address != "" && pab.Address != b.Address && pab.BlockPublicAcls.IsFalse() &&
		policy.IsPublicACL(acl).T == policy.Yes {
		need = append(need, pab.Address)
	}
	var out []string
	for _, to := range need {
		if _, known := deps[to]; !known || dependsOn(deps, acl.Address, to) {
			continue
		}
		covered := false
		for _, other := range need {
			covered = covered || other != to && dependsOn(deps, other, to)
		}
		if !covered {
			out = append(out, to)
		}
	}
	return out
}

// waitForAll says how to make resource from (what, for people) wait for
// every resource of tos, as one depends_on when its module can name them
// all, else as waitFor says it for the first.
func waitForAll(from string, tos []string, what string) string {
	if len(tos) == 1 {
		return waitFor(from, tos[0], what)
	}
	var names []string
	for _, to := range tos {
		name, call := dependsOnName(from, to)
		if name == "" || call {
			return waitFor(from, tos[0], what)
		}
		names = append(names, name)
	}
	return fmt.Sprintf("add depends_on = [%s] to %s", strings.Join(names, ", "), what)
}

// orderingFix says how to make an ACL resource wait for target, and for
// the other setting it must wait for when it waits for neither: one
// depends_on naming both, or the one that already waits for the other.
func orderingFix(p *Pass, b *graph.Bucket, sd aclSender, target string) string {
	waits := aclWaits(p, b, sd.acl)
	if len(waits) == 0 {
		return waitFor(sd.addr, target, sd.what)
	}
	fix := waitForAll(sd.addr, waits, sd.what)
	deps := p.Graph.DependsOn[b.Root]
	for _, w := range waits {
		if w == target {
			return fix
		}
	}
	for _, w := range waits {
		if dependsOn(deps, w, target) {
			return fmt.Sprintf("%s (%s waits for %s)", fix, w, target)
		}
	}
	return fix
}
