package policy

import (
	"strings"
)

// ARN is an Amazon Resource Name split into its six parts. Parts may contain
// wildcards when the ARN comes from a policy.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits s into its parts. ok is false when s does not have the
// arn:partition:service:region:account:resource shape.
func ParseARN(s string) (a ARN, ok bool) {
	// strings.SplitN(s, ":", 6) without the slice: every decision parses
	// ARNs.
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, false
	}
	var fields [4]string
	for i := range fields {
		if fields[i], rest, ok = strings.Cut(rest, ":"); !ok {
			return ARN{}, false
		}
	}
	return ARN{Partition: fields[0], Service: fields[1], Region: fields[2], Account: fields[3], Resource: rest}, true
}

func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// S3Kind is a set of S3 resource types a Resource pattern can match.
type S3Kind uint8

// The S3 resource types that matter for access decisions.
const (
	KindBucket S3Kind = 1 << iota
	KindObject
	KindAccessPoint
	KindAccessPointObject
	KindOtherS3 // jobs, storage lens, access grants, multi-region access points…
	KindNonS3   // anything that is not an S3 resource

	KindAny = KindBucket | KindObject | KindAccessPoint | KindAccessPointObject | KindOtherS3 | KindNonS3
)

// Has reports whether k includes every kind in o.
func (k S3Kind) Has(o S3Kind) bool { return k&o == o }

// Only reports whether k is non-empty and within o.
func (k S3Kind) Only(o S3Kind) bool { return k != 0 && k&^o == 0 }

// S3Kinds tells which kinds of S3 resource a Resource pattern can match.
// It errs on the side of "could be": a wildcard that may span "/" makes a
// pattern both bucket and object.
func S3Kinds(pattern string) S3Kind {
	if pattern == "*" {
		return KindAny
	}
	a, ok := ParseARN(pattern)
	if !ok {
		if parts := strings.SplitN(pattern, ":", 4); len(parts) >= 4 && parts[0] == "arn" && !HasWildcard(parts[2]) && parts[2] != "s3" {
			// The service is written out and is not S3.
			return KindNonS3
		}
		if strings.HasPrefix(pattern, "arn:") && HasWildcard(pattern) {
			// A wildcard may stand for the missing colons.
			return KindAny
		}
		return 0
	}
	if a.Service != "s3" {
		// The service segment cannot hold a wildcard, so this is not S3.
		return KindNonS3
	}
	var k S3Kind
	// Bucket and object ARNs have empty region and account (and a name:
	// arn:aws:s3::: names nothing).
	if canBeEmpty(a.Region) && canBeEmpty(a.Account) && a.Resource != "" && !strings.HasPrefix(a.Resource, "/") {
		switch {
		case !HasWildcard(a.Resource) && !strings.Contains(a.Resource, "/"):
			k |= KindBucket
		case !HasWildcard(a.Resource):
			k |= KindObject
		default:
			name, _, hasSlash := strings.Cut(a.Resource, "/")
			if hasSlash && !HasWildcard(name) {
				k |= KindObject
			} else {
				k |= KindBucket | KindObject
			}
		}
	}
	if canBeNonEmpty(a.Region) || canBeNonEmpty(a.Account) {
		k |= regionalKinds(a.Resource)
		// Multi-region access points have an account but no region.
		if canBeEmpty(a.Region) && k&KindAccessPoint != 0 {
			k |= KindOtherS3
			if a.Region == "" {
				k &^= KindAccessPoint | KindAccessPointObject
			}
		}
	}
	return k
}

// IsMultiRegionAccessPointARN reports whether s names one Multi-Region
// Access Point exactly: arn:PARTITION:s3::ACCOUNT:accesspoint/ALIAS, with an
// account and no region. Its objects are ALIAS/object/KEY, as a regional
// access point's.
func IsMultiRegionAccessPointARN(s string) bool {
	a, ok := ParseARN(s)
	if !ok || a.Service != "s3" || a.Region != "" || a.Account == "" || HasWildcard(a.Account) {
		return false
	}
	name, ok := strings.CutPrefix(a.Resource, "accesspoint/")
	return ok && name != "" && !strings.Contains(name, "/") && !HasWildcard(name) && !hasSymbol(name)
}

