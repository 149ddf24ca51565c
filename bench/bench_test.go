// Package bench holds s3lint's Go benchmarks over a generated repository
// (bench/internal/synth): the parse floor, each loader, the engine, each
// rule and the whole scan, so that `go test -bench . ./bench` shows where
// the time goes and each number can be compared with the floor.
//
//	go test -run '^$' -bench . -benchmem ./bench
//
// The repository has benchFiles files (S3LINT_BENCH_FILES overrides) and
// is generated once per run in a temporary directory.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/s3lint/s3lint/bench/internal/parsefloor"
	"github.com/s3lint/s3lint/bench/internal/synth"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
	"github.com/s3lint/s3lint/parsers/cloudformation"
	"github.com/s3lint/s3lint/parsers/terraform"
	"github.com/s3lint/s3lint/policy"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

const benchFiles = 2000

var (
	corpusOnce sync.Once
	corpusDir  string
	corpusRepo *synth.Repo
	corpusErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if corpusDir != "" {
		_ = os.RemoveAll(corpusDir)
	}
	os.Exit(code)
}

// corpus generates the benchmark repository once.
func corpus(b *testing.B) string {
	b.Helper()
	corpusOnce.Do(func() {
		n := benchFiles
		if s := os.Getenv("S3LINT_BENCH_FILES"); s != "" {
			n, corpusErr = strconv.Atoi(s)
			if corpusErr != nil {
				return
			}
		}
		corpusDir, corpusErr = os.MkdirTemp("", "s3lint-bench-")
		if corpusErr != nil {
			return
		}
		corpusRepo = synth.Generate(n, 1)
		corpusErr = corpusRepo.Write(corpusDir)
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusDir
}

// BenchmarkParseFloor reads and parses every file with the same parsers as
// s3lint, on every core, and nothing else: the limit the others approach.
func BenchmarkParseFloor(b *testing.B) {
	files := parsefloor.Walk([]string{corpus(b)})
	var size int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	b.SetBytes(size)
	for b.Loop() {
		parallel.Each(len(files), func(i int) { parsefloor.Parse(files[i]) })
	}
}

func BenchmarkLoadTerraform(b *testing.B) {
	dir := corpus(b)
	for b.Loop() {
		terraform.Load(terraform.Options{Paths: []string{dir}})
	}
}

func BenchmarkLoadCloudFormation(b *testing.B) {
	dir := corpus(b)
	for b.Loop() {
		cloudformation.Load(cloudformation.Options{Paths: []string{dir}})
	}
}

// loaded is the corpus's graph, as scan builds it, for the engine and
// rule benchmarks.
func loaded(b *testing.B) *graph.Graph {
	b.Helper()
	return scan.Run(scan.Options{Paths: []string{corpus(b)}}).Graph
}

// BenchmarkEngine derives every intended request of the graph's policies
// and decides each one.
func BenchmarkEngine(b *testing.B) {
	g := loaded(b)
	var n int
	for b.Loop() {
		e := policy.NewEngine(g)
		intents := e.Intents()
		n = len(intents)
		for i := range intents {
			e.IntentOutcome(&intents[i])
		}
	}
	b.ReportMetric(float64(n), "intents")
}

// BenchmarkRules runs each rule alone on the loaded graph, with a fresh
// engine each time: a rule that asks the engine pays for the intents it
// derives.
func BenchmarkRules(b *testing.B) {
	g := loaded(b)
	for _, r := range rules.All() {
		b.Run(r.Meta().ID, func(b *testing.B) {
			for b.Loop() {
				p := rules.NewPass(g, r.Meta()).WithEngine(policy.NewEngine(g))
				if err := r.Check(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScan is the whole scan, as `s3lint scan` runs it, less the
// report; it also checks that exactly the planted defects are found.
func BenchmarkScan(b *testing.B) {
	dir := corpus(b)
	var res *scan.Result
	for b.Loop() {
		res = scan.Run(scan.Options{Paths: []string{dir}, Rules: rules.All()})
	}
	want := map[string]int{}
	for _, d := range corpusRepo.Defects() {
		want[fmt.Sprintf("%s %s:%d", d.Rule, d.File, d.Line)]++
	}
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(dir, f.Range.File)
		want[fmt.Sprintf("%s %s:%d", f.RuleID, filepath.ToSlash(rel), f.Range.Start.Line)]--
	}
	for k, n := range want {
		if n != 0 {
			b.Errorf("%s: planted minus found = %d", k, n)
		}
	}
}
