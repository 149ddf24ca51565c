// Package suppress applies in-source suppressions to findings.
//
// A suppression is written where the finding is. In Terraform ("#" or "//")
// and YAML templates ("#"), a comment
//
//	# s3lint:ignore S3L010 the objects are written by another stack
//
// at the end of the finding's line covers that line; on a line of its own it
// covers the element that starts on the next line that is not a comment
// (a block, an attribute, a value), with everything inside it. Above a
// Terraform module call it also covers every finding inside that module
// instance. "s3lint:ignore-file S3L010 reason", anywhere in a file, covers
// the whole file. A policy that a Terraform resource reads from a file
// (file(), templatefile()) is reported in that file, which has no comments:
// the directives that cover the resource's block, or the attribute that
// reads the file, cover its findings there.
//
// Templates in JSON have no comments, so a resource's Metadata may carry the
// same thing, for every finding inside the resource or about it (its logical
// ID or CDK path):
//
//	Metadata:
//	  s3lint:
//	    ignore:
//	      - id: S3L010
//	        reason: the objects are written by another stack
//	        expires: 2027-01-31
//
// Several IDs may be given (S3L010,S3L011 or S3L010 S3L011). A reason is
// required. exp:YYYY-MM-DD (expires: in Metadata) ends a suppression after
// that day. A suppression with a problem (no reason, an unknown rule, a bad
// date) suppresses nothing and is reported as an error; an expired one is
// reported as a note, and so is one that matches no finding of a rule that
// ran.
package suppress

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
	"github.com/s3lint/s3lint/parsers/cloudformation"
	"github.com/s3lint/s3lint/rules"
)

// Options configure Apply.
type Options struct {
	// Now is the clock that decides expiry; nil is time.Now.
	Now func() time.Time
	// Known reports whether a rule ID exists; nil accepts every ID.
	Known func(id string) bool
	// Ran reports whether a rule ran: a suppression that matches nothing
	// is reported only for rules that ran. nil: every rule ran.
	Ran func(id string) bool
	// Skip reports files that are not to be read (excluded from the scan).
	Skip func(file string) bool
	// ReadFile reads a file, on several cores at once; nil is os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// ReadDir lists a directory, on several cores at once; nil is
	// os.ReadDir. A scan passes the listings its loaders made.
	ReadDir func(dir string) ([]os.DirEntry, error)
}

// scoped is a directive and what it covers.
type scoped struct {
	Directive
	file string
	all  bool // the whole file
	// from and to are the lines covered; 0 when the directive stands
	// above nothing.
	from, to int
	// module is the module call on the covered line, whose instance the
	// directive covers too.
	module string
	// resources are the logical ID and CDK path of a Metadata directive.
	resources []string
	used      map[string]bool
	expired   bool
}

// covers reports whether s covers f, which is in s's file.
func (s *scoped) covers(f *rules.Finding) bool {
	if s.all {
		return true
	}
	if l := f.Range.Start.Line; s.from > 0 && l >= s.from && l <= s.to {
		return true
	}
	for _, r := range s.resources {
		if f.Resource == r {
			return true
		}
	}
	return false
}

func (s *scoped) names(id string) bool {
	for _, x := range s.IDs {
		if x == id {
			return true
		}
	}
	return false
}

// Apply reads the suppressions in the files that the graph and the
// findings come from (and every Terraform file beside them), and splits
// findings into those still reported and those suppressed, both in the
// order given. The diagnostics report suppressions that are invalid,
// expired or unused, sorted by place.
func Apply(g *graph.Graph, fs []rules.Finding, o Options) (kept []rules.Finding, suppressed []rules.SuppressedFinding, diags []graph.Diagnostic) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReadFile == nil {
		o.ReadFile = os.ReadFile
	}
	if o.ReadDir == nil {
		o.ReadDir = os.ReadDir
	}
	c := &collector{o: o, calls: map[string][]moduleCall{}, byFile: map[string][]*scoped{},
		scanned: map[string]bool{}, complete: map[string]bool{},
		byModule: map[string]map[string][]*scoped{}, roots: map[string][]string{}, places: map[string][]readPlace{}}
	c.collect(g, fs)
	now := o.Now()
	for _, list := range c.byFile {
		for _, s := range list {
			c.validate(s, now)
		}
	}
	for i := range fs {
		f := &fs[i]
		var by *scoped
		for _, s := range c.candidates(f) {
			if !s.Valid() || s.expired || !s.names(f.RuleID) {
				continue
			}
			s.used[f.RuleID] = true
			if by == nil {
				by = s
			}
		}
		if by == nil {
			kept = append(kept, *f)
			continue
		}
		suppressed = append(suppressed, rules.SuppressedFinding{Finding: *f, Suppression: rules.Suppression{
			Kind: rules.InSource, Justification: by.Reason, Range: by.Range}})
	}
	return kept, suppressed, c.report()
}

