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
