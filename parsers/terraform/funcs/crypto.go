package funcs

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// cryptoFuncs returns the hash and crypto functions. bcrypt, rsadecrypt and
// uuid return unknown strings: bcrypt and uuid are random, and rsadecrypt
// would need private keys, which a linter has no business decrypting with.
func cryptoFuncs(files fileAccess) map[string]function.Function {
	hexOf := func(h func() hash.Hash) func([]byte) string {
		return func(b []byte) string { return hex.EncodeToString(sum(h, b)) }
	}
	base64Of := func(h func() hash.Hash) func([]byte) string {
		return func(b []byte) string { return base64.StdEncoding.EncodeToString(sum(h, b)) }
	}
	return map[string]function.Function{
		"md5":              stringFunc("Returns the hex MD5 of a string's UTF-8 bytes.", bytesOf(hexOf(md5.New))),
		"sha1":             stringFunc("Returns the hex SHA-1 of a string's UTF-8 bytes.", bytesOf(hexOf(sha1.New))),
		"sha256":           stringFunc("Returns the hex SHA-256 of a string's UTF-8 bytes.", bytesOf(hexOf(sha256.New))),
		"sha512":           stringFunc("Returns the hex SHA-512 of a string's UTF-8 bytes.", bytesOf(hexOf(sha512.New))),
		"base64sha256":     stringFunc("Returns the Base64 SHA-256 of a string's UTF-8 bytes.", bytesOf(base64Of(sha256.New))),
		"base64sha512":     stringFunc("Returns the Base64 SHA-512 of a string's UTF-8 bytes.", bytesOf(base64Of(sha512.New))),
		"filemd5":          fileHashFunc(files, "Returns the hex MD5 of a file.", hexOf(md5.New)),
		"filesha1":         fileHashFunc(files, "Returns the hex SHA-1 of a file.", hexOf(sha1.New)),
		"filesha256":       fileHashFunc(files, "Returns the hex SHA-256 of a file.", hexOf(sha256.New)),
		"filesha512":       fileHashFunc(files, "Returns the hex SHA-512 of a file.", hexOf(sha512.New)),
		"filebase64sha256": fileHashFunc(files, "Returns the Base64 SHA-256 of a file.", base64Of(sha256.New)),
		"filebase64sha512": fileHashFunc(files, "Returns the Base64 SHA-512 of a file.", base64Of(sha512.New)),
		"bcrypt":           bcryptFunc,
		"rsadecrypt": unknownFunc("Decrypts RSA-encrypted Base64 ciphertext (unknown: s3lint does not decrypt).", cty.String,
			function.Parameter{Name: "ciphertext", Type: cty.String},
			function.Parameter{Name: "privatekey", Type: cty.String}),
		"uuid":   unknownFunc("Returns a random UUID (unknown: s3lint is deterministic).", cty.String),
		"uuidv5": uuidV5Func,
	}
}

func sum(h func() hash.Hash, b []byte) []byte {
	d := h()
	d.Write(b)
	return d.Sum(nil)
}

func bytesOf(f func([]byte) string) func(string) string {
	return func(s string) string { return f([]byte(s)) }
}

func fileHashFunc(files fileAccess, desc string, f func([]byte) string) function.Function {
	return makeFileFunc(files, desc, func(_ string, data []byte) (string, error) { return f(data), nil })
}

// bcryptFunc is bcrypt(str, cost?). Its salt is random, so the hash is
// unknown; the arguments are still checked.
var bcryptFunc = function.New(&function.Spec{
	Description: "Hashes a string with bcrypt (unknown: the salt is random).",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	VarParam:    &function.Parameter{Name: "cost", Type: cty.Number},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 2 {
			return cty.NilType, fmt.Errorf("bcrypt() takes no more than two arguments, got %d", len(args))
		}
		return cty.String, nil
	},
	RefineResult: refineNotNull,
	Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
		return cty.UnknownVal(cty.String), nil
	},
})

// uuidNamespaces are the namespaces uuidv5 knows by name (RFC 4122
// appendix C).
var uuidNamespaces = map[string]string{
	"dns":  "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	"url":  "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
	"oid":  "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
	"x500": "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
}

// uuidV5Func is uuidv5(namespace, name): the name-based SHA-1 UUID of name
// in a namespace given by name ("dns", "url", "oid", "x500") or as a UUID.
var uuidV5Func = function.New(&function.Spec{
	Description: "Returns the version 5 (SHA-1 name-based) UUID of a name in a namespace.",
	Params: []function.Parameter{
		{Name: "namespace", Type: cty.String},
		{Name: "name", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ns := args[0].AsString()
		text := ns
		if known, ok := uuidNamespaces[ns]; ok {
			text = known
		}
		space, err := parseUUID(text)
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "uuidv5() doesn't support namespace %s (%v)", ns, err)
		}
		h := sha1.New() // UUIDv5 is defined with SHA-1
		h.Write(space[:])
		h.Write([]byte(args[1].AsString()))
		var u [16]byte
		copy(u[:], h.Sum(nil))
		u[6] = u[6]&0x0f | 0x50 // version 5
		u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
		return cty.StringVal(formatUUID(u)), nil
	},
})

// parseUUID accepts the forms Terraform accepts: xxxxxxxx-xxxx-xxxx-xxxx-
// xxxxxxxxxxxx, optionally with a urn:uuid: prefix or in braces, or 32 hex
// digits.
func parseUUID(s string) ([16]byte, error) {
	var u [16]byte
	switch {
	case len(s) == 36+9 && strings.EqualFold(s[:9], "urn:uuid:"):
		s = s[9:]
	case len(s) == 36+2 && s[0] == '{' && s[len(s)-1] == '}':
		s = s[1 : len(s)-1]
	case len(s) == 32:
		if _, err := hex.Decode(u[:], []byte(s)); err != nil {
			return u, errors.New("invalid UUID format")
		}
		return u, nil
	}
	if len(s) != 36 {
		return u, fmt.Errorf("invalid UUID length: %d", len(s))
	}
	if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, errors.New("invalid UUID format")
	}
	digits := s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(digits)); err != nil {
		return u, errors.New("invalid UUID format")
	}
	return u, nil
}

func formatUUID(u [16]byte) string {
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
