package tfplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/s3lint/s3lint/graph"
)

// unreadable says where and why a plan or state that is valid JSON could not
// be decoded. A value of the wrong type is reported at the value, as the JSON
// path and the two kinds ("planned_values.root_module.resources.values is a
// string; Terraform writes an object there"), not as encoding/json's message
// about Go types. Other errors (an unsupported format version) are at
// format_version. skipped is the length of the byte-order mark the decoded
// text does not have.
func unreadable(root *graph.Node, skipped int, err error) (graph.Range, string) {
	at := root.Get("format_version").Range
	var ute *json.UnmarshalTypeError
	if !errors.As(err, &ute) {
		return at, err.Error()
	}
	want, _, _ := strings.Cut(ute.Value, " ") // "number 1e400" is a number
	if n := innermost(root, int(ute.Offset)+skipped); n != nil && kindName(n) == want {
		at = n.Range
	} else if n := atPath(root, strings.Split(ute.Field, "."), want); n != nil {
		// Plans decode in parts, so the offset can belong to a part.
		at = n.Range
	}
	field := ute.Field
	if field == "" {
		field = "the document"
	}
	if num, ok := strings.CutPrefix(ute.Value, "number "); ok {
		return at, fmt.Sprintf("%s is the number %s, out of range for %s", field, num, jsonKind(ute.Type))
	}
	return at, fmt.Sprintf("%s is %s; Terraform writes %s there", field, article(ute.Value), jsonKind(ute.Type))
}

// innermost is the deepest node whose text holds the byte at off-1:
// encoding/json reports the offset just after a scalar of the wrong type,
// and just after the opening bracket of an array or object.
func innermost(n *graph.Node, off int) *graph.Node {
	if n == nil || off <= n.Range.Start.Byte || off > n.Range.End.Byte {
		return nil
	}
	for _, c := range n.List {
		if m := innermost(c, off); m != nil {
			return m
		}
	}
	for _, f := range n.Fields {
		if m := innermost(f.Value, off); m != nil {
			return m
		}
	}
	return n
}

// atPath is the first node of kind want at the dotted path of object keys
// that encoding/json names, trying every element of the arrays and every
// value of the maps on the way.
func atPath(n *graph.Node, path []string, want string) *graph.Node {
	if n == nil {
		return nil
	}
	if len(path) == 0 && kindName(n) == want {
		return n
	}
	switch {
	case n.Kind == graph.KindList:
		for _, c := range n.List {
			if m := atPath(c, path, want); m != nil {
				return m
			}
		}
	case n.Kind == graph.KindObject && len(path) > 0:
		if c := n.Get(path[0]); c != nil {
			return atPath(c, path[1:], want)
		}
		// A map's keys (attribute names, module calls) are not in the path.
		for _, f := range n.Fields {
			if m := atPath(f.Value, path, want); m != nil {
				return m
			}
		}
	}
	return nil
}

// kindName names n's kind as encoding/json does.
func kindName(n *graph.Node) string {
	switch n.Kind {
	case graph.KindObject:
		return "object"
	case graph.KindList:
		return "array"
	case graph.KindString:
		return "string"
	case graph.KindNumber:
		return "number"
	case graph.KindBool:
		return "bool"
	}
	return ""
}

func article(jsonValue string) string {
	switch jsonValue {
	case "array", "object":
		return "an " + jsonValue
	case "bool":
		return "true or false"
	}
	return "a " + jsonValue
}

// jsonKind is the JSON that decodes into t.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another kind of value"
}
