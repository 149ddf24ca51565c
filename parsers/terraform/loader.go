// Package terraform loads Terraform configurations (.tf and .tf.json) into
// s3lint's neutral graph. It evaluates them the way Terraform would, as far
// as values are knowable offline: variables (defaults, tfvars, --var-file,
// --var), locals, references between resources and data sources, count and
// for_each, local module calls with their inputs and outputs, dynamic
// blocks, and Terraform's functions. Anything else is unknown, and unknown
// values never produce findings.
//
// It never fetches registry or git modules, never runs anything, and never
// reads outside the scan roots. Override files (override.tf, *_override.tf)
// are not applied.
package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
	"github.com/s3lint/s3lint/internal/walk"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/internal/source"
	"github.com/s3lint/s3lint/parsers/terraform/funcs"
)

// Options configure a load.
type Options struct {
	// Paths are the files and directories to scan. A file stands for its
	// whole module directory.
	Paths []string
	// VarFiles are extra tfvars files (like terraform -var-file), applied to
	// every root module after its auto-loaded files.
	VarFiles []string
	// Vars are name=value assignments (like terraform -var), applied last.
	Vars []string
	// Limits bound file sizes, nesting, instances, module depth and the
	// time per root module; zero fields are the defaults.
	Limits limits.Limits
	// Cache is the scan's cache of directory listings and real paths,
	// shared with the other loaders; nil reads from disk every time.
	Cache *walk.Cache
	// Exclude reports files and directories the walk leaves out. A module
	// in an excluded directory is still read when a scanned module calls
	// it.
	Exclude func(path string) bool
}

type loader struct {
	opts  Options
	roots walk.Roots // nothing outside is read
	// shared holds the modules that roots call, parsed once for all the
	// workers that evaluate roots, and the bytes the prescan read.
	shared  *sharedModules
	files   map[string]*source.File
	parsed  map[string]*hcl.File    // nil for files that could not be read or parsed
	virtual map[string]*virtualFile // templates unescaped from .tf.json strings
	// blocks maps the start of each native block header to the whole
	// block, for blocks that reach us through dynblock, which hides the
	// syntax (and so the block's extent).
	blocks  map[string]*blockIndex
	modules map[string]*module // by directory
	dirs    []string           // module directories found by walking, sorted
	funcs   map[string]map[string]function.Function
	diags   []graph.Diagnostic
	noted   map[string]bool
	used    map[string]bool // module directories evaluated at least once
	// unreadable are the files read by file() or templatefile() that could
	// not be read again to locate a policy in them (see policyFile).
	unreadable map[string]bool
	// tmplFuncs are the function tables of template files, by root
	// module directory.
	tmplFuncs map[string]map[string]function.Function
	// decoded memoizes decodedNode: each step into a jsondecode result
	// would parse its text again.
	decoded map[decodedKey]*graph.Node
	// marked is set when sensitive() has marked a value in this loader's
	// evaluations; until then no value has marks to strip (clean).
	marked bool
	// stop is closed when the root module being evaluated runs out of
	// time: the evaluation's loops then give up early.
	stop limits.Stop
	g    *graph.Graph
}

// sharedModules are the modules that root modules call. Each is read and
// parsed once, by the first worker that needs it, and then shared: a
// module called by a hundred roots costs one parse. A root module's own
// files are read by its worker and dropped with it, so that memory holds
// the shared modules and the roots in progress, not the whole repository.
type sharedModules struct {
	rootDirs map[string]bool // read-only: directories evaluated as roots
	dirs     sync.Map        // directory → *sharedDir
	files    sync.Map        // file name → *sharedFile
	// preparsed holds the bytes of the files that moduleCalls read, until
	// their module is read.
	preparsed sync.Map // file name → []byte
	// mentions are graph.Graph.Mentions of the files read, on any core.
	mentions sync.Map // file name → bool
	// manifests are the modules terraform init installed, by root module.
	manifests sync.Map // root directory → *moduleManifest
	// workDir is the working directory, read once: names shown relative to
	// it are asked for per resource, and os.Getwd costs two stat calls.
	workDir string
}

// noteRead records a file read (graph.Graph.NoteRead), from any worker.
func (s *sharedModules) noteRead(name string, b []byte) {
	if graph.Mentioned(b) {
		s.mentions.Store(name, true)
	} else {
		s.mentions.LoadOrStore(name, false)
	}
}

