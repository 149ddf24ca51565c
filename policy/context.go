package policy

import (
	"slices"
	"sort"
	"strings"
)

// KeyState says what is known of a condition key in a request.
type KeyState uint8

// The states of a context key. The zero value is Unknown: a key nobody set
// may or may not be in the request.
const (
	KeyUnknown KeyState = iota
	KeyAbsent
	KeyKnown
)

// ContextValue is a condition key's state and, when known, its values.
type ContextValue struct {
	State  KeyState
	Values []string
	// Assumed marks values the engine chose for a typical request (HTTPS,
	// a direct call) rather than values the user gave or the graph fixes;
	// explain shows them so that nobody mistakes them for facts.
	Assumed bool
	// OneOf marks a key whose request carries exactly one of Values, which
	// one not being known (the TLS version a client negotiates).
	OneOf bool
	// Name is the key as first written, for display.
	Name string
}

// Context is the request context: condition keys (case-insensitive) and
// their values.
type Context map[string]ContextValue

// engineKeys are the condition keys the engine fills in for every request
// it decides (prepareContext); lowerKeys holds their lower case, so that
// filling and reading a context does not lower the same names again and
// again.
var engineKeys = []string{
	"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:PrincipalIsAWSService",
	"aws:PrincipalServiceName", "aws:PrincipalOrgID", "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner",
	"aws:ViaAWSService", "aws:CalledVia", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge",
	"aws:SecureTransport", "aws:SourceVpce", "aws:SourceVpc", "aws:VpcSourceIp", "aws:SourceIp",
	"s3:ResourceAccount", "s3:TlsVersion",
}

var lowerKeys = func() map[string]string {
	m := make(map[string]string, len(engineKeys))
	for _, k := range engineKeys {
		m[k] = strings.ToLower(k)
	}
	return m
}()

// lowerKey is the key as contexts store it: condition keys are not case
// sensitive.
func lowerKey(k string) string {
	if l, ok := lowerKeys[k]; ok {
		return l
	}
	return strings.ToLower(k)
}

// Get returns the key's state; keys never set are unknown.
func (c Context) Get(key string) ContextValue { return c[lowerKey(key)] }

// Set records known values for a key.
func (c Context) Set(key string, values ...string) {
	c[lowerKey(key)] = ContextValue{State: KeyKnown, Values: values, Name: key}
}

// Assume records values the engine assumes for a typical request.
func (c Context) Assume(key string, values ...string) {
	c[lowerKey(key)] = ContextValue{State: KeyKnown, Values: values, Assumed: true, Name: key}
}

// AssumeOneOf records that a typical request carries one of the values
// for the key, which one not being known.
func (c Context) AssumeOneOf(key string, values ...string) {
	c[lowerKey(key)] = ContextValue{State: KeyKnown, Values: values, Assumed: true, OneOf: true, Name: key}
}

// SetAbsent records that the request does not carry the key.
func (c Context) SetAbsent(key string) {
	c[lowerKey(key)] = ContextValue{State: KeyAbsent, Name: key}
}

// SetNotKnown records that the key's presence and values cannot be known,
// so that the engine does not fill in what a request usually carries.
func (c Context) SetNotKnown(key string) {
	c[lowerKey(key)] = ContextValue{State: KeyUnknown, Name: key}
}

// SetUnknown forgets what is known of the key.
func (c Context) SetUnknown(key string) { delete(c, lowerKey(key)) }

// Keys returns the keys that are set, sorted.
func (c Context) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Clone copies the context.
func (c Context) Clone() Context {
	o := make(Context, len(c))
	for k, v := range c {
		o[k] = v
	}
	return o
}

// lookup returns the state of key for a request of the action: a
// service-specific key that the action does not support is absent from
// every such request (s3:prefix on GetObject); global keys and keys of
// actions without a table are what the context says. The engine decides
// requests on bucket, object and KMS key ARNs, so the keys of those
// resource types count as supported (s3:BucketTag/…, kms:KeySpec), and
// those of access points do not.
func (c Context) lookup(key string, act *Action) ContextValue {
	lk := lowerKey(key)
	if v, ok := c[lk]; ok {
		return v
	}
	if act != nil {
		if svc, _, ok := strings.Cut(lk, ":"); ok && svc == act.Service {
			if act.carries(key, "bucket", "object", "key") {
				return ContextValue{}
			}
			return ContextValue{State: KeyAbsent}
		}
	}
	return ContextValue{}
}

// carries reports whether requests of the action may carry the key: it is
// one of the action's own keys, or of one of the resource types named
// (all of the action's when none are).
func (a *Action) carries(key string, resourceTypes ...string) bool {
	lk := strings.ToLower(key)
	has := func(keys []string) bool {
		for _, k := range keys {
			if strings.EqualFold(k, key) || keyTemplateMatches(k, lk) {
				return true
			}
		}
		return false
	}
	if has(a.ConditionKeys) {
		return true
	}
	for rt, keys := range a.ResourceKeys {
		if (len(resourceTypes) == 0 || slices.Contains(resourceTypes, rt)) && has(keys) {
			return true
		}
	}
	return false
}

// keyTemplateMatches matches table keys with a tag-key part
// (s3:ExistingObjectTag/<key>, aws:ResourceTag/${TagKey}) against a key as
// written.
func keyTemplateMatches(template, key string) bool {
	t := strings.ToLower(template)
	i := strings.IndexAny(t, "<$")
	return i > 0 && strings.HasPrefix(key, t[:i])
}
