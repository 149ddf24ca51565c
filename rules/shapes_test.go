package rules

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// u writes a shape with "…" for each unknown part.
func u(s string) string { return strings.ReplaceAll(s, "…", graph.UnknownPart) }

// TestShapeObjects: which shapes name objects whatever their unknown parts
// hold, and of which bucket.
func TestShapeObjects(t *testing.T) {
	for _, tc := range []struct {
		shape, bucket string
		ok            bool
	}{
		{"arn:aws:s3:::…/*", "arn:aws:s3:::…", true},
		{"arn:…:s3:::…/logs/*", "arn:…:s3:::…", true},
		{"arn:aws:s3:::…-data/…/*", "arn:aws:s3:::…-data", true},
		{"…/*", "…", true},
		{"…/object/*", "", false}, // an access point's objects
		{"arn:aws:s3:::acme/…", "arn:aws:s3:::acme", true},
		{"arn:aws:s3:::…", "", false},                 // the unknown part may hold a "/"
		{"arn:aws:s3:::…*/*", "", false},              // a wildcard in the bucket part
		{"arn:aws:s3:…:…:accesspoint/…/*", "", false}, // an access point
		{"arn:aws:s3:::…:x/*", "", false},
		{"…-x/*", "", false},
		{"/…", "", false},
	} {
		got, ok := shapeObjects(u(tc.shape))
		if ok != tc.ok || got != u(tc.bucket) {
			t.Errorf("shapeObjects(%q) = %q, %v; want %q, %v", tc.shape, got, ok, tc.bucket, tc.ok)
		}
	}
}

// TestKindPattern: the kinds a partly known entry can have.
func TestKindPattern(t *testing.T) {
	for _, tc := range []struct {
		shape string
		want  policy.S3Kind
	}{
		{"arn:aws:s3:::…/*", policy.KindObject},
		{"…/*", policy.KindObject},
		{"arn:aws:s3:::…", policy.KindBucket | policy.KindObject},
	} {
		if got := policy.S3Kinds(kindPattern(graph.StringShaped(u(tc.shape), graph.Range{}))); got != tc.want {
			t.Errorf("kinds of %q = %v, want %v", tc.shape, got, tc.want)
		}
	}
	if got := kindPattern(graph.StringOf("arn:aws:s3:::b", graph.Range{})); got != "arn:aws:s3:::b" {
		t.Errorf("a known entry's kind pattern = %q", got)
	}
}

// TestTemplateHead: the text before a template's first "/" outside
// interpolations, and its shape.
func TestTemplateHead(t *testing.T) {
	for _, tc := range []struct {
		tmpl, text, shape string
		ok                bool
	}{
		{"arn:aws:s3:::${var.b}/*", "arn:aws:s3:::${var.b}", "arn:aws:s3:::…", true},
		{"${A}-${B}/x/${C}", "${A}-${B}", "…-…", true},
		{"${split(\"/\", x)}/y", "${split(\"/\", x)}", "…", true},
		{"arn:aws:s3:::${var.b}", "", "", false},
		{"${unclosed/x", "", "", false},
	} {
		got, ok := templateHead(tc.tmpl)
		if ok != tc.ok || got.text != tc.text || got.shape != u(tc.shape) {
			t.Errorf("templateHead(%q) = %q, %q, %v", tc.tmpl, got.text, got.shape, ok)
		}
	}
}

// TestMayNameShapes: a partly known pattern may name any ARN its starred
// form matches; a partly known target may be named by any pattern of its
// kind.
func TestMayNameShapes(t *testing.T) {
	ix := indexResources([]graph.String{graph.StringShaped(u("arn:aws:s3:::…-logs"), graph.Range{})})
	if !ix.mayMatch("arn:aws:s3:::acme-logs", policy.KindBucket, nil) {
		t.Error("arn:aws:s3:::…-logs may be arn:aws:s3:::acme-logs")
	}
	if ix.mayMatch("arn:aws:s3:::acme-data", policy.KindBucket, nil) {
		t.Error("arn:aws:s3:::…-logs cannot be arn:aws:s3:::acme-data")
	}
	objects := indexResources([]graph.String{graph.StringShaped(u("arn:aws:s3:::…/*"), graph.Range{})})
	if objects.mayMatch(u("arn:aws:s3:::…"), policy.KindBucket, nil) {
		t.Error("an object pattern cannot name a bucket")
	}
	literal := indexResources([]graph.String{graph.StringOf("arn:aws:s3:::acme", graph.Range{})})
	if !literal.mayMatch(u("arn:aws:s3:::…"), policy.KindBucket, nil) {
		t.Error("arn:aws:s3:::acme may be the bucket whose name is unknown")
	}
}
