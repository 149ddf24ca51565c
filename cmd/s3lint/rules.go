package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/report"
	"github.com/s3lint/s3lint/rules"
)

func newRulesCmd(stdout io.Writer) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules [RULE]",
		Short: "List the rules, or show one rule's documentation",
		Long: `Rules lists the rules, or shows the documentation of one (by ID or name).

--format text (default): a table, or one rule's documentation.
--format markdown: an index table linking each rule's documentation page,
  or one rule's page, as in docs/rules/<ID>.md.
--format json: {"version", "tool", "rules": [...]} with each rule's metadata
  (id, name, title, severity, security_severity, precision, tags, since,
  default, help_uri) and its documentation page as markdown in "doc".`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return runRules(stdout, format, args)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, markdown or json")
	return cmd
}

func runRules(stdout io.Writer, format string, args []string) error {
	switch format {
	case "text", "markdown", "json":
	default:
		return fmt.Errorf("--format: unknown format %q (want text, markdown or json)", format)
	}
	reg, err := rules.NewRegistry(rules.All()...)
	if err != nil {
		return err
	}
	var metas []rules.Meta
	if len(args) == 1 {
		r := reg.Lookup(args[0])
		if r == nil {
			return fmt.Errorf("no rule %q (see s3lint rules)", args[0])
		}
		metas = []rules.Meta{r.Meta()}
	} else {
		for _, r := range reg.All() {
			metas = append(metas, r.Meta())
		}
	}
	switch {
	case format == "json":
		return report.WriteRulesJSON(stdout, "s3lint", version(), metas, helpURI)
	case format == "markdown" && len(args) == 1:
		_, err := io.WriteString(stdout, rules.Markdown(metas[0]))
		return err
	case format == "markdown":
		return report.WriteRulesMarkdown(stdout, metas, helpURI)
	case len(args) == 1:
		m := metas[0]
		_, err := fmt.Fprintf(stdout, "%s %s (%s)\n%s\n\n%s\n\n%s\n", m.ID, m.Name, m.Severity, m.Title, m.Doc, helpURI(m.ID))
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tTITLE")
	for _, m := range metas {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.ID, m.Severity, m.Name, m.Title)
	}
	return tw.Flush()
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
