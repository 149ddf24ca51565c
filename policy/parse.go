package policy

import (
	"fmt"

	"github.com/s3lint/s3lint/graph"
)

// Parse reads a policy document from a located node tree. It accepts every
// shape IAM accepts (a single statement or a list, a string or a list for
// Action/Resource/Principal values, "Principal": "*") and keeps the range of
// every element. Unknown parts stay unknown. Structural defects are recorded
// in Document.Problems; Parse never fails.
func Parse(n *graph.Node) *graph.Document {
	doc := &graph.Document{Range: n.Range}
	if n.Kind != graph.KindObject {
		if n.Kind != graph.KindUnknown {
			doc.Problems = append(doc.Problems, graph.Problem{Range: n.Range,
				Message: fmt.Sprintf("a policy document must be a JSON object, not %s", withArticle(n.Kind))})
		}
		return doc
	}
	versioned := false
	for _, f := range n.Fields {
		switch f.Key {
		case "Version":
			versioned = true
			doc.Version = f.Value.AsString()
			if v := doc.Version; v.Known() && v.V != "2012-10-17" && v.V != "2008-10-17" {
				doc.Problems = append(doc.Problems, graph.Problem{Range: f.Value.Range,
					// %+q spells out look-alike characters (non-breaking
					// hyphens pasted from a document).
					Message: fmt.Sprintf("Version must be \"2012-10-17\" (or the old \"2008-10-17\"), not %+q", v.V)})
			}
		case "Id":
			doc.ID = f.Value.AsString()
		case "Statement":
			doc.Statements = parseStatements(doc, f.Value)
		default:
			doc.Problems = append(doc.Problems, graph.Problem{Range: f.KeyRange,
				Message: fmt.Sprintf("unknown policy element %q", f.Key)})
		}
	}
	if !versioned || doc.Version.Is("2008-10-17") {
		// IAM takes a missing Version for 2008-10-17, which has no policy
		// variables.
		for _, st := range doc.Statements {
			st.LiteralVariables = true
		}
	}
	return doc
}

func parseStatements(doc *graph.Document, v *graph.Node) []*graph.Statement {
	switch v.Kind {
	case graph.KindObject:
		return []*graph.Statement{parseStatement(doc, v, 0)}
	case graph.KindList:
		out := make([]*graph.Statement, 0, len(v.List))
		for i, e := range v.List {
			out = append(out, parseStatement(doc, e, i))
		}
		return out
	case graph.KindUnknown:
		return []*graph.Statement{{Range: v.Range, Unknown: true}}
	default:
		doc.Problems = append(doc.Problems, graph.Problem{Range: v.Range,
			Message: "Statement must be an object or a list of objects"})
		return nil
	}
}

func parseStatement(doc *graph.Document, n *graph.Node, idx int) *graph.Statement {
	st := &graph.Statement{Index: idx, Range: n.Range}
	if n.Kind == graph.KindUnknown {
		st.Unknown = true
		return st
	}
	if n.Kind != graph.KindObject {
		doc.Problems = append(doc.Problems, graph.Problem{Range: n.Range, Message: "a statement must be an object"})
		st.Unknown = true
		return st
	}
	hasEffect := false
	for _, f := range n.Fields {
		switch f.Key {
		case "Sid":
			st.Sid = f.Value.AsString()
		case "Effect":
			hasEffect = true
			st.Effect = scalar(doc, f.Value, "Effect")
			if st.Effect.Known() && st.Effect.V != "Allow" && st.Effect.V != "Deny" {
				doc.Problems = append(doc.Problems, graph.Problem{Range: f.Value.Range,
					Message: fmt.Sprintf("Effect must be \"Allow\" or \"Deny\", not %q", st.Effect.V)})
			}
		case "Action":
			st.Action = parseStrings(doc, f)
		case "NotAction":
			st.NotAction = parseStrings(doc, f)
		case "Resource":
			st.Resource = parseResources(doc, f)
		case "NotResource":
			st.NotResource = parseResources(doc, f)
		case "Principal":
			st.Principal = parsePrincipal(doc, f)
		case "NotPrincipal":
			st.NotPrincipal = parsePrincipal(doc, f)
		case "Condition":
			st.Conditions = parseConditions(doc, f.Value)
		default:
			doc.Problems = append(doc.Problems, graph.Problem{Range: f.KeyRange,
				Message: fmt.Sprintf("unknown statement element %q", f.Key)})
		}
	}
	if !hasEffect {
		doc.Problems = append(doc.Problems, graph.Problem{Range: n.Range, Message: "statement has no Effect"})
		st.Effect = graph.StringUnknown(n.Range)
	}
	return st
}

