package policy

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// Values the engine compares may hold symbols: spans like "<name of
// aws_s3_bucket.b@root>" or "<account of aws>" that the loaders put where a
// name or account is decided only at deployment, and "<key>" or "<session>"
// that the engine puts where a request could carry anything. A symbol equals
// itself and may equal any literal, so comparisons with symbols answer
// Maybe unless the pattern covers every possible value.

// hasSymbol reports whether s holds a symbol.
func hasSymbol(s string) bool {
	i := strings.IndexByte(s, '<')
	return i >= 0 && strings.IndexByte(s[i:], '>') > 0
}

// SymbolsAsStars turns every symbol of s into "*" (or the shape of a
// generated name, graph.ShapeOfSymbol) and escapes nothing else: the result
// is a glob matching every value the symbols may stand for.
func SymbolsAsStars(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(graph.ShapeOfSymbol(s[i : i+j+1]))
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// symbolNames describes the symbols in s, for the Why of a Maybe.
func symbolNames(s string) []string {
	spans := symbolSpans(s)
	out := make([]string, len(spans))
	for i, sym := range spans {
		out[i] = describeSymbol(sym)
	}
	return out
}

// describeSymbol words a symbol for people.
func describeSymbol(sym string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(sym, "<"), ">")
	switch {
	case strings.HasPrefix(inner, "name of "):
		addr, _, _ := strings.Cut(strings.TrimPrefix(inner, "name of "), "@")
		return "the name of " + graph.UnescapeSymbol(addr)
	case strings.HasPrefix(inner, "account of "):
		return "the account of " + graph.UnescapeSymbol(strings.TrimPrefix(inner, "account of "))
	case inner == "key":
		return "the object key"
	case inner == "session":
		return "the role session name"
	case inner == "region":
		return "the region"
	case strings.HasPrefix(inner, "id of "):
		addr, _, _ := strings.Cut(strings.TrimPrefix(inner, "id of "), "@")
		return "the ID of " + graph.UnescapeSymbol(addr)
	case strings.HasPrefix(inner, "vpc of "):
		return "the VPC of " + strings.TrimPrefix(inner, "vpc of ")
	}
	return inner
}

// MayMatch reports whether a glob pattern from a policy may match a value
// once deployed, either of them holding symbols: names and accounts not
// known before deployment may be anything, while the AWS-assigned IDs of
// two resources of the configuration differ.
func MayMatch(pattern, value string) bool { return matchSym(pattern, value).T != No }

// matchSym matches a glob pattern from a policy against a value that may
// hold symbols, and a pattern that may hold symbols (a policy written with
// a reference to a bucket whose name is unknown) against a literal value.
func matchSym(pattern, value string) Truth {
	if glob(pattern, value) {
		return yes
	}
	if !hasSymbol(pattern) && !hasSymbol(value) {
		return no
	}
	return matchSymbols(pattern, value)
}

// matchSymbols is matchSym once the pattern does not match the value as
// written and one of them holds a symbol: maybe, when what the symbols may
// stand for lets them meet.
func matchSymbols(pattern, value string) Truth {
	p, v := sharedSymbolsAsTokens(pattern, value)
	p, v = distinctIDsAsTokens(p, v)
	p, v = SymbolsAsStars(p), SymbolsAsStars(v)
	if globsIntersect(p, v) {
		return maybe(unsharedSymbolNames(pattern, value)...)
	}
	return no
}

// unsharedSymbolNames describes the symbols of a and b that are not in
// both: a symbol on both sides stands for one value, so what a comparison
// depends on is the others (all of them, when every one is shared).
func unsharedSymbolNames(a, b string) []string {
	var out []string
	for _, s := range [2][2]string{{a, b}, {b, a}} {
		for _, sym := range symbolSpans(s[0]) {
			if !strings.Contains(s[1], sym) {
				out = append(out, describeSymbol(sym))
			}
		}
	}
	if len(out) == 0 {
		return symbolNames(a) // b has the same ones
	}
	return out
}

// equalSym compares two values that may hold symbols, without wildcards.
func equalSym(a, b string) Truth {
	if a == b {
		return yes
	}
	if !hasSymbol(a) && !hasSymbol(b) {
		return no
	}
	a2, b2 := sharedSymbolsAsTokens(escapeGlob(a, false), escapeGlob(b, false))
	a2, b2 = distinctIDsAsTokens(a2, b2)
	if globsIntersect(SymbolsAsStars(a2), SymbolsAsStars(b2)) {
		return maybe(unsharedSymbolNames(a, b)...)
	}
	return no
}

// sharedSymbolsAsTokens replaces each symbol that occurs in both strings by
// the same literal token, so that a symbol compared with itself means one
// value rather than "anything" on each side (arn:…:<name of b>/thumbnails/*
// cannot match arn:…:<name of b>/thumbs/x, even though a symbol alone could
// stand for a string containing "/thumbnails/").
func sharedSymbolsAsTokens(a, b string) (string, string) {
	syms := symbolSpans(a)
	if len(syms) == 0 {
		return a, b
	}
	var pairs []string
	nested := false
	for i, sym := range syms {
		if strings.Contains(b, sym) {
			pairs = append(pairs, sym, "\x01"+string(rune('A'+i%26))+"\x02")
			nested = nested || strings.IndexByte(sym[1:], '<') >= 0
		}
	}
	if nested {
		// One symbol's text may end another's: replace them all at once.
		r := strings.NewReplacer(pairs...)
		return r.Replace(a), r.Replace(b)
	}
	// Otherwise symbols never overlap, and no token holds one, so replacing
	// them one after another is the same; building a strings.Replacer for
	// each comparison cost more than the comparisons (this runs for every
	// resource matched against a policy).
	for i := 0; i < len(pairs); i += 2 {
		a, b = strings.ReplaceAll(a, pairs[i], pairs[i+1]), strings.ReplaceAll(b, pairs[i], pairs[i+1])
	}
	return a, b
}

