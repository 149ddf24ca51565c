package graph

import "strings"

// Setting is where a bucket setting was declared: a Terraform resource of its
// own (aws_s3_bucket_public_access_block.b) or an argument/property of the
// bucket. Rules point at Range and name Address.
type Setting struct {
	// Address is the resource that declares the setting: the bucket itself
	// for inline arguments and CloudFormation properties, or a resource of
	// its own.
	Address string
	Range   Range // the resource block, argument or property
	// Root is the configuration of the declaring resource (graph.Entity.Root)
	// where the loader records it (Terraform); "" otherwise.
	Root string
	// Unchanged is set for a setting read from a Terraform state, or from a
	// plan that leaves its resource as it is: no request puts it in place.
	Unchanged bool
}

// PublicAccessBlock is a Block Public Access configuration of a bucket, an
// access point or an account. Flags that the configuration omits are
// Default false: both Terraform and CloudFormation send false for them.
type PublicAccessBlock struct {
	Setting
	BlockPublicAcls       Bool
	IgnorePublicAcls      Bool
	BlockPublicPolicy     Bool
	RestrictPublicBuckets Bool
}

// AccountPublicAccessBlock is an account-level Block Public Access
// configuration (aws_s3_account_public_access_block).
type AccountPublicAccessBlock struct {
	Entity
	PublicAccessBlock
	// AccountID is the account_id argument when written; Entity.Account is
	// the account it applies to either way.
	AccountID String
}

// ACL is a bucket ACL: a canned ACL, explicit grants, or both. It is also
// the ACL that an upload the configuration makes sends with the object
// (Terraform's aws_s3_object acl); Key is then the object's key.
type ACL struct {
	Setting
	// Canned is the canned ACL in the S3 API's spelling ("public-read",
	// "log-delivery-write"); CloudFormation's AccessControl values
	// (PublicRead) are translated. Default "" when only grants are given.
	Canned String
	Grants []Grant
	// Key is the object's key for an object's ACL; zero for the bucket's.
	Key String
}

// Grant is one grant of an ACL.
type Grant struct {
	Range Range
	// Type is the grantee type: CanonicalUser, Group or
	// AmazonCustomerByEmail.
	Type       String
	ID         String // canonical user ID
	URI        String // group URI (…/global/AllUsers, …/s3/LogDelivery)
	Email      String
	Permission String // READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL
}

// Versioning is a bucket's versioning configuration.
type Versioning struct {
	Setting
	Status    String // Enabled, Suspended, Disabled
	MFADelete Bool   // MFA delete enabled
}

// Encryption is a bucket's default encryption.
type Encryption struct {
	Setting
	// Algorithm is AES256, aws:kms or aws:kms:dsse.
	Algorithm String
	// KeyID is the KMS key as written: a key ID, key ARN, alias name or
	// alias ARN. Default "" means the AWS-managed key aws/s3.
	KeyID String
	// Key is the key when it is in the graph.
	Key       *Key
	BucketKey Bool
}

// UsesKMS reports whether objects are encrypted with KMS by default; known is
// false when the algorithm is unknown.
func (e *Encryption) UsesKMS() (kms, known bool) {
	if e == nil {
		return false, true
	}
	if !e.Algorithm.Known() {
		return false, false
	}
	return e.Algorithm.V == "aws:kms" || e.Algorithm.V == "aws:kms:dsse", true
}

// AWSManagedKey reports whether the bucket encrypts with the AWS-managed
// aws/s3 key: SSE-KMS without a key, or with that alias.
func (e *Encryption) AWSManagedKey() bool {
	if kms, known := e.UsesKMS(); !kms || !known || e.Key != nil {
		return false
	}
	if e.KeyID.Origin == Default && e.KeyID.V == "" {
		return true
	}
	if !e.KeyID.Known() {
		return false
	}
	v := e.KeyID.V
	return v == "alias/aws/s3" || strings.HasSuffix(v, ":alias/aws/s3")
}

// RequestPayment is who pays for a bucket's requests and downloads:
// BucketOwner (the default) or Requester.
type RequestPayment struct {
	Setting
	Payer String
}

// RequesterPays reports whether the bucket is a Requester Pays bucket, and
// whether that is known.
func (b *Bucket) RequesterPays() (pays, known bool) {
	if b.RequestPayment == nil {
		return false, true
	}
	if !b.RequestPayment.Payer.Known() {
		return false, false
	}
	return b.RequestPayment.Payer.V == "Requester", true
}

// Object ownership settings.
const (
	BucketOwnerEnforced  = "BucketOwnerEnforced"
	BucketOwnerPreferred = "BucketOwnerPreferred"
	ObjectWriter         = "ObjectWriter"
)

// AccessPoint is an S3 access point.
type AccessPoint struct {
	Entity
	Name      String
	ARN       String
	BucketRef String
	Bucket    *Bucket
	Policy    *Policy
	// PublicAccessBlock is never nil: access points block everything
	// unless told otherwise.
	PublicAccessBlock *PublicAccessBlock
	VpcID             String // network origin VPC; empty means Internet
}

// Upload is an object the configuration uploads (aws_s3_object and the
// like).
type Upload struct {
	Setting
	Key String
	// SSE is the server-side encryption the upload asks for
	// (server_side_encryption), or for an object a plan shows, the one it
	// has (StringDefault with that value); StringDefault("") when neither
	// is known, and the bucket's default encryption applies.
	SSE String
}

// UsesKMS reports whether the object is encrypted with KMS (SSE-KMS or
// DSSE-KMS) under the bucket's default encryption enc; known is false
// when that cannot be told.
func (u *Upload) UsesKMS(enc *Encryption) (kms, known bool) {
	switch {
	case !u.SSE.Known():
		return false, false
	case u.SSE.V == "":
		return enc.UsesKMS()
	}
	return u.SSE.V == "aws:kms" || u.SSE.V == "aws:kms:dsse", true
}

// DirectoryBucketName reports whether a bucket name (or the known end of a
// partly known one) is a directory bucket's (S3 Express One Zone): those,
// and only those, end in --x-s3, which general purpose bucket names may
// not. A directory bucket's policy grants s3express actions on
// arn:aws:s3express ARNs under rules of its own, which s3lint does not
// model.
func DirectoryBucketName(name String) bool { return strings.HasSuffix(name.V, "--x-s3") }
