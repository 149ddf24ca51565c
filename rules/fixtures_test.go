package rules_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/s3lint/s3lint/config"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/golden"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

var update = flag.Bool("update", false, "rewrite fixtures/*/findings.golden")

const fixturesDir = "../fixtures"

// TestRegistry validates every rule and requires fixtures for each: a
// directory fixtures/<ID> with at least one expectation for the rule.
func TestRegistry(t *testing.T) {
	reg, err := rules.NewRegistry(rules.All()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reg.All() {
		id := r.Meta().ID
		wants, err := readWants(filepath.Join(fixturesDir, id))
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		found := false
		for _, w := range wants {
			found = found || w.id == id
		}
		if !found {
			t.Errorf("%s: fixtures/%s has no `want %s` expectation", id, id, id)
		}
	}
}

// TestFixtures scans every fixture directory with every rule and checks the
// findings against the inline expectations (both ways: every finding must be
// expected, every expectation met) and against findings.golden, which pins
// exact ranges and messages.
func TestFixtures(t *testing.T) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(fixturesDir, e.Name())
		t.Run(e.Name(), func(t *testing.T) { checkFixture(t, dir) })
	}
}

func checkFixture(t *testing.T, dir string) {
	opts := scan.Options{Paths: []string{dir}, Rules: rules.All()}
	// A fixture's .s3lint.yaml holds access expectations (S3L100).
	if cfgFile := filepath.Join(dir, ".s3lint.yaml"); fileExists(cfgFile) {
		cfg, err := config.Load(cfgFile, nil)
		if err != nil {
			t.Fatal(err)
		}
		opts.Expectations = cfg.Expect
	}
	res := scan.Run(opts)
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			t.Errorf("unexpected input error: %s: %s", d.Range, d.Message)
		}
	}
	wants, err := readWants(dir)
	if err != nil {
		t.Fatal(err)
	}
	used := make([]bool, len(wants))
	for _, f := range res.Findings {
		file := filepath.ToSlash(f.Range.File)
		matched := false
		for i, w := range wants {
			if used[i] || w.file != file || w.line != f.Range.Start.Line || w.id != f.RuleID {
				continue
			}
			if w.re != nil && !w.re.MatchString(f.Message) {
				continue
			}
			used[i], matched = true, true
			break
		}
		if !matched {
			t.Errorf("unexpected finding %s:%d: %s %s", rel(dir, file), f.Range.Start.Line, f.RuleID, f.Message)
		}
	}
	for i, w := range wants {
		if !used[i] {
			msg := ""
			if w.re != nil {
				msg = fmt.Sprintf(" matching %q", w.re)
			}
			t.Errorf("missing finding %s:%d: %s%s", rel(dir, w.file), w.line, w.id, msg)
		}
	}
	checkGolden(t, dir, res)
}

func checkGolden(t *testing.T, dir string, res *scan.Result) {
	var b strings.Builder
	for _, f := range res.Findings {
		r := f.Range
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d %s %s %s\n", rel(dir, filepath.ToSlash(r.File)),
			r.Start.Line, r.Start.Col, r.End.Line, r.End.Col, f.RuleID, f.Severity, f.Message)
		for _, rl := range f.Related {
			fmt.Fprintf(&b, "    related %s:%d:%d %s\n", rel(dir, filepath.ToSlash(rl.Range.File)),
				rl.Range.Start.Line, rl.Range.Start.Col, rl.Message)
		}
	}
	golden.Check(t, filepath.Join(dir, "findings.golden"), []byte(b.String()), *update, "go test ./rules -update")
}

func rel(dir, file string) string {
	r, err := filepath.Rel(filepath.ToSlash(dir), file)
	if err != nil {
		return file
	}
	return filepath.ToSlash(r)
}

// want is one expectation: a finding of rule id at file:line whose message
// matches re (when given).
type want struct {
	file string
	line int
	id   string
	re   *regexp.Regexp
}

var (
	wantComment = regexp.MustCompile(`^\s*(?:#|//|/\*)\s*want([+-][0-9]+)?:?\s+(.*?)\s*(?:\*/)?\s*$`)
	wantItem    = regexp.MustCompile(`^(S3L[0-9]{3})(?:\s+"((?:[^"\\]|\\.)*)")?\s*`)
	sidecarLine = regexp.MustCompile(`^([0-9]+):\s*(.*)$`)
)

// readWants collects the expectations of every file under dir: comments in
// HCL files (read with the HCL lexer, so # inside strings is not a comment)
// and sidecar FILE.want files for JSON, which has no comments.
func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func readWants(dir string) ([]want, error) {
	var out []want
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		path = filepath.ToSlash(path)
		switch {
		case strings.HasSuffix(path, ".want"):
			ws, err := readSidecar(path)
			out = append(out, ws...)
			return err
		case strings.HasSuffix(path, ".tf") || strings.HasSuffix(path, ".tfvars"):
			ws, err := readHCLWants(path)
			out = append(out, ws...)
			return err
		case strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".template"):
			ws, err := readYAMLWants(path)
			out = append(out, ws...)
			return err
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].file != out[j].file {
			return out[i].file < out[j].file
		}
		return out[i].line < out[j].line
	})
	return out, err
}

func readHCLWants(path string) ([]want, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	toks, _ := hclsyntax.LexConfig(src, path, hcl.InitialPos)
	var out []want
	for _, tok := range toks {
		if tok.Type != hclsyntax.TokenComment {
			continue
		}
		ws, err := parseWant(path, tok.Range.Start.Line, string(tok.Bytes))
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
	}
	return out, nil
}

// yamlComment finds a comment in a YAML line: # at the start or after
// whitespace (fixtures keep # out of their strings).
var yamlComment = regexp.MustCompile(`(?:^|\s)(#.*)$`)

func readYAMLWants(path string) ([]want, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []want
	for i, line := range strings.Split(string(src), "\n") {
		m := yamlComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ws, err := parseWant(path, i+1, m[1])
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
	}
	return out, nil
}

func readSidecar(path string) ([]want, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	target := strings.TrimSuffix(path, ".want")
	var out []want
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := sidecarLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("%s: want LINE: RULE [\"regexp\"], got %q", path, line)
		}
		n, _ := strconv.Atoi(m[1])
		ws, err := parseItems(target, n, m[2])
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
	}
	return out, sc.Err()
}

func parseWant(path string, line int, comment string) ([]want, error) {
	m := wantComment.FindStringSubmatch(strings.TrimRight(comment, "\r\n"))
	if m == nil {
		return nil, nil
	}
	if m[1] != "" {
		off, _ := strconv.Atoi(m[1])
		line += off
	}
	return parseItems(path, line, m[2])
}

func parseItems(path string, line int, s string) ([]want, error) {
	var out []want
	for s != "" {
		m := wantItem.FindStringSubmatch(s)
		if m == nil {
			return nil, fmt.Errorf("%s:%d: bad expectation %q (want RULE [\"regexp\"] …)", path, line, s)
		}
		w := want{file: path, line: line, id: m[1]}
		if m[2] != "" {
			re, err := regexp.Compile(strings.ReplaceAll(m[2], `\"`, `"`))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			w.re = re
		}
		out = append(out, w)
		s = s[len(m[0]):]
	}
	return out, nil
}