type sharedDir struct {
	once sync.Once
	mod  *module
}

type sharedFile struct {
	src    *source.File
	parsed *hcl.File
	blocks *blockIndex
}

func newLoader(opts Options, shared *sharedModules) *loader {
	return &loader{
		opts: opts, shared: shared, files: map[string]*source.File{}, virtual: map[string]*virtualFile{}, parsed: map[string]*hcl.File{}, blocks: map[string]*blockIndex{},
		modules: map[string]*module{}, funcs: map[string]map[string]function.Function{},
		noted: map[string]bool{}, used: map[string]bool{}, g: &graph.Graph{},
		unreadable: map[string]bool{}, tmplFuncs: map[string]map[string]function.Function{}, decoded: map[decodedKey]*graph.Node{},
	}
}

// Load walks the paths and returns the graph of every module found.
func Load(opts Options) *graph.Graph {
	opts.Limits = opts.Limits.WithDefaults()
	wd, _ := os.Getwd()
	l := newLoader(opts, &sharedModules{workDir: wd})
	l.walk()
	called := map[string]bool{}
	for _, targets := range l.moduleCalls() {
		for _, t := range targets {
			called[t] = true
		}
	}
	// Roots first; then any module that no root reached (called only from
	// modules outside the scan, disabled calls, cycles) on its own.
	var roots []string
	rootDirs := map[string]bool{}
	for _, dir := range l.dirs {
		if !called[dir] {
			roots = append(roots, dir)
			rootDirs[dir] = true
		}
	}
	l.shared.rootDirs = rootDirs
	l.evalRoots(roots)
	// These are few, and one may reach the next: one at a time.
	for _, dir := range l.dirs {
		if !l.used[dir] {
			l.evalRoots([]string{dir})
		}
	}
	l.g.LinkBucketsByName()
	l.g.Diagnostics = append(l.g.Diagnostics, l.diags...)
	l.g.Sort()
	l.shared.mentions.Range(func(name, mentions any) bool {
		if l.g.Mentions == nil {
			l.g.Mentions = map[string]bool{}
		}
		l.g.Mentions[name.(string)] = mentions.(bool)
		return true
	})
	return l.g
}

// evalRoots evaluates root modules on every core, each in a worker of its
// own, and merges the workers' graphs and diagnostics in the order of dirs.
func (l *loader) evalRoots(dirs []string) {
	workers := make([]*loader, len(dirs))
	parallel.Each(len(dirs), func(i int) { workers[i] = l.evalRootWatched(dirs[i]) })
	for _, w := range workers {
		l.g.Merge(w.g)
		for _, d := range w.diags {
			// Two roots that call one module report its problems twice.
			key := d.Severity.String() + d.File + d.Range.String() + d.Message
			if !l.noted[key] {
				l.noted[key] = true
				l.diags = append(l.diags, d)
			}
		}
		for dir := range w.used {
			l.used[dir] = true
		}
	}
}

// testHookEvalRoot, when set by a test, runs before each root module is
// evaluated, with the stop channel of its time limit.
var testHookEvalRoot func(stop limits.Stop)

// evalRootWatched evaluates a root module (with the modules it calls) in a
// worker of its own, for at most FileTimeout. It returns what the worker
// found, or, when the time runs out, only the timeout error: the worker
// goes on until it notices, into state that no one reads.
func (l *loader) evalRootWatched(dir string) *loader {
	hook := testHookEvalRoot // read here: the test that set it may reset it while the work is abandoned
	var done *loader
	timedOut := limits.Watch(l.opts.Limits.FileTimeout, func(stop limits.Stop) {
		w := l.worker()
		w.stop = stop
		defer func() {
			// A bug must cost one root module, not the scan (and a panic
			// on a worker goroutine would end the process).
			if v := recover(); v != nil {
				w.diags = append(w.diags, graph.InternalError(filepath.ToSlash(dir), "evaluating this module", v))
			}
			done = &loader{g: w.g, diags: w.diags, used: w.used} // the rest is garbage now
		}()
		if hook != nil {
			hook(stop)
		}
		w.evalRoot(dir)
	})
	if !timedOut {
		return done
	}
	// The root counts as evaluated, so it is not evaluated again on its
	// own; the modules it calls are, with unknown inputs.
	return &loader{g: &graph.Graph{}, used: map[string]bool{dir: true}, diags: []graph.Diagnostic{{
		Severity: graph.DiagError, File: filepath.ToSlash(dir), Message: limits.TimedOut(l.opts.Limits.FileTimeout),
	}}}
}

