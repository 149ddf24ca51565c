package policy

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

func TestMatchSym(t *testing.T) {
	const b = "arn:aws:s3:::<name of Images@t.yaml>"
	for _, tc := range []struct {
		pattern, value string
		want           Tri
	}{
		{b + "/*", b + "/<key>", Yes},
		{b + "/thumbnails/*", b + "/thumbnails/a.png", Yes},
		// The same symbol on both sides is one value: the literal parts
		// after it decide.
		{b + "/thumbnails/*", b + "/thumbs/a.png", No},
		{b + "/thumbnails/*", b + "/<key>", Maybe},
		// A symbol against a literal may be equal.
		{"arn:aws:s3:::data/*", b + "/<key>", Maybe},
		{b + "/*", "arn:aws:s3:::data/x", Maybe},
		// Different symbols may stand for the same name.
		{"arn:aws:s3:::<name of Other@t.yaml>/*", b + "/x", Maybe},
		{"arn:aws:s3:::other/*", "arn:aws:s3:::data/x", No},
	} {
		if got := matchSym(tc.pattern, tc.value); got.T != tc.want {
			t.Errorf("matchSym(%q, %q) = %v %v, want %v", tc.pattern, tc.value, got.T, got.Why, tc.want)
		}
	}
}

func TestEqualSym(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want Tri
	}{
		{"<account of aws>", "<account of aws>", Yes},
		{"<account of aws>", "<account of aws.prod>", Maybe},
		{"<account of aws>", "111122223333", Maybe},
		{"111122223333", "444455556666", No},
		{"arn:aws:iam::<account of aws>:role/a", "arn:aws:iam::<account of aws>:role/b", No},
		{"arn:aws:iam::<account of aws>:role/a", "arn:aws:iam::111122223333:role/a", Maybe},
		// A literal * is not a wildcard in an equality.
		{"a*", "abc", No},
	} {
		if got := equalSym(tc.a, tc.b); got.T != tc.want {
			t.Errorf("equalSym(%q, %q) = %v, want %v", tc.a, tc.b, got.T, tc.want)
		}
	}
}

