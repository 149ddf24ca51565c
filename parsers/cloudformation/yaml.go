package cloudformation

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/limits"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
)

// shortForms maps CloudFormation's YAML short-form tags to the intrinsic
// function each stands for.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join", "!If": "Fn::If",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!FindInMap": "Fn::FindInMap",
	"!ImportValue": "Fn::ImportValue", "!GetStackOutput": "Fn::GetStackOutput", "!Base64": "Fn::Base64", "!GetAZs": "Fn::GetAZs",
	"!Cidr": "Fn::Cidr", "!Equals": "Fn::Equals", "!And": "Fn::And", "!Or": "Fn::Or",
	"!Not": "Fn::Not", "!Transform": "Fn::Transform", "!ToJsonString": "Fn::ToJsonString",
	"!Length": "Fn::Length", "!ForEach": "Fn::ForEach",
	// Rule functions (Rules section).
	"!Contains": "Fn::Contains", "!EachMemberIn": "Fn::EachMemberIn", "!EachMemberEquals": "Fn::EachMemberEquals",
	"!RefAll": "Fn::RefAll", "!ValueOf": "Fn::ValueOf", "!ValueOfAll": "Fn::ValueOfAll",
}

// maxYAMLNodes bounds the nodes a YAML file may expand to through aliases,
// so an alias bomb is an error instead of exhausting memory.
const maxYAMLNodes = 1_000_000

// yamlError is a YAML problem at a known place.
type yamlError struct {
	rng graph.Range
	msg string
}

func (e *yamlError) Error() string { return e.msg }

// parseYAML reads a YAML document into a located node tree, rewriting
// short-form tags (!Ref x) to the long form ({"Ref": "x"}) so that the
// evaluator sees one form.
func parseYAML(f *source.File, maxNesting int) (*graph.Node, []*yamlError, error) {
	var doc yaml.Node
	// yaml.v3 bounds flow and block nesting at 10 000 levels each, which
	// its own recursion survives; ours is bounded here, before converting.
	if err := yaml.Unmarshal(f.Bytes, &doc); err != nil {
		return nil, nil, yamlDepthError(f, err, maxNesting)
	}
	c := &yamlConv{f: f, expanding: map[*yaml.Node]bool{}}
	if deep := tooDeepYAML(&doc, maxNesting); deep != nil {
		return nil, nil, &jsonpos.SyntaxError{Offset: c.offset(deep.Line, deep.Column), Msg: limits.TooDeep(maxNesting), TooDeep: true}
	}
	if doc.Kind == 0 {
		return &graph.Node{Kind: graph.KindNull, Range: f.Range(0, 0)}, nil, nil
	}
	n := c.node(&doc)
	if c.budgetExceeded {
		if c.bomb != nil {
			return nil, nil, &yamlError{rng: c.bomb.rng,
				msg: fmt.Sprintf("alias *%s expands the document to more than a million nodes (an alias bomb?); not read", c.bomb.name)}
		}
		return nil, nil, errors.New("the document expands to more than a million nodes through aliases")
	}
	return n, c.errs, nil
}

// yamlDepthError turns yaml.v3's own depth error (at 10 000 levels) into
// the --max-nesting one, which is lower and names the flag; yaml.v3 gives
// only the line.
func yamlDepthError(f *source.File, err error, maxNesting int) error {
	line, msg, ok := yamlErrorLine(err)
	if !ok || !strings.Contains(msg, "exceeded max depth") || maxNesting >= 10000 {
		return err
	}
	return &jsonpos.SyntaxError{Offset: f.LineStart(line), Msg: limits.TooDeep(maxNesting), TooDeep: true}
}