type collector struct {
	o      Options
	files  []string                // read, sorted
	byFile map[string][]*scoped    // by file key
	calls  map[string][]moduleCall // module calls by directory, as far as read
	// scanned are the files whose module calls are in calls; complete the
	// directories all of whose files are.
	scanned  map[string]bool
	complete map[string]bool
	roots    map[string][]string // root modules by resource address
	// places are where policies whose statements come from other files
	// are written in Terraform files, by address.
	places map[string][]readPlace
	// byModule holds directives above module calls, by directory and
	// module name.
	byModule map[string]map[string][]*scoped
}

func key(file string) string { return filepath.ToSlash(filepath.Clean(file)) }

// entities lists every located resource of g.
func entities(g *graph.Graph) []*graph.Entity {
	var es []*graph.Entity
	for _, x := range g.Buckets {
		es = append(es, &x.Entity)
	}
	for _, x := range g.Policies {
		es = append(es, &x.Entity)
	}
	for _, x := range g.Principals {
		es = append(es, &x.Entity)
	}
	for _, x := range g.Keys {
		es = append(es, &x.Entity)
	}
	for _, x := range g.Endpoints {
		es = append(es, &x.Entity)
	}
	for _, x := range g.AccountBlocks {
		es = append(es, &x.Entity)
	}
	for _, x := range g.AccessPoints {
		es = append(es, &x.Entity)
	}
	return es
}

func isTerraform(name string) bool { return strings.HasSuffix(name, ".tf") }

func isTemplateName(name string) bool {
	if strings.HasSuffix(name, ".tf.json") {
		return false
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json", ".template":
		return true
	}
	return false
}

// collect finds the files to read and reads their directives.
func (c *collector) collect(g *graph.Graph, fs []rules.Finding) {
	files := map[string]string{} // key → name as loaded
	dirs := map[string]bool{}
	add := func(name string) {
		if name == "" {
			return
		}
		k := key(name)
		if _, ok := files[k]; !ok {
			files[k] = name
		}
		if isTerraform(name) {
			dirs[key(filepath.Dir(name))] = true
		}
	}
	if g != nil {
		for _, e := range entities(g) {
			add(e.Range.File)
			// The root of Terraform resources is a module directory,
			// whose .tf files may hold suppressions above module calls;
			// a template's or a policy document's is the file itself.
			if e.Root != "" && (e.Format == graph.Terraform || e.Format == graph.TerraformPlan) {
				root := key(e.Root)
				dirs[root] = true
				if !contains(c.roots[e.Address], root) {
					c.roots[e.Address] = append(c.roots[e.Address], root)
				}
			}
		}
		for _, p := range g.Policies {
			if rp, ok := readPlaceOf(p); ok {
				c.places[p.Address] = append(c.places[p.Address], rp)
			}
		}
	}
	for _, f := range fs {
		add(f.Range.File)
	}
	// Every file of the scan is read again here: on every core, and
	// gathered in order.
	dirList := slices.Sorted(maps.Keys(dirs))
	listed := make([][]string, len(dirList))
	parallel.Each(len(dirList), func(i int) { listed[i] = c.terraformFiles(dirList[i]) })
	for _, names := range listed {
		for _, name := range names {
			add(name)
		}
	}
	c.files = slices.Sorted(maps.Keys(files))
	// A file the loaders read without the word s3lint in it holds no
	// directive: it is not read again.
	mentions := map[string]bool{} // by key
	if g != nil {
		for name, m := range g.Mentions {
			k := key(name)
			mentions[k] = mentions[k] || m
		}
	}
	read := make([]fileDirectives, len(c.files))
	parallel.Each(len(c.files), func(i int) {
		name := files[c.files[i]]
		if m, known := mentions[c.files[i]]; known && !m || c.o.Skip != nil && c.o.Skip(name) {
			return
		}
		switch {
		case isTerraform(name):
			read[i] = c.readTerraform(name)
		case isTemplateName(name):
			read[i] = c.readTemplate(name)
		}
	})
	for i, k := range c.files {
		c.addFile(k, read[i])
	}
}

