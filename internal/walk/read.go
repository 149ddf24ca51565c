package walk

import (
	"io"
	"os"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
)

// SniffSize is how much of a file over the size limit is read to decide
// whether it is an input at all, and so whether it is worth an error: a
// template's AWSTemplateFormatVersion or first resource type, and a plan's
// format_version and values, come early.
const SniffSize = 64 << 10

// ReadCandidate reads a file that may be an input, by its content: a
// template or a plan among all the YAML and JSON of a repository. A file
// that is not regular, or cannot be read, is nil and silent. A file over
// maxSize is not read: it is an error when its start looks like an input
// (looksLike), and silent otherwise, since most large YAML and JSON is
// something else. A file read is never nil, even when empty.
func ReadCandidate(name string, maxSize int64, looksLike func([]byte) bool) ([]byte, *graph.Diagnostic) {
	info, err := os.Stat(name)
	if err != nil || !info.Mode().IsRegular() {
		return nil, nil
	}
	if info.Size() > maxSize {
		if looksLike(ReadPrefix(name, SniffSize)) {
			return nil, &graph.Diagnostic{Severity: graph.DiagError, File: name,
				Message: limits.FileTooLarge(info.Size(), maxSize)}
		}
		return nil, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, nil
	}
	if b == nil {
		b = []byte{} // read, and empty: not the nil of a file not read
	}
	return b, nil
}

// ReadPrefix reads at most n bytes from the start of a file; nil when it
// cannot be read.
func ReadPrefix(name string, n int64) []byte {
	fh, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer fh.Close()
	b, _ := io.ReadAll(io.LimitReader(fh, n))
	return b
}
