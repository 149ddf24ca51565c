package rules

import (
	"os"
	"sync"

	"github.com/s3lint/s3lint/graph"
)

// Fix is the repair of a finding that is mechanical and certain: applying
// its edits removes the finding and makes no other. Rules attach one only
// when they can show that from the source text itself (see the s3lint fix
// command and package fix, which apply them).
type Fix struct {
	Description string // what the edits do, for people: "add \"arn:aws:s3:::b/*\" to the Resource"
	Edits       []Edit // in one or more files, not overlapping
}

// Edit replaces the bytes of Range (Start.Byte up to End.Byte, in
// Range.File) with New. An empty range inserts New at its start. Old is the
// text the rule saw there: an edit applies only to a file that still holds
// it.
type Edit struct {
	Range graph.Range
	Old   string
	New   string
}

// maxSourceSize bounds the files read for fixes; the loaders have read them
// within --max-file-size already, so this only guards against a file that
// grew since.
const maxSourceSize = 64 << 20

// Sources reads the files that findings point into, once each, for rules
// that build fixes from the source text. It is safe for concurrent use.
type Sources struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewSources returns an empty cache of source files.
func NewSources() *Sources { return &Sources{files: map[string][]byte{}} }

// Read returns the text of file; ok is false when it cannot be read.
func (s *Sources) Read(file string) (text []byte, ok bool) {
	if s == nil || file == "" {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, seen := s.files[file]; seen {
		return b, b != nil
	}
	var b []byte
	if info, err := os.Stat(file); err == nil && info.Mode().IsRegular() && info.Size() <= maxSourceSize {
		if data, err := os.ReadFile(file); err == nil {
			b = data
		}
	}
	s.files[file] = b
	return b, b != nil
}

// WithSources lets the pass's rules read source files to build fixes.
// Without it no finding carries a fix.
func (p *Pass) WithSources(s *Sources) *Pass {
	p.sources = s
	return p
}

// source returns the text of file, when the pass may read sources.
func (p *Pass) source(file string) ([]byte, bool) { return p.sources.Read(file) }
