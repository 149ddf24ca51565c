package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// S3L032 finds deliveries (access logs, trails, flow logs …) whose bucket
// does not let the delivering service write.
var S3L032 = &Def{
	M: Meta{
		ID:        "S3L032",
		Name:      "delivery-grant-missing",
		Title:     "an AWS service configured to write into a bucket is not allowed to",
		Severity:  Error,
		Since:     "0.2.0",
		Default:   true,
		Precision: "high",
		Tags:      []string{"logging", "bucket-policy", "acl", "delivery"},
		Doc: `Several AWS features write objects into a bucket of yours as an AWS service, not as one of your
roles. Each needs the destination bucket to let it in — a bucket policy statement for its service
principal, or an ACL grant — and without it the configuration fails at apply or the logs silently
never arrive:

| Feature (Terraform / CloudFormation) | Writer | What the bucket needs | Without it |
|---|---|---|---|
| S3 server access logging (` + "`aws_s3_bucket_logging`" + `, ` + "`LoggingConfiguration`" + `) | ` + "`logging.s3.amazonaws.com`" + ` | ` + "`s3:PutObject`" + ` on the target prefix in the bucket policy, or (ACLs enabled) the Log Delivery group's WRITE grant | no logs |
| CloudTrail (` + "`aws_cloudtrail`" + `, ` + "`AWS::CloudTrail::Trail`" + `) | ` + "`cloudtrail.amazonaws.com`" + ` | ` + "`s3:GetBucketAcl`" + ` on the bucket, ` + "`s3:PutObject`" + ` on ` + "`[prefix/]AWSLogs/ACCOUNT/*`" + ` with ` + "`s3:x-amz-acl = bucket-owner-full-control`" + ` | CreateTrail fails (InsufficientS3BucketPolicyException) |
| ALB and Classic LB access logs (` + "`aws_lb`" + `/` + "`aws_elb`" + ` ` + "`access_logs`" + `, ` + "`access_logs.s3.*`" + ` attributes, ` + "`AccessLoggingPolicy`" + `) | ` + "`logdelivery.elasticloadbalancing.amazonaws.com`" + `, or the ELB account of the region | ` + "`s3:PutObject`" + ` on ` + "`[prefix/]AWSLogs/ACCOUNT/*`" + ` | the attribute change fails: Access Denied for bucket |
| NLB access logs, VPC flow logs to S3 (` + "`aws_flow_log`" + `, ` + "`AWS::EC2::FlowLog`" + `); in Terraform also Route 53 Resolver query logs, Network Firewall logs and MSK broker logs to S3 | ` + "`delivery.logs.amazonaws.com`" + ` | ` + "`s3:GetBucketAcl`" + ` on the bucket, ` + "`s3:PutObject`" + ` on ` + "`[prefix/]AWSLogs/ACCOUNT/*`" + ` with ` + "`bucket-owner-full-control`" + ` | no logs |
| AWS Config with its service-linked role (` + "`aws_config_delivery_channel`" + `, ` + "`AWS::Config::DeliveryChannel`" + `) | ` + "`config.amazonaws.com`" + ` | ` + "`s3:GetBucketAcl`" + `, ` + "`s3:PutObject`" + ` on ` + "`[prefix/]AWSLogs/ACCOUNT/Config/*`" + ` with ` + "`bucket-owner-full-control`" + ` | PutDeliveryChannel fails (InsufficientDeliveryPolicyException) |
| AWS WAF logs (` + "`aws_wafv2_web_acl_logging_configuration`" + `, ` + "`AWS::WAFv2::LoggingConfiguration`" + `) | ` + "`delivery.logs.amazonaws.com`" + ` | a bucket whose name starts with ` + "`aws-waf-logs-`" + `, and the statements of flow logs | the logging configuration cannot be created |
| CloudFront standard logs (` + "`logging_config`" + `, ` + "`Logging`" + `) | the awslogsdelivery account, through the bucket ACL | ACLs enabled: object ownership other than BucketOwnerEnforced | the distribution cannot be created or updated |
| S3 Inventory and S3 analytics exports (` + "`aws_s3_bucket_inventory`" + `, ` + "`aws_s3_bucket_analytics_configuration`" + `, ` + "`InventoryConfigurations`" + `, ` + "`AnalyticsConfigurations`" + `) | ` + "`s3.amazonaws.com`" + ` | ` + "`s3:PutObject`" + ` on the destination prefix, with ` + "`aws:SourceArn`" + ` the source bucket and ` + "`s3:x-amz-acl = bucket-owner-full-control`" + ` | no reports |

The rule asks the engine whether each of those requests is allowed, as the service makes it
(with ` + "`aws:SourceArn`" + ` and ` + "`aws:SourceAccount`" + ` where they are known, so statements that test them are
honoured), and reports at the argument that names the destination bucket when the bucket policy
and ACLs definitely refuse it. For load balancers it accepts either writer; it names the ELB
account of another region when that is what the policy grants (the accounts differ by region, and
regions opened since August 2022 accept only the service principal).

S3 server access logs also need the destination bucket in the source bucket's own account and
region, and load balancers a bucket in their own region; a destination of another known account
or region is reported (regions are known from Terraform providers and the AWS provider 6
` + "`region`" + ` argument).

It stays silent when the bucket is not in the configuration, when the answer depends on values
not known before deployment (an unknown prefix, account or region, a condition on a key the
service's request may or may not carry), and in these cases where AWS's behaviour is uncertain or
forgiving:

- ALB and CLB logs into a bucket whose policy grants ` + "`delivery.logs.amazonaws.com`" + ` (as the console's
  policies did for a while): whether that alone works is not documented, so it counts as a grant.
- delivery.logs.amazonaws.com (flow logs, NLB logs) into a bucket with no bucket policy in the
  configuration: AWS adds the statements itself when whoever creates the delivery may change the
  bucket policy. It appends them to an existing policy too, but a Terraform bucket policy that
  lacks them puts the declared document back on every apply that sees the drift, and the logs
  stop: that case is a warning. A CloudFormation stack rewrites its bucket policy only when the
  policy resource changes, so templates are not checked for these deliveries.
- organization trails: they also write under ` + "`AWSLogs/<organization ID>/`" + `, which the configuration
  rarely names, and which paths CreateTrail checks for them is not documented; only
  ` + "`s3:GetBucketAcl`" + ` is checked.
- AWS Config delivery channels whose recorder uses a role of the account, or a role not known:
  Config then writes with that role's IAM policies and needs no bucket policy in the same
  account. With Config's service-linked role (` + "`AWSServiceRoleForConfig`" + `) it writes as
  ` + "`config.amazonaws.com`" + `, needs ` + "`s3:GetBucketAcl`" + ` and ` + "`s3:PutObject`" + ` on
  ` + "`[prefix/]AWSLogs/ACCOUNT/Config/*`" + `, and creating the channel fails without them
  (InsufficientDeliveryPolicyException): that case is checked.

Bad:

` + "```hcl" + `
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id   # the bucket has no policy for cloudtrail.amazonaws.com
}
` + "```" + `

Good:

` + "```hcl" + `
data "aws_iam_policy_document" "trail" {
  statement {
    principals { type = "Service", identifiers = ["cloudtrail.amazonaws.com"] }
    actions    = ["s3:GetBucketAcl"]
    resources  = [aws_s3_bucket.trail.arn]
  }
  statement {
    principals { type = "Service", identifiers = ["cloudtrail.amazonaws.com"] }
    actions    = ["s3:PutObject"]
    resources  = ["${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }
}
` + "```" + `

Fix: add the statement the service needs to the destination bucket's policy (the table above), or
for CloudFront standard logs enable ACLs on the bucket (object ownership BucketOwnerPreferred).`,
	},
	Run: runS3L032,
}

