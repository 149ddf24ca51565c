package cloudformation_test

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

// expand replaces the placeholders of want by positions in src:
// [[needle]] is the span of the only occurrence of needle, [[from .. to]]
// runs from the start of from to the end of to, and [[value@context]] is
// the span of value inside the only occurrence of context.
func expand(t testing.TB, src, want string) string {
	t.Helper()
	var b strings.Builder
	for {
		i := strings.Index(want, "[[")
		if i < 0 {
			b.WriteString(want)
			return b.String()
		}
		b.WriteString(want[:i])
		rest := want[i+2:]
		j := closing(rest)
		if j < 0 {
			t.Fatalf("unclosed placeholder in %q", want)
		}
		b.WriteString(place(t, src, rest[:j]))
		want = rest[j+2:]
	}
}

// closing finds the ]] that ends a placeholder: the last of a run of ].
func closing(s string) int {
	for j := 0; j+1 < len(s); j++ {
		if s[j] == ']' && s[j+1] == ']' && (j+2 == len(s) || s[j+2] != ']') {
			return j
		}
	}
	return -1
}

func place(t testing.TB, src, inner string) string {
	t.Helper()
	if from, to, ok := strings.Cut(inner, " .. "); ok {
		return startOf(t, src, from) + "-" + endOf(t, src, to)
	}
	if value, context, ok := strings.Cut(inner, "@"); ok {
		at(t, src, context) // only once
		off := strings.Index(src, context) + strings.Index(context, value)
		return offPos(src, off) + "-" + offPos(src, off+len(value))
	}
	return at(t, src, inner)
}

// settingsCase is a template and the settings of its bucket B, one line
// each (see settingLines), with placeholders for positions.
type settingsCase struct {
	name   string
	src    string
	params string // a parameters file, if any
	want   []string
	diags  []string // expected diagnostics, "severity file:range: message" (placeholders allowed)
}

func runSettingsCases(t *testing.T, file string, cases []settingsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := tree{file: c.src}
			var opts []option
			if c.params != "" {
				files["params.json"] = c.params
				opts = append(opts, withParams("params.json"))
			}
			l := load(t, files, opts...)
			want := make([]string, len(c.want))
			for i, w := range c.want {
				want[i] = expand(t, c.src, w)
			}
			eq(t, "settings of B", settingLines(l.bucket("B")), want)
			wantDiags := make([]string, len(c.diags))
			for i, d := range c.diags {
				wantDiags[i] = expand(t, c.src, d)
			}
			gotDiags := []string{}
			for _, d := range l.Diagnostics {
				gotDiags = append(gotDiags, d.Severity.String()+" "+l.rel(d.Range.File)+":"+pos(d.Range)+": "+d.Message)
			}
			eq(t, "diagnostics", gotDiags, wantDiags)
		})
	}
}

// bucketYAML is a template with parameters, a condition that cannot be
// decided (IsProd: Env has only a default), a decided one (Never), keys
// and aliases, and the bucket B with props.
func bucketYAML(props string) string {
	return `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
  NoValue: {Type: String}
  Flag: {Type: String, Default: "false"}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /x}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Never: !Equals [a, b]
Resources:
  Key:
    Type: AWS::KMS::Key
  OtherKey:
    Type: AWS::KMS::Key
  GoneKey:
    Type: AWS::KMS::Key
    Condition: Never
  DataAlias:
    Type: AWS::KMS::Alias
    Properties: {AliasName: alias/data, TargetKeyId: !Ref Key}
  EnvAlias:
    Type: AWS::KMS::Alias
    Properties: {AliasName: !Sub "alias/${Env}-data", TargetKeyId: !GetAtt OtherKey.KeyId}
  B:
    Type: AWS::S3::Bucket
    Properties:
` + props
}

