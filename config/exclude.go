package config

import (
	"path"
	"path/filepath"
	"strings"
)

// Excluded reports whether a file or directory (relative to the working
// directory, or absolute) is excluded: its path relative to the
// configuration file's directory, or that of a directory above it, matches
// an exclude pattern. Patterns use "/" and match whole paths: "*", "?" and
// "[…]" stay within one path segment, and a "**" segment matches any
// number of segments, none included. Paths outside the directory are
// never excluded.
func (c *Config) Excluded(p string) bool {
	if c == nil || len(c.Exclude) == 0 {
		return false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	segs := strings.Split(filepath.ToSlash(rel), "/")
	for _, pat := range c.Exclude {
		ps := patternSegments(pat)
		for n := 1; n <= len(segs); n++ {
			if match(ps, segs[:n]) {
				return true
			}
		}
	}
	return false
}

// patternSegments splits a pattern, dropping "./" and a trailing "/".
func patternSegments(pat string) []string {
	pat = strings.TrimSuffix(strings.TrimPrefix(pat, "./"), "/")
	return strings.Split(pat, "/")
}

// match reports whether the pattern segments ps match the path segments ns.
func match(ps, ns []string) bool {
	for len(ps) > 0 {
		if ps[0] == "**" {
			for len(ps) > 0 && ps[0] == "**" {
				ps = ps[1:]
			}
			if len(ps) == 0 {
				return true
			}
			for i := range len(ns) + 1 {
				if match(ps, ns[i:]) {
					return true
				}
			}
			return false
		}
		if len(ns) == 0 {
			return false
		}
		if ok, _ := path.Match(ps[0], ns[0]); !ok {
			return false
		}
		ps, ns = ps[1:], ns[1:]
	}
	return len(ns) == 0
}
