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
