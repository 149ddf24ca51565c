package graph

// An Expectation is access a team declares it relies on (or must never
// exist), in .s3lint.yaml: "this principal can read that bucket", "that
// bucket is never public". Expectations are part of the graph so that a
// rule can prove them from the configuration on every scan.
type Expectation struct {
	// Range is the whole entry of the expect: list.
	Range Range
	// Principal names the caller: a Terraform address, a CloudFormation
	// logical ID, or an ARN; empty (V == "") for a public-only expectation.
	Principal String
	// Bucket names the bucket: an address, a logical ID, a name or an ARN.
	Bucket String
	// Prefix narrows the object requests to keys under it; empty when not
	// written.
	Prefix String
	// Can and Cannot are the verbs (list, read, write, delete) the
	// principal must, or must not, be able to perform, each at its place.
	Can, Cannot []String
	// Public, when written, is whether the bucket may be public at all
	// (public: false); nil when not written.
	Public *Bool
}

// ExpectVerbs are the verbs of Can and Cannot, in the order of the access
// table.
var ExpectVerbs = []string{"list", "read", "write", "delete"}
