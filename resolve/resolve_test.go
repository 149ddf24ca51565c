package resolve

import (
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

func TestBucket(t *testing.T) {
	g := &graph.Graph{Buckets: []*graph.Bucket{
		{Entity: graph.Entity{Address: "aws_s3_bucket.data"}, Name: graph.StringOf("acme-data", graph.Range{})},
		{Entity: graph.Entity{Address: "module.logs.aws_s3_bucket.this"}, Name: graph.StringOf("acme-logs", graph.Range{})},
		{Entity: graph.Entity{Address: "module.other.aws_s3_bucket.this"}, Name: graph.StringOf("acme-other", graph.Range{})},
		{Entity: graph.Entity{Address: "Reports"}, Name: graph.StringUnknown(graph.Range{})},
	}}
	for _, c := range []struct{ name, want, err string }{
		{"aws_s3_bucket.data", "aws_s3_bucket.data", ""},
		{"acme-data", "aws_s3_bucket.data", ""},
		{"arn:aws:s3:::acme-logs", "module.logs.aws_s3_bucket.this", ""},
		{"logs.aws_s3_bucket.this", "module.logs.aws_s3_bucket.this", ""},
		{"Reports", "Reports", ""},
		{"aws_s3_bucket.this", "", `"aws_s3_bucket.this" names several buckets: module.logs.aws_s3_bucket.this`},
		{"aws_s3_bucket.dat", "", `"aws_s3_bucket.dat" is not a bucket of the configuration (by address, logical ID, name or ARN); did you mean aws_s3_bucket.data?`},
		{"arn:aws:s3:::acme-gone", "", `"arn:aws:s3:::acme-gone" is not a bucket of the configuration`},
	} {
		b, err := Bucket(g, c.name)
		switch {
		case c.err != "":
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("Bucket(%q): err %v, want %q…", c.name, err, c.err)
			}
		case err != nil || b.Address != c.want:
			t.Errorf("Bucket(%q) = %v, %v; want %s", c.name, b, err, c.want)
		}
	}
}

// CDK output names resources by construct path, which holds slashes; a
// logical ID names them too.
func TestCDKNames(t *testing.T) {
	g := &graph.Graph{
		Buckets: []*graph.Bucket{
			{Entity: graph.Entity{Address: "Data/Raw/Resource", LogicalID: "Raw72517081"}, Name: graph.StringOf("acme-raw", graph.Range{})},
		},
		Principals: []*graph.Principal{
			{Entity: graph.Entity{Address: "Data/Analyst/Resource", LogicalID: "Analyst0F8FB54B"}, Kind: graph.Role,
				ARN: graph.StringOf("arn:aws:iam::111122223333:role/analyst", graph.Range{})},
		},
	}
	for _, c := range []struct{ in, want string }{
		{"Data/Raw/Resource", "arn:aws:s3:::acme-raw"},
		{"Data/Raw/Resource/reports/x.csv", "arn:aws:s3:::acme-raw/reports/x.csv"},
		{"Raw72517081/x.csv", "arn:aws:s3:::acme-raw/x.csv"},
	} {
		if got, err := Resource(g, c.in); err != nil || got != c.want {
			t.Errorf("Resource(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"Data/Analyst/Resource", "Analyst0F8FB54B"} {
		if c, err := Caller(g, in); err != nil || c.Principal == nil || c.Principal.Address != "Data/Analyst/Resource" {
			t.Errorf("Caller(%q) = %+v, %v; want the role", in, c, err)
		}
	}
}
