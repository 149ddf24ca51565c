package tfplan_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/fuzzcheck"
	"github.com/s3lint/s3lint/parsers/tfplan"
)

// fuzzLoadPlan writes src as plan.json beside a fixed valid plan in another
// directory and loads both: no panic (Load turns one into an "internal
// error" diagnostic), the fixed plan still loads, every range in the
// fuzzed file lies inside it, and a second load gives the same graph.
func fuzzLoadPlan(t *testing.T, dir string, src []byte) {
	path := filepath.Join(dir, "fuzz", "plan.json")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	g := tfplan.Load(tfplan.Options{Paths: []string{dir}})
	fixed := false
	for _, b := range g.Buckets {
		fixed = fixed || b.Address == "aws_s3_bucket.fixed" && b.Name.Is("fixed-bucket") && strings.HasSuffix(b.Range.File, "fixed/plan.json")
	}
	if !fixed {
		t.Fatalf("the fixed plan did not load beside the fuzzed file")
	}
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("panic while loading: %s", d.Message)
		}
		if d.File == "" {
			t.Fatalf("diagnostic without a file: %+v", d)
		}
	}
	checkRanges(t, g, filepath.ToSlash(path), len(src))
	// Every range anywhere in the graph, not only those checkRanges
	// names, lies inside the file.
	if bad := fuzzcheck.BadRange(g, fuzzcheck.Sizes{path: len(src), filepath.ToSlash(path): len(src)}); bad != "" {
		t.Fatal(bad)
	}
	if again := tfplan.Load(tfplan.Options{Paths: []string{dir}}); !reflect.DeepEqual(g, again) {
		t.Fatalf("two loads of the same plan differ")
	}
	// The overlay of the plan graph on an empty configuration never
	// panics either.
	tfplan.Overlay(&graph.Graph{}, g)
}

// knownNilBug reports inputs with a null where terraform-json decodes a
// pointer that tfplan dereferences: a provider_config entry, a resource or
// module call of the configuration, a resource change. encoding/json
// matches keys without regard to case ("resoUrce_changes" fills
// ResourceChanges), so the lookups do too.
func knownNilBug(src []byte) bool {
	var v any
	if json.Unmarshal(src, &v) != nil {
		return false
	}
	root, _ := v.(map[string]any)
	if root == nil {
		return false
	}
	for _, v := range fold(root, "resource_changes") {
		if rcs, ok := v.([]any); ok {
			for _, rc := range rcs {
				if rc == nil {
					return true
				}
			}
		}
	}
	for _, c := range fold(root, "configuration") {
		cfg, _ := c.(map[string]any)
		if cfg == nil {
			continue
		}
		for _, v := range fold(cfg, "provider_config") {
			if pcs, ok := v.(map[string]any); ok {
				for _, pc := range pcs {
					if pc == nil {
						return true
					}
				}
			}
		}
		if nilInModule(fold(cfg, "root_module")...) {
			return true
		}
	}
	return false
}

// fold returns the values of the keys of m equal to key without regard to
// case.
func fold(m map[string]any, key string) []any {
	var out []any
	for k, v := range m {
		if strings.EqualFold(k, key) {
			out = append(out, v)
		}
	}
	return out
}

// nilInModule reports a null resource or module call in configuration modules.
func nilInModule(ms ...any) bool {
	for _, m := range ms {
		mm, _ := m.(map[string]any)
		if mm == nil {
			continue
		}
		for _, v := range fold(mm, "resources") {
			if rs, ok := v.([]any); ok {
				for _, r := range rs {
					if r == nil {
						return true
					}
				}
			}
		}
		for _, v := range fold(mm, "module_calls") {
			calls, _ := v.(map[string]any)
			for _, c := range calls {
				if c == nil {
					return true
				}
				if cm, _ := c.(map[string]any); cm != nil && nilInModule(fold(cm, "module")...) {
					return true
				}
			}
		}
	}
	return false
}