func runS3L032(p *Pass) error {
	eng := p.Engine()
	for _, d := range p.Graph.Deliveries {
		if d.WAF && wafNameRefused(p, d) {
			continue
		}
		b := d.Bucket
		if b == nil {
			continue
		}
		if what := sameRegionRequired(d); what != "" && d.Region != "" && b.Region != "" && d.Region != b.Region {
			p.Report(Finding{Range: d.BucketRef.Range, Resource: d.Address,
				Message: fmt.Sprintf("%s go to %s in %s, but %s %s, so enabling them fails; use a bucket in %s",
					d.What, b.Address, b.Region, what, d.Region, d.Region),
				Related: []Related{{Range: b.Range, Message: "destination bucket " + b.Address}}})
			continue
		}
		if d.Kind == graph.ServerAccessLogs {
			if same, known := d.Account.SameAs(b.Account); known && !same {
				p.Report(Finding{Range: d.BucketRef.Range, Resource: d.Address,
					Message: fmt.Sprintf("%s go to %s of account %s, but S3 delivers server access logs only to a bucket of the source bucket's own account (%s), "+
						"so the logging configuration is refused; log to a bucket of account %s", d.What, b.Address, b.Account, d.Account, d.Account),
					Related: []Related{{Range: b.Range, Message: "destination bucket " + b.Address}}})
				continue
			}
		}
		switch d.Kind {
		case graph.CloudFrontLogs:
			if own := b.ObjectOwnership(); own.Is(graph.BucketOwnerEnforced) {
				p.Report(Finding{Range: d.BucketRef.Range, Resource: d.Address,
					Message: fmt.Sprintf("%s go to %s, whose object ownership is BucketOwnerEnforced (%s), so ACLs are disabled; "+
						"CloudFront writes standard logs through an ACL grant and refuses the bucket (\"The S3 bucket that you specified for CloudFront logs does not enable ACL access\"); "+
						"set object ownership to BucketOwnerPreferred", d.What, b.Address, ownershipOrigin(own)),
					Related: []Related{{Range: own.Range, Message: "object ownership of " + b.Address}}})
			}
			continue
		case graph.VendedLogs:
			if len(b.Policies) == 0 || d.Format == graph.CloudFormation {
				// AWS adds the statements it needs itself, to the policy
				// in place; a stack puts its own policy back only when
				// the policy resource changes.
				continue
			}
		case graph.ELBAccessLogs:
			checkELB(p, eng, d, b)
			continue
		}
		ws, ok := writes(d, policy.BucketARNOf(b))
		if !ok {
			continue
		}
		var denied []deliveryWrite
		var decs []policy.Decision
		for _, w := range ws {
			dec := eng.Decide(policy.Request{Caller: w.caller, Action: w.action, Resource: w.resource, Context: w.ctx})
			if dec.Outcome.Denied() {
				denied, decs = append(denied, w), append(decs, dec)
			}
		}
		if len(denied) > 0 {
			f := deliveryFinding(d, b, denied, decs, "")
			if d.Kind == graph.VendedLogs {
				// The logs flow until the configuration's policy is
				// applied again.
				f.Severity = Warning
			}
			p.Report(f)
		}
	}
	return nil
}

