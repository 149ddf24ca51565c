package terraform

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/s3lint/s3lint/graph"
)

// Deliveries: the resources that make an AWS service write into a bucket.
// Each is read into a graph.Delivery naming its destination bucket, linked
// by reference here or by name after every root is loaded.

// delivery reads the delivery a resource configures, if any.
func (a *adapter) delivery(ri *resInstance) {
	body := ri.body
	switch ri.decl.typ {
	case "aws_s3_bucket_logging":
		src := a.str(body, "bucket")
		d := a.newDelivery(ri, graph.ServerAccessLogs, "S3 server access logs of "+ri.addr)
		d.SourceARN = a.bucketARN(ri, src)
		a.destination(d, ri, body, "target_bucket", "target_prefix")
	case "aws_cloudtrail":
		d := a.newDelivery(ri, graph.CloudTrailLogs, "logs of trail "+ri.addr)
		d.Organization = a.boolArg(body, "is_organization_trail", false, d.Range)
		d.KeyRef = a.strArg(body, "kms_key_id", "", d.Range)
		a.linkKey(d, ri, body.attr("kms_key_id"))
		if name := a.str(body, "name"); name.Known() && ri.prov.region != "" && ri.prov.account != "" {
			d.SourceARN = graph.StringOf("arn:"+ri.prov.partition+":cloudtrail:"+ri.prov.region+":"+string(ri.prov.account)+":trail/"+name.V, name.Range)
		}
		a.destination(d, ri, body, "s3_bucket_name", "s3_key_prefix")
	case "aws_lb", "aws_alb":
		logs := body.block("access_logs")
		if logs == nil || !a.boolArg(logs, "enabled", false, a.l.rng(logs.rng)).IsTrue() {
			// The provider's default: access logs off even with a bucket.
			return
		}
		typ := a.strArg(body, "load_balancer_type", "application", a.l.rng(body.rng))
		switch {
		case !typ.Known():
			return
		case typ.V == "application":
			d := a.newDelivery(ri, graph.ELBAccessLogs, "access logs of "+ri.addr)
			a.destination(d, ri, logs, "bucket", "prefix")
		case typ.V == "network":
			d := a.newDelivery(ri, graph.VendedLogs, "access logs of "+ri.addr)
			a.destination(d, ri, logs, "bucket", "prefix")
		}
	case "aws_elb":
		logs := body.block("access_logs")
		if logs == nil || !a.boolArg(logs, "enabled", true, a.l.rng(logs.rng)).IsTrue() {
			return
		}
		d := a.newDelivery(ri, graph.ELBAccessLogs, "access logs of "+ri.addr)
		a.destination(d, ri, logs, "bucket", "bucket_prefix")
	case "aws_flow_log":
		typ := a.strArg(body, "log_destination_type", "cloud-watch-logs", a.l.rng(body.rng))
		if !typ.Is("s3") {
			return
		}
		d := a.newDelivery(ri, graph.VendedLogs, "VPC flow logs of "+ri.addr)
		a.destination(d, ri, body, "log_destination", "")
	case "aws_route53_resolver_query_log_config":
		// The destination is a bucket, a log group or a Firehose stream.
		if dest := a.str(body, "destination_arn"); !dest.Known() || !graph.IsS3ARN(dest.V) {
			return
		}
		d := a.newDelivery(ri, graph.VendedLogs, "Route 53 Resolver query logs of "+ri.addr)
		a.destination(d, ri, body, "destination_arn", "")
	case "aws_msk_cluster":
		s3 := body.block("logging_info").block("broker_logs").block("s3")
		if s3 == nil || !a.boolArg(s3, "enabled", false, a.l.rng(s3.rng)).IsTrue() {
			return
		}
		d := a.newDelivery(ri, graph.VendedLogs, "MSK broker logs of "+ri.addr)
		a.destination(d, ri, s3, "bucket", "prefix")
	case "aws_networkfirewall_logging_configuration":
		lc := body.block("logging_configuration")
		if lc == nil {
			// Absent, or misspelled: nothing is logged.
			return
		}
		for _, dc := range lc.blocks["log_destination_config"] {
			if !a.str(dc, "log_destination_type").Is("S3") {
				continue
			}
			at := dc.attr("log_destination")
			if at == nil {
				continue
			}
			what := "Network Firewall logs of " + ri.addr
			if typ := a.str(dc, "log_type"); typ.Known() && typ.V != "" {
				what = "Network Firewall " + strings.ToLower(typ.V) + " logs of " + ri.addr
			}
			d := a.newDelivery(ri, graph.VendedLogs, what)
			a.mapDestination(d, ri, at, "bucketName", "prefix")
		}
	case "aws_config_delivery_channel":
		d := a.newDelivery(ri, graph.ConfigSnapshots, "AWS Config snapshots of "+ri.addr)
		d.KeyRef = a.strArg(body, "s3_kms_key_arn", "", d.Range)
		a.linkKey(d, ri, body.attr("s3_kms_key_arn"))
		d.RoleARN = graph.StringUnknown(d.Range)
		a.destination(d, ri, body, "s3_bucket_name", "s3_key_prefix")
		// The recorder of the same module names the role Config writes
		// with.
		in := ri.in
		a.links = append(a.links, func() {
			// After the recorders' own links.
			a.links = append(a.links, func() {
				if role, ok := a.recorders[in]; ok {
					d.RoleARN = role
				}
			})
		})
	case "aws_config_configuration_recorder":
		if a.recorders == nil {
			a.recorders = map[*instance]graph.String{}
		}
		if _, dup := a.recorders[ri.in]; dup {
			return
		}
		role := a.str(body, "role_arn")
		a.recorders[ri.in] = role
		at := body.attr("role_arn")
		a.links = append(a.links, func() {
			// A reference to aws_iam_service_linked_role is Config's
			// service-linked role, whose ARN AWS assigns.
			if t := a.refTarget(ri, at); t != nil && t.decl.typ == "aws_iam_service_linked_role" && !role.Known() {
				acct := string(ri.prov.account)
				if acct == "" {
					acct = "<account>"
				}
				a.recorders[ri.in] = graph.StringOf("arn:"+ri.prov.partition+":iam::"+acct+":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", role.Range)
			}
		})
	case "aws_wafv2_web_acl_logging_configuration":
		at := body.attr("log_destination_configs")
		if at == nil {
			return
		}
		// One destination: a log group, a Firehose stream or a bucket.
		var first hcl.Expression
		r := a.l.rng(at.attr.Expr.Range())
		if tup, ok := at.attr.Expr.(*hclsyntax.TupleConsExpr); ok && len(tup.Exprs) == 1 {
			first = tup.Exprs[0]
			r = a.l.rng(first.Range())
		}
		ref := graph.StringUnknown(r)
		if v := at.val; v.IsKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == 1 {
			// The one element, of a list, tuple or set.
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			if s, ok := asString(e); ok {
				if !graph.IsS3ARN(s) {
					return
				}
				ref = graph.StringOf(s, r)
			}
		}
		d := a.newDelivery(ri, graph.VendedLogs, "AWS WAF logs of "+ri.addr)
		d.WAF = true
		d.BucketRef, d.Prefix = graph.DestinationParts(ref)
		if first != nil {
			sub := &attrValue{attr: &hcl.Attribute{Name: at.attr.Name, Expr: first, Range: first.Range(), NameRange: at.attr.NameRange}}
			a.links = append(a.links, func() {
				if b, ok := a.entities[a.refTarget(ri, sub)].(*graph.Bucket); ok {
					d.Bucket = b
				}
			})
		}
	case "aws_s3_bucket_inventory":
		if !a.boolArg(body, "enabled", true, a.l.rng(body.rng)).IsTrue() {
			return // disabled, or not known to be enabled
		}
		if dest := body.block("destination").block("bucket"); dest != nil {
			d := a.newDelivery(ri, graph.S3Reports, "S3 Inventory reports of "+ri.addr)
			d.SourceARN = a.bucketARN(ri, a.str(body, "bucket"))
			a.destination(d, ri, dest, "bucket_arn", "prefix")
			// Reports encrypted with a KMS key: S3 itself uses it.
			if kms := dest.block("encryption").block("sse_kms"); kms != nil {
				d.KeyRef = a.strArg(kms, "key_id", "", a.l.rng(kms.rng))
				a.linkKey(d, ri, setArg(kms, "key_id"))
			}
		}
	case "aws_s3_bucket_analytics_configuration":
		dest := body.block("storage_class_analysis").block("data_export").block("destination").block("s3_bucket_destination")
		if dest != nil {
			d := a.newDelivery(ri, graph.S3Reports, "S3 analytics exports of "+ri.addr)
			d.SourceARN = a.bucketARN(ri, a.str(body, "bucket"))
			a.destination(d, ri, dest, "bucket_arn", "prefix")
		}
	case "aws_s3_bucket_replication_configuration":
		a.replication(ri, body, a.bucketARN(ri, a.str(body, "bucket")), "rule", false)
	case "aws_cloudfront_distribution":
		a.origins(ri)
		logs := body.block("logging_config")
		if logs == nil {
			return
		}
		d := a.newDelivery(ri, graph.CloudFrontLogs, "standard logs of "+ri.addr)
		a.destination(d, ri, logs, "bucket", "prefix")
	}
}