// checkRanges fails when a range in the fuzzed file ends before it starts
// or lies outside the file.
func checkRanges(t *testing.T, g *graph.Graph, path string, size int) {
	t.Helper()
	check := func(what string, r graph.Range) {
		if r.File != path {
			return
		}
		if r.Start.Byte > r.End.Byte || r.End.Byte > size || r.Start.Byte < 0 || r.Start.Line < 1 || r.Start.Col < 1 ||
			r.Start.Line > r.End.Line || r.Start.Line == r.End.Line && r.Start.Col > r.End.Col {
			t.Fatalf("%s: bad range %+v (file of %d bytes)", what, r, size)
		}
	}
	strs := func(what string, s graph.Strings) {
		check(what, s.Range)
		check(what+" key", s.KeyRange)
		for _, it := range s.Items {
			check(what+" item", it.Range)
		}
	}
	for _, p := range g.Policies {
		check("policy", p.Range)
		check("DocRange", p.DocRange)
		check("policy name", p.Name.Range)
		check("policy ARN", p.ARN.Range)
		if p.Doc == nil {
			continue
		}
		check("doc", p.Doc.Range)
		for _, pr := range p.Doc.Problems {
			check("problem", pr.Range)
		}
		for _, st := range p.Doc.Statements {
			check("statement", st.Range)
			check("effect", st.Effect.Range)
			check("sid", st.Sid.Range)
			strs("Action", st.Action)
			strs("NotAction", st.NotAction)
			strs("Resource", st.Resource)
			strs("NotResource", st.NotResource)
			for _, spec := range []*graph.PrincipalSpec{st.Principal, st.NotPrincipal} {
				if spec == nil {
					continue
				}
				check("principal", spec.Range)
				for _, e := range spec.Entries {
					check("principal type", e.Type.Range)
					for _, v := range e.Values {
						check("principal value", v.Range)
					}
				}
			}
			for _, c := range st.Conditions {
				check("condition", c.Range)
				check("condition key", c.Key.Range)
				for _, v := range c.Values {
					check("condition value", v.Range)
				}
			}
		}
	}
	for _, b := range g.Buckets {
		check("bucket", b.Range)
		check("bucket name", b.Name.Range)
		check("bucket ARN", b.ARN.Range)
	}
	for _, p := range g.Principals {
		check("principal", p.Range)
		check("principal ARN", p.ARN.Range)
		for _, a := range p.ManagedARNs {
			check("managed ARN", a.Range)
		}
	}
	for _, d := range g.Diagnostics {
		check("diagnostic", d.Range)
	}
}

func fuzzDir(f *testing.F) string {
	dir := f.TempDir()
	for _, d := range []string{"fixed", "fuzz"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "fixed", "plan.json"), []byte(fixedPlan), 0o644); err != nil {
		f.Fatal(err)
	}
	return dir
}

