package sarifschema

import (
	"strings"
	"testing"
)

// TestLoaderOffline checks that the validator cannot fetch anything: a
// schema that refers to a remote document does not compile.
func TestLoaderOffline(t *testing.T) {
	c := NewCompiler()
	doc := map[string]any{"$schema": "http://json-schema.org/draft-04/schema#", "$ref": "https://example.com/remote.json"}
	if err := c.AddResource("urn:s3lint:test", doc); err != nil {
		t.Fatal(err)
	}
	_, err := c.Compile("urn:s3lint:test")
	if err == nil || !strings.Contains(err.Error(), "only the embedded copy may be used") {
		t.Errorf("compiling a schema with a remote $ref: err = %v, want a refused load", err)
	}
}

// TestRejectsBroken checks that validation is real: a result without a
// message is not SARIF.
func TestRejectsBroken(t *testing.T) {
	ok := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"}}]}]}`
	if err := Validate([]byte(ok)); err != nil {
		t.Fatalf("minimal valid document rejected: %v", err)
	}
	bad := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a"}]}]}`
	if err := Validate([]byte(bad)); err == nil {
		t.Fatal("a result without message was accepted")
	}
}
