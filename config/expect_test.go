package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/graph"
)

func TestParseExpect(t *testing.T) {
	src := `expect:
  - principal: aws_iam_role.app
    bucket: aws_s3_bucket.data
    prefix: reports/
    can: [list, read]
    cannot:
      - delete
  - bucket: "arn:aws:s3:::acme-data"
    public: false
  - {principal: Shipper, bucket: Logs, can: write}
`
	c, err := Parse("s.yaml", []byte(src), lookup)
	if err != nil {
		t.Fatal(err)
	}
	at := func(r graph.Range) string {
		return fmt.Sprintf("%d:%d-%d:%d %q", r.Start.Line, r.Start.Col, r.End.Line, r.End.Col, src[r.Start.Byte:r.End.Byte])
	}
	str := func(s graph.String) string { return s.V + "@" + at(s.Range) }
	var got []string
	for _, e := range c.Expect {
		line := "principal=" + str(e.Principal) + " bucket=" + str(e.Bucket) + " prefix=" + str(e.Prefix)
		for _, v := range e.Can {
			line += " can=" + str(v)
		}
		for _, v := range e.Cannot {
			line += " cannot=" + str(v)
		}
		if e.Public != nil {
			line += fmt.Sprintf(" public=%v@%s", e.Public.V, at(e.Public.Range))
		}
		got = append(got, line)
	}
	want := []string{
		`principal=aws_iam_role.app@2:16-2:32 "aws_iam_role.app" bucket=aws_s3_bucket.data@3:13-3:31 "aws_s3_bucket.data" prefix=reports/@4:13-4:21 "reports/" can=list@5:11-5:15 "list" can=read@5:17-5:21 "read" cannot=delete@7:9-7:15 "delete"`,
		`principal=@0:0-0:0 "" bucket=arn:aws:s3:::acme-data@8:13-8:37 "\"arn:aws:s3:::acme-data\"" prefix=@0:0-0:0 "" public=false@9:13-9:18 "false"`,
		`principal=Shipper@10:17-10:24 "Shipper" bucket=Logs@10:34-10:38 "Logs" prefix=@0:0-0:0 "" can=write@10:45-10:50 "write"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseExpectErrors(t *testing.T) {
	src := `expect:
  - principal: aws_iam_role.app
    can: [read]
  - bucket: b
  - principal: r
    bucket: b
    can: [read, fly]
    cannot: read
  - bucket: b
    public: maybe
  - bucket: b
    can: [list]
  - principal: r
    bucket: b
    kan: [read]
  - just a string
`
	_, err := Parse("s.yaml", []byte(src), lookup)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v, want Errors", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Error())
	}
	want := []string{
		"s.yaml:2:5: expect: an expectation needs a bucket",
		"s.yaml:4:5: expect: an expectation needs can or cannot (with a principal), or public",
		`s.yaml:7:11: expect: "read" is both in can and in cannot`,
		"s.yaml:7:17: expect: can: want list, read, write, delete",
		"s.yaml:10:13: expect: public: want false (or true)",
		"s.yaml:12:5: expect: can and cannot need a principal",
		`s.yaml:15:5: expect: unknown key "kan"; did you mean "can"? (want principal, bucket, prefix, can, cannot, public)`,
		"s.yaml:16:5: expect: an expectation is a mapping of principal, bucket, prefix, can, cannot, public",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