// origins reads the S3 origins a distribution reads through origin access
// control (origin_access_control_id set to anything but "") or through an
// origin access identity (s3_origin_config's origin_access_identity). An
// origin with neither reads as anyone would.
func (a *adapter) origins(ri *resInstance) {
	// The origin groups each origin is a member of: a behavior that
	// targets a group sends requests to its members.
	groups := map[string][]string{}
	var anyMember []string // groups whose members are not all known
	for _, g := range ri.body.blocks["origin_group"] {
		id := a.str(g, "origin_id")
		if !id.Known() {
			continue // a behavior can target it only by a value not known either
		}
		for _, m := range g.blocks["member"] {
			if member := a.str(m, "origin_id"); member.Known() {
				groups[member.V] = append(groups[member.V], id.V)
			} else {
				anyMember = append(anyMember, id.V)
			}
		}
	}
	for _, o := range ri.body.blocks["origin"] {
		if at := o.attr("origin_access_control_id"); at != nil && !at.val.IsNull() {
			s, known := asString(at.val)
			switch {
			case !known && !a.refersTo(ri, at, "aws_cloudfront_origin_access_control"):
				continue // which way the origin signs is not known
			case !known || s != "":
				d := a.oacOrigin(ri, o)
				d.ViewerHTTP = a.viewerHTTP(ri, a.str(o, "origin_id"))
				continue
			}
			// "" is no origin access control: an identity may be used.
		}
		cfg := o.block("s3_origin_config")
		if cfg == nil {
			continue
		}
		path := a.str(cfg, "origin_access_identity")
		origin := a.str(o, "origin_id")
		if path.Known() && path.V == "" {
			// Neither access control nor an identity: CloudFront's
			// requests are anonymous.
			d := a.newDelivery(ri, graph.CloudFrontAnonymous, graph.OriginWhat(originID(o), ri.addr))
			a.destination(d, ri, o, "domain_name", "origin_path")
			d.ViewerHTTP = a.viewerHTTP(ri, origin)
			d.EdgeCode = a.edgeOriginCode(ri, origin, append(groups[origin.V], anyMember...))
			continue
		}
		identity := graph.StringUnknown(path.Range)
		if id, ok := graph.OAIFromPath(path.V); ok && path.Known() {
			identity = graph.StringOf(graph.OAIARN(ri.prov.partition, id), path.Range)
		} else if path.Known() {
			continue // not an identity's path: AWS rejects it
		}
		d := a.newDelivery(ri, graph.CloudFrontOAI, graph.OriginWhat(originID(o), ri.addr))
		d.Identity = identity
		a.destination(d, ri, o, "domain_name", "origin_path")
		d.ViewerHTTP = a.viewerHTTP(ri, origin)
		d.EdgeCode = a.edgeOriginCode(ri, origin, append(groups[origin.V], anyMember...))
	}
}

