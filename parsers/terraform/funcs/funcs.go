// Package funcs provides Terraform's built-in function table for evaluating
// HCL expressions offline, for use as hcl.EvalContext.Functions.
//
// Most functions are the cty stdlib functions that Terraform itself uses; the
// ones Terraform implements itself (lookup, length, replace, coalesce, the file
// and hash functions, the CIDR functions, ...) are reimplemented here with
// Terraform's semantics. Functions whose result depends on the clock, on
// randomness or on the environment (timestamp, uuid, bcrypt, pathexpand, ...)
// return unknown values, so evaluation stays deterministic. Nothing in this
// package touches the network, runs programs, reads environment variables or
// reads files other than through Options.ReadFile and Options.Glob.
package funcs

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Options configures the function table.
type Options struct {
	// BaseDir is the module directory; relative paths in file functions are
	// relative to it (Terraform resolves them relative to the working
	// directory, but path.module is the usual prefix; use BaseDir for relative
	// paths).
	BaseDir string
	// ReadFile reads a file for file(), fileexists(), filebase64(),
	// templatefile(), filemd5 ... . It returns an error when the file is
	// outside the scan root or unreadable; the function then returns an error
	// diagnostic carrying that message. An error wrapping fs.ErrNotExist makes
	// fileexists() return false. If nil, file functions return unknown values.
	ReadFile func(path string) ([]byte, error)
	// CheckTemplate, if not nil, is asked before templatefile() (with the
	// file's path) and templatestring() (with no path) parse a template;
	// an error refuses it (a template nested too deeply for the parser's
	// recursion).
	CheckTemplate func(path string, src []byte) error
	// Glob lists files for fileset(); may be nil (then fileset returns
	// unknown). It receives the directory (already joined to BaseDir) and the
	// pattern, and returns the matching regular files, either relative to dir
	// or as paths under dir.
	Glob func(dir, pattern string) ([]string, error)
	// Marked, if not nil, is called whenever sensitive() marks a value
	// (the only function that adds a mark), so that a caller that strips
	// marks from results knows when there can be any to strip.
	Marked func()
}

// Mark is the type of the cty value marks this package applies and inspects.
type Mark string

const (
	// Sensitive is the mark sensitive() adds, nonsensitive() removes and
	// issensitive() tests for. Callers should mark values of variables and
	// outputs declared sensitive with it too.
	Sensitive Mark = "sensitive"
	// Ephemeral marks ephemeral values; ephemeralasnull() replaces values
	// carrying it with nulls.
	Ephemeral Mark = "ephemeral"
)

// Table returns every Terraform function by name (and the
// "provider::aws::arn_parse", "provider::aws::arn_build" and
// "provider::aws::trim_iam_role_path" provider functions).
//
// The returned map is new on each call and the caller may modify it; the
// functions available inside templates are fixed when Table is called.
func Table(opts Options) map[string]function.Function {
	files := fileAccess{baseDir: opts.BaseDir, read: opts.ReadFile, glob: opts.Glob}

	common := func() map[string]function.Function {
		t := maps.Clone(pureFuncs())
		for _, group := range []map[string]function.Function{cryptoFuncs(files), filesystemFuncs(files)} {
			for name, f := range group {
				t[name] = safe(name, f)
			}
		}
		if opts.Marked != nil {
			t["sensitive"] = safe("sensitive", makeSensitiveFunc(opts.Marked))
		}
		return t
	}
	t := common()

	// Templates may call every other function, but not the template functions
	// themselves (Terraform forbids that to keep rendering from recursing), and
	// templatestring templates may not read files either. Their tables are
	// made when a template is first rendered, from scratch so that changes
	// to t do not reach them: a table is made for every root module, and
	// few of them render templates.
	inFile := sync.OnceValue(func() map[string]function.Function {
		m := common()
		for name, params := range map[string][]function.Parameter{
			"templatefile":   templateFileParams(),
			"templatestring": templateStringParams(),
		} {
			m[name] = forbidden(params, fmt.Sprintf("cannot recursively call %s from inside another template function", name))
		}
		return m
	})
	inString := sync.OnceValue(func() map[string]function.Function {
		m := maps.Clone(inFile())
		for _, name := range fileFuncNames {
			f := m[name]
			m[name] = forbidden(f.Params(), fmt.Sprintf("cannot use filesystem access functions like %s in templatestring templates; consider passing the function result as a template variable instead", name))
		}
		return m
	})
	check := opts.CheckTemplate
	if check == nil {
		check = func(string, []byte) error { return nil }
	}
	t["templatefile"] = safe("templatefile", makeTemplateFileFunc(files, inFile, check))
	t["templatestring"] = safe("templatestring", makeTemplateStringFunc(inString, check))
	return t
}

var (
	pureOnce sync.Once
	pure     map[string]function.Function
)

