package tfplan_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/tfplan"
)

// pres is one resource of a plan built by buildPlan.
type pres struct {
	addr, typ string
	values    string // JSON object
	// afterUnknown is the after_unknown object ({} when empty).
	afterUnknown string
	// exprs are the configuration's expressions; "-" leaves the resource
	// out of the configuration.
	exprs string
}

// buildPlan writes a create plan: every resource in planned_values (each
// on its own lines, so positions can be found), its after_unknown in
// resource_changes, and its expressions in configuration. Modules named in
// addresses become child modules; calls are the module calls of the root
// configuration ({"name": "{...call JSON...}"}).
func buildPlan(calls map[string]string, res ...pres) string {
	type mod struct {
		addr string
		res  []string
		cfg  []string
	}
	mods := []*mod{{}}
	modOf := func(addr string) *mod {
		prefix := ""
		if strings.HasPrefix(addr, "module.") {
			parts := strings.SplitN(addr, ".", 3)
			prefix = parts[0] + "." + parts[1]
		}
		for _, m := range mods {
			if m.addr == prefix {
				return m
			}
		}
		m := &mod{addr: prefix}
		mods = append(mods, m)
		return m
	}
	var changes []string
	for _, r := range res {
		name := r.addr[strings.LastIndex(r.addr, ".")+1:]
		if i := strings.Index(name, "["); i >= 0 {
			name = name[:i]
		}
		au := r.afterUnknown
		if au == "" {
			au = "{}"
		}
		m := modOf(r.addr)
		m.res = append(m.res, `        {
          "address": "`+strings.ReplaceAll(r.addr, `"`, `\"`)+`",
          "mode": "managed",
          "type": "`+r.typ+`",
          "name": "`+name+`",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": `+r.values+`,
          "sensitive_values": {}
        }`)
		changes = append(changes, `    {"address": "`+strings.ReplaceAll(r.addr, `"`, `\"`)+`", "mode": "managed", "type": "`+r.typ+`", "name": "`+name+`", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": `+au+`, "before_sensitive": false, "after_sensitive": {}}}`)
		if r.exprs != "-" {
			cfgAddr := r.addr
			if m.addr != "" {
				cfgAddr = strings.TrimPrefix(r.addr, m.addr+".")
			}
			cfgAddr = strings.Split(cfgAddr, "[")[0]
			entry := `{"address": "` + cfgAddr + `", "mode": "managed", "type": "` + r.typ + `", "name": "` + name + `", "provider_config_key": "aws", "expressions": ` + r.exprs + `, "schema_version": 0}`
			dup := false
			for _, c := range m.cfg {
				dup = dup || strings.Contains(c, `"address": "`+cfgAddr+`"`)
			}
			if !dup {
				m.cfg = append(m.cfg, entry)
			}
		}
	}
	var children []string
	var callCfg []string
	for _, m := range mods[1:] {
		children = append(children, `{"address": "`+m.addr+`", "resources": [
`+strings.Join(m.res, ",\n")+`
      ]}`)
	}
	for name, call := range calls {
		callCfg = append(callCfg, `"`+name+`": `+call)
	}
	for _, m := range mods[1:] {
		name := strings.TrimPrefix(strings.Split(m.addr, "[")[0], "module.")
		for i, c := range callCfg {
			if strings.HasPrefix(c, `"`+name+`":`) {
				callCfg[i] = strings.Replace(c, `"module": {}`, `"module": {"resources": [`+strings.Join(m.cfg, ",\n")+`]}`, 1)
			}
		}
	}
	return `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
` + strings.Join(mods[0].res, ",\n") + `
      ],
      "child_modules": [` + strings.Join(children, ",\n") + `]
    }
  },
  "resource_changes": [
` + strings.Join(changes, ",\n") + `
  ],
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"constant_value": "eu-west-1"}, "allowed_account_ids": {"constant_value": ["111122223333"]}}}},
    "root_module": {"resources": [
` + strings.Join(mods[0].cfg, ",\n") + `
    ], "module_calls": {` + strings.Join(callCfg, ",\n") + `}}
  }
}
`
}

// Placeholders in expectations (expandPlan) stand for "L:C-L:C" in
// plan.json, or "file:L:C-L:C" with [[file|…]]:
//
//	[[needle]] [[needle#n]]   the span of the first (the n-th) occurrence
//	[[value@context]]         the span of value in the first context
//	[[res:ADDR]]              the object of resource ADDR in planned_values
//	[[obj:needle]]            the JSON object that starts at or after needle
//	[[member:"key"]]          key and value of the first member "key"
//	[[from .. to]]            from the start of from to the end of the
//	                          first to after it (\n stands for a newline)
func expandPlan(t testing.TB, files tree, want string) string {
	t.Helper()
	var b strings.Builder
	for {
		i := strings.Index(want, "[[")
		if i < 0 {
			b.WriteString(want)
			return b.String()
		}
		b.WriteString(want[:i])
		rest := want[i+2:]
		j := strings.Index(rest, "]]")
		for j >= 0 && j+2 < len(rest) && rest[j+2] == ']' {
			j++
		}
		if j < 0 {
			t.Fatalf("unclosed placeholder in %q", want)
		}
		b.WriteString(planPlaceholder(t, files, rest[:j]))
		want = rest[j+2:]
	}
}

func planPlaceholder(t testing.TB, files tree, inner string) string {
	t.Helper()
	file := "plan.json"
	if f, rest, ok := strings.Cut(inner, "|"); ok && !strings.ContainsAny(f, `"{[ `) {
		file, inner = f, rest
	}
	src, ok := files[file]
	if !ok {
		t.Fatalf("no file %s for %q", file, inner)
	}
	inner = strings.ReplaceAll(inner, `\n`, "\n")
	nth := func(needle string) int {
		n := 0
		if i := strings.LastIndex(needle, "#"); i > 0 {
			if _, err := fmt.Sscanf(needle[i+1:], "%d", &n); err == nil {
				needle = needle[:i]
			}
		}
		off := -1
		for range n + 1 {
			k := strings.Index(src[off+1:], needle)
			if k < 0 {
				t.Fatalf("occurrence %d of %q not in %s", n, needle, file)
			}
			off += 1 + k
		}
		return off
	}
	trim := func(needle string) string {
		if i := strings.LastIndex(needle, "#"); i > 0 {
			var n int
			if _, err := fmt.Sscanf(needle[i+1:], "%d", &n); err == nil {
				return needle[:i]
			}
		}
		return needle
	}
	var start, end int
	switch {
	case strings.HasPrefix(inner, "res:"):
		marker := `"address": "` + strings.ReplaceAll(inner[4:], `"`, `\"`) + `"`
		at := nth(marker)
		start = strings.LastIndex(src[:at], "{")
		end = valueEnd(src, start)
	case strings.HasPrefix(inner, "obj:"):
		at := nth(inner[4:])
		start = at + strings.Index(src[at:], "{")
		end = valueEnd(src, start)
	case strings.HasPrefix(inner, "member:"):
		start = nth(inner[7:])
		v := start + len(trim(inner[7:]))
		v += strings.Index(src[v:], ":") + 1
		for src[v] == ' ' || src[v] == '\n' {
			v++
		}
		end = valueEnd(src, v)
	case strings.Contains(inner, " .. "):
		from, to, _ := strings.Cut(inner, " .. ")
		start = nth(from)
		end = start + 1 + strings.Index(src[start+1:], to) + len(to)
	case strings.Contains(inner, "@"):
		value, context, _ := strings.Cut(inner, "@")
		start = nth(context) + strings.Index(trim(context), value)
		end = start + len(value)
	default:
		start = nth(inner)
		end = start + len(trim(inner))
	}
	p := posAt(src, start) + "-" + posAt(src, end)
	if file != "plan.json" {
		p = file + ":" + p
	}
	return p
}

