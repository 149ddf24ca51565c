// Package resolve finds what a person names on the command line or in
// .s3lint.yaml in the graph: a principal, a bucket, a VPC endpoint, by
// address (with or without its module path), CloudFormation logical ID,
// name or ARN, with a suggestion when nothing matches.
package resolve

import (
	"fmt"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Caller resolves a principal named by its address (or the address
// without its module path, when that is unambiguous), its ARN, or an ARN,
// account, service principal or "anonymous" of no principal of the graph.
func Caller(g *graph.Graph, s string) (policy.Caller, error) {
	var matches []*graph.Principal
	for _, p := range g.Principals {
		if p.Address == s || p.LogicalID == s {
			matches = append(matches, p)
		}
	}
	if len(matches) == 0 {
		// Addresses inside modules can be named without the module path
		// when that is unambiguous.
		for _, p := range g.Principals {
			if strings.HasSuffix(p.Address, "."+s) {
				matches = append(matches, p)
			}
		}
	}
	if len(matches) == 0 {
		for _, p := range g.Principals {
			if c, ok := policy.CallerFor(p); ok && (c.ARN == s || p.ARN.Is(s)) {
				matches = append(matches, p)
			}
		}
	}
	switch len(matches) {
	case 1:
		c, ok := policy.CallerFor(matches[0])
		if !ok {
			return c, fmt.Errorf("%s is a group; groups cannot make requests (name one of its users)", s)
		}
		return c, nil
	case 0:
		if c, ok := policy.CallerFromARN(s); ok {
			return c, nil
		}
		return policy.Caller{}, fmt.Errorf("%q is neither a role or user of the configuration nor an ARN, account, service principal or \"anonymous\"%s", s, Nearby(principalNames(g), s))
	}
	var where []string
	for _, m := range matches {
		where = append(where, m.Address+" at "+m.Range.Short())
	}
	return policy.Caller{}, fmt.Errorf("%q names several principals: %s; scan only the configuration you mean", s, strings.Join(where, ", "))
}

func principalNames(g *graph.Graph) []string {
	var out []string
	for _, p := range g.Principals {
		if p.Kind != graph.Group {
			out = append(out, p.Address)
		}
	}
	return out
}

// Nearby suggests the known names that contain s or that s contains.
func Nearby(names []string, s string) string {
	var hits []string
	low := strings.ToLower(s)
	for _, n := range names {
		ln := strings.ToLower(n)
		if strings.Contains(ln, low) || strings.Contains(low, ln) || strings.HasSuffix(low, "."+lastDot(ln)) {
			hits = append(hits, n)
		}
	}
	sort.Strings(hits)
	if len(hits) == 0 {
		return ""
	}
	if len(hits) > 5 {
		hits = hits[:5]
	}
	return "; did you mean " + strings.Join(hits, ", ") + "?"
}

func lastDot(s string) string { return s[strings.LastIndexByte(s, '.')+1:] }

// Resource resolves a resource to an ARN: an ARN as it is, or a bucket of
// the graph (see Bucket) with an optional key after a "/".
func Resource(g *graph.Graph, s string) (string, error) {
	if strings.HasPrefix(s, "arn:") {
		return s, nil
	}
	addr, key := splitAddressKey(s)
	// A CDK construct path holds slashes of its own: the longest bucket
	// address that s starts with wins.
	for _, b := range g.Buckets {
		if (s == b.Address || strings.HasPrefix(s, b.Address+"/")) && len(b.Address) > len(addr) && strings.Contains(b.Address, "/") {
			addr, key = b.Address, strings.TrimPrefix(strings.TrimPrefix(s, b.Address), "/")
		}
	}
	b, err := Bucket(g, addr)
	if err != nil {
		return "", err
	}
	arn := policy.BucketARNOf(b)
	if key != "" {
		arn += "/" + key
	}
	return arn, nil
}

// Bucket resolves a bucket of the graph by its address (or the address
// without its module path, when that is unambiguous), its CloudFormation
// logical ID, its name, or its ARN.
func Bucket(g *graph.Graph, s string) (*graph.Bucket, error) {
	name := s
	if _, n, ok := policy.BucketARN(s); ok {
		name = n
	}
	var matches []*graph.Bucket
	for _, b := range g.Buckets {
		if b.Address == s || b.LogicalID == s || strings.HasSuffix(b.Address, "."+s) || (b.Name.Known() && b.Name.V == name) {
			matches = append(matches, b)
		}
	}
	switch len(matches) {
	case 0:
		var names []string
		for _, b := range g.Buckets {
			names = append(names, b.Address)
		}
		return nil, fmt.Errorf("%q is not a bucket of the configuration (by address, logical ID, name or ARN)%s", s, Nearby(names, s))
	case 1:
		return matches[0], nil
	}
	var where []string
	for _, m := range matches {
		where = append(where, m.Address+" at "+m.Range.Short())
	}
	return nil, fmt.Errorf("%q names several buckets: %s", s, strings.Join(where, ", "))
}

// splitAddressKey splits "aws_s3_bucket.b[\"x/y\"]/k/e/y" at the first "/"
// outside brackets.
func splitAddressKey(s string) (addr, key string) {
	depth := 0
	for i, c := range s {
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		case '/':
			if depth == 0 {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// Endpoint resolves a VPC endpoint of the graph by its address.
func Endpoint(g *graph.Graph, s string) (*graph.Endpoint, error) {
	var matches []*graph.Endpoint
	for _, e := range g.Endpoints {
		if e.Address == s || strings.HasSuffix(e.Address, "."+s) {
			matches = append(matches, e)
		}
	}
	if len(matches) == 1 {
		return matches[0], nil
	}
	if len(matches) == 0 {
		var names []string
		for _, e := range g.Endpoints {
			names = append(names, e.Address)
		}
		return nil, fmt.Errorf("%q is not a VPC endpoint of the configuration%s", s, Nearby(names, s))
	}
	return nil, fmt.Errorf("%q names several VPC endpoints", s)
}
