package policyfile

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
)

// skimKeys agrees with topKeys on valid JSON: skimming never hides a
// policy document that parsing would find, nor the keys that rule one out.
func checkSkim(t *testing.T, src []byte) {
	if !json.Valid(src) {
		return
	}
	skimmed, read := relevant(skimKeys(src)), relevant(topKeys(src))
	if !maps.Equal(skimmed, read) {
		t.Fatalf("%q: skimmed %v, read %v", src, skimmed, read)
	}
}

// relevant keeps the keys that decide (encoding/json and skimKeys spell
// keys with invalid UTF-8 differently, and no such key decides anything).
func relevant(keys map[string]byte) map[string]byte {
	out := map[string]byte{}
	for _, k := range append([]string{"Version", "Statement"}, claimed...) {
		if v, ok := keys[k]; ok {
			out[k] = v
		}
	}
	return out
}

func TestSkimKeys(t *testing.T) {
	for _, src := range []string{
		`{"Version": "2012-10-17", "Statement": [{"Resource": "a]}\"b"}], "Id": null}`,
		` {"Statement":{"x":[1,{"y":"}"}]},"Version":-1.5e3,"e":true}` + "\n",
		`{"V\u0065rsion": 1, "Statement": [], "\"": {}}`,
		`{}`, `[]`, `"Version"`, `{"a": {"Version": 1, "Statement": []}}`,
	} {
		checkSkim(t, []byte(src))
	}
	if got := skimKeys([]byte("\ufeff{\"Version\":1,\"Statement\":[]}")); !policyKeys(got) {
		t.Errorf("with a BOM: %v", got)
	}
	// Skimming reads past what parsing would reject, but not past a
	// broken structure.
	for _, src := range []string{`{"Version": 1 "Statement": []}`, `{"Statement": {"a": "`, `{` + strings.Repeat(`"k":`, 3)} {
		if policyKeys(skimKeys([]byte(src))) {
			t.Errorf("%q skims as a policy", src)
		}
	}
}

func FuzzSkimKeys(f *testing.F) {
	for _, s := range []string{
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`,
		`{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "Version": "1", "Statement": "x"}`,
		`{"a\\": "\\", "b": ["]", {"}": 1}], "c": 1e-3}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkSkim)
}
