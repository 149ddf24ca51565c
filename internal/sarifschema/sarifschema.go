// Package sarifschema validates SARIF documents against the official OASIS
// SARIF 2.1.0 JSON schema, a copy of which is embedded. Only tests use it.
package sarifschema

import (
	"bytes"
	_ "embed" // the schema file
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ID is the id the official schema declares for itself.
const ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

// noLoader refuses to load anything, so compiling the schema can reach
// neither the network nor the file system: the SARIF schema is the embedded
// copy and the draft-04 metaschema is built into the library.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema tried to load %s; only the embedded copy may be used", url)
}

var (
	once     sync.Once
	compiled *jsonschema.Schema
	errSetup error
)

// Schema compiles the embedded schema as JSON Schema draft-04 with format
// assertions, once.
func Schema() (*jsonschema.Schema, error) {
	once.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			errSetup = err
			return
		}
		c := NewCompiler()
		if err := c.AddResource(ID, doc); err != nil {
			errSetup = err
			return
		}
		compiled, errSetup = c.Compile(ID)
		if errSetup == nil && compiled.DraftVersion != 4 {
			errSetup = fmt.Errorf("schema compiled as draft %d, want 4", compiled.DraftVersion)
		}
	})
	return compiled, errSetup
}

// NewCompiler returns a compiler set up like Schema's: draft-04, formats
// asserted, and no loading from anywhere.
func NewCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	c.UseLoader(noLoader{})
	return c
}

// Validate checks a SARIF document against the schema.
func Validate(data []byte) error {
	s, err := Schema()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}
