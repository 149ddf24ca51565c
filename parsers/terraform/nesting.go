package terraform

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The HCL parsers recurse once per level of nesting, and the evaluator
// again: input nested deeply enough overflows the Go stack, which ends the
// process and cannot be recovered. Measured with hcl v2.25, the parser
// takes about 1.6 KiB of stack per unary ! or conditional and up to 6 KiB
// per bracket, so a million levels (a 1 MiB file of [) exhausts the 1 GiB
// stack. Files nested deeper than the limit are therefore refused before
// they are parsed.
//
// Levels are the brackets, braces, parentheses and template openers (${,
// %{ and the body of a %{if} or %{for}), and also what the parser handles
// recursively without brackets: a chain of unary operators (!!!x, - -x)
// and a chain of conditionals (a ? b : c ? d : …). Real files never chain
// more than a few of those.

// mayNestBeyond is the cheap first test: every level counted by
// nestingOffset opens at a distinct byte {, [, (, !, ? or -, so a file with
// no more of those bytes than the limit cannot nest beyond it, and most
// files are never lexed for this.
func mayNestBeyond(src []byte, limit int) bool {
	n := 0
	for _, c := range src {
		switch c {
		case '{', '[', '(', '!', '?', '-':
			n++
			if n > limit {
				return true
			}
		}
	}
	return false
}

// nestingFrame is one open level: what was saved of the enclosing level.
type nestingFrame struct {
	depth    int  // levels open outside this one, including chains
	question int  // the enclosing level's conditional chain
	control  bool // a %{ … } whose keyword opens a body (if, for)
	body     bool // the body of a %{if} or %{for}, closed by its end keyword
	brace    bool // { … }, where a newline ends an item
}

// nestingWalk tracks the nesting of a token stream.
type nestingWalk struct {
	stack    []nestingFrame
	run      int // unary operators in a row at the current level
	question int // conditionals chained at the current level
	prev     hclsyntax.TokenType
}

func (w *nestingWalk) depth() int {
	d := w.run + w.question
	if n := len(w.stack); n > 0 {
		d += w.stack[n-1].depth + 1
	}
	return d
}

// lexPrefix is how much of a file is lexed first. Deep input shows itself
// in its first few hundred bytes, and lexing the whole of a 32 MiB file of
// [ would make 32 million tokens, gigabytes, before a single one is
// looked at; a prefix four times as long is lexed next, and so on, which
// costs at most a third more than lexing the file once.
const lexPrefix = 64 << 10

// nestingOffset reports the byte offset of the first token of src that
// opens a level past limit, or -1. template says src is a template (the
// text of a string or a file for templatefile), not a configuration file.
func nestingOffset(src []byte, template bool, limit int) int {
	if !mayNestBeyond(src, limit) {
		return -1
	}
	return nestingOffsetFrom(src, template, limit, lexPrefix)
}

// nestingOffsetFrom lexes prefixes of src, first bytes long and then four
// times longer each time, until one shows a token past the limit or the
// whole file is lexed. The lexer reads left to right and decides a token
// once it has read past it, so a prefix's tokens are the file's, with two
// exceptions: the last ones, which the cut may have shortened (an
// identifier) or changed (${ cut to $); and a block comment that the cut
// leaves open, which the lexer reads as / and * and tokens after them.
// Neither is trusted, and the next prefix reaches past the comment's end.
func nestingOffsetFrom(src []byte, template bool, limit, first int) int {
	const untrusted = 3 // the end-of-file token and what the cut may have changed
	for n := first; ; {
		whole := n >= len(src)
		if whole {
			n = len(src)
		}
		var tokens hclsyntax.Tokens
		if template {
			tokens, _ = hclsyntax.LexTemplate(src[:n], "", hcl.InitialPos)
		} else {
			tokens, _ = hclsyntax.LexConfig(src[:n], "", hcl.InitialPos)
		}
		trusted, next := len(tokens), n*4
		if !whole {
			trusted = max(0, trusted-untrusted)
			if i, end := openComment(tokens, src); i >= 0 {
				trusted, next = min(trusted, i), max(next, end+first)
			}
		}
		w := &nestingWalk{}
		for i := range trusted {
			if w.step(tokens, i) > limit {
				return tokens[i].Range.Start.Byte
			}
		}
		if whole {
			return -1
		}
		n = next
	}
}