// checkELB asks for the load balancer's writes as the service principal
// and, where the region is known and has one, as the region's ELB account:
// either suffices.
func checkELB(p *Pass, eng *policy.Engine, d *graph.Delivery, b *graph.Bucket) {
	acct, ok := accountOf(d)
	if !ok {
		return
	}
	svc, ok := logWrite(d, policy.Caller{Kind: policy.CallerService, Service: d.Kind.Service()}, policy.BucketARNOf(b),
		"AWSLogs/"+acct+"/", "elasticloadbalancing/<region>/<log file>", true, policy.Context{})
	if !ok {
		return
	}
	res := svc.resource
	dec := eng.Decide(policy.Request{Caller: svc.caller, Action: svc.action, Resource: svc.resource, Context: svc.ctx})
	if !dec.Outcome.Denied() {
		return
	}
	// Policies the console wrote for a while also granted
	// delivery.logs.amazonaws.com (as for NLB logs); whether that alone lets
	// an ALB or CLB write is not documented, so it counts as a grant.
	vended := policy.Context{}
	vended.Set("s3:x-amz-acl", "bucket-owner-full-control")
	if alt := eng.Decide(policy.Request{Caller: policy.Caller{Kind: policy.CallerService, Service: graph.VendedLogs.Service()},
		Action: "s3:PutObject", Resource: res, Context: vended}); !alt.Outcome.Denied() {
		return
	}
	region := d.Region
	elb := graph.ELBAccount(region)
	switch {
	case region == "":
		// The ELB account is that of a region not known before
		// deployment. It is never the bucket owner's account, so without
		// a bucket policy or ACL grants nothing can let it in.
		if len(b.Policies) > 0 || len(b.ACLs) > 0 {
			return
		}
	case elb != "":
		c := policy.Caller{Kind: policy.CallerRoot, Account: graph.Account(elb), ARN: "arn:" + policy.PartitionOf(region) + ":iam::" + elb + ":root"}
		alt := eng.Decide(policy.Request{Caller: c, Action: "s3:PutObject", Resource: res, Context: policy.Context{}})
		if !alt.Outcome.Denied() {
			return
		}
	}
	note := ""
	switch granted := policyELBAccounts(b); {
	case len(granted) > 0 && elb != "":
		var names []string
		for _, id := range granted {
			names = append(names, id+" ("+graph.ELBRegion(id)+")")
		}
		note = fmt.Sprintf("; the bucket policy grants the ELB account of another region, %s, but the load balancer deploys to %s, whose ELB account is %s", strings.Join(names, ", "), region, elb)
	case elb == "":
		note = fmt.Sprintf("; %s has no ELB account, only the service principal works there", region)
	}
	p.Report(deliveryFinding(d, b, []deliveryWrite{svc}, []policy.Decision{dec}, note))
}