// worker is a loader that evaluates root modules, sharing l's modules.
func (l *loader) worker() *loader {
	w := newLoader(l.opts, l.shared)
	w.roots, w.dirs = l.roots, l.dirs
	return w
}

// moduleCalls finds, on every core, the local modules that each walked
// directory calls, so that roots can be told from modules before anything
// is evaluated. Only files that may hold a module block are looked at, by a
// scan of their bytes (parsed only when the scan leaves a doubt); the bytes
// of every file read are kept for the evaluation.
func (l *loader) moduleCalls() [][]string {
	out := make([][]string, len(l.dirs))
	parallel.Each(len(l.dirs), func(i int) {
		dir := l.dirs[i]
		entries, err := l.opts.Cache.ReadDir(dir)
		if err != nil {
			return
		}
		var sources []string
		var files []*hcl.File
		for _, e := range entries {
			if e.IsDir() || !isConfigFile(e.Name()) {
				continue
			}
			name := filepath.ToSlash(filepath.Join(dir, e.Name()))
			b, err := readBounded(name, l.opts.Limits.MaxFileSize)
			if err != nil {
				continue // reported when the module is read
			}
			l.shared.noteRead(name, b)
			// Kept for the evaluation, which would read it again. Its
			// syntax is not: parsing it again when its root is evaluated
			// costs less than the collector's walking every root's syntax
			// until then.
			l.shared.preparsed.Store(name, b)
			if !mayCallModules(b) {
				continue
			}
			if !strings.HasSuffix(name, ".json") {
				if found, ok := moduleSources(b); ok {
					sources = append(sources, found...)
					continue
				}
			}
			if f := parseBytes(name, b, l.opts.Limits.MaxNesting).file; f != nil {
				files = append(files, f)
			}
		}
		if len(files) > 0 {
			m, _ := buildModule(dir, files)
			for _, c := range m.callOrder {
				sources = append(sources, c.source)
			}
		}
		for _, source := range sources {
			if target, local := moduleSource(dir, source); local && target != dir {
				out[i] = append(out[i], target)
			}
		}
	})
	return out
}

// mayCallModules reports whether a file's text may hold a module block: a
// line that starts with the word module, or a JSON "module" key.
func mayCallModules(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("module"))
		if j < 0 {
			return false
		}
		j += i
		if j > 0 && b[j-1] == '"' {
			return true
		}
		k := j - 1
		for k >= 0 && (b[k] == ' ' || b[k] == '\t') {
			k--
		}
		if k < 0 || b[k] == '\n' {
			return true
		}
		i = j + len("module")
	}
}

// parse parses a file from the bytes moduleCalls read, or reads it.
func (l *loader) parse(name string) parsedFile {
	if b, ok := l.shared.preparsed.LoadAndDelete(name); ok {
		return parseBytes(name, b.([]byte), l.opts.Limits.MaxNesting)
	}
	pf := parseOne(name, l.opts.Limits)
	if pf.src != nil {
		l.shared.noteRead(name, pf.src.Bytes)
	}
	return pf
}

// file, parsedFile and blockIndex look a file up among the loader's own
// and then among the shared modules'.
func (l *loader) file(name string) *source.File {
	if f := l.files[name]; f != nil {
		return f
	}
	if sf, ok := l.shared.files.Load(name); ok {
		return sf.(*sharedFile).src
	}
	return nil
}

func (l *loader) parsedFile(name string) (*hcl.File, bool) {
	if f, ok := l.parsed[name]; ok {
		return f, ok
	}
	if sf, ok := l.shared.files.Load(name); ok {
		return sf.(*sharedFile).parsed, true
	}
	return nil, false
}

func (l *loader) blockIndex(name string) *blockIndex {
	if b := l.blocks[name]; b != nil {
		return b
	}
	if sf, ok := l.shared.files.Load(name); ok {
		return sf.(*sharedFile).blocks
	}
	return nil
}

