package policy

import (
	"strings"
	"testing"
)

func TestCheckS3ARN(t *testing.T) {
	for _, tc := range []struct {
		arn, partition string
		// want is a fragment of the problem, "" for a valid or unjudged ARN.
		want       string
		suggestion string
		legacy     bool
	}{
		// Valid shapes.
		{arn: "arn:aws:s3:::acme-data"},
		{arn: "arn:aws:s3:::acme-data/*"},
		{arn: "arn:aws:s3:::*"},
		{arn: "arn:aws:s3:::*/*"},
		{arn: "arn:aws:s3:::acme.data.v2/Reports_2024/UPPER key"},
		{arn: "arn:aws:s3:us-east-1:123456789012:accesspoint/reports"},
		{arn: "arn:aws:s3:us-east-1:123456789012:accesspoint/reports/object/a/*"},
		{arn: "arn:aws:s3:*:*:accesspoint/*"},
		{arn: "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap"},
		{arn: "arn:aws:s3::123456789012:accesspoint/*"},
		{arn: "arn:aws:s3:us-east-1:123456789012:job/*"},
		{arn: "arn:aws:s3:us-east-1:123456789012:storage-lens/default"},
		{arn: "arn:aws-cn:s3:::acme-data", partition: "aws-cn"},
		{arn: "arn:*:s3:::acme-data", partition: "aws-cn"},
		{arn: "arn:aws:s3:::acme-data", partition: ""},
		{arn: "arn:aws:s3:*:*:acme-data"},
		{arn: "arn:aws:s3:::acme-*-logs"},
		{arn: "arn:aws:s3:::a*"},
		{arn: "arn:aws:s3:::a?c"},
		// A wildcard may match "/": what follows it may be the key.
		{arn: "arn:aws:s3:::*SageMaker*"},
		{arn: "arn:aws:s3:::acme-*/Reports_2024"},
		{arn: "arn:aws:s3:::acme?UPPER"},
		// No bucket name: an optional input left empty, not known to be
		// deployed.
		{arn: "arn:aws:s3:::"},
		{arn: "arn:aws:s3:::/acme-data/*"},
		// Policy variables may stand for anything, colons included.
		{arn: "arn:aws:s3:::${aws:username}"},
		{arn: "arn:aws:s3:::acme-${aws:PrincipalTag/team}/*"},
		{arn: "arn:aws:s3:::acme-${aws:PrincipalTag/team, 'shared'}/*"},
		{arn: "arn:aws:s3:::home/${aws:username}/*"},
		{arn: "arn:aws:s3:${aws:RequestedRegion}:${aws:PrincipalAccount}:accesspoint/x"},
		// Not S3, or other S3 formats.
		{arn: "*"},
		{arn: "arn:aws:iam::123456789012:role/x"},
		{arn: "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/olap"},
		{arn: "arn:aws:s3-outposts:us-east-1:123456789012:outpost/op-1/bucket/b"},
		{arn: "arn:aws:s3express:us-east-1:123456789012:bucket/b--use1-az4--x-s3"},
		{arn: "acme-data"},
		// Placeholders.
		{arn: "arn:aws:s3:::<bucket>/*"},
		{arn: "arn:aws:s3:::{{bucket}}"},
		{arn: "arn:aws:s3:::__BUCKET__/*"},
		{arn: "arn:aws:s3:::_S3_BUCKET_"},
		{arn: "arn:aws:s3:::%s/*"},
		{arn: "arn:aws:s3:::BUCKET_NAME"},
		{arn: "arn:aws:s3:::${var.bucket}/*"},
		{arn: "arn:aws:s3:::${Bucket}"},
		{arn: "arn:${AWS::Partition}:s3:::acme"},
		{arn: "arn:aws:s3:REGION:ACCOUNT_ID:accesspoint/x"},
		{arn: "arn:aws:s3:::acme-${aws:username"},
		// Wildcards where the colons are missing.
		{arn: "arn:aws:s3::*"},
		{arn: "arn:aws:s3:*"},

		// Access points.
		{arn: "arn:aws:s3::123456789012:accesspoint/x", want: "needs the region"},
		{arn: "arn:aws:s3:us-east-1::accesspoint/x", want: "needs the 12-digit account"},
		{arn: "arn:aws:s3:us-east-1:1234:accesspoint/x", want: `"1234" is not a 12-digit account ID`},
		{arn: "arn:aws:s3:us-east-1:1111-2222-3333:accesspoint/x", want: "not a 12-digit", suggestion: "arn:aws:s3:us-east-1:111122223333:accesspoint/x"},
		{arn: "arn:aws:s3:us-east-1:123456789012:accesspoint", want: "names no access point"},
		// Buckets with a region or account.
		{arn: "arn:aws:s3:us-east-1:123456789012:acme-data", want: "has a region and an account", suggestion: "arn:aws:s3:::acme-data"},
		{arn: "arn:aws:s3:us-east-1::acme-data/*", want: "has a region", suggestion: "arn:aws:s3:::acme-data/*"},
		{arn: "arn:aws:s3::123456789012:acme-data/${aws:username}/*", want: "has an account", suggestion: "arn:aws:s3:::acme-data/${aws:username}/*"},
		// Colons.
		{arn: "arn:aws:s3:acme-data", want: "region and account fields are missing", suggestion: "arn:aws:s3:::acme-data"},
		{arn: "arn:aws:s3::acme-data/*", want: "a colon is missing", suggestion: "arn:aws:s3:::acme-data/*"},
		{arn: "arn:aws:s3::::acme-data", want: "too many colons", suggestion: "arn:aws:s3:::acme-data"},
		{arn: "arn:aws:s3::acme-${aws:username}/*", want: "a colon is missing", suggestion: "arn:aws:s3:::acme-${aws:username}/*"},
		{arn: "arn:aws:s3", want: "names no resource"},
		// Bucket names.
		{arn: "arn:aws:s3:::Acme_Data/*", want: "no uppercase letters or underscores", suggestion: "arn:aws:s3:::acme-data/*", legacy: true},
		{arn: "arn:aws:s3:::acme_data*", want: "no underscores", legacy: true},
		{arn: "arn:aws:s3:::" + strings.Repeat("a", 64), want: "more than 63", legacy: true},
		// The text before a wildcard is the bucket name's.
		{arn: "arn:aws:s3:::Acme_*", want: "uppercase letters or underscores", legacy: true},
		{arn: "arn:aws:s3:::-acme*", want: "begin with a letter or digit"},
		{arn: "arn:aws:s3:::" + strings.Repeat("a", 256) + "*", want: "3 to 63"},
		{arn: "arn:aws:s3:::acme data", want: "not spaces"},
		{arn: "arn:aws:s3:::acme+data", want: `not "+"`},
		{arn: "arn:aws:s3:::ab", want: "3 to 63"},
		{arn: "arn:aws:s3:::-acme/*", want: "begin with a letter or digit"},
		{arn: "arn:aws:s3:::acme.", want: "end with a letter or digit"},
		{arn: "arn:aws:s3:::acme..data", want: "no two dots"},
		{arn: "arn:aws:s3:::192.168.1.1", want: "IP addresses"},
		{arn: "arn:aws:s3:::acme:data", want: `not ":"`},
		// Partitions.
		{arn: "arn:amazon:s3:::acme", want: "not an AWS partition", suggestion: "arn:aws:s3:::acme"},
		{arn: "arn:aws-china:s3:::acme", want: "not an AWS partition", suggestion: "arn:aws-cn:s3:::acme"},
		{arn: "arn:aws-china:s3:::acme", partition: "aws-cn", want: "not an AWS partition", suggestion: "arn:aws-cn:s3:::acme"},
		{arn: "arn:aws:s3:::acme/*", partition: "aws-cn", want: "deploys to aws-cn", suggestion: "arn:aws-cn:s3:::acme/*"},
		{arn: "arn:aws:s3:us-east-1:123456789012:accesspoint/x", partition: "aws-us-gov", want: "deploys to aws-us-gov"},
	} {
		d, bad := CheckS3ARN(tc.arn, tc.partition)
		if bad != (tc.want != "") {
			t.Errorf("CheckS3ARN(%q, %q) = %v, %+v; want bad=%v", tc.arn, tc.partition, bad, d, tc.want != "")
			continue
		}
		if !bad {
			continue
		}
		if !strings.Contains(d.Problem, tc.want) {
			t.Errorf("CheckS3ARN(%q): problem %q, want it to contain %q", tc.arn, d.Problem, tc.want)
		}
		if d.Suggestion != tc.suggestion {
			t.Errorf("CheckS3ARN(%q): suggestion %q, want %q", tc.arn, d.Suggestion, tc.suggestion)
		}
		if d.Legacy != tc.legacy {
			t.Errorf("CheckS3ARN(%q): legacy %v, want %v", tc.arn, d.Legacy, tc.legacy)
		}
		if d.Suggestion != "" {
			if _, again := CheckS3ARN(d.Suggestion, tc.partition); again {
				t.Errorf("CheckS3ARN(%q): suggestion %q is itself reported", tc.arn, d.Suggestion)
			}
		}
	}
}

