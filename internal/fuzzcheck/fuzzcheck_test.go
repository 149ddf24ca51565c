package fuzzcheck

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

func TestBadRange(t *testing.T) {
	at := func(file string, l1, c1, b1, l2, c2, b2 int) graph.Range {
		return graph.Range{File: file, Start: graph.Pos{Line: l1, Col: c1, Byte: b1}, End: graph.Pos{Line: l2, Col: c2, Byte: b2}}
	}
	ok := at("a", 1, 1, 0, 2, 3, 10)
	doc := &graph.Document{Range: ok, Statements: []*graph.Statement{{Range: ok}}}
	if bad := BadRange(doc, Sizes{"a": 10}); bad != "" {
		t.Errorf("a good document: %s", bad)
	}
	for name, r := range map[string]graph.Range{
		"beyond the end": at("a", 1, 1, 0, 2, 3, 11),
		"line 0":         at("a", 0, 1, 0, 1, 1, 0),
		"end first":      at("a", 2, 1, 5, 1, 1, 0),
		"columns":        at("a", 1, 4, 3, 1, 2, 5),
	} {
		g := &graph.Graph{Diagnostics: []graph.Diagnostic{{Range: ok}}}
		b := &graph.Bucket{}
		b.Policies = []*graph.Policy{{Bucket: b, Doc: &graph.Document{Statements: []*graph.Statement{{Conditions: []graph.Condition{{Range: r}}}}}}}
		g.Buckets = append(g.Buckets, b)
		bad := BadRange(g, Sizes{"a": 10})
		if !strings.Contains(bad, "Conditions[0].Range") {
			t.Errorf("%s: got %q", name, bad)
		}
		if other := BadRange(g, Sizes{"b": 10}); other != "" {
			t.Errorf("%s: a range into another file was checked: %s", name, other)
		}
	}
}
