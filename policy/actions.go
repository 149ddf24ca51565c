package policy

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// The tables are AWS's Service Authorization Reference for S3 and KMS, copied
// into the repository so that a binary carries them. Refresh them with
// `go generate ./policy` (see gen.go).
//
//go:embed data/*.csv
var tableFS embed.FS

// ResourceType is one resource type an action can be authorized against.
type ResourceType struct {
	Name     string // "object", "bucket", "accesspoint", … ; "*" for actions that take Resource "*"
	Required bool   // marked with * in AWS's table
}

// Action is one IAM action of a service we model.
type Action struct {
	Service       string // "s3", "kms"
	Name          string // "GetObject"
	Level         string // Read, Write, List, Tagging, Permissions management
	ResourceTypes []ResourceType
	ConditionKeys []string
	// ResourceKeys are the condition keys AWS's table lists under each
	// resource type the action applies to, by type: a request against a
	// resource of that type may carry them too (s3:DataAccessPointArn
	// through an access point, s3:BucketTag/… on buckets and objects).
	ResourceKeys map[string][]string
}

// String is the action as written in policies, e.g. "s3:GetObject".
func (a *Action) String() string { return a.Service + ":" + a.Name }

// AppliesTo reports whether the action can be authorized against resource
// type rt.
func (a *Action) AppliesTo(rt string) bool {
	for _, t := range a.ResourceTypes {
		if t.Name == rt {
			return true
		}
	}
	return false
}

// ObjectLevel reports whether the action applies to objects only (object or
// access-point object ARNs), like GetObject or PutObject.
func (a *Action) ObjectLevel() bool {
	if a.Service != "s3" || len(a.ResourceTypes) == 0 {
		return false
	}
	for _, t := range a.ResourceTypes {
		if t.Name != "object" && t.Name != "accesspointobject" {
			return false
		}
	}
	return true
}

// BucketLevel reports whether the action applies to buckets and not to
// objects, like ListBucket or PutBucketPolicy.
func (a *Action) BucketLevel() bool {
	return a.Service == "s3" && a.AppliesTo("bucket") && !a.AppliesTo("object")
}

// maxExpansions bounds the memo of ExpandAction, so that a hostile input
// with millions of distinct wildcards costs time, not memory.
const maxExpansions = 4096

type table struct {
	actions []*Action // sorted by String()
	names   []string  // String() of each action
	// expanded memoizes ExpandAction's wildcard patterns.
	expanded sync.Map
	memoized atomic.Int64
	byName   map[string]*Action
	// services are the prefixes we have tables for, in lower case.
	services map[string]bool
}

var (
	loadOnce sync.Once
	loaded   *table
	loadErr  error
)

func actionTable() *table {
	loadOnce.Do(func() { loaded, loadErr = loadTable() })
	if loadErr != nil {
		// The tables are embedded and checked by tests; failing here means
		// the binary itself is broken.
		panic(loadErr)
	}
	return loaded
}

func loadTable() (*table, error) {
	t := &table{byName: map[string]*Action{}, services: map[string]bool{}}
	for _, service := range []string{"s3", "kms"} {
		acts, err := readTable("data/"+service+"_actions.csv", parseActionsCSV)
		if err != nil {
			return nil, err
		}
		keys, err := readTable("data/"+service+"_resource_types.csv", parseResourceTypesCSV)
		if err != nil {
			return nil, err
		}
		for _, a := range acts {
			t.actions = append(t.actions, a)
			t.byName[strings.ToLower(a.String())] = a
			t.services[a.Service] = true
			for _, rt := range a.ResourceTypes {
				if k := keys[rt.Name]; len(k) > 0 {
					if a.ResourceKeys == nil {
						a.ResourceKeys = map[string][]string{}
					}
					a.ResourceKeys[rt.Name] = k
				}
			}
		}
	}
	sort.Slice(t.actions, func(i, j int) bool { return t.actions[i].String() < t.actions[j].String() })
	for _, a := range t.actions {
		t.names = append(t.names, a.String())
	}
	return t, nil
}

// parseActionsCSV reads AWS's action table:
// action,access_level,resource_types,condition_keys
// where resource_types is a ;-list and a trailing * marks a required type.
func parseActionsCSV(b []byte) ([]*Action, error) {
	r := csv.NewReader(bytes.NewReader(b))
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	if strings.Join(header, ",") != "action,access_level,resource_types,condition_keys" {
		return nil, fmt.Errorf("unexpected header %q", header)
	}
	var out []*Action
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		svc, name, ok := strings.Cut(rec[0], ":")
		if !ok {
			return nil, fmt.Errorf("action %q has no service prefix", rec[0])
		}
		a := &Action{Service: svc, Name: name, Level: rec[1]}
		for _, rt := range splitList(rec[2]) {
			if rt == "*" {
				a.ResourceTypes = append(a.ResourceTypes, ResourceType{Name: "*"})
				continue
			}
			req := strings.HasSuffix(rt, "*")
			a.ResourceTypes = append(a.ResourceTypes, ResourceType{Name: strings.TrimSuffix(rt, "*"), Required: req})
		}
		a.ConditionKeys = splitList(rec[3])
		out = append(out, a)
	}
	return out, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// LookupAction finds an action by its exact name, case-insensitively
// ("s3:getobject" finds s3:GetObject). It returns nil for unknown actions and
// for services we have no table for.
func LookupAction(name string) *Action {
	return actionTable().byName[strings.ToLower(name)]
}

// HasTable reports whether we know every action of the service prefix
// ("s3", "kms"), so that a name missing from the table is truly unknown.
func HasTable(service string) bool { return actionTable().services[strings.ToLower(service)] }

// ExpandAction returns the actions of our tables that pattern matches, in
// name order. "*" matches every action of every service we model.
func ExpandAction(pattern string) []*Action {
	if !strings.ContainsAny(pattern, "*?") {
		if a := LookupAction(pattern); a != nil {
			return []*Action{a}
		}
		return nil
	}
	t := actionTable()
	// Rules expand the same few wildcards (s3:*, s3:Get*) for every
	// statement of a monorepo; expand each once.
	if v, ok := t.expanded.Load(pattern); ok {
		return v.([]*Action)
	}
	var out []*Action
	for i, a := range t.actions {
		if MatchAction(pattern, t.names[i]) {
			out = append(out, a)
		}
	}
	out = out[:len(out):len(out)] // shared: an append by a caller copies
	if t.memoized.Add(1) <= maxExpansions {
		t.expanded.Store(pattern, out)
	}
	return out
}

// Actions returns every action of a service, in name order.
func Actions(service string) []*Action {
	var out []*Action
	for _, a := range actionTable().actions {
		if a.Service == service {
			out = append(out, a)
		}
	}
	return out
}

// parseResourceTypesCSV reads AWS's resource type table:
// resource_type,arn_pattern,condition_keys, where condition_keys is a
// ;-list. It returns the condition keys by resource type.
func parseResourceTypesCSV(b []byte) (map[string][]string, error) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "resource_type,arn_pattern,condition_keys" {
		return nil, fmt.Errorf("unexpected header")
	}
	out := map[string][]string{}
	for _, r := range rows[1:] {
		if len(r) != 3 {
			return nil, fmt.Errorf("row %q: want 3 fields", r)
		}
		if r[2] != "" {
			out[r[0]] = strings.Split(r[2], ";")
		}
	}
	return out, nil
}

// readTable reads and parses one embedded table.
func readTable[T any](name string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	b, err := tableFS.ReadFile(name)
	if err != nil {
		return zero, err
	}
	v, err := parse(b)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}