func TestRegionPartition(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "eu-central-2": "aws", "cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
		"us-gov-west-1": "aws-us-gov", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b",
		"eu-isoe-west-1": "aws-iso-e", "us-isof-south-1": "aws-iso-f", "eusc-de-east-1": "aws-eusc",
		"us-isoz-east-1": "", "": "", "local": "", "${var.region}": "",
	} {
		if got := RegionPartition(region); got != want {
			t.Errorf("RegionPartition(%q) = %q, want %q", region, got, want)
		}
	}
}

// FuzzCheckS3ARN makes sure no input panics and that a suggestion is
// itself accepted.
func FuzzCheckS3ARN(f *testing.F) {
	for _, s := range []string{"arn:aws:s3:::b", "arn:aws:s3::b/${aws:username}", "arn:aws:s3:::${", "arn:aws:s3:::${a:b}${", "arn:a:s3:x:y:accesspoint/"} {
		f.Add(s, "aws-cn")
	}
	f.Fuzz(func(t *testing.T, s, partition string) {
		d, bad := CheckS3ARN(s, partition)
		if bad && d.Problem == "" {
			t.Fatalf("CheckS3ARN(%q) is bad without a problem", s)
		}
	})
}

func TestNotAnARN(t *testing.T) {
	for _, c := range []struct {
		in     string
		bucket string
		bad    bool
	}{
		{"acme-data", "acme-data", true},
		{"acme-data/*", "acme-data", true},
		{"Acme_Data/reports", "", true}, // not a valid bucket name: no suggestion
		{"my-table", "my-table", true},
		{"*", "", false},
		{"", "", false},
		{"arn:aws:s3:::acme-data", "", false},
		{"ARN:aws:s3:::acme-data", "", false},
		{"/*", "", false},              // an input left empty
		{"${aws:username}", "", false}, // a policy variable
		{"BUCKET_NAME/*", "", false},   // a placeholder
		{"{{bucket}}", "", false},      // a placeholder
		{"true", "", false},            // a value of the wrong type
		{"1e400", "", false},           // a value of the wrong type
		{"acme-*", "", true},           // a pattern, but still no ARN
	} {
		bucket, bad := NotAnARN(c.in)
		if bad != c.bad || bucket != c.bucket {
			t.Errorf("NotAnARN(%q) = %q, %v; want %q, %v", c.in, bucket, bad, c.bucket, c.bad)
		}
	}
}

func TestCustomEndpoint(t *testing.T) {
	for in, want := range map[string]bool{
		"": false,
		"https://s3-fips.us-east-1.amazonaws.com":                           false,
		"https://s3.cn-north-1.amazonaws.com.cn":                            false,
		"https://bucket.vpce-0a1b2c3d-4e5f.s3.us-east-1.vpce.amazonaws.com": false,
		"s3.dualstack.us-west-2.amazonaws.com":                              false,
		"https://s3.us-east-1.api.aws":                                      false,
		"http://minio:9000":                                                 true,
		"http://s3.localhost.localstack.cloud:4566":                         true,
		"https://storage.example.com":                                       true,
	} {
		if got := CustomEndpoint(in); got != want {
			t.Errorf("CustomEndpoint(%q) = %v, want %v", in, got, want)
		}
	}
}
