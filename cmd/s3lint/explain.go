package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/expect"
	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
	"github.com/s3lint/s3lint/report"
	"github.com/s3lint/s3lint/resolve"
	"github.com/s3lint/s3lint/scan"
)

// Exit codes of explain, beyond exitOK (allowed), exitFindings (denied) and
// exitError.
const exitUnknown = 3

type explainFlags struct {
	load        scanFlags
	principal   string
	action      string
	resource    string
	context     []string
	absent      []string
	endpoint    string
	internet    bool
	objectOwner string
	multipart   bool
}

func addLoadFlags(cmd *cobra.Command, f *scanFlags) {
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text or json")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "tfvars file applied to every root module (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "variable assignment NAME=VALUE applied to every root module (repeatable)")
	fl.StringArrayVar(&f.params, "parameters", nil, "CloudFormation parameters file applied to every template (repeatable)")
	addConfigFlags(fl, &f.supp)
	addLimitFlags(fl, &f.limits)
}

func newExplainCmd(stdout, stderr io.Writer) *cobra.Command {
	var f explainFlags
	cmd := &cobra.Command{
		Use:   "explain --principal P --action A --resource R [PATH...]",
		Short: "Decide one S3 request offline and show AWS's checklist, step by step",
		Long: `Explain decides whether a principal may make one S3 request, from the configuration alone,
walking the checks AWS makes in order: the caller, Block Public Access, identity policies and
permissions boundary, the bucket policy, ACLs and object ownership, MFA delete, the VPC endpoint
policy, the KMS key, and same- versus cross-account. Each step says allowed, denied, not involved
or unknown and points at the file and line it read; a deny ends with the fix.

--principal is a Terraform address (aws_iam_role.etl, module.app.aws_iam_role.task), a
CloudFormation logical ID, an IAM role, user, assumed-role or root ARN, a 12-digit account (its
root user), a service principal (logging.s3.amazonaws.com) or "anonymous".
--resource is an S3 ARN (arn:aws:s3:::bucket/key) or a bucket's address, optionally followed by
/key (aws_s3_bucket.data/reports/x.csv).

Values that depend on the request are unknown unless given with --context KEY=VALUE (repeatable;
give a key several times for several values) or --absent KEY; the engine assumes HTTPS and a
direct call, and says so.

Exit codes: 0 ALLOW, 1 EXPLICIT DENY, IMPLICIT DENY or DENY (refused whatever the policies allow,
with no Deny statement: MFA delete, the aws/s3 key across accounts, a KMS-encrypted object or a
Requester Pays bucket read anonymously), 3 UNKNOWN, 2 usage errors or unreadable input (the answer is still printed, from
what could be read).`,
		RunE: func(c *cobra.Command, args []string) error {
			f.load.debug = debugOn(c)
			return runExplain(args, f, stdout, stderr)
		},
	}
	addLoadFlags(cmd, &f.load)
	fl := cmd.Flags()
	fl.StringVarP(&f.principal, "principal", "p", "", "who makes the request (address, logical ID, ARN, account, service or anonymous)")
	fl.StringVarP(&f.action, "action", "a", "", "the S3 action, e.g. s3:GetObject")
	fl.StringVarP(&f.resource, "resource", "r", "", "the S3 ARN, or a bucket address optionally followed by /key")
	fl.StringArrayVar(&f.context, "context", nil, "condition key value KEY=VALUE (repeatable)")
	fl.StringArrayVar(&f.absent, "absent", nil, "condition key the request does not carry (repeatable)")
	fl.StringVar(&f.endpoint, "endpoint", "", "the request comes through this VPC endpoint (address or logical ID)")
	fl.BoolVar(&f.internet, "internet", false, "the request does not come through a VPC endpoint")
	fl.StringVar(&f.objectOwner, "object-owner", "", "account that owns the object, when another account uploaded it")
	fl.BoolVar(&f.multipart, "multipart", false, "ask about a multipart upload (SSE-KMS needs kms:Decrypt too)")
	return cmd
}

