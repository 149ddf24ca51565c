package terraform

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// moduleSources lists the literal source of each module block of a native
// configuration file, from its tokens alone: a prescan that parsed every
// root's files only to find their calls would parse them twice. ok is false
// when the tokens leave any doubt (a source that is not a plain literal, a
// file that does not lex cleanly); the caller then parses the file.
func moduleSources(name string, src []byte) (sources []string, ok bool) {
	tokens, diags := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	seen := map[string]bool{}
	ok = true
	_, depth := walkLines(tokens, 0, 0, func(i, depth int, lineStart bool) (int, bool) {
		t := tokens[i]
		if t.Type != hclsyntax.TokenIdent || depth != 0 || !lineStart || string(t.Bytes) != "module" {
			return i, false
		}
		label, body, good := moduleHeader(tokens, i+1)
		if !good {
			ok = false
			return i, true
		}
		source, end, good := moduleBlockSource(tokens, body)
		if !good {
			ok = false
			return i, true
		}
		// Terraform refuses a second block of one name; s3lint keeps the
		// first.
		if !seen[label] {
			seen[label] = true
			if source != "" {
				sources = append(sources, source)
			}
		}
		return end, false
	})
	return sources, ok && depth == 0
}

// walkLines calls visit for each token from index i that is not a newline
// or a comment, with the nesting depth after it (brackets, braces,
// parentheses and template sequences; starting from depth) and whether it
// starts a line. visit returns the index of the last token it consumed and
// whether to stop. walkLines returns the index where it stopped (the
// length of tokens when it ran out) and the depth there.
func walkLines(tokens hclsyntax.Tokens, i, depth int, visit func(i, depth int, lineStart bool) (last int, stop bool)) (int, int) {
	lineStart := true
	for ; i < len(tokens); i++ {
		t := tokens[i]
		switch t.Type {
		case hclsyntax.TokenNewline:
			lineStart = true
			continue
		case hclsyntax.TokenComment:
			// A line comment takes its newline with it.
			lineStart = lineStart || bytes.HasSuffix(t.Bytes, []byte("\n"))
			continue
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			depth--
		}
		last, stop := visit(i, depth, lineStart)
		if stop {
			return i, depth
		}
		i, lineStart = last, false
	}
	return i, depth
}

// moduleHeader reads the label and opening brace after "module": the label
// and the index of the first token of the body.
func moduleHeader(tokens hclsyntax.Tokens, i int) (label string, body int, ok bool) {
	switch {
	case i+3 < len(tokens) && tokens[i].Type == hclsyntax.TokenOQuote && tokens[i+1].Type == hclsyntax.TokenQuotedLit &&
		tokens[i+2].Type == hclsyntax.TokenCQuote && tokens[i+3].Type == hclsyntax.TokenOBrace:
		return string(tokens[i+1].Bytes), i + 4, true
	case i+1 < len(tokens) && tokens[i].Type == hclsyntax.TokenIdent && tokens[i+1].Type == hclsyntax.TokenOBrace:
		return string(tokens[i].Bytes), i + 2, true
	}
	return "", 0, false
}

// moduleBlockSource finds the source argument of a module body that starts at
// index i: its literal value ("" when there is none) and the index of the
// body's closing brace.
func moduleBlockSource(tokens hclsyntax.Tokens, i int) (source string, end int, ok bool) {
	end, depth := walkLines(tokens, i, 1, func(i, depth int, lineStart bool) (int, bool) {
		t := tokens[i]
		switch {
		case depth == 0:
			return i, true // the closing brace
		case t.Type == hclsyntax.TokenIdent && depth == 1 && lineStart && string(t.Bytes) == "source":
			if i+4 >= len(tokens) || tokens[i+1].Type != hclsyntax.TokenEqual || tokens[i+2].Type != hclsyntax.TokenOQuote ||
				tokens[i+3].Type != hclsyntax.TokenQuotedLit || tokens[i+4].Type != hclsyntax.TokenCQuote {
				return i, true
			}
			lit := tokens[i+3].Bytes
			if bytes.ContainsAny(lit, `\$%`) {
				return i, true // escapes or templates: let the parser decide
			}
			source = string(lit)
			return i + 4, false
		}
		return i, false
	})
	if end >= len(tokens) || depth != 0 {
		return "", 0, false
	}
	return source, end, true
}
