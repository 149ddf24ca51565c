package terraform

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/terraform/funcs"
	"github.com/s3lint/s3lint/policy"
)

// providerInfo is what s3lint knows about a provider configuration: which
// account and region it deploys to.
type providerInfo struct {
	key       string        // "aws", "aws.prod", "module.legacy.aws"
	account   graph.Account // an ID, or a symbol when not stated
	region    string        // "" when unknown
	partition string
	// customS3 is where the provider sends S3 requests when its
	// endpoints block names one (MinIO, LocalStack, Ceph…): not AWS, whose
	// defaults and checks s3lint models. Zero otherwise.
	customS3 hcl.Range
}

// providerFor finds the provider configuration that a resource of this
// instance uses: the module's own configuration when it declares one (the
// legacy nested form Terraform still accepts), otherwise the one the call
// passes in its providers map, otherwise the caller's configuration of the
// same name, up to the root.
func (in *instance) providerFor(decl *resourceDecl) *providerInfo {
	local := decl.provider
	if local == "" {
		local, _, _ = strings.Cut(decl.typ, "_")
	}
	cur := in
	for cur.call != nil && cur.mod.providers[local] == nil {
		if mapped, ok := cur.call.providers[local]; ok {
			local = mapped
		}
		cur = cur.parent
	}
	return cur.providerConfig(local)
}

// providerConfig reads a provider configuration of this module instance:
// its region, and its account when allowed_account_ids names exactly one or
// an assume_role ARN shows it. Without a provider block it stands for the
// default configuration, whose account is symbolic.
func (in *instance) providerConfig(key string) *providerInfo {
	if p := in.providers[key]; p != nil {
		return p
	}
	name := in.address(key)
	if in.call == nil && in.mod.dir != "." {
		name += " in " + in.l.displayDir(in.mod.dir)
	}
	p := &providerInfo{key: in.address(key), account: graph.SymbolicAccount(name), partition: "aws"}
	in.providers[key] = p
	decl := in.mod.providers[key]
	if decl == nil {
		return p
	}
	ctx := in.evalContext(bodyTraversals(decl.body), nil)
	body := in.decodeBody(decl.body, providerSchema, ctx, decl.rng, decl.rng, nil, false)
	if a := body.attr("region"); a != nil && a.val.IsKnown() && !a.val.IsNull() && a.val.Type() == cty.String {
		p.region = a.val.AsString()
		p.partition = policy.PartitionOf(p.region)
	}
	if a := body.attr("allowed_account_ids"); a != nil {
		if ids := knownStrings(a.val); len(ids) == 1 && graph.Account(ids[0]).IsID() {
			p.account = graph.Account(ids[0])
		}
	}
	if ep := body.block("endpoints"); ep != nil {
		for _, name := range []string{"s3", "s3api"} { // s3api: the provider's other name for it
			if a := ep.attr(name); a != nil {
				if s, known := asString(a.val); !known && !a.val.IsNull() || known && policy.CustomEndpoint(s) {
					p.customS3 = a.attr.Range
				}
			}
		}
	}
	for _, blk := range []string{"assume_role", "assume_role_with_web_identity"} {
		if ar := body.block(blk); ar != nil && !p.account.IsID() {
			if a := ar.attr("role_arn"); a != nil && a.val.IsKnown() && !a.val.IsNull() && a.val.Type() == cty.String {
				if arn, ok := policy.ParseARN(a.val.AsString()); ok && graph.Account(arn.Account).IsID() {
					p.account = graph.Account(arn.Account)
				}
			}
		}
	}
	return p
}

var providerSchema = b("assume_role", leaf, "assume_role_with_web_identity", leaf, "default_tags", leaf, "endpoints", leaf)

// knownPartition is the partition the provider certainly deploys to: ""
// unless its region is written and recognized, for rules that compare
// partitions must not act on the "aws" assumed otherwise.
func (p *providerInfo) knownPartition() string {
	return policy.RegionPartition(p.region)
}

