// Command check compares s3lint's findings on a generated repository with
// the defects the generator planted in it:
//
//	go run ./bench/check REPO/expected.json FINDINGS.json
//
// FINDINGS.json is the output of s3lint scan --format json REPO. Every
// planted defect must be found at its rule, file and line, and nothing else
// may be reported: the rest of the repository is correct. It prints one
// line and exits 1 on any difference.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type expected struct {
	Defects []struct {
		Rule string `json:"rule"`
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"defects"`
}

type report struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Location struct {
			File  string `json:"file"`
			Start struct {
				Line int `json:"line"`
			} `json:"start"`
		} `json:"location"`
	} `json:"findings"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: check REPO/expected.json FINDINGS.json")
		os.Exit(2)
	}
	var exp expected
	var rep report
	if err := read(os.Args[1], &exp); err != nil {
		fail(err)
	}
	if err := read(os.Args[2], &rep); err != nil {
		fail(err)
	}
	repo := filepath.ToSlash(filepath.Dir(os.Args[1])) + "/"
	want := map[string]int{}
	for _, d := range exp.Defects {
		want[fmt.Sprintf("%s %s:%d", d.Rule, d.File, d.Line)]++
	}
	got := map[string]int{}
	for _, f := range rep.Findings {
		file := strings.TrimPrefix(filepath.ToSlash(f.Location.File), repo)
		got[fmt.Sprintf("%s %s:%d", f.Rule, file, f.Location.Start.Line)]++
	}
	missed, extra := diff(want, got), diff(got, want)
	fmt.Printf("planted %d, found %d, missed %d, unexpected %d\n", len(exp.Defects), len(exp.Defects)-len(missed), len(missed), len(extra))
	for _, m := range missed {
		fmt.Println("  missed:    ", m)
	}
	for _, e := range extra {
		fmt.Println("  unexpected:", e)
	}
	if len(missed)+len(extra) > 0 {
		os.Exit(1)
	}
}

// diff lists what a has more of than b.
func diff(a, b map[string]int) []string {
	var out []string
	for k, n := range a {
		for range n - b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func read(name string, v any) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "check:", err)
	os.Exit(2)
}
