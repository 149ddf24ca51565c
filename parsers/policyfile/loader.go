// Package policyfile loads IAM policy documents kept in JSON files of their
// own (policies/s3-read.json) into s3lint's neutral graph.
//
// A file is a policy document by its content: a .json file whose top-level
// object has both Version (one of IAM's two) and Statement (an object or a
// list), and none of
// the keys that make it a CloudFormation template or a Terraform plan, which
// other loaders read. Terraform JSON (.tf.json) is never one. Any other JSON
// of a repository (package.json, fixtures, data) is passed over in silence,
// and so is a file that does not parse unless what could be read of it
// already shows a policy document.
//
// Such a document is attached to nothing the scan can see, so it becomes a
// graph.Policy of kind StandalonePolicy with no bucket, principal or account:
// rules that read statements on their own (an action that does not exist,
// an object action on a bucket ARN) judge it, and rules that reason about
// who may reach which bucket never meet it.
package policyfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
	"github.com/s3lint/s3lint/internal/walk"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
	"github.com/s3lint/s3lint/policy"
)

// Type is the Entity.Type of a stand-alone policy document.
const Type = "iam-policy-document"

// Options configure a load.
type Options struct {
	// Paths are the files and directories to scan.
	Paths []string
	// Exclude reports files and directories the walk leaves out.
	Exclude func(path string) bool
	// Limits bound file sizes, nesting and the time per file; zero fields
	// are the defaults.
	Limits limits.Limits
	// Cache is the scan's cache of directory listings and real paths,
	// shared with the other loaders; nil reads from disk every time.
	Cache *walk.Cache
}

// Load finds the policy documents under the paths and returns their graph.
func Load(opts Options) *graph.Graph {
	opts.Limits = opts.Limits.WithDefaults()
	g := &graph.Graph{}
	res := walk.Walk(walk.Options{
		Paths: opts.Paths, Want: isCandidate, WantNamed: isCandidateNamed,
		SkipDirs: skipDirs, Exclude: opts.Exclude, Cache: opts.Cache,
	})
	// The Terraform loader reports the paths that cannot be read; the
	// notes about links are the same for every loader, and the scan keeps
	// one of each.
	g.Diagnostics = append(g.Diagnostics, res.Skipped...)
	graphs := make([]*graph.Graph, len(res.Files))
	parallel.Each(len(res.Files), func(i int) { graphs[i] = loadWatched(res.Files[i], opts.Limits) })
	for _, fg := range graphs {
		g.Merge(fg)
	}
	g.Sort()
	return g
}

// skipDirs are never walked: tools' caches and dependencies, as for the
// other loaders.
var skipDirs = map[string]bool{".git": true, ".terraform": true, "node_modules": true}

// isCandidate reports whether a file found in a directory may be a policy
// document: JSON, but not Terraform JSON.
func isCandidate(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".json") && !strings.HasSuffix(lower, ".tf.json")
}

// isCandidateNamed accepts a file named on the command line whatever its
// extension (its content decides), except Terraform's own files.
func isCandidateNamed(path string) bool {
	lower := strings.ToLower(filepath.Base(path))
	return !strings.HasSuffix(lower, ".tf") && !strings.HasSuffix(lower, ".tf.json")
}

// claimed are top-level keys of the JSON inputs other loaders read: a
// CloudFormation template (which may well hold Version and Statement in
// a Metadata section of a tool) and a Terraform plan or state. A policy
// document has none of them.
var claimed = []string{"AWSTemplateFormatVersion", "Resources", "Transform", "format_version"}

// bom is the byte-order mark that editors on Windows put before JSON.
var bom = []byte("\ufeff")

// mayBePolicy is the cheap test on the bytes that keeps most JSON of a
// repository from being parsed at all.
func mayBePolicy(b []byte) bool {
	return bytes.Contains(b, []byte(`"Version"`)) && bytes.Contains(b, []byte(`"Statement"`))
}

// isPolicy reports whether a parsed file is a policy document.
func isPolicy(root *graph.Node) bool {
	if root == nil || root.Kind != graph.KindObject {
		return false
	}
	// IAM knows two versions; JSON with another Version is something else
	// (or a document IAM rejects before anything is checked).
	if v := root.Get("Version"); v == nil || v.Kind != graph.KindString || v.Str != "2012-10-17" && v.Str != "2008-10-17" {
		return false
	}
	if st := root.Get("Statement"); st == nil || (st.Kind != graph.KindObject && st.Kind != graph.KindList) {
		return false
	}
	for _, k := range claimed {
		if root.Get(k) != nil {
			return false
		}
	}
	return true
}

// seemsPolicy decides about a file that cannot be parsed (it is cut short
// by the size limit, or it is not valid JSON): it is a policy document
// when the top-level keys read before the end or the first error include
// Version, and Statement with an object or a list begun, and none that
// other loaders claim. Only then is an error about it worth reporting; any
// other JSON stays silent.
func seemsPolicy(b []byte) bool {
	if !mayBePolicy(b) {
		return false
	}
	return policyKeys(topKeys(bytes.TrimPrefix(b, bom)))
}

