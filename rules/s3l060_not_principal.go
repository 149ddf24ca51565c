package rules

import (
	"fmt"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// A Deny with NotPrincipal names the principals it means to exempt. When
// they are roles and users that the configuration does not grant anything
// (roles of other stacks, administrators, CI), no intended request asks
// about them, but the Deny refuses them all the same unless NotPrincipal
// lists every identity AWS checks: for a role its assumed-role session, the
// role and the account; for a user, the user and the account.

// notPrincipalProbes are the requests asked for each exempted principal, in
// order: the first that the Deny surely refuses is reported.
var notPrincipalProbes = []struct {
	action string
	object bool
}{
	{"s3:GetObject", true}, {"s3:PutObject", true}, {"s3:DeleteObject", true},
	{"s3:ListBucket", false}, {"s3:GetBucketPolicy", false}, {"s3:PutBucketPolicy", false},
}

// notPrincipalSelfDenials reports bucket policy Denies whose NotPrincipal
// exempts roles or users it does not in fact exempt, leaving out the
// statements already reported (through the grants they cancel) and those
// in skip.
func notPrincipalSelfDenials(p *Pass, reported map[string]*cancelDeny, skip map[*graph.Statement]bool) {
	e := p.Engine()
	eachStatement(p.Graph, func(k graph.PolicyKind) bool { return k == graph.BucketPolicy }, func(pol *graph.Policy, st *graph.Statement) {
		np := st.NotPrincipal
		// A condition makes the Deny depend on the request; the grants'
		// side (runS3L060) judges those.
		if !st.IsDeny() || np == nil || np.Unknown || np.Wildcard || len(st.Conditions) > 0 || pol.Bucket == nil || skip[st] || reported[st.Range.String()] != nil {
			return
		}
		arn := policy.BucketARNOf(pol.Bucket)
		var denied []string
		var action string
		for _, en := range np.Entries {
			if !en.Type.Is("AWS") || en.Unknown {
				continue
			}
			for _, v := range en.Values {
				if !v.Known() {
					continue
				}
				c, ok := policy.CallerFromARN(v.V)
				if !ok || (c.Kind != policy.CallerRole && c.Kind != policy.CallerUser) || c.Session != "" && !strings.HasSuffix(c.Session, "/<session>") {
					// Sessions listed on their own exempt those sessions.
					continue
				}
				if !c.Account.IsID() && !c.Account.IsSymbol() {
					// Not an account's identity: a CloudFront origin access
					// identity (arn:aws:iam::cloudfront:user/…) has no
					// account to list.
					continue
				}
				missing := notListed(np, &c)
				if len(missing) == 0 {
					continue
				}
				act := refusedProbe(e, st, c, arn, bucketLabel(pol.Bucket))
				if act == "" {
					continue
				}
				if action == "" {
					action = act
				}
				denied = append(denied, fmt.Sprintf("%s (not %s)", policy.Display(v.V), strings.Join(missing, " nor ")))
			}
		}
		if len(denied) == 0 {
			return
		}
		msg := fmt.Sprintf("this Deny in the bucket policy %s refuses the principals its NotPrincipal means to exempt: %s; "+
			"NotPrincipal denies every identity of the caller it does not list, and a role's requests come from its assumed-role sessions, "+
			"so every request they make that the Deny covers (%s, for one) gets 403 Access Denied (explicit deny); "+
			"use Principal \"*\" with ArnNotLike aws:PrincipalArn and their ARNs (which covers every session of a role), "+
			"or list the session ARNs and the account too",
			pol.Address, list(denied), action)
		p.Report(Finding{Range: np.Range, Resource: pol.Address, Message: msg, Severity: Error,
			Related: []Related{{Range: pol.Bucket.Range, Message: "bucket " + bucketLabel(pol.Bucket) + " is declared here"}}})
	})
}

// notListed words the identities of a role or user caller that a
// NotPrincipal does not list: a role's sessions, the account.
func notListed(np *graph.PrincipalSpec, c *policy.Caller) []string {
	a, _ := policy.ParseARN(c.ARN)
	sessions := "arn:" + a.Partition + ":sts::" + a.Account + ":assumed-role/" + c.ARN[strings.LastIndexByte(c.ARN, '/')+1:] + "/"
	session, account := false, false
	for _, en := range np.Entries {
		if !en.Type.Is("AWS") {
			continue
		}
		for _, v := range en.Values {
			if !v.Known() {
				// Whatever it is, the Deny may exempt more than it says.
				return nil
			}
			switch {
			case strings.HasPrefix(v.V, sessions) && !strings.ContainsAny(v.V[len(sessions):], "*?"):
				// A principal cannot hold a wildcard: a pattern of
				// sessions names none of them.
				session = true
			case v.V == a.Account || v.V == "arn:"+a.Partition+":iam::"+a.Account+":root":
				account = true
			}
		}
	}
	var missing []string
	if c.Kind == policy.CallerRole && !session {
		missing = append(missing, "its assumed-role sessions "+policy.Display(sessions+"SESSION"))
	}
	if !account {
		missing = append(missing, "the account "+policy.Display(a.Account))
	}
	return missing
}

// refusedProbe words the first probe request on the bucket that st surely
// refuses to the caller ("s3:GetObject on the objects of B"), or "".
func refusedProbe(e *policy.Engine, st *graph.Statement, c policy.Caller, bucketARN, label string) string {
	for _, pr := range notPrincipalProbes {
		res := bucketARN
		if pr.object {
			res += "/<key>"
		}
		d := e.Decide(policy.Request{Caller: c, Action: pr.action, Resource: res})
		if d.Outcome == policy.ExplicitDeny && denyMatched(d, st) {
			if pr.object {
				return pr.action + " on the objects of " + label
			}
			return pr.action + " on " + label
		}
	}
	return ""
}