// knownStrings returns the known string elements of a list, set or tuple.
func knownStrings(v cty.Value) []string {
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsKnown() && !e.IsNull() && e.Type() == cty.String {
			out = append(out, e.AsString())
		}
	}
	return out
}

// str returns the attribute's value as a known string.
func (b *bodyContent) str(name string) (string, bool) {
	a := b.attr(name)
	if a == nil {
		return "", false
	}
	return asString(a.val)
}

// asString reads a known primitive value as a string, converting numbers
// and booleans as Terraform does for string arguments.
func asString(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() || !v.Type().IsPrimitiveType() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || !s.IsKnown() || s.IsNull() {
		return "", false
	}
	return s.AsString(), true
}

// synthesize computes the attributes AWS would assign that are knowable from
// the configuration: names, ARNs, account IDs. Everything else stays
// unknown.
func synthesize(ri *resInstance) map[string]cty.Value {
	body, p := ri.body, ri.prov
	part := p.partition
	acct := string(p.account)
	unknown := cty.UnknownVal(cty.String)
	out := map[string]cty.Value{}
	switch ri.decl.mode + "." + ri.decl.typ {
	case "resource.aws_s3_bucket":
		// A name that cannot be known still makes an ARN of the right
		// shape: a symbol stands for this bucket's name in its ARN. The
		// name itself (id, bucket) stays unknown, so that no expression
		// computes with the symbol as if it were a real name.
		out["arn"] = cty.StringVal("arn:" + part + ":s3:::" + graph.SymbolicName(ri.addr, ri.in.l.symbolScope(ri.in.root.mod.dir)))
		out["id"], out["bucket"] = unknown, unknown
		if name, ok := body.str("bucket"); ok {
			out["bucket"] = cty.StringVal(name)
			out["id"] = cty.StringVal(name)
			out["arn"] = cty.StringVal("arn:" + part + ":s3:::" + name)
			out["bucket_domain_name"] = cty.StringVal(name + ".s3.amazonaws.com")
			if p.region != "" {
				out["bucket_regional_domain_name"] = cty.StringVal(name + ".s3." + p.region + ".amazonaws.com")
			}
		}
		if p.region != "" {
			out["region"] = cty.StringVal(p.region)
		}
	case "resource.aws_vpc_endpoint", "resource.aws_vpc":
		// IDs that AWS assigns at creation: a symbol, so that references
		// from policies (aws:SourceVpce, aws:SourceVpc) and the resource
		// itself agree.
		out["id"] = cty.StringVal(graph.SymbolicID(ri.addr, ri.in.l.symbolScope(ri.in.root.mod.dir)))
	case "resource.aws_cloudfront_distribution":
		// The distribution ID is AWS's choice: a symbol, so that a bucket
		// or key policy's aws:SourceArn condition on the distribution's
		// ARN and the distribution itself agree.
		id := graph.SymbolicID(ri.addr, ri.in.l.symbolScope(ri.in.root.mod.dir))
		out["id"] = cty.StringVal(id)
		out["arn"] = unknown
		if acct != "" {
			out["arn"] = cty.StringVal("arn:" + part + ":cloudfront::" + acct + ":distribution/" + id)
		}
	case "resource.aws_cloudfront_origin_access_identity":
		// An origin access identity's ID is AWS's choice too; its IAM ARN
		// and path are built from it (its canonical user ID is not).
		id := graph.SymbolicID(ri.addr, ri.in.l.symbolScope(ri.in.root.mod.dir))
		out["id"] = cty.StringVal(id)
		out["iam_arn"] = cty.StringVal(graph.OAIARN(part, id))
		out["cloudfront_access_identity_path"] = cty.StringVal("origin-access-identity/cloudfront/" + id)
		out["s3_canonical_user_id"] = unknown
	case "resource.aws_kms_replica_key":
		// A replica of a multi-Region key has its primary's key ID, in
		// its own region: an ARN of its own, which a policy naming
		// key/ID in any region covers with the primary's.
		out["arn"], out["id"], out["key_id"] = unknown, unknown, unknown
		if id, ok := replicaKeyID(body); ok {
			out["id"], out["key_id"] = cty.StringVal(id), cty.StringVal(id)
			out["arn"] = cty.StringVal(graph.KMSARN(part, p.region, p.account, "key/"+id))
		}
	case "resource.aws_kms_key":
		// The key ID is AWS's choice: a symbol, which the ARN holds too,
		// so that an ARN built from the ID is the key's.
		scope := ri.in.l.symbolScope(ri.in.root.mod.dir)
		out["arn"] = cty.StringVal(graph.SymbolicKeyARN(part, p.region, p.account, ri.addr, scope))
		out["id"] = cty.StringVal(graph.SymbolicID(ri.addr, scope))
		out["key_id"] = out["id"]
	case "resource.aws_kms_alias":
		// An alias's ARN is its name's, in its provider's region and
		// account (a symbol for what is not known, as in key ARNs).
		if name, ok := body.str("name"); ok && strings.HasPrefix(name, "alias/") && !strings.Contains(name, ":") {
			out["arn"] = cty.StringVal(graph.KMSARN(part, p.region, p.account, name))
		}
		// target_key_arn is the ARN of the key target_key_id names: an ARN
		// as it is, an ID (a key of the configuration's symbol) in the
		// alias's region and account.
		if id, ok := body.str("target_key_id"); ok {
			switch {
			case strings.HasPrefix(id, "arn:"):
				out["target_key_arn"] = cty.StringVal(id)
			case strings.HasPrefix(id, "<id of ") || !strings.ContainsAny(id, ":/"):
				out["target_key_arn"] = cty.StringVal(graph.KMSARN(part, p.region, p.account, "key/"+id))
			}
		}
	case "data.template_file":
		// The archived template provider's rendering, for policies that
		// older configurations render with it.
		out["rendered"] = unknown
		if tmpl, ok := body.str("template"); ok && body.attr("filename") == nil {
			vars := cty.EmptyObjectVal
			if a := body.attr("vars"); a != nil {
				vars = a.val
			} else if bs := body.blocks["vars"]; len(bs) == 1 {
				// Terraform 0.11 wrote the map as a block.
				vars = cty.ObjectVal(bs[0].object())
			}
			out["rendered"] = funcs.RenderTemplateFile(tmpl, vars, ri.in.l.checkTemplate)
		}
	case "data.aws_s3_bucket":
		if name, ok := body.str("bucket"); ok {
			out["id"] = cty.StringVal(name)
			out["arn"] = cty.StringVal("arn:" + part + ":s3:::" + name)
		}
	case "resource.aws_iam_role", "resource.aws_iam_user", "resource.aws_iam_group", "resource.aws_iam_policy":
		kind := strings.TrimPrefix(ri.decl.typ, "aws_iam_")
		out["arn"], out["id"], out["name"] = unknown, unknown, unknown
		path, hasPath := body.str("path")
		if !hasPath {
			if a := body.attr("path"); a != nil {
				// A path we cannot know makes the ARN unknown.
				return out
			}
			path = "/"
		}
		name, ok := body.str("name")
		if ok && name == "" {
			ok = false // the provider generates one
		}
		if !ok && kind != "policy" {
			// A name not known before apply (name_prefix, a generated
			// name, an input without a value) still makes an ARN of the
			// right shape, as a bucket's does: a symbol stands for the
			// name, so that policies naming the role or user by its arn
			// and the principal itself agree. The name stays unknown.
			scope := ri.in.l.symbolScope(ri.in.root.mod.dir)
			sym := graph.SymbolicName(ri.addr, scope)
			if shape, ok := generatedRoleName(ri.decl.typ, body); ok {
				sym = graph.SymbolicGeneratedName(ri.addr, scope, shape)
			}
			out["arn"] = cty.StringVal("arn:" + part + ":iam::" + acct + ":" + kind + path + sym)
		}
		if ok {
			arn := cty.StringVal("arn:" + part + ":iam::" + acct + ":" + kind + path + name)
			out["name"], out["arn"] = cty.StringVal(name), arn
			if kind == "policy" {
				out["id"] = arn
			} else {
				out["id"] = cty.StringVal(name)
			}
		}
	case "resource.aws_s3_access_point":
		if name, ok := body.str("name"); ok && p.region != "" {
			a := acct
			if id, ok := body.str("account_id"); ok {
				a = id
			}
			out["arn"] = cty.StringVal("arn:" + part + ":s3:" + p.region + ":" + a + ":accesspoint/" + name)
		}
	case "resource.aws_s3_bucket_policy":
		if name, ok := body.str("bucket"); ok {
			out["id"] = cty.StringVal(name)
		}
	case "data.aws_elb_service_account":
		region := p.region
		if r, ok := body.str("region"); ok {
			region = r
		}
		if id := graph.ELBAccount(region); id != "" {
			out["id"] = cty.StringVal(id)
			out["arn"] = cty.StringVal("arn:" + policy.PartitionOf(region) + ":iam::" + id + ":root")
		}
	case "data.aws_caller_identity":
		out["account_id"] = cty.StringVal(acct)
		out["id"] = cty.StringVal(acct)
	case "data.aws_partition":
		out["partition"] = cty.StringVal(part)
		out["id"] = cty.StringVal(part)
		out["dns_suffix"] = cty.StringVal(dnsSuffix(part))
	case "data.aws_region":
		if p.region != "" {
			for _, k := range []string{"name", "id", "region"} {
				out[k] = cty.StringVal(p.region)
			}
		}
	}
	return out
}

