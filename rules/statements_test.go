package rules

import (
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// TestActionsWithin: which action items another statement's items make up
// for.
func TestActionsWithin(t *testing.T) {
	items := func(names ...string) []actionItem {
		st := &graph.Statement{Action: graph.Strings{Present: true}}
		for _, n := range names {
			st.Action.Items = append(st.Action.Items, graph.StringOf(n, graph.Range{}))
		}
		out, ok := actionItems(st)
		if !ok {
			t.Fatalf("actionItems(%q) not ok", names)
		}
		return out
	}
	for _, tc := range []struct {
		item  string
		other []string
		want  bool
	}{
		{"s3:GetObject", []string{"s3:GetObject"}, true},
		{"s3:GetObject", []string{"s3:Get*"}, true},
		{"s3:GetObject", []string{"s3:*"}, true},
		{"s3:GetObject", []string{"*"}, true},
		{"s3:GetObject*", []string{"s3:GetObject"}, false},
		{"s3:PutObject", []string{"s3:Get*", "s3:ListBucket"}, false},
		{"s3:*", []string{"s3:*"}, true},
		{"s3:*", []string{"*"}, true},
		{"*", []string{"s3:*"}, false},
		{"s3:*", []string{"s3:Get*", "s3:Put*"}, false},
		{"kms:Decrypt", []string{"s3:*"}, false},
	} {
		if got := actionsWithin(items(tc.item)[0], items(tc.other...)); got != tc.want {
			t.Errorf("actionsWithin(%q, %q) = %v, want %v", tc.item, tc.other, got, tc.want)
		}
	}
}

// TestSamePrincipal: principals compare by type and identifier, in any
// order; anything unknown is never the same.
func TestSamePrincipal(t *testing.T) {
	str := func(v string) graph.String { return graph.StringOf(v, graph.Range{}) }
	spec := func(typ string, ids ...string) *graph.PrincipalSpec {
		e := graph.PrincipalEntry{Type: str(typ)}
		for _, id := range ids {
			e.Values = append(e.Values, str(id))
		}
		return &graph.PrincipalSpec{Entries: []graph.PrincipalEntry{e}}
	}
	const a, b = "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"
	unknown := spec("AWS", a)
	unknown.Entries[0].Values[0] = graph.StringUnknown(graph.Range{})
	for _, tc := range []struct {
		name string
		x, y *graph.PrincipalSpec
		want bool
	}{
		{"both absent", nil, nil, true},
		{"one absent", spec("AWS", a), nil, false},
		{"same", spec("AWS", a, b), spec("AWS", b, a), true},
		{"other account", spec("AWS", a), spec("AWS", b), false},
		{"other type", spec("AWS", a), spec("Service", a), false},
		{"wildcard", &graph.PrincipalSpec{Wildcard: true}, &graph.PrincipalSpec{Wildcard: true}, true},
		{"wildcard and account", &graph.PrincipalSpec{Wildcard: true}, spec("AWS", a), false},
		{"unknown", unknown, unknown, false},
	} {
		if got := samePrincipal(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: samePrincipal = %v, want %v", tc.name, got, tc.want)
		}
	}
}
