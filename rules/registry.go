package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var (
	idPattern   = regexp.MustCompile(`^S3L[0-9]{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Registry holds the rules of a run, validated and sorted by ID. There is no
// global registry: the CLI builds one from All().
type Registry struct {
	rules []Rule
	byID  map[string]Rule
}

// NewRegistry validates rules: IDs like S3L010 and unique, kebab-case names,
// a title (lower case, no period) and a doc.
func NewRegistry(rs ...Rule) (*Registry, error) {
	r := &Registry{byID: map[string]Rule{}}
	names := map[string]bool{}
	for _, rule := range rs {
		m := rule.Meta()
		switch {
		case !idPattern.MatchString(m.ID):
			return nil, fmt.Errorf("rule %q: ID must look like S3L010", m.ID)
		case r.byID[m.ID] != nil:
			return nil, fmt.Errorf("rule %s: duplicate ID", m.ID)
		case !namePattern.MatchString(m.Name) || names[m.Name]:
			return nil, fmt.Errorf("rule %s: name %q must be unique kebab-case", m.ID, m.Name)
		case m.Title == "" || strings.HasSuffix(m.Title, ".") || strings.ToLower(m.Title[:1]) != m.Title[:1]:
			return nil, fmt.Errorf("rule %s: title must be one lower-case line without a period", m.ID)
		case strings.TrimSpace(m.Doc) == "":
			return nil, fmt.Errorf("rule %s: doc is empty", m.ID)
		case m.Severity < Note || m.Severity > Error:
			return nil, fmt.Errorf("rule %s: no severity", m.ID)
		}
		names[m.Name] = true
		r.byID[m.ID] = rule
		r.rules = append(r.rules, rule)
	}
	sort.Slice(r.rules, func(i, j int) bool { return r.rules[i].Meta().ID < r.rules[j].Meta().ID })
	return r, nil
}

// All returns every rule, sorted by ID.
func (r *Registry) All() []Rule { return r.rules }

// Lookup finds a rule by ID (S3L010) or name (object-action-on-bucket-arn).
func (r *Registry) Lookup(idOrName string) Rule {
	if rule := r.byID[strings.ToUpper(idOrName)]; rule != nil {
		return rule
	}
	for _, rule := range r.rules {
		if rule.Meta().Name == idOrName {
			return rule
		}
	}
	return nil
}

// Enabled returns the rules that run by default.
func (r *Registry) Enabled() []Rule {
	var out []Rule
	for _, rule := range r.rules {
		if rule.Meta().Default {
			out = append(out, rule)
		}
	}
	return out
}