// walk finds the module directories under the scan paths.
func (l *loader) walk() {
	res := walk.Walk(walk.Options{
		Paths: l.opts.Paths, Want: isConfigFile, SkipDirs: skipDirs, Exclude: l.opts.Exclude, Cache: l.opts.Cache,
	})
	// The loaders of templates and plans walk the same paths: this one
	// reports the paths that cannot be read.
	l.diags = append(l.diags, res.Unreadable...)
	l.diags = append(l.diags, res.Skipped...)
	l.roots = res.Roots
	seen := map[string]bool{}
	for _, f := range res.Files {
		if dir := path.Dir(f); !seen[dir] {
			seen[dir] = true
			l.dirs = append(l.dirs, dir)
		}
	}
	sort.Strings(l.dirs)
}

// skipDirs are never walked: Terraform's cache and version control.
var skipDirs = map[string]bool{".terraform": true, ".git": true}

func isConfigFile(name string) bool {
	return (strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")) && !isOverrideFile(filepath.Base(name))
}

// inRoots reports whether a path lies inside one of the scan roots, after
// following symbolic links: a link inside the root that points outside it
// does not make the outside readable.
func (l *loader) inRoots(path string) bool { return l.roots.Contains(path) }

// moduleAt parses the module in dir, once: once per worker for the
// worker's own root, once for all workers for a shared module.
func (l *loader) moduleAt(dir string) *module {
	if m, ok := l.modules[dir]; ok {
		return m
	}
	if !l.shared.rootDirs[dir] {
		v, _ := l.shared.dirs.LoadOrStore(dir, &sharedDir{})
		sd := v.(*sharedDir)
		// Its problems are reported by the worker that reads it.
		sd.once.Do(func() { sd.mod = l.readModule(dir, true) })
		l.modules[dir] = sd.mod
		return sd.mod
	}
	l.modules[dir] = nil // a cycle through a parse finds nothing
	m := l.readModule(dir, false)
	l.modules[dir] = m
	return m
}

// readModule reads and parses the configuration files of dir, into the
// shared modules or the loader's own maps.
func (l *loader) readModule(dir string, shared bool) *module {
	entries, err := l.opts.Cache.ReadDir(dir)
	if err != nil {
		l.errorf(dir, "cannot read module: %v", err)
		return nil
	}
	var files []*hcl.File
	for _, e := range entries {
		if e.IsDir() || !isConfigFile(e.Name()) {
			continue
		}
		name := filepath.ToSlash(filepath.Join(dir, e.Name()))
		if e.Type()&fs.ModeSymlink != 0 && l.roots.LinkProblem(name) != "" {
			continue // the walk has noted it
		}
		var f *hcl.File
		if shared {
			f = l.storeShared(l.parse(name))
		} else {
			f = l.parseFile(name)
		}
		if f != nil {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil
	}
	m, diags := buildModule(dir, files)
	l.addHCLDiags(diags)
	return m
}

// storeShared makes a parsed file of a shared module known to every
// worker, and reports its errors.
func (l *loader) storeShared(pf parsedFile) *hcl.File {
	if pf.internal != nil {
		l.diags = append(l.diags, *pf.internal)
		return nil
	}
	if pf.err != nil {
		l.readFailed(pf)
		return nil
	}
	l.shared.files.Store(pf.name, &sharedFile{src: pf.src, parsed: pf.file, blocks: pf.blocks})
	l.addHCLDiags(pf.diags)
	return pf.file
}

// parseFile parses one configuration file; syntax errors are reported and
// what could be parsed is still used.
func (l *loader) parseFile(name string) *hcl.File {
	if f, seen := l.parsedFile(name); seen {
		// tfvars given with --var-file are read for every root module;
		// read and report them once.
		return f
	}
	return l.store(l.parse(name))
}

// parsedFile is one file read and parsed, not yet known to the loader.
type parsedFile struct {
	name   string
	src    *source.File
	file   *hcl.File
	diags  hcl.Diagnostics
	blocks *blockIndex // see loader.blocks
	err    error
	// internal is a panic of the parser, reported instead of the file.
	internal *graph.Diagnostic
}

// parseOne reads and parses a file. It touches no loader state, so that
// files can be parsed in parallel.
func parseOne(name string, lim limits.Limits) parsedFile {
	b, err := readBounded(name, lim.MaxFileSize)
	if err != nil {
		return parsedFile{name: name, err: err}
	}
	return parseBytes(name, b, lim.MaxNesting)
}

// limitError is a file that a limit kept from being read or parsed.
type limitError struct {
	msg string
	at  int // byte offset of the first token past the limit, or -1
}

func (e *limitError) Error() string { return e.msg }

// readBounded reads a regular file unless it is larger than max bytes, which
// it finds out before reading.
func readBounded(name string, max int64) ([]byte, error) {
	b, err := walk.ReadRegular(name, max)
	var tooLarge *walk.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, &limitError{msg: tooLarge.Error(), at: -1}
	}
	return b, err
}

// readFailed reports a file that could not be read or parsed: a limit's
// message as it is, at its place when it has one.
func (l *loader) readFailed(pf parsedFile) {
	var le *limitError
	if !errors.As(pf.err, &le) {
		l.errorf(pf.name, "cannot read: %v", pf.err)
		return
	}
	d := graph.Diagnostic{Severity: graph.DiagError, File: pf.name, Message: le.msg}
	if le.at >= 0 && pf.src != nil {
		d.Range = pf.src.Range(le.at, le.at)
	}
	l.diags = append(l.diags, d)
}

// parseBytes parses the text of a file, unless it nests deeper than
// maxNesting; a panic in the parser costs this file only.
func parseBytes(name string, b []byte, maxNesting int) (pf parsedFile) {
	pf.name = name
	defer func() {
		if v := recover(); v != nil {
			d := graph.InternalError(name, "parsing this file", v)
			pf = parsedFile{name: name, internal: &d}
		}
	}()
	pf.src = source.NewFile(name, b)
	if i := bytes.IndexByte(b, 0); i >= 0 {
		pf.diags = hcl.Diagnostics{binaryFile(pf.src, name, i)}
		return pf
	}
	// .tf.json lexes as HCL too: its brackets are HCL's, and the
	// templates in its strings are lexed as the JSON parser will parse
	// them.
	if at := nestingOffset(b, false, maxNesting); at >= 0 {
		pf.err = &limitError{msg: limits.TooDeep(maxNesting), at: at}
		return pf
	}
	if strings.HasSuffix(name, ".json") {
		pf.file, pf.diags = hcljson.Parse(blankBOM(b), name)
		if !utf8.Valid(b) {
			// HCL's JSON parser takes invalid UTF-8 as it comes (its
			// native syntax reports it); Terraform refuses the file.
			pf.diags = append(pf.diags, invalidUTF8(pf.src, name, b))
		}
	} else {
		pf.file, pf.diags = hclsyntax.ParseConfig(b, name, hcl.InitialPos)
	}
	if pf.file == nil || pf.file.Body == nil {
		pf.file = nil
		return pf
	}
	if sb, ok := pf.file.Body.(*hclsyntax.Body); ok {
		pf.blocks = &blockIndex{body: sb}
	}
	return pf
}

// blankBOM replaces a leading byte-order mark with spaces, which HCL's JSON
// parser (unlike its native one) does not accept; byte offsets, from which
// positions are computed, stay the same.
func blankBOM(b []byte) []byte {
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		return b
	}
	c := bytes.Clone(b)
	copy(c, "   ")
	return c
}

