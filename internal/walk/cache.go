package walk

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Cache remembers, for one scan, the directories read and the real paths
// resolved. The loaders walk the same tree side by side, and the Terraform
// loader lists each module directory again for its files, its tfvars and
// the modules it calls, and resolves a module's source for every call:
// without a cache a root module's directory is read from disk eight times.
// A scan reads a snapshot: a file added while it runs may or may not be
// seen, as before. The zero Cache is ready; a nil *Cache reads every time.
type Cache struct {
	dirs  sync.Map // clean path → *listing
	paths sync.Map // path → *realPath
}

type listing struct {
	once    sync.Once
	entries []fs.DirEntry
	err     error
}

type realPath struct {
	once sync.Once
	path string
	err  error
}

// ReadDir is os.ReadDir, read from disk once per directory. The entries
// are shared: callers must not change the slice.
func (c *Cache) ReadDir(dir string) ([]fs.DirEntry, error) {
	if c == nil {
		return os.ReadDir(dir)
	}
	v, _ := c.dirs.LoadOrStore(filepath.Clean(dir), &listing{})
	l := v.(*listing)
	l.once.Do(func() { l.entries, l.err = os.ReadDir(dir) })
	return l.entries, l.err
}

// RealPath is the package's RealPath, resolved once per path.
func (c *Cache) RealPath(path string) (string, error) {
	if c == nil {
		return RealPath(path)
	}
	v, _ := c.paths.LoadOrStore(path, &realPath{})
	r := v.(*realPath)
	r.once.Do(func() { r.path, r.err = RealPath(path) })
	return r.path, r.err
}

// walkDir is filepath.WalkDir with directories listed through the cache.
func (c *Cache) walkDir(root string, fn fs.WalkDirFunc) {
	info, err := os.Lstat(root)
	if err != nil {
		_ = fn(root, nil, err)
		return
	}
	_ = c.walkFrom(root, fs.FileInfoToDirEntry(info), fn)
}

func (c *Cache) walkFrom(path string, d fs.DirEntry, fn fs.WalkDirFunc) error {
	if err := fn(path, d, nil); err != nil || !d.IsDir() {
		if errors.Is(err, filepath.SkipDir) && d.IsDir() {
			err = nil
		}
		return err
	}
	entries, err := c.ReadDir(path)
	if err != nil {
		if err = fn(path, d, err); err != nil {
			if errors.Is(err, filepath.SkipDir) {
				err = nil
			}
			return err
		}
	}
	for _, e := range entries {
		if err := c.walkFrom(filepath.Join(path, e.Name()), e, fn); err != nil {
			if errors.Is(err, filepath.SkipDir) {
				break
			}
			return err
		}
	}
	return nil
}
