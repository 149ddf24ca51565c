package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/s3lint/s3lint/report"
)

// scanFormats are the report formats of scan.
var scanFormats = []string{"text", "json", "sarif", "github", "junit"}

// output is one report: a format and where it goes ("" for standard
// output).
type output struct {
	format string
	path   string
}

// planOutputs pairs the i-th --output with the i-th --format; a format
// without an --output (or with "-") goes to standard output, which at most
// one may do. No --format means text. An --output without a format to pair
// with, the same file twice and an unknown format are usage errors.
func planOutputs(formats, paths []string) ([]output, error) {
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	if len(paths) > len(formats) {
		return nil, fmt.Errorf("--output %q has no --format to pair with: the i-th --output receives the report of the i-th --format", paths[len(formats)])
	}
	var outs []output
	stdout := ""
	files := map[string]string{}
	for i, f := range formats {
		if !isScanFormat(f) {
			return nil, fmt.Errorf("--format: unknown format %q (want %s)", f, strings.Join(scanFormats, ", "))
		}
		o := output{format: f}
		if i < len(paths) {
			switch paths[i] {
			case "":
				return nil, errors.New("--output: empty file name (use - for standard output)")
			case "-":
			default:
				o.path = paths[i]
			}
		}
		if o.path == "" {
			if stdout != "" {
				return nil, fmt.Errorf("--format %s and --format %s would both go to standard output: give all but one an --output file", stdout, f)
			}
			stdout = f
		} else {
			key := filepath.Clean(o.path)
			if prev, dup := files[key]; dup {
				return nil, fmt.Errorf("--output %q is given for both --format %s and --format %s", o.path, prev, f)
			}
			files[key] = f
		}
		outs = append(outs, o)
	}
	return outs, nil
}

func isScanFormat(f string) bool {
	for _, s := range scanFormats {
		if f == s {
			return true
		}
	}
	return false
}

// writeOutputs writes rep in each format to its destination. Text is
// coloured only on a terminal (see useColor); text options otherwise come
// from textOpts. Every output is attempted; the first error is returned,
// and a file that cannot be created is a usage error (exit 2).
func writeOutputs(outs []output, rep *report.Result, textOpts report.TextOptions, stdout, stderr io.Writer) error {
	var first error
	for _, o := range outs {
		w := stdout
		var file *os.File
		if o.path != "" {
			var err error
			file, err = os.Create(o.path)
			if err != nil {
				if first == nil {
					first = usageError(stderr, "--output: %v", err)
				}
				continue
			}
			w = file
		}
		opts := textOpts
		opts.Color = file == nil && useColor(stdout)
		// Reports are written as they are formatted, through a buffer:
		// thousands of findings are not thousands of writes.
		bw := bufio.NewWriterSize(w, 64<<10)
		err := writeReport(bw, o.format, rep, opts)
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		if file != nil {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil && first == nil {
			first = err
		}
		if o.format == "sarif" {
			if n := report.SARIFOmitted(rep); n > 0 {
				fmt.Fprintf(stderr, "s3lint: note: the SARIF report holds the %d most severe of %d findings (GitHub code scanning accepts no more in a run); %d are left out\n",
					report.MaxSARIFResults, len(rep.Findings), n)
			}
		}
	}
	return first
}

func writeReport(w io.Writer, format string, rep *report.Result, opts report.TextOptions) error {
	switch format {
	case "json":
		return report.WriteJSON(w, rep)
	case "sarif":
		return report.WriteSARIF(w, rep)
	case "github":
		return report.WriteGitHub(w, rep)
	case "junit":
		return report.WriteJUnit(w, rep)
	default:
		return report.WriteText(w, rep, opts)
	}
}