// refersTo reports whether an argument refers to a resource of the type
// (its ID, say), rather than to a value that may or may not be one.
func (a *adapter) refersTo(ri *resInstance, at *attrValue, typ string) bool {
	target := a.refTarget(ri, at)
	return target != nil && target.decl.mode == "resource" && target.decl.typ == typ
}

// oacOrigin is the delivery of an origin read through origin access
// control.
func (a *adapter) oacOrigin(ri *resInstance, o *bodyContent) *graph.Delivery {
	d := a.newDelivery(ri, graph.CloudFrontOAC, graph.OriginWhat(originID(o), ri.addr))
	d.SourceARN = a.synthesized(ri, "arn")
	a.destination(d, ri, o, "domain_name", "origin_path")
	return d
}

// edgeOriginCode reports whether a cache behavior that targets the origin,
// one of the origin groups it is a member of, or a target not known, runs
// Lambda@Edge on origin requests or on events not known.
func (a *adapter) edgeOriginCode(ri *resInstance, origin graph.String, groups []string) bool {
	var behaviors []*bodyContent
	behaviors = append(behaviors, ri.body.blocks["default_cache_behavior"]...)
	behaviors = append(behaviors, ri.body.blocks["ordered_cache_behavior"]...)
	for _, cb := range behaviors {
		if target := a.str(cb, "target_origin_id"); origin.Known() && target.Known() && target.V != origin.V && !slices.Contains(groups, target.V) {
			continue
		}
		for _, la := range cb.blocks["lambda_function_association"] {
			if ev := a.str(la, "event_type"); !ev.Known() || ev.V == "" || ev.V == "origin-request" {
				return true
			}
		}
	}
	return false
}

