package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/policy"
)

// WriteDecisionText writes the answer of `s3lint explain`: the request, the
// decision, the checklist in AWS's order with the places each step read,
// what decided it, the fix, and the values the engine assumed.
func WriteDecisionText(w io.Writer, d *policy.Decision, o TextOptions) error {
	var b strings.Builder
	req := d.Request
	fmt.Fprintf(&b, "%s %s on %s\n\n", terminalSafe(req.Caller.Label(), ""), req.Action, terminalSafe(policy.Display(req.Resource), ""))
	head := d.Label()
	color := ansiRed
	switch d.Outcome {
	case policy.Allow:
		color = ansiCyan
	case policy.Unknown:
		color = ansiYellow
	}
	b.WriteString("decision: " + o.paint(color, head))
	if len(d.Why) > 0 {
		b.WriteString(" — depends on " + terminalSafe(strings.Join(d.Why, "; "), ""))
	}
	b.WriteString("\n\n")
	for i, s := range d.Steps {
		fmt.Fprintf(&b, "%d. %-26s %s\n", i+1, s.Check, o.paint(stepColor(s.Status), s.Status.String()))
		b.WriteString(messageIndent + terminalSafe(s.Detail, messageIndent) + "\n")
		for _, l := range s.Where {
			writeLocation(&b, messageIndent+"  ", l)
		}
	}
	if len(d.Deciding) > 0 {
		b.WriteString("\ndecided by:\n")
		for _, l := range d.Deciding {
			writeLocation(&b, "  ", l)
		}
	}
	if d.Fix != "" {
		b.WriteString("\nfix: " + terminalSafe(d.Fix, "     ") + "\n")
	}
	if a := assumed(req.Context); len(a) > 0 {
		b.WriteString("\nassumed (override with --context KEY=VALUE): " + strings.Join(a, ", ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeLocation(b *strings.Builder, indent string, l policy.Location) {
	pos := position(l.Range.File, l.Range)
	if pos == "" {
		pos = "(not in a file)"
	}
	b.WriteString(indent + terminalSafe(pos, "") + ": " + terminalSafe(l.What, indent) + "\n")
}

func stepColor(s policy.StepStatus) string {
	switch s {
	case policy.Denied:
		return ansiRed
	case policy.Undecided:
		return ansiYellow
	case policy.Allowed:
		return ansiCyan
	}
	return ansiBold
}

// assumed lists the context values the engine chose for a typical request.
func assumed(ctx policy.Context) []string {
	var out []string
	for _, k := range ctx.Keys() {
		if v := ctx[k]; v.Assumed && v.OneOf {
			out = append(out, v.Name+"="+strings.Join(v.Values, " or "))
		} else if v.Assumed {
			out = append(out, v.Name+"="+strings.Join(v.Values, ","))
		}
	}
	return out
}

// JSONDecision is the stable JSON form of a decision.
type JSONDecision struct {
	Principal string      `json:"principal"`
	Caller    string      `json:"callerKind"`
	Action    string      `json:"action"`
	Resource  string      `json:"resource"`
	Bucket    string      `json:"bucket,omitempty"`
	Decision  string      `json:"decision"`
	DependsOn []string    `json:"dependsOn,omitempty"`
	Steps     []JSONStep  `json:"steps"`
	DecidedBy []JSONPlace `json:"decidedBy,omitempty"`
	Fix       string      `json:"fix,omitempty"`
	Assumed   []string    `json:"assumed,omitempty"`
}

// JSONStep is one check of the checklist.
type JSONStep struct {
	Check  string      `json:"check"`
	Status string      `json:"status"`
	Detail string      `json:"detail"`
	Where  []JSONPlace `json:"where,omitempty"`
}

// JSONPlace is a place in the configuration and what is there.
type JSONPlace struct {
	JSONLocation
	What string `json:"what"`
}

func jsonPlaces(ls []policy.Location) []JSONPlace {
	var out []JSONPlace
	for _, l := range ls {
		out = append(out, jsonPlace(l.Range, l.What))
	}
	return out
}

func jsonPlace(r graph.Range, what string) JSONPlace {
	return JSONPlace{JSONLocation: JSONLocation{File: r.File, Start: JSONPosition{Line: r.Start.Line, Column: r.Start.Col},
		End: JSONPosition{Line: r.End.Line, Column: r.End.Col}}, What: what}
}

// DecisionJSON converts a decision to its JSON form.
func DecisionJSON(d *policy.Decision) JSONDecision {
	req := d.Request
	j := JSONDecision{
		Principal: req.Caller.Label(), Caller: req.Caller.Kind.String(), Action: req.Action,
		Resource: policy.Display(req.Resource), Decision: d.Outcome.String(), DependsOn: d.Why,
		DecidedBy: jsonPlaces(d.Deciding), Fix: d.Fix, Assumed: assumed(req.Context), Steps: []JSONStep{},
	}
	if d.Bucket != nil {
		j.Bucket = d.Bucket.Address
	}
	for _, s := range d.Steps {
		j.Steps = append(j.Steps, JSONStep{Check: s.Check, Status: s.Status.String(), Detail: s.Detail, Where: jsonPlaces(s.Where)})
	}
	return j
}

// WriteDecisionJSON writes a decision as indented JSON.
func WriteDecisionJSON(w io.Writer, d *policy.Decision) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(DecisionJSON(d))
}

// WriteAccessText writes the access table: per bucket, each caller's list,
// read, write and delete decisions, marking with "!" what a policy means to
// grant but the caller cannot do, followed by the reason.
func WriteAccessText(w io.Writer, table []policy.Access, _ TextOptions) error {
	var b strings.Builder
	if len(table) == 0 {
		// Grants to everyone under conditions (an IP range, a VPC
		// endpoint) name no caller the table can ask about.
		b.WriteString("no bucket in the configuration is granted to a principal it names (grants to everyone under conditions, " +
			"such as aws:SourceIp, are not listed: ask about them with s3lint explain --principal anonymous --action s3:GetObject " +
			"--resource BUCKET/KEY --context KEY=VALUE)\n")
	}
	for i, acc := range table {
		if i > 0 {
			b.WriteByte('\n')
		}
		bk := acc.Bucket
		fmt.Fprintf(&b, "%s (%s)  %s\n", terminalSafe(bk.Address, ""), terminalSafe(policy.Display(policy.BucketARNOf(bk)), ""), position(bk.Range.File, bk.Range))
		width := len("principal")
		for _, r := range acc.Rows {
			width = max(width, len(r.Caller.Label()))
		}
		fmt.Fprintf(&b, "  %-*s", width, "principal")
		for _, k := range policy.AccessKinds {
			fmt.Fprintf(&b, "  %-8s", k)
		}
		b.WriteByte('\n')
		var broken []string
		for _, r := range acc.Rows {
			fmt.Fprintf(&b, "  %-*s", width, terminalSafe(r.Caller.Label(), ""))
			for _, c := range r.Cells {
				fmt.Fprintf(&b, "  %-8s", cellText(c))
			}
			b.WriteByte('\n')
			for _, d := range r.Broken {
				broken = append(broken, brokenText(&d))
			}
		}
		for _, s := range broken {
			b.WriteString("  ! " + terminalSafe(s, "    ") + "\n")
		}
	}
	b.WriteString("\nyes: allowed; no: denied; ?: depends on values not known before deployment; ! marks access a policy grants that the caller does not get\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// brokenText says why an intended request is denied.
func brokenText(d *policy.Decision) string {
	s := fmt.Sprintf("%s cannot %s on %s (%s)", d.Request.Caller.Label(), d.Request.Action, policy.Display(d.Request.Resource), d.Label())
	if len(d.Deciding) > 0 {
		l := d.Deciding[0]
		s += ": " + position(l.Range.File, l.Range) + ": " + l.What
	}
	if d.Fix != "" {
		s += "; fix: " + d.Fix
	}
	return s
}

func cellText(c policy.AccessCell) string {
	s := map[policy.Outcome]string{policy.Allow: "yes", policy.ExplicitDeny: "no", policy.ImplicitDeny: "no", policy.Unknown: "?"}[c.Decision.Outcome]
	if c.Intended && c.Decision.Outcome.Denied() {
		s += "!"
	}
	return s
}

// JSONAccess is the stable JSON form of one bucket's access table.
type JSONAccess struct {
	Bucket     string          `json:"bucket"`
	ARN        string          `json:"arn"`
	Location   JSONPlace       `json:"location"`
	Principals []JSONAccessRow `json:"principals"`
}

// JSONAccessRow is one caller's access.
type JSONAccessRow struct {
	Principal string                    `json:"principal"`
	Kind      string                    `json:"kind"`
	Access    map[string]JSONAccessCell `json:"access"`
	// Broken are the requests a policy means to grant that are denied.
	Broken []JSONBroken `json:"broken,omitempty"`
}

// JSONBroken is an intended request that is denied.
type JSONBroken struct {
	Action    string      `json:"action"`
	Resource  string      `json:"resource"`
	Decision  string      `json:"decision"`
	DecidedBy []JSONPlace `json:"decidedBy,omitempty"`
	Fix       string      `json:"fix,omitempty"`
}

// JSONAccessCell is one decision of the table.
type JSONAccessCell struct {
	Decision  string   `json:"decision"`
	Intended  bool     `json:"intended"`
	DependsOn []string `json:"dependsOn,omitempty"`
	Fix       string   `json:"fix,omitempty"`
}

// WriteAccessJSON writes the access table as indented JSON.
func WriteAccessJSON(w io.Writer, table []policy.Access) error {
	out := []JSONAccess{}
	for _, acc := range table {
		ja := JSONAccess{Bucket: acc.Bucket.Address, ARN: policy.Display(policy.BucketARNOf(acc.Bucket)),
			Location: jsonPlace(acc.Bucket.Range, acc.Bucket.Address), Principals: []JSONAccessRow{}}
		for _, r := range acc.Rows {
			row := JSONAccessRow{Principal: r.Caller.Label(), Kind: r.Caller.Kind.String(), Access: map[string]JSONAccessCell{}}
			for i, c := range r.Cells {
				row.Access[policy.AccessKinds[i]] = JSONAccessCell{Decision: c.Decision.Outcome.String(), Intended: c.Intended, DependsOn: c.Decision.Why, Fix: c.Decision.Fix}
			}
			for _, d := range r.Broken {
				row.Broken = append(row.Broken, JSONBroken{Action: d.Request.Action, Resource: policy.Display(d.Request.Resource),
					Decision: d.Outcome.String(), DecidedBy: jsonPlaces(d.Deciding), Fix: d.Fix})
			}
			ja.Principals = append(ja.Principals, row)
		}
		out = append(out, ja)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
