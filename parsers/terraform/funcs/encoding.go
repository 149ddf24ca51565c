package funcs

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"net/url"
	"unicode/utf8"

	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
)

// encodingFuncs returns the encoding functions. csvdecode and the JSON and
// YAML functions are the cty (and cty-yaml) versions Terraform uses; JSON
// objects are encoded with their keys in lexical order, as in Terraform.
func encodingFuncs() map[string]function.Function {
	return map[string]function.Function{
		"base64decode":     base64DecodeFunc,
		"base64encode":     stringFunc("Encodes a string's UTF-8 bytes in Base64.", base64Encode),
		"base64gzip":       stringFunc("Compresses a string with gzip and encodes the result in Base64.", base64Gzip),
		"csvdecode":        stdlib.CSVDecodeFunc,
		"jsondecode":       stdlib.JSONDecodeFunc,
		"jsonencode":       stdlib.JSONEncodeFunc,
		"textdecodebase64": textDecodeBase64Func,
		"textencodebase64": textEncodeBase64Func,
		"urlencode":        stringFunc("Escapes a string for use in a URL query.", url.QueryEscape),
		"yamldecode":       ctyyaml.YAMLDecodeFunc,
		"yamlencode":       guard(ctyyaml.YAMLEncodeFunc, checkUTF8),
	}
}

// checkUTF8 rejects values containing strings that are not valid UTF-8,
// which would make the YAML encoder loop forever. (Terraform has the same
// problem; such strings rarely occur, since cty values built from HCL and
// files are checked.)
func checkUTF8(args []cty.Value) error {
	return cty.Walk(args[0], func(p cty.Path, v cty.Value) (bool, error) {
		v, _ = v.Unmark()
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.String && !utf8.ValidString(v.AsString()) {
			return false, p.NewErrorf("string is not valid UTF-8")
		}
		return true, nil
	})
}

// stringFunc returns a function of one string that cannot fail.
func stringFunc(desc string, f func(string) string) function.Function {
	return function.New(&function.Spec{
		Description:  desc,
		Params:       []function.Parameter{{Name: "str", Type: cty.String}},
		Type:         function.StaticReturnType(cty.String),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(f(args[0].AsString())), nil
		},
	})
}

func base64Encode(s string) string {
	return base64.StdEncoding.EncodeToString([]byte(s))
}

// base64Gzip compresses like Terraform (default level, flushed before
// closing, empty header) so the result is byte-for-byte the same.
func base64Gzip(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	// Writes to a bytes.Buffer cannot fail.
	_, _ = w.Write([]byte(s))
	_ = w.Flush()
	_ = w.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// base64DecodeFunc is base64decode, which requires the decoded bytes to be
// UTF-8 since Terraform strings are Unicode.
var base64DecodeFunc = function.New(&function.Spec{
	Description: "Decodes a Base64 string whose bytes are UTF-8 text.",
	// The argument is taken marked (to redact it from errors) and so also
	// unknown: cty drops the marks of unknown marked arguments otherwise.
	Params:       []function.Parameter{{Name: "str", Type: cty.String, AllowMarked: true, AllowUnknown: true}},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, marks := args[0].Unmark()
		if !str.IsKnown() {
			return cty.UnknownVal(cty.String).WithMarks(marks), nil
		}
		s := str.AsString()
		dec, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "failed to decode base64 data %s", redacted(s, marks))
		}
		if !utf8.Valid(dec) {
			return cty.NilVal, function.NewArgErrorf(0, "the result of decoding the provided string is not valid UTF-8")
		}
		return cty.StringVal(string(dec)).WithMarks(marks), nil
	},
})

// ianaEncoding finds a character encoding by IANA name or alias.
func ianaEncoding(name string) (encoding.Encoding, string, error) {
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil || enc == nil {
		return nil, "", function.NewArgErrorf(1, "%q is not a supported IANA encoding name or alias", name)
	}
	canonical, err := ianaindex.IANA.Name(enc)
	if err != nil {
		canonical = name
	}
	return enc, canonical, nil
}

// textEncodeBase64Func is textencodebase64: the string encoded in the named
// character encoding, then in Base64.
var textEncodeBase64Func = function.New(&function.Spec{
	Description: "Encodes a string in a character encoding and then in Base64.",
	Params: []function.Parameter{
		{Name: "string", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, name, err := ianaEncoding(args[1].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		out, err := enc.NewEncoder().Bytes([]byte(args[0].AsString()))
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the given string contains characters that cannot be represented in %s", name)
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(out)), nil
	},
})

// textDecodeBase64Func is textdecodebase64: Base64 bytes decoded from the
// named character encoding.
var textDecodeBase64Func = function.New(&function.Spec{
	Description: "Decodes Base64 bytes that are text in a character encoding.",
	Params: []function.Parameter{
		{Name: "source", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, name, err := ianaEncoding(args[1].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		raw, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			var corrupt base64.CorruptInputError
			if errors.As(err, &corrupt) {
				return cty.NilVal, function.NewArgErrorf(0, "the given value has an invalid base64 symbol at offset %d", int(corrupt))
			}
			return cty.NilVal, function.NewArgErrorf(0, "invalid source string: %w", err)
		}
		out, err := enc.NewDecoder().Bytes(raw)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return cty.NilVal, function.NewArgErrorf(0, "the given string contains symbols that are not defined for %s", name)
		}
		return cty.StringVal(string(out)), nil
	},
})