// openComment finds the first block comment that a prefix's tokens show
// as / and * (the lexer reads an unterminated /* that way), when the file
// closes it later: it returns the index of the / and the byte after the
// comment's */, or -1. A /* that the file never closes lexes the same in
// every prefix and in the file, so its tokens can be trusted.
func openComment(tokens hclsyntax.Tokens, src []byte) (index, end int) {
	for i := 0; i+1 < len(tokens); i++ {
		slash, star := tokens[i].Range, tokens[i+1].Range
		if tokens[i].Type != hclsyntax.TokenSlash || tokens[i+1].Type != hclsyntax.TokenStar || slash.End.Byte != star.Start.Byte {
			continue
		}
		if j := bytes.Index(src[star.End.Byte:], []byte("*/")); j >= 0 {
			return i, star.End.Byte + j + 2
		}
		return -1, 0
	}
	return -1, 0
}

// step takes one token and returns the depth it leaves open.
func (w *nestingWalk) step(tokens hclsyntax.Tokens, i int) int {
	t := tokens[i]
	defer func() { w.prev = t.Type }()
	switch t.Type {
	case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateInterp:
		w.push(nestingFrame{brace: t.Type == hclsyntax.TokenOBrace})
	case hclsyntax.TokenTemplateControl:
		w.push(nestingFrame{control: i+1 < len(tokens) && isBodyKeyword(tokens[i+1])})
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
		w.close(i > 0 && tokens[i-1].Type == hclsyntax.TokenIdent && isEndKeyword(tokens[i-1]))
	case hclsyntax.TokenBang:
		w.run++
	case hclsyntax.TokenMinus:
		if !endsOperand(w.prev) {
			w.run++
		}
	case hclsyntax.TokenQuestion:
		w.run = 0
		w.question++
	case hclsyntax.TokenComma, hclsyntax.TokenEqual:
		w.run, w.question = 0, 0
	case hclsyntax.TokenNewline:
		if n := len(w.stack); n == 0 || w.stack[n-1].brace {
			w.run, w.question = 0, 0
		}
	default:
		w.run = 0
	}
	return w.depth()
}

func (w *nestingWalk) push(f nestingFrame) {
	d := w.depth()
	f.depth, f.question = d, w.question
	w.stack = append(w.stack, f)
	w.run, w.question = 0, 0
}

// close ends the innermost level; the end of a %{ … } opens the body of
// an if or for, and the end of a %{endif} or %{endfor} closes it.
func (w *nestingWalk) close(endKeyword bool) {
	n := len(w.stack)
	if n == 0 {
		return
	}
	f := w.stack[n-1]
	w.stack = w.stack[:n-1]
	w.run, w.question = 0, f.question
	switch {
	case f.control && !endKeyword:
		w.push(nestingFrame{body: true})
	case endKeyword:
		if m := len(w.stack); m > 0 && w.stack[m-1].body {
			w.stack = w.stack[:m-1]
		}
	}
}

func isBodyKeyword(t hclsyntax.Token) bool {
	s := string(t.Bytes)
	return t.Type == hclsyntax.TokenIdent && (s == "if" || s == "for")
}

func isEndKeyword(t hclsyntax.Token) bool {
	s := string(t.Bytes)
	return s == "endif" || s == "endfor"
}

// endsOperand reports whether a token can end an operand, so that a minus
// after it is binary (a - b), not unary.
func endsOperand(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc,
		hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenStar:
		return true
	}
	return false
}
