package tfplan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/tfplan"
)

// rulePlan is a plan with one policy resource; pol is the policy text as it
// appears in the plan (escaped).
func rulePlan(typ, name, extra, pol string) string {
	return `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.data",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "data",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {"bucket": "acme-data", "force_destroy": false},
          "sensitive_values": {}
        },
        {
          "address": "` + typ + `.` + name + `",
          "mode": "managed",
          "type": "` + typ + `",
          "name": "` + name + `",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {` + extra + `
            "policy": ` + pol + `
          },
          "sensitive_values": {}
        }
      ]
    }
  },
  "resource_changes": [
    {"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"bucket": "acme-data", "force_destroy": false}, "after_unknown": {"arn": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "` + typ + `.` + name + `", "mode": "managed", "type": "` + typ + `", "name": "` + name + `", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"id": true}, "before_sensitive": false, "after_sensitive": {}}}
  ],
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
    "root_module": {
      "resources": [
        {"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data", "provider_config_key": "aws",
         "expressions": {"bucket": {"constant_value": "acme-data"}}, "schema_version": 0}
      ]
    }
  }
}
`
}

// Each rule fires on a plan with its defect, at the exact place inside the
// policy string; the correct plan gives nothing.
func TestRulesOnPlans(t *testing.T) {
	cases := []struct {
		name, typ, extra, pol string
		rule, marker          string
	}{
		{
			name: "s3l010", typ: "aws_iam_policy", extra: `"name": "reader", "path": "/",`,
			pol:  `"{\"Statement\":[{\"Action\":[\"s3:GetObject\"],\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-data\"}],\"Version\":\"2012-10-17\"}"`,
			rule: "S3L010", marker: `\"arn:aws:s3:::acme-data\"`,
		},
		{
			name: "s3l011", typ: "aws_iam_role_policy", extra: `"name": "lister", "role": "app",`,
			pol:  `"{\"Statement\":[{\"Action\":\"s3:ListBucket\",\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::acme-data/*\"]}],\"Version\":\"2012-10-17\"}"`,
			rule: "S3L011", marker: `\"arn:aws:s3:::acme-data/*\"`,
		},
		{
			name: "s3l012", typ: "aws_s3_bucket_policy", extra: `"bucket": "acme-data",`,
			pol:  `"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Resource\":\"arn:aws:s3:::acme-other/*\"}],\"Version\":\"2012-10-17\"}"`,
			rule: "S3L012", marker: `\"Resource\":\"arn:aws:s3:::acme-other/*\"`,
		},
		{
			name: "s3l013", typ: "aws_iam_user_policy", extra: `"name": "typo", "user": "ci",`,
			pol:  `"{\"Statement\":[{\"Action\":[\"s3:GetObject\",\"s3:GetObjects\"],\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::acme-data/*\"}],\"Version\":\"2012-10-17\"}"`,
			rule: "S3L013", marker: `\"s3:GetObjects\"`,
		},
		{
			name: "s3l013-kms", typ: "aws_kms_key", extra: `"description": "k",`,
			pol:  `"{\"Statement\":[{\"Action\":\"kms:Decrypts\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"`,
			rule: "S3L013", marker: `\"kms:Decrypts\"`,
		},
		{
			name: "s3l010-legacy-bucket-policy", typ: "aws_s3_bucket", extra: `"bucket": "acme-legacy",`,
			pol:  `"{\"Statement\":[{\"Action\":\"s3:PutObject\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::acme-legacy\"}],\"Version\":\"2012-10-17\"}"`,
			rule: "S3L010", marker: `\"arn:aws:s3:::acme-legacy\"`,
		},
		{
			name: "clean", typ: "aws_iam_policy", extra: `"name": "ok", "path": "/",`,
			pol: `"{\"Statement\":[{\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::acme-data\",\"arn:aws:s3:::acme-data/*\"]},{\"Action\":\"kms:Decrypt\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"`,
		},
		{
			name: "clean-bucket-policy", typ: "aws_s3_bucket_policy", extra: `"bucket": "acme-data",`,
			pol: `"{\"Statement\":[{\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Resource\":[\"arn:aws:s3:::acme-data\",\"arn:aws:s3:::acme-data/*\"]}],\"Version\":\"2012-10-17\"}"`,
		},
		{
			// Unknown until apply: never a finding.
			name: "unknown", typ: "aws_iam_policy", extra: `"name": "later", "path": "/",`,
			pol: `null`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := rulePlan(c.typ, strings.ReplaceAll(c.name, "-", "_"), c.extra, c.pol)
			validJSON(t, c.name, src)
			dir := writeTree(t, tree{"plan.json": src})
			fs, res := runScan(t, dir)
			if len(res.Diagnostics) != 0 {
				t.Errorf("diagnostics: %v", res.Diagnostics)
			}
			if c.rule == "" {
				if len(fs) != 0 {
					t.Errorf("findings on a correct plan: %v", wheres(fs))
				}
				return
			}
			want := locate(t, "plan.json", src, c.marker, 0) + " " + c.rule
			if got := wheres(fs); len(got) != 1 || got[0] != want {
				t.Errorf("findings %v, want [%s]", got, want)
				for _, f := range fs {
					t.Logf("%s: %s", f.where, f.Message)
				}
			}
			for _, f := range fs {
				if f.Fingerprint == "" || f.Resource == "" {
					t.Errorf("finding without fingerprint or resource: %+v", f.Finding)
				}
			}
		})
	}
}