// viewerRequestCode reports whether a cache behavior runs a function or
// Lambda@Edge on viewer requests, which may redirect plain HTTP itself.
func viewerRequestCode(cb *bodyContent) bool {
	for _, typ := range []string{"function_association", "lambda_function_association"} {
		for _, fa := range cb.blocks[typ] {
			if ev := fa.attr("event_type"); ev == nil {
				return true
			} else if s, ok := asString(ev.val); !ok || s == "viewer-request" {
				return true
			}
		}
	}
	return false
}

// viewerHTTP is the viewer_protocol_policy "allow-all" of a cache behavior
// that targets the origin, or zero.
func (a *adapter) viewerHTTP(ri *resInstance, origin graph.String) graph.String {
	if !origin.Known() {
		return graph.String{}
	}
	var behaviors []*bodyContent
	behaviors = append(behaviors, ri.body.blocks["default_cache_behavior"]...)
	behaviors = append(behaviors, ri.body.blocks["ordered_cache_behavior"]...)
	for _, cb := range behaviors {
		if target := a.str(cb, "target_origin_id"); !target.Is(origin.V) || viewerRequestCode(cb) {
			continue
		}
		if vpp := a.str(cb, "viewer_protocol_policy"); vpp.Is("allow-all") {
			return vpp
		}
	}
	return graph.String{}
}

// originID is an origin's origin_id, or "" when it is not known.
func originID(o *bodyContent) string {
	if at := o.attr("origin_id"); at != nil {
		if s, ok := asString(at.val); ok {
			return s
		}
	}
	return ""
}