func runExplain(paths []string, f explainFlags, stdout, stderr io.Writer) error {
	switch f.load.format {
	case "text", "json":
	default:
		return usageError(stderr, "--format: unknown format %q (want text or json)", f.load.format)
	}
	for _, req := range []struct{ flag, v string }{{"--principal", f.principal}, {"--action", f.action}, {"--resource", f.resource}} {
		if req.v == "" {
			return usageError(stderr, "%s is required", req.flag)
		}
	}
	if f.internet && f.endpoint != "" {
		return usageError(stderr, "--internet and --endpoint exclude each other")
	}
	act := policy.LookupAction(f.action)
	if act == nil {
		msg := fmt.Sprintf("--action: %q is not an action of the S3 or KMS tables", f.action)
		if svc, _, _ := strings.Cut(strings.ToLower(f.action), ":"); svc == "s3express" || svc == "s3tables" || svc == "s3-object-lambda" {
			msg += "; explain decides requests to general purpose buckets (s3:) only: " + svc + " requests are authorized under rules s3lint does not model"
		} else if s := policy.SuggestAction(f.action); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		return usageError(stderr, "%s", msg)
	}
	ctx := policy.Context{}
	for _, kv := range f.context {
		k, v, ok := cutAssign(kv)
		if !ok {
			return usageError(stderr, "--context %q: want KEY=VALUE", kv)
		}
		prev := ctx.Get(k)
		ctx.Set(k, append(prev.Values, v)...)
	}
	for _, k := range f.absent {
		ctx.SetAbsent(k)
	}
	res, inputErr, err := load(paths, f.load, stderr)
	if err != nil {
		return err
	}
	g := res.Graph
	eng := policy.NewEngine(g)
	caller, err := resolve.Caller(g, f.principal)
	if err != nil {
		return usageError(stderr, "--principal: %v", err)
	}
	arn, err := resolve.Resource(g, f.resource)
	if err != nil {
		return usageError(stderr, "--resource: %v", err)
	}
	req := policy.Request{Caller: caller, Action: act.String(), Resource: arn, Context: ctx, ObjectOwner: graph.Account(f.objectOwner), Multipart: f.multipart}
	switch {
	case f.internet:
		req.Network = policy.NetworkInternet
	case f.endpoint != "":
		ep, err := resolve.Endpoint(g, f.endpoint)
		if err != nil {
			return usageError(stderr, "--endpoint: %v", err)
		}
		req.Network, req.Endpoint = policy.NetworkEndpoint, ep
	}
	d := eng.Decide(req)
	if f.load.format == "json" {
		err = report.WriteDecisionJSON(stdout, &d)
	} else {
		err = report.WriteDecisionText(stdout, &d, report.TextOptions{Color: useColor(stdout)})
	}
	if err != nil {
		return err
	}
	switch {
	case inputErr:
		return exitCode(exitError)
	case d.Outcome == policy.Allow:
		return nil
	case d.Outcome == policy.Unknown:
		return exitCode(exitUnknown)
	}
	return exitCode(exitFindings)
}

// load reads the configuration for explain and access, printing input
// problems. A non-nil error is a usage error; inputErr says that some input
// could not be read, so the command answers from the rest and exits 2.
func load(paths []string, f scanFlags, stderr io.Writer) (res *scan.Result, inputErr bool, err error) {
	cfg, err := f.supp.setup(paths, &f, stderr)
	if err != nil {
		return nil, false, err
	}
	for _, v := range f.vars {
		if _, _, ok := cutAssign(v); !ok {
			return nil, false, usageError(stderr, "--var %q: want NAME=VALUE", v)
		}
	}
	lim, err := f.limits.limits(stderr)
	if err != nil {
		return nil, false, err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	opts := scan.Options{Paths: paths, VarFiles: f.varFiles, Vars: f.vars, ParameterFiles: f.params, Limits: lim}
	if cfg != nil && len(cfg.Exclude) > 0 {
		opts.Exclude = cfg.Excluded
	}
	res = scan.Run(opts)
	if err := writeDiagnostics(stderr, useColor(stderr), res.Diagnostics, false, f.debug); err != nil {
		return nil, false, err
	}
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			inputErr = true
		}
	}
	return res, inputErr, nil
}

func newAccessCmd(stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	var suggest bool
	cmd := &cobra.Command{
		Use:   "access [PATH...]",
		Short: "Show, per bucket, who can list, read, write and delete, and who is meant to but cannot",
		Long: `Access decides, for every bucket and every principal that some policy relates to it (a role's
identity policy naming the bucket, or the bucket policy naming a role, user, service or everyone),
whether it can list, read, write and delete, and marks the access a policy means to grant that the
principal does not get, with the reason.

Exit codes: 0 on success, 2 usage errors or unreadable input (the table still covers the rest).`,
		RunE: func(c *cobra.Command, args []string) error {
			f.debug = debugOn(c)
			switch f.format {
			case "text", "json":
			default:
				return usageError(stderr, "--format: unknown format %q (want text or json)", f.format)
			}
			res, inputErr, err := load(args, f, stderr)
			if err != nil {
				return err
			}
			eng := policy.NewEngine(res.Graph)
			if suggest {
				err = report.WriteExpectYAML(stdout, expect.Suggest(eng))
				if err == nil && inputErr {
					err = exitCode(exitError)
				}
				return err
			}
			table := eng.AccessTable(eng.AccessIntents())
			if f.format == "json" {
				err = report.WriteAccessJSON(stdout, table)
			} else {
				err = report.WriteAccessText(stdout, table, report.TextOptions{Color: useColor(stdout)})
			}
			if err == nil && inputErr {
				err = exitCode(exitError)
			}
			return err
		},
	}
	addLoadFlags(cmd, &f)
	cmd.Flags().BoolVar(&suggest, "suggest", false,
		"print the expect: entries for .s3lint.yaml that today's configuration satisfies, ready to paste")
	return cmd
}