// valueEnd is the end of the JSON value starting at i.
func valueEnd(src string, i int) int {
	switch src[i] {
	case '{', '[':
		depth, quoted := 0, false
		for j := i; j < len(src); j++ {
			switch c := src[j]; {
			case quoted && c == '\\':
				j++
			case c == '"':
				quoted = !quoted
			case quoted:
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
	case '"':
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
	}
	j := i
	for j < len(src) && !strings.ContainsRune(",}] \n", rune(src[j])) {
		j++
	}
	return j
}

func posAt(src string, off int) string {
	line := 1 + strings.Count(src[:off], "\n")
	ls := strings.LastIndex(src[:off], "\n") + 1
	return fmt.Sprintf("%d:%d", line, 1+utf8.RuneCountInString(src[ls:off]))
}

// pos renders a range as L:C-L:C in plan.json, file:L:C-L:C elsewhere.
func (l *loaded) pos(r graph.Range) string { return strings.TrimPrefix(l.rng(r), "plan.json:") }

func (l *loaded) sp(v graph.String) string {
	out := v.V
	switch v.Origin {
	case graph.Unknown:
		out = "?"
	case graph.Default:
		out = fmt.Sprintf("default(%q)", v.V)
	}
	return out + "@" + l.pos(v.Range)
}

func (l *loaded) bp(v graph.Bool) string {
	out := fmt.Sprint(v.V)
	switch v.Origin {
	case graph.Unknown:
		out = "?"
	case graph.Default:
		out = "default(" + out + ")"
	}
	return out + "@" + l.pos(v.Range)
}

func (l *loaded) bpaLine(p *graph.PublicAccessBlock) string {
	if p == nil {
		return "bpa <nil>"
	}
	return fmt.Sprintf("bpa by %s at %s: BlockPublicAcls=%s IgnorePublicAcls=%s BlockPublicPolicy=%s RestrictPublicBuckets=%s",
		p.Address, l.pos(p.Range), l.bp(p.BlockPublicAcls), l.bp(p.IgnorePublicAcls), l.bp(p.BlockPublicPolicy), l.bp(p.RestrictPublicBuckets))
}

// settingLines renders the settings of a bucket, one line each.
func (l *loaded) settingLines(b *graph.Bucket) []string {
	out := []string{}
	if b.PublicAccessBlock != nil {
		out = append(out, l.bpaLine(b.PublicAccessBlock))
	}
	if o := b.Ownership; o != nil {
		out = append(out, fmt.Sprintf("ownership by %s at %s: %s", o.Address, l.pos(o.Range), l.sp(o.Rule)))
	}
	for _, acl := range b.ACLs {
		out = append(out, fmt.Sprintf("acl by %s at %s: canned=%s%s", acl.Address, l.pos(acl.Range), l.sp(acl.Canned), unchangedMark(acl)))
		for _, gr := range acl.Grants {
			out = append(out, fmt.Sprintf("  grant at %s: type=%s id=%s uri=%s email=%s permission=%s", l.pos(gr.Range),
				l.sp(gr.Type), l.sp(gr.ID), l.sp(gr.URI), l.sp(gr.Email), l.sp(gr.Permission)))
		}
	}
	for _, acl := range b.ObjectACLs {
		out = append(out, fmt.Sprintf("object acl by %s at %s: key=%s canned=%s%s", acl.Address, l.pos(acl.Range), l.sp(acl.Key), l.sp(acl.Canned), unchangedMark(acl)))
	}
	for _, u := range b.Uploads {
		out = append(out, fmt.Sprintf("upload by %s: key=%s sse=%s", u.Address, l.sp(u.Key), l.sp(u.SSE)))
	}
	if v := b.Versioning; v != nil {
		out = append(out, fmt.Sprintf("versioning by %s at %s: status=%s mfa_delete=%s", v.Address, l.pos(v.Range), l.sp(v.Status), l.bp(v.MFADelete)))
	}
	if e := b.Encryption; e != nil {
		key := "<none>"
		if e.Key != nil {
			key = e.Key.Address
		}
		out = append(out, fmt.Sprintf("encryption by %s at %s: algorithm=%s key_id=%s key=%s bucket_key=%s",
			e.Address, l.pos(e.Range), l.sp(e.Algorithm), l.sp(e.KeyID), key, l.bp(e.BucketKey)))
	}
	if lc := b.Lifecycle; lc != nil {
		out = append(out, fmt.Sprintf("lifecycle by %s at %s", lc.Address, l.pos(lc.Range)))
	}
	if rp := b.RequestPayment; rp != nil {
		out = append(out, fmt.Sprintf("request payment by %s at %s: payer=%s", rp.Address, l.pos(rp.Range), l.sp(rp.Payer)))
	}
	if ws := b.Website; ws != nil {
		out = append(out, fmt.Sprintf("website by %s at %s", ws.Address, l.pos(ws.Range)))
	}
	for _, ap := range b.AccessPoints {
		out = append(out, "access point "+ap.Address)
	}
	return out
}

// checkSettings compares the settings of buckets with expectations
// holding placeholders.
func (l *loaded) checkSettings(want map[string][]string) {
	l.t.Helper()
	for addr, lines := range want {
		exp := make([]string, len(lines))
		for i, w := range lines {
			exp[i] = expandPlan(l.t, l.files, w)
		}
		got := l.settingLines(l.bucket(addr))
		if strings.Join(got, "\n") != strings.Join(exp, "\n") {
			l.t.Errorf("settings of %s:\n got  %s\n want %s", addr, strings.Join(got, "\n      "), strings.Join(exp, "\n      "))
		}
	}
}

const bucketB = `{"bucket": "acme-b", "force_destroy": false, "tags": null}`
const bucketBUnknown = `{"arn": true, "id": true, "bucket_domain_name": true, "grant": true, "versioning": true, "server_side_encryption_configuration": true, "acl": true, "lifecycle_rule": true, "policy": true}`
const bucketBExprs = `{"bucket": {"constant_value": "acme-b"}}`

// TestPlanBucketSettingsResources reads every settings resource of a plan,
// linked by the configuration's references.
func TestPlanBucketSettingsResources(t *testing.T) {
	refB := `{"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}`
	src := buildPlan(nil,
		pres{"aws_kms_key.k", "aws_kms_key", `{"deletion_window_in_days": null, "enable_key_rotation": false}`, `{"arn": true, "key_id": true, "id": true}`, `{}`},
		pres{"aws_kms_alias.a", "aws_kms_alias", `{"name": "alias/app", "name_prefix": null}`, `{"arn": true, "target_key_id": true, "target_key_arn": true}`,
			`{"name": {"constant_value": "alias/app"}, "target_key_id": {"references": ["aws_kms_key.k.key_id", "aws_kms_key.k"]}}`},
		pres{"aws_s3_bucket.b", "aws_s3_bucket", bucketB, bucketBUnknown, bucketBExprs},
		pres{"aws_s3_bucket_public_access_block.b", "aws_s3_bucket_public_access_block",
			`{"block_public_acls": true, "block_public_policy": false, "ignore_public_acls": false, "restrict_public_buckets": true, "skip_destroy": null}`,
			`{"bucket": true, "id": true}`,
			`{"bucket": ` + refB + `, "block_public_acls": {"constant_value": true}, "block_public_policy": {"constant_value": false}, "restrict_public_buckets": {"constant_value": true}}`},
		pres{"aws_s3_bucket_ownership_controls.b", "aws_s3_bucket_ownership_controls",
			`{"rule": [{"object_ownership": "ObjectWriter"}]}`, `{"bucket": true, "id": true, "rule": [{}]}`,
			`{"bucket": ` + refB + `, "rule": [{"object_ownership": {"constant_value": "ObjectWriter"}}]}`},
		pres{"aws_s3_bucket_acl.b", "aws_s3_bucket_acl",
			`{"acl": null, "expected_bucket_owner": null, "access_control_policy": [{"grant": [
              {"grantee": [{"email_address": "", "id": "owner-id", "type": "CanonicalUser", "uri": ""}], "permission": "FULL_CONTROL"},
              {"grantee": [{"email_address": "", "id": "", "type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}], "permission": "READ"}
            ], "owner": [{"display_name": "", "id": "owner-id"}]}]}`,
			`{"bucket": true, "id": true, "access_control_policy": [{"grant": [{"grantee": [{"display_name": true}]}, {"grantee": [{"display_name": true}]}], "owner": [{}]}]}`,
			`{"bucket": ` + refB + `, "access_control_policy": [{"grant": [{"grantee": [{"id": {"constant_value": "owner-id"}, "type": {"constant_value": "CanonicalUser"}}], "permission": {"constant_value": "FULL_CONTROL"}}, {"grantee": [{"type": {"constant_value": "Group"}, "uri": {"constant_value": "http://acs.amazonaws.com/groups/global/AllUsers"}}], "permission": {"constant_value": "READ"}}], "owner": [{"id": {"constant_value": "owner-id"}}]}]}`},
		pres{"aws_s3_bucket_versioning.b", "aws_s3_bucket_versioning",
			`{"expected_bucket_owner": null, "mfa": null, "versioning_configuration": [{"mfa_delete": "Enabled", "status": "Enabled"}]}`,
			`{"bucket": true, "id": true, "versioning_configuration": [{}]}`,
			`{"bucket": ` + refB + `, "versioning_configuration": [{"mfa_delete": {"constant_value": "Enabled"}, "status": {"constant_value": "Enabled"}}]}`},
		pres{"aws_s3_bucket_server_side_encryption_configuration.b", "aws_s3_bucket_server_side_encryption_configuration",
			`{"expected_bucket_owner": null, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": null, "sse_algorithm": "aws:kms"}], "bucket_key_enabled": null}]}`,
			`{"bucket": true, "id": true, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]}`,
			`{"bucket": ` + refB + `, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {"references": ["aws_kms_alias.a.arn", "aws_kms_alias.a"]}, "sse_algorithm": {"constant_value": "aws:kms"}}]}]}`},
		pres{"aws_s3_bucket_lifecycle_configuration.b", "aws_s3_bucket_lifecycle_configuration",
			`{"expected_bucket_owner": null, "rule": [{"id": "expire", "status": "Enabled", "expiration": [{"days": 30}]}]}`,
			`{"bucket": true, "id": true}`,
			`{"bucket": ` + refB + `, "rule": [{"id": {"constant_value": "expire"}, "status": {"constant_value": "Enabled"}, "expiration": [{"days": {"constant_value": 30}}]}]}`},
		pres{"aws_s3_bucket_request_payment_configuration.b", "aws_s3_bucket_request_payment_configuration",
			`{"expected_bucket_owner": null, "payer": "Requester"}`,
			`{"bucket": true, "id": true}`,
			`{"bucket": ` + refB + `, "payer": {"constant_value": "Requester"}}`},
		pres{"aws_s3_bucket_website_configuration.b", "aws_s3_bucket_website_configuration",
			`{"expected_bucket_owner": null, "index_document": [{"suffix": "home.html"}]}`,
			`{"bucket": true, "id": true, "website_endpoint": true}`,
			`{"bucket": ` + refB + `, "index_document": [{"suffix": {"constant_value": "home.html"}}]}`},
		// An upload sends an ACL only when the configuration sets one.
		pres{"aws_s3_object.index", "aws_s3_object",
			`{"acl": "public-read", "key": "index.html", "content": "<h1>hi</h1>", "server_side_encryption": "aws:kms"}`,
			`{"bucket": true, "id": true, "etag": true}`,
			`{"bucket": ` + refB + `, "key": {"constant_value": "index.html"}, "acl": {"constant_value": "public-read"}, "content": {"constant_value": "<h1>hi</h1>"}}`},
		pres{"aws_s3_object.plain", "aws_s3_object",
			`{"acl": "private", "key": "plain.txt", "content": "plain", "server_side_encryption": "AES256"}`,
			`{"bucket": true, "id": true, "etag": true}`,
			`{"bucket": ` + refB + `, "key": {"constant_value": "plain.txt"}, "content": {"constant_value": "plain"}, "server_side_encryption": {"constant_value": "AES256"}}`},
	)
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	if d := l.diags(); len(d) > 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	// Values the configuration sets are at their values; the others are
	// defaults, with the values the plan shows, at their objects. The
	// configuration's nested blocks of one type are merged (a set's order
	// in the plan is not the configuration's), so the first grant's "" uri
	// counts as written, as the second grant writes one.
	l.checkSettings(map[string][]string{"aws_s3_bucket.b": {
		`bpa by aws_s3_bucket_public_access_block.b at [[res:aws_s3_bucket_public_access_block.b]]: BlockPublicAcls=true@[[true@"block_public_acls": true]] IgnorePublicAcls=default(false)@[[res:aws_s3_bucket_public_access_block.b]] BlockPublicPolicy=false@[[false@"block_public_policy": false]] RestrictPublicBuckets=true@[[true@"restrict_public_buckets": true]]`,
		`ownership by aws_s3_bucket_ownership_controls.b at [[res:aws_s3_bucket_ownership_controls.b]]: ObjectWriter@[["ObjectWriter"]]`,
		`acl by aws_s3_bucket_acl.b at [[res:aws_s3_bucket_acl.b]]: canned=default("")@[[res:aws_s3_bucket_acl.b]]`,
		`  grant at [[obj:{"grantee": [{"email_address": "", "id": "owner-id"]]: type=CanonicalUser@[["CanonicalUser"]] id=owner-id@[["owner-id"]] uri=@[[""@"uri": ""]] email=default("")@[[obj:[{"email_address": "", "id": "owner-id"]] permission=FULL_CONTROL@[["FULL_CONTROL"]]`,
		`  grant at [[obj:{"grantee": [{"email_address": "", "id": "", "type": "Group"]]: type=Group@[["Group"]] id=@[[""@"id": "", "type": "Group"]] uri=http://acs.amazonaws.com/groups/global/AllUsers@[["http://acs.amazonaws.com/groups/global/AllUsers"]] email=default("")@[[obj:[{"email_address": "", "id": "", "type": "Group"]] permission=READ@[["READ"]]`,
		`object acl by aws_s3_object.index at [[res:aws_s3_object.index]]: key=index.html@[["index.html"]] canned=public-read@[["public-read"]]`,
		`upload by aws_s3_object.index: key=index.html@[["index.html"]] sse=default("aws:kms")@[[res:aws_s3_object.index]]`,
		`upload by aws_s3_object.plain: key=plain.txt@[["plain.txt"]] sse=AES256@[["AES256"]]`,
		`versioning by aws_s3_bucket_versioning.b at [[res:aws_s3_bucket_versioning.b]]: status=Enabled@[["Enabled"@"status": "Enabled"]] mfa_delete=true@[["Enabled"@"mfa_delete": "Enabled"]]`,
		`encryption by aws_s3_bucket_server_side_encryption_configuration.b at [[res:aws_s3_bucket_server_side_encryption_configuration.b]]: algorithm=aws:kms@[["aws:kms"]] key_id=?@[[obj:"apply_server_side_encryption_by_default": []] key=aws_kms_key.k bucket_key=default(false)@[[obj:"rule": [{"apply_server_side]]`,
		`lifecycle by aws_s3_bucket_lifecycle_configuration.b at [[res:aws_s3_bucket_lifecycle_configuration.b]]`,
		`request payment by aws_s3_bucket_request_payment_configuration.b at [[res:aws_s3_bucket_request_payment_configuration.b]]: payer=Requester@[["Requester"]]`,
		`website by aws_s3_bucket_website_configuration.b at [[res:aws_s3_bucket_website_configuration.b]]`,
	}})
}

// TestPlanUnknownSettings: what Terraform knows only after apply stays
// unknown; a flag the configuration does not set is the plan's default.
func TestPlanUnknownSettings(t *testing.T) {
	refB := `{"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}`
	src := buildPlan(nil,
		pres{"aws_s3_bucket.b", "aws_s3_bucket", bucketB, bucketBUnknown, bucketBExprs},
		pres{"aws_s3_bucket_public_access_block.b", "aws_s3_bucket_public_access_block",
			`{"block_public_policy": true, "ignore_public_acls": false, "restrict_public_buckets": false}`,
			`{"bucket": true, "id": true, "block_public_acls": true}`,
			`{"bucket": ` + refB + `, "block_public_acls": {"references": ["aws_ssm_parameter.p.value", "aws_ssm_parameter.p"]}, "block_public_policy": {"constant_value": true}}`},
		pres{"aws_s3_bucket_versioning.b", "aws_s3_bucket_versioning",
			`{"versioning_configuration": [{"mfa_delete": "Disabled"}]}`,
			`{"bucket": true, "id": true, "versioning_configuration": [{"status": true}]}`,
			`{"bucket": ` + refB + `, "versioning_configuration": [{"status": {"references": ["var.status"]}}]}`},
		pres{"aws_s3_bucket_ownership_controls.b", "aws_s3_bucket_ownership_controls",
			`{}`, `{"bucket": true, "id": true, "rule": true}`,
			`{"bucket": ` + refB + `, "rule": [{"object_ownership": {"references": ["var.ownership"]}}]}`},
		pres{"aws_s3_bucket_acl.b", "aws_s3_bucket_acl",
			`{"acl": null}`, `{"bucket": true, "id": true, "acl": true, "access_control_policy": true}`,
			`{"bucket": ` + refB + `, "acl": {"references": ["var.acl"]}}`},
		pres{"aws_s3_bucket_server_side_encryption_configuration.b", "aws_s3_bucket_server_side_encryption_configuration",
			`{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": null, "sse_algorithm": "aws:kms"}], "bucket_key_enabled": null}]}`,
			`{"bucket": true, "id": true, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}], "bucket_key_enabled": true}]}`,
			`{"bucket": ` + refB + `, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {"references": ["var.key"]}, "sse_algorithm": {"constant_value": "aws:kms"}}], "bucket_key_enabled": {"references": ["var.bk"]}}]}`},
	)
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	l.checkSettings(map[string][]string{"aws_s3_bucket.b": {
		`bpa by aws_s3_bucket_public_access_block.b at [[res:aws_s3_bucket_public_access_block.b]]: BlockPublicAcls=?@[[res:aws_s3_bucket_public_access_block.b]] IgnorePublicAcls=default(false)@[[res:aws_s3_bucket_public_access_block.b]] BlockPublicPolicy=true@[[true@"block_public_policy": true]] RestrictPublicBuckets=default(false)@[[res:aws_s3_bucket_public_access_block.b]]`,
		`ownership by aws_s3_bucket_ownership_controls.b at [[res:aws_s3_bucket_ownership_controls.b]]: ?@[[res:aws_s3_bucket_ownership_controls.b]]`,
		`acl by aws_s3_bucket_acl.b at [[res:aws_s3_bucket_acl.b]]: canned=?@[[res:aws_s3_bucket_acl.b]]`,
		`versioning by aws_s3_bucket_versioning.b at [[res:aws_s3_bucket_versioning.b]]: status=?@[[obj:"versioning_configuration": [{"mfa]] mfa_delete=default(false)@[[obj:"versioning_configuration": [{"mfa]]`,
		`encryption by aws_s3_bucket_server_side_encryption_configuration.b at [[res:aws_s3_bucket_server_side_encryption_configuration.b]]: algorithm=aws:kms@[["aws:kms"]] key_id=?@[[obj:"apply_server_side_encryption_by_default": []] key=<none> bucket_key=?@[[obj:"rule": [{"apply_server_side]]`,
	}})
}

// TestPlanBucketSettingsInline reads the deprecated arguments of
// aws_s3_bucket that the configuration sets, and ignores the blocks the
// provider computes.
func TestPlanBucketSettingsInline(t *testing.T) {
	src := buildPlan(nil,
		pres{"aws_kms_key.k", "aws_kms_key", `{"enable_key_rotation": false}`, `{"arn": true, "key_id": true, "id": true}`, `{}`},
		pres{"aws_s3_bucket.b", "aws_s3_bucket",
			`{"bucket": "acme-b", "acl": "public-read", "grant": [
              {"id": "owner-id", "permissions": ["READ", "WRITE"], "type": "CanonicalUser", "uri": ""}
            ], "versioning": [{"enabled": true, "mfa_delete": false}], "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "aws:kms"}], "bucket_key_enabled": true}]}], "lifecycle_rule": [{"id": "expire", "enabled": true}]}`,
			`{"arn": true, "id": true, "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]}]}`,
			`{"bucket": {"constant_value": "acme-b"}, "acl": {"constant_value": "public-read"}, "grant": [{"id": {"constant_value": "owner-id"}, "permissions": {"constant_value": ["READ", "WRITE"]}, "type": {"constant_value": "CanonicalUser"}}], "versioning": [{"enabled": {"constant_value": true}}], "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}, "sse_algorithm": {"constant_value": "aws:kms"}}], "bucket_key_enabled": {"constant_value": true}}]}], "lifecycle_rule": [{"id": {"constant_value": "expire"}, "enabled": {"constant_value": true}}]}`},
		// The provider shows computed versioning, encryption and grants
		// that the configuration does not set: they are not settings.
		pres{"aws_s3_bucket.computed", "aws_s3_bucket",
			`{"bucket": "acme-computed", "acl": null, "grant": [{"id": "owner-id", "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}], "versioning": [{"enabled": false, "mfa_delete": false}], "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": false}]}], "lifecycle_rule": []}`,
			`{"arn": true, "id": true}`,
			`{"bucket": {"constant_value": "acme-computed"}}`},
	)
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	l.checkSettings(map[string][]string{
		"aws_s3_bucket.b": {
			`acl by aws_s3_bucket.b at [[member:"acl"]]: canned=public-read@[["public-read"]]`,
			`  grant at [[obj:{"id": "owner-id", "permissions": ["READ"]]: type=CanonicalUser@[["CanonicalUser"]] id=owner-id@[["owner-id"]] uri=default("")@[[obj:{"id": "owner-id", "permissions": ["READ"]] email=default("")@[[obj:{"id": "owner-id", "permissions": ["READ"]] permission=READ@[["READ"]]`,
			`  grant at [[obj:{"id": "owner-id", "permissions": ["READ"]]: type=CanonicalUser@[["CanonicalUser"]] id=owner-id@[["owner-id"]] uri=default("")@[[obj:{"id": "owner-id", "permissions": ["READ"]] email=default("")@[[obj:{"id": "owner-id", "permissions": ["READ"]] permission=WRITE@[["WRITE"]]`,
			`versioning by aws_s3_bucket.b at [[member:"versioning"]]: status=Enabled@[[true@"enabled": true]] mfa_delete=default(false)@[[obj:"versioning": []]`,
			`encryption by aws_s3_bucket.b at [[member:"server_side_encryption_configuration"]]: algorithm=aws:kms@[["aws:kms"]] key_id=@[[""@"kms_master_key_id": ""]] key=aws_kms_key.k bucket_key=true@[[true@"bucket_key_enabled": true]]`,
			`lifecycle by aws_s3_bucket.b at [[member:"lifecycle_rule"]]`,
		},
		"aws_s3_bucket.computed": {},
	})
}

// TestPlanStateSettings: a state has no configuration; what it shows is
// what the bucket has.
func TestPlanStateSettings(t *testing.T) {
	src := `{
  "format_version": "1.0",
  "terraform_version": "1.9.5",
  "values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.b",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "b",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "values": {"bucket": "acme-b", "acl": null, "grant": [{"id": "owner-id", "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}], "versioning": [{"enabled": false, "mfa_delete": false}], "lifecycle_rule": [], "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": false}]}]}
        },
        {
          "address": "aws_s3_bucket_versioning.b",
          "mode": "managed",
          "type": "aws_s3_bucket_versioning",
          "name": "b",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "values": {"bucket": "acme-b", "id": "acme-b", "versioning_configuration": [{"mfa_delete": "", "status": "Suspended"}]}
        }
      ]
    }
  }
}`
	validJSON(t, "state", src)
	l := load(t, tree{"plan.json": src})
	l.checkSettings(map[string][]string{"aws_s3_bucket.b": {
		`acl by aws_s3_bucket.b at [[member:"grant"]]: canned=default("")@[[res:aws_s3_bucket.b]] (unchanged)`,
		`  grant at [[obj:{"id": "owner-id"]]: type=CanonicalUser@[["CanonicalUser"]] id=owner-id@[["owner-id"]] uri=@[[""@"uri": ""]] email=default("")@[[obj:{"id": "owner-id"]] permission=FULL_CONTROL@[["FULL_CONTROL"]]`,
		// The resource of its own, linked by name, replaces the bucket's
		// versioning block.
		`versioning by aws_s3_bucket_versioning.b at [[res:aws_s3_bucket_versioning.b]]: status=Suspended@[["Suspended"]] mfa_delete=default(false)@[[obj:"versioning_configuration": [{"mfa_delete": ""]]`,
		`encryption by aws_s3_bucket.b at [[member:"server_side_encryption_configuration"]]: algorithm=AES256@[["AES256"]] key_id=@[[""@"kms_master_key_id": ""]] key=<none> bucket_key=false@[[false@"bucket_key_enabled": false]]`,
	}})
}

// TestPlanSettingsLinks links settings by name, through for_each and
// through module variables.
func TestPlanSettingsLinks(t *testing.T) {
	calls := map[string]string{
		"blocked": `{"source": "./bpa", "expressions": {"bucket": {"references": ["aws_s3_bucket.b[\"logs\"].id", "aws_s3_bucket.b[\"logs\"]", "aws_s3_bucket.b"]}}, "module": {}}`,
	}
	src := buildPlan(calls,
		pres{`aws_s3_bucket.b["logs"]`, "aws_s3_bucket", `{"bucket": "acme-logs"}`, `{"arn": true, "id": true}`,
			`{"bucket": {"references": ["each.key"]}}`},
		pres{`aws_s3_bucket.b["data"]`, "aws_s3_bucket", `{"bucket": "acme-data"}`, `{"arn": true, "id": true}`, `-`},
		pres{"aws_s3_bucket.named", "aws_s3_bucket", `{"bucket": "acme-named"}`, `{"arn": true, "id": true}`, `{"bucket": {"constant_value": "acme-named"}}`},
		// for_each = aws_s3_bucket.b, bucket = each.value.id
		pres{`aws_s3_bucket_ownership_controls.o["logs"]`, "aws_s3_bucket_ownership_controls",
			`{"rule": [{"object_ownership": "BucketOwnerPreferred"}]}`, `{"bucket": true, "id": true}`,
			`{"bucket": {"references": ["each.value.id", "each.value"]}, "rule": [{"object_ownership": {"constant_value": "BucketOwnerPreferred"}}]}`},
		pres{`aws_s3_bucket_ownership_controls.o["data"]`, "aws_s3_bucket_ownership_controls",
			`{"rule": [{"object_ownership": "ObjectWriter"}]}`, `{"bucket": true, "id": true}`, `-`},
		pres{"aws_s3_bucket_versioning.named", "aws_s3_bucket_versioning",
			`{"bucket": "acme-named", "versioning_configuration": [{"mfa_delete": null, "status": "Enabled"}]}`, `{"id": true}`,
			`{"bucket": {"constant_value": "acme-named"}, "versioning_configuration": [{"status": {"constant_value": "Enabled"}}]}`},
		pres{"module.blocked.aws_s3_bucket_public_access_block.this", "aws_s3_bucket_public_access_block",
			`{"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}`, `{"bucket": true, "id": true}`,
			`{"bucket": {"references": ["var.bucket"]}, "block_public_acls": {"constant_value": true}, "block_public_policy": {"constant_value": true}, "ignore_public_acls": {"constant_value": true}, "restrict_public_buckets": {"constant_value": true}}`},
	)
	// The for_each expression of the ownership controls.
	src = strings.Replace(src, `"provider_config_key": "aws", "expressions": {"bucket": {"references": ["each.value.id"`,
		`"provider_config_key": "aws", "for_each_expression": {"references": ["aws_s3_bucket.b"]}, "expressions": {"bucket": {"references": ["each.value.id"`, 1)
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	l.checkSettings(map[string][]string{
		`aws_s3_bucket.b["logs"]`: {
			`bpa by module.blocked.aws_s3_bucket_public_access_block.this at [[res:module.blocked.aws_s3_bucket_public_access_block.this]]: BlockPublicAcls=true@[[true@"block_public_acls": true]] IgnorePublicAcls=true@[[true@"ignore_public_acls": true]] BlockPublicPolicy=true@[[true@"block_public_policy": true]] RestrictPublicBuckets=true@[[true@"restrict_public_buckets": true]]`,
			`ownership by aws_s3_bucket_ownership_controls.o["logs"] at [[res:aws_s3_bucket_ownership_controls.o["logs"]]]: BucketOwnerPreferred@[["BucketOwnerPreferred"]]`,
		},
		`aws_s3_bucket.b["data"]`: {
			`ownership by aws_s3_bucket_ownership_controls.o["data"] at [[res:aws_s3_bucket_ownership_controls.o["data"]]]: ObjectWriter@[["ObjectWriter"]]`,
		},
		"aws_s3_bucket.named": {
			`versioning by aws_s3_bucket_versioning.named at [[res:aws_s3_bucket_versioning.named]]: status=Enabled@[["Enabled"]] mfa_delete=default(false)@[[obj:"versioning_configuration": [{"mfa_delete": null]]`,
		},
	})
	if len(l.SettingLinks) != 0 {
		t.Errorf("%d settings left unlinked", len(l.SettingLinks))
	}
}

// TestPlanAccountAndAccessPoints reads account Block Public Access,
// access points and endpoints.
func TestPlanAccountAndAccessPoints(t *testing.T) {
	src := buildPlan(nil,
		pres{"aws_s3_bucket.b", "aws_s3_bucket", bucketB, bucketBUnknown, bucketBExprs},
		pres{"aws_s3_account_public_access_block.default", "aws_s3_account_public_access_block",
			`{"block_public_acls": true, "block_public_policy": false, "ignore_public_acls": false, "restrict_public_buckets": false}`,
			`{"account_id": true, "id": true}`, `{"block_public_acls": {"constant_value": true}}`},
		pres{"aws_s3_account_public_access_block.named", "aws_s3_account_public_access_block",
			`{"account_id": "444455556666", "block_public_acls": false, "block_public_policy": true, "ignore_public_acls": false, "restrict_public_buckets": false}`,
			`{"id": true}`, `{"account_id": {"constant_value": "444455556666"}, "block_public_policy": {"constant_value": true}}`},
		pres{"aws_s3_account_public_access_block.unknown", "aws_s3_account_public_access_block",
			`{"block_public_acls": false, "block_public_policy": false, "ignore_public_acls": false, "restrict_public_buckets": false}`,
			`{"account_id": true, "id": true}`, `{"account_id": {"references": ["var.account"]}}`},
		pres{"aws_s3_access_point.ap", "aws_s3_access_point",
			`{"bucket": "acme-b", "name": "ap", "policy": null, "public_access_block_configuration": [{"block_public_acls": true, "block_public_policy": false, "ignore_public_acls": true, "restrict_public_buckets": true}], "vpc_configuration": [{"vpc_id": "vpc-123"}]}`,
			`{"account_id": true, "arn": true, "id": true, "policy": true, "network_origin": true, "public_access_block_configuration": [{}], "vpc_configuration": [{}]}`,
			`{"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}, "name": {"constant_value": "ap"}, "public_access_block_configuration": [{"block_public_policy": {"constant_value": false}}], "vpc_configuration": [{"vpc_id": {"constant_value": "vpc-123"}}]}`},
		pres{"aws_s3_access_point.plain", "aws_s3_access_point",
			`{"bucket": "acme-b", "name": "plain", "public_access_block_configuration": [], "vpc_configuration": []}`,
			`{"account_id": true, "arn": true, "id": true, "policy": true}`,
			`{"bucket": {"constant_value": "acme-b"}, "name": {"constant_value": "plain"}}`},
		pres{"aws_s3control_access_point_policy.p", "aws_s3control_access_point_policy",
			`{"policy": "{\"Statement\":[]}"}`, `{"access_point_arn": true, "id": true, "has_public_access_policy": true}`,
			`{"access_point_arn": {"references": ["aws_s3_access_point.ap.arn", "aws_s3_access_point.ap"]}, "policy": {"constant_value": "{\"Statement\":[]}"}}`},
		pres{"aws_vpc_endpoint.gw", "aws_vpc_endpoint",
			`{"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway", "vpc_id": "vpc-123"}`, `{"id": true, "policy": true}`,
			`{"service_name": {"constant_value": "com.amazonaws.eu-west-1.s3"}, "vpc_id": {"constant_value": "vpc-123"}}`},
		pres{"aws_vpc_endpoint.if", "aws_vpc_endpoint",
			`{"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Interface"}`, `{"id": true, "policy": true, "vpc_id": true}`,
			`{"service_name": {"constant_value": "com.amazonaws.eu-west-1.s3"}, "vpc_endpoint_type": {"constant_value": "Interface"}, "vpc_id": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}}`},
	)
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	got := []string{}
	for _, ab := range l.AccountBlocks {
		got = append(got, fmt.Sprintf("%s account=%q id=%s %s", ab.Address, ab.Account, l.sp(ab.AccountID), l.bpaLine(&ab.PublicAccessBlock)))
	}
	for _, ap := range l.AccessPoints {
		bucket, pol := "<none>", "<none>"
		if ap.Bucket != nil {
			bucket = ap.Bucket.Address
		}
		if ap.Policy != nil {
			pol = ap.Policy.Address
		}
		got = append(got, fmt.Sprintf("%s name=%s arn=%s bucket=%s policy=%s vpc=%s %s", ap.Address, l.sp(ap.Name), sv(ap.ARN), bucket, pol, l.sp(ap.VpcID), l.bpaLine(ap.PublicAccessBlock)))
	}
	for _, e := range l.Endpoints {
		got = append(got, fmt.Sprintf("%s type=%s vpc=%s", e.Address, l.sp(e.Type), l.sp(e.VpcID)))
	}
	res := func(a string) string { return "[[res:" + a + "]]" }
	def := res("aws_s3_account_public_access_block.default")
	named := res("aws_s3_account_public_access_block.named")
	unk := res("aws_s3_account_public_access_block.unknown")
	apb := `[[obj:"public_access_block_configuration": [{"block_public_acls": true]]`
	plain := res("aws_s3_access_point.plain")
	want := []string{
		`aws_s3_account_public_access_block.default account="111122223333" id=default("")@` + def + ` bpa by aws_s3_account_public_access_block.default at ` + def + `: BlockPublicAcls=true@[[true@"block_public_acls": true]] IgnorePublicAcls=default(false)@` + def + ` BlockPublicPolicy=default(false)@` + def + ` RestrictPublicBuckets=default(false)@` + def,
		`aws_s3_account_public_access_block.named account="444455556666" id=444455556666@[["444455556666"]] bpa by aws_s3_account_public_access_block.named at ` + named + `: BlockPublicAcls=default(false)@` + named + ` IgnorePublicAcls=default(false)@` + named + ` BlockPublicPolicy=true@[[true@"block_public_policy": true]] RestrictPublicBuckets=default(false)@` + named,
		`aws_s3_account_public_access_block.unknown account="" id=?@` + unk + ` bpa by aws_s3_account_public_access_block.unknown at ` + unk + `: BlockPublicAcls=default(false)@` + unk + ` IgnorePublicAcls=default(false)@` + unk + ` BlockPublicPolicy=default(false)@` + unk + ` RestrictPublicBuckets=default(false)@` + unk,
		`aws_s3_access_point.ap name=ap@[["ap"@"name": "ap", "policy"]] arn=arn:aws:s3:eu-west-1:111122223333:accesspoint/ap bucket=aws_s3_bucket.b policy=aws_s3control_access_point_policy.p vpc=vpc-123@[["vpc-123"]] bpa by aws_s3_access_point.ap at [[member:"public_access_block_configuration"]]: BlockPublicAcls=default(true)@` + apb + ` IgnorePublicAcls=default(true)@` + apb + ` BlockPublicPolicy=false@[[false@"block_public_policy": false, "ignore_public_acls": true]] RestrictPublicBuckets=default(true)@` + apb,
		// Not configured: the plan shows no block, and every flag is on.
		`aws_s3_access_point.plain name=plain@[["plain"@"name": "plain", "public]] arn=arn:aws:s3:eu-west-1:111122223333:accesspoint/plain bucket=aws_s3_bucket.b policy=<none> vpc=default("")@` + plain + ` bpa by aws_s3_access_point.plain at ` + plain + `: BlockPublicAcls=default(true)@` + plain + ` IgnorePublicAcls=default(true)@` + plain + ` BlockPublicPolicy=default(true)@` + plain + ` RestrictPublicBuckets=default(true)@` + plain,
		`aws_vpc_endpoint.gw type=default("Gateway")@` + res("aws_vpc_endpoint.gw") + ` vpc=vpc-123@[["vpc-123"#1]]`,
		`aws_vpc_endpoint.if type=Interface@[["Interface"]] vpc=?@` + res("aws_vpc_endpoint.if"),
	}
	for i := range want {
		want[i] = expandPlan(t, l.files, want[i])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	l.checkSettings(map[string][]string{"aws_s3_bucket.b": {"access point aws_s3_access_point.ap", "access point aws_s3_access_point.plain"}})
}

// settingsTF is a root module whose Block Public Access flag only the plan
// knows.
const settingsTF = `variable "block" {
  type = bool
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
  versioning {
    enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket            = aws_s3_bucket.b.id
  block_public_acls = var.block
}

resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
      }
      permission = "WRITE"
    }
    owner {
      id = "owner-id"
    }
  }
}

resource "aws_s3_account_public_access_block" "acct" {
  block_public_policy = true
}

resource "aws_s3_access_point" "ap" {
  name   = "ap"
  bucket = aws_s3_bucket.b.id
  vpc_configuration {
    vpc_id = "vpc-1"
  }
}

resource "aws_vpc_endpoint" "e" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.s3"
}
`

func settingsPlan() string {
	refB := `{"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}`
	return buildPlan(nil,
		pres{"aws_s3_bucket.b", "aws_s3_bucket", `{"bucket": "acme-b", "versioning": [{"enabled": true, "mfa_delete": false}]}`, `{"arn": true, "id": true}`,
			`{"bucket": {"constant_value": "acme-b"}, "versioning": [{"enabled": {"constant_value": true}}]}`},
		pres{"aws_s3_bucket_public_access_block.b", "aws_s3_bucket_public_access_block",
			`{"block_public_acls": true, "block_public_policy": false, "ignore_public_acls": false, "restrict_public_buckets": false}`,
			`{"bucket": true, "id": true}`, `{"bucket": ` + refB + `, "block_public_acls": {"references": ["var.block"]}}`},
		pres{"aws_s3_bucket_acl.b", "aws_s3_bucket_acl",
			`{"acl": null, "access_control_policy": [{"grant": [{"grantee": [{"email_address": "", "id": "", "type": "Group", "uri": "http://acs.amazonaws.com/groups/s3/LogDelivery"}], "permission": "WRITE"}], "owner": [{"id": "owner-id"}]}]}`,
			`{"bucket": true, "id": true}`,
			`{"bucket": ` + refB + `, "access_control_policy": [{"grant": [{"grantee": [{"type": {"constant_value": "Group"}, "uri": {"constant_value": "http://acs.amazonaws.com/groups/s3/LogDelivery"}}], "permission": {"constant_value": "WRITE"}}], "owner": [{"id": {"constant_value": "owner-id"}}]}]}`},
		// Not in the configuration: keeps its places in the plan.
		pres{"aws_s3_bucket_ownership_controls.extra", "aws_s3_bucket_ownership_controls",
			`{"bucket": "acme-b", "rule": [{"object_ownership": "ObjectWriter"}]}`, `{"id": true}`, `-`},
		pres{"aws_s3_account_public_access_block.acct", "aws_s3_account_public_access_block",
			`{"block_public_acls": false, "block_public_policy": true, "ignore_public_acls": false, "restrict_public_buckets": false}`,
			`{"account_id": true, "id": true}`, `{"block_public_policy": {"constant_value": true}}`},
		pres{"aws_s3_access_point.ap", "aws_s3_access_point",
			`{"bucket": "acme-b", "name": "ap", "public_access_block_configuration": [], "vpc_configuration": [{"vpc_id": "vpc-1"}]}`,
			`{"account_id": true, "arn": true, "id": true, "policy": true}`,
			`{"bucket": ` + refB + `, "name": {"constant_value": "ap"}, "vpc_configuration": [{"vpc_id": {"constant_value": "vpc-1"}}]}`},
		pres{"aws_vpc_endpoint.e", "aws_vpc_endpoint",
			`{"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway", "vpc_id": "vpc-1"}`, `{"id": true, "policy": true}`,
			`{"service_name": {"constant_value": "com.amazonaws.eu-west-1.s3"}, "vpc_id": {"constant_value": "vpc-1"}}`},
	)
}

// TestOverlaySettings: the plan's settings replace the configuration's and
// take their places in the .tf, value by value; nothing is loaded twice.
func TestOverlaySettings(t *testing.T) {
	plan := settingsPlan()
	validJSON(t, "plan", plan)
	files := tree{"main.tf": settingsTF, "plan.json": plan}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	if len(l.Buckets) != 1 || len(l.AccountBlocks) != 1 || len(l.AccessPoints) != 1 || len(l.Endpoints) != 1 || len(l.SettingLinks) != 0 {
		t.Fatalf("buckets %d, account blocks %d, access points %d, endpoints %d, unlinked settings %d",
			len(l.Buckets), len(l.AccountBlocks), len(l.AccessPoints), len(l.Endpoints), len(l.SettingLinks))
	}
	tf := func(s string) string { return "[[main.tf|" + s + "]]" }
	bpa := tf(`resource "aws_s3_bucket_public_access_block" .. \n}`)
	l.checkSettings(map[string][]string{"aws_s3_bucket.b": {
		// The flag's value is the plan's, at the variable in the .tf.
		`bpa by aws_s3_bucket_public_access_block.b at ` + bpa + `: BlockPublicAcls=true@` + tf("var.block") + ` IgnorePublicAcls=default(false)@` + bpa + ` BlockPublicPolicy=default(false)@` + bpa + ` RestrictPublicBuckets=default(false)@` + bpa,
		`ownership by aws_s3_bucket_ownership_controls.extra at [[res:aws_s3_bucket_ownership_controls.extra]]: ObjectWriter@[["ObjectWriter"]]`,
		`acl by aws_s3_bucket_acl.b at ` + tf(`resource "aws_s3_bucket_acl" .. \n}`) + `: canned=default("")@` + tf(`resource "aws_s3_bucket_acl" .. \n}`),
		`  grant at ` + tf(`grant {\n .. \n    }`) + `: type=Group@` + tf(`"Group"`) + ` id=default("")@` + tf(`grantee .. \n      }`) + ` uri=http://acs.amazonaws.com/groups/s3/LogDelivery@` + tf(`"http://acs.amazonaws.com/groups/s3/LogDelivery"`) + ` email=default("")@` + tf(`grantee .. \n      }`) + ` permission=WRITE@` + tf(`"WRITE"`),
		`versioning by aws_s3_bucket.b at ` + tf(`versioning .. \n  }`) + `: status=Enabled@` + tf(`true`) + ` mfa_delete=default(false)@` + tf(`versioning .. \n  }`),
		`access point aws_s3_access_point.ap`,
	}})
	ab := l.AccountBlocks[0]
	acct := tf(`resource "aws_s3_account_public_access_block" .. \n}`)
	if got, want := l.pos(ab.Range)+" "+l.bpaLine(&ab.PublicAccessBlock)+" id="+l.sp(ab.AccountID), expandPlan(t, files, acct+` bpa by aws_s3_account_public_access_block.acct at `+acct+
		`: BlockPublicAcls=default(false)@`+acct+` IgnorePublicAcls=default(false)@`+acct+` BlockPublicPolicy=true@`+tf(`true#1`)+` RestrictPublicBuckets=default(false)@`+acct+` id=default("")@`+acct); got != want {
		t.Errorf("account block:\n got  %s\n want %s", got, want)
	}
	ap := l.AccessPoints[0]
	apr := tf(`resource "aws_s3_access_point" .. \n}`)
	if got, want := l.pos(ap.Range)+" name="+l.sp(ap.Name)+" vpc="+l.sp(ap.VpcID)+" "+l.bpaLine(ap.PublicAccessBlock), expandPlan(t, files, apr+` name=ap@`+tf(`"ap"@name   = "ap"`)+` vpc=vpc-1@`+tf(`"vpc-1"#0`)+
		` bpa by aws_s3_access_point.ap at `+apr+`: BlockPublicAcls=default(true)@`+apr+` IgnorePublicAcls=default(true)@`+apr+` BlockPublicPolicy=default(true)@`+apr+` RestrictPublicBuckets=default(true)@`+apr); got != want {
		t.Errorf("access point:\n got  %s\n want %s", got, want)
	}
	if ap.Format != graph.TerraformPlan || ap.Bucket != l.Buckets[0] {
		t.Errorf("access point from %v, bucket %v", ap.Format, ap.Bucket)
	}
	e := l.Endpoints[0]
	if got, want := l.pos(e.Range)+" type="+l.sp(e.Type)+" vpc="+l.sp(e.VpcID), expandPlan(t, files, tf(`resource "aws_vpc_endpoint" .. \n}`)+` type=default("Gateway")@`+tf(`resource "aws_vpc_endpoint" .. \n}`)+` vpc=vpc-1@`+tf(`"vpc-1"#1`)); got != want {
		t.Errorf("endpoint:\n got  %s\n want %s", got, want)
	}
}

// TestOverlaySettingsOtherRoot: a configuration without a plan keeps its
// own settings; a plan's setting named by bucket name reaches its bucket.
func TestOverlaySettingsOtherRoot(t *testing.T) {
	plan := buildPlan(nil,
		pres{"aws_s3_bucket_versioning.v", "aws_s3_bucket_versioning",
			`{"bucket": "acme-other", "versioning_configuration": [{"mfa_delete": null, "status": "Enabled"}]}`, `{"id": true}`,
			`{"bucket": {"constant_value": "acme-other"}, "versioning_configuration": [{"status": {"constant_value": "Enabled"}}]}`})
	validJSON(t, "plan", plan)
	files := tree{
		"live/main.tf":    `resource "aws_s3_bucket_versioning" "v" {}`,
		"live/plan.json":  plan,
		"other/main.tf":   "resource \"aws_s3_bucket\" \"o\" {\n  bucket = \"acme-other\"\n}\n\nresource \"aws_s3_bucket_public_access_block\" \"o\" {\n  bucket = aws_s3_bucket.o.id\n}\n",
		"other/README.md": "",
	}
	dir := writeTree(t, files)
	l := overlay(t, dir, files)
	if len(l.Buckets) != 1 {
		t.Fatalf("buckets: %v", l.addresses())
	}
	b := l.Buckets[0]
	if b.Format != graph.Terraform || b.PublicAccessBlock == nil || b.PublicAccessBlock.Address != "aws_s3_bucket_public_access_block.o" {
		t.Errorf("the other root's bucket lost its settings: %v", l.settingLines(b))
	}
	if b.Versioning == nil || b.Versioning.Address != "aws_s3_bucket_versioning.v" || !strings.HasSuffix(b.Versioning.Range.File, "live/plan.json") {
		t.Errorf("the plan's versioning did not reach the bucket by name: %v", l.settingLines(b))
	}
}

// TestPlanSettingsWrongTypes replaces each value of the settings plan's
// resources (values and after_unknown, at any depth) by values of other
// types: nothing panics, and the bucket is still loaded.
func TestPlanSettingsWrongTypes(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(settingsPlan()), &doc); err != nil {
		t.Fatal(err)
	}
	// paths lists every place below a map or list.
	type step struct {
		parent any
		key    any // string for maps, int for lists
	}
	var places []step
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				places = append(places, step{v, k})
				walk(e)
			}
		case []any:
			for i, e := range v {
				places = append(places, step{v, i})
				walk(e)
			}
		}
	}
	for _, r := range doc["planned_values"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any) {
		walk(r.(map[string]any)["values"])
	}
	for _, c := range doc["resource_changes"].([]any) {
		walk(c.(map[string]any)["change"].(map[string]any)["after_unknown"])
	}
	replacements := []any{nil, true, 1.5, "x", []any{}, []any{nil}, []any{"x", 1.0}, map[string]any{}, []any{map[string]any{"x": true}}}
	dir := t.TempDir()
	for i, p := range places {
		for j, rep := range replacements {
			var old any
			switch parent := p.parent.(type) {
			case map[string]any:
				old = parent[p.key.(string)]
				parent[p.key.(string)] = rep
			case []any:
				old = parent[p.key.(int)]
				parent[p.key.(int)] = rep
			}
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%s/p%d_%d.json", dir, i, j)
			if err := os.WriteFile(name, b, 0o644); err != nil {
				t.Fatal(err)
			}
			g := tfplan.Load(tfplan.Options{Paths: []string{name}})
			noInternalErrors(t, g)
			if t.Failed() {
				t.Fatalf("with %v at %v:\n%s", rep, p.key, b)
			}
			switch parent := p.parent.(type) {
			case map[string]any:
				parent[p.key.(string)] = old
			case []any:
				parent[p.key.(int)] = old
			}
		}
	}
	if len(places) < 50 {
		t.Errorf("only %d places", len(places))
	}
}

