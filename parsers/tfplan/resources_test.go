package tfplan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// Resources come from planned_values: the root module and nested child
// modules, with count and for_each instance addresses; a resource being
// destroyed is left out, a replaced one is kept.
func TestPlannedValuesModulesAndInstances(t *testing.T) {
	validJSON(t, "modulesPlan", modulesPlan)
	l := load(t, tree{"plan.json": modulesPlan})
	if len(l.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", l.diags())
	}
	want := map[string]string{
		"aws_s3_bucket.data":                                         "acme-data-prod",
		"aws_s3_bucket.logs[0]":                                      "acme-logs-0",
		"aws_s3_bucket.logs[1]":                                      "acme-logs-1",
		"aws_s3_bucket.generated":                                    "?",
		"aws_s3_bucket.replaced":                                     "acme-replaced",
		"aws_s3_bucket.unchanged":                                    "acme-unchanged",
		`module.site["blue"].aws_s3_bucket.b[0]`:                     "acme-site-blue",
		`module.site["blue"].module.inner.aws_s3_bucket.deep["a.b"]`: "acme-deep-blue",
	}
	got := map[string]string{}
	for _, b := range l.Buckets {
		if _, dup := got[b.Address]; dup {
			t.Errorf("bucket %s twice", b.Address)
		}
		got[b.Address] = sv(b.Name)
	}
	for addr, name := range want {
		if got[addr] != name {
			t.Errorf("%s: name %q, want %q", addr, got[addr], name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("buckets %v, want %d", got, len(want))
	}
	if _, ok := got["aws_s3_bucket.old"]; ok {
		t.Errorf("a bucket being destroyed was loaded")
	}
	for _, b := range l.Buckets {
		if b.Format != graph.TerraformPlan || b.Type != "aws_s3_bucket" || b.Root != l.dir || b.Provider != "aws" {
			t.Errorf("%s: format %v type %s root %q provider %q", b.Address, b.Format, b.Type, b.Root, b.Provider)
		}
		// The entity range is the resource's object in planned_values.
		if want := l.at("plan.json", `"address": "`+strings.ReplaceAll(b.Address, `"`, `\"`)+`"`, 0); l.start(b.Range) != shiftLine(want, -1) {
			t.Errorf("%s: range starts at %s, want the object before %s", b.Address, l.start(b.Range), want)
		}
	}
	// ARNs: from the plan when known, else built from the name; a name
	// chosen at apply is a symbol that names the resource and the plan.
	if b := l.bucket("aws_s3_bucket.unchanged"); !b.ARN.Is("arn:aws:s3:::acme-unchanged") || l.start(b.ARN.Range) != l.at("plan.json", `"arn:aws:s3:::acme-unchanged"`, 0) {
		t.Errorf("known ARN %s at %s", sv(b.ARN), l.start(b.ARN.Range))
	}
	if b := l.bucket("aws_s3_bucket.data"); !b.ARN.Is("arn:aws:s3:::acme-data-prod") {
		t.Errorf("built ARN %s", sv(b.ARN))
	}
	g := l.bucket("aws_s3_bucket.generated")
	if !g.ARN.Known() || !graph.HasSymbol(g.ARN.V) || graph.SymbolAddress(g.ARN.V) != "aws_s3_bucket.generated" ||
		!strings.HasPrefix(g.ARN.V, "arn:aws:s3:::<name of ") {
		t.Errorf("generated bucket ARN %q", g.ARN.V)
	}
	// The caller identity read while planning (prior_state) gives the
	// provider's account; the region gives the partition.
	for _, b := range l.Buckets {
		if b.Account != "111122223333" {
			t.Errorf("%s: account %q", b.Address, b.Account)
		}
	}
	// Data sources are not entities.
	for _, a := range l.addresses() {
		if strings.Contains(a, "data.") {
			t.Errorf("data source loaded as %s", a)
		}
	}
}

// shiftLine moves a "file:L:C" position by n lines and two columns to the
// left: the resource object starts with '{' on the line before its
// "address", indented two spaces less.
func shiftLine(pos string, n int) string {
	parts := strings.Split(pos, ":")
	var line, col int
	_, _ = fmt.Sscanf(parts[1], "%d", &line)
	_, _ = fmt.Sscanf(parts[2], "%d", &col)
	return fmt.Sprintf("%s:%d:%d", parts[0], line+n, col-2)
}

// A resource only in the prior state (the plan destroys it) and a resource
// in planned_values whose change is a plain delete are left out; delete then
// create, and create then delete, are replacements and stay.
func TestDeletedAndReplaced(t *testing.T) {
	mk := func(actions string) string {
		return `{"format_version":"1.2","terraform_version":"1.9.5",
"planned_values":{"root_module":{"resources":[{"address":"aws_iam_policy.p","mode":"managed","type":"aws_iam_policy","name":"p","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"name":"p","path":"/","policy":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::b\"}],\"Version\":\"2012-10-17\"}"},"sensitive_values":{}}]}},
"resource_changes":[{"address":"aws_iam_policy.p","mode":"managed","type":"aws_iam_policy","name":"p","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":` + actions + `,"before":{"name":"p"},"after":null,"after_unknown":{},"before_sensitive":{},"after_sensitive":false}}]}`
	}
	for actions, kept := range map[string]bool{
		`["delete"]`:          false,
		`["delete","create"]`: true,
		`["create","delete"]`: true,
		`["update"]`:          true,
		`["no-op"]`:           true,
		`["create"]`:          true,
		`["read"]`:            true,
		`["forget"]`:          true,
		`["delete","forget"]`: true,
		`[]`:                  true,
	} {
		t.Run(actions, func(t *testing.T) {
			src := mk(actions)
			validJSON(t, actions, src)
			l := load(t, tree{"plan.json": src})
			if got := len(l.policies("aws_iam_policy.p")) == 1; got != kept {
				t.Errorf("kept = %v, want %v (%v)", got, kept, l.diags())
			}
		})
	}
}

// Attributes Terraform knows only after apply stay unknown.
func TestAfterUnknown(t *testing.T) {
	policyUnknown := onePlan("aws_iam_policy.p", "aws_iam_policy",
		`{"name":"p","path":"/","tags":null}`, `{"arn":true,"id":true,"policy":true,"policy_id":true}`,
		`{"name":{"constant_value":"p"},"policy":{"references":["aws_s3_bucket.b.arn","aws_s3_bucket.b"]}}`)
	validJSON(t, "policyUnknown", policyUnknown)
	l := load(t, tree{"plan.json": policyUnknown})
	p := l.policy("aws_iam_policy.p")
	if p.Doc != nil {
		t.Errorf("an unknown policy has a document: %+v", p.Doc)
	}
	if p.Kind != graph.IdentityPolicy || !p.Name.Is("p") {
		t.Errorf("kind %v name %s", p.Kind, sv(p.Name))
	}
	if p.DocRange != p.Range || p.DocRange.IsZero() {
		t.Errorf("an unknown policy's DocRange %s, want the resource %s", l.rng(p.DocRange), l.rng(p.Range))
	}
	// arn unknown: built from name, path and the provider's account.
	if !p.ARN.Known() || !strings.HasPrefix(p.ARN.V, "arn:aws:iam::<account of aws in ") || !strings.HasSuffix(p.ARN.V, ":policy/p") {
		t.Errorf("ARN %q", p.ARN.V)
	}

	// A policy attribute absent and not unknown is no policy at all.
	noPolicy := onePlan("aws_iam_policy.p", "aws_iam_policy", `{"name":"p","path":"/"}`, `{"arn":true,"id":true}`, `{}`)
	l = load(t, tree{"plan.json": noPolicy})
	if n := len(l.policies("aws_iam_policy.p")); n != 0 {
		t.Errorf("%d policies for an absent policy", n)
	}

	// A role whose name is unknown (name_prefix) has an unknown ARN;
	// a path unknown too.
	role := onePlan("aws_iam_role.r", "aws_iam_role",
		`{"assume_role_policy":"{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}","name_prefix":"app-","path":"/svc/"}`,
		`{"arn":true,"id":true,"name":true,"unique_id":true}`, `{}`)
	l = load(t, tree{"plan.json": role})
	r := l.principal("aws_iam_role.r")
	if r.Name.Known() || r.ARN.Known() {
		t.Errorf("name %s ARN %s, want unknown", sv(r.Name), sv(r.ARN))
	}
	if r.Trust == nil || r.Trust.Doc == nil {
		t.Errorf("known trust policy not read")
	}

	// A bucket whose policy attribute is unknown has an unknown bucket policy.
	bucket := onePlan("aws_s3_bucket.b", "aws_s3_bucket", `{"bucket":"acme-b"}`, `{"arn":true,"id":true,"policy":true}`,
		`{"bucket":{"constant_value":"acme-b"},"policy":{"references":["data.aws_iam_policy_document.d.json"]}}`)
	l = load(t, tree{"plan.json": bucket})
	b := l.bucket("aws_s3_bucket.b")
	if len(b.Policies) != 1 || b.Policies[0].Doc != nil || b.Policies[0].Bucket != b {
		t.Errorf("bucket policies %+v", b.Policies)
	}
}

// A nested attribute unknown until apply (an inline policy of a role built
// from another resource's ARN) is unknown like a top-level one: Terraform
// writes after_unknown {"inline_policy":[{"policy":true}]} and leaves policy
// out of the element. The HCL loader keeps such a policy with a nil Doc.
func TestAfterUnknownNested(t *testing.T) {
	src := onePlan("aws_iam_role.r", "aws_iam_role",
		`{"assume_role_policy":"{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}","name":"r","path":"/","inline_policy":[{"name":"later"}]}`,
		`{"arn":true,"id":true,"inline_policy":[{"policy":true}],"unique_id":true}`, `{}`)
	validJSON(t, "nested", src)
	l := load(t, tree{"plan.json": src})
	r := l.principal("aws_iam_role.r")
	if len(r.Policies) != 1 {
		t.Fatalf("role policies: %v", policyAddrs(r.Policies))
	}
	if r.Policies[0].Doc != nil || !r.Policies[0].Name.Is("later") {
		t.Errorf("inline policy %s doc %v", sv(r.Policies[0].Name), r.Policies[0].Doc)
	}
}

// Provider accounts come from the configuration: allowed_account_ids,
// assume_role's role_arn, aliases through provider_config_key, a module's
// own provider, and the caller identity of each provider.
func TestProviderAccounts(t *testing.T) {
	res := func(addr, name, bucket string) string {
		return `{"address":"` + addr + `","mode":"managed","type":"aws_s3_bucket","name":"` + name + `","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"` + bucket + `"},"sensitive_values":{}}`
	}
	cres := func(name, key string) string {
		return `{"address":"aws_s3_bucket.` + name + `","mode":"managed","type":"aws_s3_bucket","name":"` + name + `","provider_config_key":"` + key + `","expressions":{"bucket":{"constant_value":"x"}},"schema_version":0}`
	}
	src := `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        ` + res("aws_s3_bucket.default", "default", "acme-default") + `,
        ` + res("aws_s3_bucket.prod", "prod", "acme-prod") + `,
        ` + res("aws_s3_bucket.assumed", "assumed", "acme-assumed") + `,
        ` + res("aws_s3_bucket.many", "many", "acme-many") + `,
        ` + res("aws_s3_bucket.cn", "cn", "acme-cn") + `,
        ` + res("aws_s3_bucket.both", "both", "acme-both") + `,
        ` + res("aws_s3_bucket.byid", "byid", "acme-byid") + `
      ],
      "child_modules": [
        {
          "address": "module.child",
          "resources": [
            ` + res("module.child.aws_s3_bucket.own", "own", "acme-own") + `,
            ` + res("module.child.aws_s3_bucket.inherited", "inherited", "acme-inherited") + `
          ]
        }
      ]
    }
  },
  "prior_state": {
    "format_version": "1.0",
    "terraform_version": "1.9.5",
    "values": {
      "root_module": {
        "resources": [
          {"address":"data.aws_caller_identity.byid","mode":"data","type":"aws_caller_identity","name":"byid","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"account_id":"999900001111","arn":"arn:aws:iam::999900001111:user/ci","id":"999900001111","user_id":"AIDA"},"sensitive_values":{}}
        ]
      }
    }
  },
  "configuration": {
    "provider_config": {
      "aws": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "expressions": {"region": {"constant_value": "eu-west-1"}}
      },
      "aws.prod": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "alias": "prod",
        "expressions": {
          "allowed_account_ids": {"constant_value": ["444455556666"]},
          "region": {"constant_value": "us-east-1"}
        }
      },
      "aws.assumed": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "alias": "assumed",
        "expressions": {
          "assume_role": [
            {
              "role_arn": {"constant_value": "arn:aws:iam::777788889999:role/deploy"},
              "session_name": {"constant_value": "ci"}
            }
          ]
        }
      },
      "aws.many": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "alias": "many",
        "expressions": {"allowed_account_ids": {"constant_value": ["444455556666", "777788889999"]}}
      },
      "aws.cn": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "alias": "cn",
        "expressions": {"region": {"constant_value": "cn-north-1"}, "allowed_account_ids": {"constant_value": ["123412341234"]}}
      },
      "aws.both": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "alias": "both",
        "expressions": {
          "allowed_account_ids": {"constant_value": ["444455556666"]},
          "assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::777788889999:role/deploy"}}]
        }
      },
      "aws.byid": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "alias": "byid",
        "expressions": {"allowed_account_ids": {"references": ["var.account_ids"]}}
      },
      "module.child:aws": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "module_address": "module.child",
        "expressions": {"allowed_account_ids": {"constant_value": ["555566667777"]}, "region": {"constant_value": "us-gov-west-1"}}
      }
    },
    "root_module": {
      "resources": [
        ` + cres("default", "aws") + `,
        ` + cres("prod", "aws.prod") + `,
        ` + cres("assumed", "aws.assumed") + `,
        ` + cres("many", "aws.many") + `,
        ` + cres("cn", "aws.cn") + `,
        ` + cres("both", "aws.both") + `,
        ` + cres("byid", "aws.byid") + `,
        {"address":"data.aws_caller_identity.byid","mode":"data","type":"aws_caller_identity","name":"byid","provider_config_key":"aws.byid","schema_version":0}
      ],
      "module_calls": {
        "child": {
          "source": "./child",
          "module": {
            "resources": [
              ` + cres("own", "module.child:aws") + `,
              ` + cres("inherited", "aws.prod") + `
            ]
          }
        }
      }
    }
  }
}`
	validJSON(t, "accounts", src)
	l := load(t, tree{"plan.json": src})
	if len(l.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", l.diags())
	}
	for addr, want := range map[string]struct {
		provider string
		account  graph.Account
		arn      string
	}{
		"aws_s3_bucket.default":                {"aws", "", "arn:aws:s3:::acme-default"},
		"aws_s3_bucket.prod":                   {"aws.prod", "444455556666", "arn:aws:s3:::acme-prod"},
		"aws_s3_bucket.assumed":                {"aws.assumed", "777788889999", "arn:aws:s3:::acme-assumed"},
		"aws_s3_bucket.many":                   {"aws.many", "", "arn:aws:s3:::acme-many"},
		"aws_s3_bucket.cn":                     {"aws.cn", "123412341234", "arn:aws-cn:s3:::acme-cn"},
		"aws_s3_bucket.both":                   {"aws.both", "444455556666", "arn:aws:s3:::acme-both"},
		"aws_s3_bucket.byid":                   {"aws.byid", "999900001111", "arn:aws:s3:::acme-byid"},
		"module.child.aws_s3_bucket.own":       {"module.child:aws", "555566667777", "arn:aws-us-gov:s3:::acme-own"},
		"module.child.aws_s3_bucket.inherited": {"aws.prod", "444455556666", "arn:aws:s3:::acme-inherited"},
	} {
		b := l.bucket(addr)
		if b.Provider != want.provider {
			t.Errorf("%s: provider %q, want %q", addr, b.Provider, want.provider)
		}
		if want.account == "" {
			// No literal account: a symbol naming the provider.
			if !b.Account.IsSymbol() || !strings.Contains(string(b.Account), want.provider) {
				t.Errorf("%s: account %q, want a symbol for %s", addr, b.Account, want.provider)
			}
		} else if b.Account != want.account {
			t.Errorf("%s: account %q, want %q", addr, b.Account, want.account)
		}
		if !b.ARN.Is(want.arn) {
			t.Errorf("%s: ARN %s, want %s", addr, sv(b.ARN), want.arn)
		}
	}
	// Two providers without accounts have different symbols.
	if l.bucket("aws_s3_bucket.default").Account == l.bucket("aws_s3_bucket.many").Account {
		t.Errorf("aliases share a symbolic account")
	}
}

// Without configuration (a state, or a plan without the configuration
// section) every resource uses a default provider with a symbolic account
// scoped to its file; two plans do not share a symbol.
func TestAccountsWithoutConfiguration(t *testing.T) {
	src := `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"name":"r","path":"/x/","assume_role_policy":"{}"}}]}}}`
	l := load(t, tree{"a/plan.json": src, "b/plan.json": src})
	if len(l.Principals) != 2 {
		t.Fatalf("principals: %v", l.addresses())
	}
	a, b := l.Principals[0], l.Principals[1]
	if !a.Account.IsSymbol() || a.Account == b.Account {
		t.Errorf("accounts %q and %q", a.Account, b.Account)
	}
	if !strings.HasSuffix(a.ARN.V, ":role/x/r") || a.ARN.V == b.ARN.V {
		t.Errorf("ARNs %q and %q", a.ARN.V, b.ARN.V)
	}
}

// Instance keys with dots, quotes and brackets keep the addresses Terraform
// writes, and references from one for_each instance reach the instance with
// the same key.
func TestInstanceKeys(t *testing.T) {
	src := `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "child_modules": [
        {
          "address": "module.x[\"a\"]",
          "resources": [
            {"address":"module.x[\"a\"].aws_s3_bucket.b[0]","mode":"managed","type":"aws_s3_bucket","name":"b","index":0,"provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"acme-x-a"},"sensitive_values":{}},
            {"address":"module.x[\"a\"].aws_s3_bucket_policy.p[0]","mode":"managed","type":"aws_s3_bucket_policy","name":"p","index":0,"provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"policy":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::acme-x-a/*\"}],\"Version\":\"2012-10-17\"}"},"sensitive_values":{}}
          ]
        },
        {
          "address": "module.x[\"b.c\"]",
          "resources": [
            {"address":"module.x[\"b.c\"].aws_s3_bucket.b[0]","mode":"managed","type":"aws_s3_bucket","name":"b","index":0,"provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"acme-x-bc"},"sensitive_values":{}},
            {"address":"module.x[\"b.c\"].aws_s3_bucket_policy.p[0]","mode":"managed","type":"aws_s3_bucket_policy","name":"p","index":0,"provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"policy":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::acme-x-bc/*\"}],\"Version\":\"2012-10-17\"}"},"sensitive_values":{}}
          ]
        }
      ],
      "resources": [
        {"address":"aws_s3_bucket.k[\"q\\\"x]\"]","mode":"managed","type":"aws_s3_bucket","name":"k","index":"q\"x]","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"acme-k-q"},"sensitive_values":{}},
        {"address":"aws_s3_bucket.k[\"r\"]","mode":"managed","type":"aws_s3_bucket","name":"k","index":"r","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"acme-k-r"},"sensitive_values":{}},
        {"address":"aws_s3_bucket_policy.k[\"q\\\"x]\"]","mode":"managed","type":"aws_s3_bucket_policy","name":"k","index":"q\"x]","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"policy":"{\"Statement\":[],\"Version\":\"2012-10-17\"}"},"sensitive_values":{}},
        {"address":"aws_s3_bucket_policy.k[\"r\"]","mode":"managed","type":"aws_s3_bucket_policy","name":"k","index":"r","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"policy":"{\"Statement\":[],\"Version\":\"2012-10-17\"}"},"sensitive_values":{}}
      ]
    }
  },
  "resource_changes": [
    {"address":"module.x[\"a\"].aws_s3_bucket_policy.p[0]","module_address":"module.x[\"a\"]","mode":"managed","type":"aws_s3_bucket_policy","name":"p","index":0,"provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"bucket":true,"id":true},"before_sensitive":false,"after_sensitive":{}}},
    {"address":"module.x[\"b.c\"].aws_s3_bucket_policy.p[0]","module_address":"module.x[\"b.c\"]","mode":"managed","type":"aws_s3_bucket_policy","name":"p","index":0,"provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"bucket":true,"id":true},"before_sensitive":false,"after_sensitive":{}}},
    {"address":"aws_s3_bucket_policy.k[\"q\\\"x]\"]","mode":"managed","type":"aws_s3_bucket_policy","name":"k","index":"q\"x]","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"bucket":true,"id":true},"before_sensitive":false,"after_sensitive":{}}},
    {"address":"aws_s3_bucket_policy.k[\"r\"]","mode":"managed","type":"aws_s3_bucket_policy","name":"k","index":"r","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"bucket":true,"id":true},"before_sensitive":false,"after_sensitive":{}}}
  ],
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
    "root_module": {
      "resources": [
        {"address":"aws_s3_bucket.k","mode":"managed","type":"aws_s3_bucket","name":"k","provider_config_key":"aws","expressions":{"bucket":{"references":["each.value"]}},"schema_version":0,"for_each_expression":{"references":["local.keys"]}},
        {"address":"aws_s3_bucket_policy.k","mode":"managed","type":"aws_s3_bucket_policy","name":"k","provider_config_key":"aws","expressions":{"bucket":{"references":["aws_s3_bucket.k[each.key].id","aws_s3_bucket.k","each.key"]},"policy":{"constant_value":"{}"}},"schema_version":0,"for_each_expression":{"references":["local.keys"]}}
      ],
      "module_calls": {
        "x": {
          "source": "./x",
          "for_each_expression": {"constant_value": ["a", "b.c"]},
          "module": {
            "resources": [
              {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_config_key":"aws","expressions":{"bucket":{"references":["var.name"]}},"schema_version":0,"count_expression":{"constant_value":1}},
              {"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","provider_config_key":"aws","expressions":{"bucket":{"references":["aws_s3_bucket.b[0].id","aws_s3_bucket.b[0]","aws_s3_bucket.b"]},"policy":{"references":["aws_s3_bucket.b[0].arn","aws_s3_bucket.b[0]","aws_s3_bucket.b"]}},"schema_version":0,"count_expression":{"constant_value":1}}
            ]
          }
        }
      }
    }
  }
}`
	validJSON(t, "keys", src)
	l := load(t, tree{"plan.json": src})
	if len(l.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", l.diags())
	}
	links := map[string]string{
		`module.x["a"].aws_s3_bucket_policy.p[0]`: `module.x["a"].aws_s3_bucket.b[0]`,
		`aws_s3_bucket_policy.k["q\"x]"]`:         `aws_s3_bucket.k["q\"x]"]`,
		`aws_s3_bucket_policy.k["r"]`:             `aws_s3_bucket.k["r"]`,
	}
	// A module instance key with a dot: the dot inside ["b.c"] does not
	// split the module path.
	links[`module.x["b.c"].aws_s3_bucket_policy.p[0]`] = `module.x["b.c"].aws_s3_bucket.b[0]`
	for pol, bucket := range links {
		p := l.policy(pol)
		if p.Bucket == nil || p.Bucket.Address != bucket {
			got := "<nil>"
			if p.Bucket != nil {
				got = p.Bucket.Address
			}
			t.Errorf("%s: bucket %s, want %s", pol, got, bucket)
		}
		if p.BucketRef.Known() {
			t.Errorf("%s: bucket attribute unknown in the plan but BucketRef = %s", pol, sv(p.BucketRef))
		}
	}
	for _, b := range l.Buckets {
		if _, ok := links[strings.Replace(b.Address, "aws_s3_bucket.", "aws_s3_bucket_policy.", 1)]; ok && len(b.Policies) != 1 {
			t.Errorf("%s: %d policies", b.Address, len(b.Policies))
		}
	}
}

// The same failure on its own, for the report.
func TestModuleKeyWithDot(t *testing.T) {
	src := `{"format_version":"1.2","terraform_version":"1.9.5",
"planned_values":{"root_module":{"child_modules":[{"address":"module.x[\"b.c\"]","resources":[
 {"address":"module.x[\"b.c\"].aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"acme-bc"}},
 {"address":"module.x[\"b.c\"].aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","values":{"policy":"{\"Statement\":[]}"}}]}]}},
"resource_changes":[{"address":"module.x[\"b.c\"].aws_s3_bucket_policy.p","change":{"actions":["create"],"after_unknown":{"bucket":true}}}],
"configuration":{"root_module":{"module_calls":{"x":{"source":"./x","module":{"resources":[
 {"address":"aws_s3_bucket_policy.p","mode":"managed","type":"aws_s3_bucket_policy","name":"p","expressions":{"bucket":{"references":["aws_s3_bucket.b.id","aws_s3_bucket.b"]}}}]}}}}}}`
	validJSON(t, "dotted", src)
	l := load(t, tree{"plan.json": src})
	p := l.policy(`module.x["b.c"].aws_s3_bucket_policy.p`)
	if p.Bucket == nil || p.Bucket.Address != `module.x["b.c"].aws_s3_bucket.b` {
		t.Errorf("bucket policy not linked to its bucket by reference")
	}
}

// A deposed object (left over from a create_before_destroy replacement
// whose destroy failed) has a resource change of its own, at the same
// address as the current object, with "deposed" set and actions ["delete"].
// Terraform sorts it after the current object's change. The current object
// stays.
func TestDeposedObjectDoesNotHideCurrent(t *testing.T) {
	src := `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
         "values": {"name": "p", "path": "/", "policy": "{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-data\"}],\"Version\":\"2012-10-17\"}"}, "sensitive_values": {}}
      ]
    }
  },
  "resource_changes": [
    {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["no-op"], "before": {}, "after": {}, "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}},
    {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "provider_name": "registry.terraform.io/hashicorp/aws", "deposed": "00000001",
     "change": {"actions": ["delete"], "before": {"name": "p"}, "after": null, "after_unknown": {}, "before_sensitive": {}, "after_sensitive": false}}
  ]
}`
	validJSON(t, "deposed", src)
	l := load(t, tree{"plan.json": src})
	if len(l.policies("aws_iam_policy.p")) != 1 {
		t.Errorf("the current object was dropped: %v", l.addresses())
	}
}

// The AWS provider marks the legacy policy arguments of aws_s3_bucket,
// aws_vpc_endpoint and aws_kms_key Optional+Computed, so a plan that creates
// one without a policy says "policy": true in after_unknown for every one
// of them. That is not a policy set from a value known only at apply: the
// configuration has no policy expression. The HCL loader makes no policy;
// an unknown one stands for "some policy we cannot see". When the
// configuration does set policy from an unknown value, it stays unknown.
func TestComputedPolicyIsNotAPolicy(t *testing.T) {
	res := func(typ, name, values string) string {
		return `{"address":"` + typ + `.` + name + `","mode":"managed","type":"` + typ + `","name":"` + name + `","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":` + values + `,"sensitive_values":{}}`
	}
	rc := func(typ, name, unknown string) string {
		return `{"address":"` + typ + `.` + name + `","mode":"managed","type":"` + typ + `","name":"` + name + `","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{},"after_unknown":` + unknown + `,"before_sensitive":false,"after_sensitive":{}}}`
	}
	cfg := func(typ, name, exprs string) string {
		return `{"address":"` + typ + `.` + name + `","mode":"managed","type":"` + typ + `","name":"` + name + `","provider_config_key":"aws","expressions":` + exprs + `,"schema_version":0}`
	}
	src := `{"format_version":"1.2","terraform_version":"1.9.5",
"planned_values":{"root_module":{"resources":[
` + res("aws_s3_bucket", "plain", `{"bucket":"acme-plain","force_destroy":false}`) + `,
` + res("aws_s3_bucket", "set", `{"bucket":"acme-set","force_destroy":false}`) + `,
` + res("aws_vpc_endpoint", "plain", `{"service_name":"com.amazonaws.eu-west-1.s3","vpc_id":"vpc-1"}`) + `,
` + res("aws_kms_key", "plain", `{"description":"k"}`) + `]}},
"resource_changes":[
` + rc("aws_s3_bucket", "plain", `{"acceleration_status":true,"acl":true,"arn":true,"bucket_domain_name":true,"cors_rule":true,"id":true,"policy":true,"tags_all":true,"versioning":true}`) + `,
` + rc("aws_s3_bucket", "set", `{"arn":true,"id":true,"policy":true}`) + `,
` + rc("aws_vpc_endpoint", "plain", `{"arn":true,"id":true,"policy":true,"route_table_ids":true}`) + `,
` + rc("aws_kms_key", "plain", `{"arn":true,"id":true,"key_id":true,"policy":true}`) + `],
"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}},"root_module":{"resources":[
` + cfg("aws_s3_bucket", "plain", `{"bucket":{"constant_value":"acme-plain"}}`) + `,
` + cfg("aws_s3_bucket", "set", `{"bucket":{"constant_value":"acme-set"},"policy":{"references":["data.aws_iam_policy_document.p.json","data.aws_iam_policy_document.p"]}}`) + `,
` + cfg("aws_vpc_endpoint", "plain", `{"service_name":{"constant_value":"com.amazonaws.eu-west-1.s3"},"vpc_id":{"constant_value":"vpc-1"}}`) + `,
` + cfg("aws_kms_key", "plain", `{"description":{"constant_value":"k"}}`) + `]}}}`
	validJSON(t, "computed", src)
	l := load(t, tree{"plan.json": src})
	// Set from an unknown value: unknown.
	if set := l.bucket("aws_s3_bucket.set"); len(set.Policies) != 1 || set.Policies[0].Doc != nil {
		t.Errorf("aws_s3_bucket.set: %d policies", len(set.Policies))
	}
	var phantom []string
	if b := l.bucket("aws_s3_bucket.plain"); len(b.Policies) != 0 {
		phantom = append(phantom, "aws_s3_bucket.plain has an unknown bucket policy")
	}
	if e := l.endpoint("aws_vpc_endpoint.plain"); e.Policy != nil {
		phantom = append(phantom, "aws_vpc_endpoint.plain has an unknown endpoint policy (nil means AWS's default full-access policy)")
	}
	if k := l.key("aws_kms_key.plain"); k.Policy != nil {
		phantom = append(phantom, "aws_kms_key.plain has an unknown key policy (nil means the default key policy)")
	}
	if len(phantom) > 0 {
		t.Errorf("%v", phantom)
	}
}
