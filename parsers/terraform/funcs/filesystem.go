package funcs

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// filesystemFuncs returns the path and file functions except templatefile,
// which Table adds because it needs the rest of the table. The file hashing
// functions are in crypto.go.
func filesystemFuncs(files fileAccess) map[string]function.Function {
	return map[string]function.Function{
		"abspath":    makeAbsPathFunc(files.baseDir),
		"basename":   pathFunc("Returns the last element of a path.", filepath.Base),
		"dirname":    pathFunc("Returns all but the last element of a path.", filepath.Dir),
		"pathexpand": pathExpandFunc,
		"file": makeFileFunc(files, "Reads a file as a UTF-8 string.", func(path string, data []byte) (string, error) {
			if !utf8.Valid(data) {
				return "", fmt.Errorf("contents of %s are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead", path)
			}
			return string(data), nil
		}),
		"filebase64": makeFileFunc(files, "Reads a file and returns its contents in Base64.", func(_ string, data []byte) (string, error) {
			return base64.StdEncoding.EncodeToString(data), nil
		}),
		"fileexists": makeFileExistsFunc(files),
		"fileset":    makeFileSetFunc(files),
	}
}

// pathFunc returns a string-to-string path function.
func pathFunc(desc string, f func(string) string) function.Function {
	return function.New(&function.Spec{
		Description:  desc,
		Params:       []function.Parameter{{Name: "path", Type: cty.String}},
		Type:         function.StaticReturnType(cty.String),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(f(args[0].AsString())), nil
		},
	})
}

// makeAbsPathFunc returns abspath. Terraform resolves relative paths against
// the process working directory; reading that would make results depend on
// where s3lint runs, so relative paths are resolved against baseDir when it
// is absolute and are unknown otherwise.
func makeAbsPathFunc(baseDir string) function.Function {
	return function.New(&function.Spec{
		Description:  "Converts a path to an absolute path.",
		Params:       []function.Parameter{{Name: "path", Type: cty.String}},
		Type:         function.StaticReturnType(cty.String),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			switch {
			case filepath.IsAbs(p):
			case filepath.IsAbs(baseDir):
				p = filepath.Join(baseDir, p)
			default:
				return cty.UnknownVal(cty.String), nil
			}
			return cty.StringVal(filepath.ToSlash(filepath.Clean(p))), nil
		},
	})
}

// pathExpandFunc is pathexpand. Paths starting with "~" would need the home
// directory, which s3lint does not read, so their result is unknown; other
// paths are returned unchanged, as Terraform does.
var pathExpandFunc = function.New(&function.Spec{
	Description:  "Expands a leading ~ to the current user's home directory.",
	Params:       []function.Parameter{{Name: "path", Type: cty.String}},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p := args[0].AsString()
		switch {
		case !strings.HasPrefix(p, "~"):
			return args[0], nil
		case len(p) > 1 && p[1] != '/' && p[1] != '\\':
			return cty.NilVal, errors.New("cannot expand user-specific home dir")
		default:
			return cty.UnknownVal(cty.String), nil
		}
	},
})

// pathParam is the path parameter of the file functions. It is taken marked,
// so that a sensitive path is redacted from errors, and so also unknown: cty
// drops the marks of unknown marked arguments otherwise.
func pathParam(name string) function.Parameter {
	return function.Parameter{Name: name, Type: cty.String, AllowMarked: true, AllowUnknown: true}
}

// makeFileFunc returns a function that reads the file at its path argument
// and turns the contents into a string with conv (which gets the path, quoted
// or redacted, for its error messages).
func makeFileFunc(files fileAccess, desc string, conv func(path string, data []byte) (string, error)) function.Function {
	return function.New(&function.Spec{
		Description:  desc,
		Params:       []function.Parameter{pathParam("path")},
		Type:         function.StaticReturnType(cty.String),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			pathVal, marks := args[0].Unmark()
			if !pathVal.IsKnown() {
				return cty.UnknownVal(cty.String).WithMarks(marks), nil
			}
			path := pathVal.AsString()
			data, known, err := files.load(path)
			switch {
			case err != nil:
				return cty.NilVal, function.NewArgError(0, err)
			case !known:
				return cty.UnknownVal(cty.String).WithMarks(marks), nil
			}
			s, err := conv(redacted(path, marks), data)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(s).WithMarks(marks), nil
		},
	})
}

// makeFileExistsFunc returns fileexists. Only ReadFile is available, so a
// file exists when it can be read; an error wrapping fs.ErrNotExist means it
// does not, and any other error (a directory, a path outside the scan root)
// is reported, as Terraform reports stat failures and non-regular files.
func makeFileExistsFunc(files fileAccess) function.Function {
	return function.New(&function.Spec{
		Description:  "Reports whether a file exists at the given path.",
		Params:       []function.Parameter{pathParam("path")},
		Type:         function.StaticReturnType(cty.Bool),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			pathVal, marks := args[0].Unmark()
			if !pathVal.IsKnown() {
				return cty.UnknownVal(cty.Bool).WithMarks(marks), nil
			}
			_, known, err := files.load(pathVal.AsString())
			switch {
			case !known:
				return cty.UnknownVal(cty.Bool).WithMarks(marks), nil
			case errors.Is(err, fs.ErrNotExist):
				return cty.False.WithMarks(marks), nil
			case err != nil:
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.True.WithMarks(marks), nil
		},
	})
}

// makeFileSetFunc returns fileset, which lists through Options.Glob the files
// under path matching pattern, as a set of slash-separated paths relative to
// path.
func makeFileSetFunc(files fileAccess) function.Function {
	return function.New(&function.Spec{
		Description:  "Lists the files under a directory that match a glob pattern.",
		Params:       []function.Parameter{pathParam("path"), pathParam("pattern")},
		Type:         function.StaticReturnType(cty.Set(cty.String)),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			pathVal, pathMarks := args[0].Unmark()
			patternVal, patternMarks := args[1].Unmark()
			if !pathVal.IsKnown() || !patternVal.IsKnown() || files.glob == nil {
				return cty.UnknownVal(retType).WithMarks(pathMarks, patternMarks), nil
			}
			dir, ok := files.resolve(pathVal.AsString())
			if !ok {
				return cty.UnknownVal(retType).WithMarks(pathMarks, patternMarks), nil
			}
			pattern := patternVal.AsString()
			matches, err := files.glob(dir, pattern)
			if err != nil {
				return cty.NilVal, fmt.Errorf("failed to glob pattern %s: %w", redacted(pattern, pathMarks, patternMarks), err)
			}
			var vals []cty.Value
			for _, m := range matches {
				if filepath.IsAbs(m) || strings.HasPrefix(filepath.Clean(m), dir+string(filepath.Separator)) {
					if rel, err := filepath.Rel(dir, m); err == nil {
						m = rel
					}
				}
				vals = append(vals, cty.StringVal(filepath.ToSlash(m)))
			}
			if len(vals) == 0 {
				return cty.SetValEmpty(cty.String).WithMarks(pathMarks, patternMarks), nil
			}
			return cty.SetVal(vals).WithMarks(pathMarks, patternMarks), nil
		},
	})
}
