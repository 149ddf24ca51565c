package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L013 finds s3: and kms: actions that match no real action.
var S3L013 = &Def{
	M: Meta{
		ID:        "S3L013",
		Name:      "unknown-action",
		Title:     "s3: or kms: action that does not exist",
		Severity:  Error,
		Since:     "0.1.0",
		Default:   true,
		Precision: "very-high",
		Tags:      []string{"iam", "action"},
		Doc: `IAM matches actions by name. An s3: or kms: action that AWS does not define — a typo
(s3:GetObjects), an API operation name used as if it were an action (s3:ListObjectsV2,
s3:HeadObject, s3:PutBucketEncryption), or a wildcard that matches nothing — grants or denies
nothing. IAM accepts such a policy, so the mistake shows up only as 403 Access Denied at run time;
S3 rejects a bucket policy containing it (MalformedPolicy: Policy has invalid action), so the
apply fails.

The rule checks Action and NotAction entries with the s3: and kms: prefixes against AWS's
Service Authorization Reference (embedded in s3lint) and suggests the closest real action, or
the action AWS actually checks for an API operation. It is an error when the mistake fails the
apply (bucket policies), denies more than meant (a Deny with NotAction), or leaves the intended
calls without a grant; a warning when the entry merely has no effect — for example s3:HeadObject
next to the s3:GetObject that already authorizes it, or kms:ReEncrypt in a key policy whose
statement for the same principal already allows kms:* — or when it weakens a Deny. Where the
resources are not known before deployment (bucket names from a variable without a value) and
another statement of the policy, for the same principals, names the suggested action on
resources it may apply to (not s3:ListBucket on objects only), whether
the intended calls are allowed cannot be told: the entry is then reported as a warning, dead
weight to remove, without predicting a 403. A policy
document kept in a JSON file of its own is attached to nothing s3lint can see, so it is rated
like an identity policy: whether S3 would reject it depends on where it ends up. Such a document
may also be written for an S3-compatible store, so the actions MinIO adds to its IAM
(s3:ListenBucketNotification, s3:ListenNotification) are not reported in it.

Bad:

` + "```hcl" + `
    actions = ["s3:ListObjectsV2", "s3:GetObjects"]
` + "```" + `

Good:

` + "```hcl" + `
    actions = ["s3:ListBucket", "s3:GetObject"]
` + "```" + `

Fix: use the IAM action name. Several API operations share one action: HeadObject and
SelectObjectContent need s3:GetObject; ListObjects and ListObjectsV2 need s3:ListBucket;
multipart uploads need s3:PutObject.

s3lint fix replaces the entry with the suggested action when the suggestion is a single action,
the statement does not already allow it, it suits the statement's resources (which must be
known, unless the action takes Resource "*"), the entry is a
plain string in the file, and the real action can only let through calls that fail today: in the
Action of an Allow or the NotAction of a Deny. In a Deny's Action or an Allow's NotAction it would
refuse calls that work today, and an entry that merely has no effect is for you to remove.`,
	},
	Run: runS3L013,
}

func runS3L013(p *Pass) error {
	eachStatement(p.Graph, nil, func(pol *graph.Policy, st *graph.Statement) {
		for _, el := range []struct {
			name string
			s    graph.Strings
		}{{"Action", st.Action}, {"NotAction", st.NotAction}} {
			for _, it := range el.s.Items {
				if !it.Known() {
					continue
				}
				svc, _, ok := strings.Cut(it.V, ":")
				if !ok || !policy.HasTable(svc) || len(policy.ExpandAction(it.V)) > 0 {
					continue
				}
				if pol.Kind == graph.StandalonePolicy && compatibleStoreAction[strings.ToLower(it.V)] {
					// A document on its own may be written for an
					// S3-compatible store whose IAM knows the action.
					continue
				}
				sev, msg := unknownAction(pol, st, el.name, it.V)
				p.Report(Finding{Range: it.Range, Resource: pol.Address, Severity: sev, Message: msg, Fix: safeFix(func() *Fix { return p.actionFix(pol, st, el.name, it) })})
			}
		}
	})
	return nil
}

