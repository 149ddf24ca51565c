package policy

import (
	"strings"
	"unicode/utf8"
)

// MatchAction reports whether an Action pattern from a policy matches an
// action name. AWS compares actions case-insensitively; * matches any run of
// characters and ? exactly one.
func MatchAction(pattern, action string) bool {
	if isASCII(pattern) && isASCII(action) {
		// Rules ask this for every statement against the whole action
		// table: fold case byte by byte rather than allocate lower-case
		// copies.
		return globWith(pattern, action, asciiFold)
	}
	return glob(strings.ToLower(pattern), strings.ToLower(action))
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiFold(a, b byte) bool {
	if 'A' <= a && a <= 'Z' {
		a += 'a' - 'A'
	}
	if 'A' <= b && b <= 'Z' {
		b += 'a' - 'A'
	}
	return a == b
}

func exact(a, b byte) bool { return a == b }

// MatchResource reports whether a Resource pattern matches an ARN. ARNs
// compare case-sensitively, and * also matches "/" (so arn:aws:s3:::b/* covers
// keys at any depth, and arn:aws:s3:::b* covers the bucket, its objects, and
// every other bucket whose name starts with b).
func MatchResource(pattern, arn string) bool {
	return glob(pattern, arn)
}

// glob matches s against a pattern of literal characters, * (any run) and ?
// (one character). It backtracks only to the last *, so it runs in
// O(len(p)·len(s)) at worst and never recurses.
func glob(p, s string) bool { return globWith(p, s, exact) }

// globWith is glob with eq deciding whether a literal byte of the pattern
// matches a byte of s.
func globWith(p, s string, eq func(a, b byte) bool) bool {
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		if px < len(p) {
			switch p[px] {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				_, w := utf8.DecodeRuneInString(s[sx:])
				px++
				sx += w
				continue
			default:
				if eq(p[px], s[sx]) {
					px++
					sx++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last * absorb one more character and retry.
		_, w := utf8.DecodeRuneInString(s[starS:])
		starS += w
		px, sx = starP+1, starS
	}
	for px < len(p) && p[px] == '*' {
		px++
	}
	return px == len(p)
}

// globMatchesPrefix reports whether pattern p matches at least one string
// that extends prefix by one character or more: whether some s = prefix+t
// with t non-empty has glob(p, s). Used to ask "can this Resource match any
// object of bucket b?" with prefix "arn:aws:s3:::b/": S3 object keys are
// never empty.
func globMatchesPrefix(p, prefix string) bool {
	// Walk p over prefix; a * reached while prefix remains can absorb the
	// rest of the prefix and then anything, so it matches.
	return prefixWalk(p, prefix)
}

func prefixWalk(p, s string) bool {
	for i := range len(p) {
		if len(s) == 0 {
			// The prefix is consumed and pattern remains: it matches
			// some non-empty suffix (every pattern matches a string, and
			// a non-empty pattern a non-empty one).
			return true
		}
		switch p[i] {
		case '*':
			// * can absorb all of the rest of s.
			return true
		case '?':
			_, w := utf8.DecodeRuneInString(s)
			s = s[w:]
		default:
			if p[i] != s[0] {
				return false
			}
			s = s[1:]
		}
	}
	// The pattern ended exactly at or before the end of the prefix: no
	// non-empty suffix.
	return false
}

// HasWildcard reports whether s contains IAM wildcard characters.
func HasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }
