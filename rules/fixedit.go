package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
)

// This file builds the edits of fixes from the source text. An edit is made
// only for the forms of an element that can be rewritten with certainty;
// anything else (a value that flowed from a variable, a function call, an
// escaped string, a plan) gets no fix, and the finding keeps its advice.

// syntax is the language an element is written in.
type syntax uint8

const (
	synNone syntax = iota
	synHCL         // .tf, including heredocs and JSON strings inside it
	synYAML        // CloudFormation YAML
	synJSON        // CloudFormation JSON
)

// syntaxOf tells the syntax of a source file by its name and, for
// .template, its first character. Terraform JSON (.tf.json) and other
// files get none: their elements are not rewritten.
func syntaxOf(file string, src []byte) syntax {
	name := strings.ToLower(filepath.Base(file))
	switch {
	case strings.HasSuffix(name, ".tf.json"):
		return synNone
	case strings.HasSuffix(name, ".tf"):
		return synHCL
	case strings.HasSuffix(name, ".yaml"), strings.HasSuffix(name, ".yml"):
		return synYAML
	case strings.HasSuffix(name, ".json"):
		return synJSON
	case strings.HasSuffix(name, ".template"):
		if t := bytes.TrimLeft(src, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
			return synJSON
		}
		return synYAML
	}
	return synNone
}

// element is a policy element as the source holds it.
type element struct {
	src  []byte
	syn  syntax
	rng  graph.Range
	text string
}

// sourceElement returns the element of a located value when its file can
// be read, its range lies inside the file and it was written in a
// configuration or template (not a plan).
func (p *Pass) sourceElement(pol *graph.Policy, r graph.Range) (element, bool) {
	if pol.Format == graph.TerraformPlan || r.File == "" {
		return element{}, false
	}
	src, ok := p.source(r.File)
	if !ok {
		return element{}, false
	}
	syn := syntaxOf(r.File, src)
	s, e := r.Start.Byte, r.End.Byte
	if syn == synNone || s < 0 || e > len(src) || s >= e {
		return element{}, false
	}
	return element{src: src, syn: syn, rng: r, text: string(src[s:e])}, true
}

// tfRef matches a reference to an attribute of a resource or data source
// written in the configuration itself: aws_s3_bucket.b.arn,
// data.aws_s3_bucket.b.arn, aws_s3_bucket.b[0].arn.
var tfRef = regexp.MustCompile(`^(?:data\.)?([a-zA-Z][\w-]*)\.[a-zA-Z_][\w-]*(?:\[(?:[0-9]+|"[\w.-]+")\])?(?:\.[a-zA-Z_][\w-]*)+$`)

// tfRefOK reports whether s is a reference to a resource or data source
// attribute: not a variable, local, module output, iterator or the like,
// whose value may differ between the places it is used.
func tfRefOK(s string) bool {
	m := tfRef.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return false
	}
	switch m[1] {
	case "var", "local", "module", "each", "count", "self", "path", "terraform":
		return false
	}
	return true
}

// moduleValueRef matches a reference to an input variable or a local value
// (var.bucket, local.names["logs"]): within one module it has one value
// wherever it is used, so an element written beside another in the same
// list may repeat it.
var moduleValueRef = regexp.MustCompile(`^(?:var|local)\.[a-zA-Z_][\w-]*(?:\.[a-zA-Z_][\w-]*|\[(?:[0-9]+|"[\w.-]+")\])*$`)

// besideRefOK reports whether a reference may be repeated in a new element
// of the same list: a resource or data source attribute (tfRefOK), or an
// input variable or local value (moduleValueRef).
func besideRefOK(s string) bool { return tfRefOK(s) || moduleValueRef.MatchString(s) }

// hclString reads a quoted HCL (or JSON-in-HCL) string whose
// interpolations are all references besideRefOK accepts. It returns the text
// between the quotes and whether it holds interpolations.
func hclString(text string) (inner string, template, ok bool) {
	if len(text) < 2 || text[0] != '"' || text[len(text)-1] != '"' {
		return "", false, false
	}
	inner = text[1 : len(text)-1]
	if strings.ContainsAny(inner, "\"\\\n") || strings.Contains(inner, "%{") || strings.Contains(inner, "$$") {
		return "", false, false
	}
	rest := inner
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 || !besideRefOK(rest[i+2:i+j]) {
			return "", false, false
		}
		template = true
		rest = rest[i+j+1:]
	}
	if strings.ContainsAny(rest, "{}") {
		return "", false, false
	}
	return inner, template, true
}