// replication reads the rules of a replication configuration (the
// resource's body, or aws_s3_bucket's deprecated replication_configuration
// block, whose rules are named "rules" and differ in a few arguments) of
// the bucket source: one delivery for each enabled rule.
func (a *adapter) replication(ri *resInstance, cfg *bodyContent, source graph.String, ruleBlock string, inline bool) {
	role := a.reqArg(cfg, "role", a.l.rng(cfg.rng))
	var made []*graph.Delivery
	for _, rule := range cfg.blocks[ruleBlock] {
		if !a.str(rule, "status").Is("Enabled") {
			continue // disabled, or not known to be enabled
		}
		dest := rule.block("destination")
		if dest == nil {
			continue
		}
		d := a.newDelivery(ri, graph.Replication, "replication rule "+graph.RuleName(a.str(rule, "id"), "id")+" of "+ri.addr)
		made = append(made, d)
		d.SourceARN, d.RoleARN = source, role
		a.destination(d, ri, dest, "bucket", "")
		// Objects under the filter's prefix (the rule's own prefix in
		// the older form) are replicated; tags narrow them further,
		// which s3lint does not need to know.
		d.Prefix = a.strArg(rule, "prefix", "", a.l.rng(rule.rng))
		if f := rule.block("filter"); f != nil {
			d.Prefix = a.strArg(f, "prefix", "", a.l.rng(f.rng))
			if and := f.block("and"); and != nil {
				d.Prefix = a.strArg(and, "prefix", "", a.l.rng(and.rng))
			}
		}
		switch {
		case rule.block("filter") == nil:
			// A rule without a filter is of the first version of the
			// replication configuration, which replicates delete markers.
			d.DeleteMarkers = true
		case inline:
			d.DeleteMarkers = a.str(rule, "delete_marker_replication_status").Is("Enabled")
		default:
			if dm := rule.block("delete_marker_replication"); dm != nil {
				d.DeleteMarkers = a.str(dm, "status").Is("Enabled")
			}
		}
		if act := dest.block("access_control_translation"); act != nil {
			d.OwnerOverride = a.str(act, "owner").Is("Destination")
		}
		// SSE-KMS objects are replicated only when the rule says so; their
		// replicas are encrypted with the replica key.
		if kms := rule.block("source_selection_criteria").block("sse_kms_encrypted_objects"); kms != nil {
			keyIn := dest.block("encryption_configuration")
			if inline {
				d.KMSObjects = a.boolArg(kms, "enabled", false, a.l.rng(kms.rng)).IsTrue()
				keyIn = dest
			} else {
				d.KMSObjects = a.str(kms, "status").Is("Enabled")
			}
			d.KeyRef = a.strArg(keyIn, "replica_kms_key_id", "", a.l.rng(dest.rng))
			a.linkKey(d, ri, setArg(keyIn, "replica_kms_key_id"))
		}
	}
	a.linkReplicationSource(ri, cfg, source, inline, made)
}

// linkReplicationSource gives the rules of a separate replication
// configuration whose source bucket's name is not known (a variable, a
// prefix) the ARN of the bucket its bucket argument refers to, symbolic:
// it is still that bucket.
func (a *adapter) linkReplicationSource(ri *resInstance, cfg *bodyContent, source graph.String, inline bool, made []*graph.Delivery) {
	at := cfg.attr("bucket")
	if source.Known() || inline || at == nil || len(made) == 0 {
		return
	}
	a.links = append(a.links, func() {
		if b, ok := a.entities[a.refTarget(ri, at)].(*graph.Bucket); ok && b.ARN.Known() {
			for _, d := range made {
				d.SourceARN = graph.StringOf(b.ARN.V, d.SourceARN.Range)
			}
		}
	})
}

// bucketLogging reads the deprecated logging block of aws_s3_bucket.
func (a *adapter) bucketLogging(ri *resInstance, b *graph.Bucket) {
	lb := ri.body.block("logging")
	if lb == nil {
		return
	}
	d := a.newDelivery(ri, graph.ServerAccessLogs, "S3 server access logs of "+ri.addr)
	d.SourceARN = b.ARN
	a.destination(d, ri, lb, "target_bucket", "target_prefix")
}

func (a *adapter) newDelivery(ri *resInstance, kind graph.DeliveryKind, what string) *graph.Delivery {
	d := &graph.Delivery{Entity: a.entity(ri), Kind: kind, What: what,
		SourceARN: graph.StringUnknown(a.l.rng(ri.decl.defRange))}
	a.l.g.Deliveries = append(a.l.g.Deliveries, d)
	return d
}

