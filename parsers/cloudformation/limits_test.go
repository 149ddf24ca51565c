package cloudformation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/cloudformation"
)

func withLimits(lim limits.Limits) option {
	return func(_ string, o *cloudformation.Options) { o.Limits = lim }
}

// A template over --max-file-size is an error and is not read; a large
// file whose start does not look like a template is not one, and stays
// silent.
func TestMaxFileSize(t *testing.T) {
	pad := "\n# " + strings.Repeat("x", 4096) + "\n"
	l := load(t, tree{
		"big.yaml":     yamlBucket("big") + pad,
		"big.json":     `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "Pad": "` + strings.Repeat("p", 4096) + `"}`,
		"data.json":    `{"rows": [` + strings.Repeat(`"r", `, 2000) + `"r"]}`,
		"values.yaml":  "values:\n" + strings.Repeat("  - v\n", 2000),
		"ok.yaml":      yamlBucket("fine"),
		"exactly.yaml": yamlBucket("edge") + "#" + strings.Repeat("e", 4096-len(yamlBucket("edge"))-2) + "\n",
		// What marks a template comes after the 64 KiB looked at: silent.
		"sub/late.yaml": "Description: x\nMetadata:\n" + strings.Repeat("  # filler\n", 8000) + "Resources:\n  B: {Type: AWS::S3::Bucket}\n",
	}, withLimits(limits.Limits{MaxFileSize: 4096}))
	want := []string{
		"error big.json: file is 4.1 KiB, over the 4 KiB limit (--max-file-size); not read",
		"error big.yaml: file is 4.1 KiB, over the 4 KiB limit (--max-file-size); not read",
	}
	if got := l.diags(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	eq(t, "buckets", l.bucketNames(), []string{"edge", "fine"})

	// A parameters file is bounded too.
	l = load(t, tree{"params.json": `{"Parameters": {"P": "` + strings.Repeat("p", 4096) + `"}}`, "ok.yaml": yamlBucket("fine")},
		withLimits(limits.Limits{MaxFileSize: 4096}),
		func(dir string, o *cloudformation.Options) { o.ParameterFiles = []string{dir + "/params.json"} })
	if got, want := l.diags(), []string{"error params.json: file is 4121 bytes, over the 4 KiB limit (--max-file-size); not read"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("parameters file: %q, want %q", got, want)
	}
}

// A template that runs out of --file-timeout is an error and its results
// are left out; the hook blocks until the time is up, so the test is
// certain and quick.
func TestFileTimeout(t *testing.T) {
	cloudformation.SetTestHookLoadFile(func(stop limits.Stop) { <-stop })
	defer cloudformation.SetTestHookLoadFile(nil)
	l := load(t, tree{"a.yaml": yamlBucket("a"), "b.yaml": yamlBucket("b")}, withLimits(limits.Limits{FileTimeout: time.Nanosecond}))
	msg := ": evaluating this took longer than 1ns (--file-timeout); its results are left out"
	if got, want := l.diags(), []string{"error a.yaml" + msg, "error b.yaml" + msg}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
	eq(t, "buckets", l.bucketNames(), []string{})
}

// Past yaml.v3's own bound of 10 000 levels, its error becomes the
// --max-nesting one, on the line yaml.v3 gives.
func TestYAMLOwnDepthBound(t *testing.T) {
	src := "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B: {Type: AWS::S3::Bucket}\nMetadata: " + strings.Repeat("[", 10001) + "\n"
	l := load(t, tree{"flow.yaml": src})
	want := []string{"error flow.yaml:4:1: nesting deeper than 256 levels (--max-nesting); the file is not read"}
	if got := l.diags(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
}
