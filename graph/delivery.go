package graph

import (
	"strconv"
	"strings"
)

// DeliveryKind is an AWS feature that writes objects into a bucket on its
// own, as a service principal rather than as one of the configuration's
// roles, or (CloudFrontOAC) reads them. Each kind needs
// something different from the bucket.
type DeliveryKind uint8

// The kinds of delivery.
const (
	// ServerAccessLogs: S3 server access logging, written by
	// logging.s3.amazonaws.com (bucket policy) or the Log Delivery group
	// (bucket ACL, only while ACLs are enabled).
	ServerAccessLogs DeliveryKind = iota
	// CloudTrailLogs: a trail, written by cloudtrail.amazonaws.com.
	CloudTrailLogs
	// ELBAccessLogs: Application and Classic Load Balancer access logs,
	// written by the ELB account of the region or by
	// logdelivery.elasticloadbalancing.amazonaws.com.
	ELBAccessLogs
	// VendedLogs: logs that delivery.logs.amazonaws.com writes: VPC flow
	// logs, Network Load Balancer access logs, AWS WAF logs.
	VendedLogs
	// CloudFrontLogs: CloudFront standard (legacy) logs, written by the
	// awslogsdelivery account through the bucket ACL.
	CloudFrontLogs
	// ConfigSnapshots: the AWS Config delivery channel, written by
	// config.amazonaws.com.
	ConfigSnapshots
	// CloudFrontOAC: a CloudFront distribution that reads an S3 origin
	// through origin access control, as cloudfront.amazonaws.com.
	CloudFrontOAC
	// CloudFrontOAI: a CloudFront distribution that reads an S3 origin
	// through a (legacy) origin access identity, an IAM user of
	// CloudFront's own pseudo-account (Delivery.Identity).
	CloudFrontOAI
	// Replication: a replication rule of a bucket (Delivery.SourceARN),
	// which S3 carries out as the configuration's role (RoleARN): it reads
	// the source's new objects and replicates them into the destination.
	Replication
	// S3Reports: S3 Inventory reports and S3 analytics (storage class
	// analysis) exports of a bucket (SourceARN), written by
	// s3.amazonaws.com.
	S3Reports
	// CloudFrontAnonymous: a CloudFront distribution that reads an S3
	// origin with neither origin access control nor an origin access
	// identity: its requests to the bucket are not signed.
	CloudFrontAnonymous
)

// Service is the service principal that writes (or reads) the objects (""
// for CloudFront standard logs, written through an ACL grant to
// CloudFront's own account, for origin access identities, which are not
// services, and for replication, which runs as a role).
func (k DeliveryKind) Service() string {
	return [...]string{"logging.s3.amazonaws.com", "cloudtrail.amazonaws.com",
		"logdelivery.elasticloadbalancing.amazonaws.com", "delivery.logs.amazonaws.com", "", "config.amazonaws.com",
		"cloudfront.amazonaws.com", "", "", "s3.amazonaws.com", ""}[k]
}

