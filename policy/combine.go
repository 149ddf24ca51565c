package policy

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// accountsStep says how the sides were put together.
func (dc *decider) accountsStep(s3allow, restricted Truth) Step {
	c := &dc.req.Caller
	s := Step{Check: CheckAccounts}
	switch {
	case c.Kind == CallerAnonymous || c.Kind == CallerService:
		s.Detail = "for " + c.Label() + " only the bucket's own grants (policy or ACL) count"
	case c.Kind == CallerRoot && dc.same.T == Yes:
		s.Detail = "the root user of the bucket's account needs no Allow"
	case dc.same.T == Yes:
		s.Detail = "same account: an Allow in the identity policies or a bucket policy grant to the caller itself is enough"
	case dc.same.T == No:
		s.Detail = "cross-account: the caller's identity policies and the bucket's policy or ACL must both allow"
		if restricted.T == Yes {
			s.Detail += "; RestrictPublicBuckets ignores the bucket policy for callers outside the owner's account"
		}
	case s3allow.T == Yes:
		s.Detail = "the caller's identity policies and the bucket's grants both allow, which is enough in the same account and across accounts alike (whether it is the same account depends on " +
			strings.Join(dc.same.Why, ", ") + ")"
	default:
		s.Detail = "same or cross-account depends on " + strings.Join(dc.same.Why, ", ")
	}
	switch s3allow.T {
	case Yes:
		s.Status = Allowed
	case No:
		s.Status = Denied
	default:
		s.Status = Undecided
	}
	return s
}

// implicitDeciders records what failed to allow an implicitly denied
// request and the fix.
func (dc *decider) implicitDeciders(s3allow Truth, id, rp, ep, kms sideResult, restricted Truth) {
	d, req, b := dc.d, dc.req, dc.b
	c := &req.Caller
	act, res := req.Action, display(req.Resource)
	var fixes []string
	if dc.unpaid.T == Yes {
		// No policy can make S3 serve it; what else refuses it is listed
		// too, as turning Requester Pays off alone would not do.
		d.Deciding = append(d.Deciding, Location{Range: b.RequestPayment.Payer.Range, What: "Requester Pays of " + b.Address})
		fixes = append(fixes, "a Requester Pays bucket serves only signed requests that accept the charges (x-amz-request-payer: requester): "+
			"set the payer of "+b.Address+" back to BucketOwner, or have callers sign their requests")
	}
	if s3allow.T == No {
		bpa := d.Step(CheckBPA)
		switch {
		case bpa != nil && bpa.Status == Denied:
			d.Deciding = append(d.Deciding, dc.bpaBlocked...)
			fixes = append(fixes, "the public bucket policy is rejected by BlockPublicPolicy: turn BlockPublicPolicy off for "+b.Address+" (and make the policy depend on that change) or make the policy non-public")
		case restricted.T == Yes:
			d.Deciding = append(d.Deciding, dc.bpaRestricts...)
			fixes = append(fixes, "RestrictPublicBuckets cuts off callers outside the bucket's account while the policy is public: make the policy non-public (for example restrict it with aws:PrincipalOrgID or named principals) or turn RestrictPublicBuckets off")
		case dc.foreignObject().T == Yes:
			fixes = append(fixes, "the object belongs to another account: have writers upload with the bucket-owner-full-control ACL and set object ownership to BucketOwnerEnforced (or BucketOwnerPreferred)")
		case c.Kind == CallerAnonymous || c.Kind == CallerService:
			d.Deciding = append(d.Deciding, bucketWhere(dc)...)
			fixes = append(fixes, fmt.Sprintf("grant %s %s on %s in the bucket policy of %s", c.Label(), act, res, bucketName(dc)))
		case dc.same.T == Yes:
			d.Deciding = append(d.Deciding, id.where...)
			d.Deciding = append(d.Deciding, bucketWhere(dc)...)
			if id.boundary.T == No {
				fixes = append(fixes, fmt.Sprintf("the permissions boundary of %s does not allow %s: add it to the boundary", c.Label(), act))
			} else {
				fixes = append(fixes, fmt.Sprintf("allow %s on %s in an identity policy of %s, or grant it in the bucket policy of %s", act, res, c.Label(), bucketName(dc)))
			}
		default:
			idEff := id.allow.And(id.boundary)
			switch {
			case idEff.T == No && id.boundary.T == No:
				d.Deciding = append(d.Deciding, id.where...)
				fixes = append(fixes, fmt.Sprintf("the permissions boundary of %s does not allow %s: add it to the boundary (cross-account access needs the caller's own Allow)", c.Label(), act))
			case idEff.T == No:
				d.Deciding = append(d.Deciding, id.where...)
				fixes = append(fixes, fmt.Sprintf("allow %s on %s in an identity policy of %s (cross-account access needs the caller's own Allow)", act, res, c.Label()))
			}
			resAny := rp.allow
			if resAny.T == No || b == nil {
				d.Deciding = append(d.Deciding, bucketWhere(dc)...)
				who := c.Label() + " (or its account " + display(string(c.Account)) + ")"
				if c.Account == graph.OAIAccount {
					who = c.Label() // CloudFront's pseudo-account cannot be granted
				}
				fixes = append(fixes, fmt.Sprintf("grant %s %s on %s in the bucket policy of %s (cross-account access needs the bucket's Allow)", who, act, res, bucketName(dc)))
			}
		}
	}
	if ep.allow.T == No {
		d.Deciding = append(d.Deciding, ep.where...)
		fixes = append(fixes, fmt.Sprintf("allow %s on %s in the policy of the VPC endpoint %s", act, res, req.Endpoint.Address))
	}
	if kms.allow.T == No {
		d.Deciding = append(d.Deciding, kms.where...)
		acts := strings.Join(kmsActionsFor(req.Action, req.Multipart), " and ")
		if c.Kind == CallerAnonymous {
			// No key policy admits an unsigned request.
			fixes = append(fixes, "anonymous callers cannot use KMS: serve these objects through a signed path (CloudFront with origin access control) or use SSE-S3")
		} else if b != nil && b.Encryption != nil && b.Encryption.AWSManagedKey() {
			fixes = append(fixes, "encrypt the bucket with a customer-managed KMS key whose key policy admits "+c.Label())
		} else if kms.fix != "" {
			fixes = append(fixes, kms.fix)
		} else {
			fixes = append(fixes, fmt.Sprintf("allow %s %s in the key policy (or, when the key policy delegates to the account, in an identity policy of %s)", c.Label(), acts, c.Label()))
		}
	}
	d.Fix = strings.Join(fixes, "; ")
}