// binaryFile is the one error for a file with a NUL byte at off: no
// Terraform file holds one, so it is binary (an image or an archive under a
// Terraform name) or damaged, and a character-by-character list of what
// HCL cannot read would say nothing more.
func binaryFile(src *source.File, name string, off int) *hcl.Diagnostic {
	p := src.Pos(off)
	at := hcl.Pos{Line: p.Line, Column: p.Col, Byte: p.Byte}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Binary file",
		Detail:  "a NUL byte here: this is not a text file (an image or an archive?), so it was not read",
		Subject: &hcl.Range{Filename: name, Start: at, End: hcl.Pos{Line: at.Line, Column: at.Column + 1, Byte: at.Byte + 1}}}
}

// invalidUTF8 is the error at the first byte of b that is not UTF-8, in
// the words HCL uses for native syntax files.
func invalidUTF8(src *source.File, name string, b []byte) *hcl.Diagnostic {
	off := 0
	for off < len(b) {
		r, size := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	p := src.Pos(off)
	at := hcl.Pos{Line: p.Line, Column: p.Col, Byte: p.Byte}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid character encoding",
		Detail:  "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.",
		Subject: &hcl.Range{Filename: name, Start: at, End: hcl.Pos{Line: at.Line, Column: at.Column + 1, Byte: at.Byte + 1}}}
}

