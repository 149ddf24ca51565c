// Package parsefloor reads and parses the files s3lint would read, with the
// same parsers (hcl for .tf and .tfvars, yaml.v3 for YAML, encoding/json for
// JSON), and does nothing else: the physical limit for a linter built on
// these parsers. bench/floor runs it; the benchmarks compare with it.
package parsefloor

import (
	"encoding/json"
	"io/fs"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/internal/walk"
)

// Walk lists the files s3lint considers under the paths, skipping the
// directories it skips, sorted.
func Walk(paths []string) []string {
	var files []string
	for _, root := range paths {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				switch d.Name() {
				case ".git", ".terraform", "node_modules":
					if path != root {
						return filepath.SkipDir
					}
				}
				return nil
			}
			if kind(path) != "" {
				files = append(files, path)
			}
			return nil
		})
	}
	sort.Strings(files)
	return files
}

func kind(name string) string {
	switch {
	case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tfvars"):
		return "hcl"
	case strings.HasSuffix(name, ".tf.json"), strings.HasSuffix(name, ".tfvars.json"):
		return "hcljson"
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".template":
		return "yaml" // YAML is a superset of JSON
	}
	return ""
}

// Parse reads and parses one file and drops the syntax tree, as a linter
// that walks it once would. It returns the file's size and whether it
// parsed.
func Parse(name string) (int, bool) {
	// Read the way s3lint reads a file, with as few system calls.
	b, err := walk.ReadRegular(name, math.MaxInt64)
	if err != nil {
		return 0, false
	}
	switch kind(name) {
	case "hcl":
		_, diags := hclsyntax.ParseConfig(b, name, hcl.InitialPos)
		return len(b), !diags.HasErrors()
	case "hcljson":
		_, diags := hcljson.Parse(b, name)
		return len(b), !diags.HasErrors()
	case "yaml":
		var n yaml.Node
		return len(b), yaml.Unmarshal(b, &n) == nil
	default:
		var v any
		return len(b), json.Unmarshal(b, &v) == nil
	}
}
