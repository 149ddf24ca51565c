package rules

import (
	"fmt"
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
the action AWS actually checks for an API operation.

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
multipart uploads need s3:PutObject.`,
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
				p.Report(Finding{Range: it.Range, Resource: pol.Address, Message: unknownActionMessage(pol, st, el.name, it.V)})
			}
		}
	})
	return nil
}

func unknownActionMessage(pol *graph.Policy, st *graph.Statement, element, action string) string {
	what := "is not an action"
	if policy.HasWildcard(action) {
		what = "matches no action"
	}
	svc, _, _ := strings.Cut(action, ":")
	msg := fmt.Sprintf("%s %s of %s", action, what, serviceName(svc))
	switch {
	case pol.Kind == graph.BucketPolicy:
		msg += ": S3 rejects the bucket policy (MalformedPolicy: Policy has invalid action) and the apply fails"
	case element == "NotAction":
		msg += ": it excludes nothing from this statement"
	case st.IsDeny():
		msg += ": it denies nothing"
	default:
		msg += ": it allows nothing, so the calls it was meant for get 403 Access Denied"
	}
	if s := policy.SuggestAction(action); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	return msg
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