func bucketName(dc *decider) string {
	if dc.b != nil {
		return dc.b.Address
	}
	return "the bucket"
}

func bucketWhere(dc *decider) []Location {
	if dc.b == nil {
		return nil
	}
	if len(dc.b.Policies) > 0 {
		return policyLocations(dc.b)
	}
	return []Location{{Range: dc.b.Range, What: dc.b.Address + " (no bucket policy)"}}
}

// fix words the repair for explicit denies; implicit denies got theirs from
// implicitDeciders.
func (dc *decider) fix() {
	d := dc.d
	if d.Outcome != ExplicitDeny {
		if d.Outcome != ImplicitDeny {
			d.Fix = ""
		}
		return
	}
	var parts []string
	for _, r := range d.Denies {
		if r.Match.T != Yes || r.Statement == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("the Deny at %s in the %s %s matches: narrow it (for example exempt %s with ArnNotLike aws:PrincipalArn) or remove it",
			r.Statement.Range.Short(), r.Policy.Kind, r.Policy.Address, display(dc.req.Caller.ARN)))
		break
	}
	if s := d.Step(CheckMFA); s != nil && s.Status == Denied {
		parts = append(parts, "MFA delete lets only the root user with its MFA device delete versions or change versioning: turn MFA delete off if automation must do this")
	}
	if s := d.Step(CheckKMS); s != nil && s.Status == Denied && dc.b != nil && dc.b.Encryption.AWSManagedKey() {
		parts = append(parts, "encrypt the bucket with a customer-managed KMS key whose key policy admits the other account")
	}
	d.Fix = strings.Join(parts, "; ")
}
