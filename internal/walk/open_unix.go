//go:build unix

package walk

import (
	"io"
	"os"
	"syscall"
)

// openFile opens a file for reading and says what it is, in two system
// calls: open and fstat. The open does not wait, so that a named pipe
// cannot hang it; the descriptor is read with plain read calls, since an
// *os.File would first try to register it with the runtime's poller (an
// epoll_ctl that fails for every regular file). A scan opens tens of
// thousands of files, and on a virtual machine each call costs
// microseconds.
func openFile(name string) (readCloser, os.FileMode, int64, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, 0, &os.PathError{Op: "open", Path: name, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, 0, 0, &os.PathError{Op: "stat", Path: name, Err: err}
	}
	mode := os.FileMode(0)
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		mode = os.ModeIrregular
	}
	return descriptor(fd), mode, st.Size, nil
}

// descriptor is an open file's descriptor, read directly.
type descriptor int

func (d descriptor) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(int(d), b)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (d descriptor) Close() error { return syscall.Close(int(d)) }
