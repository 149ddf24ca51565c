package policy

import (
	"reflect"
	"testing"
)

// TestIntentDecisionsMatchDecide: the decisions remembered for intents are
// the engine's own decisions, allowed or not, and an intent of another
// engine is decided afresh.
func TestIntentDecisionsMatchDecide(t *testing.T) {
	g := benchGraph(40)
	e := NewEngine(g)
	intents := e.Intents()
	if len(intents) == 0 {
		t.Fatal("no intents")
	}
	outcomes := map[Outcome]int{}
	for i := range intents {
		in := &intents[i]
		want := e.Decide(in.Request)
		outcomes[want.Outcome]++
		if o := e.outcome(in.Request); o != want.Outcome {
			t.Errorf("intent %d: outcome without the explanation %v, Decide %v", i, o, want.Outcome)
		}
		if got := e.IntentOutcome(in); got != want.Outcome {
			t.Errorf("intent %d: IntentOutcome = %v, Decide = %v", i, got, want.Outcome)
		}
		if got := e.DecideIntent(in); !reflect.DeepEqual(got, want) {
			t.Errorf("intent %d: DecideIntent differs from Decide:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if outcomes[Allow] == 0 || len(outcomes) < 2 {
		t.Errorf("want allowed and refused intents in the test graph, got %v", outcomes)
	}
	other := NewEngine(g)
	in := intents[0]
	if got, want := other.DecideIntent(&in), other.Decide(in.Request); !reflect.DeepEqual(got, want) {
		t.Errorf("an intent of another engine: got %+v, want %+v", got, want)
	}
}

// TestIntentPanicReachesEveryCaller: when deciding the intents panics, every
// later caller panics too, instead of finding the work done and empty.
func TestIntentPanicReachesEveryCaller(t *testing.T) {
	e := NewEngine(benchGraph(4))
	intents := e.Intents()
	e.decided.Do(func() {
		defer func() { _ = recover() }() // the first caller's panic, recovered by its rule
		defer rememberPanic(&e.decideFailed)
		panic("broken")
	})
	for range 2 {
		func() {
			defer func() {
				if v := recover(); v != "broken" {
					t.Errorf("recovered %v, want the remembered panic", v)
				}
			}()
			e.IntentOutcome(&intents[0])
			t.Error("IntentOutcome returned after a failed decision")
		}()
	}
}