// Delivery is a configured delivery into a bucket: a bucket's access
// logging, a trail, a load balancer's access logs, a flow log, a
// distribution's logging, a Config delivery channel; or a distribution's
// S3 origin, which CloudFront reads.
type Delivery struct {
	// Entity is the resource that configures the delivery.
	Entity
	Kind DeliveryKind
	// What names the feature for people: "S3 server access logs of
	// aws_s3_bucket.app", "VPC flow logs".
	What string
	// BucketRef is the destination as written, reduced to the bucket name
	// when the source writes an ARN or a domain name; its range is the
	// argument that names it, where findings go.
	BucketRef String
	Bucket    *Bucket
	// BucketSymbol is the name symbol of a bucket whose name AWS chooses,
	// when the destination names it from another template (an imported
	// Ref): it links the delivery to that bucket, while BucketRef stays
	// unknown, as the name itself is.
	BucketSymbol string
	// Prefix is the key prefix the objects are written under ("" when none).
	Prefix String
	// SourceARN is the ARN of the resource the service delivers for (the
	// trail, the source bucket, the flow log …), which AWS sends as
	// aws:SourceArn; unknown when it cannot be known.
	SourceARN String
	// KeyRef is the KMS key the source itself encrypts with (a trail's
	// KMSKeyId, a delivery channel's S3KmsKeyArn, an inventory's SSE-KMS
	// key; a replication rule's replica key when it replicates SSE-KMS
	// objects), as written; Key is that key when it is in the graph.
	KeyRef String
	Key    *Key
	// Organization marks an organization trail.
	Organization Bool
	// WAF marks AWS WAF logging, which writes only into buckets whose
	// names start with aws-waf-logs-.
	WAF bool
	// RoleARN is the role the service uses where it may use one (the Config
	// recorder's role), or must (Replication).
	RoleARN String
	// ViewerHTTP (CloudFrontOAC) is the viewer protocol policy "allow-all"
	// of a cache behavior that sends requests to this origin: CloudFront
	// forwards a viewer's plain HTTP request to an S3 origin over HTTP.
	// Zero when no behavior is known to.
	ViewerHTTP String
	// Identity (CloudFrontOAI) is the IAM ARN of the origin access
	// identity (arn:aws:iam::cloudfront:user/CloudFront Origin Access
	// Identity ID); unknown when its ID is.
	Identity String
	// EdgeCode (CloudFrontOAI, CloudFrontAnonymous) is set when a cache behavior that targets
	// the origin, or one whose target is not known, runs Lambda@Edge on
	// origin requests (or on events not known): the function may sign the
	// requests to S3 itself, as AWS's workaround for SSE-KMS origins does.
	EdgeCode bool
	// DeleteMarkers (Replication) is set when the rule replicates delete
	// markers too (s3:ReplicateDelete).
	DeleteMarkers bool
	// KMSObjects (Replication) is set when the rule replicates objects
	// encrypted with SSE-KMS (SseKmsEncryptedObjects enabled): the role
	// decrypts them with the source's key (s3:GetObjectVersionForReplication
	// needs kms:Decrypt) and encrypts their replicas with KeyRef
	// (s3:ReplicateObject needs kms:Encrypt). Without it, S3 leaves SSE-KMS
	// objects out of replication.
	KMSObjects bool
	// OwnerOverride (Replication) is set when the rule makes the
	// destination bucket's owner the replicas' owner
	// (s3:ObjectOwnerOverrideToBucketOwner).
	OwnerOverride bool
}

// OAIAccount is the account an origin access identity's ARN names
// (arn:aws:iam::cloudfront:user/…): CloudFront's own pseudo-account, never
// one of the 12-digit accounts that configurations deploy to.
const OAIAccount Account = "cloudfront"

// OAIARN is the IAM ARN of the origin access identity with the ID.
func OAIARN(partition, id string) string {
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":iam::cloudfront:user/CloudFront Origin Access Identity " + id
}

// OAIFromPath reads the ID of an origin access identity from the value an
// S3 origin names it by (origin-access-identity/cloudfront/ID); ok is false
// for anything else, "" (no identity) included.
func OAIFromPath(path string) (id string, ok bool) {
	id, ok = strings.CutPrefix(path, "origin-access-identity/cloudfront/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// linkDeliveries links deliveries that name their bucket by a literal name
// to the buckets of that name, preferring the delivery's own root.
func (g *Graph) linkDeliveries(find func(ref String, root string) *Bucket) {
	for _, d := range g.Deliveries {
		if d.Bucket == nil {
			d.Bucket = find(d.BucketRef, d.Root)
		}
		if d.Bucket == nil && d.BucketSymbol != "" {
			d.Bucket = find(StringOf(d.BucketSymbol, d.BucketRef.Range), d.Root)
		}
	}
}

// IsS3ARN reports whether s is an ARN of S3 (arn:PARTITION:s3:…), as a
// destination that may name a bucket, a log group or a stream is.
func IsS3ARN(s string) bool {
	parts := strings.SplitN(s, ":", 4)
	return len(parts) > 3 && parts[0] == "arn" && parts[2] == "s3"
}

// DestinationParts splits a located destination argument into the bucket
// name and the key prefix an ARN carries (arn:aws:s3:::b/prefix). When the
// destination is unknown, so is the prefix it may carry; a name or domain
// name carries none.
func DestinationParts(dest String) (bucket, prefix String) {
	if !dest.Known() {
		return dest, StringUnknown(dest.Range)
	}
	name, p := BucketFromDestination(dest.V)
	bucket = dest
	bucket.V = name
	if p == "" {
		return bucket, StringDefault("", dest.Range)
	}
	return bucket, StringOf(p, dest.Range)
}

// BucketFromDestination reduces what a delivery's destination argument
// holds to a bucket name: a bucket ARN with an optional key prefix
// (arn:aws:s3:::b/prefix), a bucket domain name (b.s3.amazonaws.com,
// b.s3.us-east-1.amazonaws.com), or the name itself. prefix is the key prefix
// an ARN carries.
func BucketFromDestination(s string) (bucket, prefix string) {
	if rest, ok := strings.CutPrefix(s, "arn:"); ok {
		// arn:PARTITION:s3:::bucket[/prefix]
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) != 5 || parts[1] != "s3" {
			return "", ""
		}
		bucket, prefix, _ = strings.Cut(parts[4], "/")
		return bucket, prefix
	}
	if i := strings.Index(s, ".s3."); i > 0 && strings.HasSuffix(s, ".amazonaws.com") {
		return s[:i], ""
	}
	if i := strings.Index(s, ".s3-"); i > 0 && strings.HasSuffix(s, ".amazonaws.com") {
		return s[:i], ""
	}
	return s, ""
}

// elbAccounts are the accounts Elastic Load Balancing writes access logs
// from, by region (the regions opened before August 2022; later regions
// accept only the logdelivery.elasticloadbalancing.amazonaws.com service
// principal). Source: "Enable access logs for your Application Load
// Balancer", Elastic Load Balancing User Guide.
var elbAccounts = map[string]string{
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
	"af-south-1":     "098369216593",
	"ap-east-1":      "754344448648",
	"ap-southeast-3": "589379963580",
	"ap-south-1":     "718504428378",
	"ap-northeast-3": "383597477331",
	"ap-northeast-2": "600734575887",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
	"ap-northeast-1": "582318560864",
	"ca-central-1":   "985666609251",
	"eu-central-1":   "054676820928",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-south-1":     "635631232127",
	"eu-west-3":      "009996457667",
	"eu-north-1":     "897822967062",
	"me-south-1":     "076674570225",
	"sa-east-1":      "507241528517",
	"us-gov-west-1":  "048591011584",
	"us-gov-east-1":  "190560391635",
	"cn-north-1":     "638102146993",
	"cn-northwest-1": "037604701340",
}

// ELBAccount is the account Elastic Load Balancing writes access logs from
// in a region, or "" when the region has none (regions opened since August
// 2022 accept only the service principal) or is unknown.
func ELBAccount(region string) string { return elbAccounts[region] }

// ELBRegion names the region whose ELB account id is, or "".
func ELBRegion(id string) string {
	for r, a := range elbAccounts {
		if a == id {
			return r
		}
	}
	return ""
}

// RuleName names a rule (a replication rule) by its id for messages: the
// id quoted, "without an FIELD" when it has none, "(FIELD not known)" when
// it cannot be known; field is the id's name in the format (id, Id).
func RuleName(id String, field string) string {
	switch {
	case !id.Known():
		return "(" + field + " not known)"
	case id.V == "":
		return "without an " + field
	}
	return strconv.Quote(id.V)
}

// OriginWhat names a CloudFront distribution's origin for people (a
// Delivery's What): by its ID, quoted, or as one whose ID is not known
// before deployment when id is "".
func OriginWhat(id, distribution string) string {
	if id == "" {
		return "an origin of " + distribution + " whose ID is not known"
	}
	return "origin " + strconv.Quote(id) + " of " + distribution
}