// S3L012 names the bucket's declaration in the plan as related.
func TestRuleRelatedInPlan(t *testing.T) {
	src := rulePlan("aws_s3_bucket_policy", "p", `"bucket": "acme-data",`,
		`"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::acme-other/*\"}],\"Version\":\"2012-10-17\"}"`)
	dir := writeTree(t, tree{"plan.json": src})
	fs, _ := runScan(t, dir)
	if len(fs) != 1 {
		t.Fatalf("findings %v", wheres(fs))
	}
	var rel []string
	for _, r := range fs[0].Related {
		rel = append(rel, fmt.Sprintf("%d:%d", r.Range.Start.Line, r.Range.Start.Col))
	}
	// The bucket attribute of the policy and the bucket's object.
	want := []string{
		strings.TrimPrefix(locate(t, "plan.json", src, `"acme-data",`, 1), "plan.json:"),
		strings.TrimPrefix(shiftLine(locate(t, "plan.json", src, `"address": "aws_s3_bucket.data"`, 0), -1), "plan.json:"),
	}
	if !eq(rel, want) {
		t.Errorf("related %v, want %v", rel, want)
	}
}

// The fixtures of every rule, all at once, with the .tf overlay beside a
// plan in its own directory: two scans give the same findings, in the same
// order, with the same fingerprints; two loads give the same graph.
func TestDeterminism(t *testing.T) {
	files := tree{
		"live/main.tf":      overlayTF,
		"live/tfplan.json":  overlayPlan,
		"modules/plan.json": modulePlan(),
		"iam/plan.json":     iamPlan,
		"mods/plan.json":    modulesPlan,
		"pos/plan.json":     prettyPolicyPlan,
		"state/state.json":  stateJSON,
	}
	for i, c := range []string{"s3l010", "s3l011", "s3l012", "s3l013"} {
		files[c+"/plan.json"] = rulePlan("aws_iam_policy", c, `"name": "n`+fmt.Sprint(i)+`", "path": "/",`,
			`"{\"Statement\":[{\"Action\":[\"s3:GetObject\",\"s3:ListBucket\",\"s3:GetObjects\"],\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::acme-data\",\"arn:aws:s3:::acme-x/*\"]}],\"Version\":\"2012-10-17\"}"`)
	}
	dir := writeTree(t, files)
	first, _ := runScan(t, dir)
	if len(first) < 10 {
		t.Fatalf("only %d findings", len(first))
	}
	for i := range 3 {
		again, _ := runScan(t, dir)
		if len(again) != len(first) {
			t.Fatalf("run %d: %d findings, then %d", i, len(first), len(again))
		}
		for j := range first {
			a, b := first[j], again[j]
			if a.where != b.where || a.Message != b.Message || a.Fingerprint != b.Fingerprint || a.Range != b.Range {
				t.Errorf("run %d finding %d: %s %q %s, then %s %q %s", i, j, a.where, a.Message, a.Fingerprint, b.where, b.Message, b.Fingerprint)
			}
		}
	}
	dump := func() string {
		g := tfplan.Load(tfplan.Options{Paths: []string{dir}})
		var b strings.Builder
		for _, x := range g.Buckets {
			fmt.Fprintf(&b, "B %s %s %s %s %s %d\n", x.Address, x.Range, sv(x.Name), sv(x.ARN), x.Account, len(x.Policies))
		}
		for _, p := range g.Policies {
			fmt.Fprintf(&b, "P %s %v %s %s %d\n", p.Address, p.Kind, p.DocRange, sv(p.Name), len(p.Attached))
			if p.Doc != nil {
				for _, st := range p.Doc.Statements {
					fmt.Fprintf(&b, "  S %s %v %v\n", st.Range, items(st.Action), items(st.Resource))
				}
			}
		}
		for _, p := range g.Principals {
			fmt.Fprintf(&b, "R %s %s %s %d %d\n", p.Address, sv(p.ARN), p.Account, len(p.Policies), len(p.ManagedARNs))
		}
		for _, d := range g.Diagnostics {
			fmt.Fprintf(&b, "D %s %s\n", d.Range, d.Message)
		}
		return b.String()
	}
	a := dump()
	for range 5 {
		if b := dump(); a != b {
			t.Fatalf("two loads differ:\n%s\n---\n%s", a, b)
		}
	}
}

// A scan of plans alone: no diagnostics from the other loaders (the
// CloudFormation loader reads .json too).
func TestScanPlansOnlyNoForeignDiagnostics(t *testing.T) {
	dir := writeTree(t, tree{"a/plan.json": modulesPlan, "b/plan.json": iamPlan, "c/state.json": stateJSON, "d/tfplan.json": overlayPlan})
	_, res := runScan(t, dir)
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %s %s %s", d.Severity, d.File, d.Message)
	}
	n := 0
	for _, b := range res.Graph.Buckets {
		if b.Format != graph.TerraformPlan {
			t.Errorf("bucket %s from %v", b.Address, b.Format)
		}
		n++
	}
	if n == 0 {
		t.Errorf("no buckets")
	}
}
