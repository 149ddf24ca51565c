package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/report"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

type scanFlags struct {
	format   string   // explain and access: one format to standard output
	formats  []string // scan: --format, paired with outputs
	outputs  []string
	failOn   string
	varFiles []string
	vars     []string
	params   []string
	supp     suppressFlags // --config, --baseline, --show-suppressed
	debug    bool          // --debug (the root command's flag)
	limits   limitFlags    // --max-file-size, --max-nesting, …
}

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan Terraform configurations and CloudFormation templates (default: the current directory)",
		Long: `Scan walks the given files and directories (default ".") and evaluates every Terraform
module and CloudFormation template (YAML, JSON, SAM, CDK output) it finds, then reports findings.

Reports: --format text (default), json, sarif, github (workflow commands that
annotate a pull request) or junit (JUnit XML for GitLab and Jenkins). Give
--format more than once for several reports of one scan, and --output once per
format: the i-th --output receives the i-th --format; a format without one
(or with "-") goes to standard output, which only one may do. For example
  s3lint scan --format sarif --output s3lint.sarif --format text
writes SARIF to s3lint.sarif and text to standard output.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on,
2 usage errors or input that could not be read (the rest of the scan still runs).`,
		RunE: func(c *cobra.Command, args []string) error {
			f.debug = debugOn(c)
			return runScan(args, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "report format: text (default), json, sarif, github or junit (repeatable)")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the report of the matching --format (the first --output for the first --format …) to this file instead of standard output (repeatable)")
	fl.StringVar(&f.failOn, "fail-on", "warning", "lowest severity that makes the exit code 1: error, warning, note or none")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "tfvars file applied to every root module (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "variable assignment NAME=VALUE applied to every root module (repeatable)")
	fl.StringArrayVar(&f.params, "parameters", nil, "CloudFormation parameters file applied to every template (repeatable)")
	addSuppressFlags(fl, &f.supp)
	addLimitFlags(fl, &f.limits)
	return cmd
}

func runScan(paths []string, f scanFlags, stdout, stderr io.Writer) error {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	// The configuration's fail-on is applied to f by scanOptions, before
	// it is parsed here.
	opts, srcRoot, err := scanOptions(paths, &f, true, stderr)
	if err != nil {
		return err
	}
	failOn, err := rules.ParseSeverity(f.failOn)
	if err != nil {
		return usageError(stderr, "--fail-on: %v", err)
	}
	outs, err := planOutputs(f.formats, f.outputs)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	workDir, err := os.Getwd()
	if err != nil {
		return err
	}
	res := scan.Run(opts)

	rep := &report.Result{
		Tool: "s3lint", Version: version(), Findings: res.Findings, Suppressed: res.Suppressed, Diagnostics: res.Diagnostics,
		SrcRoot: srcRoot, WorkDir: workDir, HelpURI: helpURI,
	}
	for _, r := range opts.Rules {
		rep.Rules = append(rep.Rules, r.Meta())
	}

	if err := writeOutputs(outs, rep, report.TextOptions{ShowSuppressed: f.supp.showSuppressed}, stdout, stderr); err != nil {
		return err
	}
	// Input problems and notes go to stderr in every format, so a CI log
	// shows them even when the report is SARIF.
	diagOut := bufio.NewWriterSize(stderr, 64<<10)
	err = writeDiagnostics(diagOut, useColor(stderr), res.Diagnostics, true, f.debug)
	if ferr := diagOut.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			return exitCode(exitError)
		}
	}
	if failOn != 0 {
		for _, fd := range res.Findings {
			if fd.Severity >= failOn {
				return exitCode(exitFindings)
			}
		}
	}
	return nil
}

func usageError(stderr io.Writer, format string, args ...any) error {
	fmt.Fprintf(stderr, "s3lint: "+format+"\n", args...)
	return exitCode(exitError)
}

func cutAssign(s string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(s, "=")
	return name, value, ok && name != ""
}

// sourceRoot is the repository root above the first path (the directory
// holding .git), so SARIF URIs are repository-relative; without one it is
// the working directory.
func sourceRoot(paths []string, workDir string) string {
	start, err := filepath.Abs(paths[0])
	if err != nil {
		return workDir
	}
	if info, err := os.Stat(start); err == nil && !info.IsDir() {
		start = filepath.Dir(start)
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			return workDir
		}
	}
}

// useColor: colour only on a terminal, and never with NO_COLOR set.
func useColor(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func helpURI(id string) string {
	return "https://github.com/s3lint/s3lint/blob/main/docs/rules/" + id + ".md"
}