// fileDirectives is what one file holds: its directives and, for a
// Terraform file that was scanned, its module calls.
type fileDirectives struct {
	ds      []*scoped
	calls   []moduleCall
	scanned bool
}

// readPlace is a Terraform policy whose statements come from other files.
type readPlace struct {
	block, doc graph.Range     // the resource block; the attribute holding the document
	files      map[string]bool // the files its statements are located in, by key
}

// readPlaceOf returns the place of a policy written in a .tf file whose
// statements are located in other files.
func readPlaceOf(p *graph.Policy) (readPlace, bool) {
	if p.Doc == nil || !isTerraform(p.Range.File) || key(p.DocRange.File) != key(p.Range.File) {
		return readPlace{}, false
	}
	rp := readPlace{block: p.Range, doc: p.DocRange, files: map[string]bool{}}
	for _, st := range p.Doc.Statements {
		if f := st.Range.File; f != "" && !isTerraform(f) {
			rp.files[key(f)] = true
		}
	}
	return rp, len(rp.files) > 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// terraformFiles lists the .tf files of a directory, sorted.
func (c *collector) terraformFiles(dir string) []string {
	entries, err := c.o.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && isTerraform(e.Name()) {
			out = append(out, filepath.ToSlash(filepath.Join(dir, e.Name())))
		}
	}
	return out
}

// readTerraform reads the directives of a Terraform file; it runs on
// several cores at once and changes nothing.
func (c *collector) readTerraform(name string) fileDirectives {
	b, err := c.o.ReadFile(name)
	if err != nil || !bytes.Contains(b, []byte(directivePrefix)) {
		return fileDirectives{} // its module calls are read when needed
	}
	ds, calls := scanHCL(newText(name, b))
	return fileDirectives{ds: ds, calls: calls, scanned: true}
}

