// Package baseline records the findings a repository has accepted, so that
// a scan reports only new ones.
//
// A baseline is a JSON file written by "s3lint baseline write FILE":
//
//	{
//	  "version": 1,
//	  "tool": "s3lint",
//	  "findings": [
//	    {
//	      "fingerprint": "3f1c…",
//	      "rule": "S3L010",
//	      "file": "envs/prod/main.tf",
//	      "resource": "aws_iam_policy.reader",
//	      "message": "s3:GetObject acts on objects but …"
//	    }
//	  ]
//	}
//
// Findings match entries by fingerprint alone (see rules.Finding), which
// does not change when lines are added above a finding or other files
// change; rule, file, resource and message are there for people reading
// the file and reviewing its diffs. Entries are sorted by file, rule,
// resource and fingerprint and hold no line numbers, so the file changes
// only when findings come or go.
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/rules"
)

// Version is the version of the file format.
const Version = 1

// File is a baseline.
type File struct {
	Version  int     `json:"version"`
	Tool     string  `json:"tool"`
	Findings []Entry `json:"findings"`
}

// Entry is one accepted finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	// File is relative to the root the fingerprints are computed from (the
	// repository root), with forward slashes.
	File     string `json:"file"`
	Resource string `json:"resource,omitempty"`
	Message  string `json:"message"`
}

// New makes a baseline of findings; root is the directory that file names
// are made relative to (the source root of the scan).
func New(fs []rules.Finding, root string) *File {
	b := &File{Version: Version, Tool: "s3lint", Findings: []Entry{}}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Fingerprint == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, Entry{
			Fingerprint: f.Fingerprint,
			Rule:        f.RuleID,
			File:        relPath(root, f.Range.File),
			Resource:    f.Resource,
			Message:     f.Message,
		})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		switch {
		case x.File != y.File:
			return x.File < y.File
		case x.Rule != y.Rule:
			return x.Rule < y.Rule
		case x.Resource != y.Resource:
			return x.Resource < y.Resource
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// Write writes b as indented JSON ending in a newline.
func (b *File) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// WriteFile writes b to the file at name, replacing it.
func (b *File) WriteFile(name string) error {
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return err
	}
	return os.WriteFile(name, buf.Bytes(), 0o644)
}

// Read reads a baseline file. Errors name the file and, for malformed
// JSON, the line and column.
func Read(name string) (*File, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the baseline: %w", name, errors.Unwrap(err))
	}
	var b File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: not a baseline: %s", position(name, data, err), strings.TrimPrefix(err.Error(), "json: "))
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d is not supported (want %d); write it again with s3lint baseline write", name, b.Version, Version)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: finding %d has no fingerprint", name, i+1)
		}
	}
	return &b, nil
}

// position returns "name:line:col" for a JSON error with an offset.
func position(name string, data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	// The offset is just past the offending byte or value.
	off--
	if off < 0 || off > int64(len(data)) {
		return name
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}

// Filter splits findings into those not in the baseline and those in it;
// the suppressed ones carry justification. stale counts the entries that
// matched no finding: fixed, or changed beyond recognition.
func (b *File) Filter(fs []rules.Finding, justification string) (kept []rules.Finding, suppressed []rules.SuppressedFinding, stale int) {
	accepted := make(map[string]bool, len(b.Findings))
	for _, e := range b.Findings {
		accepted[e.Fingerprint] = true
	}
	used := map[string]bool{}
	for _, f := range fs {
		if f.Fingerprint != "" && accepted[f.Fingerprint] {
			used[f.Fingerprint] = true
			suppressed = append(suppressed, rules.SuppressedFinding{Finding: f,
				Suppression: rules.Suppression{Kind: rules.External, Justification: justification}})
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed, len(accepted) - len(used)
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
