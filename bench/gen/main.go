// Command gen writes a synthetic infrastructure repository (Terraform,
// CloudFormation, SAM and unrelated noise files) with a known set of planted
// s3lint defects, for benchmarks and end-to-end accuracy checks (see
// bench/internal/synth).
//
//	go run ./bench/gen -files N -out DIR [-seed S] [-force]
//
// DIR/expected.json lists every planted defect as rule, file and line.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/s3lint/s3lint/bench/internal/synth"
)

func main() {
	files := flag.Int("files", 1000, "number of files to write (every file counts, expected.json included)")
	out := flag.String("out", "", "output directory (must be empty or absent unless -force)")
	seed := flag.Uint64("seed", 1, "random seed")
	force := flag.Bool("force", false, "write into a non-empty directory")
	flag.Parse()
	if *out == "" || *files < 1 {
		fmt.Fprintln(os.Stderr, "usage: gen -files N -out DIR [-seed S] [-force]")
		os.Exit(2)
	}
	if !*force {
		if ents, err := os.ReadDir(*out); err == nil && len(ents) > 0 {
			fmt.Fprintf(os.Stderr, "gen: %s is not empty (use -force)\n", *out)
			os.Exit(2)
		}
	}
	repo := synth.Generate(*files, *seed)
	if err := repo.Write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %d files to %s (%s), %d planted defects (%s), seed %d\n",
		len(repo.Files)+1, filepath.Clean(*out), repo.Mix(), len(repo.Defects()), repo.DefectSummary(), *seed)
}
