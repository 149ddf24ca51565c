package policy

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// AWS-managed policies that roles commonly carry, with the statements that
// matter for S3 and KMS (their published contents). A managed policy not
// listed here is unknown to the engine: it may allow anything, and the
// engine assumes it denies nothing, as AWS-managed policies do not.
var managedPolicies = map[string][]managedStatement{
	"AdministratorAccess": {{actions: []string{"*"}, resources: []string{"*"}}},
	"AmazonS3FullAccess":  {{actions: []string{"s3:*", "s3-object-lambda:*"}, resources: []string{"*"}}},
	"AmazonS3ReadOnlyAccess": {{actions: []string{"s3:Get*", "s3:List*", "s3:Describe*",
		"s3-object-lambda:Get*", "s3-object-lambda:List*"}, resources: []string{"*"}}},
	"PowerUserAccess": {{notActions: []string{"iam:*", "organizations:*", "account:*"}, resources: []string{"*"}}},
	// Execution roles: logs, networking and tracing only, nothing in S3.
	"service-role/AWSLambdaBasicExecutionRole": {{actions: []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}, resources: []string{"*"}}},
	"service-role/AWSLambdaVPCAccessExecutionRole": {{actions: []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
		"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
		"ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"}, resources: []string{"*"}}},
	"AWSXRayDaemonWriteAccess": {{actions: []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
		"xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"}, resources: []string{"*"}}},
}

type managedStatement struct {
	actions, notActions, resources []string
}

// managedPolicy returns a policy standing for an AWS-managed policy ARN
// (arn:PARTITION:iam::aws:policy/NAME), or nil when the ARN is not one the
// engine knows. The document has no source positions: it is not in the
// user's files.
func managedPolicy(arn string) *graph.Policy {
	_, name, ok := strings.Cut(arn, ":iam::aws:policy/")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return nil
	}
	sts, ok := managedPolicies[name]
	if !ok {
		return nil
	}
	doc := &graph.Document{}
	for i, s := range sts {
		st := &graph.Statement{Index: i, Effect: graph.StringOf("Allow", graph.Range{})}
		st.Action = stringsOf(s.actions)
		st.NotAction = stringsOf(s.notActions)
		st.Resource = stringsOf(s.resources)
		doc.Statements = append(doc.Statements, st)
	}
	return &graph.Policy{Entity: graph.Entity{Address: "AWS managed policy " + name}, Kind: graph.IdentityPolicy, Doc: doc,
		ARN: graph.StringOf(arn, graph.Range{})}
}

func stringsOf(items []string) graph.Strings {
	if items == nil {
		return graph.Strings{}
	}
	s := graph.Strings{Present: true}
	for _, it := range items {
		s.Items = append(s.Items, graph.StringOf(it, graph.Range{}))
	}
	return s
}
