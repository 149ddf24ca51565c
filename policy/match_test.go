package policy

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// AWS (IAM guide, reference_policies_elements_action): action names compare
// case-insensitively; * matches any run of characters and ? exactly one.
func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		// Exact names, in any case on either side.
		{"s3:GetObject", "s3:GetObject", true},
		{"S3:GETOBJECT", "s3:GetObject", true},
		{"s3:getobject", "S3:GetObject", true},
		{"s3:gEtObJeCt", "S3:GETOBJECT", true},
		// No implicit prefix or suffix matching.
		{"s3:GetObject", "s3:GetObjectAcl", false},
		{"s3:GetObjectAcl", "s3:GetObject", false},
		{"s3:GetObject", "kms:GetObject", false},
		{"GetObject", "s3:GetObject", false},

		// * matches any run, including the empty one.
		{"*", "s3:GetObject", true},
		{"*", "kms:Decrypt", true},
		{"*:*", "s3:GetObject", true},
		{"s3:*", "s3:GetObject", true},
		{"s3:*", "kms:Decrypt", false},
		{"S3:*", "s3:ListBucket", true},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:get*", "s3:GetBucketPolicy", true},
		{"s3:Get*", "s3:Get", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:*Object", "s3:GetObject", true},
		{"s3:*Object", "s3:GetObjectAcl", false},
		{"s3:*object*", "s3:GetObjectAcl", true},

		// ? matches exactly one character.
		{"s3:Get?bject", "s3:GetObject", true},
		{"s3:Get?bject", "s3:GetOObject", false},
		{"s3:GetObjec?", "s3:GetObject", true},
		{"s3:GetObject?", "s3:GetObject", false},
		{"s3:???Object", "s3:GetObject", true},
		{"s3:????Object", "s3:GetObject", false},
		{"s3:??Object", "s3:GetObject", false},

		// Several stars, which need backtracking past an earlier choice.
		{"s3:*Bucket*Policy*", "s3:PutBucketPolicy", true},
		{"s3:*Bucket*Policy*", "s3:GetBucketPolicyStatus", true},
		{"s3:*Bucket*Policy", "s3:GetBucketPolicyStatus", false},
		{"s3:**", "s3:GetObject", true},
		{"s3:Get**Object", "s3:GetObject", true},
		{"s3:*Object*Version", "s3:GetObjectVersionAcl", false},
		{"s3:*Object*Version*", "s3:GetObjectVersionAcl", true},
		{"s3:*a*a*", "s3:aa", true},
		{"s3:*a*a*a*", "s3:aa", false},
		{"s3:*ab", "s3:aab", true},
		{"s3:*?*?", "s3:ab", true},
		{"s3:*?*?*?", "s3:ab", false},
		{"s3:*t?g*", "s3:PutObjectTagging", true},

		// Empty strings.
		{"", "", true},
		{"*", "", true},
		{"**", "", true},
		{"?", "", false},
		{"", "s3:GetObject", false},
		{"s3:GetObject", "", false},

		// Non-ASCII: case folding is Unicode-aware and ? is one character,
		// not one byte.
		{"s3:Gét", "S3:GÉT", true},
		{"s3:?", "s3:é", true},
		{"s3:??", "s3:é", false},
		{"s3:?", "s3:日", true},
		{"s3:*本", "s3:日本", true},
		{"s3:日?", "s3:日本", true},
		{"s3:日?", "s3:日本語", false},
		{"s3:?本", "s3:本", false},
	}
	for _, tc := range tests {
		if got := MatchAction(tc.pattern, tc.action); got != tc.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
		}
	}
}