func TestGlobsIntersect(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"a*", "*b", true},
		{"a*c", "ab*", true},
		{"a?c", "abd", false},
		{"*x*", "yyy", false},
		{"", "*", true},
		{"", "a", false},
		// Literal ends are compared before the search.
		{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*", false},
		{"arn:aws:s3:::a/x", "arn:aws:s3:::*/y", false},
		{"arn:aws:s3:::a?/k", "arn:aws:s3:::*b/k", true},
		{"x?", "xa", true},
		{"ab", "abc", false},
		{"abc*", "ab", false},
		// Past the bound on the work, patterns are taken to intersect,
		// whatever their ends.
		{"arn:aws:s3:::a/" + strings.Repeat("x", 1100), "arn:aws:s3:::b/" + strings.Repeat("x", 1100), true},
	} {
		if got := globsIntersect(tc.a, tc.b); got != tc.want {
			t.Errorf("globsIntersect(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	// Trimming the literal ends never changes the answer of the search.
	rng := rand.New(rand.NewPCG(1, 2))
	glob := func() string {
		b := make([]byte, rng.IntN(7))
		for i := range b {
			b[i] = "ab*?"[rng.IntN(4)]
		}
		return string(b)
	}
	for range 20000 {
		a, b := glob(), glob()
		if got, want := globsIntersect(a, b), globsIntersectSearch(a, b); got != want {
			t.Fatalf("globsIntersect(%q, %q) = %v, the search says %v", a, b, got, want)
		}
	}
}

// Two buckets of the configuration never share a name, even when AWS picks
// both names; a bucket outside the configuration might be either.
func TestDistinctSymbolicBuckets(t *testing.T) {
	r := graph.Range{File: "t.tf"}
	g := &graph.Graph{}
	for _, n := range []string{"<name of aws_s3_bucket.a@root>", "<name of aws_s3_bucket.b@root>", "literal"} {
		g.Buckets = append(g.Buckets, &graph.Bucket{Entity: graph.Entity{Address: n, Range: r}, ARN: graph.StringOf("arn:aws:s3:::"+n, r)})
	}
	e := NewEngine(g)
	req := Request{named: e.named}
	for _, tc := range []struct {
		pattern, arn string
		want         Tri
	}{
		{"arn:aws:s3:::<name of aws_s3_bucket.a@root>/*", "arn:aws:s3:::<name of aws_s3_bucket.b@root>/k", No},
		{"arn:aws:s3:::<name of aws_s3_bucket.a@root>/*", "arn:aws:s3:::literal/k", No},
		{"arn:aws:s3:::<name of aws_s3_bucket.a@root>/*", "arn:aws:s3:::elsewhere/k", Maybe},
		{"arn:aws:s3:::<name of aws_s3_bucket.a@root>/*", "arn:aws:s3:::<name of aws_s3_bucket.a@root>/k", Yes},
	} {
		if got := req.matchResource(tc.pattern, tc.arn); got.T != tc.want {
			t.Errorf("matchResource(%q, %q) = %v, want %v", tc.pattern, tc.arn, got.T, tc.want)
		}
	}
}

// TestSharedSymbolsAsTokens: shared symbols become the same token on both
// sides, others stay symbols; replacing one symbol after another gives what
// replacing all at once gives, also when one symbol's text ends another's.
func TestSharedSymbolsAsTokens(t *testing.T) {
	for _, tc := range []struct{ a, b, wantA, wantB string }{
		{"arn:aws:s3:::<name of b>/x/*", "arn:aws:s3:::<name of b>/x/y", "arn:aws:s3:::\x01A\x02/x/*", "arn:aws:s3:::\x01A\x02/x/y"},
		{"arn:aws:s3:::<name of a>/*", "arn:aws:s3:::<name of b>/k", "arn:aws:s3:::<name of a>/*", "arn:aws:s3:::<name of b>/k"},
		{"<name of a>-<name of b>", "<name of b>/<name of a>/<name of c>", "\x01A\x02-\x01B\x02", "\x01B\x02/\x01A\x02/<name of c>"},
		{"<y> <x<y>", "<x<y> <y>", "\x01A\x02 \x01B\x02", "\x01B\x02 \x01A\x02"},
		{"plain", "<name of b>", "plain", "<name of b>"},
	} {
		gotA, gotB := sharedSymbolsAsTokens(tc.a, tc.b)
		if gotA != tc.wantA || gotB != tc.wantB {
			t.Errorf("sharedSymbolsAsTokens(%q, %q) = %q, %q; want %q, %q", tc.a, tc.b, gotA, gotB, tc.wantA, tc.wantB)
		}
	}
}

// TestDistinctPrincipals: two roles one configuration creates are two
// roles whatever names they get; across configurations, or for a role the
// graph does not create, a symbolic name may be any name.
func TestDistinctPrincipals(t *testing.T) {
	const (
		admin  = "arn:aws:iam::<account of stack t.yaml>:role/<name of Admin@t.yaml>"
		reader = "arn:aws:iam::<account of stack t.yaml>:role/<name of Reader@t.yaml>"
		copied = "arn:aws:iam::<account of stack t.yaml>:role/<name of Reader@copy.yaml>"
		named  = "arn:aws:iam::<account of stack t.yaml>:role/acme-ops"
	)
	roots := map[string]string{admin: "t.yaml", reader: "t.yaml", copied: "copy.yaml", named: "t.yaml"}
	for _, tc := range []struct {
		policy, caller string
		want           Tri
	}{
		{admin, admin, Yes},
		{admin, reader, No},
		{named, reader, No},
		{copied, reader, Maybe},
		{"arn:aws:iam::<account of stack t.yaml>:role/outside", reader, Maybe},
	} {
		if got := distinctPrincipals(tc.policy, tc.caller, roots); got.T != tc.want {
			t.Errorf("distinctPrincipals(%s, %s) = %v, want %v", tc.policy, tc.caller, got.T, tc.want)
		}
	}
	// Without the graph's roots (a request decided without an engine),
	// equalSym's answer stands.
	if got := distinctPrincipals(admin, reader, nil); got.T != Maybe {
		t.Errorf("without roots: %v, want Maybe", got.T)
	}
}

// TestDistinctIDs: the IDs AWS gives two resources of one configuration
// differ; an ID symbol may still be any literal ID, or the ID of a resource
// of another configuration.
func TestDistinctIDs(t *testing.T) {
	const (
		a     = "arn:aws:cloudfront::111111111111:distribution/<id of aws_cloudfront_distribution.a@live>"
		b     = "arn:aws:cloudfront::111111111111:distribution/<id of aws_cloudfront_distribution.b@live>"
		other = "arn:aws:cloudfront::111111111111:distribution/<id of aws_cloudfront_distribution.a@copy>"
	)
	for _, tc := range []struct {
		x, y string
		want Tri
	}{
		{a, a, Yes},
		{a, b, No},
		{a, other, Maybe},
		{a, "arn:aws:cloudfront::111111111111:distribution/E2QWRUHEXAMPLE", Maybe},
		{"<id of aws_vpc_endpoint.s3@live>", "<id of aws_vpc_endpoint.dynamodb@live>", No},
		// The configuration scanned as the current directory has no scope.
		{"<id of aws_vpc_endpoint.s3>", "<id of aws_vpc_endpoint.dynamodb>", No},
		{"<id of aws_vpc_endpoint.s3>", "<id of aws_vpc_endpoint.dynamodb@live>", Maybe},
	} {
		if got := equalSym(tc.x, tc.y); got.T != tc.want {
			t.Errorf("equalSym(%s, %s) = %v, want %v", tc.x, tc.y, got.T, tc.want)
		}
	}
	if got := matchSym("arn:aws:cloudfront::111111111111:distribution/*", a); got.T != Yes {
		t.Errorf("a wildcard over distributions: %v, want Yes", got.T)
	}
	if got := matchSym(b, a); got.T != No {
		t.Errorf("matchSym(b, a) = %v, want No", got.T)
	}
}

// What a comparison depends on leaves out the symbols both sides share.
func TestUnsharedSymbolNames(t *testing.T) {
	key := "arn:aws:kms:us-east-1:<account of aws>:key/<id of aws_kms_key.k@root>"
	got := unsharedSymbolNames(key, "arn:aws:kms:us-east-1:111122223333:key/<id of aws_kms_key.k@root>")
	if len(got) != 1 || got[0] != "the account of aws" {
		t.Errorf("got %q, want only the account", got)
	}
	if got := unsharedSymbolNames(key, key); len(got) != 2 {
		t.Errorf("all shared: got %q, want both", got)
	}
}

// A generated name's symbol may equal only names of its form: a
// CloudFormation role without RoleName is never "security-admin", a
// Terraform role with name_prefix "app-" never "reader".
func TestGeneratedNameShapes(t *testing.T) {
	cfn := "arn:aws:iam::111122223333:role/" + graph.SymbolicGeneratedName("FnRole", "t.yaml", "*-??????????*")
	tf := "arn:aws:iam::111122223333:role/" + graph.SymbolicGeneratedName("aws_iam_role.app", "live", "app-*")
	for _, c := range []struct {
		pattern, value string
		want           Tri
	}{
		{"arn:aws:iam::111122223333:role/security-admin", cfn, No},
		{"arn:aws:iam::111122223333:role/MyStack-FnRole-1ABCDEFGHIJK", cfn, Maybe},
		{"arn:aws:iam::111122223333:role/*", cfn, Yes},
		{"arn:aws:iam::111122223333:role/reader", tf, No},
		{"arn:aws:iam::111122223333:role/app-*", tf, Maybe},
		{"arn:aws:iam::111122223333:role/app-20260101000000000000000001", tf, Maybe},
		{cfn, cfn, Yes},
	} {
		if got := matchSym(c.pattern, c.value); got.T != c.want {
			t.Errorf("matchSym(%s, %s) = %v, want %v", c.pattern, c.value, got.T, c.want)
		}
	}
	// Two generated names of one configuration are two roles; of two
	// configurations (copies of a template), perhaps the same.
	other := "arn:aws:iam::111122223333:role/" + graph.SymbolicGeneratedName("Vault", "t.yaml", "*-??????????*")
	elsewhere := "arn:aws:iam::111122223333:role/" + graph.SymbolicGeneratedName("Vault", "u.yaml", "*-??????????*")
	if got := equalSym(other, cfn); got.T != No {
		t.Errorf("two generated names of one template: %v, want No", got.T)
	}
	if got := equalSym(elsewhere, cfn); got.T != Maybe {
		t.Errorf("generated names of two templates: %v, want Maybe", got.T)
	}
	if got := equalSym("arn:aws:iam::111122223333:role/security-admin", cfn); got.T != No {
		t.Errorf("equalSym with a name of another form = %v, want No", got.T)
	}
	if got := graph.SymbolScope(cfn); got != "t.yaml" {
		t.Errorf("SymbolScope = %q", got)
	}
	if got := graph.SymbolAddress(cfn); got != "FnRole" {
		t.Errorf("SymbolAddress = %q", got)
	}
	if got := Display(cfn); got != "arn:aws:iam::111122223333:role/<name of FnRole>" {
		t.Errorf("Display = %q", got)
	}
}
