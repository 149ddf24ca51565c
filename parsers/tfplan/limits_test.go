package tfplan_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/tfplan"
)

const bucketPlan = `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[` +
	`{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws","values":{"bucket":"b"}}]}}}`

func loadLimited(t *testing.T, files tree, lim limits.Limits) *loaded {
	t.Helper()
	dir := writeTree(t, files)
	g := tfplan.Load(tfplan.Options{Paths: []string{dir}, Limits: lim})
	noInternalErrors(t, g)
	return &loaded{Graph: g, t: t, dir: dir, files: files}
}

// A plan over --max-file-size is an error and is not read; other large
// JSON is not a plan and stays silent. A plan nested past --max-nesting is
// an error at the first value past the limit.
func TestPlanLimits(t *testing.T) {
	pad := `,"pad":"` + strings.Repeat("p", 4096) + `"}`
	deep := `{"format_version":"1.2","planned_values":{"root_module":{}},"x":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "}"
	l := loadLimited(t, tree{
		"big.json":     strings.TrimSuffix(bucketPlan, "}") + pad,
		"data.json":    `{"rows":[` + strings.Repeat(`"r",`, 2000) + `"r"]}`,
		"deep.json":    deep,
		"ok/plan.json": bucketPlan,
	}, limits.Limits{MaxFileSize: 4096, MaxNesting: 256})
	want := []string{
		"error big.json file is 4.3 KiB, over the 4 KiB limit (--max-file-size); not read",
		"error deep.json:1:" + strconv.Itoa(strings.Index(deep, "[")+256+1) + " nesting deeper than 256 levels (--max-nesting); the file is not read",
	}
	if got := l.diags(); !eq(got, want) {
		t.Errorf("diagnostics:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if got := l.addresses(); !eq(got, []string{"bucket aws_s3_bucket.b"}) {
		t.Errorf("addresses %v", got)
	}
}

// A plan that runs out of --file-timeout is an error and its results are
// left out; the hook blocks until the time is up, so the test is certain
// and quick.
func TestPlanFileTimeout(t *testing.T) {
	tfplan.SetTestHookLoadFile(func(stop limits.Stop) { <-stop })
	defer tfplan.SetTestHookLoadFile(nil)
	l := loadLimited(t, tree{"a.json": bucketPlan, "b.json": bucketPlan}, limits.Limits{FileTimeout: time.Nanosecond})
	msg := " evaluating this took longer than 1ns (--file-timeout); its results are left out"
	if got, want := l.diags(), []string{"error a.json" + msg, "error b.json" + msg}; !eq(got, want) {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
	if len(l.Buckets) != 0 {
		t.Errorf("buckets of a plan that timed out: %d", len(l.Buckets))
	}
}