// distinctIDsAsTokens replaces the ID symbols ("<id of ADDRESS@SCOPE>") of
// two strings by literal tokens, one per symbol, when both strings hold
// some and all of them belong to one configuration (SCOPE): AWS gives every
// resource an ID of its own, so the IDs of two resources of one
// configuration (two VPC endpoints, two distributions) are never equal,
// while an ID symbol compared with a literal ID, or with a resource of
// another configuration (a copy of the template), may be. Run after
// sharedSymbolsAsTokens, it sees only the symbols the strings do not
// share.
func distinctIDsAsTokens(a, b string) (string, string) {
	ia, ib := idSymbols(a), idSymbols(b)
	if len(ia) == 0 || len(ib) == 0 {
		return a, b
	}
	all := make([]string, 0, len(ia)+len(ib))
	all = append(append(all, ia...), ib...)
	// A symbol without @SCOPE belongs to the configuration scanned as the
	// current directory.
	scopeOf := func(sym string) string {
		sym, _, _ = strings.Cut(sym, "#") // a generated name's shape
		if i := strings.LastIndexByte(sym, '@'); i >= 0 {
			return strings.TrimSuffix(sym[i+1:], ">")
		}
		return ""
	}
	scope := scopeOf(all[0])
	for _, sym := range all[1:] {
		if scopeOf(sym) != scope {
			return a, b
		}
	}
	for i, sym := range all {
		tok := "\x01I" + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + "\x02"
		a, b = strings.ReplaceAll(a, sym, tok), strings.ReplaceAll(b, sym, tok)
	}
	return a, b
}

// idSymbols lists the distinct ID symbols of s, and the symbols of
// generated names (graph.SymbolicGeneratedName): those too are unique to
// their resource, as CloudFormation and Terraform make them so.
func idSymbols(s string) []string {
	var out []string
	for _, sym := range symbolSpans(s) {
		if strings.HasPrefix(sym, "<id of ") || strings.HasPrefix(sym, "<name of ") && strings.IndexByte(sym, '#') >= 0 {
			out = append(out, sym)
		}
	}
	return out
}

// symbolSpans lists the distinct symbols of s.
func symbolSpans(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return out
		}
		sym := s[i : i+j+1]
		dup := false
		for _, o := range out {
			dup = dup || o == sym
		}
		if !dup {
			out = append(out, sym)
		}
		s = s[i+j+1:]
	}
}

// escapeGlob makes a literal usable as a glob: literal * and ? cannot be
// escaped in IAM globs, so they are replaced by a character no ARN holds;
// with stars set, symbols become *.
func escapeGlob(s string, stars bool) string {
	s = strings.NewReplacer("*", "\x00", "?", "\x00").Replace(s)
	if stars {
		s = SymbolsAsStars(s)
	}
	return s
}

// maxIntersect bounds the work globsIntersect does; longer inputs are
// assumed to intersect, which only ever turns an answer into Maybe.
const maxIntersect = 1 << 20

// globsIntersect reports whether some string matches both globs.
func globsIntersect(a, b string) bool {
	if (len(a)+1)*(len(b)+1) > maxIntersect {
		return true
	}
	// Characters that are not * at either end stand for exactly one
	// character of every string both match: they must agree, and only
	// what lies between needs the search (ARNs share long prefixes).
	for len(a) > 0 && len(b) > 0 && a[0] != '*' && b[0] != '*' {
		if a[0] != b[0] && a[0] != '?' && b[0] != '?' {
			return false
		}
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] != '*' && b[len(b)-1] != '*' {
		if x, y := a[len(a)-1], b[len(b)-1]; x != y && x != '?' && y != '?' {
			return false
		}
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	return globsIntersectSearch(a, b)
}

// globsIntersectSearch is globsIntersect by a search over pairs of
// positions, one in each pattern.
func globsIntersectSearch(a, b string) bool {
	la, lb := len(a), len(b)
	if (la+1)*(lb+1) > maxIntersect {
		return true
	}
	// seen[i][j] memoizes visited states; the search is a DFS over them.
	seen := make([]bool, (la+1)*(lb+1))
	var walk func(i, j int) bool
	walk = func(i, j int) bool {
		for {
			k := i*(lb+1) + j
			if seen[k] {
				return false
			}
			seen[k] = true
			switch {
			case i == la:
				return strings.Trim(b[j:], "*") == ""
			case j == lb:
				return strings.Trim(a[i:], "*") == ""
			case a[i] == '*':
				if walk(i+1, j) {
					return true
				}
				j++ // a's * absorbs b[j]
			case b[j] == '*':
				if walk(i, j+1) {
					return true
				}
				i++
			case a[i] == '?' || b[j] == '?' || a[i] == b[j]:
				i, j = i+1, j+1
			default:
				return false
			}
		}
	}
	return walk(0, 0)
}
