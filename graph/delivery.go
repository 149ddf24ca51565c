package graph

import "strings"

// DeliveryKind is an AWS feature that writes objects into a bucket on its
// own, as a service principal rather than as one of the configuration's
// roles. Each kind needs something different from the destination bucket.
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
	// logs, Network Load Balancer access logs.
	VendedLogs
	// CloudFrontLogs: CloudFront standard (legacy) logs, written by the
	// awslogsdelivery account through the bucket ACL.
	CloudFrontLogs
	// ConfigSnapshots: the AWS Config delivery channel, written by
	// config.amazonaws.com.
	ConfigSnapshots
)

// Service is the service principal that writes the objects ("" for
// CloudFront, which writes through an ACL grant to its own account).
func (k DeliveryKind) Service() string {
	return [...]string{"logging.s3.amazonaws.com", "cloudtrail.amazonaws.com",
		"logdelivery.elasticloadbalancing.amazonaws.com", "delivery.logs.amazonaws.com", "", "config.amazonaws.com"}[k]
}

// Delivery is a configured delivery into a bucket: a bucket's access
// logging, a trail, a load balancer's access logs, a flow log, a
// distribution's logging, a Config delivery channel.
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
	// Prefix is the key prefix the objects are written under ("" when none).
	Prefix String
	// Region is the region the source deploys to, "" when unknown.
	Region string
	// SourceARN is the ARN of the resource the service delivers for (the
	// trail, the source bucket, the flow log …), which AWS sends as
	// aws:SourceArn; unknown when it cannot be known.
	SourceARN String
	// KeyRef is the KMS key the source itself encrypts with (a trail's
	// KMSKeyId, a delivery channel's S3KmsKeyArn), as written; Key is that
	// key when it is in the graph.
	KeyRef String
	Key    *Key
	// Organization marks an organization trail.
	Organization Bool
	// RoleARN is the role the service uses where it may use one (the Config
	// recorder's role).
	RoleARN String
}

// LinkDeliveries links deliveries that name their bucket by a literal name
// to the buckets of that name, preferring the delivery's own root.
func (g *Graph) linkDeliveries(find func(ref String, root string) *Bucket) {
	for _, d := range g.Deliveries {
		if d.Bucket == nil {
			d.Bucket = find(d.BucketRef, d.Root)
		}
	}
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
