package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/scan"
)

// newDumpCmd prints what the loaders understood: every bucket, principal and
// policy with its located document. It is for debugging configurations (and
// s3lint itself), so it is hidden from the help.
func newDumpCmd(stdout io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:    "dump [PATH...]",
		Short:  "Print the resource graph s3lint builds (for debugging)",
		Hidden: true,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			res := scan.Run(scan.Options{Paths: args, VarFiles: f.varFiles, Vars: f.vars})
			g := res.Graph
			for _, b := range g.Buckets {
				fmt.Fprintf(stdout, "bucket %s name=%q arn=%q account=%q at %s\n", b.Address, b.Name.V, b.ARN.V, b.Account, b.Range.Short())
			}
			for _, p := range g.Principals {
				fmt.Fprintf(stdout, "%s %s name=%q arn=%q policies=%d at %s\n", p.Kind, p.Address, p.Name.V, p.ARN.V, len(p.Policies), p.Range.Short())
			}
			for _, p := range g.Policies {
				fmt.Fprintf(stdout, "%s %s at %s\n", p.Kind, p.Address, p.DocRange.Short())
				if p.Doc == nil {
					fmt.Fprintln(stdout, "  (unknown document)")
					continue
				}
				for _, st := range p.Doc.Statements {
					fmt.Fprintf(stdout, "  statement %d at %s unknown=%v effect=%q\n", st.Index, st.Range.Short(), st.Unknown, st.Effect.V)
					for _, it := range st.Action.Items {
						fmt.Fprintf(stdout, "    action %q (%s) at %s\n", it.V, it.Origin, it.Range)
					}
					for _, it := range st.Resource.Items {
						fmt.Fprintf(stdout, "    resource %q (%s) at %s\n", it.V, it.Origin, it.Range)
					}
				}
				for _, pr := range p.Doc.Problems {
					fmt.Fprintf(stdout, "  problem at %s: %s\n", pr.Range, pr.Message)
				}
			}
			for _, d := range res.Diagnostics {
				fmt.Fprintf(stdout, "%s %s: %s\n", d.Severity, d.Range, d.Message)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&f.varFiles, "var-file", nil, "tfvars file applied to every root module")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "variable assignment NAME=VALUE")
	return cmd
}
