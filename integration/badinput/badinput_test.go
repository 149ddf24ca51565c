// Package badinput runs the built s3lint binary over the bad-input corpus in
// testdata/bad, one case per run, next to a companion configuration whose
// findings must survive every case. It is the binary-level counterpart of
// the parsers' in-process robustness tests: a Go stack overflow or an
// out-of-memory kill ends a process, which only a test that runs the binary
// can observe.
package badinput

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/s3lint/s3lint/internal/golden"
	"github.com/s3lint/s3lint/report"
)

var update = flag.Bool("update", false, "rewrite testdata/bad/*.golden")

const (
	// repoRoot is where the binary runs, so paths in the output are
	// repository-relative.
	repoRoot  = "../.."
	corpusDir = "testdata/bad"
	companion = "testdata/bad/_companion"
	// Bounds for one run of the binary.
	wallLimit = 30 * time.Second
	rssLimit  = 1536 << 20 // bytes
	// A golden line longer than this is cut: a message that long is itself
	// a defect the golden shows.
	maxGoldenLine = 400
)

// companionFindings are the findings of _companion; every run must report
// them, whatever the other input does.
var companionFindings = []string{
	"S3L010 testdata/bad/_companion/main.tf:14:18",
	"S3L010 testdata/bad/_companion/template.yaml:16:23",
}

// caseFlags are the flags a case runs with besides the defaults; its golden
// starts with them.
var caseFlags = map[string][]string{
	// A million for_each keys take about 20 s to evaluate with the default
	// limits on a 2-core machine (most of it cty building and sorting the
	// set); a short --file-timeout makes the case the proof that the limit
	// ends such an evaluation, on machines of any speed.
	"gen-for-each-million": {"--file-timeout", "3s"},
}

var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "s3lint-badinput")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "s3lint")
	build := exec.Command("go", "build", "-o", binary, "./cmd/s3lint")
	build.Dir = repoRoot
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building s3lint:", err)
		os.Exit(2)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestCorpus runs every committed case: each directory of testdata/bad
// except _companion.
func TestCorpus(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(repoRoot, corpusDir))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		n++
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			runCase(t, name, corpusDir+"/"+name, "")
		})
	}
	if n < 50 {
		t.Errorf("only %d cases in %s", n, corpusDir)
	}
	// Every golden belongs to a case, committed or generated.
	goldens, _ := filepath.Glob(filepath.Join(repoRoot, corpusDir, "*.golden"))
	for _, g := range goldens {
		name := strings.TrimSuffix(filepath.Base(g), ".golden")
		if _, err := os.Stat(filepath.Join(repoRoot, corpusDir, name)); err != nil && !strings.HasPrefix(name, "gen-") {
			t.Errorf("%s has no case directory", g)
		}
	}
}

// result is what one run of the binary produced.
type result struct {
	code     int
	stderr   string
	findings []string
	elapsed  time.Duration
	rss      int64 // peak resident set, bytes
}

// runCase scans dir (a path relative to the repository root, or absolute)
// with the companion, checks the bounds and compares with the golden of
// name. tmp, when not "", is replaced by $TMP in the output.
func runCase(t *testing.T, name, dir, tmp string) {
	t.Helper()
	flags := caseFlags[name]
	r := scanBinary(t, dir, flags)
	if t.Failed() {
		return
	}
	if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "internal error") {
		t.Errorf("the binary crashed or recovered a panic:\n%s", clip(r.stderr, 4000))
	}
	for _, want := range companionFindings {
		if !slices.Contains(r.findings, want) {
			t.Errorf("the companion finding %q is missing: the rest of the scan did not run\nfindings: %q\nstderr:\n%s", want, r.findings, clip(r.stderr, 4000))
		}
	}
	if r.code != 1 && r.code != 2 {
		t.Errorf("exit code %d; want 1 (findings) or 2 (input errors)", r.code)
	}
	got := render(r, tmp)
	if len(flags) > 0 {
		got = "flags " + strings.Join(flags, " ") + "\n" + got
	}
	golden.Check(t, filepath.Join(repoRoot, corpusDir, name+".golden"), []byte(got), *update, "go test ./integration/badinput -update")
}

// scanBinary runs s3lint scan on dir and the companion, within the bounds.
func scanBinary(t *testing.T, dir string, flags []string) result {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.json")
	ctx, cancel := context.WithTimeout(context.Background(), wallLimit)
	defer cancel()
	args := append([]string{"scan", "--no-config", "--format", "json", "--output", out}, flags...)
	cmd := exec.CommandContext(ctx, binary, append(args, dir, companion)...)
	cmd.Dir = repoRoot
	// A fixed environment: no colour, Go's memory tuning as shipped.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "NO_COLOR=1"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{stderr: stderr.String(), elapsed: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("killed after %v: over the wall-time bound\nstderr:\n%s", wallLimit, clip(r.stderr, 4000))
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.Exited():
		r.code = exit.ExitCode()
	default:
		t.Fatalf("s3lint did not exit normally: %v\nstderr:\n%s", err, clip(r.stderr, 4000))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rss = int64(ru.Maxrss)
		if runtime.GOOS != "darwin" {
			r.rss *= 1024 // kilobytes on Linux
		}
	}
	if r.rss > rssLimit {
		t.Errorf("peak memory %d MiB, over the %d MiB bound", r.rss>>20, rssLimit>>20)
	}
	t.Logf("exit %d in %v, peak memory %d MiB", r.code, r.elapsed.Round(time.Millisecond), r.rss>>20)
	if stdout.Len() != 0 {
		t.Errorf("standard output is not empty with --output: %s", clip(stdout.String(), 2000))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no report: %v\nstderr:\n%s", err, clip(r.stderr, 4000))
	}
	var rep report.JSONReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("the report is not JSON: %v", err)
	}
	for _, f := range rep.Findings {
		l := f.Location
		r.findings = append(r.findings, fmt.Sprintf("%s %s:%d:%d", f.Rule, l.File, l.Start.Line, l.Start.Column))
	}
	return r
}

// render is the golden text of a result.
func render(r result, tmp string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "exit %d\n-- stderr --\n", r.code)
	b.WriteString(r.stderr)
	if r.stderr != "" && !strings.HasSuffix(r.stderr, "\n") {
		b.WriteString("\n")
	}
	b.WriteString("-- findings --\n")
	for _, f := range r.findings {
		b.WriteString(f + "\n")
	}
	s := b.String()
	if tmp != "" {
		s = strings.ReplaceAll(s, tmp, "$TMP")
	}
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if len(l) > maxGoldenLine {
			lines[i] = fmt.Sprintf("%s… (%d bytes in all)\n", strings.ToValidUTF8(l[:maxGoldenLine], "?"), len(l))
		}
	}
	return strings.Join(lines, "")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("… (%d bytes in all)", len(s))
}
