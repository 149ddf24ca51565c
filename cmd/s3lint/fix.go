package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/fix"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/report"
	"github.com/s3lint/s3lint/rules"
	"github.com/s3lint/s3lint/scan"
)

type fixFlags struct {
	scanFlags
	dryRun bool
}

func newFixCmd(stdout, stderr io.Writer) *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "fix [--dry-run] [PATH...]",
		Short: "Repair, in place, the findings whose fix is mechanical and certain",
		Long: `Fix scans the given files and directories (default ".") as "s3lint scan" does and rewrites the
findings whose repair is mechanical and certain, keeping the formatting and comments of the file:
the object ARN ("…/*") missing beside a bucket ARN (S3L010), the bucket ARN missing beside its
objects (S3L011), an action name with one certain correction (S3L013), and the depends_on that
orders a public bucket policy after its public access block (S3L043). It then scans again and
prints what it fixed and what is left, which needs a person.

Only files inside the scanned paths are written, each atomically. An edit is made only where the
file still holds the text the scan saw. With input errors nothing is written.

--dry-run writes nothing and prints the changes as a unified diff.

Exit codes: 0 nothing is left to fix; 1 findings remain (with --dry-run: there are changes to
make or findings without a fix); 2 usage errors, input that could not be read, or a file that
could not be written.`,
		RunE: func(c *cobra.Command, args []string) error {
			f.debug = debugOn(c)
			return runFix(args, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.dryRun, "dry-run", false, "write nothing; print the changes as a unified diff")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "tfvars file applied to every root module (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "variable assignment NAME=VALUE applied to every root module (repeatable)")
	fl.StringArrayVar(&f.params, "parameters", nil, "CloudFormation parameters file applied to every template (repeatable)")
	addConfigFlags(fl, &f.supp)
	addLimitFlags(fl, &f.limits)
	return cmd
}

func runFix(paths []string, f fixFlags, stdout, stderr io.Writer) error {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	opts, srcRoot, err := scanOptions(paths, &f.scanFlags, true, stderr)
	if err != nil {
		return err
	}
	workDir, err := os.Getwd()
	if err != nil {
		return err
	}
	res := scan.Run(opts)
	if err := writeDiagnostics(stderr, useColor(stderr), res.Diagnostics, true, f.debug); err != nil {
		return err
	}
	if hasInputError(res.Diagnostics) {
		fmt.Fprintln(stderr, "s3lint: input errors: nothing was fixed")
		return exitCode(exitError)
	}
	plan := fix.Prepare(res.Findings, paths)
	for _, s := range plan.Skipped {
		fmt.Fprintf(stderr, "%s: note: the fix of %s is not applied: %s\n", position(s.Finding.Range), s.Finding.RuleID, s.Reason)
	}

	if f.dryRun {
		if err := plan.WriteDiff(stdout); err != nil {
			return err
		}
		unfixable := len(res.Findings) - len(plan.Fixed)
		fmt.Fprintf(stderr, "would fix %s in %s; %s without an automatic fix\n",
			plural(len(plan.Fixed), "finding"), plural(len(plan.Files), "file"), plural(unfixable, "finding"))
		if len(plan.Files) > 0 || unfixable > 0 {
			return exitCode(exitFindings)
		}
		return nil
	}

	if err := plan.Write(); err != nil {
		return usageError(stderr, "writing the fixes: %v", err)
	}
	for _, fd := range plan.Fixed {
		fmt.Fprintf(stdout, "%s: fixed %s: %s\n", position(fd.Range), fd.RuleID, fd.Fix.Description)
	}
	fmt.Fprintf(stdout, "fixed %s in %s\n", plural(len(plan.Fixed), "finding"), plural(len(plan.Files), "file"))

	// Scan again: what is left is what needs a person.
	after := res
	if len(plan.Files) > 0 {
		after = scan.Run(opts)
		if hasInputError(after.Diagnostics) {
			_ = writeDiagnostics(stderr, useColor(stderr), after.Diagnostics, false, f.debug)
			return exitCode(exitError)
		}
	}
	if len(after.Findings) == 0 {
		return nil
	}
	// A repaired grant or Deny takes effect, and may meet a Deny or leave
	// a gap that it hid before: those findings are new, and said so.
	appeared, left := splitAppeared(res.Findings, after.Findings)
	var metas []rules.Meta
	for _, r := range opts.Rules {
		metas = append(metas, r.Meta())
	}
	for _, group := range []struct {
		head string
		fs   []rules.Finding
	}{
		{"appeared with the fixes, now that what they repaired takes effect; review them:", appeared},
		{"left to fix by hand:", left},
	} {
		if len(group.fs) == 0 {
			continue
		}
		fmt.Fprintf(stdout, "\n%s %s\n", plural(len(group.fs), "finding"), group.head)
		rep := &report.Result{
			Tool: "s3lint", Version: version(), Findings: group.fs, Rules: metas, SrcRoot: srcRoot, WorkDir: workDir, HelpURI: helpURI,
		}
		if err := report.WriteText(stdout, rep, report.TextOptions{Color: useColor(stdout)}); err != nil {
			return err
		}
	}
	return exitCode(exitFindings)
}

// splitAppeared divides the findings of the scan after the fixes into
// those that the scan before did not have and the others. Findings are
// compared by rule, file and resource: the fixes move lines, and a message
// may quote the element a fix changed.
func splitAppeared(before, after []rules.Finding) (appeared, left []rules.Finding) {
	had := map[string]int{}
	for _, f := range before {
		had[findingKey(f)]++
	}
	for _, f := range after {
		k := findingKey(f)
		if had[k] > 0 {
			had[k]--
			left = append(left, f)
			continue
		}
		appeared = append(appeared, f)
	}
	return appeared, left
}

func findingKey(f rules.Finding) string {
	return f.RuleID + "\x00" + f.Range.File + "\x00" + f.Resource
}

func hasInputError(ds []graph.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == graph.DiagError {
			return true
		}
	}
	return false
}

// position formats the start of a range as file:line:col.
func position(r graph.Range) string {
	return fmt.Sprintf("%s:%d:%d", filepath.ToSlash(r.File), r.Start.Line, r.Start.Col)
}