// deliveryFinding words refused delivery writes.
func deliveryFinding(d *graph.Delivery, b *graph.Bucket, ws []deliveryWrite, decs []policy.Decision, note string) Finding {
	writer := ws[0].caller.Service
	consequence := "so the logs are never delivered"
	switch d.Kind {
	case graph.CloudTrailLogs:
		consequence = "so creating the trail fails with InsufficientS3BucketPolicyException"
	case graph.ELBAccessLogs:
		consequence = "so enabling access logs fails (\"Access Denied for bucket\") and the apply stops"
		writer = "logdelivery.elasticloadbalancing.amazonaws.com (or the region's ELB account)"
	case graph.ConfigSnapshots:
		consequence = "so creating the delivery channel fails with InsufficientDeliveryPolicyException"
	case graph.S3Reports:
		consequence = "so the reports are never delivered"
	case graph.VendedLogs:
		consequence = "so the logs stop: AWS appends the statements it needs when the delivery is created, " +
			"but the configuration's bucket policy replaces them whenever it is applied"
	}
	explicit := false
	var needs []string
	for i, w := range ws {
		explicit = explicit || decs[i].Outcome == policy.ExplicitDeny
		needs = append(needs, w.action+" on "+policy.Display(w.grant))
	}
	pronoun := "it"
	if len(ws) > 1 {
		pronoun = "them"
	}
	why := policyRefusal(b, pronoun)
	switch {
	case explicit:
		why = "a Deny of its bucket policy refuses it"
	case len(b.Policies) == 0 && d.Kind == graph.ServerAccessLogs && !logDeliveryACL(b):
		if len(b.MaybePolicies) == 0 {
			why += " and no ACL grant to the Log Delivery group"
		} else {
			why += ", nor does an ACL grant to the Log Delivery group"
		}
	}
	if d.Kind == graph.ServerAccessLogs && logDeliveryACL(b) && b.ObjectOwnership().Is(graph.BucketOwnerEnforced) {
		why += "; its ACL grant to the Log Delivery group has no effect, since object ownership BucketOwnerEnforced (" +
			ownershipOrigin(b.ObjectOwnership()) + ") disables ACLs"
	}
	fix := deliveryFixHint(d, ws)
	if explicit {
		// Allowing it again does not help.
		fix = "exempt " + writer + " from the Deny"
	}
	f := Finding{Range: d.BucketRef.Range, Resource: d.Address,
		Message: fmt.Sprintf("%s are written to %s by %s, which needs %s, but %s, %s%s; %s",
			d.What, b.Address, writer, strings.Join(needs, " and "), why, consequence, note, fix)}
	decidingRelated(&f, decs, Related{Range: b.Range, Message: "destination bucket " + b.Address})
	return f
}

