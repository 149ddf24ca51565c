package policy

import (
	"fmt"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// benchGraph builds n buckets, each with a bucket policy of two or three
// statements (a grant to one role, a Deny conditioned on
// aws:SecureTransport, and on every other bucket a Deny conditioned on
// aws:SourceVpce), and n roles, half of them in another account, each with
// an identity policy granting List, Get and Put on two buckets.
func benchGraph(n int) *graph.Graph {
	g := &graph.Graph{}
	line := 0
	at := func(file string) graph.Range {
		line++
		return graph.Range{File: file, Start: graph.Pos{Line: line, Col: 1}, End: graph.Pos{Line: line + 1, Col: 1}}
	}
	stmt := func(file, effect string, principal *graph.PrincipalSpec, actions, resources []string, conds ...graph.Condition) *graph.Statement {
		r := at(file)
		return &graph.Statement{Range: r, Effect: graph.StringOf(effect, r), Principal: principal,
			Action: stringsOf(actions), Resource: stringsOf(resources), Conditions: conds}
	}
	cond := func(op, key, value string) graph.Condition {
		return graph.Condition{Operator: graph.StringOf(op, graph.Range{}), Key: graph.StringOf(key, graph.Range{}),
			Values: []graph.String{graph.StringOf(value, graph.Range{})}}
	}
	aws := func(arn string) *graph.PrincipalSpec {
		return &graph.PrincipalSpec{Entries: []graph.PrincipalEntry{{Type: graph.StringOf("AWS", graph.Range{}),
			Values: []graph.String{graph.StringOf(arn, graph.Range{})}}}}
	}
	everyone := &graph.PrincipalSpec{Wildcard: true}
	bucketName := func(i int) string { return fmt.Sprintf("bench-bucket-%04d", i%n) }
	roleAcct := func(i int) string {
		if i%2 == 0 {
			return acctA
		}
		return acctB
	}

	for i := range n {
		name := bucketName(i)
		r := at("buckets.tf")
		b := &graph.Bucket{Entity: graph.Entity{Address: "aws_s3_bucket.b" + fmt.Sprint(i), Account: acctA, Range: r},
			Name: graph.StringOf(name, r), ARN: graph.StringOf("arn:aws:s3:::"+name, r)}
		file := fmt.Sprintf("bucket_policy_%d.json", i)
		arns := []string{"arn:aws:s3:::" + name, "arn:aws:s3:::" + name + "/*"}
		sts := []*graph.Statement{
			stmt(file, "Allow", aws(roleARN(roleAcct(i), fmt.Sprintf("role-%04d", i))), []string{"s3:GetObject", "s3:ListBucket"}, arns),
			stmt(file, "Deny", everyone, []string{"s3:*"}, arns, cond("Bool", "aws:SecureTransport", "false")),
		}
		if i%2 == 0 {
			sts = append(sts, stmt(file, "Deny", everyone, []string{"s3:DeleteObject", "s3:PutObject"}, arns[1:],
				cond("StringNotEquals", "aws:SourceVpce", "vpce-0123456789abcdef0"),
				cond("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/admin-*")))
		}
		for j, st := range sts {
			st.Index = j
		}
		doc := &graph.Document{Range: at(file), Statements: sts}
		p := &graph.Policy{Entity: graph.Entity{Address: "aws_s3_bucket_policy.b" + fmt.Sprint(i), Account: acctA, Range: at(file)},
			Kind: graph.BucketPolicy, Doc: doc, DocRange: doc.Range, Bucket: b, BucketRef: b.Name}
		b.Policies = []*graph.Policy{p}
		g.Buckets = append(g.Buckets, b)
		g.Policies = append(g.Policies, p)
	}
	for i := range n {
		acct := roleAcct(i)
		name := fmt.Sprintf("role-%04d", i)
		r := at("iam.tf")
		role := &graph.Principal{Entity: graph.Entity{Address: "aws_iam_role." + name, Account: graph.Account(acct), Range: r},
			Kind: graph.Role, Name: graph.StringOf(name, r), ARN: graph.StringOf(roleARN(acct, name), r)}
		file := fmt.Sprintf("role_policy_%d.json", i)
		b1, b2 := bucketName(i), bucketName(i+1)
		doc := &graph.Document{Range: at(file), Statements: []*graph.Statement{
			stmt(file, "Allow", nil, []string{"s3:ListBucket"}, []string{"arn:aws:s3:::" + b1, "arn:aws:s3:::" + b2}),
			stmt(file, "Allow", nil, []string{"s3:GetObject", "s3:PutObject"}, []string{"arn:aws:s3:::" + b1 + "/*", "arn:aws:s3:::" + b2 + "/*"}),
		}}
		doc.Statements[1].Index = 1
		p := &graph.Policy{Entity: graph.Entity{Address: "aws_iam_role_policy." + name, Account: graph.Account(acct), Range: at(file)},
			Kind: graph.IdentityPolicy, Doc: doc, DocRange: doc.Range}
		p.AttachTo(role)
		g.Principals = append(g.Principals, role)
		g.Policies = append(g.Policies, p)
	}
	return g
}

func TestBenchGraphDecisions(t *testing.T) {
	// The benchmark's graph must exercise every outcome, not collapse into
	// one: a small copy is decided here.
	e := NewEngine(benchGraph(20))
	counts := map[Outcome]int{}
	intents := e.Intents()
	for _, in := range intents {
		counts[e.Decide(in.Request).Outcome]++
	}
	if len(intents) < 6*20 {
		t.Errorf("%d intents for 20 roles", len(intents))
	}
	for _, o := range []Outcome{Allow, ImplicitDeny, Unknown} {
		if counts[o] == 0 {
			t.Errorf("no %v decision among %d intents: %v", o, len(intents), counts)
		}
	}
}

func BenchmarkDecideIntents(b *testing.B) {
	e := NewEngine(benchGraph(1000))
	decisions := 0
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		intents := e.Intents()
		for _, in := range intents {
			_ = e.Decide(in.Request)
		}
		decisions = len(intents)
	}
	b.ReportMetric(float64(decisions), "decisions/op")
	if b.Elapsed() > 0 && decisions > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(decisions), "ns/decision")
	}
}