func FuzzLoadPlan(f *testing.F) {
	seeds := []string{
		"",
		"{}",
		`{"format_version":"1.2","terraform_version":"1.9.5"}`,
		fixedPlan,
		modulesPlan,
		stateJSON,
		iamPlan,
		prettyPolicyPlan,
		overlayPlan,
		modulePlan(),
		rulePlan("aws_iam_policy", "p", `"name": "p",`, `"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-data\"}]}"`),
		onePlan("aws_iam_role.r", "aws_iam_role", `{"name":"r","inline_policy":[{"name":"x","policy":"{\"Statement\":{\"Effect\":\"Allow\"}}"}],"managed_policy_arns":[null,"arn:aws:iam::aws:policy/x"]}`, `{"inline_policy":[{"policy":true}],"managed_policy_arns":[true]}`, `{"managed_policy_arns":{"references":["aws_iam_policy.p.arn","aws_iam_policy.p"]}}`),
		onePlan("aws_s3_bucket.b", "aws_s3_bucket", `{"bucket":"b","policy":"{\"Statement\":[{\"Resource\":\"\\u0026\ud83d\ude00\\ud83d\"}]}"}`, `{"arn":true}`, `{}`),
		"\ufeff" + fixedPlan,
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"module.x[\"a.b\"].aws_s3_bucket_policy.p[\"q\\\"]\"]","mode":"managed","type":"aws_s3_bucket_policy","values":{"policy":"{}"}}]}},"configuration":{"root_module":{"resources":[{"address":"aws_s3_bucket_policy.p","expressions":{"bucket":{"references":["aws_s3_bucket.b[\"q\\\"]\"]","data.x.y.z","module.m"]}}}]}}}`,
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{},"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"assume_role":[{"role_arn":{"constant_value":"arn:aws:iam::123456789012:role/x"}}],"allowed_account_ids":{"constant_value":["123456789012"]}}}}}}`,
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[null]}`,
		"{\"format_version\":\"1.2\",\r\n\"terraform_version\":\"1.9.5\",\"planned_values\":{\"root_module\":{\"resources\":[{\"address\":\"aws_s3_bucket.b\",\"mode\":\"managed\",\"type\":\"aws_s3_bucket\",\"name\":\"b\",\"values\":{\"bucket\":\"\x00\xff\xfe\"}}]}}}",
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","index":1e999999,"values":{"bucket":"b","tags":` + strings.Repeat("[", 520) + strings.Repeat("]", 520) + `}}]}}}`,
		`{"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[{"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","change":{"actions":["create"],"before":null,"after":{"bucket":"acme-logs","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyHTTP\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::acme-logs/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"},"after_unknown":{}}}],"configuration":{"root_module":{"resources":[{"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","expressions":{"bucket":{"references":["aws_s3_bucket.logs.id","aws_s3_bucket.logs"]},"policy":{"references":["data.aws_iam_policy_document.p.json"]}}}]}}}`,
		// Deliveries with odd values.
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[` +
			`{"address":"aws_lb.w","mode":"managed","type":"aws_lb","name":"w","values":{"load_balancer_type":"network","access_logs":[{"bucket":"arn:aws:s3:::","enabled":"true"}]}},` +
			`{"address":"aws_flow_log.f","mode":"managed","type":"aws_flow_log","name":"f","values":{"log_destination_type":"s3","log_destination":7}},` +
			`{"address":"aws_wafv2_web_acl_logging_configuration.c","mode":"managed","type":"aws_wafv2_web_acl_logging_configuration","name":"c","values":{"log_destination_configs":[null]}},` +
			`{"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t","values":{"name":null,"s3_bucket_name":"","is_organization_trail":"maybe"}},` +
			`{"address":"aws_s3_bucket.l","mode":"managed","type":"aws_s3_bucket","name":"l","values":{"bucket":"l","logging":[{}]}},` +
			`{"address":"aws_config_delivery_channel.c","mode":"managed","type":"aws_config_delivery_channel","name":"c","values":{"s3_bucket_name":["x"]}}]}}}`,
		// Replication rules, reports and vended logs with odd values.
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[` +
			`{"address":"aws_s3_bucket_replication_configuration.r","mode":"managed","type":"aws_s3_bucket_replication_configuration","name":"r","values":{"bucket":7,"role":null,"rule":[null,3,{"status":"Enabled","filter":[null],"destination":[{"bucket":"arn:"}]},{"status":"Enabled","destination":{}}]}},` +
			`{"address":"aws_s3_bucket_inventory.i","mode":"managed","type":"aws_s3_bucket_inventory","name":"i","values":{"enabled":"yes","destination":[{"bucket":[7]}]}},` +
			`{"address":"aws_s3_bucket_analytics_configuration.a","mode":"managed","type":"aws_s3_bucket_analytics_configuration","name":"a","values":{"storage_class_analysis":[{"data_export":[{"destination":[[]]}]}]}},` +
			`{"address":"aws_route53_resolver_query_log_config.q","mode":"managed","type":"aws_route53_resolver_query_log_config","name":"q","values":{"destination_arn":"arn:"}},` +
			`{"address":"aws_msk_cluster.m","mode":"managed","type":"aws_msk_cluster","name":"m","values":{"logging_info":[{"broker_logs":[{"s3":[{"enabled":true,"bucket":null}]}]}]}},` +
			`{"address":"aws_networkfirewall_logging_configuration.f","mode":"managed","type":"aws_networkfirewall_logging_configuration","name":"f","values":{"logging_configuration":[{"log_destination_config":[{"log_destination":"x","log_destination_type":"S3"},{"log_destination":{"bucketName":7,"prefix":"/p"},"log_destination_type":"S3","log_type":null},3]}]}}]},` +
			`"resource_changes":[{"address":"aws_s3_bucket_replication_configuration.r","change":{"after_unknown":{"role":true,"rule":[true]}}}],` +
			`"configuration":{"root_module":{"resources":[{"address":"aws_s3_bucket_replication_configuration.r","expressions":{"role":{"references":["aws_iam_role.x.arn"]}}}]}}}`,
		// Distributions with odd origins and behaviors.
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[` +
			`{"address":"aws_cloudfront_distribution.d","mode":"managed","type":"aws_cloudfront_distribution","name":"d","values":{"arn":7,` +
			`"origin":[null,{"origin_id":3,"origin_access_control_id":null,"s3_origin_config":[{"origin_access_identity":"origin-access-identity/cloudfront/"}]},{"domain_name":"b.s3.amazonaws.com","s3_origin_config":"x"}],` +
			`"origin_group":[{"origin_id":"g","member":[{"origin_id":null},5]}],"default_cache_behavior":[{"lambda_function_association":[{"event_type":null}],"function_association":7}],"ordered_cache_behavior":{}}}]}}}`,
		// Keys of replication and inventories, found through references.
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[` +
			`{"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","values":{}},` +
			`{"address":"aws_s3_bucket_replication_configuration.r","mode":"managed","type":"aws_s3_bucket_replication_configuration","name":"r","values":{"bucket":"b","role":"arn:aws:iam::1:role/r","rule":[{"status":"Enabled","source_selection_criteria":[{"sse_kms_encrypted_objects":[{"status":"Enabled"}]}],"destination":[{"bucket":"arn:aws:s3:::d","encryption_configuration":[{"replica_kms_key_id":7}]}]}]}},` +
			`{"address":"aws_s3_bucket_inventory.i","mode":"managed","type":"aws_s3_bucket_inventory","name":"i","values":{"bucket":"b","destination":[{"bucket":[{"bucket_arn":"arn:aws:s3:::d","encryption":[{"sse_kms":[{"key_id":null}]}]}]}]}}]}},` +
			`"configuration":{"root_module":{"resources":[{"address":"aws_s3_bucket_inventory.i","expressions":{"destination":[{"bucket":[{"encryption":[{"sse_kms":[{"key_id":{"references":["aws_kms_key.k.arn","aws_kms_key.k"]}}]}]}]}]}},` +
			`{"address":"aws_s3_bucket_replication_configuration.r","expressions":{"rule":[{"destination":[{"encryption_configuration":[{"replica_kms_key_id":{"references":["aws_kms_key.k"]}}]}]}]}}]}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := fuzzDir(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzLoadPlan(t, dir, src)
	})
}

// The fuzz helper accepts a good plan and sees the fuzzed file.
func TestFuzzHelper(t *testing.T) {
	dir := writeTree(t, tree{"fixed/plan.json": fixedPlan, "fuzz/plan.json": ""})
	fuzzLoadPlan(t, dir, []byte(iamPlan))
	g := tfplan.Load(tfplan.Options{Paths: []string{dir}})
	if len(g.Principals) == 0 {
		t.Errorf("the fuzzed plan was not loaded")
	}
	if !knownNilBug([]byte(`{"resource_changes":[null]}`)) || knownNilBug([]byte(fixedPlan)) ||
		!knownNilBug([]byte(`{"configuration":{"root_module":{"module_calls":{"a":{"module":{"resources":[null]}}}}}}`)) {
		t.Errorf("knownNilBug")
	}
}
