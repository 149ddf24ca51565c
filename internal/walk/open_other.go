//go:build !unix

package walk

import "os"

// openFile opens a file for reading and says what it is.
func openFile(name string) (readCloser, os.FileMode, int64, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, 0, 0, err
	}
	info, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, 0, err
	}
	return fh, info.Mode(), info.Size(), nil
}
