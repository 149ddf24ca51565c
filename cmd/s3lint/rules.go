package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/rules"
)

func newRulesCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "rules [RULE]",
		Short: "List the rules, or show one rule's documentation",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			reg, err := rules.NewRegistry(rules.All()...)
			if err != nil {
				return err
			}
			if len(args) == 1 {
				r := reg.Lookup(args[0])
				if r == nil {
					return fmt.Errorf("no rule %q (see s3lint rules)", args[0])
				}
				m := r.Meta()
				_, err := fmt.Fprintf(stdout, "%s %s (%s)\n%s\n\n%s\n", m.ID, m.Name, m.Severity, m.Title, m.Doc)
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tTITLE")
			for _, r := range reg.All() {
				m := r.Meta()
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.ID, m.Severity, m.Name, m.Title)
			}
			return tw.Flush()
		},
	}
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(stdout, "s3lint", version())
			return err
		},
	}
}

// buildVersion is set at link time (-ldflags "-X main.buildVersion=v1.2.3");
// otherwise the module version from the build info is used.
var buildVersion = ""

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}