// AWS (IAM guide, reference_policies_elements_resource): ARNs compare
// case-sensitively, and * matches "/" too, so "arn:aws:s3:::b*" matches the
// bucket b, its objects, and every other bucket whose name starts with b.
func TestMatchResource(t *testing.T) {
	const (
		bucket   = "arn:aws:s3:::b"
		object   = "arn:aws:s3:::b/k"
		deep     = "arn:aws:s3:::b/a/b/c.txt"
		bucket2  = "arn:aws:s3:::b2"
		object2  = "arn:aws:s3:::b2/k"
		other    = "arn:aws:s3:::a"
		apObject = "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k"
	)
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{bucket, bucket, true},
		{object, object, true},
		{"*", bucket, true},
		{"*", apObject, true},
		{"*", "", true},
		{"", "", true},
		{"", bucket, false},
		{bucket, "", false},

		// Case-sensitive, unlike actions.
		{"arn:aws:s3:::B", bucket, false},
		{"arn:aws:s3:::b/K", object, false},
		{"ARN:AWS:S3:::b", bucket, false},

		// A bucket ARN does not cover its objects nor an object ARN its
		// bucket.
		{bucket, object, false},
		{"arn:aws:s3:::b/*", bucket, false},

		// * spans "/".
		{"arn:aws:s3:::b/*", object, true},
		{"arn:aws:s3:::b/*", deep, true},
		{"arn:aws:s3:::b/*/c.txt", deep, true},
		{"arn:aws:s3:::b/*/x/*", "arn:aws:s3:::b/1/2/x/3", true},
		{"arn:aws:s3:::b/*/x/*", "arn:aws:s3:::b/x/3", false},
		{"arn:aws:s3:::b/*.txt", deep, true},
		{"arn:aws:s3:::b/*.txt", object, false},

		// arn:aws:s3:::b* covers the bucket, its objects, and b2.
		{"arn:aws:s3:::b*", bucket, true},
		{"arn:aws:s3:::b*", object, true},
		{"arn:aws:s3:::b*", deep, true},
		{"arn:aws:s3:::b*", bucket2, true},
		{"arn:aws:s3:::b*", object2, true},
		{"arn:aws:s3:::b*", other, false},

		// ? is exactly one character, "/" included.
		{"arn:aws:s3:::b?", bucket2, true},
		{"arn:aws:s3:::b?", bucket, false},
		{"arn:aws:s3:::b?", "arn:aws:s3:::b22", false},
		{"arn:aws:s3:::b/?", object, true},
		{"arn:aws:s3:::b/k?y", "arn:aws:s3:::b/kéy", true},
		{"arn:aws:s3:::b/k??y", "arn:aws:s3:::b/kéy", false},
		{"arn:aws:s3:::b/ké*", "arn:aws:s3:::b/kéy", true},

		// Literal colons pin the empty region and account of bucket ARNs.
		{"arn:aws:s3:::*", bucket, true},
		{"arn:aws:s3:::*", apObject, false},
		{"arn:aws:s3:*:*:accesspoint/*", apObject, true},
		{"arn:aws:s3:*:*:*", bucket, true},
		{"arn:aws:s3:*:123456789012:accesspoint/ap/object/*", apObject, true},
		{"arn:aws:s3:*:111111111111:accesspoint/ap/object/*", apObject, false},
		{"arn:*:s3:::b", bucket, true},
		{"arn:aws-cn:s3:::b", bucket, false},
	}
	for _, tc := range tests {
		if got := MatchResource(tc.pattern, tc.arn); got != tc.want {
			t.Errorf("MatchResource(%q, %q) = %v, want %v", tc.pattern, tc.arn, got, tc.want)
		}
	}
}

// globRegexp is an independent reference for glob: * is .*, ? is one
// character, everything else literal.
func globRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

// TestGlobAgainstRegexp compares glob with a regexp on random patterns and
// strings over a small alphabet (including a multibyte letter and "/"), where
// stars and question marks interact the most.
func TestGlobAgainstRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []string{"a", "b", "/", "é"}
	pat := []string{"a", "b", "/", "é", "*", "?"}
	gen := func(alpha []string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alpha[rng.IntN(len(alpha))])
		}
		return b.String()
	}
	for range 20000 {
		p := gen(pat, rng.IntN(8))
		s := gen(letters, rng.IntN(10))
		want := globRegexp(p).MatchString(s)
		if got := MatchResource(p, s); got != want {
			t.Fatalf("MatchResource(%q, %q) = %v, regexp says %v", p, s, got, want)
		}
	}
}

// FuzzGlob checks glob against the regexp reference on arbitrary valid UTF-8.
func FuzzGlob(f *testing.F) {
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/k")
	f.Add("*a*a*b", "aaaaaaab")
	f.Add("?*?", "é")
	f.Add("s3:*Object*", "s3:GetObjectAcl")
	f.Fuzz(func(t *testing.T, p, s string) {
		if !utf8.ValidString(p) || !utf8.ValidString(s) || len(p) > 64 || len(s) > 256 {
			return
		}
		want := globRegexp(p).MatchString(s)
		if got := glob(p, s); got != want {
			t.Fatalf("glob(%q, %q) = %v, regexp says %v", p, s, got, want)
		}
	})
}