// store makes a parsed file known to the loader and reports its errors.
func (l *loader) store(pf parsedFile) *hcl.File {
	l.parsed[pf.name] = nil
	if pf.internal != nil {
		l.diags = append(l.diags, *pf.internal)
		return nil
	}
	if pf.err != nil {
		l.readFailed(pf)
		return nil
	}
	l.files[pf.name] = pf.src
	l.addHCLDiags(pf.diags)
	if pf.file == nil {
		return nil
	}
	l.parsed[pf.name] = pf.file
	if pf.blocks != nil {
		l.blocks[pf.name] = pf.blocks
	}
	return pf.file
}

// blockRange is the whole extent of a block, when its syntax is known, or
// its header.
func (l *loader) blockRange(b *hcl.Block) hcl.Range {
	if _, native := b.Body.(*hclsyntax.Body); !native {
		// A block from dynblock hides its syntax: find it by its header.
		if r, ok := l.blockIndex(b.DefRange.Filename).find(b.DefRange.Start.Byte); ok {
			return r
		}
	}
	return blockRange(b)
}

// blockIndex maps the start of each native block header of a file to the
// whole block. It is built on first use, which few files see, and may be
// shared by workers.
type blockIndex struct {
	body  *hclsyntax.Body
	once  sync.Once
	index map[int]hcl.Range
}

func (x *blockIndex) find(start int) (hcl.Range, bool) {
	if x == nil {
		return hcl.Range{}, false
	}
	x.once.Do(func() {
		x.index = map[int]hcl.Range{}
		_ = hclsyntax.VisitAll(x.body, func(n hclsyntax.Node) hcl.Diagnostics {
			if b, ok := n.(*hclsyntax.Block); ok {
				x.index[b.DefRange().Start.Byte] = b.Range()
			}
			return nil
		})
	})
	r, ok := x.index[start]
	return r, ok
}

// evalRoot evaluates a module directory as a root module.
func (l *loader) evalRoot(dir string) {
	m := l.moduleAt(dir)
	if m == nil {
		return
	}
	in := newInstance(l, m, nil, nil, "", nil)
	in.rootVars = l.rootVars(dir)
	l.used[dir] = true
	in.evalAll()
	l.adapt(in)
}

// rootVars gathers variable values for a root module: terraform.tfvars,
// *.auto.tfvars (lexical order), then --var-file files, then --var.
func (l *loader) rootVars(dir string) map[string]varValue {
	out := map[string]varValue{}
	var files []string
	if entries, err := l.opts.Cache.ReadDir(dir); err == nil {
		// terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars in
		// lexical order.
		var named, auto []string
		for _, e := range entries {
			switch name := e.Name(); {
			case e.IsDir():
			case name == "terraform.tfvars" || name == "terraform.tfvars.json":
				named = append(named, filepath.Join(dir, name))
			case strings.HasSuffix(name, ".auto.tfvars") || strings.HasSuffix(name, ".auto.tfvars.json"):
				auto = append(auto, filepath.Join(dir, name))
			}
		}
		sort.Strings(named)
		sort.Strings(auto)
		files = append(append(files, named...), auto...)
	}
	files = append(files, l.opts.VarFiles...)
	for _, p := range files {
		p = filepath.ToSlash(p)
		f := l.parseFile(p)
		if f == nil {
			continue
		}
		attrs, diags := f.Body.JustAttributes()
		l.addHCLDiags(diags)
		for name, a := range attrs {
			out[name] = varValue{expr: a.Expr}
		}
	}
	for _, kv := range l.opts.Vars {
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		v := val
		out[name] = varValue{raw: &v}
	}
	return out
}

// followCall loads the module a call refers to, when it is a local path
// inside the scan roots; otherwise it notes why the call is not followed.
func (l *loader) followCall(in *instance, call *moduleCall) *module {
	dir, local := moduleSource(in.mod.dir, call.source)
	if !local && call.source != "" {
		// A registry or git module that `terraform init` installed under
		// the root module is read from there, as Terraform reads it.
		dir, local = l.installedModule(in, call)
	}
	switch {
	case call.source == "":
		return nil
	case !local:
		l.note(call.sourceRng, "module %q: source %q is not fetched (s3lint never downloads registry or git modules, and terraform init has not installed it in .terraform/modules); its outputs are unknown",
			call.name, call.source)
		return nil
	case !l.inRoots(dir):
		l.note(call.sourceRng, "module %q: source %q is outside the scan root and is not read; its outputs are unknown",
			call.name, call.source)
		return nil
	case l.stop.Expired():
		return nil
	case in.depth+1 > l.opts.Limits.MaxModuleDepth:
		l.note(call.sourceRng, "module %q: more than %d nested module calls (--max-module-depth); not followed", call.name, l.opts.Limits.MaxModuleDepth)
		return nil
	}
	for cur := in; cur != nil; cur = cur.parent {
		if cur.mod.dir == dir {
			l.note(call.sourceRng, "module %q: source %q calls itself (a module cycle); not followed", call.name, call.source)
			return nil
		}
	}
	if _, err := l.opts.Cache.ReadDir(dir); err != nil {
		l.errorAt(call.sourceRng, "module %q: source directory %q does not exist", call.name, call.source)
		return nil
	}
	m := l.moduleAt(dir)
	if m == nil {
		l.note(call.sourceRng, "module %q: no Terraform files in %q", call.name, call.source)
		return nil
	}
	return m
}