func TestBucketSettingsYAML(t *testing.T) {
	all := bucketYAML(`      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        IgnorePublicAcls: "True"
        BlockPublicPolicy: False
        RestrictPublicBuckets: 'false'
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerPreferred
      AccessControl: LogDeliveryWrite
      VersioningConfiguration:
        Status: Enabled
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
            BucketKeyEnabled: false
      LifecycleConfiguration:
        Rules:
          - {Status: Disabled, ExpirationInDays: 30}
`)
	runSettingsCases(t, "t.yaml", []settingsCase{
		{name: "every property", src: all, want: []string{
			`bpa by B at [[PublicAccessBlockConfiguration .. 'false']]: BlockPublicAcls=true@[[true]] IgnorePublicAcls=true@[["True"]] BlockPublicPolicy=false@[[False]] RestrictPublicBuckets=false@[['false']]`,
			`ownership by B at [[OwnershipControls .. BucketOwnerPreferred]]: BucketOwnerPreferred@[[BucketOwnerPreferred]]`,
			`acl by B at [[AccessControl: LogDeliveryWrite]]: log-delivery-write@[[LogDeliveryWrite]] grants=0`,
			`versioning by B at [[VersioningConfiguration .. Status: Enabled]]: status=Enabled@[[Enabled@Status: Enabled]] mfa=default(false)@[[VersioningConfiguration .. Status: Enabled]]`,
			`encryption by B at [[BucketEncryption .. BucketKeyEnabled: false]]: algorithm=AES256@[[AES256]] key_id=default()@[[ServerSideEncryptionByDefault .. AES256]] key=<none> bucket_key=false@[[false@BucketKeyEnabled: false]]`,
			`lifecycle by B at [[LifecycleConfiguration .. ExpirationInDays: 30}]]`,
		}},
		{name: "omitted flags", src: bucketYAML("      PublicAccessBlockConfiguration:\n        BlockPublicPolicy: true\n"), want: []string{
			`bpa by B at [[PublicAccessBlockConfiguration .. true]]: BlockPublicAcls=default(false)@[[PublicAccessBlockConfiguration .. true]] IgnorePublicAcls=default(false)@[[PublicAccessBlockConfiguration .. true]] BlockPublicPolicy=true@[[true]] RestrictPublicBuckets=default(false)@[[PublicAccessBlockConfiguration .. true]]`,
		}},
		{name: "empty configuration", src: bucketYAML("      PublicAccessBlockConfiguration: {}\n"), want: []string{
			`bpa by B at [[PublicAccessBlockConfiguration: {}]]: BlockPublicAcls=default(false)@[[PublicAccessBlockConfiguration: {}]] IgnorePublicAcls=default(false)@[[PublicAccessBlockConfiguration: {}]] BlockPublicPolicy=default(false)@[[PublicAccessBlockConfiguration: {}]] RestrictPublicBuckets=default(false)@[[PublicAccessBlockConfiguration: {}]]`,
		}},
		{name: "no settings", src: bucketYAML("      BucketName: plain-bucket\n"), want: []string{}},
		{name: "flag removed by AWS::NoValue", src: bucketYAML("      PublicAccessBlockConfiguration:\n        BlockPublicAcls: !Ref AWS::NoValue\n        IgnorePublicAcls: !If [Never, false, true]\n"), want: []string{
			`bpa by B at [[PublicAccessBlockConfiguration .. true]]]: BlockPublicAcls=default(false)@[[PublicAccessBlockConfiguration .. true]]] IgnorePublicAcls=true@[[true]] BlockPublicPolicy=default(false)@[[PublicAccessBlockConfiguration .. true]]] RestrictPublicBuckets=default(false)@[[PublicAccessBlockConfiguration .. true]]]`,
		}},
		{name: "whole property removed by a decided condition",
			src:  bucketYAML("      PublicAccessBlockConfiguration: !If [Never, {BlockPublicAcls: false}, !Ref AWS::NoValue]\n      VersioningConfiguration: !If [Never, {Status: Enabled}, !Ref AWS::NoValue]\n      LifecycleConfiguration: !If [Never, {Rules: []}, !Ref AWS::NoValue]\n"),
			want: []string{}},
		{name: "canned ACL names", src: bucketYAML("      AccessControl: BucketOwnerFullControl\n"), want: []string{
			`acl by B at [[AccessControl: BucketOwnerFullControl]]: bucket-owner-full-control@[[BucketOwnerFullControl]] grants=0`,
		}},
		{name: "unknown canned ACL stays as written", src: bucketYAML("      AccessControl: public-read\n"), want: []string{
			`acl by B at [[AccessControl: public-read]]: public-read@[[public-read]] grants=0`,
		}},
		{name: "versioning without Status", src: bucketYAML("      VersioningConfiguration: {}\n"), want: []string{
			`versioning by B at [[VersioningConfiguration: {}]]: status=default(Suspended)@[[VersioningConfiguration: {}]] mfa=default(false)@[[VersioningConfiguration: {}]]`,
		}},
		{name: "ownership without rules", src: bucketYAML("      OwnershipControls: {Rules: []}\n"), want: []string{
			`ownership by B at [[OwnershipControls: {Rules: []}]]: ?@[[Rules: []]]`,
		}},
		{name: "encryption rule without a default", src: bucketYAML("      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - BucketKeyEnabled: true\n"), want: []string{
			`encryption by B at [[BucketEncryption .. true]]: algorithm=default(AES256)@[[BucketKeyEnabled: true]] key_id=default()@[[BucketKeyEnabled: true]] key=<none> bucket_key=true@[[true]]`,
		}},
		{name: "encryption without rules", src: bucketYAML("      BucketEncryption: {ServerSideEncryptionConfiguration: []}\n"), want: []string{
			`encryption by B at [[BucketEncryption: {ServerSideEncryptionConfiguration: []}]]: algorithm=?@[[ServerSideEncryptionConfiguration: []]] key_id=?@[[ServerSideEncryptionConfiguration: []]] key=<none> bucket_key=?@[[ServerSideEncryptionConfiguration: []]]`,
		}},
	})
}

