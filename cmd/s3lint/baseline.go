package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/s3lint/s3lint/baseline"
	"github.com/s3lint/s3lint/config"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/report"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

// suppressFlags are the flags for the configuration file, suppressions and
// the baseline.
type suppressFlags struct {
	flags          *pflag.FlagSet // to tell flags given from defaults
	config         string
	noConfig       bool
	baseline       string
	showSuppressed bool
}

// addConfigFlags adds --config and --no-config.
func addConfigFlags(fl *pflag.FlagSet, s *suppressFlags) {
	s.flags = fl
	fl.StringVar(&s.config, "config", "", "configuration file (default: .s3lint.yaml in the scanned directory or above it, up to the repository root)")
	fl.BoolVar(&s.noConfig, "no-config", false, "read no configuration file")
}

// addSuppressFlags adds the configuration flags, --baseline and
// --show-suppressed.
func addSuppressFlags(fl *pflag.FlagSet, s *suppressFlags) {
	addConfigFlags(fl, s)
	fl.StringVar(&s.baseline, "baseline", "", "report only findings that are not in this baseline file (see s3lint baseline write)")
	fl.BoolVar(&s.showSuppressed, "show-suppressed", false, "also print suppressed findings in the text report, marked (suppressed)")
}

// setup reads the configuration file for paths and applies it to the flags
// the command line did not set: fail-on; var-files and parameters come
// before those of the command line, whose values win. It returns nil when
// no configuration file applies.
func (s *suppressFlags) setup(paths []string, f *scanFlags, stderr io.Writer) (*config.Config, error) {
	if s.noConfig {
		if s.config != "" {
			return nil, usageError(stderr, "--config and --no-config exclude each other")
		}
		return nil, nil
	}
	name := s.config
	if name == "" {
		start := "."
		if len(paths) > 0 {
			start = paths[0]
		}
		if info, err := os.Stat(start); err == nil && !info.IsDir() {
			start = filepath.Dir(start)
		}
		// A directory that cannot be resolved has no configuration;
		// the scan reports the path itself.
		found, _ := config.Find(start)
		if found == "" {
			return nil, nil
		}
		name = found
	}
	reg, err := rules.NewRegistry(rules.All()...)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(name, func(s string) (string, bool) {
		if r := reg.Lookup(s); r != nil {
			return r.Meta().ID, true
		}
		return "", false
	})
	if err != nil {
		var es config.Errors
		if errors.As(err, &es) {
			for _, e := range es {
				fmt.Fprintf(stderr, "%s\n", configError(e))
			}
			return nil, exitCode(exitError)
		}
		return nil, usageError(stderr, "%v", err)
	}
	if cfg.FailOn != nil && (s.flags == nil || !s.flags.Changed("fail-on")) {
		f.failOn = cfg.FailOn.String()
	}
	f.varFiles = append(append([]string(nil), cfg.VarFiles...), f.varFiles...)
	f.params = append(append([]string(nil), cfg.Parameters...), f.params...)
	return cfg, nil
}

