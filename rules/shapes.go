package rules

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// Resource entries that are partly known (graph.ShapeOf):
// "arn:aws:s3:::${var.bucket}/*" with a variable that has no value. Such an
// entry is unknown, and the rules that read shapes ask only what every value
// of the unknown parts makes true.

// resourcePatterns is knownResources that also accepts entries whose shape
// is known.
func resourcePatterns(st *graph.Statement) ([]graph.String, bool) {
	if !st.Resource.Present || st.Resource.Unknown || st.NotResource.Present {
		return nil, false
	}
	for _, it := range st.Resource.Items {
		if _, shaped := it.Shape(); !it.Known() && !shaped {
			return nil, false
		}
	}
	return st.Resource.Items, true
}

// siblingResources are the Resource entries of a statement that may make
// up for another's mistake: any, known or not; a Resource that is unknown
// as a whole is one unknown entry. A NotResource (or no Resource) makes up
// for nothing.
func siblingResources(st *graph.Statement) ([]graph.String, bool) {
	switch {
	case !st.Resource.Present || st.NotResource.Present:
		return nil, false
	case st.Resource.Unknown:
		return []graph.String{graph.StringUnknown(st.Resource.Range)}, true
	}
	return st.Resource.Items, true
}

// shapeObjects returns the ARN of the bucket (itself a shape, or known) whose
// objects a shape names whatever its unknown parts hold: a "/" written in the
// text makes it an object pattern, since bucket names have none. The part
// before that "/" must be an S3 bucket ARN whose partition or name may be
// unknown ("arn:${AWS::Partition}:s3:::${DataBucket}/*"), or one unknown part
// alone ("${var.bucket_arn}/*", taken for the ARN of a bucket).
func shapeObjects(shape string) (bucketARN string, ok bool) {
	arn, rest, found := strings.Cut(shape, "/")
	if !found || arn == "" {
		return "", false
	}
	if arn == graph.UnknownPart {
		if strings.HasPrefix(rest, "object/") {
			return "", false // "${var.ap_arn}/object/*": an access point's objects
		}
		return arn, true
	}
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "s3" || parts[3] != "" || parts[4] != "" || parts[5] == "" ||
		policy.HasWildcard(parts[5]) || policy.HasWildcard(parts[1]) {
		return "", false
	}
	return arn, true
}

// kindPattern is the pattern whose kinds (policy.S3Kinds) and applicable
// actions are those of a Resource entry: the entry itself when known; for a
// shape that names objects, an object pattern of a bucket whose name stands
// for the unknown one; for another shape, its starred pattern (graph.Starred).
func kindPattern(r graph.String) string {
	shape, ok := r.Shape()
	if !ok {
		return r.V
	}
	if arn, ok := shapeObjects(shape); ok {
		return "arn:aws:s3:::unknown" + graph.Starred(shape[len(arn):])
	}
	return graph.Starred(shape)
}

// displayShape renders a shape for messages, and the bucket ARN it names
// objects of: the template written in the source, and the bucket ARN cut
// from it where that cut is certain (the literal tail after the bucket part
// is the shape's, or every interpolation before the "/" is an unknown part);
// otherwise each unknown part shows as "${…}".
func (p *Pass) displayShape(pol *graph.Policy, r graph.String, shape, bucketARN string) (whole, bucket string) {
	plain := func(s string) string { return display(strings.ReplaceAll(s, graph.UnknownPart, "${…}")) }
	whole, bucket = plain(shape), plain(bucketARN)
	el, ok := p.sourceElement(pol, r.Range)
	if !ok {
		return whole, bucket
	}
	tmpl, own, ok := templateOf(el)
	if !ok {
		return whole, bucket
	}
	whole = tmpl
	if own {
		// Its variables are the Fn::Sub's own: the bucket part cut
		// from it would mean nothing elsewhere.
		return whole, bucket
	}
	if tail := shape[len(bucketARN):]; !strings.Contains(tail, graph.UnknownPart) && strings.HasSuffix(tmpl, tail) && len(tmpl) > len(tail) {
		return whole, tmpl[:len(tmpl)-len(tail)]
	}
	if head, ok := templateHead(tmpl); ok && head.shape == bucketARN {
		return whole, head.text
	}
	return whole, bucket
}

// templateHead is the part of a template before its first "/" outside
// interpolations: its text, and its shape if every interpolation in it
// were unknown.
func templateHead(tmpl string) (head struct{ text, shape string }, ok bool) {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		switch {
		case tmpl[i] == '/':
			head.text, head.shape = tmpl[:i], b.String()
			return head, true
		case strings.HasPrefix(tmpl[i:], "${"):
			end := strings.IndexByte(tmpl[i:], '}')
			if end < 0 || strings.Contains(tmpl[i+2:i+end], "{") {
				return head, false
			}
			b.WriteString(graph.UnknownPart)
			i += end
		default:
			b.WriteByte(tmpl[i])
		}
	}
	return head, false
}

// templateOf returns the text of a string element written as a Terraform
// template or a YAML or JSON Fn::Sub, for messages only (fixes read
// elements with more care: hclString, subTemplate); ownVars is set for the
// list form of Fn::Sub, whose variables are its own.
func templateOf(el element) (tmpl string, ownVars, ok bool) {
	t := el.text
	switch el.syn {
	case synHCL:
		if len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' {
			return "", false, false
		}
		t = t[1 : len(t)-1]
	case synYAML:
		rest, found := strings.CutPrefix(t, "!Sub")
		if !found {
			return "", false, false
		}
		var v any
		if err := yaml.Unmarshal([]byte(rest), &v); err != nil {
			return "", false, false
		}
		switch v := v.(type) {
		case string:
			t = v
		case []any:
			// The list form: the template, then its variables.
			if len(v) != 2 {
				return "", false, false
			}
			if t, found = v[0].(string); !found {
				return "", false, false
			}
			ownVars = true
		default:
			return "", false, false
		}
	case synJSON:
		fn, arg, ok := jsonIntrinsic(t)
		if !ok || fn != "Fn::Sub" {
			return "", false, false
		}
		t = arg
	default:
		return "", false, false
	}
	if t == "" || strings.ContainsAny(t, "\"\\\n\t'[]") || strings.Contains(t, "%{") {
		return "", false, false
	}
	return t, ownVars, true
}
