package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// publicDoc is a bucket policy with one Allow of s3:GetObject
// with the principal and condition given (condition "" for none).
func publicDoc(principal, condition string) string {
	cond := ""
	if condition != "" {
		cond = `,"Condition":` + condition
	}
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":%s,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"%s}]}`, principal, cond)
}

func TestIsPublic(t *testing.T) {
	ip := func(cidrs ...string) string {
		return publicDoc(`"*"`, `{"IpAddress":{"aws:SourceIp":`+jsonList(cidrs)+`}}`)
	}
	fixed := func(op, key, value string) string {
		return publicDoc(`"*"`, fmt.Sprintf(`{%q:{%q:%q}}`, op, key, value))
	}
	cases := []struct {
		name string
		doc  string
		kind graph.PolicyKind
		want Tri
		why  string
	}{
		// S3 access-control-block-public-access ("The meaning of public"): a
		// policy granting Principal "*" without a restricting condition is
		// public.
		{"Principal *", publicDoc(`"*"`, ""), graph.BucketPolicy, Yes, ""},
		// reference_policies_elements_principal: {"AWS":"*"} is everyone too.
		{`Principal {"AWS":"*"}`, publicDoc(`{"AWS":"*"}`, ""), graph.BucketPolicy, Yes, ""},
		// meaning of public: fixed values of aws:SourceVpce, aws:SourceVpc,
		// aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn,
		// aws:SourceOwner make the grant non-public.
		{"* with fixed aws:SourceVpce", fixed("StringEquals", "aws:SourceVpce", "vpce-1a2b3c"), graph.BucketPolicy, No, ""},
		{"* with fixed aws:SourceVpc", fixed("StringEquals", "aws:SourceVpc", "vpc-1a2b3c"), graph.BucketPolicy, No, ""},                                                             // meaning of public
		{"* with fixed aws:PrincipalOrgID", fixed("StringEquals", "aws:PrincipalOrgID", "o-abc123"), graph.BucketPolicy, No, ""},                                                     // meaning of public
		{"* with fixed aws:SourceAccount", fixed("StringEquals", "aws:SourceAccount", "111122223333"), graph.BucketPolicy, No, ""},                                                   // meaning of public
		{"* with fixed aws:SourceArn", fixed("ArnEquals", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"), graph.BucketPolicy, No, ""},                      // meaning of public
		{"* with fixed aws:SourceOwner", fixed("StringEquals", "aws:SourceOwner", "111122223333"), graph.BucketPolicy, No, ""},                                                       // meaning of public
		{"* with fixed KMS key id", fixed("StringEquals", "s3:x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111122223333:key/k"), graph.BucketPolicy, No, ""}, // meaning of public
		// meaning of public: key names are case-insensitive here too.
		{"* with fixed AWS:SOURCEVPCE", fixed("StringEquals", "AWS:SOURCEVPCE", "vpce-1a2b3c"), graph.BucketPolicy, No, ""},
		// meaning of public: StringLike aws:SourceVpc "vpc-*" is not a fixed
		// value, so the policy is public.
		{"* with StringLike aws:SourceVpc vpc-*", fixed("StringLike", "aws:SourceVpc", "vpc-*"), graph.BucketPolicy, Yes, ""},
		{"* with ArnLike aws:SourceArn wildcard", fixed("ArnLike", "aws:SourceArn", "arn:aws:s3:::*"), graph.BucketPolicy, Yes, ""}, // meaning of public
		// A policy variable is not a fixed value.
		{"* with a policy variable", fixed("StringEquals", "aws:SourceAccount", "${aws:PrincipalAccount}"), graph.BucketPolicy, Yes, ""},
		// ${AWS::AccountId} written without Fn::Sub reaches AWS as is: no
		// policy variable, and how AWS takes it is not documented.
		{"* with an unrendered template reference", fixed("StringEquals", "aws:SourceAccount", "${AWS::AccountId}"), graph.BucketPolicy, Maybe, "as text"},
		// meaning of public: a negated operator does not restrict.
		{"* with StringNotEquals aws:SourceVpce", fixed("StringNotEquals", "aws:SourceVpce", "vpce-1a2b3c"), graph.BucketPolicy, Yes, ""},
		// A condition on a key that is not among the restricting ones does
		// not help.
		{"* with a condition on another key", fixed("StringEquals", "s3:prefix", "home/"), graph.BucketPolicy, Yes, ""},
		// meaning of public: aws:SourceIp wider than /8 (IPv4) is public...
		{"aws:SourceIp 0.0.0.0/0", ip("0.0.0.0/0"), graph.BucketPolicy, Yes, ""},
		{"aws:SourceIp /7", ip("2.0.0.0/7"), graph.BucketPolicy, Yes, ""}, // meaning of public
		// ... /8 and narrower is not.
		{"aws:SourceIp /8", ip("11.0.0.0/8"), graph.BucketPolicy, No, ""},
		{"aws:SourceIp 10.0.0.0/16", ip("10.0.0.0/16"), graph.BucketPolicy, No, ""},    // meaning of public
		{"aws:SourceIp single address", ip("203.0.113.7"), graph.BucketPolicy, No, ""}, // meaning of public
		// One wide range among narrow ones makes it public.
		{"aws:SourceIp list with one wide range", ip("10.0.0.0/16", "0.0.0.0/0"), graph.BucketPolicy, Yes, ""},
		// meaning of public: IPv6 wider than /32 is public, /32 and narrower
		// is not.
		{"aws:SourceIp IPv6 /32", ip("2001:db8::/32"), graph.BucketPolicy, No, ""},
		{"aws:SourceIp IPv6 /64", ip("2001:db8:1:2::/64"), graph.BucketPolicy, No, ""}, // meaning of public
		{"aws:SourceIp IPv6 /31", ip("2001:db8::/31"), graph.BucketPolicy, Yes, ""},    // meaning of public
		{"aws:SourceIp IPv6 ::/0", ip("::/0"), graph.BucketPolicy, Yes, ""},            // meaning of public
		// condition_operators: NotIpAddress does not limit to a set of
		// addresses.
		{"NotIpAddress aws:SourceIp", publicDoc(`"*"`, `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), graph.BucketPolicy, Yes, ""},
		// meaning of public: aws:userid outside the pattern AROLEID:* is
		// fixed; a role ID with any session is not.
		{"aws:userid of a user", fixed("StringEquals", "aws:userid", "AIDAEXAMPLEUSERID"), graph.BucketPolicy, No, ""},
		{"aws:userid AROLEID:*", fixed("StringLike", "aws:userid", "AROAEXAMPLEROLEID:*"), graph.BucketPolicy, Yes, ""}, // meaning of public
		// meaning of public: in a bucket policy s3:DataAccessPointArn may use
		// accesspoint/* with a fixed account; in an access point policy the
		// same pattern is public.
		{"s3:DataAccessPointArn accesspoint/* in a bucket policy", fixed("StringLike", "s3:DataAccessPointArn", "arn:aws:s3:us-east-1:111122223333:accesspoint/*"), graph.BucketPolicy, No, ""},
		{"s3:DataAccessPointArn accesspoint/* in an access point policy", fixed("StringLike", "s3:DataAccessPointArn", "arn:aws:s3:us-east-1:111122223333:accesspoint/*"), graph.AccessPointPolicy, Yes, ""}, // meaning of public
		{"s3:DataAccessPointAccount fixed", fixed("StringEquals", "s3:DataAccessPointAccount", "111122223333"), graph.BucketPolicy, No, ""},                                                                  // meaning of public
		// reference_policies_elements_notprincipal: Allow with NotPrincipal
		// grants everyone else, so it is public.
		{"NotPrincipal Allow", `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, graph.BucketPolicy, Yes, ""},
		// meaning of public: Deny statements never make a policy public.
		{"Deny *", `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, graph.BucketPolicy, No, ""},
		{"Deny NotPrincipal", `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, graph.BucketPolicy, No, ""}, // meaning of public
		// meaning of public: a fixed AWS principal, user, role or service
		// principal is not public.
		{"fixed account principal", publicDoc(`{"AWS":"111122223333"}`, ""), graph.BucketPolicy, No, ""},
		{"fixed account root principal", publicDoc(`{"AWS":"arn:aws:iam::111122223333:root"}`, ""), graph.BucketPolicy, No, ""}, // meaning of public
		{"fixed role principal", publicDoc(`{"AWS":"arn:aws:iam::444455556666:role/app"}`, ""), graph.BucketPolicy, No, ""},     // meaning of public
		{"fixed service principal", publicDoc(`{"Service":"logging.s3.amazonaws.com"}`, ""), graph.BucketPolicy, No, ""},        // meaning of public
		{"* among fixed principals", publicDoc(`{"AWS":["111122223333","*"]}`, ""), graph.BucketPolicy, Yes, ""},                // meaning of public
		// meaning of public: every Allow must be limited; one public
		// statement makes the policy public.
		{"one public statement among private ones", `{"Statement":[
			{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
			{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}]}`, graph.BucketPolicy, Yes, ""},
		// One restricting condition is enough even next to others.
		{"restricting condition among others", publicDoc(`"*"`, `{"StringEquals":{"aws:SourceVpce":"vpce-1"},"StringLike":{"s3:prefix":"*"}}`), graph.BucketPolicy, No, ""},
		// Values the configuration cannot know leave the answer open.
		{"unknown principal", publicDoc(`"(unknown)"`, ""), graph.BucketPolicy, Maybe, "Principal"},
		{"unknown principal list", publicDoc(`{"AWS":"(unknown)"}`, ""), graph.BucketPolicy, Maybe, "Principal"},                                                              // meaning of public
		{"unknown condition value", fixed("StringEquals", "aws:SourceVpce", "(unknown)"), graph.BucketPolicy, Maybe, "aws:SourceVpce"},                                        // meaning of public
		{"unknown statement", `{"Statement":["(unknown)"]}`, graph.BucketPolicy, Maybe, "statement"},                                                                          // meaning of public
		{"unknown effect", `{"Statement":{"Effect":"(unknown)","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, graph.BucketPolicy, Maybe, "Effect"}, // meaning of public
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := Parse(located(t, tc.doc))
			got := IsPublic(doc, tc.kind)
			if got.T != tc.want {
				t.Fatalf("IsPublic = %v %q, want %v\n%s", got.T, got.Why, tc.want, tc.doc)
			}
			if tc.why != "" && !strings.Contains(strings.Join(got.Why, "\n"), tc.why) {
				t.Errorf("Why %q does not mention %q", got.Why, tc.why)
			}
			if got.T == No && len(got.Statements) != 0 {
				t.Errorf("non-public policy lists statements %v", got.Statements)
			}
			if got.T == Yes {
				for _, st := range got.Statements {
					if st.IsDeny() {
						t.Errorf("a Deny statement is listed as public")
					}
				}
				if len(got.Statements) == 0 {
					t.Errorf("public policy lists no statement")
				}
			}
		})
	}

	t.Run("statements lists only the public ones", func(t *testing.T) {
		doc := Parse(located(t, `{"Statement":[
			{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
			{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}]}`))
		got := IsPublic(doc, graph.BucketPolicy)
		if len(got.Statements) != 1 || got.Statements[0] != doc.Statements[1] {
			t.Errorf("Statements = %v, want only the second", got.Statements)
		}
	})
	t.Run("statements surely public come first", func(t *testing.T) {
		// The first statement's principal is an account not known before
		// deployment (it may be "*"); the second is public whatever.
		doc := Parse(located(t, `{"Statement":[
			{"Effect":"Allow","Principal":{"AWS":"(unknown)"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
			{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}]}`))
		got := IsPublic(doc, graph.BucketPolicy)
		if got.T != Yes || len(got.Statements) != 2 || got.Statements[0] != doc.Statements[1] || got.Statements[1] != doc.Statements[0] {
			t.Errorf("IsPublic = %v, Statements = %v, want the second first", got.T, got.Statements)
		}
	})
	t.Run("nil document", func(t *testing.T) {
		// A document that cannot be known before deployment.
		if got := IsPublic(nil, graph.BucketPolicy); got.T != Maybe {
			t.Errorf("IsPublic(nil) = %v", got.T)
		}
	})
}

