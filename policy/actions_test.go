package policy

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
)

// readCSV reads the data rows of one of the embedded tables straight from
// policy/data, apart from the package's own loader, so that counts are not
// hard-coded.
func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: %d records, want a header and data rows", name, len(recs))
	}
	return recs[1:]
}

func TestTablesLoad(t *testing.T) {
	tab, err := loadTable()
	if err != nil {
		t.Fatalf("loadTable: %v", err)
	}
	for _, svc := range []string{"s3", "kms"} {
		rows := readCSV(t, svc+"_actions.csv")
		if got := len(Actions(svc)); got != len(rows) {
			t.Errorf("Actions(%q) has %d actions, data/%s_actions.csv has %d rows", svc, got, svc, len(rows))
		}
		for _, r := range rows {
			if !strings.HasPrefix(r[0], svc+":") {
				t.Errorf("data/%s_actions.csv lists %q, of another service", svc, r[0])
			}
			a := LookupAction(r[0])
			if a == nil {
				t.Errorf("LookupAction(%q) = nil for a row of the table", r[0])
				continue
			}
			if a.String() != r[0] || a.Level != r[1] {
				t.Errorf("row %q loaded as %q level %q, want level %q", r[0], a.String(), a.Level, r[1])
			}
			if got, want := strings.Join(a.ConditionKeys, ";"), r[3]; got != want {
				t.Errorf("%s condition keys = %q, want %q", a, got, want)
			}
		}
	}
	// No action is listed twice (a duplicate would silently replace the
	// first in the lookup map).
	if len(tab.byName) != len(tab.actions) {
		t.Errorf("%d actions but %d distinct names", len(tab.actions), len(tab.byName))
	}
	if !slices.IsSortedFunc(tab.actions, func(a, b *Action) int { return strings.Compare(a.String(), b.String()) }) {
		t.Error("actions are not sorted by name")
	}
}

// TestResourceTypesKnown: every resource type an action names is listed in
// the service's resource-type table (or is "*", the type of actions that take
// Resource "*").
func TestResourceTypesKnown(t *testing.T) {
	for _, svc := range []string{"s3", "kms"} {
		rows := readCSV(t, svc+"_resource_types.csv")
		known := map[string]bool{"*": true}
		for _, r := range rows {
			known[r[0]] = true
		}
		for _, a := range Actions(svc) {
			if len(a.ResourceTypes) == 0 {
				t.Errorf("%s has no resource type", a)
			}
			for _, rt := range a.ResourceTypes {
				if !known[rt.Name] {
					t.Errorf("%s names resource type %q, not in data/%s_resource_types.csv", a, rt.Name, svc)
				}
				if rt.Name == "*" && rt.Required {
					t.Errorf("%s: the bare * type cannot be required", a)
				}
			}
		}
	}
}

