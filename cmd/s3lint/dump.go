package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/scan"
)

// newDumpCmd prints what the loaders understood: every bucket, principal and
// policy with its located document. It is for debugging configurations (and
// s3lint itself), so it is hidden from the help.
func newDumpCmd(stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:    "dump [PATH...]",
		Short:  "Print the resource graph s3lint builds (for debugging)",
		Hidden: true,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			lim, err := f.limits.limits(stderr)
			if err != nil {
				return err
			}
			res := scan.Run(scan.Options{Paths: args, VarFiles: f.varFiles, Vars: f.vars, Limits: lim})
			g := res.Graph
			for _, b := range g.Buckets {
				fmt.Fprintf(stdout, "bucket %s name=%q arn=%q account=%q at %s\n", b.Address, b.Name.V, b.ARN.V, b.Account, b.Range.Short())
				dumpBucketSettings(stdout, b)
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
			for _, a := range g.AccountBlocks {
				fmt.Fprintf(stdout, "account public access block %s account=%q at %s\n", a.Address, a.Account, a.Range.Short())
				dumpBPA(stdout, "  ", &a.PublicAccessBlock)
			}
			for _, ap := range g.AccessPoints {
				bucket := ""
				if ap.Bucket != nil {
					bucket = ap.Bucket.Address
				}
				fmt.Fprintf(stdout, "access point %s name=%q bucket=%s policy=%v vpc=%q at %s\n", ap.Address, ap.Name.V, bucket, ap.Policy != nil, ap.VpcID.V, ap.Range.Short())
			}
			for _, e := range g.Endpoints {
				fmt.Fprintf(stdout, "endpoint %s service=%q type=%q vpc=%q policy=%v at %s\n", e.Address, e.Service.V, e.Type.V, e.VpcID.V, e.Policy != nil, e.Range.Short())
			}
			for _, k := range g.Keys {
				fmt.Fprintf(stdout, "key %s arn=%q policy=%v at %s\n", k.Address, k.ARN.V, k.Policy != nil, k.Range.Short())
			}
			for _, d := range res.Diagnostics {
				at := d.Range.String()
				if d.Range.File == "" {
					at = d.File
				}
				fmt.Fprintf(stdout, "%s %s: %s\n", d.Severity, at, d.Message)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&f.varFiles, "var-file", nil, "tfvars file applied to every root module")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "variable assignment NAME=VALUE")
	addLimitFlags(cmd.Flags(), &f.limits)
	return cmd
}

// dumpBucketSettings prints the settings s3lint read for a bucket, each with
// its origin and the resource that declares it.
func dumpBucketSettings(w io.Writer, b *graph.Bucket) {
	if b.PublicAccessBlock != nil {
		fmt.Fprintf(w, "  public access block by %s at %s\n", b.PublicAccessBlock.Address, b.PublicAccessBlock.Range.Short())
		dumpBPA(w, "    ", b.PublicAccessBlock)
	}
	own := b.ObjectOwnership()
	fmt.Fprintf(w, "  ownership %s (%s) at %s\n", own.V, own.Origin, own.Range.Short())
	for _, acl := range b.ACLs {
		fmt.Fprintf(w, "  acl by %s canned=%q (%s) grants=%d at %s\n", acl.Address, acl.Canned.V, acl.Canned.Origin, len(acl.Grants), acl.Range.Short())
		for _, gr := range acl.Grants {
			fmt.Fprintf(w, "    grant %s id=%q uri=%q %s at %s\n", gr.Type.V, gr.ID.V, gr.URI.V, gr.Permission.V, gr.Range.Short())
		}
	}
	for _, acl := range b.ObjectACLs {
		fmt.Fprintf(w, "  object acl by %s key=%q (%s) canned=%q (%s) at %s\n", acl.Address, acl.Key.V, acl.Key.Origin, acl.Canned.V, acl.Canned.Origin, acl.Range.Short())
	}
	if v := b.Versioning; v != nil {
		fmt.Fprintf(w, "  versioning by %s status=%q (%s) mfa_delete=%v (%s) at %s\n", v.Address, v.Status.V, v.Status.Origin, v.MFADelete.V, v.MFADelete.Origin, v.Range.Short())
	}
	if e := b.Encryption; e != nil {
		key := ""
		if e.Key != nil {
			key = e.Key.Address
		}
		fmt.Fprintf(w, "  encryption by %s algorithm=%q (%s) key_id=%q (%s) key=%s bucket_key=%v at %s\n", e.Address, e.Algorithm.V, e.Algorithm.Origin, e.KeyID.V, e.KeyID.Origin, key, e.BucketKey.V, e.Range.Short())
	}
	if b.Lifecycle != nil {
		fmt.Fprintf(w, "  lifecycle by %s at %s\n", b.Lifecycle.Address, b.Lifecycle.Range.Short())
	}
	if b.Website != nil {
		fmt.Fprintf(w, "  website by %s at %s\n", b.Website.Address, b.Website.Range.Short())
	}
	if rp := b.RequestPayment; rp != nil {
		fmt.Fprintf(w, "  request payment by %s payer=%q (%s) at %s\n", rp.Address, rp.Payer.V, rp.Payer.Origin, rp.Range.Short())
	}
}

func dumpBPA(w io.Writer, indent string, p *graph.PublicAccessBlock) {
	for _, f := range []struct {
		name string
		v    graph.Bool
	}{{"BlockPublicAcls", p.BlockPublicAcls}, {"IgnorePublicAcls", p.IgnorePublicAcls},
		{"BlockPublicPolicy", p.BlockPublicPolicy}, {"RestrictPublicBuckets", p.RestrictPublicBuckets}} {
		fmt.Fprintf(w, "%s%s=%v (%s)\n", indent, f.name, f.v.V, f.v.Origin)
	}
}
