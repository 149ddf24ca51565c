package tfplan

import (
	"slices"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Deliveries: the resources that make an AWS service write into a bucket,
// as the configuration loader reads them, from a plan's values. The
// destination is linked through the references the configuration records,
// or by name after every file is loaded.

// delivery reads the delivery a resource configures, if any; ok is false
// for resources of other types.
func (p *plan) delivery(r resourceNode) (ok bool) {
	top := p.top(r)
	switch r.typ {
	case "aws_s3_bucket_logging":
		d := p.newDelivery(r, graph.ServerAccessLogs, "S3 server access logs of "+r.addr)
		if src := p.str(r, "bucket"); src.Known() && src.V != "" {
			d.SourceARN = p.bucketARN(r, src)
		}
		p.destination(d, r, top, "target_bucket", "target_prefix", "")
	case "aws_cloudtrail":
		d := p.newDelivery(r, graph.CloudTrailLogs, "logs of trail "+r.addr)
		d.Organization = p.boolOf(top, "is_organization_trail", false)
		d.KeyRef = p.strOf(top, "kms_key_id", "")
		p.linkKey(d, r, "kms_key_id")
		pr := p.providerOf(r.addr)
		if name := p.str(r, "name"); name.Known() && pr.region != "" && pr.account != "" {
			d.SourceARN = graph.StringOf("arn:"+pr.partition+":cloudtrail:"+pr.region+":"+string(pr.account)+":trail/"+name.V, name.Range)
		}
		if arn := r.values.Get("arn"); arn != nil && arn.Kind == graph.KindString {
			d.SourceARN = arn.AsString()
		}
		p.destination(d, r, top, "s3_bucket_name", "s3_key_prefix", "")
	case "aws_lb", "aws_alb":
		logs := top.child("access_logs")
		if !logs.present() || !p.boolOf(logs, "enabled", false).IsTrue() {
			return true
		}
		kind := graph.ELBAccessLogs
		switch typ := p.strOf(top, "load_balancer_type", "application"); {
		case typ.Is("network"):
			kind = graph.VendedLogs
		case !typ.Is("application"):
			return true
		}
		d := p.newDelivery(r, kind, "access logs of "+r.addr)
		p.destination(d, r, logs, "bucket", "prefix", "access_logs.")
	case "aws_elb":
		logs := top.child("access_logs")
		if !logs.present() || !p.boolOf(logs, "enabled", true).IsTrue() {
			return true
		}
		d := p.newDelivery(r, graph.ELBAccessLogs, "access logs of "+r.addr)
		p.destination(d, r, logs, "bucket", "bucket_prefix", "access_logs.")
	case "aws_flow_log":
		if !p.strOf(top, "log_destination_type", "cloud-watch-logs").Is("s3") {
			return true
		}
		d := p.newDelivery(r, graph.VendedLogs, "VPC flow logs of "+r.addr)
		p.destination(d, r, top, "log_destination", "", "")
	case "aws_cloudfront_distribution":
		p.origins(r, top)
		logs := top.child("logging_config")
		if logs.vals == nil {
			return true
		}
		d := p.newDelivery(r, graph.CloudFrontLogs, "standard logs of "+r.addr)
		p.destination(d, r, logs, "bucket", "prefix", "logging_config.")
	case "aws_wafv2_web_acl_logging_configuration":
		list := r.values.Get("log_destination_configs")
		if list == nil || list.Kind != graph.KindList || len(list.List) != 1 {
			return true
		}
		dest := list.List[0].AsString()
		if dest.Known() && !strings.Contains(dest.V, ":s3:::") {
			return true
		}
		d := p.newDelivery(r, graph.VendedLogs, "AWS WAF logs of "+r.addr)
		d.WAF = true
		d.BucketRef, d.Prefix = graph.DestinationParts(dest)
		p.linkDestination(d, r, "log_destination_configs")
	case "aws_config_delivery_channel":
		d := p.newDelivery(r, graph.ConfigSnapshots, "AWS Config snapshots of "+r.addr)
		d.KeyRef = p.strOf(top, "s3_kms_key_arn", "")
		d.RoleARN = graph.StringUnknown(r.node.Range)
		p.links = append(p.links, func() {
			if k, ok := p.refTarget(r.addr, "s3_kms_key_arn").(*graph.Key); ok {
				d.Key = k
			}
			// The recorder of the same module names the role Config
			// writes with.
			if role, ok := p.recorders[modulePrefix(r.addr)]; ok {
				d.RoleARN = role
			}
		})
		p.destination(d, r, top, "s3_bucket_name", "s3_key_prefix", "")
	case "aws_s3_bucket_inventory":
		dest := top.child("destination").child("bucket")
		if !p.boolOf(top, "enabled", true).IsTrue() || dest.vals == nil {
			return true
		}
		d := p.newDelivery(r, graph.S3Reports, "S3 Inventory reports of "+r.addr)
		d.SourceARN = p.bucketARN(r, p.str(r, "bucket"))
		p.destination(d, r, dest, "bucket_arn", "prefix", "destination.bucket.")
		if kms := dest.child("encryption").child("sse_kms"); kms.vals != nil {
			d.KeyRef = p.strOf(kms, "key_id", "")
			p.linkKey(d, r, "destination.bucket.encryption.sse_kms.key_id")
		}
	case "aws_s3_bucket_analytics_configuration":
		dest := top.child("storage_class_analysis").child("data_export").child("destination").child("s3_bucket_destination")
		if dest.vals == nil {
			return true
		}
		d := p.newDelivery(r, graph.S3Reports, "S3 analytics exports of "+r.addr)
		d.SourceARN = p.bucketARN(r, p.str(r, "bucket"))
		p.destination(d, r, dest, "bucket_arn", "prefix", "storage_class_analysis.data_export.destination.s3_bucket_destination.")
	case "aws_route53_resolver_query_log_config":
		// A bucket created with the plan has its ARN only after apply:
		// the configuration's reference still names it (a log group or
		// stream it may name instead is no bucket, and links nothing).
		if dest := p.str(r, "destination_arn"); dest.Known() && !graph.IsS3ARN(dest.V) {
			return true
		}
		d := p.newDelivery(r, graph.VendedLogs, "Route 53 Resolver query logs of "+r.addr)
		p.destination(d, r, top, "destination_arn", "", "")
	case "aws_networkfirewall_logging_configuration":
		for _, dc := range top.child("logging_configuration").children("log_destination_config") {
			if !p.strOf(dc, "log_destination_type", "").Is("S3") {
				continue
			}
			dest := dc.child("log_destination") // a map: its values, as an object
			if dest.vals == nil {
				continue
			}
			what := "Network Firewall logs of " + r.addr
			if typ := p.strOf(dc, "log_type", ""); typ.Known() && typ.V != "" {
				what = "Network Firewall " + strings.ToLower(typ.V) + " logs of " + r.addr
			}
			d := p.newDelivery(r, graph.VendedLogs, what)
			d.BucketRef, _ = graph.DestinationParts(p.reqStr(dest, "bucketName"))
			d.Prefix = p.strOf(dest, "prefix", "")
			if d.Prefix.Known() && strings.HasPrefix(d.Prefix.V, "/") {
				// How a leading slash shapes the keys is not documented.
				d.Prefix = graph.StringUnknown(d.Prefix.Range)
			}
		}
	case "aws_msk_cluster":
		s3 := top.child("logging_info").child("broker_logs").child("s3")
		if s3.vals == nil || !p.boolOf(s3, "enabled", false).IsTrue() {
			return true
		}
		d := p.newDelivery(r, graph.VendedLogs, "MSK broker logs of "+r.addr)
		p.destination(d, r, s3, "bucket", "prefix", "logging_info.broker_logs.s3.")
	case "aws_s3_bucket_replication_configuration":
		p.replication(r, top)
	case "aws_config_configuration_recorder":
		if p.recorders == nil {
			p.recorders = map[string]graph.String{}
		}
		if _, dup := p.recorders[modulePrefix(r.addr)]; !dup {
			p.recorders[modulePrefix(r.addr)] = p.str(r, "role_arn")
		}
	default:
		return false
	}
	return true
}

// origins reads the S3 origins of a distribution read through origin
// access control or an origin access identity, as the configuration loader
// does. An ID that the plan knows only after apply (a control or identity
// created with it) leaves the origin alone.
func (p *plan) origins(r resourceNode, top block) {
	groups := map[string][]string{}
	var anyMember []string // groups whose members are not all known
	for _, g := range top.children("origin_group") {
		id := p.strOf(g, "origin_id", "")
		if !id.Known() {
			continue
		}
		for _, m := range g.children("member") {
			if o := p.strOf(m, "origin_id", ""); o.Known() {
				groups[o.V] = append(groups[o.V], id.V)
			} else {
				anyMember = append(anyMember, id.V)
			}
		}
	}
	behaviors := append(top.children("default_cache_behavior"), top.children("ordered_cache_behavior")...)
	origins := top.children("origin")
	for _, o := range origins {
		id := p.strOf(o, "origin_id", "")
		name := ""
		if id.Known() {
			name = id.V
		}
		var d *graph.Delivery
		oac := p.strOf(o, "origin_access_control_id", "")
		switch s3 := o.child("s3_origin_config"); {
		case !oac.Known():
			continue
		case oac.V != "":
			d = p.newDelivery(r, graph.CloudFrontOAC, graph.OriginWhat(name, r.addr))
			d.SourceARN = p.str(r, "arn")
		case s3.vals != nil && p.strOf(s3, "origin_access_identity", "").Is(""):
			// Neither access control nor an identity: CloudFront's
			// requests are anonymous.
			d = p.newDelivery(r, graph.CloudFrontAnonymous, graph.OriginWhat(name, r.addr))
			d.EdgeCode = p.edgeOriginCode(behaviors, id, append(groups[id.V], anyMember...))
		case s3.vals != nil:
			path := p.strOf(s3, "origin_access_identity", "")
			oai, ok := graph.OAIFromPath(path.V)
			if !path.Known() || !ok {
				continue
			}
			d = p.newDelivery(r, graph.CloudFrontOAI, graph.OriginWhat(name, r.addr))
			d.Identity = graph.StringOf(graph.OAIARN(p.providerOf(r.addr).partition, oai), path.Range)
			d.EdgeCode = p.edgeOriginCode(behaviors, id, append(groups[id.V], anyMember...))
		default:
			continue
		}
		d.BucketRef, _ = graph.DestinationParts(p.reqStr(o, "domain_name"))
		d.Prefix = p.strOf(o, "origin_path", "")
		if len(origins) == 1 {
			// The configuration's reference is the one origin's.
			p.linkDestination(d, r, "origin.domain_name")
		}
		d.ViewerHTTP = p.viewerHTTP(behaviors, id)
	}
}

// edgeOriginCode reports whether a cache behavior that targets the origin,
// one of its groups, or a target not known, runs Lambda@Edge on origin
// requests or on events not known.
func (p *plan) edgeOriginCode(behaviors []block, origin graph.String, groups []string) bool {
	for _, cb := range behaviors {
		if target := p.strOf(cb, "target_origin_id", ""); origin.Known() && target.Known() && target.V != origin.V && !slices.Contains(groups, target.V) {
			continue
		}
		if p.runsCode(cb, "origin-request", "lambda_function_association") {
			return true
		}
	}
	return false
}

// viewerHTTP is the viewer_protocol_policy "allow-all" of a cache behavior
// that targets the origin and runs no code on viewer requests, or zero.
func (p *plan) viewerHTTP(behaviors []block, origin graph.String) graph.String {
	if !origin.Known() {
		return graph.String{}
	}
	for _, cb := range behaviors {
		if !p.strOf(cb, "target_origin_id", "").Is(origin.V) || p.viewerRequestCode(cb) {
			continue
		}
		if vpp := p.strOf(cb, "viewer_protocol_policy", ""); vpp.Is("allow-all") {
			return vpp
		}
	}
	return graph.String{}
}

// viewerRequestCode reports whether a cache behavior runs a function or
// Lambda@Edge on viewer requests, which may redirect plain HTTP itself.
func (p *plan) viewerRequestCode(cb block) bool {
	return p.runsCode(cb, "viewer-request", "function_association", "lambda_function_association")
}

// runsCode reports whether a cache behavior's associations (the block
// types) run code on the event, or on an event not known.
func (p *plan) runsCode(cb block, event string, types ...string) bool {
	for _, typ := range types {
		for _, fa := range cb.children(typ) {
			if ev := p.strOf(fa, "event_type", ""); !ev.Known() || ev.V == "" || ev.V == event {
				return true
			}
		}
	}
	return false
}

// bucketARN is the ARN of the bucket with the name, unknown when the name
// is.
func (p *plan) bucketARN(r resourceNode, name graph.String) graph.String {
	if !name.Known() || name.V == "" {
		return graph.StringUnknown(name.Range)
	}
	return graph.StringOf("arn:"+p.providerOf(r.addr).partition+":s3:::"+name.V, name.Range)
}

// replication reads the enabled rules of an
// aws_s3_bucket_replication_configuration, as the configuration loader
// does: one delivery each, run as the configuration's role.
func (p *plan) replication(r resourceNode, top block) {
	role := p.str(r, "role")
	source := p.bucketARN(r, p.str(r, "bucket"))
	rules := top.children("rule")
	var made []*graph.Delivery
	for _, rule := range rules {
		if !p.strOf(rule, "status", "").Is("Enabled") {
			continue
		}
		dest := rule.child("destination")
		if dest.vals == nil {
			continue
		}
		d := p.newDelivery(r, graph.Replication, "replication rule "+graph.RuleName(p.strOf(rule, "id", ""), "id")+" of "+r.addr)
		made = append(made, d)
		d.SourceARN, d.RoleARN = source, role
		d.BucketRef, _ = graph.DestinationParts(p.reqStr(dest, "bucket"))
		if len(rules) == 1 {
			// The configuration's reference is the one rule's.
			p.linkDestination(d, r, "rule.destination.bucket")
		}
		d.Prefix = p.strOf(rule, "prefix", "")
		filter := rule.child("filter")
		switch {
		case filter.vals == nil:
			// No filter: the first version of the replication
			// configuration, which replicates delete markers.
			d.DeleteMarkers = true
		case filter.child("and").vals != nil:
			d.Prefix = p.strOf(filter.child("and"), "prefix", "")
		default:
			d.Prefix = p.strOf(filter, "prefix", "")
		}
		if filter.vals != nil {
			d.DeleteMarkers = p.strOf(rule.child("delete_marker_replication"), "status", "").Is("Enabled")
		}
		d.OwnerOverride = p.strOf(dest.child("access_control_translation"), "owner", "").Is("Destination")
		if kms := rule.child("source_selection_criteria").child("sse_kms_encrypted_objects"); kms.vals != nil {
			d.KMSObjects = p.strOf(kms, "status", "").Is("Enabled")
			d.KeyRef = p.strOf(dest.child("encryption_configuration"), "replica_kms_key_id", "")
			if len(rules) == 1 {
				// The configuration's reference is the one rule's.
				p.linkKey(d, r, "rule.destination.encryption_configuration.replica_kms_key_id")
			}
		}
	}
	if role.Known() || len(made) == 0 {
		return
	}
	// A role created with the plan has its ARN only after apply: the
	// configuration's reference names it.
	p.links = append(p.links, func() {
		pr, ok := p.refTarget(r.addr, "role").(*graph.Principal)
		if !ok {
			return
		}
		c, ok := policy.CallerFor(pr)
		if !ok {
			return
		}
		for _, d := range made {
			d.RoleARN = graph.StringOf(c.ARN, d.RoleARN.Range)
		}
	})
}

// bucketLogging reads the deprecated logging block of aws_s3_bucket.
func (p *plan) bucketLogging(r resourceNode, b *graph.Bucket) {
	if !p.declares(r, "logging") {
		return
	}
	logs := p.top(r).child("logging")
	if logs.vals == nil {
		return
	}
	d := p.newDelivery(r, graph.ServerAccessLogs, "S3 server access logs of "+r.addr)
	d.SourceARN = b.ARN
	p.destination(d, r, logs, "target_bucket", "target_prefix", "logging.")
}

func (p *plan) newDelivery(r resourceNode, kind graph.DeliveryKind, what string) *graph.Delivery {
	d := &graph.Delivery{Entity: p.entity(r), Kind: kind, What: what,
		SourceARN: graph.StringUnknown(r.node.Range)}
	p.l.g.Deliveries = append(p.l.g.Deliveries, d)
	return d
}

// destination reads the destination bucket and prefix of a delivery from a
// block of its values; path is the block's path among the configuration's
// expressions ("access_logs."), for the reference to the bucket.
func (p *plan) destination(d *graph.Delivery, r resourceNode, b block, bucketAttr, prefixAttr, path string) {
	d.BucketRef, d.Prefix = graph.DestinationParts(p.reqStr(b, bucketAttr))
	if prefixAttr != "" {
		d.Prefix = p.strOf(b, prefixAttr, "")
	}
	p.linkDestination(d, r, path+bucketAttr)
}

// linkDestination links the destination bucket through the configuration's
// reference.
// linkKey links the KMS key a delivery names by the configuration's
// reference: a key created with the plan has no ARN until apply.
func (p *plan) linkKey(d *graph.Delivery, r resourceNode, attr string) {
	p.links = append(p.links, func() {
		if k, ok := p.refTarget(r.addr, attr).(*graph.Key); ok && d.Key == nil {
			d.Key = k
		}
	})
}

func (p *plan) linkDestination(d *graph.Delivery, r resourceNode, attr string) {
	p.links = append(p.links, func() {
		if bk, ok := p.refTarget(r.addr, attr).(*graph.Bucket); ok && d.Bucket == nil {
			d.Bucket = bk
		}
	})
}

// modulePrefix is the module path of an instance address ("" for the root
// module), which keys the Config recorders.
func modulePrefix(addr string) string {
	prefix, _ := splitAddress(addr)
	return prefix
}
