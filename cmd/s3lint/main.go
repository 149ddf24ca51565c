// Command s3lint finds the Terraform configurations that end in S3 "403 Access
// Denied", before anything is deployed.
//
// Exit codes: 0 when nothing at or above --fail-on was found, 1 when findings
// were, 2 for usage errors and for input that could not be read.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/graph"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// exitError carries an exit code out of a command.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func main() {
	tuneMemory()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code; main is a thin
// wrapper so that tests can run the whole CLI in process.
func run(args []string, stdout, stderr io.Writer) (exit int) {
	root := newRootCmd(stdout, stderr)
	defer func() {
		// The loaders and the rules turn their own panics into errors for
		// one file or rule; anything else still ends with a message and
		// exit code 2, not a crash dump.
		if v := recover(); v != nil {
			debug, _ := root.PersistentFlags().GetBool("debug")
			d := graph.InternalError("", "running s3lint", v)
			d.Message += " (please report it; --debug shows where)"
			_ = writeDiagnostics(stderr, false, []graph.Diagnostic{d}, false, debug)
			exit = exitError
		}
	}()
	root.SetArgs(args)
	err := root.Execute()
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	default:
		fmt.Fprintln(stderr, "s3lint:", err)
		return exitError
	}
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "s3lint",
		Short: "Find the Terraform and CloudFormation configurations that end in S3 403 Access Denied",
		Long: `s3lint reads Terraform configurations and CloudFormation templates offline and reports the
policies and settings that make S3 requests fail with 403 Access Denied, with the file and line
to fix.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().Bool("debug", false, "print the stack of internal errors with their message")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newScanCmd(stdout, stderr), newExplainCmd(stdout, stderr), newAccessCmd(stdout, stderr), newRulesCmd(stdout), newVersionCmd(stdout), newDumpCmd(stdout, stderr),
		newBaselineCmd(stdout, stderr), newFixCmd(stdout, stderr))
	return root
}

// debugOn reports whether --debug was given to the command line that runs c.
func debugOn(c *cobra.Command) bool {
	on, err := c.Flags().GetBool("debug")
	return err == nil && on
}