// configError formats a configuration error like a diagnostic.
func configError(e *config.Error) string {
	pos := e.File
	switch {
	case e.Line > 0 && e.Col > 0:
		pos = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	case e.Line > 0:
		pos = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return pos + ": error: " + e.Msg
}

// options sets the scan options that come from the configuration and the
// suppression flags; with useBaseline, it reads the baseline of --baseline
// or of the configuration.
func (s *suppressFlags) options(opts *scan.Options, cfg *config.Config, reg *rules.Registry, useBaseline bool, stderr io.Writer) error {
	opts.Rules = cfg.Enabled(reg.All())
	opts.Severity = cfg.Severities()
	if cfg != nil && len(cfg.Exclude) > 0 {
		opts.Exclude = cfg.Excluded
	}
	if cfg != nil {
		opts.Expectations = cfg.Expect
	}
	opts.KnownRule = func(id string) bool { return reg.Lookup(id) != nil }
	if !useBaseline {
		return nil
	}
	name := s.baseline
	if name == "" && cfg != nil {
		name = cfg.Baseline
	}
	if name == "" {
		return nil
	}
	b, err := baseline.Read(name)
	if err != nil {
		return usageError(stderr, "--baseline: %v", err)
	}
	opts.Baseline, opts.BaselineName = b, filepath.ToSlash(name)
	return nil
}

func newBaselineCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Accept today's findings, so that scan --baseline reports only new ones",
		Long: `A baseline is a JSON file of accepted findings. "s3lint baseline write FILE" scans as
"s3lint scan" does and records every finding it reports; "s3lint scan --baseline FILE" (or
baseline: FILE in .s3lint.yaml) then reports only findings that are not in the file.

Findings are matched by fingerprint: the rule, the file, the resource and the text of the
offending element, not its line, so adding lines above a finding or editing other files
does not bring it back.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	cmd.AddCommand(newBaselineWriteCmd(stdout, stderr))
	return cmd
}

func newBaselineWriteCmd(stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "write FILE [PATH...]",
		Short: "Scan the paths (default \".\") and write the findings to FILE as a baseline",
		Long: `Write scans the given files and directories (default ".") as "s3lint scan" does, with the
same configuration file, suppressions and variables, and writes every finding it reports to
FILE, replacing it. Entries are sorted and carry no line numbers, so the file changes only
when findings come or go.

Exit codes: 0 written, 2 usage errors or input that could not be read (the file is still
written, with what could be scanned).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			f.debug = debugOn(c)
			return runBaselineWrite(args[0], args[1:], f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "tfvars file applied to every root module (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "variable assignment NAME=VALUE applied to every root module (repeatable)")
	fl.StringArrayVar(&f.params, "parameters", nil, "CloudFormation parameters file applied to every template (repeatable)")
	addConfigFlags(fl, &f.supp)
	addLimitFlags(fl, &f.limits)
	return cmd
}

func runBaselineWrite(file string, paths []string, f scanFlags, stdout, stderr io.Writer) error {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	opts, srcRoot, err := scanOptions(paths, &f, false, stderr)
	if err != nil {
		return err
	}
	res := scan.Run(opts)
	if err := baseline.New(res.Findings, srcRoot).WriteFile(file); err != nil {
		return usageError(stderr, "%v", err)
	}
	fmt.Fprintf(stdout, "wrote %s to %s\n", plural(len(res.Findings), "finding"), file)
	if err := writeDiagnostics(stderr, useColor(stderr), res.Diagnostics, true, f.debug); err != nil {
		return err
	}
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			return exitCode(exitError)
		}
	}
	return nil
}

// writeDiagnostics writes the diagnostics of a scan, as every command that
// scans does: notes when asked, and with --debug the stacks of internal
// errors.
func writeDiagnostics(w io.Writer, color bool, ds []graph.Diagnostic, notes, debug bool) error {
	return report.WriteTextDiagnostics(w, &report.Result{Diagnostics: ds}, report.TextOptions{Color: color, ShowNotes: notes, Debug: debug})
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// scanOptions checks the flags a scan shares with baseline write and fix,
// reads the configuration, and returns the scan's options with the source
// root that fingerprints are relative to; useBaseline applies the
// baseline (baseline write records findings instead).
func scanOptions(paths []string, f *scanFlags, useBaseline bool, stderr io.Writer) (scan.Options, string, error) {
	cfg, err := f.supp.setup(paths, f, stderr)
	if err != nil {
		return scan.Options{}, "", err
	}
	for _, v := range f.vars {
		if _, _, ok := cutAssign(v); !ok {
			return scan.Options{}, "", usageError(stderr, "--var %q: want NAME=VALUE", v)
		}
	}
	lim, err := f.limits.limits(stderr)
	if err != nil {
		return scan.Options{}, "", err
	}
	reg, err := rules.NewRegistry(rules.All()...)
	if err != nil {
		return scan.Options{}, "", err
	}
	workDir, err := os.Getwd()
	if err != nil {
		return scan.Options{}, "", err
	}
	srcRoot := sourceRoot(paths, workDir)
	opts := scan.Options{Paths: paths, VarFiles: f.varFiles, Vars: f.vars, ParameterFiles: f.params, SrcRoot: srcRoot, Limits: lim}
	if err := f.supp.options(&opts, cfg, reg, useBaseline, stderr); err != nil {
		return scan.Options{}, "", err
	}
	return opts, srcRoot, nil
}