// tooDeepYAML returns the first node (in document order) nested deeper
// than limit collections, or nil. Aliases are not followed: a cycle or a
// bomb is the converter's to refuse, and their depth adds no recursion
// here.
func tooDeepYAML(doc *yaml.Node, limit int) *yaml.Node {
	type item struct {
		n     *yaml.Node
		depth int
	}
	stack := []item{{doc, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n == nil {
			continue
		}
		depth := it.depth
		if it.n.Kind == yaml.MappingNode || it.n.Kind == yaml.SequenceNode {
			depth++
			if depth > limit {
				return it.n
			}
		}
		for i := len(it.n.Content) - 1; i >= 0; i-- {
			stack = append(stack, item{it.n.Content[i], depth})
		}
	}
	return nil
}

// aliasAt is an alias and where it is used.
type aliasAt struct {
	name string
	rng  graph.Range
}

type yamlConv struct {
	f              *source.File
	nodes          int
	budgetExceeded bool
	// outer is the outermost alias being expanded; bomb, the one that was
	// when the budget ran out.
	outer, bomb *aliasAt
	errs        []*yamlError
	// expanding holds the anchors being expanded, so that an alias inside
	// its own anchor is an error instead of endless recursion.
	expanding map[*yaml.Node]bool
	// flow counts the flow collections ([…], {…}) around the node being
	// converted: there, a plain scalar ends at , ] or }.
	flow int
}

func (c *yamlConv) node(n *yaml.Node) *graph.Node {
	c.nodes++
	if c.nodes > maxYAMLNodes {
		c.budgetExceeded = true
		if c.bomb == nil {
			c.bomb = c.outer
		}
		return &graph.Node{Kind: graph.KindUnknown}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &graph.Node{Kind: graph.KindNull, Range: c.f.Range(0, 0)}
		}
		return c.node(n.Content[0])
	case yaml.AliasNode:
		rng := c.scalarRange(n)
		if n.Alias == nil {
			return &graph.Node{Kind: graph.KindUnknown, Range: rng}
		}
		if c.expanding[n.Alias] {
			c.errs = append(c.errs, &yamlError{rng: rng, msg: fmt.Sprintf("alias *%s refers to the value that contains it", n.Value)})
			return &graph.Node{Kind: graph.KindUnknown, Range: rng}
		}
		if len(c.expanding) == 0 {
			c.outer = &aliasAt{name: n.Value, rng: rng}
		}
		c.expanding[n.Alias] = true
		out := c.node(n.Alias)
		delete(c.expanding, n.Alias)
		out.Range = rng
		return out
	}
	out := c.plain(n)
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		fn, ok := shortForms[n.Tag]
		if !ok {
			c.errs = append(c.errs, &yamlError{rng: out.Range, msg: fmt.Sprintf("unknown tag %s", n.Tag)})
			return &graph.Node{Kind: graph.KindUnknown, Range: out.Range}
		}
		arg := out
		if fn == "Fn::GetAtt" && out.Kind == graph.KindString {
			// !GetAtt Resource.Attribute: the attribute may itself hold
			// dots, the logical ID may not.
			res, attr, _ := strings.Cut(out.Str, ".")
			arg = &graph.Node{Kind: graph.KindList, Range: out.Range, List: []*graph.Node{
				{Kind: graph.KindString, Str: res, Range: out.Range},
				{Kind: graph.KindString, Str: attr, Range: out.Range},
			}}
		}
		return &graph.Node{Kind: graph.KindObject, Range: out.Range,
			Fields: []graph.Field{{Key: fn, KeyRange: out.Range, Value: arg}}}
	}
	return out
}