// Values under conditions that cannot be decided are known where every
// branch agrees and unknown, at the Fn::If, where they do not; a branch
// that removes a property has what AWS does without it.
func TestBucketSettingsConditions(t *testing.T) {
	runSettingsCases(t, "t.yaml", []settingsCase{
		{name: "configuration or nothing, all on either way",
			src: bucketYAML("      PublicAccessBlockConfiguration: !If [IsProd, {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}, !Ref AWS::NoValue]\n"),
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. AWS::NoValue]]]: BlockPublicAcls=true@[[!If .. AWS::NoValue]]] IgnorePublicAcls=true@[[!If .. AWS::NoValue]]] BlockPublicPolicy=true@[[!If .. AWS::NoValue]]] RestrictPublicBuckets=true@[[!If .. AWS::NoValue]]]`,
			}},
		{name: "configuration or nothing, differing",
			src: bucketYAML("      PublicAccessBlockConfiguration: !If [IsProd, {BlockPublicAcls: true}, !Ref AWS::NoValue]\n"),
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. AWS::NoValue]]]: BlockPublicAcls=true@[[!If .. AWS::NoValue]]] IgnorePublicAcls=?@[[!If .. AWS::NoValue]]] BlockPublicPolicy=?@[[!If .. AWS::NoValue]]] RestrictPublicBuckets=?@[[!If .. AWS::NoValue]]]`,
			}},
		{name: "flags under conditions",
			src: bucketYAML("      PublicAccessBlockConfiguration:\n        BlockPublicAcls: !If [IsProd, true, false]\n        IgnorePublicAcls: !If [IsProd, true, \"true\"]\n        BlockPublicPolicy: !If [IsProd, false, !Ref AWS::NoValue]\n        RestrictPublicBuckets: !If [Never, false, true]\n"),
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. [Never, false, true]]]: BlockPublicAcls=?@[[!If [IsProd, true, false]]] IgnorePublicAcls=true@[[!If [IsProd, true, "true"]]] BlockPublicPolicy=false@[[!If [IsProd, false, !Ref AWS::NoValue]]] RestrictPublicBuckets=true@[[true@[Never, false, true]]]`,
			}},
		{name: "ACL in one branch",
			src: bucketYAML("      AccessControl: !If [IsProd, !Ref AWS::NoValue, PublicRead]\n"),
			want: []string{
				`acl by B at [[AccessControl .. PublicRead]]]: ?@[[!If .. PublicRead]]] grants=0`,
			}},
		{name: "ownership or nothing, agreeing",
			src: bucketYAML("      OwnershipControls: !If [IsProd, {Rules: [{ObjectOwnership: BucketOwnerEnforced}]}, !Ref AWS::NoValue]\n"),
			want: []string{
				`ownership by B at [[OwnershipControls .. AWS::NoValue]]]: BucketOwnerEnforced@[[!If .. AWS::NoValue]]]`,
			}},
		{name: "versioning in one branch",
			src: bucketYAML("      VersioningConfiguration: !If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]\n      LifecycleConfiguration: !If [IsProd, {Rules: []}, !Ref AWS::NoValue]\n"),
			want: []string{
				`versioning by B at [[VersioningConfiguration .. {Status: Enabled}, !Ref AWS::NoValue]]]: status=?@[[!If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]]] mfa=default(false)@[[VersioningConfiguration .. {Status: Enabled}, !Ref AWS::NoValue]]]`,
				`lifecycle by B at [[LifecycleConfiguration .. {Rules: []}, !Ref AWS::NoValue]]]`,
			}},
		{name: "algorithm by condition",
			src: bucketYAML("      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: !If [IsProd, aws:kms, AES256]\n"),
			want: []string{
				`encryption by B at [[BucketEncryption .. AES256]]]: algorithm=?@[[!If [IsProd, aws:kms, AES256]]] key_id=default()@[[ServerSideEncryptionByDefault .. AES256]]] key=<none> bucket_key=default(false)@[[ServerSideEncryptionByDefault .. AES256]]]`,
			}},
		{name: "decided by a parameters file",
			src:    bucketYAML("      PublicAccessBlockConfiguration:\n        BlockPublicAcls: !If [IsProd, true, false]\n      AccessControl: !If [IsProd, Private, PublicRead]\n"),
			params: `{"Parameters": {"Env": "prod"}}`,
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. false]]]: BlockPublicAcls=true@[[true]] IgnorePublicAcls=default(false)@[[PublicAccessBlockConfiguration .. false]]] BlockPublicPolicy=default(false)@[[PublicAccessBlockConfiguration .. false]]] RestrictPublicBuckets=default(false)@[[PublicAccessBlockConfiguration .. false]]]`,
				`acl by B at [[AccessControl .. PublicRead]]]: private@[[Private]] grants=0`,
			}},
	})
}