// pureFuncs are the functions that read no files, wrapped by safe once for
// every table: a table is made for each root module, and wrapping is most
// of its cost.
func pureFuncs() map[string]function.Function {
	pureOnce.Do(func() {
		pure = make(map[string]function.Function, 140)
		for _, group := range []map[string]function.Function{
			numericFuncs(), stringFuncs(), collectionFuncs(), encodingFuncs(), datetimeFuncs(),
			ipnetFuncs(), typeFuncs(), awsProviderFuncs(),
		} {
			for name, f := range group {
				// try and can evaluate their argument expressions in both
				// their type and implementation functions; wrapping them
				// would add a third evaluation at every level of nesting.
				// They only call other (wrapped) functions.
				if name != "try" && name != "can" {
					f = safe(name, f)
				}
				pure[name] = f
			}
		}
	})
	return pure
}

// safe wraps f so that a panic inside it, which cty recovers into a
// function.PanicError carrying a stack trace, is reported as an ordinary
// error (see panicError). The wrapper is otherwise transparent: its
// parameters let every argument through untouched, so f itself still
// handles marks, nulls and unknowns and applies its own refinements.
func safe(name string, f function.Function) function.Function {
	params, varParam := openParams(f)
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := f.ReturnTypeForValues(args)
			return ty, recovered(name, err)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := f.Call(args)
			return v, recovered(name, err)
		},
	})
}

// openParams returns f's parameters changed to let every argument through
// as it is, for wrappers that leave the checks to f.
func openParams(f function.Function) ([]function.Parameter, *function.Parameter) {
	params := f.Params()
	for i := range params {
		open(&params[i])
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		varParam = vp
		open(varParam)
	}
	return params, varParam
}

// open makes p accept null, unknown, dynamically typed and marked values.
func open(p *function.Parameter) {
	p.AllowNull, p.AllowUnknown, p.AllowDynamicType, p.AllowMarked = true, true, true, true
}

// panicError reports a panic inside a function's implementation: always a
// bug, in this package or in cty, but one that must not stop a scan.
type panicError struct {
	function string
	value    any
}

func (e panicError) Error() string {
	return fmt.Sprintf("internal error in function %s: %v", e.function, e.value)
}

// recovered turns a function.PanicError into a panicError and returns any
// other error unchanged.
func recovered(name string, err error) error {
	var pe function.PanicError
	if errors.As(err, &pe) {
		return panicError{function: name, value: pe.Value}
	}
	return err
}

// fileFuncNames are the functions that read files.
var fileFuncNames = []string{
	"file", "fileexists", "fileset", "filebase64", "filebase64sha256",
	"filebase64sha512", "filemd5", "filesha1", "filesha256", "filesha512",
}

// forbidden returns a function with the given parameters that always fails
// with msg, even when its arguments are unknown.
func forbidden(params []function.Parameter, msg string) function.Function {
	for i := range params {
		open(&params[i])
	}
	varParam := &function.Parameter{Name: "args", Type: cty.DynamicPseudoType}
	open(varParam)
	return function.New(&function.Spec{
		Params:   params,
		VarParam: varParam,
		Type:     func([]cty.Value) (cty.Type, error) { return cty.NilType, errors.New(msg) },
		Impl:     func([]cty.Value, cty.Type) (cty.Value, error) { return cty.NilVal, errors.New(msg) },
	})
}

// refineNotNull declares that a function never returns null, so that an
// unknown result still compares unequal to null.
func refineNotNull(b *cty.RefinementBuilder) *cty.RefinementBuilder {
	return b.NotNull()
}

// redacted returns s, or a placeholder when marks says s is sensitive, for
// use in error messages.
func redacted(s string, marks ...cty.ValueMarks) string {
	for _, m := range marks {
		if m.Has(Sensitive) {
			return "(sensitive value)"
		}
	}
	return fmt.Sprintf("%q", s)
}

// fileAccess resolves and reads files for the file functions.
type fileAccess struct {
	baseDir string
	read    func(string) ([]byte, error)
	glob    func(dir, pattern string) ([]string, error)
}

// resolve makes p absolute with respect to the base directory, as Terraform
// does with its working directory. ok is false for paths starting with "~",
// which Terraform expands to the home directory: s3lint never reads the
// environment, so their contents are unknown.
func (f fileAccess) resolve(p string) (resolved string, ok bool) {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return "", false
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(f.baseDir, p)
	}
	return filepath.Clean(p), true
}

// load reads the file at p. known is false when the contents cannot be known
// (no ReadFile, or a home-relative path); err carries ReadFile's error.
func (f fileAccess) load(p string) (data []byte, known bool, err error) {
	if f.read == nil {
		return nil, false, nil
	}
	resolved, ok := f.resolve(p)
	if !ok {
		return nil, false, nil
	}
	data, err = f.read(resolved)
	if err != nil {
		return nil, true, err
	}
	return data, true, nil
}