// TestPlanCustomS3Endpoint: a provider that sends S3 requests elsewhere
// (MinIO, LocalStack) has no AWS buckets to check; it is said once.
func TestPlanCustomS3Endpoint(t *testing.T) {
	src := buildPlan(nil,
		pres{"aws_s3_bucket.b", "aws_s3_bucket", bucketB, bucketBUnknown, bucketBExprs},
		pres{"aws_s3_object.o", "aws_s3_object", `{"acl": "public-read", "key": "k"}`, `{"bucket": true, "id": true}`,
			`{"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}, "acl": {"constant_value": "public-read"}}`},
	)
	src = strings.Replace(src, `"allowed_account_ids": {"constant_value": ["111122223333"]}}`,
		`"allowed_account_ids": {"constant_value": ["111122223333"]}, "endpoints": [{"s3": {"constant_value": "http://minio:9000"}}]}`, 1)
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	if len(l.Buckets) != 0 {
		t.Errorf("buckets %v, want none: the provider's S3 is not AWS's", l.addresses())
	}
	got := strings.Join(l.diags(), "\n")
	if strings.Count(got, "sends S3 requests to a custom endpoint") != 1 {
		t.Errorf("diagnostics:\n%s\nwant one note about the custom endpoint", got)
	}
}

func unchangedMark(acl *graph.ACL) string {
	if acl.Unchanged {
		return " (unchanged)"
	}
	return ""
}