func TestIsPublicACL(t *testing.T) {
	r := graph.Range{File: "acl.tf"}
	cases := []struct {
		name string
		acl  *graph.ACL
		want Tri
	}{
		// access-control-block-public-access: public-read, public-read-write
		// and authenticated-read are public canned ACLs...
		{"public-read", &graph.ACL{Canned: graph.StringOf("public-read", r)}, Yes},
		{"public-read-write", &graph.ACL{Canned: graph.StringOf("public-read-write", r)}, Yes},   // access-control-block-public-access
		{"authenticated-read", &graph.ACL{Canned: graph.StringOf("authenticated-read", r)}, Yes}, // access-control-block-public-access
		// access-control-block-public-access: private and
		// log-delivery-write are not public.
		{"private", &graph.ACL{Canned: graph.StringOf("private", r)}, No},
		{"log-delivery-write", &graph.ACL{Canned: graph.StringOf("log-delivery-write", r)}, No}, // access-control-block-public-access
		// access-control-block-public-access: a grant to AllUsers or
		// AuthenticatedUsers is public, one to a canonical user is not.
		{"AllUsers grant", &graph.ACL{Canned: graph.StringDefault("", r), Grants: []graph.Grant{{Type: graph.StringOf("Group", r),
			URI: graph.StringOf("http://acs.amazonaws.com/groups/global/AllUsers", r), Permission: graph.StringOf("READ", r)}}}, Yes},
		// access-control-block-public-access: AuthenticatedUsers too.
		{"AuthenticatedUsers grant", &graph.ACL{Canned: graph.StringDefault("", r), Grants: []graph.Grant{{Type: graph.StringOf("Group", r),
			URI: graph.StringOf("http://acs.amazonaws.com/groups/global/AuthenticatedUsers", r), Permission: graph.StringOf("READ", r)}}}, Yes},
		// access-control-block-public-access: a grant to one canonical user
		// is not public.
		{"canonical user grant", &graph.ACL{Canned: graph.StringDefault("", r), Grants: []graph.Grant{{Type: graph.StringOf("CanonicalUser", r),
			ID: graph.StringOf(strings.Repeat("a", 64), r), URI: graph.StringOf("", r), Permission: graph.StringOf("READ", r)}}}, No},
		// A canned ACL the configuration cannot know leaves it open.
		{"unknown canned ACL", &graph.ACL{Canned: graph.StringUnknown(r)}, Maybe},
	}
	for _, tc := range cases {
		if got := IsPublicACL(tc.acl); got.T != tc.want {
			t.Errorf("%s: IsPublicACL = %v, want %v", tc.name, got.T, tc.want)
		}
	}
}