// yamlPlain reports whether s can stand as a plain YAML scalar in block and
// flow context alike.
func yamlPlain(s string) bool {
	if s == "" || strings.ContainsAny(s, "#,[]{}\"'\\\n\t") || strings.Contains(s, ": ") ||
		strings.HasSuffix(s, ":") || strings.TrimSpace(s) != s {
		return false
	}
	return !strings.ContainsRune("-?:!&*|>%@`", rune(s[0]))
}

// yamlQuoted reads a YAML scalar quoted with ' or " and without escapes.
func yamlQuoted(text string) (inner, quote string, ok bool) {
	if len(text) < 2 || (text[0] != '"' && text[0] != '\'') || text[len(text)-1] != text[0] {
		return "", "", false
	}
	inner = text[1 : len(text)-1]
	if strings.ContainsAny(inner, "\"'\\\n") {
		return "", "", false
	}
	return inner, text[:1], true
}

// yamlString reads a literal YAML scalar: plain or quoted. It returns the
// value and a function that writes another value in the same style.
func yamlString(text string) (value string, write func(string) string, ok bool) {
	if inner, q, ok := yamlQuoted(text); ok {
		return inner, func(s string) string { return q + s + q }, true
	}
	if yamlPlain(text) {
		return text, func(s string) string {
			if yamlPlain(s) {
				return s
			}
			return `"` + s + `"`
		}, true
	}
	return "", nil, false
}

// subTemplate reads the template of a YAML !Sub, quoted or plain; write
// writes another template in the same style.
func subTemplate(text string) (tmpl string, write func(string) string, ok bool) {
	rest, found := strings.CutPrefix(text, "!Sub ")
	if !found {
		return "", nil, false
	}
	rest = strings.TrimLeft(rest, " ")
	if strings.HasPrefix(rest, "[") {
		return "", nil, false // the list form names variables of its own
	}
	v, w, ok := yamlString(rest)
	if !ok {
		return "", nil, false
	}
	return v, func(s string) string { return "!Sub " + w(s) }, true
}

var (
	yamlGetAttArn = regexp.MustCompile(`^!GetAtt\s+([A-Za-z0-9]+)\.Arn$`)
	jsonStringRE  = regexp.MustCompile(`^"[^"\\\n]*"$`)
)

// jsonIntrinsic reads a JSON object of one intrinsic function: "Fn::Sub"
// with a string, or "Fn::GetAtt" of a resource's Arn.
func jsonIntrinsic(text string) (fn, arg string, ok bool) {
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil || len(m) != 1 {
		return "", "", false
	}
	for k, v := range m {
		switch k {
		case "Fn::Sub":
			s, isStr := v.(string)
			return k, s, isStr && !strings.ContainsAny(s, "\"\\\n")
		case "Fn::GetAtt":
			switch a := v.(type) {
			case string:
				if name, ok := strings.CutSuffix(a, ".Arn"); ok && yamlGetAttArn.MatchString("!GetAtt "+a) {
					return k, name, true
				}
			case []any:
				if len(a) == 2 && a[1] == "Arn" {
					if name, isStr := a[0].(string); isStr && yamlGetAttArn.MatchString("!GetAtt "+name+".Arn") {
						return k, name, true
					}
				}
			}
		}
	}
	return "", "", false
}

// jsonSub writes {"Fn::Sub": s} in the spacing of the original object.
func jsonSub(orig, s string) string {
	if strings.HasPrefix(orig, "{ ") {
		return `{ "Fn::Sub": "` + s + `" }`
	}
	return `{"Fn::Sub": "` + s + `"}`
}

// objectsElement returns the text of a new Resource element naming the
// objects of the bucket (or access point) that el names: el's value with
// suffix ("/*" or "/object/*") appended. value is el's value.
func objectsElement(el element, value, suffix string) (string, bool) {
	t := el.text
	switch el.syn {
	case synHCL:
		if inner, template, ok := hclString(t); ok {
			if !template && inner != value {
				return "", false
			}
			return `"` + inner + suffix + `"`, true
		}
		if tfRefOK(t) && strings.HasSuffix(t, ".arn") {
			return `"${` + t + `}` + suffix + `"`, true
		}
	case synYAML:
		if tmpl, write, ok := subTemplate(t); ok {
			return write(tmpl + suffix), true
		}
		if m := yamlGetAttArn.FindStringSubmatch(t); m != nil {
			return `!Sub "${` + m[1] + `.Arn}` + suffix + `"`, true
		}
		if v, write, ok := yamlString(t); ok && v == value {
			return write(v + suffix), true
		}
	case synJSON:
		if jsonStringRE.MatchString(t) {
			if t[1:len(t)-1] != value {
				return "", false
			}
			return `"` + value + suffix + `"`, true
		}
		switch fn, arg, ok := jsonIntrinsic(t); {
		case !ok:
		case fn == "Fn::Sub":
			return jsonSub(t, arg+suffix), true
		default:
			return jsonSub(t, "${"+arg+".Arn}"+suffix), true
		}
	}
	return "", false
}

// cutTemplate cuts the literal tail of a template: "${X}/a/*" with value
// V and wanted container ARN arn gives "${X}" when V ends in "/a/*" and the
// rest of V is arn, so the shorter template is certain to evaluate to arn.
func cutTemplate(tmpl, value, arn string) (string, bool) {
	i := strings.LastIndexByte(tmpl, '}')
	if i < 0 {
		return "", false
	}
	tail := tmpl[i+1:]
	if !strings.HasPrefix(tail, "/") || strings.Contains(tail, "$") || !strings.HasSuffix(value, tail) ||
		value[:len(value)-len(tail)] != arn {
		return "", false
	}
	return tmpl[:i+1], true
}

// containerElement returns the text of a new Resource element naming the
// bucket (or access point) arn whose objects el names. value is el's value.
func containerElement(el element, value, arn string, hclBare bool) (string, bool) {
	t := el.text
	switch el.syn {
	case synHCL:
		inner, template, ok := hclString(t)
		if !ok {
			return "", false
		}
		if !template {
			if inner != value {
				return "", false
			}
			return `"` + arn + `"`, true
		}
		cut, ok := cutTemplate(inner, value, arn)
		if !ok {
			return "", false
		}
		if ref, isRef := strings.CutPrefix(cut, "${"); isRef && hclBare && strings.HasSuffix(ref, "}") && besideRefOK(ref[:len(ref)-1]) {
			return ref[:len(ref)-1], true
		}
		return `"` + cut + `"`, true
	case synYAML:
		if tmpl, write, ok := subTemplate(t); ok {
			if cut, ok := cutTemplate(tmpl, value, arn); ok {
				return write(cut), true
			}
			return "", false
		}
		if v, write, ok := yamlString(t); ok && v == value {
			return write(arn), true
		}
	case synJSON:
		if jsonStringRE.MatchString(t) {
			if t[1:len(t)-1] != value {
				return "", false
			}
			return `"` + arn + `"`, true
		}
		if fn, arg, ok := jsonIntrinsic(t); ok && fn == "Fn::Sub" {
			if cut, ok := cutTemplate(arg, value, arn); ok {
				return jsonSub(t, cut), true
			}
		}
	}
	return "", false
}

// hclAssigned reports whether the value at start is assigned with = (an
// HCL attribute or object key), where a bare reference may stand, rather
// than with : (JSON inside a heredoc or string).
func hclAssigned(src []byte, start int) bool {
	i := start - 1
	for i >= 0 && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n') {
		i--
	}
	return i >= 0 && src[i] == '='
}

// lineBounds returns the start of the line holding offset i and the end of
// the line (before "\n" or "\r\n") with the newline it ends in.
func lineBounds(src []byte, i int) (start, end int, nl string) {
	start = bytes.LastIndexByte(src[:i], '\n') + 1
	end = len(src)
	nl = "\n"
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		end = i + j
	}
	if end > 0 && end <= len(src) && end > start && src[end-1] == '\r' {
		end--
		nl = "\r\n"
	}
	return start, end, nl
}

var (
	blankOrComment = regexp.MustCompile(`^[ \t]*(?:(?:#|//).*)?$`)
	yamlDash       = regexp.MustCompile(`^[ \t]*- +$`)
)

// insertEdit inserts text at offset i of el's file.
func insertEdit(el element, i int, text string) Edit {
	return Edit{Range: offsetRange(el.src, el.rng.File, i, i), New: text}
}

// addElement returns the edits that add a new element next to el in the
// list (or single value) list, keeping the style of the list: a single
// value becomes a flow list of two, a list written one element per line
// gets a line of its own, and a list on one line gets ", new" after el.
func addElement(el element, list graph.Range, newText string) ([]Edit, bool) {
	src, s, e := el.src, el.rng.Start.Byte, el.rng.End.Byte
	if list.File != el.rng.File || list.Start.Byte < 0 || list.End.Byte > len(src) || list.Start.Byte > s || list.End.Byte < e {
		return nil, false
	}
	if el.rng.Start.Line != el.rng.End.Line {
		return nil, false
	}
	listText := strings.TrimSpace(string(src[list.Start.Byte:list.End.Byte]))
	if listText == el.text {
		return []Edit{{Range: el.rng, Old: el.text, New: "[" + el.text + ", " + newText + "]"}}, true
	}
	lineStart, lineEnd, nl := lineBounds(src, s)
	before := string(src[lineStart:s])
	if el.syn == synYAML {
		if yamlDash.MatchString(before) {
			rest := string(src[e:lineEnd])
			if !blankOrComment.MatchString(rest) || strings.HasPrefix(strings.TrimSpace(rest), "//") {
				return nil, false
			}
			return []Edit{insertEdit(el, lineEnd, nl+before+newText)}, true
		}
		if !strings.HasPrefix(listText, "[") {
			return nil, false
		}
		return []Edit{insertEdit(el, e, ", "+newText)}, true
	}
	if !strings.HasPrefix(listText, "[") {
		return nil, false
	}
	after := e
	for after < lineEnd && (src[after] == ' ' || src[after] == '\t') {
		after++
	}
	comma := after < lineEnd && src[after] == ','
	if comma {
		after++
	}
	rest := string(src[after:lineEnd])
	if strings.TrimSpace(before) == "" && blankOrComment.MatchString(rest) && (el.syn == synHCL || strings.TrimSpace(rest) == "") {
		if comma {
			return []Edit{insertEdit(el, lineEnd, nl+before+newText+",")}, true
		}
		if lineEnd == e {
			return []Edit{insertEdit(el, e, ","+nl+before+newText)}, true
		}
		return []Edit{insertEdit(el, e, ","), insertEdit(el, lineEnd, nl+before+newText)}, true
	}
	return []Edit{insertEdit(el, e, ", "+newText)}, true
}

// offsetRange is the range of bytes [start, end) of a file, with lines and
// columns (in characters) counted from src.
func offsetRange(src []byte, file string, start, end int) graph.Range {
	return graph.Range{File: file, Start: posAt(src, start), End: posAt(src, end)}
}

func posAt(src []byte, off int) graph.Pos {
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	ls := bytes.LastIndexByte(src[:off], '\n') + 1
	return graph.Pos{Line: line, Col: 1 + len([]rune(string(src[ls:off]))), Byte: off}
}

// applyEdits returns src with edits (of its file, not overlapping) made.
func applyEdits(src []byte, edits []Edit) ([]byte, bool) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Range.Start.Byte < sorted[j].Range.Start.Byte })
	var out []byte
	at := 0
	for _, ed := range sorted {
		s, e := ed.Range.Start.Byte, ed.Range.End.Byte
		if s < at || e < s || e > len(src) || string(src[s:e]) != ed.Old {
			return nil, false
		}
		out = append(append(out, src[at:s]...), ed.New...)
		at = e
	}
	return append(out, src[at:]...), true
}

// parses reports whether text is valid in the syntax: the last check before
// a fix is offered, so that no fix ever leaves a file that does not parse.
func parses(syn syntax, file string, text []byte) bool {
	switch syn {
	case synHCL:
		_, diags := hclsyntax.ParseConfig(text, file, hcl.InitialPos)
		return !diags.HasErrors()
	case synYAML:
		var n yaml.Node
		return yaml.Unmarshal(text, &n) == nil
	case synJSON:
		return json.Valid(text)
	}
	return false
}