// readTemplate reads the directives of a template; it runs on several
// cores at once and changes nothing.
func (c *collector) readTemplate(name string) fileDirectives {
	b, err := c.o.ReadFile(name)
	if err != nil || !graph.Mentioned(b) {
		return fileDirectives{}
	}
	root, ok := cloudformation.ParseTemplate(name, b)
	if !ok {
		return fileDirectives{}
	}
	json := bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n\ufeff"), []byte("{"))
	return fileDirectives{ds: scanTemplate(newText(name, b), root, json)}
}

// addFile records what a file holds, under its key k.
func (c *collector) addFile(k string, fd fileDirectives) {
	if fd.scanned {
		dir := key(filepath.Dir(k))
		c.scanned[k] = true
		c.calls[dir] = append(c.calls[dir], fd.calls...)
		for _, s := range fd.ds {
			if s.module == "" {
				continue
			}
			if c.byModule[dir] == nil {
				c.byModule[dir] = map[string][]*scoped{}
			}
			c.byModule[dir][s.module] = append(c.byModule[dir][s.module], s)
		}
	}
	for _, s := range fd.ds {
		s.used = map[string]bool{}
	}
	c.byFile[k] = append(c.byFile[k], fd.ds...)
}

// validate checks the rule IDs of s and whether it has expired.
func (c *collector) validate(s *scoped, now time.Time) {
	if c.o.Known != nil {
		for _, id := range s.IDs {
			if !c.o.Known(id) {
				s.Problems = append(s.Problems, fmt.Sprintf("unknown rule %s (see s3lint rules)", id))
			}
		}
	}
	s.expired = s.Valid() && s.Expired(now)
}

// candidates returns the directives that cover f: in its file, and above
// the module calls of its module instance.
func (c *collector) candidates(f *rules.Finding) []*scoped {
	var out []*scoped
	for _, s := range c.byFile[key(f.Range.File)] {
		if s.covers(f) {
			out = append(out, s)
		}
	}
	if !isTerraform(f.Range.File) {
		// A finding in a file that the configuration reads (a policy kept
		// beside the module, read with file() or templatefile()) has no
		// comments of its own: the directives on its resource's block,
		// or on the attribute that reads the file, cover it, as they did
		// when the finding was placed at the call.
		for _, p := range c.places[f.Resource] {
			if !p.files[key(f.Range.File)] {
				continue // the same address in another root module
			}
			for _, s := range c.byFile[key(p.block.File)] {
				if s.all || s.from > 0 && (s.from <= p.block.Start.Line && p.block.Start.Line <= s.to ||
					s.from <= p.doc.Start.Line && p.doc.Start.Line <= s.to) {
					out = append(out, s)
				}
			}
		}
	}
	names := moduleNames(f.Resource)
	if len(names) == 0 {
		return out
	}
	for _, root := range c.roots[f.Resource] {
		dir := root
		for _, name := range names {
			out = append(out, c.byModule[dir][name]...)
			next := ""
			for _, m := range c.callsIn(dir) {
				if m.name == name {
					next = localSource(dir, m.source)
				}
			}
			if next == "" {
				break
			}
			dir = next
		}
	}
	return out
}

// callsIn returns the module calls of the Terraform files in dir.
func (c *collector) callsIn(dir string) []moduleCall {
	if c.complete[dir] {
		return c.calls[dir]
	}
	c.complete[dir] = true
	for _, name := range c.terraformFiles(dir) {
		k := key(name)
		if c.scanned[k] {
			continue // read with its directives
		}
		c.scanned[k] = true
		if b, err := c.o.ReadFile(name); err == nil {
			c.calls[dir] = append(c.calls[dir], modulesOf(newText(name, b))...)
		}
	}
	return c.calls[dir]
}

// moduleNames returns the module call names of a Terraform address:
// module.a["x"].module.b.aws_s3_bucket.c → [a b].
func moduleNames(addr string) []string {
	var names []string
	for strings.HasPrefix(addr, "module.") {
		rest := addr[len("module."):]
		end := strings.IndexAny(rest, ".[")
		if end <= 0 {
			return names
		}
		names = append(names, rest[:end])
		rest = rest[end:]
		if rest[0] == '[' {
			close := instanceKeyEnd(rest)
			if close < 0 {
				return names
			}
			rest = rest[close:]
		}
		if !strings.HasPrefix(rest, ".") {
			return names
		}
		addr = rest[1:]
	}
	return names
}

// instanceKeyEnd returns the offset just after the "[…]" that s starts
// with, or -1.
func instanceKeyEnd(s string) int {
	quoted := false
	for i := 1; i < len(s); i++ {
		switch {
		case quoted && s[i] == '\\':
			i++
		case s[i] == '"':
			quoted = !quoted
		case !quoted && s[i] == ']':
			return i + 1
		}
	}
	return -1
}

// report returns the diagnostics of the directives, sorted by place.
func (c *collector) report() []graph.Diagnostic {
	var diags []graph.Diagnostic
	emit := func(s *scoped, sev graph.Severity, format string, args ...any) {
		diags = append(diags, graph.Diagnostic{Severity: sev, Range: s.Range, File: s.Range.File,
			Message: fmt.Sprintf(format, args...)})
	}
	for _, k := range c.files {
		for _, s := range c.byFile[k] {
			ids := strings.Join(s.IDs, ",")
			switch {
			case !s.Valid():
				for _, p := range s.Problems {
					emit(s, graph.DiagError, "%s: %s; it suppresses nothing", s.Kind, p)
				}
			case s.expired:
				emit(s, graph.DiagNote, "%s %s expired on %s and no longer applies",
					s.Kind, ids, s.Expires.Format(dateLayout))
			default:
				var unused []string
				for _, id := range s.IDs {
					if !s.used[id] && (c.o.Ran == nil || c.o.Ran(id)) {
						unused = append(unused, id)
					}
				}
				switch {
				case len(unused) == 0:
				case s.Kind == Line && s.from == 0 && s.module == "":
					emit(s, graph.DiagNote, "%s %s applies to nothing: write it at the end of the finding's line, "+
						"or directly above the finding or the block that holds it", s.Kind, ids)
				default:
					emit(s, graph.DiagNote, "%s %s matches no finding; remove it", s.Kind, strings.Join(unused, ","))
				}
			}
		}
	}
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Range.Less(diags[j].Range) })
	return diags
}