// plain converts a node without looking at a short-form tag.
func (c *yamlConv) plain(n *yaml.Node) *graph.Node {
	switch n.Kind {
	case yaml.MappingNode:
		out := &graph.Node{Kind: graph.KindObject, Fields: make([]graph.Field, 0, len(n.Content)/2)}
		c.enterFlow(n)
		var merged []graph.Field
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
				// A merge key: the merged mapping's entries, unless
				// given here (before or after the merge key).
				merged = append(merged, c.merge(v)...)
				continue
			}
			key := k.Value
			if k.Kind == yaml.AliasNode && k.Alias != nil {
				key = k.Alias.Value
			}
			out.Fields = append(out.Fields, graph.Field{Key: key, KeyRange: c.scalarRange(k), Value: c.node(v)})
		}
		for _, f := range merged {
			if out.Field(f.Key) == nil {
				out.Fields = append(out.Fields, f)
			}
		}
		c.leaveFlow(n)
		out.Range = c.collectionRange(n, out)
		return out
	case yaml.SequenceNode:
		out := &graph.Node{Kind: graph.KindList, List: make([]*graph.Node, 0, len(n.Content))}
		c.enterFlow(n)
		for _, e := range n.Content {
			out.List = append(out.List, c.node(e))
		}
		c.leaveFlow(n)
		out.Range = c.collectionRange(n, out)
		return out
	default:
		out := &graph.Node{Range: c.scalarRange(n)}
		switch n.Tag {
		case "!!null":
			out.Kind = graph.KindNull
		case "!!bool":
			out.Kind = graph.KindBool
			out.Bool = strings.EqualFold(n.Value, "true") || strings.EqualFold(n.Value, "yes") || strings.EqualFold(n.Value, "on")
		case "!!int", "!!float":
			out.Kind, out.Str = graph.KindNumber, n.Value
		default:
			out.Kind, out.Str = graph.KindString, n.Value
			if b, ok := yaml11Bool(n); ok {
				// CloudFormation reads YAML 1.1, where plain yes, no, on
				// and off are booleans (yaml.v3 reads YAML 1.2).
				out.Kind, out.Str, out.Bool = graph.KindBool, "", b
			}
		}
		return out
	}
}

func (c *yamlConv) enterFlow(n *yaml.Node) {
	if n.Style&yaml.FlowStyle != 0 {
		c.flow++
	}
}

func (c *yamlConv) leaveFlow(n *yaml.Node) {
	if n.Style&yaml.FlowStyle != 0 {
		c.flow--
	}
}

