package policy_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/policy"
	"github.com/s3lint/s3lint/scan"
)

// TestOutcomeWithoutExplanationOnCorpus: on every configuration of
// fixtures/ and examples/, every intent and every request of each caller
// of the graph (and anonymous, a service, a stranger) for a few bucket and
// object actions on each bucket, directly and through each VPC endpoint,
// is decided alike with and without the explanation.
func TestOutcomeWithoutExplanationOnCorpus(t *testing.T) {
	for _, dir := range []string{"../fixtures", "../examples"} {
		g := scan.Run(scan.Options{Paths: []string{dir}}).Graph
		e := policy.NewEngine(g)
		check := func(req policy.Request) {
			t.Helper()
			if o, d := e.OutcomeWithoutExplanation(req), e.Decide(req); o != d.Outcome {
				t.Errorf("%s: %s %s %s: outcome without the explanation %v, with it %v", dir, req.Caller.Label(), req.Action, req.Resource, o, d.Outcome)
			}
		}
		intents := e.Intents()
		for _, in := range intents {
			check(in.Request)
		}
		// Each bucket with the callers of its own fixture (fixtures/S3L0xx),
		// and with anonymous, a service and a stranger.
		type caller struct {
			c    policy.Caller
			home string
		}
		callers := []caller{{c: policy.Caller{Kind: policy.CallerAnonymous}}, {c: policy.Caller{Kind: policy.CallerService, Service: "cloudtrail.amazonaws.com"}}}
		if c, ok := policy.CallerFromARN("arn:aws:iam::999988887777:role/stranger"); ok {
			callers = append(callers, caller{c: c})
		}
		for _, p := range g.Principals {
			if c, ok := policy.CallerFor(p); ok {
				callers = append(callers, caller{c: c, home: home(p.Range.File)})
			}
		}
		requests := 0
		for _, b := range g.Buckets {
			arn := policy.BucketARNOf(b)
			for _, c := range callers {
				if c.home != "" && c.home != home(b.Range.File) {
					continue
				}
				for _, res := range []string{arn, arn + "/data/report.csv"} {
					for _, act := range []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObjectVersion", "s3:PutBucketPolicy", "s3:GetBucketAcl"} {
						check(policy.Request{Caller: c.c, Action: act, Resource: res, Network: policy.NetworkInternet})
						check(policy.Request{Caller: c.c, Action: act, Resource: res, Multipart: true})
						for _, ep := range g.Endpoints {
							if home(ep.Range.File) == home(b.Range.File) {
								check(policy.Request{Caller: c.c, Action: act, Resource: res, Network: policy.NetworkEndpoint, Endpoint: ep})
							}
						}
						requests++
					}
				}
			}
		}
		if len(intents) == 0 || requests == 0 {
			t.Errorf("%s: %d intents, %d requests: nothing compared", dir, len(intents), requests)
		}
		t.Logf("%s: %d intents, %d requests", dir, len(intents), requests)
	}
}

// home is the directory of a fixture (fixtures/S3L010) or example that a
// file belongs to.
func home(file string) string {
	parts := strings.SplitN(filepath.ToSlash(file), "/", 4)
	if len(parts) < 3 {
		return file
	}
	return strings.Join(parts[:3], "/")
}
