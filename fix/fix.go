// Package fix applies the fixes that findings carry (rules.Fix) to the
// source files: it checks that every edit still finds the text its rule saw,
// rejects fixes whose edits overlap others, keeps to the scan root, and
// writes each changed file atomically. It also renders the changes as a
// unified diff.
package fix

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/s3lint/s3lint/rules"
)

// File is one file the fixes change.
type File struct {
	Path     string // as the findings name it
	Old, New []byte
}

// Skipped is a finding whose fix is not applied, and why.
type Skipped struct {
	Finding rules.Finding
	Reason  string
}

// Plan is what applying the fixes of a scan's findings would do.
type Plan struct {
	Files   []File          // sorted by path
	Fixed   []rules.Finding // findings whose fixes are in Files
	Skipped []Skipped
}

// plannedFile gathers the accepted edits of one file.
type plannedFile struct {
	path  string
	src   []byte
	edits []rules.Edit
	err   string // why the file cannot be changed
}

// Prepare plans the fixes of findings, in their order: a fix applies when
// every file it edits lies inside one of roots (the paths the scan was
// given), is a regular file (not a symbolic link), still holds at each edit
// the text the rule saw, and none of its edits overlaps an edit of a fix
// planned before it (an identical edit counts once). Findings without a fix
// are ignored. Nothing is written.
func Prepare(findings []rules.Finding, roots []string) *Plan {
	files := map[string]*plannedFile{}
	var realRoots []string
	for _, r := range roots {
		if abs, err := realPath(r); err == nil {
			realRoots = append(realRoots, abs)
		}
	}
	plan := &Plan{}
	for _, f := range findings {
		if f.Fix == nil || len(f.Fix.Edits) == 0 {
			continue
		}
		if reason := plan.accept(f.Fix, files, realRoots); reason != "" {
			plan.Skipped = append(plan.Skipped, Skipped{Finding: f, Reason: reason})
			continue
		}
		plan.Fixed = append(plan.Fixed, f)
	}
	paths := make([]string, 0, len(files))
	for p, pf := range files {
		if pf.err == "" && len(pf.edits) > 0 {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		pf := files[p]
		out, err := apply(pf.src, pf.edits)
		if err != nil {
			// accept has checked every edit; this cannot happen, but
			// a file is never written from a failed application.
			continue
		}
		if !bytes.Equal(out, pf.src) {
			plan.Files = append(plan.Files, File{Path: p, Old: pf.src, New: out})
		}
	}
	return plan
}

// accept adds the edits of fix to files, or returns why it cannot.
func (plan *Plan) accept(fx *rules.Fix, files map[string]*plannedFile, roots []string) string {
	var adds []struct {
		pf *plannedFile
		ed rules.Edit
	}
	for _, ed := range fx.Edits {
		pf := files[ed.Range.File]
		if pf == nil {
			pf = load(ed.Range.File, roots)
			files[ed.Range.File] = pf
		}
		if pf.err != "" {
			return pf.err
		}
		s, e := ed.Range.Start.Byte, ed.Range.End.Byte
		if s < 0 || e < s || e > len(pf.src) || string(pf.src[s:e]) != ed.Old {
			return ed.Range.File + " has changed since it was scanned"
		}
		dup := false
		for _, have := range pf.edits {
			if have == ed {
				dup = true
				break
			}
			if overlaps(have, ed) {
				return "its edit overlaps the fix of another finding; run s3lint fix again"
			}
		}
		if !dup {
			adds = append(adds, struct {
				pf *plannedFile
				ed rules.Edit
			}{pf, ed})
		}
	}
	for i, a := range adds {
		for _, b := range adds[i+1:] {
			if a.pf == b.pf && overlaps(a.ed, b.ed) {
				return "its edits overlap each other"
			}
		}
	}
	for _, a := range adds {
		a.pf.edits = append(a.pf.edits, a.ed)
	}
	return ""
}

// overlaps reports whether two edits of a file touch the same bytes. An
// insertion overlaps what starts or ends where it inserts, since the order
// of the two would be a guess.
func overlaps(a, b rules.Edit) bool {
	as, ae, bs, be := a.Range.Start.Byte, a.Range.End.Byte, b.Range.Start.Byte, b.Range.End.Byte
	switch {
	case as == ae:
		return bs <= as && as <= be
	case bs == be:
		return as <= bs && bs <= ae
	}
	return as < be && bs < ae
}

// load reads a file to fix, when it may be fixed.
func load(path string, roots []string) *plannedFile {
	pf := &plannedFile{path: path}
	info, err := os.Lstat(path)
	switch {
	case err != nil:
		pf.err = fmt.Sprintf("%s cannot be read: %v", path, err)
		return pf
	case info.Mode()&os.ModeSymlink != 0:
		pf.err = path + " is a symbolic link; s3lint fix does not rewrite it"
		return pf
	case !info.Mode().IsRegular():
		pf.err = path + " is not a regular file"
		return pf
	}
	abs, err := realPath(path)
	if err != nil || !inside(abs, roots) {
		pf.err = path + " lies outside the scan root; s3lint fix writes only inside it"
		return pf
	}
	src, err := os.ReadFile(path)
	if err != nil {
		pf.err = fmt.Sprintf("%s cannot be read: %v", path, err)
		return pf
	}
	pf.src = src
	return pf
}

// realPath is the absolute path of p with symbolic links resolved.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// inside reports whether path is one of roots or lies under one.
func inside(path string, roots []string) bool {
	for _, r := range roots {
		if path == r {
			return true
		}
		rel, err := filepath.Rel(r, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			return true
		}
	}
	return false
}

// apply makes edits (not overlapping) to src.
func apply(src []byte, edits []rules.Edit) ([]byte, error) {
	sorted := append([]rules.Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return sorted[i].Range.Start.Byte < sorted[j].Range.Start.Byte
	})
	var out bytes.Buffer
	at := 0
	for _, ed := range sorted {
		s, e := ed.Range.Start.Byte, ed.Range.End.Byte
		if s < at || e < s || e > len(src) || string(src[s:e]) != ed.Old {
			return nil, errors.New("edits overlap or do not match the file")
		}
		out.Write(src[at:s])
		out.WriteString(ed.New)
		at = e
	}
	out.Write(src[at:])
	return out.Bytes(), nil
}

// Write writes every changed file: the new text goes to a temporary file in
// the same directory, with the old file's permissions, which then replaces
// the old one, so that a file is never left half written. It stops at the
// first error.
func (plan *Plan) Write() error {
	for _, f := range plan.Files {
		if err := writeAtomic(f.Path, f.New); err != nil {
			return err
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) (err error) {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".s3lint-fix-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Chmod(info.Mode().Perm()); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
