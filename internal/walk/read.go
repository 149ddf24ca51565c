package walk

import (
	"errors"
	"fmt"
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

// ErrNotRegular is the error of reading a named pipe, a device or a
// directory as a file.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is the error of reading a file over the size limit.
type TooLargeError struct{ Size, Max int64 }

func (e *TooLargeError) Error() string { return limits.FileTooLarge(e.Size, e.Max) }

// readCloser is an open file (openFile).
type readCloser interface {
	io.Reader
	io.Closer
}

// openRegular opens a file for reading when it is a regular file, and
// returns its size. It asks what the file is through the open descriptor
// rather than by its name first (openFile), one system call fewer.
func openRegular(name string) (readCloser, int64, error) {
	fh, mode, size, err := openFile(name)
	if err != nil {
		return nil, 0, err
	}
	if !mode.IsRegular() {
		fh.Close()
		return nil, 0, fmt.Errorf("%s is %w", name, ErrNotRegular)
	}
	return fh, size, nil
}

// ReadRegular reads a regular file of at most max bytes. A file over it is
// a *TooLargeError and is not read; anything but a regular file (a named
// pipe would block the read, or never end) is ErrNotRegular.
func ReadRegular(name string, max int64) ([]byte, error) {
	fh, size, err := openRegular(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if size > max {
		return nil, &TooLargeError{Size: size, Max: max}
	}
	return readAll(fh, size)
}

// readAll reads an open file of the given size. It stops at that size
// without asking for the end, one read call fewer per file: a file that
// grows while a scan reads it is read as it was. A size of 0 may be a file
// whose size the system does not know (/proc), which is read to its end.
func readAll(fh io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size+1)
	for size == 0 || int64(len(b)) < size {
		n, err := fh.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
	return b, nil
}

// ReadCandidate reads a file that may be an input, by its content: a
// template or a plan among all the YAML and JSON of a repository. A file
// that is not regular, or cannot be read, is nil and silent. A file over
// maxSize is not read: it is an error when its start looks like an input
// (looksLike), and silent otherwise, since most large YAML and JSON is
// something else. A file read is never nil, even when empty.
func ReadCandidate(name string, maxSize int64, looksLike func([]byte) bool) ([]byte, *graph.Diagnostic) {
	fh, size, err := openRegular(name)
	if err != nil {
		return nil, nil
	}
	defer fh.Close()
	if size > maxSize {
		prefix, _ := io.ReadAll(io.LimitReader(fh, SniffSize))
		if looksLike(prefix) {
			return nil, &graph.Diagnostic{Severity: graph.DiagError, File: name,
				Message: limits.FileTooLarge(size, maxSize)}
		}
		return nil, nil
	}
	b, err := readAll(fh, size)
	if err != nil {
		return nil, nil
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