// installedModule is the directory where `terraform init` installed the
// module of a registry or git call, as the root module's
// .terraform/modules/modules.json records it by the call's path
// (parent.child); ok is false when it has not, or installed another source
// (the configuration changed since).
func (l *loader) installedModule(in *instance, call *moduleCall) (dir string, ok bool) {
	key := call.name
	for p := in; p.parent != nil; p = p.parent {
		key = p.call.name + "." + key
	}
	root := in.root.mod.dir
	v, _ := l.shared.manifests.LoadOrStore(root, &moduleManifest{})
	m := v.(*moduleManifest)
	m.once.Do(func() { m.dirs, m.rootDir = l.readManifest(root) })
	e, found := m.dirs[key]
	if !found || !sameModuleSource(e.Source, call.source) || e.Dir == "" {
		return "", false
	}
	// Dir is relative to where terraform init ran, which the root's own
	// entry records ("." when it ran in the root module).
	rel := filepath.FromSlash(e.Dir)
	if r, err := filepath.Rel(filepath.FromSlash(m.rootDir), rel); err == nil && !strings.HasPrefix(r, "..") {
		rel = r
	}
	dir = filepath.ToSlash(filepath.Clean(filepath.Join(root, rel)))
	if _, err := l.opts.Cache.ReadDir(dir); err != nil {
		return "", false // recorded, but not there (a copy without .terraform)
	}
	return dir, true
}

// moduleManifest is a root module's .terraform/modules/modules.json, read
// once, by module key.
type moduleManifest struct {
	once    sync.Once
	dirs    map[string]manifestEntry
	rootDir string // the root module's Dir, relative to where init ran
}

type manifestEntry struct {
	Key, Source, Dir string
}

// readManifest reads the modules `terraform init` installed for the root
// module in dir, and the root's own Dir; nil when there are none or the
// file cannot be read.
func (l *loader) readManifest(dir string) (map[string]manifestEntry, string) {
	b, err := readBounded(filepath.Join(dir, ".terraform", "modules", "modules.json"), l.opts.Limits.MaxFileSize)
	if err != nil {
		return nil, ""
	}
	var doc struct{ Modules []manifestEntry }
	if json.Unmarshal(b, &doc) != nil {
		return nil, ""
	}
	out := map[string]manifestEntry{}
	rootDir := "."
	for _, e := range doc.Modules {
		if e.Key == "" {
			rootDir = e.Dir
		} else {
			out[e.Key] = e
		}
	}
	return out, rootDir
}

// sameModuleSource reports whether the source terraform init installed
// is the one the call names: as written, or a registry address that init
// recorded with its host (terraform-aws-modules/s3-bucket/aws is
// registry.terraform.io/terraform-aws-modules/s3-bucket/aws).
func sameModuleSource(installed, written string) bool {
	if installed == written {
		return true
	}
	host, rest, ok := strings.Cut(installed, "/")
	return ok && strings.Contains(host, ".") && rest == written && strings.Count(written, "/") == 2
}

// functionsFor returns Terraform's functions for modules of the root in
// dir: relative file paths resolve against the root module directory, as
// Terraform resolves them against its working directory.
func (l *loader) functionsFor(rootDir string) map[string]function.Function {
	if t, ok := l.funcs[rootDir]; ok {
		return t
	}
	t := funcs.Table(funcs.Options{BaseDir: rootDir, ReadFile: l.readConfined, CheckTemplate: l.checkTemplate, Marked: func() { l.marked = true }})
	l.funcs[rootDir] = t
	return t
}

