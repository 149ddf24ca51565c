package cloudformation_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

const samTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  KeyId: {Type: String, Default: 1234abcd-12ab-34cd-56ef-1234567890ab}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: sam-data}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      Policies:
        - AmazonS3ReadOnlyAccess
        - arn:aws:iam::123456789012:policy/custom
        - Statement:
            - Effect: Allow
              Action: s3:PutObject
              Resource: !Sub "${Bucket.Arn}/inline/*"
        - S3ReadPolicy:
            BucketName: !Ref Bucket
        - S3CrudPolicy: {BucketName: literal-bucket}
        - S3WritePolicy:
            BucketName: sam-data
        - S3FullAccessPolicy: {BucketName: !Ref Bucket}
        - KMSDecryptPolicy: {KeyId: !Ref KeyId}
        - DynamoDBCrudPolicy: {TableName: t}
  Reader:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !GetAtt FnRole.Arn}
            Action: s3:GetObject
            Resource: !Sub "${Bucket.Arn}/*"
`

func TestSAMFunctionRole(t *testing.T) {
	src := samTemplate
	l := load(t, tree{"template.yaml": src})
	l.noDiags()
	file := l.dir + "/template.yaml"
	acct := acctOf(l, "template.yaml")

	role := l.principal("FnRole")
	if role.Kind != graph.Role || role.Type != "AWS::IAM::Role" || role.Name.Known() {
		t.Errorf("role: kind %v type %s name %s", role.Kind, role.Type, sv(role.Name))
	}
	roleARN := "arn:aws:iam::" + acct + ":role/" + graph.SymbolicGeneratedName("FnRole", file, "*-??????????*")
	is(t, "role ARN", role.ARN.V, roleARN)
	eq(t, "managed ARNs", []string{sv(role.ManagedARNs[0]), sv(role.ManagedARNs[1])}, []string{
		"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess@" + at(t, src, "AmazonS3ReadOnlyAccess"),
		"arn:aws:iam::123456789012:policy/custom@" + at(t, src, "arn:aws:iam::123456789012:policy/custom"),
	})
	if len(role.ManagedARNs) != 2 {
		t.Errorf("managed ARNs: %v", vals(role.ManagedARNs))
	}

	// !GetAtt FnRole.Arn resolves to the generated role.
	rp := l.policy("Reader", graph.BucketPolicy)
	ps := stmt(t, rp, 0).Principal
	if ps == nil || len(ps.Entries) != 1 || len(ps.Entries[0].Values) != 1 || ps.Entries[0].Values[0].V != roleARN {
		t.Errorf("principal: %+v", ps)
	}

	// The function's policies, in order: the inline document, then one
	// policy per template use.
	var pols []*graph.Policy
	for _, p := range role.Policies {
		if p.Address != "Fn" || p.Type != "AWS::Serverless::Function" || p.Kind != graph.IdentityPolicy {
			t.Errorf("policy %s %s %v", p.Address, p.Type, p.Kind)
		}
		if len(p.Attached) != 1 || p.Attached[0] != role {
			t.Errorf("policy %s attached to %v", p.Name.V, attachedTo(p))
		}
		pols = append(pols, p)
	}
	if len(pols) != 6 {
		t.Fatalf("%d policies on the role, want 6:\n%s", len(pols), l.dump())
	}

	inline := pols[0]
	checkItems(t, src, "inline resource", stmt(t, inline, 0).Resource, []item{{"arn:aws:s3:::sam-data/inline/*", `!Sub "${Bucket.Arn}/inline/*"`, 0}})
	checkItems(t, src, "inline action", stmt(t, inline, 0).Action, []item{{"s3:PutObject", "s3:PutObject", 0}})

	type expansion struct {
		use        string // the template use as written, for its range
		name       string
		statements [][2][]string // actions, resources
	}
	readActions := []string{"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"}
	crudActions := []string{"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl",
		"s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:DeleteObject"}
	writeActions := []string{"s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"}
	fullObject := []string{"s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject",
		"s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"}
	fullBucket := []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"}
	want := []expansion{
		{"S3ReadPolicy:\n            BucketName: !Ref Bucket", "S3ReadPolicy", [][2][]string{{readActions, {"arn:aws:s3:::sam-data", "arn:aws:s3:::sam-data/*"}}}},
		{"S3CrudPolicy: {BucketName: literal-bucket}", "S3CrudPolicy", [][2][]string{{crudActions, {"arn:aws:s3:::literal-bucket", "arn:aws:s3:::literal-bucket/*"}}}},
		{"S3WritePolicy:\n            BucketName: sam-data", "S3WritePolicy", [][2][]string{{writeActions, {"arn:aws:s3:::sam-data", "arn:aws:s3:::sam-data/*"}}}},
		{"S3FullAccessPolicy: {BucketName: !Ref Bucket}", "S3FullAccessPolicy", [][2][]string{
			{fullObject, {"arn:aws:s3:::sam-data/*"}}, {fullBucket, {"arn:aws:s3:::sam-data"}}}},
		// The key ARN is in the stack's region, which is unknown.
		// (the whole Resource element is unknown: nil).
		{"KMSDecryptPolicy: {KeyId: !Ref KeyId}", "KMSDecryptPolicy", [][2][]string{{{"kms:Decrypt"}, {"shape(arn:aws:kms:…:<account>:key/1234abcd-12ab-34cd-56ef-1234567890ab)"}}}},
	}
	for i, w := range want {
		p := pols[i+1]
		useRange := at(t, src, w.use)
		is(t, w.name+" name", sv(p.Name), w.name+"@"+strings.Split(useRange, "-")[0]+"-"+endOfKey(t, src, w.use, w.name))
		is(t, w.name+" DocRange", pos(p.DocRange), useRange)
		if p.Doc == nil || len(p.Doc.Statements) != len(w.statements) {
			t.Errorf("%s: statements %+v", w.name, p.Doc)
			continue
		}
		for j, ws := range w.statements {
			st := p.Doc.Statements[j]
			is(t, w.name+" effect", st.Effect.V, "Allow")
			eq(t, w.name+" actions", vals(st.Action.Items), ws[0])
			ranges := []graph.Range{st.Range, st.Effect.Range, st.Action.Range, st.Action.KeyRange, st.Resource.Range, st.Resource.KeyRange}
			if ws[1] == nil {
				if !st.Resource.Unknown {
					t.Errorf("%s: resources %v, want unknown", w.name, items(st.Resource))
				}
			} else {
				eq(t, w.name+" resources", vals(st.Resource.Items), ws[1])
			}
			for _, it := range append(st.Action.Items, st.Resource.Items...) {
				ranges = append(ranges, it.Range)
			}
			// Every part of the expansion points at the template use.
			for _, r := range ranges {
				if l.rel(r.File) != "template.yaml" || pos(r) != useRange {
					t.Errorf("%s: a range of the expansion is %s, want template.yaml:%s", w.name, l.rng(r), useRange)
				}
			}
		}
	}
}

// endOfKey is the end of the key name at the start of use.
func endOfKey(t testing.TB, src, use, key string) string {
	t.Helper()
	start := strings.Index(src, use)
	if start < 0 {
		t.Fatalf("%q not in the source", use)
	}
	return offPos(src, start+len(key))
}

// SAM templates in JSON, with the transform in a list and Policies given as
// a single value.
func TestSAMJSONAndSingleValues(t *testing.T) {
	src := `{
  "Transform": ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"],
  "Resources": {
    "One": {"Type": "AWS::Serverless::Function", "Properties": {"Policies": "AmazonS3FullAccess"}},
    "Two": {"Type": "AWS::Serverless::Function", "Properties": {"Policies": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}},
    "Three": {"Type": "AWS::Serverless::Function", "Properties": {"Policies": [{"S3ReadPolicy": {"BucketName": "b"}}]}},
    "Four": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "x"}}
  }
}`
	l := load(t, tree{"template.json": src})
	l.noDiags()
	eq(t, "One managed", vals(l.principal("OneRole").ManagedARNs), []string{"arn:aws:iam::aws:policy/AmazonS3FullAccess"})
	eq(t, "Two policies", policyAddrs(l.principal("TwoRole")), []string{"Two identity policy"})
	three := l.principal("ThreeRole")
	if len(three.Policies) != 1 {
		t.Fatalf("Three: %d policies", len(three.Policies))
	}
	use := `{"S3ReadPolicy": {"BucketName": "b"}}`
	// The use is the key and its value, inside the braces.
	inner := strings.TrimSuffix(strings.TrimPrefix(use, "{"), "}")
	is(t, "Three DocRange", pos(three.Policies[0].DocRange), at(t, src, inner))
	eq(t, "Three resources", vals(stmt(t, three.Policies[0], 0).Resource.Items), []string{"arn:aws:s3:::b", "arn:aws:s3:::b/*"})
	four := l.principal("FourRole")
	if len(four.Policies) != 0 || len(four.ManagedARNs) != 0 {
		t.Errorf("Four: %v %v", policyAddrs(four), vals(four.ManagedARNs))
	}
}

// A function with its own Role gets no generated role, and SAM ignores its
// Policies.
func TestSAMFunctionWithRole(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Exec:
    Type: AWS::IAM::Role
    Properties: {RoleName: exec}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Exec.Arn
      Policies: [AmazonS3FullAccess, {S3ReadPolicy: {BucketName: b}}]
`
	l := load(t, tree{"template.yaml": src})
	l.noDiags()
	eq(t, "principals", l.principalAddrs(), []string{"Exec"})
	if len(l.Policies) != 0 || len(l.principal("Exec").ManagedARNs) != 0 {
		t.Errorf("the function's Policies were used:\n%s", l.dump())
	}
}