func dnsSuffix(partition string) string {
	switch partition {
	case "aws-cn":
		return "amazonaws.com.cn"
	case "aws-iso":
		return "c2s.ic.gov"
	case "aws-iso-b":
		return "sc2s.sgov.gov"
	default:
		return "amazonaws.com"
	}
}

// replicaKeyID is the key ID of a replica key: its primary's, from
// primary_key_arn.
func replicaKeyID(body *bodyContent) (string, bool) {
	arn, ok := body.str("primary_key_arn")
	if !ok {
		return "", false
	}
	return graph.KeyIDOf(arn)
}

// generatedRoleName is the form of the name the AWS provider gives a role
// without one: name_prefix and a unique suffix, or "terraform-" and a
// unique suffix without either (the provider's documented "random, unique
// name" is made so). A prefix that is not known gives no form.
func generatedRoleName(typ string, body *bodyContent) (string, bool) {
	if typ != "aws_iam_role" {
		return "", false
	}
	if name, ok := body.str("name"); setArg(body, "name") != nil && (!ok || name != "") {
		// Named, or by something not known; "" is no name to the provider.
		return "", false
	}
	if setArg(body, "name_prefix") == nil {
		return "terraform-*", true
	}
	if prefix, ok := body.str("name_prefix"); ok {
		return prefix + "*", true
	}
	return "", false
}

// displayDir shows a directory relative to the working directory when it
// lies below it, so that messages carry no absolute paths where they need
// none; elsewhere the path stays absolute, since it must stay unique.
func (l *loader) displayDir(dir string) string {
	if !filepath.IsAbs(dir) {
		return dir
	}
	if wd := l.shared.workDir; wd != "" {
		if rel, err := filepath.Rel(wd, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			return filepath.ToSlash(rel)
		}
	}
	return dir
}

// symbolScope keeps symbolic names of different root modules apart.
func (l *loader) symbolScope(rootDir string) string {
	if rootDir == "." {
		return ""
	}
	return l.displayDir(rootDir)
}