// newFix completes the edits of el's file (their ranges and the old text)
// and returns the fix when the file still parses with them made.
func newFix(el element, description string, edits []Edit) *Fix {
	for i := range edits {
		edits[i].Old = string(el.src[edits[i].Range.Start.Byte:edits[i].Range.End.Byte])
	}
	out, ok := applyEdits(el.src, edits)
	if !ok || !parses(el.syn, el.rng.File, out) {
		return nil
	}
	return &Fix{Description: description, Edits: edits}
}

// resourceFix is the fix that adds newText to the statement's Resource
// next to the element at r; nil when it cannot be made with certainty. Only
// an Allow is fixed: a fix may only give callers what the statement meant
// to give them, and a Deny that starts to apply would refuse calls that
// work today, which is a person's call.
func (p *Pass) resourceFix(pol *graph.Policy, st *graph.Statement, r graph.String, describe string,
	build func(el element) (string, bool)) *Fix {
	if _, shaped := r.Shape(); !st.IsAllow() || r.Origin != graph.Explicit && !shaped || !st.Resource.Present || st.NotResource.Present {
		return nil
	}
	el, ok := p.sourceElement(pol, r.Range)
	if !ok {
		return nil
	}
	newText, ok := build(el)
	if !ok {
		return nil
	}
	edits, ok := addElement(el, st.Resource.Range, newText)
	if !ok {
		return nil
	}
	return newFix(el, describe, edits)
}

// safeFix runs a fix builder; a fix that cannot be built for an unforeseen
// reason is no fix, never the loss of the finding.
func safeFix(build func() *Fix) (f *Fix) {
	defer func() {
		if recover() != nil {
			f = nil
		}
	}()
	return build()
}

// dependsOnFix is the fix that adds depends_on = [pab] to the Terraform
// block of pol, written with hclwrite; nil when the block cannot be found
// with certainty or already has a depends_on.
func (p *Pass) dependsOnFix(pol *graph.Policy, pab string) *Fix {
	mod := modulePath(pol.Address)
	if pol.Format != graph.Terraform || modulePath(pab) != mod {
		return nil
	}
	local := addrParts(stripInstanceKey(strings.TrimPrefix(pol.Address, mod)))
	target := stripInstanceKey(strings.TrimPrefix(pab, mod))
	if len(local) != 2 || !tfRefOK(target+".id") {
		return nil
	}
	el, ok := p.sourceElement(pol, pol.Range)
	if !ok || el.syn != synHCL {
		return nil
	}
	f, diags := hclwrite.ParseConfig(el.src, el.rng.File, hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	// The block must be the one the policy was read from: the same labels,
	// starting where the policy's range does.
	parsed, diags := hclsyntax.ParseConfig(el.src, el.rng.File, hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	body, ok := parsed.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	found := false
	for _, b := range body.Blocks {
		if b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == local[0] && b.Labels[1] == local[1] {
			if b.Range().Start.Byte != pol.Range.Start.Byte {
				return nil
			}
			if _, has := b.Body.Attributes["depends_on"]; has {
				return nil
			}
			found = true
		}
	}
	block := f.Body().FirstMatchingBlock("resource", local)
	if !found || block == nil {
		return nil
	}
	var trav hcl.Traversal
	for i, part := range strings.Split(target, ".") {
		if i == 0 {
			trav = append(trav, hcl.TraverseRoot{Name: part})
		} else {
			trav = append(trav, hcl.TraverseAttr{Name: part})
		}
	}
	block.Body().SetAttributeRaw("depends_on", hclwrite.TokensForTuple([]hclwrite.Tokens{hclwrite.TokensForTraversal(trav)}))
	edit, ok := diffEdit(el.src, f.Bytes(), el.rng.File)
	if !ok {
		return nil
	}
	return newFix(el, fmt.Sprintf("add depends_on = [%s] to %s", target, pol.Address), []Edit{edit})
}

// diffEdit is the one edit that turns old into updated: everything between
// their common beginning and end.
func diffEdit(old, updated []byte, file string) (Edit, bool) {
	if bytes.Equal(old, updated) {
		return Edit{}, false
	}
	pre := 0
	for pre < len(old) && pre < len(updated) && old[pre] == updated[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(updated)-pre && old[len(old)-1-suf] == updated[len(updated)-1-suf] {
		suf++
	}
	return Edit{Range: offsetRange(old, file, pre, len(old)-suf), New: string(updated[pre : len(updated)-suf])}, true
}
