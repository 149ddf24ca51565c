package cloudformation

import (
	"path/filepath"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// reparseNesting bounds the nesting of files that ParseTemplate reads
// again after a scan loaded them under the scan's own --max-nesting, which
// may be above the default: yaml.v3's own bound, which the parsers'
// recursion survives.
const reparseNesting = 10000

// ParseTemplate reads one file the way Load does and returns its located
// node tree: every key and value keeps its exact range, and YAML short
// forms (!Ref x) read as the long form ({"Ref": "x"}). ok is false when the
// file does not parse or is not a CloudFormation template. It evaluates
// nothing; callers use it to read what the graph does not keep, such as
// resource Metadata.
func ParseTemplate(name string, b []byte) (root *graph.Node, ok bool) {
	defer func() {
		if recover() != nil {
			root, ok = nil, false
		}
	}()
	f := source.NewFile(name, b)
	ext := strings.ToLower(filepath.Ext(name))
	var err error
	switch {
	case ext == ".json":
		root, err = parseJSONTemplate(f, reparseNesting)
	case ext == ".template" && firstNonSpace(b) == '{':
		root, err = parseJSONTemplate(f, reparseNesting)
		if err != nil {
			root, _, err = parseYAMLTemplate(f, reparseNesting)
		}
	default:
		root, _, err = parseYAMLTemplate(f, reparseNesting)
	}
	if err != nil || !isTemplate(root) {
		return nil, false
	}
	return root, true
}