// worstCases are inputs on which a naively backtracking matcher takes time
// exponential in the number of stars: the pattern almost matches everywhere
// and fails only at its end.
var worstCases = []struct {
	name    string
	pattern string
	s       string
	want    bool
}{
	{"stars-then-missing-b", "a*a*a*a*a*a*a*b", strings.Repeat("a", 1<<16), false},
	{"many-stars-then-missing-b", strings.Repeat("a*", 40) + "b", strings.Repeat("a", 1<<16), false},
	{"question-marks", strings.Repeat("*?", 30) + "b", strings.Repeat("a", 1<<15), false},
	{"long-tail-after-star", "*" + strings.Repeat("a", 64) + "b", strings.Repeat("a", 1<<15), false},
	{"matches-at-end", "a*a*a*a*a*a*a*b", strings.Repeat("a", 1<<16) + "b", true},
	{"arn-like", "arn:aws:s3:::" + strings.Repeat("*/", 20) + "x", "arn:aws:s3:::" + strings.Repeat("k/", 5000) + "y", false},
}

// TestGlobWorstCase pins that glob is not exponential. A backtracking
// matcher would need on the order of C(65536, 7) steps for the first case
// alone; it would never finish and the test binary's -timeout (10 minutes
// by default) turns that into a failure. No wall-clock assertion is made so
// the test cannot flake on a slow machine; the O(len(p)·len(s)) matcher
// finishes all cases in milliseconds.
func TestGlobWorstCase(t *testing.T) {
	for _, tc := range worstCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MatchResource(tc.pattern, tc.s); got != tc.want {
				t.Errorf("MatchResource = %v, want %v", got, tc.want)
			}
			if got := MatchAction(tc.pattern, tc.s); got != tc.want {
				t.Errorf("MatchAction = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestGlobNoAllocs pins that matching a resource allocates nothing: glob
// neither recurses with saved state nor builds a table.
func TestGlobNoAllocs(t *testing.T) {
	tc := worstCases[0]
	if n := testing.AllocsPerRun(10, func() { MatchResource(tc.pattern, tc.s) }); n != 0 {
		t.Errorf("MatchResource allocates %v times per call, want 0", n)
	}
}

func BenchmarkGlobWorstCase(b *testing.B) {
	for _, tc := range worstCases {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.s)))
			for b.Loop() {
				MatchResource(tc.pattern, tc.s)
			}
		})
	}
}

// CanMatchPrefix asks whether some string that starts with prefix matches
// the pattern. TestCanMatchPrefix pins hand-picked cases;
// TestCanMatchPrefixBruteForce checks it exhaustively on a small alphabet.
func TestCanMatchPrefix(t *testing.T) {
	tests := []struct {
		pattern, prefix string
		want            bool
	}{
		// A match must extend the prefix by at least one character:
		// object keys are never empty.
		{"", "", false},
		{"", "a", false},
		{"x", "", true},
		{"*", "", true},
		{"*", "anything", true},
		{"abc", "ab", true},
		{"abc", "abc", false},
		{"abc*", "abc", true},
		{"ab", "abc", false},
		{"abd", "abc", false},
		{"a*", "abc", true},
		{"a*z", "abc", true}, // abc…z
		{"a?c", "ab", true},
		{"a?c", "abd", false},
		{"?", "é", false},
		{"??", "é", true},
		{"?", "éé", false},
		{"a", "é", false},
		{"A*", "abc", false}, // case-sensitive
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b", true},
		{"arn:aws:s3:::b", "arn:aws:s3:::b/", false},
		{"arn:aws:s3:::*", "arn:aws:s3:::b/", true},
		{"arn:aws:s3:::c*", "arn:aws:s3:::b/", false},
	}
	for _, tc := range tests {
		if got := CanMatchPrefix(tc.pattern, tc.prefix); got != tc.want {
			t.Errorf("CanMatchPrefix(%q, %q) = %v, want %v", tc.pattern, tc.prefix, got, tc.want)
		}
	}
}

// TestCanMatchPrefixBruteForce compares CanMatchPrefix with a search for a
// non-empty witness suffix. Over the alphabet {a, b}, a pattern that matches prefix+t
// for some t also matches prefix+t' for a t' no longer than the pattern
// (characters of t absorbed by stars can be dropped), so trying every t up
// to len(p) letters decides the question.
func TestCanMatchPrefixBruteForce(t *testing.T) {
	var suffixes []string
	var gen func(s string, n int)
	gen = func(s string, n int) {
		suffixes = append(suffixes, s)
		if n == 0 {
			return
		}
		gen(s+"a", n-1)
		gen(s+"b", n-1)
	}
	gen("", 5)
	var patterns, prefixes []string
	var genP func(s string, n int, alpha string, out *[]string)
	genP = func(s string, n int, alpha string, out *[]string) {
		*out = append(*out, s)
		if n == 0 {
			return
		}
		for _, c := range alpha {
			genP(s+string(c), n-1, alpha, out)
		}
	}
	genP("", 5, "ab*?", &patterns)
	genP("", 3, "ab", &prefixes)
	for _, p := range patterns {
		for _, pre := range prefixes {
			want := false
			for _, s := range suffixes {
				if len(s) > 0 && len(s) <= len(p) && glob(p, pre+s) {
					want = true
					break
				}
			}
			if got := CanMatchPrefix(p, pre); got != want {
				t.Fatalf("CanMatchPrefix(%q, %q) = %v, brute force says %v", p, pre, got, want)
			}
		}
	}
}

