// Package expect turns the access expectations of .s3lint.yaml into the
// requests the engine decides, and suggests the expectations that today's
// configuration satisfies (s3lint access --suggest).
package expect

import (
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
	"github.com/s3lint/s3lint/resolve"
)

// Actions are the requests that stand for each verb: list on the bucket,
// the others on an object.
var Actions = map[string]string{
	"list": "s3:ListBucket", "read": "s3:GetObject", "write": "s3:PutObject", "delete": "s3:DeleteObject",
}

// Request is the request a verb stands for: s3:ListBucket on the bucket
// (with s3:prefix set to the prefix, when there is one), or the object
// action on a key under the prefix.
func Request(b *graph.Bucket, caller policy.Caller, prefix, verb string) policy.Request {
	req := policy.Request{Caller: caller, Action: Actions[verb], Resource: policy.BucketARNOf(b)}
	if verb == "list" {
		if prefix != "" {
			req.Context = policy.Context{}
			req.Context.Set("s3:prefix", prefix)
		}
		return req
	}
	req.Resource += "/" + prefix + "<key>"
	return req
}

// Suggestion is an expectation that holds today, as it would be written.
type Suggestion struct {
	Principal, Bucket string // Principal is empty for public: false
	Can, Cannot       []string
	// Public is set for public: false.
	NotPublic bool
	// Skipped says why a row of the access table has no suggestion (a name
	// that does not resolve to one thing); empty otherwise.
	Skipped string
}

// Suggest returns, for every bucket, the expectations that the engine
// proves today: what each caller related to the bucket can and cannot do
// with any of its objects, and public: false when anonymous requests are
// all denied. Answers that depend on unknown values are left out: an
// expectation must be proved to be suggested.
func Suggest(e *policy.Engine) []Suggestion {
	g := e.Graph()
	table := e.AccessTable(e.Intents())
	rows := map[*graph.Bucket][]policy.AccessRow{}
	for _, a := range table {
		rows[a.Bucket] = a.Rows
	}
	var out []Suggestion
	for _, b := range g.Buckets {
		bucketName, ok := nameOfBucket(g, b)
		if !ok {
			out = append(out, Suggestion{Skipped: b.Address + " at " + b.Range.Short() + ": neither its address nor its name names it alone"})
			continue
		}
		for _, r := range rows[b] {
			if r.Caller.Kind == policy.CallerAnonymous {
				continue // the public: expectation's
			}
			who, ok := nameOfCaller(g, r.Caller)
			if !ok {
				out = append(out, Suggestion{Bucket: bucketName,
					Skipped: r.Caller.Label() + ": no name of it names it alone"})
				continue
			}
			s := Suggestion{Principal: who, Bucket: bucketName}
			for i, verb := range graph.ExpectVerbs {
				// The table decided a cell for any key, unless a policy
				// names a narrower request there (Intended).
				d := r.Cells[i].Decision
				if r.Cells[i].Intended {
					d = e.Decide(Request(b, r.Caller, "", verb))
				}
				switch d.Outcome {
				case policy.Allow:
					s.Can = append(s.Can, verb)
				case policy.ExplicitDeny, policy.ImplicitDeny:
					s.Cannot = append(s.Cannot, verb)
				}
			}
			if len(s.Can)+len(s.Cannot) > 0 {
				out = append(out, s)
			}
		}
		if notPublic(e, b) {
			out = append(out, Suggestion{Bucket: bucketName, NotPublic: true})
		}
	}
	return out
}

// notPublic reports whether every anonymous request is surely denied.
func notPublic(e *policy.Engine, b *graph.Bucket) bool {
	anon := policy.Caller{Kind: policy.CallerAnonymous}
	for _, verb := range graph.ExpectVerbs {
		if !e.Decide(Request(b, anon, "", verb)).Outcome.Denied() {
			return false
		}
	}
	return true
}

// nameOfBucket is how an expectation names b so that it resolves to b: its
// address, else its name.
func nameOfBucket(g *graph.Graph, b *graph.Bucket) (string, bool) {
	for _, s := range []string{b.Address, b.Name.V} {
		if s == "" || graph.HasSymbol(s) {
			continue
		}
		if got, err := resolve.Bucket(g, s); err == nil && got == b {
			return s, true
		}
	}
	return "", false
}

// nameOfCaller is how an expectation names a caller so that it resolves to
// the same caller: a principal's address (else its ARN), a service, an ARN.
func nameOfCaller(g *graph.Graph, c policy.Caller) (string, bool) {
	var names []string
	switch {
	case c.Principal != nil:
		names = []string{c.Principal.Address, c.Principal.ARN.V}
	case c.Kind == policy.CallerService:
		names = []string{c.Service}
	default:
		names = []string{c.ARN}
	}
	for _, s := range names {
		if s == "" || graph.HasSymbol(s) {
			continue
		}
		if got, err := resolve.Caller(g, s); err == nil && got.Key() == c.Key() {
			return s, true
		}
	}
	return "", false
}
