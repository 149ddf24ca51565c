// Package walk finds the files a scan reads, and keeps the scan inside its
// roots: the files and directories named on the command line.
//
// Directories are walked without following symbolic links to directories,
// so a link loop cannot make a walk endless. A symbolic link to a file is
// read only when its target lies inside a scan root: a repository under
// review must not be able to make s3lint read /etc/passwd or a developer's
// credentials into a report. Links that lead outside, nowhere, or round in
// circles are skipped with a note.
package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// Options say what to look for.
type Options struct {
	// Paths are the scan roots: files and directories.
	Paths []string
	// Want reports whether a file found in a directory is one to read, by
	// its base name.
	Want func(name string) bool
	// WantNamed reports whether a file named in Paths is one to read; nil
	// means Want on its base name.
	WantNamed func(path string) bool
	// SkipDirs are directory names never entered (caches, dependencies).
	SkipDirs map[string]bool
	// Exclude reports the paths the configuration leaves out.
	Exclude func(path string) bool
	// Cache is the scan's cache of directories and real paths; nil reads
	// from disk every time.
	Cache *Cache
}

// Result is what a walk found.
type Result struct {
	// Files are slash-separated, clean and sorted, each once.
	Files []string
	// Roots are the scan roots as absolute paths with links resolved: the
	// directories named, and the directories of the files named.
	Roots Roots
	// Unreadable are the paths named in Options.Paths that do not exist or
	// cannot be read, and directories the walk could not enter, as errors.
	Unreadable []graph.Diagnostic
	// Skipped are notes about symbolic links that were not followed.
	Skipped []graph.Diagnostic
}

// Walk finds the files under o.Paths.
func Walk(o Options) Result {
	var res Result
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.ToSlash(filepath.Clean(p))
		if !seen[p] {
			seen[p] = true
			res.Files = append(res.Files, p)
		}
	}
	excluded := func(p string) bool { return o.Exclude != nil && o.Exclude(p) }
	wantNamed := o.WantNamed
	if wantNamed == nil {
		wantNamed = func(p string) bool { return o.Want(filepath.Base(p)) }
	}
	type named struct {
		path string
		dir  bool
	}
	var walks []named
	res.Roots.cache = o.Cache
	for _, p := range o.Paths {
		if excluded(p) {
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			res.Unreadable = append(res.Unreadable, graph.Diagnostic{Severity: graph.DiagError, File: filepath.ToSlash(p),
				Message: "cannot read: " + reason(err)})
			continue
		}
		root := p
		if !info.IsDir() {
			root = filepath.Dir(p)
		}
		if abs, err := o.Cache.RealPath(root); err == nil {
			res.Roots.Paths = append(res.Roots.Paths, abs)
		}
		walks = append(walks, named{p, info.IsDir()})
	}
	// Every root is known before any link is judged: a link in one named
	// directory may point into another.
	for _, w := range walks {
		if !w.dir {
			// A file named on the command line is read, link or not: the
			// user chose it.
			if wantNamed(w.path) {
				add(w.path)
			}
			continue
		}
		o.Cache.walkDir(w.path, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				res.Unreadable = append(res.Unreadable, graph.Diagnostic{Severity: graph.DiagError, File: filepath.ToSlash(path),
					Message: "cannot read: " + reason(err)})
				return nil
			}
			if d.IsDir() {
				if path != w.path && (o.SkipDirs[d.Name()] || excluded(path)) {
					return filepath.SkipDir
				}
				return nil
			}
			if !o.Want(d.Name()) || excluded(path) {
				return nil
			}
			switch {
			case d.Type().IsRegular():
				add(path)
			case d.Type()&fs.ModeSymlink != 0:
				if note := res.Roots.LinkProblem(path); note != "" {
					res.Skipped = append(res.Skipped, graph.Diagnostic{Severity: graph.DiagNote, File: filepath.ToSlash(path), Message: note})
				} else {
					add(path)
				}
			}
			return nil
		})
	}
	sort.Strings(res.Files)
	return res
}

// Roots are scan roots.
type Roots struct {
	// Paths are absolute, with symbolic links resolved.
	Paths []string
	cache *Cache
}

// Contains reports whether path, with its symbolic links resolved, lies
// inside one of the roots.
func (rs Roots) Contains(path string) bool {
	real, err := rs.cache.RealPath(path)
	if err != nil {
		return false
	}
	for _, r := range rs.Paths {
		if rel, err := filepath.Rel(r, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// LinkProblem says why the symbolic link path to a file must not be read,
// or "" when it may be: its target is a regular file inside the roots.
func (rs Roots) LinkProblem(path string) string {
	info, err := os.Stat(path)
	if err != nil {
		return "symbolic link that cannot be followed (" + reason(err) + "); not read"
	}
	target, err := os.Readlink(path)
	if err != nil {
		return "symbolic link that cannot be read (" + reason(err) + "); not read"
	}
	target = filepath.ToSlash(target)
	if !info.Mode().IsRegular() {
		return fmt.Sprintf("symbolic link to %s, which is not a file; not read", target)
	}
	if !rs.Contains(path) {
		return fmt.Sprintf("symbolic link to %s, outside the scan root; not read", target)
	}
	return ""
}

// RealPath is the absolute path with symbolic links resolved; for a path
// that does not exist (yet), the absolute path as written.
func RealPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	return abs, nil
}

// reason is an error without the path that the diagnostic names already.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
