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
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/s3lint/s3lint/baseline"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
	"github.com/s3lint/s3lint/internal/walk"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/cloudformation"
	"github.com/s3lint/s3lint/parsers/policyfile"
	"github.com/s3lint/s3lint/parsers/terraform"
	"github.com/s3lint/s3lint/parsers/tfplan"
	"github.com/s3lint/s3lint/policy"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/suppress"
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

	// Exclude reports files and directories to leave out: the loaders do
	// not walk into them, and findings and diagnostics in them are
	// dropped. A Terraform module in an excluded directory is still read
	// when a scanned module calls it.
	Exclude func(path string) bool
	// Severity replaces the severity of every finding of the rules it
	// names, by ID.
	Severity map[string]rules.Severity
	// KnownRule reports whether a rule ID exists (whether or not it runs),
	// for checking suppressions; nil accepts every ID.
	KnownRule func(id string) bool
	// Now is the clock that decides whether suppressions have expired;
	// nil is time.Now.
	Now func() time.Time
	// Baseline holds accepted findings, which are suppressed; BaselineName
	// is its file name, for messages.
	Baseline     *baseline.File
	BaselineName string
	// Limits bound what every loader reads: file size, nesting, instances,
	// module depth and the time per file or root module. Zero fields are
	// the defaults.
	Limits limits.Limits
	// Expectations are the declared access of .s3lint.yaml, which rule
	// S3L100 proves.
	Expectations []graph.Expectation
}

// Result is what a scan found.
type Result struct {
	Graph *graph.Graph
	// Findings are reported: not suppressed.
	Findings []rules.Finding
	// Suppressed are the findings that s3lint:ignore comments, template
	// Metadata or the baseline suppress, sorted like Findings.
	Suppressed  []rules.SuppressedFinding
	Diagnostics []graph.Diagnostic
}

// Run scans the paths.
func Run(opts Options) *Result {
	// A plan named on its own is read with the configuration beside it, so
	// that its findings can point at the .tf files.
	tfPaths := append(append([]string(nil), opts.Paths...), tfplan.ConfigDirs(opts.Paths, opts.Limits)...)
	// The loaders read different files: they run side by side, walking
	// the same directories, read from disk once.
	cache := &walk.Cache{}
	var g, cfn, plan, docs *graph.Graph
	parallel.Each(4, func(i int) {
		switch i {
		case 0:
			g = terraform.Load(terraform.Options{Paths: tfPaths, VarFiles: opts.VarFiles, Vars: opts.Vars, Exclude: opts.Exclude, Limits: opts.Limits, Cache: cache})
		case 1:
			cfn = cloudformation.Load(cloudformation.Options{Paths: opts.Paths, ParameterFiles: opts.ParameterFiles, Exclude: opts.Exclude, Limits: opts.Limits, Cache: cache})
		case 2:
			plan = tfplan.Load(tfplan.Options{Paths: opts.Paths, Exclude: opts.Exclude, Limits: opts.Limits, Cache: cache})
		case 3:
			docs = policyfile.Load(policyfile.Options{Paths: opts.Paths, Exclude: opts.Exclude, Limits: opts.Limits, Cache: cache})
		}
	})
	g.Merge(cfn)
	// A plan replaces the configuration it was made from, at its places.
	tfplan.Overlay(g, plan)
	// Stand-alone policy documents are attached to nothing: they only join
	// the list of policies, unless a configuration reads the file as the
	// document of one of its own (file(), templatefile()), which knows
	// where it is attached.
	read := documentFiles(g.Policies)
	docs.Policies = unattached(docs.Policies, read)
	docs.Diagnostics = unreported(docs.Diagnostics, read, g.Diagnostics)
	g.Merge(docs)
	g.LinkBucketsByName() // a template's policy may name a Terraform bucket
	g.LinkKeysByARN()
	g.Sort()
	g.Expectations = opts.Expectations
	res := &Result{Graph: g, Diagnostics: excludeDiagnostics(append(g.Diagnostics, policyProblems(g)...), opts.Exclude)}
	eng := policy.NewEngine(g)
	src := rules.NewSources()
	// Rules only read the graph and the engine: they run side by side, and
	// their findings are gathered in rule order.
	found := make([][]rules.Finding, len(opts.Rules))
	failed := make([]*graph.Diagnostic, len(opts.Rules))
	parallel.Each(len(opts.Rules), func(i int) { found[i], failed[i] = runRule(opts.Rules[i], g, eng, src) })
	var ruleErrors []graph.Diagnostic
	for i := range opts.Rules {
		if failed[i] != nil {
			ruleErrors = append(ruleErrors, *failed[i])
		}
		res.Findings = append(res.Findings, found[i]...)
	}
	res.Findings = excludeFindings(dedupe(res.Findings), opts.Exclude)
	for i := range res.Findings {
		if s, ok := opts.Severity[res.Findings[i].RuleID]; ok {
			res.Findings[i].Severity = s
		}
	}
	Sort(res.Findings)
	fingerprint(res.Findings, opts.SrcRoot, src)
	if len(opts.Rules) > 0 {
		// Without rules (explain, access) there is nothing to suppress.
		suppressFindings(res, opts, cache)
	}
	for _, p := range opts.Paths {
		if opts.Exclude != nil && opts.Exclude(p) {
			res.Diagnostics = append(res.Diagnostics, graph.Diagnostic{Severity: graph.DiagWarning, File: p,
				Message: "this path is excluded by the configuration's exclude patterns and is not scanned"})
		}
	}
	sortDiagnostics(res.Diagnostics)
	// Loaders that walk the same paths note the same skipped link.
	res.Diagnostics = slices.Compact(res.Diagnostics)
	res.Diagnostics = append(res.Diagnostics, ruleErrors...)
	return res
}

