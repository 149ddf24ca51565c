// Package scan runs s3lint: it loads the inputs into one graph, runs the
// rules over it, and returns deterministic, de-duplicated, fingerprinted
// findings.
package scan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/cloudformation"
	"github.com/s3lint/s3lint/parsers/terraform"
	"github.com/s3lint/s3lint/parsers/tfplan"
	"github.com/s3lint/s3lint/policy"
	"github.com/s3lint/s3lint/rules"
)

// Options configure a scan.
type Options struct {
	Paths    []string
	VarFiles []string // Terraform -var-file
	Vars     []string // Terraform -var NAME=VALUE
	// ParameterFiles give CloudFormation parameter values.
	ParameterFiles []string
	Rules          []rules.Rule
	// SrcRoot is the directory fingerprints are relative to (the
	// repository root); empty means the working directory.
	SrcRoot string
}

// Result is what a scan found.
type Result struct {
	Graph       *graph.Graph
	Findings    []rules.Finding
	Diagnostics []graph.Diagnostic
}

// Run scans the paths.
func Run(opts Options) *Result {
	// A plan named on its own is read with the configuration beside it, so
	// that its findings can point at the .tf files.
	tfPaths := append(append([]string(nil), opts.Paths...), tfplan.ConfigDirs(opts.Paths)...)
	g := terraform.Load(terraform.Options{Paths: tfPaths, VarFiles: opts.VarFiles, Vars: opts.Vars})
	g.Merge(cloudformation.Load(cloudformation.Options{Paths: opts.Paths, ParameterFiles: opts.ParameterFiles}))
	// A plan replaces the configuration it was made from, at its places.
	tfplan.Overlay(g, tfplan.Load(tfplan.Options{Paths: opts.Paths}))
	g.LinkBucketsByName() // a template's policy may name a Terraform bucket
	g.LinkKeysByARN()
	g.Sort()
	res := &Result{Graph: g, Diagnostics: g.Diagnostics}
	eng := policy.NewEngine(g)
	for _, r := range opts.Rules {
		fs, err := runRule(r, g, eng)
		if err != nil {
			res.Diagnostics = append(res.Diagnostics, graph.Diagnostic{Severity: graph.DiagError,
				Message: fmt.Sprintf("internal error in rule %s: %v", r.Meta().ID, err)})
		}
		res.Findings = append(res.Findings, fs...)
	}
	res.Findings = dedupe(res.Findings)
	Sort(res.Findings)
	fingerprint(res.Findings, opts.SrcRoot)
	return res
}

// runRule runs one rule, turning a panic into an error so that one broken
// rule cannot take the scan down.
func runRule(r rules.Rule, g *graph.Graph, eng *policy.Engine) (fs []rules.Finding, err error) {
	p := rules.NewPass(g, r.Meta()).WithEngine(eng)
	defer func() {
		if v := recover(); v != nil {
			fs, err = p.Findings(), fmt.Errorf("panic: %v\n%s", v, debug.Stack())
		}
	}()
	err = r.Check(p)
	return p.Findings(), err
}

// dedupe drops repeats: a module evaluated once per call reports the same
// defect at the same place once per call.
func dedupe(fs []rules.Finding) []rules.Finding {
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		key := f.RuleID + "\x00" + f.Range.String() + "\x00" + f.Message
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, f)
	}
	return out
}

// Sort orders findings by file, position, rule and message.
func Sort(fs []rules.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Range != b.Range {
			return a.Range.Less(b.Range)
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Message < b.Message
	})
}

// fingerprint gives each finding an identity that survives unrelated edits:
// the rule, the file (relative to the source root), the resource, and the
// text of the offending element with whitespace collapsed — not its line
// number — plus a counter for identical twins.
func fingerprint(fs []rules.Finding, root string) {
	cache := map[string][]byte{}
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		file := relPath(root, f.Range.File)
		b, ok := cache[f.Range.File]
		if !ok {
			b, _ = os.ReadFile(f.Range.File)
			cache[f.Range.File] = b
		}
		snippet := ""
		if s, e := f.Range.Start.Byte, f.Range.End.Byte; s >= 0 && e <= len(b) && s <= e {
			snippet = strings.Join(strings.Fields(string(b[s:e])), " ")
		}
		base := f.RuleID + "\x00" + file + "\x00" + f.Resource + "\x00" + snippet
		n := seen[base]
		seen[base] = n + 1
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", base, n)))
		f.Fingerprint = hex.EncodeToString(sum[:16])
	}
}

func relPath(root, file string) string {
	if root == "" {
		return filepath.ToSlash(file)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}