// unknownAction words a finding for an action that does not exist, and
// rates it: an error when it fails the apply or denies what it meant to
// leave alone, or when what it meant to allow is not allowed anyway; a
// warning when it merely has no effect.
func unknownAction(pol *graph.Policy, st *graph.Statement, element, action string) (Severity, string) {
	what := "is not an action"
	if policy.HasWildcard(action) {
		what = "matches no action"
	}
	svc, _, _ := strings.Cut(action, ":")
	msg := fmt.Sprintf("%s %s of %s", action, what, serviceName(svc))
	suggestion := policy.SuggestAction(action)
	meant := "the actions it was meant to name"
	if suggestion != "" {
		meant = suggestion
	}
	sev := Error
	switch {
	case pol.Kind == graph.BucketPolicy:
		msg += ": S3 rejects the bucket policy (MalformedPolicy: Policy has invalid action) and the apply fails"
	case element == "NotAction" && st.IsDeny():
		msg += ": it excludes nothing, so this Deny also applies to " + meant + " and those calls get 403 Access Denied"
	case element == "NotAction":
		sev = Warning
		msg += ": it excludes nothing, so this statement allows more than intended"
	case st.IsDeny():
		sev = Warning
		msg += ": it denies nothing"
	default:
		if by := allowedElsewhere(pol, st, suggestion); by != "" {
			sev = Warning
			msg += fmt.Sprintf(": the entry has no effect (the calls it names are authorized by %s, which %s already allows); remove it", suggestion, by)
			return sev, msg
		}
		if suggestion != "" && namedBeside(pol, st, strings.Split(suggestion, " and ")) {
			// Whether the calls it was meant for fail depends on resources
			// not known before deployment: no 403 is certain.
			sev = Warning
			msg += fmt.Sprintf(": the entry has no effect, and another statement of this policy allows %s, on resources not known before deployment; remove it, or name %s where it is meant for other resources",
				suggestion, suggestion)
			return sev, msg
		}
		msg += ": it allows nothing, so the calls it was meant for get 403 Access Denied unless another policy allows " + meant
	}
	if suggestion != "" {
		msg += fmt.Sprintf("; did you mean %s?", suggestion)
		msg += resourceHint(st, suggestion)
	}
	return sev, msg
}

// allowedElsewhere reports which policy already allows every action of a
// suggestion ("s3:GetObject and s3:PutObject") on all of the statement's
// resources: this one, or another identity policy of the same principals.
// It answers "" when that cannot be shown.
func allowedElsewhere(pol *graph.Policy, st *graph.Statement, suggestion string) string {
	if suggestion == "" || !st.IsAllow() {
		return ""
	}
	if namesAll(st, strings.Split(suggestion, " and ")) {
		// The statement itself allows them, on its own resources,
		// whatever those are.
		return "this statement"
	}
	res, ok := knownResources(st)
	if !ok {
		return ""
	}
	if !identityLike(pol) {
		// In a resource policy another statement may name other
		// principals: only the statement itself counts, and those that
		// name the same principals (a key policy's kms:* for the
		// account beside a statement for the account's key users).
		if docAllows(&graph.Document{Statements: []*graph.Statement{st}}, st, suggestion, res) {
			return "this statement"
		}
		same := []*graph.Statement{st}
		if pol.Doc != nil {
			for _, o := range pol.Doc.Statements {
				if o != st && !o.Unknown && o.NotPrincipal == nil && samePrincipal(o.Principal, st.Principal) {
					same = append(same, o)
				}
			}
		}
		for _, action := range strings.Split(suggestion, " and ") {
			if !docAllows(&graph.Document{Statements: same}, st, action, res) {
				return ""
			}
		}
		return "this policy"
	}
	candidates := []*graph.Policy{pol}
	{
		for _, pr := range pol.Attached {
			candidates = append(candidates, pr.Policies...)
		}
	}
	for _, c := range candidates {
		if c.Doc == nil {
			continue
		}
		all := true
		for _, action := range strings.Split(suggestion, " and ") {
			if !docAllows(c.Doc, st, action, res) {
				all = false
				break
			}
		}
		if all {
			if c == pol {
				return "this policy"
			}
			return c.Address + " (" + c.DocRange.Short() + ")"
		}
	}
	return ""
}

