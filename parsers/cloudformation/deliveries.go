package cloudformation

import (
	"slices"
	"strconv"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// Deliveries: the resources that make an AWS service write into a bucket.
// Each is read into a graph.Delivery naming its destination bucket, linked
// by Ref/GetAtt here or by name after every template is loaded. The region
// a stack deploys to is not known before deployment, so ARNs that hold it
// (a trail's) stay unknown.

// delivery reads the delivery a resource configures, if any.
func (a *adapter) delivery(r *resource) {
	switch r.typ {
	case "AWS::CloudTrail::Trail":
		d := a.newDelivery(r, graph.CloudTrailLogs, "logs of trail "+r.address())
		d.Organization = a.boolOf(a.evalProp(r.props, "IsOrganizationTrail"), "IsOrganizationTrail", graph.BoolDefault(false, r.keyRange))
		if n := r.prop("KMSKeyId"); n != nil {
			d.KeyRef = stringOf(a.e.eval(n))
			a.linkDeliveryKey(d, n)
		}
		a.destination(d, r.props, "S3BucketName", "S3KeyPrefix", r.keyRange)
	case "AWS::ElasticLoadBalancingV2::LoadBalancer":
		// Values by key, evaluated and as written (for Ref links).
		attrs, raw := map[string]*graph.Node{}, map[string]*graph.Node{}
		list := a.e.eval(r.prop("LoadBalancerAttributes"))
		if list == nil || list.Kind != graph.KindList {
			return
		}
		written := r.prop("LoadBalancerAttributes")
		for i, it := range list.List {
			k, v := a.evalProp(it, "Key"), a.evalProp(it, "Value")
			if k != nil && k.Kind == graph.KindString {
				attrs[k.Str] = v
				if written != nil && written.Kind == graph.KindList && len(written.List) == len(list.List) {
					raw[k.Str] = written.List[i].Get("Value")
				}
			}
		}
		if !a.boolOf(attrs["access_logs.s3.enabled"], "access_logs.s3.enabled", graph.BoolDefault(false, r.keyRange)).IsTrue() {
			return
		}
		typ := stringOf(a.evalProp(r.props, "Type"))
		if r.prop("Type") == nil {
			typ = graph.StringDefault("application", r.keyRange)
		}
		kind := graph.ELBAccessLogs
		switch {
		case typ.Is("network"):
			kind = graph.VendedLogs
		case !typ.Is("application"):
			return
		}
		d := a.newDelivery(r, kind, "access logs of "+r.address())
		d.BucketRef, _ = a.destinationName(attrs["access_logs.s3.bucket"], r.keyRange)
		d.Prefix = stringOrDefault(attrs["access_logs.s3.prefix"], r.keyRange)
		a.linkDeliveryBucket(d, raw["access_logs.s3.bucket"])
	case "AWS::ElasticLoadBalancing::LoadBalancer":
		pol := a.rawObject(r.props, "AccessLoggingPolicy")
		if pol == nil || !a.boolOf(a.evalProp(pol, "Enabled"), "Enabled", graph.BoolDefault(false, pol.Range)).IsTrue() {
			return
		}
		d := a.newDelivery(r, graph.ELBAccessLogs, "access logs of "+r.address())
		a.destination(d, pol, "S3BucketName", "S3BucketPrefix", pol.Range)
	case "AWS::EC2::FlowLog":
		if !stringOf(a.evalProp(r.props, "LogDestinationType")).Is("s3") {
			return
		}
		d := a.newDelivery(r, graph.VendedLogs, "VPC flow logs of "+r.address())
		a.destination(d, r.props, "LogDestination", "", r.keyRange)
	case "AWS::Config::DeliveryChannel":
		d := a.newDelivery(r, graph.ConfigSnapshots, "AWS Config snapshots of "+r.address())
		if n := r.prop("S3KmsKeyArn"); n != nil {
			d.KeyRef = stringOf(a.e.eval(n))
			a.linkDeliveryKey(d, n)
		}
		d.RoleARN = graph.StringUnknown(r.keyRange)
		// The recorder of the same template names the role Config writes
		// with.
		a.links = append(a.links, func() {
			for _, rr := range a.t.resources {
				if rr.typ == "AWS::Config::ConfigurationRecorder" {
					d.RoleARN = a.str(rr, "RoleARN")
					break
				}
			}
		})
		a.destination(d, r.props, "S3BucketName", "S3KeyPrefix", r.keyRange)
	case "AWS::WAFv2::LoggingConfiguration":
		list := r.prop("LogDestinationConfigs")
		if list == nil || list.Kind != graph.KindList || len(list.List) != 1 {
			return
		}
		dest := stringOf(a.e.eval(list.List[0]))
		if dest.Known() && !strings.HasPrefix(dest.V, "arn:aws:s3:") && !strings.Contains(dest.V, ":s3:::") {
			return
		}
		if !dest.Known() && refID(list.List[0]) == "" {
			if fn, _, ok := intrinsic(list.List[0]); !ok || fn != "Fn::Join" {
				return
			}
		}
		d := a.newDelivery(r, graph.VendedLogs, "AWS WAF logs of "+r.address())
		d.WAF = true
		d.BucketRef, d.Prefix = a.destinationName(a.e.eval(list.List[0]), list.List[0].Range)
		a.linkDeliveryBucket(d, list.List[0])
	case "AWS::CloudFront::Distribution":
		a.origins(r)
		logging := a.rawObject(a.rawObject(r.props, "DistributionConfig"), "Logging")
		if logging == nil {
			return
		}
		d := a.newDelivery(r, graph.CloudFrontLogs, "standard logs of "+r.address())
		a.destination(d, logging, "Bucket", "Prefix", logging.Range)
	}
}

// origins reads the S3 origins a distribution reads through origin access
// control (OriginAccessControlId set to anything but ""). An origin
// without it reads as anyone would, or through an origin access identity.
func (a *adapter) origins(r *resource) {
	cfg := a.rawObject(r.props, "DistributionConfig")
	if cfg == nil {
		return
	}
	origins := a.rawObjects(cfg, "Origins")
	if len(origins) == 0 {
		return
	}
	source := a.distributionARN(r)
	groups := a.originGroups(cfg)
	for _, o := range origins {
		name := ""
		if id := a.evalProp(o, "Id"); id != nil && id.Kind == graph.KindString {
			name = id.Str
		}
		switch oac, known := a.originAccessControl(o); {
		case !known:
			continue // which way the origin signs is not known
		case oac:
			d := a.newDelivery(r, graph.CloudFrontOAC, graph.OriginWhat(name, r.address()))
			d.SourceARN = source
			a.destination(d, o, "DomainName", "OriginPath", o.Range)
			d.ViewerHTTP = a.viewerHTTP(cfg, stringOf(a.evalProp(o, "Id")))
			continue
		}
		s3 := a.rawObject(o, "S3OriginConfig")
		if s3 == nil {
			continue
		}
		origin := stringOf(a.evalProp(o, "Id"))
		path := stringOrDefault(a.evalProp(s3, "OriginAccessIdentity"), s3.Range)
		if path.Known() && path.V == "" {
			// Neither access control nor an identity: CloudFront's
			// requests are anonymous.
			d := a.newDelivery(r, graph.CloudFrontAnonymous, graph.OriginWhat(name, r.address()))
			a.destination(d, o, "DomainName", "OriginPath", o.Range)
			d.ViewerHTTP = a.viewerHTTP(cfg, origin)
			d.EdgeCode = a.edgeOriginCode(cfg, origin, groups(origin))
			continue
		}
		identity := graph.StringUnknown(path.Range)
		if path.Known() {
			id, ok := graph.OAIFromPath(path.V)
			if !ok {
				continue // not an identity's path: CloudFront rejects it
			}
			if part := a.e.ref("AWS::Partition", path.Range); part.Kind == graph.KindString {
				identity = graph.StringOf(graph.OAIARN(part.Str, id), path.Range)
			}
		}
		d := a.newDelivery(r, graph.CloudFrontOAI, graph.OriginWhat(name, r.address()))
		d.Identity = identity
		a.destination(d, o, "DomainName", "OriginPath", o.Range)
		d.ViewerHTTP = a.viewerHTTP(cfg, origin)
		d.EdgeCode = a.edgeOriginCode(cfg, origin, groups(origin))
	}
}

// originAccessControl says whether an origin uses origin access control:
// an ID, or a reference to an origin access control of the template, is
// one; "" or no value (absent, AWS::NoValue) is none; anything else may be
// either (known is false).
func (a *adapter) originAccessControl(o *graph.Node) (oac, known bool) {
	raw := o.Get("OriginAccessControlId")
	if raw == nil {
		return false, true
	}
	v := a.evalProp(o, "OriginAccessControlId")
	switch {
	case v == nil || v.Kind == graph.KindNull:
		return false, true
	case v.Kind == graph.KindString:
		return v.Str != "", true
	}
	if res := a.t.byID[refID(raw)]; res != nil && res.typ == "AWS::CloudFront::OriginAccessControl" {
		return true, true
	}
	return false, false
}

// originGroups returns, for an origin ID, the IDs of the origin groups of
// the distribution configuration it may be a member of (a group whose
// members are not all known may hold any origin): a behavior that targets
// a group sends requests to its members.
func (a *adapter) originGroups(cfg *graph.Node) func(origin graph.String) []string {
	member := map[string][]string{}
	var anyMember []string
	items := a.evalProp(a.rawObject(cfg, "OriginGroups"), "Items")
	if items != nil && items.Kind == graph.KindList {
		for _, g := range items.List {
			id := stringOf(a.evalProp(g, "Id"))
			if !id.Known() {
				continue
			}
			ms := a.evalProp(a.rawObject(g, "Members"), "Items")
			if ms == nil || ms.Kind != graph.KindList {
				anyMember = append(anyMember, id.V)
				continue
			}
			for _, m := range ms.List {
				if o := stringOf(a.evalProp(m, "OriginId")); o.Known() {
					member[o.V] = append(member[o.V], id.V)
				} else {
					anyMember = append(anyMember, id.V)
				}
			}
		}
	}
	return func(origin graph.String) []string {
		return append(append([]string(nil), member[origin.V]...), anyMember...)
	}
}

// edgeOriginCode reports whether a cache behavior of the distribution
// configuration that targets the origin, one of its origin groups, or a
// target not known, runs Lambda@Edge on origin requests or on events not
// known.
func (a *adapter) edgeOriginCode(cfg *graph.Node, origin graph.String, groups []string) bool {
	behaviors := []*graph.Node{a.rawObject(cfg, "DefaultCacheBehavior")}
	if list := a.evalProp(cfg, "CacheBehaviors"); list != nil {
		if list.Kind != graph.KindList {
			return true
		}
		behaviors = append(behaviors, list.List...)
	}
	for _, cb := range behaviors {
		if cb == nil || cb.Kind != graph.KindObject {
			continue
		}
		if target := stringOf(a.evalProp(cb, "TargetOriginId")); origin.Known() && target.Known() && target.V != origin.V && !slices.Contains(groups, target.V) {
			continue
		}
		if a.runsCode(cb, "origin-request", "LambdaFunctionAssociations") {
			return true
		}
	}
	return false
}

// viewerRequestCode reports whether a cache behavior runs a function or
// Lambda@Edge on viewer requests, which may redirect plain HTTP itself.
func (a *adapter) viewerRequestCode(cb *graph.Node) bool {
	return a.runsCode(cb, "viewer-request", "FunctionAssociations", "LambdaFunctionAssociations")
}

// runsCode reports whether a cache behavior's associations (the
// properties) run code on the event, or on an event not known.
func (a *adapter) runsCode(cb *graph.Node, event string, props ...string) bool {
	for _, prop := range props {
		list := a.evalProp(cb, prop)
		if list == nil {
			continue
		}
		if list.Kind != graph.KindList {
			return true
		}
		for _, fa := range list.List {
			if ev := stringOf(a.evalProp(fa, "EventType")); !ev.Known() || ev.V == event {
				return true
			}
		}
	}
	return false
}

// viewerHTTP is the ViewerProtocolPolicy "allow-all" of a cache behavior
// of the distribution configuration that targets the origin, or zero.
func (a *adapter) viewerHTTP(cfg *graph.Node, origin graph.String) graph.String {
	if !origin.Known() {
		return graph.String{}
	}
	behaviors := []*graph.Node{a.rawObject(cfg, "DefaultCacheBehavior")}
	if list := a.evalProp(cfg, "CacheBehaviors"); list != nil && list.Kind == graph.KindList {
		behaviors = append(behaviors, list.List...)
	}
	for _, cb := range behaviors {
		if cb == nil || cb.Kind != graph.KindObject || !stringOf(a.evalProp(cb, "TargetOriginId")).Is(origin.V) || a.viewerRequestCode(cb) {
			continue
		}
		if vpp := stringOf(a.evalProp(cb, "ViewerProtocolPolicy")); vpp.Is("allow-all") {
			return vpp
		}
	}
	return graph.String{}
}

// distributionARN is the ARN of a distribution the template creates, with
// the symbol of its ID that Ref renders; unknown when the stack's account
// or partition is.
func (a *adapter) distributionARN(r *resource) graph.String {
	part, acct := a.e.ref("AWS::Partition", r.keyRange), a.e.ref("AWS::AccountId", r.keyRange)
	id := a.e.refResource(r, r.keyRange)
	if part.Kind != graph.KindString || acct.Kind != graph.KindString || id.Kind != graph.KindString {
		return graph.StringUnknown(r.keyRange)
	}
	return graph.StringOf("arn:"+part.Str+":cloudfront::"+acct.Str+":distribution/"+id.Str, r.keyRange)
}

// bucketLogging reads an AWS::S3::Bucket's LoggingConfiguration: without a
// DestinationBucketName the bucket logs into itself.
func (a *adapter) bucketLogging(r *resource, b *graph.Bucket) {
	cfg := a.rawObject(r.props, "LoggingConfiguration")
	if cfg == nil {
		return
	}
	d := a.newDelivery(r, graph.ServerAccessLogs, "S3 server access logs of "+r.address())
	d.SourceARN = b.ARN
	if cfg.Get("DestinationBucketName") == nil {
		d.Bucket, d.BucketRef = b, b.Name
		d.BucketRef.Range = cfg.Range
		d.Prefix = stringOrDefault(a.evalProp(cfg, "LogFilePrefix"), cfg.Range)
		return
	}
	a.destination(d, cfg, "DestinationBucketName", "LogFilePrefix", cfg.Range)
}

// replication reads an AWS::S3::Bucket's ReplicationConfiguration: one
// delivery for each enabled rule.
func (a *adapter) replication(r *resource, b *graph.Bucket) {
	cfg := a.rawObject(r.props, "ReplicationConfiguration")
	if cfg == nil {
		return
	}
	role := stringOf(a.evalProp(cfg, "Role"))
	for _, rule := range a.rawObjects(cfg, "Rules") {
		if !stringOf(a.evalProp(rule, "Status")).Is("Enabled") {
			continue // disabled, or not known to be enabled
		}
		dest := a.rawObject(rule, "Destination")
		if dest == nil {
			continue
		}
		name := "(Id not known)"
		if id := a.evalProp(rule, "Id"); id == nil {
			name = "without an Id"
		} else if id.Kind == graph.KindString {
			name = strconv.Quote(id.Str)
		}
		d := a.newDelivery(r, graph.Replication, "replication rule "+name+" of "+r.address())
		d.SourceARN, d.RoleARN = b.ARN, role
		a.destination(d, dest, "Bucket", "", dest.Range)
		// Objects under the filter's prefix (the rule's own prefix in the
		// older form) are replicated; tags narrow them further.
		d.Prefix = stringOrDefault(a.evalProp(rule, "Prefix"), rule.Range)
		// A rule without a filter is of the first version of the
		// replication configuration, which replicates delete markers.
		d.DeleteMarkers = rule.Get("Filter") == nil
		if f := a.rawObject(rule, "Filter"); f != nil {
			d.Prefix = stringOrDefault(a.evalProp(f, "Prefix"), f.Range)
			if and := a.rawObject(f, "And"); and != nil {
				d.Prefix = stringOrDefault(a.evalProp(and, "Prefix"), and.Range)
			}
		}
		if dm := a.rawObject(rule, "DeleteMarkerReplication"); dm != nil {
			d.DeleteMarkers = stringOf(a.evalProp(dm, "Status")).Is("Enabled")
		}
		if act := a.rawObject(dest, "AccessControlTranslation"); act != nil {
			d.OwnerOverride = stringOf(a.evalProp(act, "Owner")).Is("Destination")
		}
		if kms := a.rawObject(a.rawObject(rule, "SourceSelectionCriteria"), "SseKmsEncryptedObjects"); kms != nil {
			d.KMSObjects = stringOf(a.evalProp(kms, "Status")).Is("Enabled")
			if ec := a.rawObject(dest, "EncryptionConfiguration"); ec != nil {
				if n := ec.Get("ReplicaKmsKeyID"); n != nil {
					d.KeyRef = stringOf(a.e.eval(n))
					a.linkDeliveryKey(d, n)
				}
			}
		}
	}
}

// reports reads an AWS::S3::Bucket's S3 Inventory and S3 analytics export
// configurations: their destination buckets receive reports from
// s3.amazonaws.com.
func (a *adapter) reports(r *resource, b *graph.Bucket) {
	each := func(prop string, dest func(*graph.Node) *graph.Node, what string) {
		for _, c := range a.rawObjects(r.props, prop) {
			if prop == "InventoryConfigurations" {
				if !a.boolOf(a.evalProp(c, "Enabled"), "Enabled", graph.BoolUnknown(c.Range)).IsTrue() {
					continue // disabled, or not known to be enabled
				}
			}
			if to := dest(c); to != nil {
				d := a.newDelivery(r, graph.S3Reports, what+" of "+r.address())
				d.SourceARN = b.ARN
				a.destination(d, to, "BucketArn", "Prefix", to.Range)
			}
		}
	}
	if r.props == nil || r.props.Kind != graph.KindObject {
		return
	}
	each("InventoryConfigurations", func(c *graph.Node) *graph.Node { return a.rawObject(c, "Destination") }, "S3 Inventory reports")
	each("AnalyticsConfigurations", func(c *graph.Node) *graph.Node {
		return a.rawObject(a.rawObject(a.rawObject(c, "StorageClassAnalysis"), "DataExport"), "Destination")
	}, "S3 analytics exports")
}

func (a *adapter) newDelivery(r *resource, kind graph.DeliveryKind, what string) *graph.Delivery {
	d := &graph.Delivery{Entity: a.entity(r), Kind: kind, What: what, SourceARN: graph.StringUnknown(r.keyRange)}
	a.l.g.Deliveries = append(a.l.g.Deliveries, d)
	return d
}

// rawObjects is the objects of a list member of an object node, each as
// written (so that Ref and GetAtt in it can still be followed), or
// evaluated when an intrinsic builds it or the list; other elements are
// left out.
func (a *adapter) rawObjects(obj *graph.Node, name string) []*graph.Node {
	list := obj.Get(name)
	if _, _, ok := intrinsic(list); ok {
		list = a.e.eval(list)
	}
	if list == nil || list.Kind != graph.KindList {
		return nil
	}
	var out []*graph.Node
	for _, n := range list.List {
		if _, _, ok := intrinsic(n); ok {
			n = a.e.eval(n)
		}
		if n != nil && n.Kind == graph.KindObject {
			out = append(out, n)
		}
	}
	return out
}

// rawObject is a member of an object node as written when it is a plain
// mapping (so that Ref and GetAtt in it can still be followed), or its
// evaluated value when an intrinsic builds it; nil when absent or not a
// mapping.
func (a *adapter) rawObject(obj *graph.Node, name string) *graph.Node {
	if obj == nil || obj.Kind != graph.KindObject {
		return nil
	}
	n := obj.Get(name)
	if n == nil {
		return nil
	}
	if _, _, ok := intrinsic(n); ok {
		n = a.e.eval(n)
	}
	if n == nil || n.Kind != graph.KindObject {
		return nil
	}
	return n
}

// evalProp evaluates a member of an object node; nil when absent.
func (a *adapter) evalProp(obj *graph.Node, name string) *graph.Node {
	if obj == nil || obj.Kind != graph.KindObject {
		return nil
	}
	n := obj.Get(name)
	if n == nil {
		return nil
	}
	return a.e.eval(n)
}

// destination reads the destination bucket and prefix properties of a
// delivery.
func (a *adapter) destination(d *graph.Delivery, obj *graph.Node, bucketProp, prefixProp string, fb graph.Range) {
	v := a.evalProp(obj, bucketProp)
	d.BucketRef, d.Prefix = a.destinationName(v, fb)
	if fn, _, ok := intrinsic(obj.Get(bucketProp)); ok && fn == "Fn::ImportValue" {
		d.BucketSymbol = importedBucket(v)
	}
	if prefixProp != "" {
		d.Prefix = stringOrDefault(a.evalProp(obj, prefixProp), fb)
	}
	a.linkDeliveryBucket(d, obj.Get(bucketProp))
}

// destinationName reduces a destination value (a name, an ARN, a domain
// name) to the bucket name and the key prefix an ARN carries. A symbolic
// name is unknown: the bucket is linked by reference instead.
func (a *adapter) destinationName(n *graph.Node, fb graph.Range) (bucket, prefix graph.String) {
	if n == nil {
		return graph.DestinationParts(graph.StringUnknown(fb))
	}
	bucket, prefix = graph.DestinationParts(stringOf(n))
	if bucket.Known() && graph.HasSymbol(bucket.V) {
		bucket = graph.StringUnknown(bucket.Range)
	}
	return bucket, prefix
}

// importedBucket is the name symbol a destination value holds when it is
// the name of another template's bucket, imported: "" otherwise.
func importedBucket(n *graph.Node) string {
	if n == nil || n.Kind != graph.KindString {
		return ""
	}
	if name, _ := graph.BucketFromDestination(n.Str); graph.IsNameSymbol(name) {
		return name
	}
	return ""
}

func stringOrDefault(n *graph.Node, fb graph.Range) graph.String {
	if n == nil {
		return graph.StringDefault("", fb)
	}
	return stringOf(n)
}

// linkDeliveryBucket links the destination when the property refers to a
// bucket of the template (Ref, GetAtt, Sub).
func (a *adapter) linkDeliveryBucket(d *graph.Delivery, ref *graph.Node) {
	if ref == nil {
		return
	}
	id := refID(ref)
	if fn, arg, ok := intrinsic(ref); ok && fn == "Fn::Join" && id == "" {
		// [GetAtt B.Arn, "/prefix"] joined with "": a flow log's
		// destination as the CDK writes it.
		if arg.Kind == graph.KindList && len(arg.List) == 2 && arg.List[1].Kind == graph.KindList && len(arg.List[1].List) > 0 {
			id = refID(arg.List[1].List[0])
		}
	}
	if id == "" {
		id = arnOfRef(ref)
	}
	a.links = append(a.links, func() {
		if b, ok := a.byID[id].(*graph.Bucket); ok && d.Bucket == nil {
			d.Bucket = b
		}
	})
}

// arnOfRef is the logical ID X of a bucket ARN built from the bucket's
// name, as templates write it: !Sub "arn:${AWS::Partition}:s3:::${X}"
// (with or without a key prefix after it), or the same joined with "" from
// strings and Refs; "" for anything else.
func arnOfRef(n *graph.Node) string {
	fn, arg, ok := intrinsic(n)
	if !ok {
		return ""
	}
	var text string
	var vars *graph.Node // Sub's own variables, which shadow the template's
	switch fn {
	case "Fn::Sub":
		if arg.Kind == graph.KindList && len(arg.List) == 2 {
			arg, vars = arg.List[0], arg.List[1]
		}
		if arg.Kind != graph.KindString {
			return ""
		}
		text = arg.Str
	case "Fn::Join":
		if arg.Kind != graph.KindList || len(arg.List) != 2 || arg.List[0].Kind != graph.KindString || arg.List[0].Str != "" || arg.List[1].Kind != graph.KindList {
			return ""
		}
		var b strings.Builder
		for _, part := range arg.List[1].List {
			switch f, v, ok := intrinsic(part); {
			case part.Kind == graph.KindString:
				b.WriteString(part.Str)
			case ok && f == "Ref" && v.Kind == graph.KindString:
				b.WriteString("${" + v.Str + "}")
			default:
				b.WriteString("${?}")
			}
		}
		text = b.String()
	default:
		return ""
	}
	rest, ok := strings.CutPrefix(text, "arn:")
	if !ok {
		return ""
	}
	partition, rest, ok := strings.Cut(rest, ":s3:::${")
	if !ok || partition != "${AWS::Partition}" && (!strings.HasPrefix(partition, "aws") || strings.Contains(partition, ":")) {
		return ""
	}
	id, after, ok := strings.Cut(rest, "}")
	if !ok || id == "" || strings.ContainsAny(id, ".:?") || after != "" && !strings.HasPrefix(after, "/") || vars.Get(id) != nil {
		return ""
	}
	return id
}

// linkDeliveryKey links the key a trail encrypts with when the property
// refers to a key of the template.
func (a *adapter) linkDeliveryKey(d *graph.Delivery, ref *graph.Node) {
	a.links = append(a.links, func() {
		if k, ok := a.byID[refID(ref)].(*graph.Key); ok {
			d.Key = k
		}
	})
}
