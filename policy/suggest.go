package policy

import (
	"strings"

	"github.com/s3lint/s3lint/internal/editdist"
)

// apiOperations maps S3 and KMS API operation names that people write as
// if they were IAM actions to the action AWS actually checks. Facts from the
// S3 API reference ("Permissions" sections) and the IAM service
// authorization reference.
var apiOperations = map[string]string{
	"s3:listobjects":                        "s3:ListBucket",
	"s3:listobjectsv2":                      "s3:ListBucket",
	"s3:listobjectversions":                 "s3:ListBucketVersions",
	"s3:headobject":                         "s3:GetObject",
	"s3:headbucket":                         "s3:ListBucket",
	"s3:deleteobjects":                      "s3:DeleteObject",
	"s3:copyobject":                         "s3:GetObject and s3:PutObject",
	"s3:createmultipartupload":              "s3:PutObject",
	"s3:uploadpart":                         "s3:PutObject",
	"s3:uploadpartcopy":                     "s3:PutObject",
	"s3:completemultipartupload":            "s3:PutObject",
	"s3:listparts":                          "s3:ListMultipartUploadParts",
	"s3:listmultipartuploads":               "s3:ListBucketMultipartUploads",
	"s3:listbuckets":                        "s3:ListAllMyBuckets",
	"s3:getbucketencryption":                "s3:GetEncryptionConfiguration",
	"s3:putbucketencryption":                "s3:PutEncryptionConfiguration",
	"s3:deletebucketencryption":             "s3:PutEncryptionConfiguration",
	"s3:getbucketlifecycleconfiguration":    "s3:GetLifecycleConfiguration",
	"s3:putbucketlifecycleconfiguration":    "s3:PutLifecycleConfiguration",
	"s3:deletebucketlifecycle":              "s3:PutLifecycleConfiguration",
	"s3:getbucketreplication":               "s3:GetReplicationConfiguration",
	"s3:putbucketreplication":               "s3:PutReplicationConfiguration",
	"s3:deletebucketreplication":            "s3:PutReplicationConfiguration",
	"s3:deletebucketcors":                   "s3:PutBucketCORS",
	"s3:deletebuckettagging":                "s3:PutBucketTagging",
	"s3:deletepublicaccessblock":            "s3:PutBucketPublicAccessBlock",
	"s3:getpublicaccessblock":               "s3:GetBucketPublicAccessBlock",
	"s3:putpublicaccessblock":               "s3:PutBucketPublicAccessBlock",
	"s3:deletebucketownershipcontrols":      "s3:PutBucketOwnershipControls",
	"s3:getbucketnotificationconfiguration": "s3:GetBucketNotification",
	"s3:putbucketnotificationconfiguration": "s3:PutBucketNotification",
	"s3:getbucketaccelerateconfiguration":   "s3:GetAccelerateConfiguration",
	"s3:putbucketaccelerateconfiguration":   "s3:PutAccelerateConfiguration",
	"s3:getobjectlockconfiguration":         "s3:GetBucketObjectLockConfiguration",
	"s3:putobjectlockconfiguration":         "s3:PutBucketObjectLockConfiguration",
	"s3:getbucketanalyticsconfiguration":    "s3:GetAnalyticsConfiguration",
	"s3:putbucketanalyticsconfiguration":    "s3:PutAnalyticsConfiguration",
	"s3:getbucketinventoryconfiguration":    "s3:GetInventoryConfiguration",
	"s3:putbucketinventoryconfiguration":    "s3:PutInventoryConfiguration",
	"s3:getbucketmetricsconfiguration":      "s3:GetMetricsConfiguration",
	"s3:putbucketmetricsconfiguration":      "s3:PutMetricsConfiguration",
	"s3:selectobjectcontent":                "s3:GetObject",
	"s3:writegetobjectresponse":             "s3-object-lambda:WriteGetObjectResponse",
	// ReEncrypt decrypts under one key and encrypts under another: it
	// needs both actions (kms:ReEncrypt* names them), and is no typo of
	// kms:Encrypt.
	"kms:reencrypt": "kms:ReEncryptFrom and kms:ReEncryptTo",
}

// SuggestAction returns the real action closest to an unknown one, or ""
// when nothing is close enough to be a helpful guess.
func SuggestAction(name string) string {
	lower := strings.ToLower(name)
	if s, ok := apiOperations[lower]; ok {
		return s
	}
	svc, op, ok := strings.Cut(lower, ":")
	if !ok {
		return ""
	}
	best, bestDist := "", 1<<30
	for _, a := range actionTable().actions {
		if a.Service != svc {
			continue
		}
		d := editdist.Distance(op, strings.ToLower(a.Name))
		if d < bestDist {
			best, bestDist = a.String(), d
		}
	}
	// Accept up to one edit per four characters (at least two): close
	// enough to be a typo, far enough not to guess wildly.
	limit := max(2, len(op)/4)
	if HasWildcard(op) || bestDist > limit {
		return ""
	}
	return best
}