func TestParseActionsCSV(t *testing.T) {
	const good = "action,access_level,resource_types,condition_keys\r\n" +
		"s3:GetObject,Read,accesspointobject;object*,s3:a;s3:b\r\n" +
		"s3:ListAllMyBuckets,List,*,\r\n" +
		`s3:Quoted,"Permissions management",bucket*,` + "\n"
	acts, err := parseActionsCSV([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 3 {
		t.Fatalf("got %d actions, want 3", len(acts))
	}
	get := acts[0]
	if get.Service != "s3" || get.Name != "GetObject" || get.Level != "Read" {
		t.Errorf("first action = %+v", get)
	}
	wantRT := []ResourceType{{"accesspointobject", false}, {"object", true}}
	if !slices.Equal(get.ResourceTypes, wantRT) {
		t.Errorf("resource types = %+v, want %+v", get.ResourceTypes, wantRT)
	}
	if !slices.Equal(get.ConditionKeys, []string{"s3:a", "s3:b"}) {
		t.Errorf("condition keys = %q", get.ConditionKeys)
	}
	if all := acts[1]; !slices.Equal(all.ResourceTypes, []ResourceType{{"*", false}}) || all.ConditionKeys != nil {
		t.Errorf("ListAllMyBuckets = %+v", all)
	}
	if acts[2].Level != "Permissions management" {
		t.Errorf("quoted level = %q", acts[2].Level)
	}

	for name, bad := range map[string]string{
		"empty":      "",
		"bad header": "name,level,types,keys\ns3:GetObject,Read,object*,\n",
		"no service": "action,access_level,resource_types,condition_keys\nGetObject,Read,object*,\n",
		"short row":  "action,access_level,resource_types,condition_keys\ns3:GetObject,Read\n",
	} {
		if _, err := parseActionsCSV([]byte(bad)); err == nil {
			t.Errorf("%s: parseActionsCSV succeeded, want an error", name)
		}
	}
}

// IAM action names are case-insensitive.
func TestLookupAction(t *testing.T) {
	for _, name := range []string{"s3:GetObject", "s3:getobject", "S3:GETOBJECT", "s3:gEtObJeCt"} {
		a := LookupAction(name)
		if a == nil || a.String() != "s3:GetObject" {
			t.Errorf("LookupAction(%q) = %v, want s3:GetObject", name, a)
		}
	}
	if a := LookupAction("KMS:decrypt"); a == nil || a.String() != "kms:Decrypt" {
		t.Errorf("LookupAction(KMS:decrypt) = %v, want kms:Decrypt", a)
	}
	for _, name := range []string{"", "s3:", "s3:GetObjects", "GetObject", "s3:Get*", "sqs:SendMessage", "s3:GetObject ", "s3::GetObject"} {
		if a := LookupAction(name); a != nil {
			t.Errorf("LookupAction(%q) = %v, want nil", name, a)
		}
	}
}

// §1 of the AWS notes: which actions are authorized against object ARNs and
// which against bucket ARNs (the classic 403 is one granted on the other).
func TestObjectAndBucketLevel(t *testing.T) {
	objectActions := []string{
		"GetObject", "GetObjectVersion", "PutObject", "DeleteObject", "DeleteObjectVersion",
		"PutObjectAcl", "GetObjectAcl", "AbortMultipartUpload", "ListMultipartUploadParts",
		"RestoreObject", "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging",
	}
	bucketActions := []string{
		"ListBucket", "ListBucketVersions", "ListBucketMultipartUploads", "GetBucketLocation",
		"GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy", "PutBucketAcl",
		"PutBucketPublicAccessBlock", "PutBucketOwnershipControls", "PutBucketVersioning",
		"PutEncryptionConfiguration", "CreateBucket", "DeleteBucket",
	}
	// Actions that take only Resource "*".
	starActions := []string{
		"ListAllMyBuckets", "CreateJob", "ListJobs", "GetAccessPoint", "ListAccessPoints",
		"ListAccessPointsForObjectLambda", "ListMultiRegionAccessPoints", "GetAccountPublicAccessBlock",
		"PutAccountPublicAccessBlock", "PutAccessPointPublicAccessBlock", "ListStorageLensConfigurations",
		"PutStorageLensConfiguration", "CreateStorageLensGroup", "ListStorageLensGroups",
		"ListAccessGrantsInstances",
	}
	lookup := func(name string) *Action {
		t.Helper()
		a := LookupAction("s3:" + name)
		if a == nil {
			t.Fatalf("s3:%s is not in the table", name)
		}
		return a
	}
	for _, n := range objectActions {
		a := lookup(n)
		if !a.ObjectLevel() || a.BucketLevel() {
			t.Errorf("%s: ObjectLevel = %v, BucketLevel = %v; want true, false", a, a.ObjectLevel(), a.BucketLevel())
		}
		if !a.AppliesTo("object") || a.AppliesTo("bucket") {
			t.Errorf("%s: AppliesTo(object) = %v, AppliesTo(bucket) = %v", a, a.AppliesTo("object"), a.AppliesTo("bucket"))
		}
	}
	for _, n := range bucketActions {
		a := lookup(n)
		if a.ObjectLevel() || !a.BucketLevel() {
			t.Errorf("%s: ObjectLevel = %v, BucketLevel = %v; want false, true", a, a.ObjectLevel(), a.BucketLevel())
		}
	}
	var gotStar []string
	for _, a := range Actions("s3") {
		if a.AppliesTo("*") {
			gotStar = append(gotStar, a.Name)
			if len(a.ResourceTypes) != 1 {
				t.Errorf("%s takes Resource * and other types %+v", a, a.ResourceTypes)
			}
		}
	}
	slices.Sort(gotStar)
	slices.Sort(starActions)
	if !slices.Equal(gotStar, starActions) {
		t.Errorf("actions that take only Resource *:\n got %q\nwant %q", gotStar, starActions)
	}
	for _, n := range starActions {
		if a := lookup(n); a.ObjectLevel() || a.BucketLevel() {
			t.Errorf("%s: ObjectLevel = %v, BucketLevel = %v; want false, false", a, a.ObjectLevel(), a.BucketLevel())
		}
	}
	// KMS actions are never S3 object or bucket actions.
	for _, a := range Actions("kms") {
		if a.ObjectLevel() || a.BucketLevel() {
			t.Errorf("%s is classified as an S3 object or bucket action", a)
		}
	}
	// The two classes never overlap.
	for _, a := range Actions("s3") {
		if a.ObjectLevel() && a.BucketLevel() {
			t.Errorf("%s is both object- and bucket-level", a)
		}
	}
}

func TestActionMethods(t *testing.T) {
	a := &Action{Service: "s3", Name: "X", ResourceTypes: []ResourceType{{"object", true}}}
	if a.String() != "s3:X" || !a.ObjectLevel() || a.BucketLevel() || !a.AppliesTo("object") || a.AppliesTo("bucket") {
		t.Errorf("object-only action: %+v", a)
	}
	a.ResourceTypes = append(a.ResourceTypes, ResourceType{"bucket", false})
	if a.ObjectLevel() || a.BucketLevel() {
		t.Errorf("object-and-bucket action is object- or bucket-level: %+v", a)
	}
	if (&Action{Service: "s3", Name: "Y"}).ObjectLevel() {
		t.Error("an action without resource types is object-level")
	}
	ap := &Action{Service: "s3", Name: "Z", ResourceTypes: []ResourceType{{"accesspointobject", false}}}
	if !ap.ObjectLevel() {
		t.Error("an access-point-object-only action is not object-level")
	}
	k := &Action{Service: "kms", Name: "W", ResourceTypes: []ResourceType{{"object", true}}}
	if k.ObjectLevel() {
		t.Error("a non-S3 action is object-level")
	}
}

func names(acts []*Action) []string {
	out := make([]string, len(acts))
	for i, a := range acts {
		out[i] = a.String()
	}
	return out
}

func TestExpandAction(t *testing.T) {
	get := names(ExpandAction("s3:Get*"))
	for _, want := range []string{"s3:GetObject", "s3:GetBucketPolicy", "s3:GetObjectVersion"} {
		if !slices.Contains(get, want) {
			t.Errorf("ExpandAction(s3:Get*) lacks %s", want)
		}
	}
	for _, n := range get {
		if !strings.HasPrefix(n, "s3:Get") {
			t.Errorf("ExpandAction(s3:Get*) includes %s", n)
		}
	}
	if !slices.Equal(names(ExpandAction("S3:GET*")), get) {
		t.Error("ExpandAction is case-sensitive")
	}
	if !slices.IsSorted(get) {
		t.Errorf("ExpandAction(s3:Get*) is not in name order: %q", get)
	}

	all := ExpandAction("*")
	if want := len(Actions("s3")) + len(Actions("kms")); len(all) != want {
		t.Errorf("ExpandAction(*) has %d actions, want %d (every s3 and kms action)", len(all), want)
	}
	if n := names(all); !slices.Contains(n, "s3:GetObject") || !slices.Contains(n, "kms:Decrypt") {
		t.Error("ExpandAction(*) lacks s3:GetObject or kms:Decrypt")
	}
	if got := len(ExpandAction("s3:*")); got != len(Actions("s3")) {
		t.Errorf("ExpandAction(s3:*) has %d actions, want %d", got, len(Actions("s3")))
	}
	if got := names(ExpandAction("kms:GenerateDataKey")); !slices.Equal(got, []string{"kms:GenerateDataKey"}) {
		t.Errorf("ExpandAction(kms:GenerateDataKey) = %q", got)
	}
	if got := names(ExpandAction("s3:GetObjec?")); !slices.Equal(got, []string{"s3:GetObject"}) {
		t.Errorf("ExpandAction(s3:GetObjec?) = %q", got)
	}
	for _, p := range []string{"sqs:*", "s3:Frobnicate*", ""} {
		if got := ExpandAction(p); len(got) != 0 {
			t.Errorf("ExpandAction(%q) = %q, want nothing", p, names(got))
		}
	}
}

func TestActions(t *testing.T) {
	for _, svc := range []string{"s3", "kms"} {
		acts := Actions(svc)
		if len(acts) == 0 {
			t.Fatalf("Actions(%q) is empty", svc)
		}
		for _, a := range acts {
			if a.Service != svc {
				t.Errorf("Actions(%q) includes %s", svc, a)
			}
		}
	}
	if got := Actions("sqs"); len(got) != 0 {
		t.Errorf("Actions(sqs) = %q", names(got))
	}
}

func TestHasTable(t *testing.T) {
	for svc, want := range map[string]bool{
		"s3": true, "S3": true, "kms": true, "KMS": true,
		"sqs": false, "iam": false, "s3express": false, "s3-object-lambda": false, "": false,
	} {
		if got := HasTable(svc); got != want {
			t.Errorf("HasTable(%q) = %v, want %v", svc, got, want)
		}
	}
}

// TestAPIOperationsTargets: every action apiOperations suggests is a real
// action, spelled as AWS spells it, and no key is itself a real action (the
// map is for API names that are NOT IAM actions).
func TestAPIOperationsTargets(t *testing.T) {
	// Targets of services we have no table for, checked by hand against the
	// Service Authorization Reference.
	untabled := map[string]bool{"s3-object-lambda:WriteGetObjectResponse": true}
	for key, target := range apiOperations {
		if key != strings.ToLower(key) {
			t.Errorf("key %q is not lower-case; SuggestAction looks keys up lower-cased", key)
		}
		if a := LookupAction(key); a != nil {
			t.Errorf("key %q is the real action %s", key, a)
		}
		if got := SuggestAction(key); got != target {
			t.Errorf("SuggestAction(%q) = %q, want %q", key, got, target)
		}
		for part := range strings.SplitSeq(target, " and ") {
			svc, _, _ := strings.Cut(part, ":")
			if !HasTable(svc) {
				if !untabled[part] {
					t.Errorf("%q → %q: service %q has no table", key, part, svc)
				}
				continue
			}
			a := LookupAction(part)
			if a == nil {
				t.Errorf("%q → %q: no such action", key, part)
			} else if a.String() != part {
				t.Errorf("%q → %q: AWS spells it %q", key, part, a)
			}
		}
	}
}

func TestSuggestAction(t *testing.T) {
	tests := []struct{ in, want string }{
		// Typos: the nearest action within one edit per four characters.
		{"s3:GetObjects", "s3:GetObject"},
		{"S3:GETOBJECTS", "s3:GetObject"},
		{"s3:GetObect", "s3:GetObject"},
		{"s3:PutObjectAcls", "s3:PutObjectAcl"},
		{"s3:GetBucketPolicies", "s3:GetBucketPolicy"},
		{"kms:GenerateDataKeys", "kms:GenerateDataKey"},
		{"kms:Decryptt", "kms:Decrypt"},
		{"s3:GtObjct", "s3:GetObject"},            // 2 edits, 8 letters: the floor of two edits
		{"s3:GetObjXYZ", ""},                      // 3 edits, 9 letters: too far
		{"s3:GetObjectXYZ", "s3:GetObject"},       // 3 edits, 12 letters: one per four
		{"s3:GetBuckPolcy", "s3:GetBucketPolicy"}, // 3 edits, 12 letters

		// API operation names that are not IAM actions (S3 API reference,
		// "Permissions" sections).
		{"s3:ListObjectsV2", "s3:ListBucket"},
		{"s3:listobjects", "s3:ListBucket"},
		{"s3:HeadObject", "s3:GetObject"},
		{"s3:HeadBucket", "s3:ListBucket"},
		{"s3:PutBucketEncryption", "s3:PutEncryptionConfiguration"},
		{"s3:CopyObject", "s3:GetObject and s3:PutObject"},
		{"s3:CreateMultipartUpload", "s3:PutObject"},
		{"s3:ListBuckets", "s3:ListAllMyBuckets"},
		{"kms:ReEncrypt", "kms:ReEncryptFrom and kms:ReEncryptTo"}, // not kms:Encrypt, two edits away

		// Nothing close enough.
		{"s3:Frobnicate", ""},
		{"s3:xyz", ""},
		{"s3:", ""},
		{"kms:GetObject", ""},
		{"s3:DescribeEverythingInTheAccount", ""},

		// Wildcards are patterns, not typos.
		{"s3:Get*", ""},
		{"s3:GetObjec?", ""},
		{"s3:*", ""},
		{"*", ""},

		// No service prefix, or a service we have no table for.
		{"GetObjects", ""},
		{"", ""},
		{"sqs:SendMessages", ""},
	}
	for _, tc := range tests {
		if got := SuggestAction(tc.in); got != tc.want {
			t.Errorf("SuggestAction(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