// readConfined reads a file for file() and friends, refusing anything
// outside the scan roots.
func (l *loader) readConfined(path string) ([]byte, error) {
	b, err := l.readConfinedQuiet(path)
	var le *limitError
	if errors.As(err, &le) {
		// Function errors make values unknown, silently; a limit is worth
		// saying.
		l.errorf(path, "%s", le.msg)
	}
	return b, err
}

// readConfinedQuiet is readConfined without the report of a limit: for
// reading again a file that a function has read (and reported) already.
func (l *loader) readConfinedQuiet(path string) ([]byte, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	if !l.inRoots(path) {
		return nil, fmt.Errorf("%s is outside the scan root", path)
	}
	b, err := readBounded(path, l.opts.Limits.MaxFileSize)
	if err == nil {
		l.shared.noteRead(path, b)
	}
	return b, err
}

// checkTemplate refuses a template (of templatefile, from the file path,
// or of templatestring, with no path) nested deeper than the limit, before
// it is parsed. The value is unknown then, like any failed function's; a
// template file is reported at its place.
func (l *loader) checkTemplate(path string, src []byte) error {
	at := nestingOffset(src, true, l.opts.Limits.MaxNesting)
	if at < 0 {
		return nil
	}
	msg := limits.TooDeep(l.opts.Limits.MaxNesting)
	if path != "" {
		f := source.NewFile(filepath.ToSlash(path), src)
		l.diags = append(l.diags, graph.Diagnostic{Severity: graph.DiagError, File: f.Name, Range: f.Range(at, at), Message: msg})
	}
	return errors.New(msg)
}

// rng converts an HCL range, recomputing columns from byte offsets so that
// they count characters exactly.
func (l *loader) rng(r hcl.Range) graph.Range {
	if v := l.virtual[r.Filename]; v != nil {
		return l.byteRange(r.Filename, r.Start.Byte, r.End.Byte)
	}
	if f := l.file(r.Filename); f != nil {
		return f.Range(r.Start.Byte, r.End.Byte)
	}
	return graph.Range{
		File:  r.Filename,
		Start: graph.Pos{Line: r.Start.Line, Col: r.Start.Column, Byte: r.Start.Byte},
		End:   graph.Pos{Line: r.End.Line, Col: r.End.Column, Byte: r.End.Byte},
	}
}

func (l *loader) byteRange(file string, start, end int) graph.Range {
	if v := l.virtual[file]; v != nil {
		at := func(i int) int { return v.offsets[max(0, min(i, len(v.offsets)-1))] }
		file, start, end = v.real, at(start), at(end)
	}
	if f := l.file(file); f != nil {
		return f.Range(start, end)
	}
	return graph.Range{File: file}
}

func (l *loader) addHCLDiags(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		gd := graph.Diagnostic{Severity: graph.DiagError, Message: msg}
		if d.Subject != nil {
			gd.Range = l.rng(*d.Subject)
			gd.File = d.Subject.Filename
		}
		l.diags = append(l.diags, gd)
	}
}

func (l *loader) errorf(file, format string, args ...any) {
	l.diags = append(l.diags, graph.Diagnostic{Severity: graph.DiagError, File: filepath.ToSlash(file), Message: fmt.Sprintf(format, args...)})
}

// errorAt records an input error at a place, once.
func (l *loader) errorAt(r hcl.Range, format string, args ...any) {
	l.diagAt(graph.DiagError, r, fmt.Sprintf(format, args...))
}

// note records an informational diagnostic, once per place and message (a
// module evaluated once per call would repeat it).
func (l *loader) note(r hcl.Range, format string, args ...any) {
	l.diagAt(graph.DiagNote, r, fmt.Sprintf(format, args...))
}

// diagRange is diagAt for a place given as a graph range.
func (l *loader) diagRange(sev graph.Severity, r graph.Range, msg string) {
	key := sev.String() + r.String() + msg
	if l.noted[key] {
		return
	}
	l.noted[key] = true
	l.diags = append(l.diags, graph.Diagnostic{Severity: sev, Range: r, File: r.File, Message: msg})
}

func (l *loader) diagAt(sev graph.Severity, r hcl.Range, msg string) {
	key := sev.String() + r.String() + msg
	if l.noted[key] {
		return
	}
	l.noted[key] = true
	l.diags = append(l.diags, graph.Diagnostic{Severity: sev, Range: l.rng(r), File: r.Filename, Message: msg})
}
