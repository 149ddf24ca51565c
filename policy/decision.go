package policy

import (
	"slices"

	"github.com/s3lint/s3lint/graph"
)

// Outcome is the answer to "is this request allowed?".
type Outcome uint8

// The outcomes.
const (
	// Allow: some policy allows the request and nothing denies it.
	Allow Outcome = iota
	// ExplicitDeny: a Deny statement matches, or S3 refuses the request
	// whatever the policies say (MFA delete, the aws/s3 key across
	// accounts).
	ExplicitDeny
	// ImplicitDeny: nothing that is needed allows the request.
	ImplicitDeny
	// Unknown: the answer depends on values the configuration does not fix;
	// Decision.Why lists them.
	Unknown
)

func (o Outcome) String() string {
	return [...]string{"ALLOW", "EXPLICIT DENY", "IMPLICIT DENY", "UNKNOWN"}[o]
}

// Denied reports whether the outcome is a deny of either kind.
func (o Outcome) Denied() bool { return o == ExplicitDeny || o == ImplicitDeny }

// StepStatus is what one check of the checklist found.
type StepStatus uint8

// The step statuses.
const (
	NotInvolved StepStatus = iota
	Allowed
	Denied
	Undecided
	Noted // information that bears on the decision without deciding it
)

func (s StepStatus) String() string {
	return [...]string{"not involved", "allowed", "denied", "unknown", "note"}[s]
}

// Location is a place in the configuration that a step points at.
type Location struct {
	Range graph.Range
	What  string
}

// Step is one check of the checklist, in the order AWS applies them.
type Step struct {
	Check  string
	Status StepStatus
	Detail string
	Where  []Location
	// KeyRefusal, on a KMS step, says which side does not allow the use
	// of the key: RefusedByKeyPolicy when the key policy neither admits
	// the caller nor delegates to its account (for any action), else
	// RefusedByIdentity when it delegates or admits the account but the
	// caller's own policies do not allow; "" otherwise.
	KeyRefusal string
}

// The sides of a KMS refusal (Step.KeyRefusal).
const (
	RefusedByKeyPolicy = "key policy"
	RefusedByIdentity  = "identity policies"
)

// The checks, in order.
const (
	CheckCaller       = "caller"
	CheckBPA          = "Block Public Access"
	CheckIdentity     = "identity policies"
	CheckBucketPolicy = "bucket policy"
	CheckACL          = "ACLs and object ownership"
	CheckMFA          = "MFA delete"
	CheckEndpoint     = "VPC endpoint policy"
	CheckKMS          = "KMS key"
	CheckAccounts     = "accounts"
	// CheckConditions appears when template conditions change the answer.
	CheckConditions = "template conditions"
)

// maxSteps is the number of checks above: a decision has at most one step
// of each.
const maxSteps = 10

// Decision is the engine's answer with the trace that led to it.
type Decision struct {
	Request Request
	Bucket  *graph.Bucket // nil when the resource is not a bucket of the graph
	Outcome Outcome
	// Why lists the unknown inputs when Outcome is Unknown.
	Why   []string
	Steps []Step
	// Deciding are the statements and settings that decided the outcome:
	// the matching Deny, the Allows, or the policies that lack an Allow.
	Deciding []Location
	// Fix says how to turn a deny into an allow, when the outcome is a deny.
	Fix string
	// Refs are every statement that matched, for rules that need them.
	Allows, Denies []Ref
	// Cases holds the outcome under each assignment of the template
	// conditions when they change the answer (Outcome is then Unknown).
	Cases []Case
}

// Case is the outcome of a decision under fixed template conditions.
type Case struct {
	When    map[string]bool
	Outcome Outcome
}

// Label names the outcome for people. In AWS's words an explicit deny is a
// Deny statement that matches; a refusal that no Allow can lift but that no
// Deny statement writes (MFA delete, the AWS-managed key aws/s3 across
// accounts, a KMS-encrypted object or a Requester Pays bucket asked for
// without a signature) is
// labelled "DENY", so that nobody goes looking for a Deny or an Allow.
// Outcome keeps the kind for programs.
func (d *Decision) Label() string {
	denyStatement := slices.ContainsFunc(d.Denies, func(r Ref) bool { return r.Match.T == Yes })
	switch {
	case d.Outcome == ExplicitDeny && !denyStatement:
		return "DENY"
	case d.Outcome == ImplicitDeny && d.Request.Caller.Kind == CallerAnonymous:
		// KMS serves no unsigned request, whatever allows it, and neither
		// does a Requester Pays bucket.
		if s := d.Step(CheckKMS); s != nil && s.Status == Denied {
			return "DENY"
		}
		if s := d.Step(CheckCaller); s != nil && s.Status == Denied {
			return "DENY"
		}
	}
	return d.Outcome.String()
}

// Step returns the step of a check, or nil.
func (d *Decision) Step(check string) *Step {
	for i := range d.Steps {
		if d.Steps[i].Check == check {
			return &d.Steps[i]
		}
	}
	return nil
}
