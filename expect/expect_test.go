package expect

import (
	"slices"
	"testing"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Suggest reads the access table's cells by verb: the columns must be the
// verbs, in the same order, with the same actions.
func TestVerbsAreTheAccessColumns(t *testing.T) {
	if !slices.Equal(graph.ExpectVerbs, policy.AccessKinds[:]) {
		t.Errorf("verbs %v, access columns %v", graph.ExpectVerbs, policy.AccessKinds)
	}
	for i, verb := range graph.ExpectVerbs {
		if Actions[verb] != policy.AccessActions[i] {
			t.Errorf("%s: action %s, access column %s", verb, Actions[verb], policy.AccessActions[i])
		}
	}
}