// identityLike reports whether every statement of the policy applies to
// the same callers: an identity policy, or a stand-alone document without
// a Principal (which can only be attached as one).
func identityLike(pol *graph.Policy) bool {
	switch {
	case pol.Kind == graph.IdentityPolicy:
		return true
	case pol.Kind != graph.StandalonePolicy || pol.Doc == nil:
		return false
	}
	for _, st := range pol.Doc.Statements {
		if st.Unknown || st.Principal != nil || st.NotPrincipal != nil {
			return false
		}
	}
	return true
}

// docAllows reports whether a statement of doc allows action on every
// resource in res without conditions (or is the statement itself, whose
// conditions apply either way).
func docAllows(doc *graph.Document, self *graph.Statement, action string, res []graph.String) bool {
	for _, s := range doc.Statements {
		if s.Unknown || !s.IsAllow() || (len(s.Conditions) > 0 && s != self) || !s.Action.AllKnown() {
			continue
		}
		theirs, ok := knownResources(s)
		if !ok {
			continue
		}
		matches := false
		for _, it := range s.Action.Items {
			if policy.MatchAction(it.V, action) {
				matches = true
				break
			}
		}
		if !matches {
			continue
		}
		covered := true
		for _, r := range res {
			if !anyMatches(theirs, r.V) {
				covered = false
				break
			}
		}
		if covered {
			return true
		}
	}
	return false
}

func resourceIsStar(st *graph.Statement) bool {
	for _, r := range st.Resource.Items {
		if r.Is("*") {
			return true
		}
	}
	return false
}

func serviceName(svc string) string {
	switch strings.ToLower(svc) {
	case "s3":
		return "Amazon S3"
	case "kms":
		return "AWS KMS"
	}
	return svc
}

// namedBeside reports whether another Allow of the policy, for the same
// principals and under the same conditions (or none), names every one of
// actions while its resources or the statement's are not all known: it may
// allow what the statement's misspelt entry was meant for. A sibling none of
// whose resources can take some of the actions (s3:ListBucket on objects
// only) allows nothing of it.
func namedBeside(pol *graph.Policy, st *graph.Statement, actions []string) bool {
	if pol.Doc == nil {
		return false
	}
	_, known := knownResources(st)
	for _, o := range pol.Doc.Statements {
		if o == st || o.Unknown || !o.IsAllow() || o.NotAction.Present || o.NotPrincipal != nil || !samePrincipal(o.Principal, st.Principal) ||
			len(o.Conditions) > 0 && !sameConditions(o.Conditions, st.Conditions) || !namesAll(o, actions) {
			continue
		}
		_, theirs := knownResources(o)
		if (!known || !theirs) && mayTake(o, actions) {
			return true
		}
	}
	return false
}

// mayTake reports whether each action may apply to some Resource entry of
// the statement: an unknown entry may be anything.
func mayTake(st *graph.Statement, actions []string) bool {
	res, ok := siblingResources(st)
	if !ok {
		return false
	}
	for _, name := range actions {
		a := policy.LookupAction(name)
		if a == nil {
			return false
		}
		if !slices.ContainsFunc(res, func(r graph.String) bool {
			_, shaped := r.Shape()
			return !r.Known() && !shaped || a.CanApplyTo(kindPattern(r))
		}) {
			return false
		}
	}
	return true
}