// TestCanMatchObjectIn pins which Resource patterns can reach an object of
// bucket b (the classic 403: GetObject granted on the bucket ARN only).
func TestCanMatchObjectIn(t *testing.T) {
	const b = "arn:aws:s3:::b"
	tests := []struct {
		pattern string
		want    bool
	}{
		{"arn:aws:s3:::b/*", true},
		{"arn:aws:s3:::b/k", true},
		{"arn:aws:s3:::b/k*", true},
		{"arn:aws:s3:::b/*.txt", true},
		{"arn:aws:s3:::b/a/b/c", true},
		{"arn:aws:s3:::b*", true},
		{"arn:aws:s3:::*", true},
		{"arn:aws:s3:::*/k", true},
		{"arn:aws:s3:::?/*", true},
		{"arn:aws:s3:::??/*", true}, // ?? = "b/", then the key starts with "/"
		{"arn:*:s3:::b/*", true},
		{"arn:aws:s3:*:*:b/*", true}, // the region and account wildcards can be empty
		{"*", true},

		{"arn:aws:s3:::b", false},      // the bucket itself
		{"arn:aws:s3:::B/*", false},    // case-sensitive
		{"arn:aws:s3:::bb/*", false},   // another bucket
		{"arn:aws:s3:::c/*", false},    // another bucket
		{"arn:aws:s3:::a*/*", false},   // buckets starting with a
		{"arn:aws-cn:s3:::b/*", false}, // another partition
		{"arn:aws:s3:::", false},
		{"", false},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/*", false},
	}
	for _, tc := range tests {
		if got := CanMatchObjectIn(tc.pattern, b); got != tc.want {
			t.Errorf("CanMatchObjectIn(%q, %q) = %v, want %v", tc.pattern, b, got, tc.want)
		}
	}
	if CanMatchObjectIn("arn:aws:s3:::b/*", "arn:aws:s3:::b2") {
		t.Errorf(`CanMatchObjectIn("arn:aws:s3:::b/*", "arn:aws:s3:::b2") = true, want false`)
	}
}

// TestCanMatchObjectInEmptyKey: S3 object keys are at least one character
// long, so a pattern that reaches bucket b's "objects" only with an empty key
// reaches none of them. S3L010 relies on CanMatchObjectIn to decide that a
// statement covers some object of the bucket.
func TestCanMatchObjectInEmptyKey(t *testing.T) {
	const b = "arn:aws:s3:::b"
	for _, p := range []string{"arn:aws:s3:::b?", "arn:aws:s3:::b/"} {
		if CanMatchObjectIn(p, b) {
			t.Errorf("CanMatchObjectIn(%q, %q) = true, want false: only an empty key would match", p, b)
		}
	}
	// Positive controls: a key of at least one character remains.
	for _, p := range []string{"arn:aws:s3:::b??", "arn:aws:s3:::b?*", "arn:aws:s3:::b/?"} {
		if !CanMatchObjectIn(p, b) {
			t.Errorf("CanMatchObjectIn(%q, %q) = false, want true", p, b)
		}
	}
}

func TestCanMatchBucketOrObject(t *testing.T) {
	const b = "arn:aws:s3:::b"
	tests := []struct {
		pattern string
		want    bool
	}{
		{"arn:aws:s3:::b", true},
		{"arn:aws:s3:::b/*", true},
		{"arn:aws:s3:::b/k", true},
		{"arn:aws:s3:::b*", true},
		{"arn:aws:s3:::*", true},
		{"*", true},
		{"arn:aws:s3:::?", true},
		{"arn:aws:s3:::B", false},
		{"arn:aws:s3:::b2", false},
		{"arn:aws:s3:::b2/*", false},
		{"arn:aws:s3:::a*", false},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/b", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := CanMatchBucketOrObject(tc.pattern, b); got != tc.want {
			t.Errorf("CanMatchBucketOrObject(%q, %q) = %v, want %v", tc.pattern, b, got, tc.want)
		}
	}
}

func TestHasWildcard(t *testing.T) {
	for s, want := range map[string]bool{
		"": false, "arn:aws:s3:::b": false, "*": true, "?": true, "b/*": true, "b?": true,
	} {
		if got := HasWildcard(s); got != want {
			t.Errorf("HasWildcard(%q) = %v, want %v", s, got, want)
		}
	}
}
