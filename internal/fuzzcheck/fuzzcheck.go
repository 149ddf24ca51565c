// Package fuzzcheck holds the invariants the fuzz targets of the loaders
// and the policy parser share: every source range that points into a
// fuzzed file lies inside it, and loading the same input twice gives the
// same result. It walks values by reflection so that a field added to the
// graph later is checked without anyone remembering to list it.
package fuzzcheck

import (
	"fmt"
	"reflect"

	"github.com/s3lint/s3lint/graph"
)

// Sizes maps a file name, as ranges spell it, to its length in bytes.
type Sizes map[string]int

// BadRange returns a description of the first range reachable from v that
// points into one of files and does not lie inside it (a start before line
// 1 or column 1, an end before the start, an offset beyond the file), or ""
// when there is none. Ranges into other files are not checked.
func BadRange(v any, files Sizes) string {
	w := walker{files: files, seen: map[uintptr]bool{}}
	w.walk(reflect.ValueOf(v), "")
	return w.bad
}

type walker struct {
	files Sizes
	// seen breaks the cycles of the graph (a bucket's policy points back
	// at the bucket).
	seen map[uintptr]bool
	bad  string
}

var rangeType = reflect.TypeFor[graph.Range]()

func (w *walker) walk(v reflect.Value, path string) {
	if w.bad != "" || !v.IsValid() {
		return
	}
	if v.Type() == rangeType {
		r := v.Interface().(graph.Range)
		if size, ok := w.files[r.File]; ok && !inside(r, size) {
			w.bad = fmt.Sprintf("%s: range %+v outside a file of %d bytes", path, r, size)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		w.walk(v.Elem(), path)
	case reflect.Interface:
		w.walk(v.Elem(), path)
	case reflect.Struct:
		for i := range v.NumField() {
			w.walk(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			w.walk(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()))
		}
	}
}

// inside reports whether r is a well-formed span of a file of size bytes.
func inside(r graph.Range, size int) bool {
	s, e := r.Start, r.End
	switch {
	case s.Line < 1 || s.Col < 1 || s.Byte < 0:
		return false
	case s.Byte > e.Byte || e.Byte > size:
		return false
	case s.Line > e.Line || s.Line == e.Line && s.Col > e.Col:
		return false
	}
	return true
}