// parseResources is parseStrings for Resource and NotResource, whose
// unknown entries keep their shape (graph.ShapeOf): "arn:aws:s3:::${var.b}/*"
// names objects whatever the variable holds. A partly known string alone is
// read as a list of that one entry.
func parseResources(doc *graph.Document, f graph.Field) graph.Strings {
	if v := f.Value; v.Kind == graph.KindUnknown && v.Str != "" {
		return graph.Strings{Present: true, Range: v.Range, KeyRange: joinRange(f.KeyRange, v.Range),
			Items: []graph.String{v.AsShapedString()}}
	}
	return parseStringsWith(doc, f, (*graph.Node).AsShapedString)
}

// parseStrings reads an element that IAM accepts as a string or a list of
// strings.
func parseStrings(doc *graph.Document, f graph.Field) graph.Strings {
	return parseStringsWith(doc, f, (*graph.Node).AsString)
}

func parseStringsWith(doc *graph.Document, f graph.Field, entry func(*graph.Node) graph.String) graph.Strings {
	v := f.Value
	s := graph.Strings{Present: true, Range: v.Range, KeyRange: joinRange(f.KeyRange, v.Range)}
	switch v.Kind {
	case graph.KindString, graph.KindNumber, graph.KindBool:
		s.Items = []graph.String{v.AsString()}
	case graph.KindList:
		for _, e := range v.List {
			switch e.Kind {
			case graph.KindString, graph.KindNumber, graph.KindBool, graph.KindUnknown:
				s.Items = append(s.Items, entry(e))
			default:
				doc.Problems = append(doc.Problems, graph.Problem{Range: e.Range,
					Message: fmt.Sprintf("%s entries must be strings, not %s", f.Key, withArticle(e.Kind))})
			}
		}
	case graph.KindUnknown:
		s.Unknown = true
	default:
		doc.Problems = append(doc.Problems, graph.Problem{Range: v.Range,
			Message: fmt.Sprintf("%s must be a string or a list of strings, not %s", f.Key, withArticle(v.Kind))})
		s.Unknown = true
	}
	return s
}

func parsePrincipal(doc *graph.Document, f graph.Field) *graph.PrincipalSpec {
	v := f.Value
	p := &graph.PrincipalSpec{Range: joinRange(f.KeyRange, v.Range)}
	switch v.Kind {
	case graph.KindString:
		if v.Str == "*" {
			p.Wildcard = true
		} else {
			doc.Problems = append(doc.Problems, graph.Problem{Range: v.Range,
				Message: fmt.Sprintf("%s must be \"*\" or an object such as {\"AWS\": …}, not the string %q", f.Key, v.Str)})
			p.Unknown, p.Invalid = true, fmt.Sprintf("the string %q", v.Str)
		}
	case graph.KindObject:
		for _, e := range v.Fields {
			ent := graph.PrincipalEntry{Type: graph.StringOf(e.Key, e.KeyRange), ValueRange: e.Value.Range}
			switch e.Value.Kind {
			case graph.KindString, graph.KindNumber:
				ent.Values = []graph.String{e.Value.AsString()}
			case graph.KindList:
				for _, x := range e.Value.List {
					ent.Values = append(ent.Values, scalar(doc, x, f.Key+" "+e.Key+" entries"))
				}
			case graph.KindUnknown:
				ent.Unknown = true
			default:
				doc.Problems = append(doc.Problems, graph.Problem{Range: e.Value.Range,
					Message: fmt.Sprintf("%s %q must be a string or a list of strings", f.Key, e.Key)})
				ent.Unknown = true
			}
			p.Entries = append(p.Entries, ent)
		}
	case graph.KindUnknown:
		p.Unknown = true
	default:
		doc.Problems = append(doc.Problems, graph.Problem{Range: v.Range,
			Message: fmt.Sprintf("%s must be \"*\" or an object, not %s", f.Key, withArticle(v.Kind))})
		p.Unknown, p.Invalid = true, withArticle(v.Kind)
	}
	return p
}