// unreported returns the stand-alone loader's diagnostics about files that
// no other loader read (read: the files of their policies' documents) or
// reported on (others: their diagnostics): a policy file that Terraform
// reads and finds broken is reported once, by Terraform, as that
// configuration's policy.
func unreported(diags []graph.Diagnostic, read map[string]bool, others []graph.Diagnostic) []graph.Diagnostic {
	reported := map[string]bool{}
	for _, d := range others {
		reported[d.File] = true
	}
	out := diags[:0]
	for _, d := range diags {
		theirs := read[d.File] || reported[d.File]
		if d.File == "" || !theirs || !strings.HasSuffix(strings.ToLower(d.File), ".json") {
			out = append(out, d)
		}
	}
	return out
}

// unattached returns the stand-alone documents whose file holds no
// document or statement of the other policies (read): a document that a
// Terraform policy reads is judged as that policy (a bucket policy that S3
// rejects, say), never a second time as a document on its own.
func unattached(docs []*graph.Policy, read map[string]bool) []*graph.Policy {
	out := docs[:0]
	for _, d := range docs {
		if !read[d.Range.File] {
			out = append(out, d)
		}
	}
	return out
}

// documentFiles returns the files that hold the policies' documents and
// their statements (a document read with file() is in another file than
// the resource that reads it).
func documentFiles(policies []*graph.Policy) map[string]bool {
	files := map[string]bool{}
	for _, p := range policies {
		if p.Doc == nil {
			continue
		}
		files[p.Doc.Range.File] = true
		for _, st := range p.Doc.Statements {
			files[st.Range.File] = true
		}
	}
	return files
}

// suppressFindings moves the findings that in-source suppressions and the
// baseline accept from res.Findings to res.Suppressed, and adds the
// diagnostics about suppressions. Directories are listed through the
// scan's cache, which the loaders filled.
func suppressFindings(res *Result, opts Options, cache *walk.Cache) {
	ran := map[string]bool{}
	for _, r := range opts.Rules {
		ran[r.Meta().ID] = true
	}
	kept, suppressed, diags := suppress.Apply(res.Graph, res.Findings, suppress.Options{
		Now: opts.Now, Known: opts.KnownRule, Ran: func(id string) bool { return ran[id] }, Skip: opts.Exclude,
		ReadDir: cache.ReadDir,
	})
	if opts.Baseline != nil {
		var accepted []rules.SuppressedFinding
		var stale int
		kept, accepted, stale = opts.Baseline.Filter(kept, "in the baseline "+opts.BaselineName)
		suppressed = append(suppressed, accepted...)
		if stale > 0 {
			diags = append(diags, graph.Diagnostic{Severity: graph.DiagNote, File: opts.BaselineName, Message: fmt.Sprintf(
				"%d of the baseline's findings are no longer found; s3lint baseline write %s drops them",
				stale, opts.BaselineName)})
		}
	}
	res.Findings = kept
	sort.SliceStable(suppressed, func(i, j int) bool { return less(suppressed[i].Finding, suppressed[j].Finding) })
	res.Suppressed = suppressed
	res.Diagnostics = append(res.Diagnostics, diags...)
}