// deliveryFixHint says what to add to the bucket policy.
func deliveryFixHint(d *graph.Delivery, ws []deliveryWrite) string {
	var actions []string
	for _, w := range ws {
		actions = append(actions, w.action)
	}
	acts := strings.Join(actions, " and ")
	switch d.Kind {
	case graph.ServerAccessLogs:
		return "allow s3:PutObject to the service principal logging.s3.amazonaws.com on the target prefix in the bucket policy"
	case graph.ELBAccessLogs:
		return "allow s3:PutObject to the service principal logdelivery.elasticloadbalancing.amazonaws.com on that resource in the bucket policy"
	case graph.CloudTrailLogs, graph.VendedLogs, graph.ConfigSnapshots:
		hint := "allow " + acts + " to the service principal " + ws[0].caller.Service + " in the bucket policy"
		for _, w := range ws {
			if w.action == "s3:PutObject" {
				hint += " (s3:PutObject with the condition s3:x-amz-acl = bucket-owner-full-control)"
			}
		}
		return hint
	case graph.S3Reports:
		return "allow s3:PutObject to the service principal s3.amazonaws.com on the destination prefix in the bucket policy, " +
			"with the conditions aws:SourceArn = the source bucket's ARN, aws:SourceAccount = its account and s3:x-amz-acl = bucket-owner-full-control"
	}
	return "grant it in the bucket policy"
}

// ownershipOrigin says whether the ownership is written or AWS's default.
func ownershipOrigin(own graph.String) string {
	if own.Origin == graph.Default {
		return "the default for new buckets since April 2023"
	}
	return "as configured"
}

// wafNameRefused reports a WAF logging destination whose bucket name lacks
// the aws-waf-logs- prefix that AWS WAF requires of S3 destinations.
func wafNameRefused(p *Pass, d *graph.Delivery) bool {
	name := d.BucketRef
	if d.Bucket != nil && d.Bucket.Name.Known() && d.Bucket.Name.V != "" {
		name = d.Bucket.Name
	}
	if !name.Known() || name.V == "" || graph.HasSymbol(name.V) || strings.HasPrefix(name.V, "aws-waf-logs-") {
		return false
	}
	f := Finding{Range: d.BucketRef.Range, Resource: d.Address,
		Message: fmt.Sprintf("%s go to bucket %s, but AWS WAF delivers logs only to buckets whose names start with aws-waf-logs-, "+
			"so creating the logging configuration fails (WAFInvalidParameterException); log to a bucket named aws-waf-logs-%s or similar", d.What, name.V, name.V)}
	if d.Bucket != nil {
		f.Related = []Related{{Range: d.Bucket.Name.Range, Message: "name of " + d.Bucket.Address}}
	}
	p.Report(f)
	return true
}

// logDeliveryACL reports whether the bucket's ACLs grant the Log Delivery
// group (the log-delivery-write canned ACL or an explicit grant).
func logDeliveryACL(b *graph.Bucket) bool {
	for _, acl := range b.ACLs {
		if acl.Canned.Is("log-delivery-write") {
			return true
		}
		for _, g := range acl.Grants {
			if g.URI.Is(aclLogDelivery) {
				return true
			}
		}
	}
	return false
}

// sameRegionRequired says, for deliveries that AWS makes only into a bucket
// of the source's own region, who requires it; "" for the others (trails,
// CloudFront, flow logs, WAF and Config may deliver across regions, or are
// not documented to be bound).
func sameRegionRequired(d *graph.Delivery) string {
	switch {
	case d.Kind == graph.ServerAccessLogs:
		return "S3 delivers server access logs only to a bucket in the source bucket's region,"
	case d.Kind == graph.ELBAccessLogs,
		d.Kind == graph.VendedLogs && (d.Type == "aws_lb" || d.Type == "aws_alb" || d.Type == "AWS::ElasticLoadBalancingV2::LoadBalancer"):
		return "Elastic Load Balancing writes access logs only to a bucket in the load balancer's region,"
	}
	return ""
}