func parseConditions(doc *graph.Document, v *graph.Node) []graph.Condition {
	if v.Kind == graph.KindUnknown {
		return []graph.Condition{{Range: v.Range, Unknown: true,
			Operator: graph.StringUnknown(v.Range), Key: graph.StringUnknown(v.Range)}}
	}
	if v.Kind != graph.KindObject {
		doc.Problems = append(doc.Problems, graph.Problem{Range: v.Range, Message: "Condition must be an object"})
		return nil
	}
	var out []graph.Condition
	for _, op := range v.Fields {
		if op.Value.Kind == graph.KindUnknown {
			out = append(out, graph.Condition{Range: op.Value.Range, Unknown: true,
				Operator: graph.StringOf(op.Key, op.KeyRange), Key: graph.StringUnknown(op.Value.Range)})
			continue
		}
		if op.Value.Kind != graph.KindObject {
			doc.Problems = append(doc.Problems, graph.Problem{Range: op.Value.Range,
				Message: fmt.Sprintf("condition operator %q must map keys to values", op.Key)})
			continue
		}
		for _, k := range op.Value.Fields {
			c := graph.Condition{
				Range:    joinRange(k.KeyRange, k.Value.Range),
				Operator: graph.StringOf(op.Key, op.KeyRange),
				Key:      graph.StringOf(k.Key, k.KeyRange),
			}
			what := fmt.Sprintf("condition values of %q", k.Key)
			switch k.Value.Kind {
			case graph.KindList:
				for _, x := range k.Value.List {
					c.Values = append(c.Values, scalar(doc, x, what))
				}
			case graph.KindUnknown:
				c.Unknown = true
			default:
				c.Values = []graph.String{scalar(doc, k.Value, what)}
			}
			out = append(out, c)
		}
	}
	return out
}

// joinRange spans from the start of a to the end of b (same file); when a is
// empty it returns b.
func joinRange(a, b graph.Range) graph.Range {
	if a.IsZero() || a.File != b.File {
		return b
	}
	if b.IsZero() {
		return a
	}
	r := a
	if b.End.Byte > r.End.Byte {
		r.End = b.End
	}
	if b.Start.Byte < r.Start.Byte {
		r.Start = b.Start
	}
	return r
}

// scalar reads a value IAM expects as a string (numbers and booleans are
// read as their text). Anything else is a structural defect, recorded, and
// the value is unknown.
func scalar(doc *graph.Document, n *graph.Node, what string) graph.String {
	switch n.Kind {
	case graph.KindString, graph.KindNumber, graph.KindBool, graph.KindUnknown:
		return n.AsString()
	default:
		doc.Problems = append(doc.Problems, graph.Problem{Range: n.Range,
			Message: fmt.Sprintf("%s: expected a string, not %s", what, withArticle(n.Kind))})
		return graph.StringUnknown(n.Range)
	}
}

// withArticle names a kind of value with its article: "an object", "a list",
// "null".
func withArticle(k graph.Kind) string {
	switch k {
	case graph.KindObject:
		return "an object"
	case graph.KindNull:
		return "null"
	}
	return "a " + k.String()
}