func TestBucketSettingsParameters(t *testing.T) {
	runSettingsCases(t, "t.yaml", []settingsCase{
		{name: "with and without values",
			src: bucketYAML(`      PublicAccessBlockConfiguration:
        BlockPublicAcls: !Ref Flag
        IgnorePublicAcls: !Ref NoValue
        BlockPublicPolicy: !Ref Ssm
        RestrictPublicBuckets: "{{resolve:ssm:/bpa/restrict}}"
      AccessControl: !ImportValue shared-acl
      VersioningConfiguration: {Status: !Sub "${Env}"}
`),
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. /bpa/restrict}}"]]: BlockPublicAcls=false@[[!Ref Flag]] IgnorePublicAcls=?@[[!Ref NoValue]] BlockPublicPolicy=?@[[!Ref Ssm]] RestrictPublicBuckets=?@[["{{resolve:ssm:/bpa/restrict}}"]]`,
				`acl by B at [[AccessControl .. shared-acl]]: ?@[[!ImportValue shared-acl]] grants=0`,
				`versioning by B at [[VersioningConfiguration .. "${Env}"}]]: status=dev@[[!Sub "${Env}"]] mfa=default(false)@[[VersioningConfiguration .. "${Env}"}]]`,
			}},
		{name: "values from a parameters file",
			src:    bucketYAML("      PublicAccessBlockConfiguration: {BlockPublicAcls: !Ref Flag, IgnorePublicAcls: !Ref NoValue}\n"),
			params: `[{"ParameterKey": "Flag", "ParameterValue": "true"}, {"ParameterKey": "NoValue", "ParameterValue": "True"}]`,
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. NoValue}]]: BlockPublicAcls=true@[[!Ref Flag]] IgnorePublicAcls=true@[[!Ref NoValue]] BlockPublicPolicy=default(false)@[[PublicAccessBlockConfiguration .. NoValue}]] RestrictPublicBuckets=default(false)@[[PublicAccessBlockConfiguration .. NoValue}]]`,
			}},
	})
}

// CloudFormation takes booleans and the strings true, True, false and
// False; other values are unknown, with a warning.
func TestBucketSettingsBooleans(t *testing.T) {
	runSettingsCases(t, "t.yaml", []settingsCase{
		{name: "accepted", src: bucketYAML("      PublicAccessBlockConfiguration: {BlockPublicAcls: TRUE, IgnorePublicAcls: 'true', BlockPublicPolicy: \"False\", RestrictPublicBuckets: false}\n"),
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. false}]]: BlockPublicAcls=true@[[TRUE]] IgnorePublicAcls=true@[['true']] BlockPublicPolicy=false@[["False"]] RestrictPublicBuckets=false@[[false@RestrictPublicBuckets: false]]`,
			}},
		// CloudFormation reads YAML 1.1: unquoted yes/no/on/off are booleans.
		{name: "yaml 1.1 booleans", src: bucketYAML("      PublicAccessBlockConfiguration: {BlockPublicAcls: yes, IgnorePublicAcls: On, BlockPublicPolicy: no, RestrictPublicBuckets: OFF}\n"),
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. OFF}]]: BlockPublicAcls=true@[[yes]] IgnorePublicAcls=true@[[On]] BlockPublicPolicy=false@[[no@BlockPublicPolicy: no]] RestrictPublicBuckets=false@[[OFF]]`,
			}},
		{name: "not booleans", src: bucketYAML("      PublicAccessBlockConfiguration: {BlockPublicAcls: y, IgnorePublicAcls: \"TRUE\", BlockPublicPolicy: 1}\n"),
			want: []string{
				`bpa by B at [[PublicAccessBlockConfiguration .. 1}]]: BlockPublicAcls=?@[[y@BlockPublicAcls: y]] IgnorePublicAcls=?@[["TRUE"]] BlockPublicPolicy=?@[[1@BlockPublicPolicy: 1]] RestrictPublicBuckets=default(false)@[[PublicAccessBlockConfiguration .. 1}]]`,
			},
			diags: []string{
				`warning t.yaml:[[y@BlockPublicAcls: y]]: BlockPublicAcls is "y": YAML parsers disagree on whether an unquoted y is a boolean, so s3lint takes it as unknown; write true or false`,
				`warning t.yaml:[["TRUE"]]: IgnorePublicAcls must be true or false, not "TRUE"; s3lint takes it as unknown`,
				`warning t.yaml:[[1@BlockPublicPolicy: 1]]: BlockPublicPolicy must be true or false, not 1; s3lint takes it as unknown`,
			}},
	})
}

// Encryption.Key is the key of the template that KMSMasterKeyID names, in
// any of the ways templates name keys.
func TestBucketEncryptionKey(t *testing.T) {
	cases := []struct {
		name, keyID string
		wantKey     string
		wantID      string // the value, ? when unknown
		at          string // where in keyID the value is, when not all of it
	}{
		{"GetAtt Arn", "!GetAtt Key.Arn", "Key", "key-arn(Key)", ""},
		{"GetAtt long form", "{Fn::GetAtt: [Key, Arn]}", "Key", "key-arn(Key)", ""},
		{"Ref key ID", "!Ref Key", "Key", "id(Key)", ""},
		{"Sub key ARN", `!Sub "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}"`, "Key", "key-arn(Key)", ""},
		{"Sub key ARN, another account", `!Sub "arn:aws:kms:${AWS::Region}:111122223333:key/${Key}"`, "Key", "?", ""},
		{"Join key ARN", `!Join ["", ["arn:aws:kms:", !Ref AWS::Region, ":", !Ref AWS::AccountId, ":key/", !Ref Key]]`, "Key", "key-arn(Key)", ""},
		{"alias name", "alias/data", "Key", "alias/data", ""},
		{"alias ARN", "arn:aws:kms:eu-west-1:111122223333:alias/data", "Key", "arn:aws:kms:eu-west-1:111122223333:alias/data", ""},
		{"alias ARN with unknown parts", `!Sub "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/data"`, "Key", "?", ""},
		{"Ref alias", "!Ref DataAlias", "Key", "alias/data", ""},
		{"alias named by a parameter", "alias/dev-data", "OtherKey", "alias/dev-data", ""},
		{"alias ARN joined", `!Join [":", [arn:aws:kms, !Ref AWS::Region, !Ref AWS::AccountId, alias/dev-data]]`, "OtherKey", "?", ""},
		{"AWS-managed alias", "alias/aws/s3", "<none>", "alias/aws/s3", ""},
		{"key outside the template", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "<none>", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ""},
		{"key never created", "!GetAtt GoneKey.Arn", "<none>", "key-arn(GoneKey)", ""},
		{"key by condition, same key", "!If [IsProd, !GetAtt Key.Arn, !Ref DataAlias]", "Key", "?", ""},
		{"key by condition, two keys", "!If [IsProd, !GetAtt Key.Arn, !GetAtt OtherKey.Arn]", "<none>", "?", ""},
		{"key by decided condition", "!If [Never, !GetAtt OtherKey.Arn, !GetAtt Key.Arn]", "Key", "key-arn(Key)", "!GetAtt Key.Arn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := bucketYAML(`      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: ` + c.keyID + `
            BucketKeyEnabled: true