// namesAll reports whether the statement's Action element names every one
// of the actions.
func namesAll(st *graph.Statement, actions []string) bool {
	for _, action := range actions {
		named := false
		for _, it := range st.Action.Items {
			if it.Known() && policy.MatchAction(it.V, action) {
				named = true
				break
			}
		}
		if !named {
			return false
		}
	}
	return true
}

// resourceHint adds what the suggested action needs when the statement's
// resources would not suit it: fixing the name alone would still fail.
func resourceHint(st *graph.Statement, suggestion string) string {
	a := policy.LookupAction(suggestion)
	if a == nil {
		return ""
	}
	if a.AppliesTo("*") && len(a.ResourceTypes) == 1 {
		if resourceIsStar(st) {
			return ""
		}
		return fmt.Sprintf(" (%s applies only to Resource \"*\")", suggestion)
	}
	res, ok := knownResources(st)
	if !ok || len(res) == 0 {
		return ""
	}
	for _, r := range res {
		if a.CanApplyTo(r.V) {
			return ""
		}
	}
	switch {
	case a.BucketLevel():
		return fmt.Sprintf(" (%s applies to the bucket ARN, which this statement does not name)", suggestion)
	case a.ObjectLevel():
		return fmt.Sprintf(" (%s applies to object ARNs such as arn:aws:s3:::BUCKET/*, which this statement does not name)", suggestion)
	}
	return ""
}

// actionFix replaces an action that does not exist with the one real
// action it certainly means: SuggestAction names exactly one, the
// statement does not name it already, it suits the statement's resources,
// and the entry is a literal string in the source. Only an Action of an
// Allow or a NotAction of a Deny is fixed, where the real action can only
// let through calls that fail today; in a Deny's Action or an Allow's
// NotAction it would refuse calls that work today.
func (p *Pass) actionFix(pol *graph.Policy, st *graph.Statement, element string, it graph.String) *Fix {
	widens := (element == "Action" && st.IsAllow()) || (element == "NotAction" && st.IsDeny())
	if !widens {
		return nil
	}
	suggestion := policy.SuggestAction(it.V)
	if it.Origin != graph.Explicit || suggestion == "" || strings.Contains(suggestion, " ") ||
		policy.LookupAction(suggestion) == nil || namesAll(st, []string{suggestion}) ||
		allowedElsewhere(pol, st, suggestion) != "" || resourceHint(st, suggestion) != "" || !suitsUnknown(st, suggestion) {
		return nil
	}
	el, ok := p.sourceElement(pol, it.Range)
	if !ok {
		return nil
	}
	var newText string
	switch el.syn {
	case synHCL:
		if inner, template, ok := hclString(el.text); ok && !template && inner == it.V {
			newText = `"` + suggestion + `"`
		}
	case synJSON:
		if jsonStringRE.MatchString(el.text) && el.text[1:len(el.text)-1] == it.V {
			newText = `"` + suggestion + `"`
		}
	case synYAML:
		if v, write, ok := yamlString(el.text); ok && v == it.V {
			newText = write(suggestion)
		}
	}
	if newText == "" {
		return nil
	}
	return newFix(el, fmt.Sprintf("replace %s with %s", it.V, suggestion), []Edit{{Range: it.Range, New: newText}})
}

// suitsUnknown reports whether the suggested action can be written into
// the statement without knowing its resources: they are known (resourceHint
// judged them), or the action takes no resource ("*"). Renaming an entry
// on resources not known before deployment may write a bucket action onto
// object ARNs.
func suitsUnknown(st *graph.Statement, suggestion string) bool {
	if _, ok := knownResources(st); ok {
		return true
	}
	a := policy.LookupAction(suggestion)
	return a != nil && a.AppliesTo("*") && len(a.ResourceTypes) == 1
}

// compatibleStoreAction are s3: actions that S3-compatible stores add to
// their IAM (MinIO's bucket notification listeners): in a stand-alone
// document, which may be written for such a store, they are no mistake.
var compatibleStoreAction = map[string]bool{
	"s3:listenbucketnotification": true,
	"s3:listennotification":       true,
}