// TestPlanUnchangedACLs: an ACL the plan leaves as it is, or one of a state
// file, is put in place by no request.
func TestPlanUnchangedACLs(t *testing.T) {
	refB := `{"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}`
	src := buildPlan(nil,
		pres{"aws_s3_bucket.b", "aws_s3_bucket", bucketB, bucketBUnknown, bucketBExprs},
		pres{"aws_s3_bucket_acl.b", "aws_s3_bucket_acl", `{"acl": "public-read"}`, `{"bucket": true, "id": true}`,
			`{"bucket": ` + refB + `, "acl": {"constant_value": "public-read"}}`},
		pres{"aws_s3_object.kept", "aws_s3_object", `{"acl": "public-read", "key": "kept"}`, `{"bucket": true, "id": true}`,
			`{"bucket": ` + refB + `, "key": {"constant_value": "kept"}, "acl": {"constant_value": "public-read"}}`},
		pres{"aws_s3_object.made", "aws_s3_object", `{"acl": "public-read", "key": "made"}`, `{"bucket": true, "id": true}`,
			`{"bucket": ` + refB + `, "key": {"constant_value": "made"}, "acl": {"constant_value": "public-read"}}`},
	)
	for _, addr := range []string{"aws_s3_bucket_acl.b", "aws_s3_object.kept"} {
		i := strings.Index(src, `{"address": "`+addr+`", "mode": "managed"`)
		j := i + strings.Index(src[i:], `"actions": ["create"]`)
		src = src[:j] + `"actions": ["no-op"]` + src[j+len(`"actions": ["create"]`):]
	}
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	l.checkSettings(map[string][]string{"aws_s3_bucket.b": {
		`acl by aws_s3_bucket_acl.b at [[res:aws_s3_bucket_acl.b]]: canned=public-read@[["public-read"@"acl": "public-read"}]] (unchanged)`,
		`object acl by aws_s3_object.kept at [[res:aws_s3_object.kept]]: key=kept@[["kept"@"key": "kept"}]] canned=public-read@[["public-read"@"acl": "public-read", "key": "kept"]] (unchanged)`,
		`object acl by aws_s3_object.made at [[res:aws_s3_object.made]]: key=made@[["made"@"key": "made"}]] canned=public-read@[["public-read"@"acl": "public-read", "key": "made"]]`,
		`upload by aws_s3_object.kept: key=kept@[["kept"@"key": "kept"}]] sse=default("")@[[res:aws_s3_object.kept]]`,
		`upload by aws_s3_object.made: key=made@[["made"@"key": "made"}]] sse=default("")@[[res:aws_s3_object.made]]`,
	}})
}

// TestPlanS3EndpointVariable: an endpoint from a root variable is read from
// the plan's variables: null is the provider's default.
func TestPlanS3EndpointVariable(t *testing.T) {
	src := buildPlan(nil, pres{"aws_s3_bucket.b", "aws_s3_bucket", bucketB, bucketBUnknown, bucketBExprs})
	src = strings.Replace(src, `"allowed_account_ids": {"constant_value": ["111122223333"]}}`,
		`"allowed_account_ids": {"constant_value": ["111122223333"]}, "endpoints": [{"s3": {"references": ["var.s3_endpoint"]}}]}`, 1)
	src = strings.Replace(src, `"format_version": "1.2",`, `"format_version": "1.2", "variables": {"s3_endpoint": {"value": null}},`, 1)
	validJSON(t, "plan", src)
	l := load(t, tree{"plan.json": src})
	if len(l.Buckets) != 1 {
		t.Errorf("buckets %v, want aws_s3_bucket.b: a null endpoint is AWS's", l.addresses())
	}
	for _, d := range l.diags() {
		if strings.Contains(d, "custom endpoint") {
			t.Errorf("unexpected %s", d)
		}
	}
}
