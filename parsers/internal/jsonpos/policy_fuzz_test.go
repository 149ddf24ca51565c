package jsonpos_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/fuzzcheck"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
	"github.com/s3lint/s3lint/policy"
)

// policyDoc parses a policy the way the loaders do: located JSON, then
// policy.Parse. err is the JSON syntax error, if any.
func policyDoc(b []byte) (*graph.Document, error) {
	f := source.NewFile(file, b)
	n, err := jsonpos.Parse(f.Bytes, f.Range, jsonpos.Options{})
	if err != nil {
		return nil, err
	}
	return policy.Parse(n), nil
}

// embeddedDoc parses b written as a JSON string inside a JSON object, as a
// plan or a CloudFormation template carries a policy, through
// jsonpos.ParseString. It returns the size of the outer file.
func embeddedDoc(t *testing.T, b []byte, escapeHTML bool) (*graph.Document, int, error) {
	var buf bytes.Buffer
	buf.WriteString("{\r\n  \"policy\": ")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(string(b)); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("}")
	f := source.NewFile(file, buf.Bytes())
	outer, err := jsonpos.Parse(f.Bytes, f.Range, jsonpos.Options{})
	if err != nil {
		t.Fatalf("the outer document does not parse: %v\n%s", err, buf.Bytes())
	}
	s := outer.Get("policy")
	if s == nil || s.Kind != graph.KindString {
		t.Fatalf("no policy string in %s", buf.Bytes())
	}
	n, err := jsonpos.ParseString(f, s, jsonpos.Options{})
	if err != nil {
		return nil, len(f.Bytes), err
	}
	return policy.Parse(n), len(f.Bytes), nil
}

// FuzzPolicyDocument feeds arbitrary bytes to the policy document parser
// all three loaders share (jsonpos, then policy.Parse), on its own and
// embedded as a JSON string the way plans and templates carry policies. It
// checks that every range of the document and its problems lies inside
// the file, that parsing twice gives the same document, and that the
// embedded form reads the same statements as the plain one.
func FuzzPolicyDocument(f *testing.F) {
	for _, s := range []string{
		`{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"],"Service":"cloudtrail.amazonaws.com"},"Action":["s3:GetObject","s3:PutObject*"],"Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringEquals":{"s3:x-amz-acl":["bucket-owner-full-control"]},"ForAnyValue:IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}}}`,
		`{"Statement":[{"Effect":"Deny","NotPrincipal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"NotAction":"s3:Get*","NotResource":"arn:aws:s3:::b/public/*"}]}`,
		"{\r\n\t\"Statement\": {\r\n\t\t\"Effect\": \"Allow\",\r\n\t\t\"Action\": \"s3:ListBucket\",\r\n\t\t\"Resource\": \"arn:aws:s3:::caf\u00e9\",\r\n\t\t\"Condition\": {\"StringLike\": {\"s3:prefix\": [\"\", \"home/\"]}}\r\n\t}\r\n}\r\n",
		"\ufeff{\"Statement\":[]}",
		`{"Statement":"Allow","Version":1,"Id":null,"Extra":{}}`,
		`{"Statement":[1,"x",null,[],{"Effect":["Allow"],"Action":{"a":1},"Principal":7,"Condition":[]}]}`,
		`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":1e999}, "DateGreaterThan":{"aws:CurrentTime":-0.0000001e-999}}}}`,
		`{"Statement":{"Effect":"Allow","Action":"\u0073\u0033:\ud83d\ude00","Resource":"\ud800"}}`,
		`{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Action":[]}}`,
		"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:\x00\"}}",
		"{\"Statement\":{\"Effect\":\"Allow\",\"Resource\":\"\xff\xfe\"}}",
		`{"Statement":{"Principal":{"AWS":{"AWS":"*"}},"Condition":{"StringEquals":{"k":{"nested":["v"]}}}}}`,
		"{\"Statement\":" + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "}",
		`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := policyDoc(b)
		if err != nil {
			return
		}
		if bad := fuzzcheck.BadRange(doc, fuzzcheck.Sizes{file: len(b)}); bad != "" {
			t.Fatalf("%s\n%q", bad, b)
		}
		again, _ := policyDoc(b)
		if !reflect.DeepEqual(doc, again) {
			t.Fatalf("two parses of %q differ", b)
		}
		if !utf8.Valid(b) {
			// The string escapes would replace the invalid bytes.
			return
		}
		for _, html := range []bool{false, true} {
			emb, size, err := embeddedDoc(t, b, html)
			if err != nil {
				t.Fatalf("%q parses, but not as a JSON string: %v", b, err)
			}
			if bad := fuzzcheck.BadRange(emb, fuzzcheck.Sizes{file: size}); bad != "" {
				t.Fatalf("embedded: %s\n%q", bad, b)
			}
			if len(emb.Statements) != len(doc.Statements) || len(emb.Problems) != len(doc.Problems) {
				t.Fatalf("embedded: %d statements and %d problems, plain: %d and %d\n%q",
					len(emb.Statements), len(emb.Problems), len(doc.Statements), len(doc.Problems), b)
			}
			for i, st := range doc.Statements {
				if got, want := statementValues(emb.Statements[i]), statementValues(st); !reflect.DeepEqual(got, want) {
					t.Fatalf("embedded statement %d reads %q, plain %q\n%q", i, got, want, b)
				}
			}
		}
	})
}

// statementValues lists what a statement says, without positions: the
// escapes of an embedded document must not change it.
func statementValues(st *graph.Statement) []string {
	out := []string{st.Sid.V, st.Effect.V}
	for _, el := range []graph.Strings{st.Action, st.NotAction, st.Resource, st.NotResource} {
		out = append(out, "|")
		for _, it := range el.Items {
			out = append(out, it.V)
		}
	}
	for _, spec := range []*graph.PrincipalSpec{st.Principal, st.NotPrincipal} {
		out = append(out, "|")
		if spec == nil {
			continue
		}
		for _, e := range spec.Entries {
			out = append(out, e.Type.V)
			for _, v := range e.Values {
				out = append(out, v.V)
			}
		}
	}
	for _, c := range st.Conditions {
		out = append(out, "|", c.Operator.V, c.Key.V)
		for _, v := range c.Values {
			out = append(out, v.V)
		}
	}
	return out
}
