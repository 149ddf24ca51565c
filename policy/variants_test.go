package policy

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// A template whose bucket policy depends on an undecided condition puts
// exactly one of its alternatives in place; the engine answers for each.
func TestDecideTemplateVariants(t *testing.T) {
	const publicRead = `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
	const denyAll = `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`
	const roleRead = `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
	variant := func(p *graph.Policy, public bool) {
		p.Variant = &graph.Variant{Group: "t.yaml:10", When: map[string]bool{"IsPublic": public}}
	}

	t.Run("answers differ", func(t *testing.T) {
		w := newWorld(t)
		b := w.bucket("b", acctA)
		w.openPAB(b)
		variant(w.bucketPolicy(b, publicRead), true)
		variant(w.bucketPolicy(b, denyAll), false)
		d := decideChecked(t, NewEngine(w.g), getObject(w.from("anonymous")))
		if d.Outcome != Unknown || len(d.Why) != 1 || !strings.Contains(d.Why[0], "IsPublic") {
			t.Fatalf("got %v %q, want UNKNOWN depending on IsPublic", d.Outcome, d.Why)
		}
		s := d.Step(CheckConditions)
		if len(d.Cases) != 2 || d.Cases[0].Outcome != ExplicitDeny || d.Cases[1].Outcome != Allow || !d.Cases[1].When["IsPublic"] {
			t.Fatalf("cases: %+v", d.Cases)
		}
		if s == nil || !strings.Contains(s.Detail, "IsPublic is false: EXPLICIT DENY") || !strings.Contains(s.Detail, "IsPublic is true: ALLOW") {
			t.Fatalf("conditions step: %+v", s)
		}
	})
	t.Run("answers agree", func(t *testing.T) {
		w := newWorld(t)
		b := w.bucket("b", acctA)
		w.openPAB(b)
		variant(w.bucketPolicy(b, publicRead), true)
		variant(w.bucketPolicy(b, roleRead), false)
		// The role of the bucket's account may read either way: through
		// the public statement, or the one that names it.
		r := w.role("app", acctA)
		if d := decideChecked(t, NewEngine(w.g), getObject(w.as(r))); d.Outcome != Allow || d.Step(CheckConditions) != nil {
			t.Fatalf("got %v %q, want ALLOW", d.Outcome, d.Why)
		}
	})
	t.Run("alternatives never add up", func(t *testing.T) {
		// Were both alternatives in place at once, the Deny would win.
		w := newWorld(t)
		b := w.bucket("b", acctA)
		r := w.role("app", acctA)
		variant(w.bucketPolicy(b, roleRead), true)
		variant(w.bucketPolicy(b, denyAll), false)
		d := decideChecked(t, NewEngine(w.g), getObject(w.as(r)))
		if d.Outcome != Unknown {
			t.Fatalf("got %v, want UNKNOWN", d.Outcome)
		}
	})
}

// Request.Conditions fixes template conditions: only the alternatives that
// agree with them are in place.
func TestDecideFixedConditions(t *testing.T) {
	const publicRead = `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
	const denyAll = `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`
	w := newWorld(t)
	b := w.bucket("b", acctA)
	w.openPAB(b)
	w.bucketPolicy(b, publicRead).Variant = &graph.Variant{Group: "g", When: map[string]bool{"IsPublic": true}}
	w.bucketPolicy(b, denyAll).Variant = &graph.Variant{Group: "g", When: map[string]bool{"IsPublic": false}}
	e := NewEngine(w.g)
	for _, tc := range []struct {
		public bool
		want   Outcome
	}{{true, Allow}, {false, ExplicitDeny}} {
		req := getObject(w.from("anonymous"))
		req.Conditions = map[string]bool{"IsPublic": tc.public}
		if d := decideChecked(t, e, req); d.Outcome != tc.want || d.Step(CheckConditions) != nil {
			t.Errorf("IsPublic=%v: got %v, want %v", tc.public, d.Outcome, tc.want)
		}
	}
}

// decideChecked decides req, and checks that the outcome without the
// explanation is the same.
func decideChecked(t *testing.T, e *Engine, req Request) Decision {
	t.Helper()
	d := e.Decide(req)
	if o := e.outcome(req); o != d.Outcome {
		t.Fatalf("outcome without the explanation %v, with it %v", o, d.Outcome)
	}
	return d
}