func canBeEmpty(seg string) bool    { return seg == "" || strings.Trim(seg, "*") == "" }
func canBeNonEmpty(seg string) bool { return seg != "" }

// regionalKinds classifies the resource part of an ARN with a region or
// account: access points, access point objects, and other S3 resources.
func regionalKinds(res string) S3Kind {
	if res == "" {
		return 0
	}
	if strings.HasPrefix(res, "*") || strings.HasPrefix(res, "?") {
		return KindAccessPoint | KindAccessPointObject | KindOtherS3
	}
	typ, rest, _ := strings.Cut(res, "/")
	if HasWildcard(typ) {
		return KindAccessPoint | KindAccessPointObject | KindOtherS3
	}
	if typ != "accesspoint" {
		return KindOtherS3
	}
	// accesspoint/NAME or accesspoint/NAME/object/KEY
	name, tail, hasTail := strings.Cut(rest, "/")
	switch {
	case HasWildcard(name) && !hasTail:
		return KindAccessPoint | KindAccessPointObject
	case !hasTail:
		return KindAccessPoint
	case strings.HasPrefix(tail, "object/"):
		return KindAccessPointObject
	case HasWildcard(tail):
		return KindAccessPoint | KindAccessPointObject
	default:
		return KindAccessPointObject
	}
}

// BucketARN returns the exact bucket a bucket or object ARN names, with its
// partition. ok is false when the ARN is not an S3 bucket/object ARN or the
// bucket name holds a wildcard.
func BucketARN(s string) (partition, bucket string, ok bool) {
	a, isARN := ParseARN(s)
	if !isARN || a.Service != "s3" || a.Region != "" || a.Account != "" {
		return "", "", false
	}
	name, _, _ := strings.Cut(a.Resource, "/")
	if name == "" || HasWildcard(name) {
		return "", "", false
	}
	return a.Partition, name, true
}

// CanMatchObjectIn reports whether Resource pattern p can match some object of
// the bucket with the given ARN ("arn:aws:s3:::b").
func CanMatchObjectIn(p, bucketARN string) bool {
	return CanMatchPrefix(p, bucketARN+"/")
}

// CanMatchPrefix reports whether Resource pattern p can match some ARN that
// starts with prefix and continues past it (an object key is never empty).
func CanMatchPrefix(p, prefix string) bool {
	return globMatchesPrefix(p, prefix)
}

// CanMatchBucketOrObject reports whether pattern p can match the bucket ARN
// itself or any object in it.
func CanMatchBucketOrObject(p, bucketARN string) bool {
	return MatchResource(p, bucketARN) || CanMatchObjectIn(p, bucketARN)
}

// CanApplyTo reports whether the action can be authorized against some
// resource that the Resource pattern matches: whether one of the action's
// resource types is among the kinds the pattern can name. Actions that take
// Resource "*" only apply to patterns that are "*".
func (a *Action) CanApplyTo(pattern string) bool {
	kinds := S3Kinds(pattern)
	for _, t := range a.ResourceTypes {
		var k S3Kind
		switch t.Name {
		case "*":
			if pattern == "*" {
				return true
			}
			continue
		case "bucket":
			k = KindBucket
		case "object":
			k = KindObject
		case "accesspoint":
			k = KindAccessPoint
		case "accesspointobject":
			k = KindAccessPointObject
		default:
			if a.Service != "s3" {
				// KMS keys and aliases: S3Kinds cannot tell them apart,
				// so any non-S3 ARN may do.
				k = KindNonS3
			} else {
				k = KindOtherS3
			}
		}
		if kinds&k != 0 {
			return true
		}
	}
	return false
}