// merge returns the entries a merge key brings in; the earlier of several
// merged mappings wins, as YAML specifies.
func (c *yamlConv) merge(v *yaml.Node) []graph.Field {
	var sources []*yaml.Node
	switch v.Kind {
	case yaml.AliasNode, yaml.MappingNode:
		sources = []*yaml.Node{v}
	case yaml.SequenceNode:
		sources = v.Content
	}
	var out []graph.Field
	seen := map[string]bool{}
	for _, s := range sources {
		m := c.node(s) // aliases go through node, which guards cycles
		for _, f := range m.Fields {
			if !seen[f.Key] {
				seen[f.Key] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// offset turns a yaml line and column (1-based, in characters) into a
// byte offset.
func (c *yamlConv) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	start := c.f.LineStart(line)
	i := start
	for n := 1; n < col && i < len(c.f.Bytes) && c.f.Bytes[i] != '\n'; n++ {
		_, w := utf8.DecodeRune(c.f.Bytes[i:])
		i += w
	}
	return i
}

// scalarRange finds where a scalar (or alias) ends by scanning its text:
// yaml.v3 gives only where nodes start.
func (c *yamlConv) scalarRange(n *yaml.Node) graph.Range {
	b := c.f.Bytes
	s := c.offset(n.Line, n.Column)
	i := s
	if n.Style&yaml.TaggedStyle != 0 || (strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") && i < len(b) && b[i] == '!') {
		// Skip the tag and the space after it.
		for i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' {
			i++
		}
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		if n.Kind != yaml.ScalarNode {
			return c.f.Range(s, i)
		}
	}
	switch {
	case n.Kind == yaml.AliasNode:
		i = scanPlain(b, i, true, "")
	case n.Style&yaml.DoubleQuotedStyle != 0:
		i = scanQuoted(b, i, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		i = scanQuoted(b, i, '\'')
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		i = scanBlock(b, i, c.f.LineStart(n.Line))
	default:
		i = scanPlain(b, i, c.flow > 0, n.Value)
	}
	return c.f.Range(s, i)
}

// collectionRange spans a mapping or sequence: from its start to the end of
// its last entry, or past its closing bracket in flow style.
func (c *yamlConv) collectionRange(n *yaml.Node, out *graph.Node) graph.Range {
	s := c.offset(n.Line, n.Column)
	end := s
	switch {
	case len(out.Fields) > 0:
		end = out.Fields[len(out.Fields)-1].Value.Range.End.Byte
	case len(out.List) > 0:
		end = out.List[len(out.List)-1].Range.End.Byte
	}
	if n.Style&yaml.FlowStyle != 0 {
		closer := byte(']')
		if n.Kind == yaml.MappingNode {
			closer = '}'
		}
		if i := flowClose(c.f.Bytes, max(end, s+1), closer); i > 0 {
			end = i
		}
	}
	end = max(end, s)
	return c.f.Range(s, end)
}

func scanQuoted(b []byte, i int, q byte) int {
	if i >= len(b) || b[i] != q {
		return scanPlain(b, i, true, "")
	}
	for i++; i < len(b); i++ {
		switch {
		case q == '"' && b[i] == '\\':
			i++
		case b[i] == q && q == '\'' && i+1 < len(b) && b[i+1] == '\'':
			i++
		case b[i] == q:
			return i + 1
		}
	}
	return len(b)
}

// scanPlain ends a plain scalar at a comment, a ": ", in flow context at
// , ] or }, and otherwise at the end of its line — or of its last
// continuation line, when value (the scalar as parsed) holds more text
// than the first line.
func scanPlain(b []byte, i int, inFlow bool, value string) int {
	want := nonSpace(value)
	got, end := 0, i
	for j := i; j < len(b); j++ {
		c := b[j]
		if c == '\n' || c == '\r' {
			if value == "" || got >= want {
				break
			}
			continue // a continuation line
		}
		if (c == '#' && j > i && (b[j-1] == ' ' || b[j-1] == '\t')) || inFlow && (c == ',' || c == ']' || c == '}') {
			break
		}
		if c == ':' && (j+1 == len(b) || b[j+1] == ' ' || b[j+1] == '\n' || b[j+1] == '\r' || inFlow && b[j+1] == ',') {
			break
		}
		if c != ' ' && c != '\t' {
			end = j + 1
			got++
		}
	}
	return end
}

func nonSpace(s string) int {
	n := 0
	for i := range len(s) {
		if s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
			n++
		}
	}
	return n
}

// scanBlock ends a literal or folded block scalar after its last line that
// is indented more than the line holding the key.
func scanBlock(b []byte, i, lineStart int) int {
	indent := 0
	for lineStart+indent < len(b) && b[lineStart+indent] == ' ' {
		indent++
	}
	// Skip the header line (| or > with indicators).
	j := i
	for j < len(b) && b[j] != '\n' {
		j++
	}
	end := j
	for j < len(b) {
		j++ // past '\n'
		k := j
		for k < len(b) && b[k] == ' ' {
			k++
		}
		if k >= len(b) {
			break
		}
		if b[k] == '\n' || b[k] == '\r' {
			j = k
			continue
		}
		if k-j <= indent {
			break
		}
		for k < len(b) && b[k] != '\n' {
			k++
		}
		end, j = k, k
	}
	return end
}

// flowClose finds the bracket closing a flow collection at or after i,
// skipping scalars, comments and nested brackets; 0 when there is none.
func flowClose(b []byte, i int, closer byte) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"', '\'':
			i = scanQuoted(b, i, b[i]) - 1
		case '#':
			for i < len(b) && b[i] != '\n' {
				i++
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				if b[i] == closer {
					return i + 1
				}
				return 0
			}
			depth--
		}
	}
	return 0
}

// yaml11Bool reads the YAML 1.1 booleans that YAML 1.2 made strings. Only
// plain, untagged scalars qualify: "no" in quotes stays a string. The
// one-letter forms (y, n) are left alone: YAML parsers disagree on them.
func yaml11Bool(n *yaml.Node) (value, ok bool) {
	if n.Style != 0 || n.Tag != "!!str" {
		return false, false
	}
	switch n.Value {
	case "yes", "Yes", "YES", "on", "On", "ON":
		return true, true
	case "no", "No", "NO", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}