// policyKeys reports whether top-level keys (as topKeys and skimKeys give
// them) are those of a policy document.
func policyKeys(keys map[string]byte) bool {
	if _, ok := keys["Version"]; !ok {
		return false
	}
	if st := keys["Statement"]; st != '{' && st != '[' {
		return false
	}
	for _, k := range claimed {
		if _, ok := keys[k]; ok {
			return false
		}
	}
	return true
}

// skimKeys is topKeys without validating: it skips over values by their
// brackets and quotes and builds nothing, so that a large template is
// passed over at a fraction of the cost of parsing it. For valid JSON it
// gives exactly what topKeys gives; for anything else it reads on where
// topKeys stops, which only means the file is parsed, and the parser has
// the last word.
func skimKeys(b []byte) map[string]byte {
	keys := map[string]byte{}
	i := 0
	if bytes.HasPrefix(b, bom) {
		i = len(bom)
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != '{' {
		return keys
	}
	for i++; ; i++ {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != '"' {
			return keys
		}
		end := stringEnd(b, i)
		if end < 0 {
			return keys
		}
		key := string(b[i+1 : end-1])
		if bytes.IndexByte(b[i:end], '\\') >= 0 && json.Unmarshal(b[i:end], &key) != nil {
			return keys
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return keys
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			keys[key] = 0
			return keys
		}
		switch b[i] {
		case '{', '[':
			keys[key] = b[i]
		default:
			keys[key] = 's'
		}
		if i = skipValue(b, i); i < 0 {
			return keys
		}
		if i = skipSpace(b, i); i >= len(b) || b[i] != ',' {
			return keys
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the offset just past the string that starts at b[i],
// or -1 when it does not end.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the offset just past the value that starts at b[i],
// or -1 when it does not end.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				if j = stringEnd(b, j); j < 0 {
					return -1
				}
				j-- // the loop steps past the closing quote
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j
}

// topKeys returns the keys of a top-level JSON object that can be read
// before the input ends or stops being JSON, each with how its value
// starts: '{', '[', 's' for a scalar, or 0 when it could not be read.
func topKeys(b []byte) map[string]byte {
	keys := map[string]byte{}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return keys
	}
	depth, key := 1, ""
	keyNext := true
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				if depth == 1 {
					keys[key] = byte(t)
				}
				depth++
				continue
			}
			depth--
			if depth == 1 {
				keyNext = true // a value of the top-level object ended
			}
		default:
			if depth != 1 {
				continue
			}
			if keyNext {
				key, _ = t.(string)
				keys[key] = 0
			} else {
				keys[key] = 's'
			}
			keyNext = !keyNext
		}
	}
	return keys
}

// testHookLoadFile, when set by a test, runs before each file is read,
// with the stop channel of its time limit.
var testHookLoadFile func(stop limits.Stop)

// loadWatched reads one file into a graph of its own, for at most
// FileTimeout (limits.LoadFile).
func loadWatched(name string, lim limits.Limits) *graph.Graph {
	hook := testHookLoadFile // read here: the test that set it may reset it while the work is abandoned
	return limits.LoadFile(lim.FileTimeout, name, func(stop limits.Stop) *graph.Graph {
		if hook != nil {
			hook(stop)
		}
		g := &graph.Graph{}
		loadFile(g, name, lim)
		return g
	})
}

func loadFile(g *graph.Graph, name string, lim limits.Limits) {
	defer func() {
		// A bug must cost one file, not the scan.
		if v := recover(); v != nil {
			g.Diagnostics = append(g.Diagnostics, graph.InternalError(name, "reading this policy document", v))
		}
	}()
	b, d := walk.ReadCandidate(name, lim.MaxFileSize, seemsPolicy)
	if d != nil {
		g.Diagnostics = append(g.Diagnostics, *d)
	}
	if b != nil {
		g.NoteRead(name, b)
	}
	// Templates hold policies too: their top-level keys rule them out
	// before anything is built.
	if b == nil || !mayBePolicy(b) || !policyKeys(skimKeys(b)) {
		return
	}
	f := source.NewFile(name, b)
	root, err := jsonpos.Parse(b, f.Range, jsonpos.Options{MaxDepth: lim.MaxNesting})
	if err != nil {
		if !seemsPolicy(b) {
			return
		}
		var se *jsonpos.SyntaxError
		r, msg := graph.Range{}, err.Error()
		if errors.As(err, &se) {
			r, msg = f.Range(se.Offset, se.Offset), se.Msg
			if se.TooDeep {
				g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: name, Range: r,
					Message: limits.TooDeep(lim.MaxNesting)})
				return
			}
		}
		g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{Severity: graph.DiagError, File: name, Range: r,
			Message: fmt.Sprintf("this IAM policy document is not valid JSON: %s", msg)})
		return
	}
	if !isPolicy(root) {
		return
	}
	g.Policies = append(g.Policies, &graph.Policy{
		Entity: graph.Entity{
			// The file's name, not its path: the address goes into
			// fingerprints, which must not change with the way the scan
			// path is written. The finding's file says where it is.
			Address: filepath.Base(name),
			Type:    Type,
			Format:  graph.PolicyFile,
			Range:   root.Range,
			Root:    name,
		},
		Kind:     graph.StandalonePolicy,
		Doc:      policy.Parse(root),
		DocRange: root.Range,
	})
}