// excludeFindings drops the findings in excluded files.
func excludeFindings(fs []rules.Finding, exclude func(string) bool) []rules.Finding {
	if exclude == nil {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Range.File == "" || !exclude(f.Range.File) {
			out = append(out, f)
		}
	}
	return out
}

// policyProblems are the defects of shape the policy parser found (a
// statement without an Effect, an Action that is an object …), as warnings
// at their place, once each: IAM rejects such a document, and the parts it
// cannot read are unknown to the rules.
func policyProblems(g *graph.Graph) []graph.Diagnostic {
	var out []graph.Diagnostic
	seen := map[string]bool{}
	for _, p := range g.Policies {
		if p.Doc == nil {
			continue
		}
		for _, pr := range p.Doc.Problems {
			key := pr.Range.String() + "\x00" + pr.Message
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, graph.Diagnostic{Severity: graph.DiagWarning, Range: pr.Range, File: pr.Range.File,
				Message: "policy: " + pr.Message + " (" + rejecter(p.Kind) + " rejects this document; s3lint reads the rest)"})
		}
	}
	return out
}

// rejecter names the service that refuses a malformed policy of a kind:
// S3 checks bucket and access point policies, KMS key policies, and IAM
// the rest.
func rejecter(k graph.PolicyKind) string {
	switch k {
	case graph.BucketPolicy, graph.AccessPointPolicy:
		return "S3"
	case graph.KeyPolicy:
		return "KMS"
	case graph.EndpointPolicy:
		return "Amazon VPC"
	case graph.StandalonePolicy:
		return "AWS"
	}
	return "IAM"
}

// excludeDiagnostics drops the diagnostics about excluded files.
func excludeDiagnostics(ds []graph.Diagnostic, exclude func(string) bool) []graph.Diagnostic {
	if exclude == nil {
		return ds
	}
	var out []graph.Diagnostic
	for _, d := range ds {
		file := d.Range.File
		if file == "" {
			file = d.File
		}
		if file == "" || !exclude(file) {
			out = append(out, d)
		}
	}
	return out
}

// sortDiagnostics orders diagnostics by file and position, as graph.Sort
// does.
func sortDiagnostics(ds []graph.Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		af, bf := a.File, b.File
		if a.Range.File != "" {
			af = a.Range.File
		}
		if b.Range.File != "" {
			bf = b.Range.File
		}
		if af != bf {
			return af < bf
		}
		if a.Range != b.Range {
			return a.Range.Less(b.Range)
		}
		return a.Message < b.Message
	})
}

// runRule runs one rule, turning a panic or an error into an error
// diagnostic so that one broken rule cannot take the scan down; what the rule
// found before it failed is still reported.
func runRule(r rules.Rule, g *graph.Graph, eng *policy.Engine, src *rules.Sources) (fs []rules.Finding, failed *graph.Diagnostic) {
	p := rules.NewPass(g, r.Meta()).WithEngine(eng).WithSources(src)
	defer func() {
		if v := recover(); v != nil {
			d := graph.InternalError("", "running rule "+r.Meta().ID, v)
			fs, failed = p.Findings(), &d
		}
	}()
	if err := r.Check(p); err != nil {
		failed = &graph.Diagnostic{Severity: graph.DiagError, Message: fmt.Sprintf("internal error in rule %s: %v", r.Meta().ID, err)}
	}
	return p.Findings(), failed
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
	sort.SliceStable(fs, func(i, j int) bool { return less(fs[i], fs[j]) })
}

func less(a, b rules.Finding) bool {
	if a.Range != b.Range {
		return a.Range.Less(b.Range)
	}
	if a.RuleID != b.RuleID {
		return a.RuleID < b.RuleID
	}
	return a.Message < b.Message
}

// fingerprint gives each finding an identity that survives unrelated edits:
// the rule, the file (relative to the source root), the resource, and the
// text of the offending element with whitespace collapsed — not its line
// number — plus a counter for identical twins. The files the rules read
// for fixes (src) are not read again.
func fingerprint(fs []rules.Finding, root string, src *rules.Sources) {
	cache := map[string][]byte{}
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		file := relPath(root, f.Range.File)
		b, ok := src.Read(f.Range.File)
		if !ok {
			// Past the cache's size bound, or unreadable.
			if b, ok = cache[f.Range.File]; !ok {
				b, _ = os.ReadFile(f.Range.File)
				cache[f.Range.File] = b
			}
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