// Without the SAM transform, Serverless resources are not expanded.
func TestServerlessWithoutTransform(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [AmazonS3FullAccess, {S3ReadPolicy: {BucketName: b}}]
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: plain}
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: !GetAtt FnRole.Arn}, Action: "s3:GetObject", Resource: "*"}]}
`
	l := load(t, tree{"template.yaml": src})
	eq(t, "principals", l.principalAddrs(), []string{})
	eq(t, "diagnostics", l.diags(), []string{"error template.yaml:" + startOf(t, src, "!GetAtt FnRole.Arn") + ": Fn::GetAtt of FnRole, which is not a resource of this template"})
	eq(t, "buckets", l.bucketNames(), []string{"plain"})
	if len(l.Policies) != 1 {
		t.Errorf("policies:\n%s", l.dump())
	}
}

// A managed policy of the template listed by Ref in a function's Policies
// is attached to the generated role, as it is when a Role lists it in
// ManagedPolicyArns.
func TestSAMManagedPolicyByRef(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [!Ref Shared]
`
	l := load(t, tree{"template.yaml": src})
	l.noDiags()
	role := l.principal("FnRole")
	shared := l.policy("Shared", graph.IdentityPolicy)
	if len(role.Policies) != 1 || role.Policies[0] != shared || len(shared.Attached) != 1 {
		t.Errorf("the shared managed policy is not attached to the function's role")
	}
	eq(t, "role policies", policyAddrs(role), []string{"Shared identity policy"})
	eq(t, "managed ARNs", vals(role.ManagedARNs), []string{})
}

// A function whose Condition is false is never created, nor is its role.
func TestSAMFunctionConditionFalse(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Conditions:
  Never: !Equals [a, b]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Condition: Never
    Properties:
      Policies: [AmazonS3FullAccess]
`
	l := load(t, tree{"template.yaml": src})
	l.noDiags()
	eq(t, "principals", l.principalAddrs(), []string{})
}

// A policy template used without its parameter (or with a misspelt one)
// must be reported at the use in the user's template.
func TestSAMPolicyTemplateMissingParameter(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - S3ReadPolicy: {}
        - S3WritePolicy: {BucketNam: typo}
`
	l := load(t, tree{"template.yaml": src})
	var inUserFile []string
	for _, d := range l.Diagnostics {
		if d.Severity != graph.DiagError {
			continue
		}
		inUserFile = append(inUserFile, l.rel(d.File)+":"+pos(d.Range))
	}
	eq(t, "errors at the uses", inUserFile, []string{
		"template.yaml:" + at(t, src, "S3ReadPolicy: {}"),
		"template.yaml:" + at(t, src, "S3WritePolicy: {BucketNam: typo}"),
	})
}
