package cloudformation

import (
	"testing"

	"github.com/s3lint/s3lint/parsers/internal/source"
)

// TestArnOfRef reads the bucket a destination ARN is built from, and
// nothing else.
func TestArnOfRef(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{`!Sub "arn:aws:s3:::${B}"`, "B"},
		{`!Sub "arn:${AWS::Partition}:s3:::${B}"`, "B"},
		{`!Sub "arn:aws-cn:s3:::${B}/logs/${AWS::AccountId}"`, "B"},
		{`!Join ["", ["arn:", !Ref AWS::Partition, ":s3:::", !Ref B]]`, "B"},
		{`!Join ["", ["arn:aws:s3:::", !Ref B, "/prefix"]]`, "B"},
		{`!Sub ["arn:aws:s3:::${B}", {C: x}]`, "B"},
		{`!Sub ["arn:aws:s3:::${B}", {B: !Ref Other}]`, ""}, // its own variable
		{`!Sub "arn:aws:s3:::${B}-suffix"`, ""},             // another name
		{`!Sub "arn:aws:s3:::prefix-${B}"`, ""},
		{`!Sub "arn:aws:s3:::${B.Arn}"`, ""},
		{`!Sub "arn:aws:s3:::${AWS::StackName}"`, ""},
		{`!Sub "arn:aws:kms:::${B}"`, ""},
		{`!Sub "arn:${P}:s3:::${B}"`, ""},
		{`!Join [",", ["arn:aws:s3:::", !Ref B]]`, ""},
		{`!Join ["", ["arn:aws:s3:::", !GetAtt B.Arn]]`, ""},
		{`!Ref B`, ""},
		{`"arn:aws:s3:::b"`, ""},
	} {
		doc, _, err := parseYAML(source.NewFile("t.yaml", []byte("v: "+tc.yaml+"\n")), 100)
		if err != nil {
			t.Fatalf("%s: %v", tc.yaml, err)
		}
		if got := arnOfRef(doc.Get("v")); got != tc.want {
			t.Errorf("arnOfRef(%s) = %q, want %q", tc.yaml, got, tc.want)
		}
	}
}
