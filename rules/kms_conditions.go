package rules

import (
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// encryptionContextNote says which ARN S3 sends as the encryption context
// of SSE-KMS objects, which conditions of AWS's examples test.
const encryptionContextNote = "S3 sends the object's ARN as kms:EncryptionContext:aws:s3:arn, the bucket's only with an S3 Bucket Key"

// conditionedKeyStatement is a statement that allows every one of perms
// on the key k to the caller of req — in the key policy, naming the caller
// itself (inKeyPolicy), else in the caller's identity policies — but under
// a condition that does not hold for the request S3 makes to KMS when it
// serves req; failing are those conditions. Nil when there is none: what
// refuses is something else, and a finding must not send the reader to
// conditions that hold.
func conditionedKeyStatement(eng *policy.Engine, req policy.Request, perms []string, k *graph.Key, inKeyPolicy bool) (*graph.Statement, []graph.Condition) {
	if k == nil || len(perms) == 0 {
		return nil, nil
	}
	var stmts []*graph.Statement
	switch pr := req.Caller.Principal; {
	case inKeyPolicy:
		// The ARN as the key policy writes it: symbols and all (a
		// template's !GetAtt Role.Arn renders the caller's very ARN).
		arn := req.Caller.ARN
		if arn == "" || k.Policy == nil || k.Policy.Doc == nil {
			return nil, nil
		}
		for _, st := range k.Policy.Doc.Statements {
			if namesPrincipalARN(st, arn) {
				stmts = append(stmts, st)
			}
		}
	case pr != nil:
		for _, pol := range pr.Policies {
			if pol.Kind == graph.IdentityPolicy && pol.Doc != nil {
				stmts = append(stmts, pol.Doc.Statements...)
			}
		}
	}
	keyARN := policy.KeyARNOf(k)
	for _, st := range stmts {
		if !st.IsAllow() || len(st.Conditions) == 0 || !st.Action.Present || !kmsStatementCovers(st, keyARN) || !kmsStatementNamesAll(st, perms) {
			continue
		}
		if failing := eng.FailingKeyConditions(req, perms[0], k, st); len(failing) > 0 {
			return st, failing
		}
	}
	return nil, nil
}

// namesPrincipalARN reports whether a statement's Principal names arn.
func namesPrincipalARN(st *graph.Statement, arn string) bool {
	if st.Principal == nil {
		return false
	}
	for _, e := range st.Principal.Entries {
		for _, v := range e.Values {
			if v.Known() && v.V == arn {
				return true
			}
		}
	}
	return false
}

// conditionNote says, in parentheses with a space before, what S3 sends
// for the failing conditions' keys that AWS's examples test (the
// encryption context, kms:ViaService) on a request for bucket b (nil when
// not in the graph); "" for other keys.
func conditionNote(failing []graph.Condition, b *graph.Bucket) string {
	var notes []string
	for _, c := range failing {
		switch strings.ToLower(c.Key.V) {
		case "kms:encryptioncontext:aws:s3:arn":
			note := encryptionContextNote
			if b != nil && b.Encryption != nil {
				switch bk := b.Encryption.BucketKey; {
				case bk.IsTrue():
					note = "with its S3 Bucket Key on, S3 sends the bucket's ARN as kms:EncryptionContext:aws:s3:arn, not the object's"
				case bk.IsFalse():
					note = "without an S3 Bucket Key, S3 sends the object's ARN as kms:EncryptionContext:aws:s3:arn, not the bucket's"
				}
			}
			notes = kmsAppendNew(notes, note)
		case "kms:viaservice":
			note := "S3 calls KMS as s3.REGION.amazonaws.com, REGION being the bucket's"
			if via := policy.S3ViaService(b); via != "" {
				note = "S3 calls KMS from the bucket's region, as " + via
			}
			notes = kmsAppendNew(notes, note)
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

// otherKeyStatement is an Allow in the caller's identity policies that
// names every KMS permission the request needs but only on other keys:
// the usual slip of granting the wrong key, an alias (identity policies
// cannot grant a key through its alias's ARN), or the key's ID in another
// region or account. Statements whose Resource is unknown, or that are a
// NotResource, are not it. names says what the statement names instead,
// for people; aliases is set when all of it is aliases.
func otherKeyStatement(g *graph.Graph, pr *graph.Principal, perms []string, k *graph.Key) (st *graph.Statement, names []string, aliases bool) {
	if pr == nil || k == nil || len(perms) == 0 {
		return nil, nil, false
	}
	keyARN := policy.KeyARNOf(k)
	for _, pol := range pr.Policies {
		if pol.Kind != graph.IdentityPolicy || pol.Doc == nil {
			continue
		}
		for _, st := range pol.Doc.Statements {
			if !st.IsAllow() || !st.Action.Present || !st.Resource.Present || st.Resource.Unknown || kmsStatementCovers(st, keyARN) ||
				!kmsStatementNamesAll(st, perms) {
				continue
			}
			names, aliases = nil, true
			for _, it := range st.Resource.Items {
				if !strings.Contains(it.V, ":kms:") {
					continue
				}
				name, alias := otherKeyName(g, keyARN, it.V)
				names, aliases = append(names, name), aliases && alias
			}
			if len(names) > 0 {
				return st, names, aliases
			}
		}
	}
	return nil, nil, false
}

// otherKeyName words a KMS ARN that is not keyARN: the address of the key
// of the graph it is, the alias it names, or the key's ID in another
// region or account.
func otherKeyName(g *graph.Graph, keyARN, arn string) (name string, alias bool) {
	for _, o := range g.Keys {
		if policy.KeyARNOf(o) == arn {
			return o.Address, false
		}
	}
	a, ok := policy.ParseARN(arn)
	if !ok {
		return display(arn), false
	}
	if strings.HasPrefix(a.Resource, "alias/") {
		return "the alias " + a.Resource, true
	}
	if own, ok := policy.ParseARN(keyARN); ok && a.Resource == own.Resource {
		switch {
		case a.Region != own.Region && !strings.ContainsAny(a.Region+own.Region, "<*?"):
			return "the key's ID in region " + a.Region + " (the key is in " + own.Region + ")", false
		case a.Account != own.Account && graph.Account(a.Account).IsID() && graph.Account(own.Account).IsID():
			return "the key's ID in account " + a.Account + " (the key is in " + own.Account + ")", false
		}
	}
	return display(arn), false
}

// kmsStatementNamesAll reports whether a statement may name every one of
// the KMS actions.
func kmsStatementNamesAll(st *graph.Statement, perms []string) bool {
	for _, perm := range perms {
		if !kmsStatementNames(st, perm) {
			return false
		}
	}
	return true
}