`)
			l := load(t, tree{"t.yaml": src})
			l.noDiags()
			e := l.bucket("B").Encryption
			if e == nil {
				t.Fatal("no encryption")
			}
			key := "<none>"
			if e.Key != nil {
				key = e.Key.Address
			}
			is(t, "key", key, c.wantKey)
			within := c.keyID
			if c.at != "" {
				within = c.at
			}
			is(t, "key ID", sv(e.KeyID), c.wantID+"@"+place(t, src, within+"@KMSMasterKeyID: "+c.keyID))
			is(t, "algorithm", sv(e.Algorithm), "aws:kms@"+place(t, src, "aws:kms@SSEAlgorithm: aws:kms"))
			if kms, known := e.UsesKMS(); !kms || !known {
				t.Errorf("UsesKMS = %v, %v", kms, known)
			}
		})
	}
	t.Run("no key", func(t *testing.T) {
		src := bucketYAML("      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}\n")
		l := load(t, tree{"t.yaml": src})
		l.noDiags()
		e := l.bucket("B").Encryption
		is(t, "key ID", sv(e.KeyID), expand(t, src, "default()@[[ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}]]"))
		if e.Key != nil || !e.AWSManagedKey() {
			t.Errorf("key %v, AWS-managed %v; want the AWS-managed key", e.Key, e.AWSManagedKey())
		}
	})
}

func accessPointByID(t *testing.T, l *loaded, addr string) *graph.AccessPoint {
	t.Helper()
	for _, ap := range l.AccessPoints {
		if ap.Address == addr {
			return ap
		}
	}
	t.Fatalf("no access point %s", addr)
	return nil
}

func TestAccessPoints(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties: {BucketName: data-bucket}
  Other:
    Type: AWS::S3::Bucket
  Open:
    Type: AWS::S3::AccessPoint
    Properties:
      Bucket: !Ref Other
      Name: open-ap
      PublicAccessBlockConfiguration:
        BlockPublicPolicy: false
        RestrictPublicBuckets: "false"
      Policy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "arn:aws:s3:${AWS::Region}:${AWS::AccountId}:accesspoint/open-ap/object/*"
  Closed:
    Type: AWS::S3::AccessPoint
    Properties:
      Bucket: data-bucket
      VpcConfiguration:
        VpcId: vpc-0123
  Blank:
    Type: AWS::S3::AccessPoint
    Properties:
      Bucket: someone-elses-bucket
      VpcConfiguration: {}
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	if len(l.AccessPoints) != 3 {
		t.Fatalf("%d access points, want 3:\n%s", len(l.AccessPoints), l.dump())
	}

	open := accessPointByID(t, l, "Open")
	is(t, "name", sv(open.Name), "open-ap@"+place(t, src, "open-ap@Name: open-ap"))
	is(t, "range", pos(open.Range), startOf(t, src, "Open:")+"-"+endOf(t, src, `open-ap/object/*"`))
	if open.Type != "AWS::S3::AccessPoint" || open.Format != graph.CloudFormation {
		t.Errorf("entity %+v", open.Entity)
	}
	if open.Bucket != l.bucket("Other") {
		t.Errorf("Open is not linked to Other")
	}
	if open.Policy == nil || open.Policy.Kind != graph.AccessPointPolicy || open.Policy != l.policy("Open", graph.AccessPointPolicy) {
		t.Errorf("Open's policy is %v", open.Policy)
	}
	is(t, "vpc", sv(open.VpcID), "default()@"+keyRange(t, src, "Open"))
	bpaRange := startOf(t, src, "PublicAccessBlockConfiguration:") + "-" + endOf(t, src, `"false"`)
	is(t, "bpa", bpaLine(open.PublicAccessBlock), "bpa by Open at "+bpaRange+
		": BlockPublicAcls=default(true)@"+bpaRange+" IgnorePublicAcls=default(true)@"+bpaRange+
		" BlockPublicPolicy=false@"+place(t, src, "false@BlockPublicPolicy: false")+" RestrictPublicBuckets=false@"+at(t, src, `"false"`))

	closed := accessPointByID(t, l, "Closed")
	kr := keyRange(t, src, "Closed")
	if closed.Name.Known() {
		t.Errorf("an access point without Name has name %s", sv(closed.Name))
	}
	is(t, "bucket ref", sv(closed.BucketRef), "data-bucket@"+place(t, src, "data-bucket@Bucket: data-bucket"))
	if closed.Bucket != l.bucket("Data") || closed.Policy != nil {
		t.Errorf("Closed: bucket %v policy %v", closed.Bucket, closed.Policy)
	}
	is(t, "vpc", sv(closed.VpcID), "vpc-0123@"+at(t, src, "vpc-0123"))
	is(t, "bpa", bpaLine(closed.PublicAccessBlock), "bpa by Closed at "+kr+": BlockPublicAcls=default(true)@"+kr+
		" IgnorePublicAcls=default(true)@"+kr+" BlockPublicPolicy=default(true)@"+kr+" RestrictPublicBuckets=default(true)@"+kr)

	blank := accessPointByID(t, l, "Blank")
	is(t, "vpc", sv(blank.VpcID), "default()@"+at(t, src, "VpcConfiguration: {}"))
	if blank.Bucket != nil {
		t.Errorf("Blank is linked to %s", blank.Bucket.Address)
	}

	for id, want := range map[string][]string{"Data": {"Closed"}, "Other": {"Open"}} {
		var got []string
		for _, ap := range l.bucket(id).AccessPoints {
			got = append(got, ap.Address)
		}
		eq(t, id+" access points", got, want)
	}
}

// Access points under conditions: branches that remove the configuration
// block by default.
func TestAccessPointConditions(t *testing.T) {
	src := bucketYAML("      BucketName: b\n") + `  AP:
    Type: AWS::S3::AccessPoint
    Properties:
      Bucket: !Ref B
      PublicAccessBlockConfiguration: !If [IsProd, !Ref AWS::NoValue, {BlockPublicPolicy: false}]
      VpcConfiguration: !If [IsProd, {VpcId: vpc-1}, !Ref AWS::NoValue]
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	ap := accessPointByID(t, l, "AP")
	rng := startOf(t, src, "PublicAccessBlockConfiguration") + "-" + endOf(t, src, "{BlockPublicPolicy: false}]")
	ifRng := startOf(t, src, "!If [IsProd, !Ref AWS::NoValue") + "-" + endOf(t, src, "{BlockPublicPolicy: false}]")
	// Omitted and removed alike, the other flags are on by default.
	is(t, "bpa", bpaLine(ap.PublicAccessBlock), "bpa by AP at "+rng+": BlockPublicAcls=default(true)@"+rng+
		" IgnorePublicAcls=default(true)@"+rng+" BlockPublicPolicy=?@"+ifRng+" RestrictPublicBuckets=default(true)@"+rng)
	is(t, "vpc", sv(ap.VpcID), "?@"+at(t, src, "!If [IsProd, {VpcId: vpc-1}, !Ref AWS::NoValue]"))
	if ap.Bucket != l.bucket("B") {
		t.Errorf("AP is not linked to B")
	}
}

// An access point naming its bucket by name finds it in another template.
func TestAccessPointLinkedAcrossTemplates(t *testing.T) {
	l := load(t, tree{
		"a.yaml": "Resources:\n  Data:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: shared-data}\n",
		"b.yaml": "Resources:\n  AP:\n    Type: AWS::S3::AccessPoint\n    Properties: {Bucket: shared-data}\n",
	})
	l.noDiags()
	ap := accessPointByID(t, l, "AP")
	if ap.Bucket == nil || ap.Bucket.Address != "Data" || len(ap.Bucket.AccessPoints) != 1 {
		t.Errorf("AP not linked to Data:\n%s", l.dump())
	}
}

func TestEndpointDetails(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  VpcParam: {Type: "AWS::EC2::VPC::Id"}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Gw:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      ServiceName: com.amazonaws.eu-west-1.s3
      VpcId: vpc-0abc
  Iface:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
      VpcEndpointType: Interface
      VpcId: !Ref Vpc
  ByParam:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      ServiceName: com.amazonaws.eu-west-1.s3
      VpcEndpointType: "Gateway"
      VpcId: !Ref VpcParam
`
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	got := map[string]string{}
	for _, e := range l.Endpoints {
		got[e.Address] = sv(e.Type) + " " + sv(e.VpcID)
	}
	is(t, "Gw", got["Gw"], "default(Gateway)@"+keyRange(t, src, "Gw")+" vpc-0abc@"+at(t, src, "vpc-0abc"))
	// A VPC of the template has an ID symbol that its references render.
	is(t, "Iface", got["Iface"], "Interface@"+at(t, src, "Interface")+" id(Vpc)@"+place(t, src, "!Ref Vpc@VpcId: !Ref Vpc\n"))
	is(t, "ByParam", got["ByParam"], "Gateway@"+at(t, src, `"Gateway"`)+" ?@"+at(t, src, "!Ref VpcParam"))
}

// The same template in JSON gives the same settings, at JSON positions.
func TestBucketSettingsJSON(t *testing.T) {
	src := `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
  "Resources": {
    "Key": {"Type": "AWS::KMS::Key"},
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": "true"},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]},
        "AccessControl": {"Fn::If": ["IsProd", "Private", "AuthenticatedRead"]},
        "VersioningConfiguration": {"Status": "Suspended"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
          {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse", "KMSMasterKeyID": {"Fn::GetAtt": "Key.Arn"}},
           "BucketKeyEnabled": "False"}]},
        "LifecycleConfiguration": {"Rules": []}
      }
    },
    "AP": {"Type": "AWS::S3::AccessPoint", "Properties": {"Bucket": {"Ref": "B"}, "PublicAccessBlockConfiguration": {"RestrictPublicBuckets": false}}},
    "EP": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": "vpc-9", "ServiceName": "com.amazonaws.eu-west-1.s3"}}
  }
}
`
	runSettingsCases(t, "t.json", []settingsCase{{name: "json", src: src, want: []string{
		`bpa by B at [["PublicAccessBlockConfiguration": {"BlockPublicAcls" .. "true"}]]: BlockPublicAcls=true@[[true@"BlockPublicAcls": true]] IgnorePublicAcls=true@[["true"]] BlockPublicPolicy=default(false)@[["PublicAccessBlockConfiguration": {"BlockPublicAcls" .. "true"}]] RestrictPublicBuckets=default(false)@[["PublicAccessBlockConfiguration": {"BlockPublicAcls" .. "true"}]]`,
		`ownership by B at [["OwnershipControls" .. "ObjectWriter"}]}]]: ObjectWriter@[["ObjectWriter"]]`,
		`acl by B at [["AccessControl" .. "AuthenticatedRead"]}]]: ?@[[{"Fn::If": ["IsProd", "Private", "AuthenticatedRead"]}]] grants=0`,
		`versioning by B at [["VersioningConfiguration" .. "Suspended"}]]: status=Suspended@[["Suspended"]] mfa=default(false)@[["VersioningConfiguration" .. "Suspended"}]]`,
		`encryption by B at [["BucketEncryption" .. "False"}]}]]: algorithm=aws:kms:dsse@[["aws:kms:dsse"]] key_id=key-arn(Key)@[[{"Fn::GetAtt": "Key.Arn"}]] key=Key bucket_key=false@[["False"]]`,
		`lifecycle by B at [["LifecycleConfiguration": {"Rules": []}]]`,
	}}})

	l := load(t, tree{"t.json": src})
	ap := accessPointByID(t, l, "AP")
	rng := expand(t, src, `[["PublicAccessBlockConfiguration": {"RestrictPublicBuckets": false}]]`)
	is(t, "AP bpa", bpaLine(ap.PublicAccessBlock), "bpa by AP at "+rng+": BlockPublicAcls=default(true)@"+rng+
		" IgnorePublicAcls=default(true)@"+rng+" BlockPublicPolicy=default(true)@"+rng+" RestrictPublicBuckets=false@"+expand(t, src, `[[false@"RestrictPublicBuckets": false]]`))
	if ap.Bucket != l.bucket("B") {
		t.Errorf("AP not linked to B")
	}
	if len(l.Endpoints) != 1 || sv(l.Endpoints[0].Type) != "default(Gateway)@"+expand(t, src, `[["EP"]]`) ||
		sv(l.Endpoints[0].VpcID) != "vpc-9@"+expand(t, src, `[["vpc-9"]]`) {
		t.Errorf("endpoint:\n%s", l.dump())
	}
}

// CDK output names resources by their construct path; the settings are
// read the same way. BlockPublicAccess.BLOCK_ACLS sets two flags only.
func TestBucketSettingsCDK(t *testing.T) {
	src := `{
 "Resources": {
  "DataKey9B1CF6A4": {
   "Type": "AWS::KMS::Key",
   "Properties": {"KeyPolicy": {"Statement": [{"Action": "kms:*", "Effect": "Allow", "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}}, "Resource": "*"}], "Version": "2012-10-17"}},
   "Metadata": {"aws:cdk:path": "App/DataKey/Resource"}
  },
  "DataBucketE3889A50": {
   "Type": "AWS::S3::Bucket",
   "Properties": {
    "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"KMSMasterKeyID": {"Fn::GetAtt": ["DataKey9B1CF6A4", "Arn"]}, "SSEAlgorithm": "aws:kms"}}]},
    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true},
    "VersioningConfiguration": {"Status": "Enabled"}
   },
   "UpdateReplacePolicy": "Retain",
   "DeletionPolicy": "Retain",
   "Metadata": {"aws:cdk:path": "App/DataBucket/Resource"}
  }
 }
}
`
	l := load(t, tree{"cdk.out/App.template.json": src})
	l.noDiags()
	b := l.bucket("App/DataBucket/Resource")
	lines := settingLines(b)
	want := []string{
		expand(t, src, `bpa by App/DataBucket/Resource at [["PublicAccessBlockConfiguration" .. "IgnorePublicAcls": true}]]: BlockPublicAcls=true@[[true@"BlockPublicAcls": true]] IgnorePublicAcls=true@[[true@"IgnorePublicAcls": true]] BlockPublicPolicy=default(false)@[["PublicAccessBlockConfiguration" .. "IgnorePublicAcls": true}]] RestrictPublicBuckets=default(false)@[["PublicAccessBlockConfiguration" .. "IgnorePublicAcls": true}]]`),
		expand(t, src, `ownership by App/DataBucket/Resource at [["OwnershipControls" .. "BucketOwnerEnforced"}]}]]: BucketOwnerEnforced@[["BucketOwnerEnforced"]]`),
		expand(t, src, `versioning by App/DataBucket/Resource at [["VersioningConfiguration": {"Status": "Enabled"}]]: status=Enabled@[["Enabled"]] mfa=default(false)@[["VersioningConfiguration": {"Status": "Enabled"}]]`),
		expand(t, src, `encryption by App/DataBucket/Resource at [["BucketEncryption" .. "aws:kms"}}]}]]: algorithm=aws:kms@[["aws:kms"]] key_id=key-arn(DataKey9B1CF6A4)@[[{"Fn::GetAtt": ["DataKey9B1CF6A4", "Arn"]}]] key=App/DataKey/Resource bucket_key=default(false)@[[{"ServerSideEncryptionByDefault" .. "aws:kms"}}]]`),
	}
	eq(t, "settings", lines, want)
}

// SAM templates declare buckets as CloudFormation does.
func TestBucketSettingsSAM(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - S3ReadPolicy: {BucketName: !Ref B}
  B:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration: {BlockPublicPolicy: false}
      OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}
`
	runSettingsCases(t, "t.yaml", []settingsCase{{name: "sam", src: src, want: []string{
		`bpa by B at [[PublicAccessBlockConfiguration .. false}]]: BlockPublicAcls=default(false)@[[PublicAccessBlockConfiguration .. false}]] IgnorePublicAcls=default(false)@[[PublicAccessBlockConfiguration .. false}]] BlockPublicPolicy=false@[[false@BlockPublicPolicy: false]] RestrictPublicBuckets=default(false)@[[PublicAccessBlockConfiguration .. false}]]`,
		`ownership by B at [[OwnershipControls .. ObjectWriter}]}]]: ObjectWriter@[[ObjectWriter]]`,
	}}})
}

// A bucket that declares nothing has no settings: AWS's defaults apply.
func TestBucketWithoutSettings(t *testing.T) {
	src := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
	l := load(t, tree{"t.yaml": src})
	l.noDiags()
	b := l.bucket("B")
	if b.PublicAccessBlock != nil || b.Ownership != nil || len(b.ACLs) != 0 || b.Versioning != nil ||
		b.Encryption != nil || b.Lifecycle != nil || len(b.AccessPoints) != 0 {
		t.Errorf("settings of a bucket without properties: %q", settingLines(b))
	}
	is(t, "ownership", sv(b.ObjectOwnership()), "default(BucketOwnerEnforced)@"+pos(b.Range))
}

// AccessControl takes CloudFormation's names; the graph holds the S3 API's.
func TestCannedACLNames(t *testing.T) {
	for cfn, s3 := range map[string]string{
		"Private": "private", "PublicRead": "public-read", "PublicReadWrite": "public-read-write",
		"AuthenticatedRead": "authenticated-read", "AwsExecRead": "aws-exec-read", "BucketOwnerRead": "bucket-owner-read",
		"BucketOwnerFullControl": "bucket-owner-full-control", "LogDeliveryWrite": "log-delivery-write",
		"SomethingNew": "SomethingNew",
	} {
		t.Run(cfn, func(t *testing.T) {
			src := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: " + cfn + "\n"
			l := load(t, tree{"t.yaml": src})
			l.noDiags()
			acls := l.bucket("B").ACLs
			if len(acls) != 1 {
				t.Fatalf("%d ACLs", len(acls))
			}
			is(t, "canned", sv(acls[0].Canned), s3+"@"+place(t, src, cfn+"@AccessControl: "+cfn))
			is(t, "setting", acls[0].Address+" "+pos(acls[0].Range), "B "+at(t, src, "AccessControl: "+cfn))
		})
	}
}
