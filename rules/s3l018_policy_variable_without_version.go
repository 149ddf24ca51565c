package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L018 finds IAM policy variables in policies whose Version makes them
// plain text.
var S3L018 = &Def{
	M: Meta{
		ID:        "S3L018",
		Name:      "policy-variable-without-version",
		Title:     "policy variable in a policy without version 2012-10-17",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"iam", "condition", "bucket-policy"},
		Doc: `IAM policy variables — ` + "`${aws:username}`" + `, ` + "`${aws:PrincipalTag/team}`" + `,
` + "`${aws:userid}`" + ` — exist only in policy language version 2012-10-17. A policy without a
Version element is read as the old version 2008-10-17, and so is one that says "2008-10-17": there
the variable is plain text, and a Resource such as ` + "`arn:aws:s3:::home/users/${aws:username}/*`" + `
names only keys that literally contain the text ` + "`${aws:username}`" + `. Every
user's request for their own folder gets 403 Access Denied, unless another statement allows it.
The same goes for a variable in a condition value (` + "`s3:prefix`" + ` with
` + "`home/${aws:username}/*`" + `).

The rule reports each Allow statement of such a policy (identity, bucket, access point, endpoint
or key policy) whose Resource, NotResource or condition values hold a policy variable, at the
first such value. In a Deny the variable is literal too, so the Deny refuses other requests than
the ones meant; it is reported as a warning. The fix is to add ` + "`\"Version\": \"2012-10-17\"`" + ` to the
policy document. (Terraform's ` + "`aws_iam_policy_document`" + ` writes that Version unless its
` + "`version`" + ` argument says otherwise; CDK always does; hand-written JSON, ` + "`jsonencode`" + ` and
CloudFormation policies often leave it out.)

Bad:

` + "```yaml" + `
PolicyDocument:
  Statement:                      # no Version: 2008-10-17
    - Effect: Allow
      Action: s3:GetObject
      Resource: !Sub "arn:aws:s3:::${Bucket}/home/${!aws:username}/*"
` + "```" + `

Good:

` + "```yaml" + `
PolicyDocument:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Action: s3:GetObject
      Resource: !Sub "arn:aws:s3:::${Bucket}/home/${!aws:username}/*"
` + "```",
	},
	Run: runS3L018,
}

func runS3L018(p *Pass) error {
	notTrust := func(k graph.PolicyKind) bool { return k != graph.TrustPolicy }
	eachStatement(p.Graph, notTrust, func(pol *graph.Policy, st *graph.Statement) {
		if !st.LiteralVariables || (!st.IsAllow() && !st.IsDeny()) {
			return
		}
		at, vars := firstVariable(st)
		if len(vars) == 0 {
			return
		}
		version := "has no Version, so IAM reads it as version 2008-10-17"
		fix := "add \"Version\": \"2012-10-17\" to the document"
		fixAt := pol.Doc.Range
		if v := pol.Doc.Version; v.Is("2008-10-17") {
			version, fix, fixAt = "says Version 2008-10-17", "make its Version \"2012-10-17\"", v.Range
		}
		if !fixAt.IsZero() {
			fix += " (" + fixAt.Short() + ")"
		}
		names := make([]string, len(vars))
		for i, v := range vars {
			names[i] = "${" + v + "}"
		}
		what := "this statement allows only keys and values that contain that text, and the requests it means get 403 Access Denied unless another statement allows them"
		sev := Error
		if st.IsDeny() {
			what = "this Deny refuses other requests than the ones it means"
			sev = Warning
		}
		p.Report(Finding{
			Range:    at,
			Resource: pol.Address,
			Severity: sev,
			Message: fmt.Sprintf("%s is plain text here, not a policy variable: the %s %s %s, which has no policy variables; %s; %s",
				strings.Join(names, ", "), pol.Kind, pol.Address, version, what, fix),
		})
	})
	return nil
}

// firstVariable finds the first value of a statement's Resource,
// NotResource or conditions that holds policy variables, and returns where
// it is and the variables (each once).
func firstVariable(st *graph.Statement) (graph.Range, []string) {
	var values []graph.String
	values = append(values, st.Resource.Items...)
	values = append(values, st.NotResource.Items...)
	for _, c := range st.Conditions {
		values = append(values, c.Values...)
	}
	for _, v := range values {
		if !v.Known() {
			continue
		}
		var out []string
		for _, name := range policy.Variables(v.V) {
			out = appendNew(out, name)
		}
		if len(out) > 0 {
			return v.Range, out
		}
	}
	return graph.Range{}, nil
}