// destination reads the destination bucket and prefix of a delivery and
// links the bucket when the argument refers to one.
func (a *adapter) destination(d *graph.Delivery, ri *resInstance, body *bodyContent, bucketAttr, prefixAttr string) {
	ref := a.reqArg(body, bucketAttr, a.l.rng(body.rng))
	d.BucketRef, d.Prefix = graph.DestinationParts(ref)
	if prefixAttr != "" {
		d.Prefix = a.strArg(body, prefixAttr, "", a.l.rng(body.rng))
	}
	at := body.attr(bucketAttr)
	a.links = append(a.links, func() {
		if b, ok := a.entities[a.refTarget(ri, at)].(*graph.Bucket); ok {
			d.Bucket = b
		}
	})
}

// mapDestination reads the destination bucket and prefix of a delivery
// from a map argument ({ bucketName = …, prefix = … }), and links the
// bucket when its entry refers to one.
func (a *adapter) mapDestination(d *graph.Delivery, ri *resInstance, at *attrValue, bucketKey, prefixKey string) {
	r := a.l.rng(at.attr.Expr.Range())
	d.BucketRef, d.Prefix = graph.StringUnknown(r), graph.StringUnknown(r)
	// has reports whether the map or object has the key (false when that
	// is not known).
	has := func(v cty.Value, key string) bool {
		if v.Type().IsObjectType() {
			return v.Type().HasAttribute(key)
		}
		h := v.HasIndex(cty.StringVal(key))
		return h.IsKnown() && h.True()
	}
	get := func(v cty.Value, key string) cty.Value {
		if v.Type().IsObjectType() {
			return v.GetAttr(key)
		}
		return v.Index(cty.StringVal(key))
	}
	if v := at.val; v.IsKnown() && !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
		if !has(v, bucketKey) {
			return
		}
		if s, ok := asString(get(v, bucketKey)); ok {
			d.BucketRef = graph.StringOf(s, r)
		}
		d.Prefix = graph.StringDefault("", r)
		if has(v, prefixKey) {
			if s, ok := asString(get(v, prefixKey)); ok && !strings.HasPrefix(s, "/") {
				d.Prefix = graph.StringOf(s, r)
			} else {
				// How a leading slash shapes the keys is not documented.
				d.Prefix = graph.StringUnknown(r)
			}
		}
	}
	obj, ok := hcl.UnwrapExpression(at.attr.Expr).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return
	}
	for _, item := range obj.Items {
		key, _ := item.KeyExpr.Value(nil)
		if key.Type() != cty.String || !key.IsKnown() || key.IsNull() || key.AsString() != bucketKey {
			continue
		}
		sub := &attrValue{attr: &hcl.Attribute{Name: at.attr.Name, Expr: item.ValueExpr, Range: item.ValueExpr.Range(), NameRange: at.attr.NameRange}}
		d.BucketRef.Range = a.l.rng(item.ValueExpr.Range())
		a.links = append(a.links, func() {
			if b, ok := a.entities[a.refTarget(ri, sub)].(*graph.Bucket); ok {
				d.Bucket = b
			}
		})
	}
}

// linkKey links the KMS key a delivery encrypts with when the argument
// refers to a key of the configuration.
func (a *adapter) linkKey(d *graph.Delivery, ri *resInstance, at *attrValue) {
	if at == nil {
		return
	}
	a.links = append(a.links, func() {
		if k, ok := a.entities[a.refTarget(ri, at)].(*graph.Key); ok {
			d.Key = k
		}
	})
}

// bucketARN is the ARN of a bucket named by a located name.
func (a *adapter) bucketARN(ri *resInstance, name graph.String) graph.String {
	if !name.Known() || name.V == "" {
		return graph.StringUnknown(name.Range)
	}
	return graph.StringOf("arn:"+ri.prov.partition+":s3:::"+name.V, name.Range)
}
