package tfplan

import (
	"errors"
	"reflect"
	"regexp"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/parsers/internal/jsonpos"
	"github.com/s3lint/s3lint/parsers/internal/source"
	"github.com/s3lint/s3lint/policy"
)

func asSyntax(err error, target **jsonpos.SyntaxError) bool { return errors.As(err, target) }

// plan is one plan or state file being read.
type plan struct {
	l       *loader
	file    *source.File
	root    string // the directory of the file: the root module it stands for
	changes map[string]*change
	prior   *graph.Node // prior_state.values
	state   bool        // a state file, not a plan: nothing is applied
	// variables are the root module's input values the plan was made
	// with.
	variables map[string]*tfjson.PlanVariable

	providers   map[string]*provider // configuration key → provider
	resProvider map[string]string    // configuration address → provider key
	refs        map[string]map[string][]string
	// inputs are the references of module call arguments, by the
	// module's address prefix ("module.a.") and variable name.
	inputs map[string]map[string][]string

	entities map[string]any // instance address → entity
	managed  map[string]*graph.Policy
	names    graph.PrincipalNames
	aliases  []*kmsAlias
	links    []func()
	// recorders are the roles of the Config recorders, by module path.
	recorders map[string]graph.String
}

type change struct {
	actions       []string
	before, after map[string]any // the instance's values, for an update
	afterUnknown  *graph.Node
}

type provider struct {
	key       string
	account   graph.Account
	region    string
	partition string
	// customS3 is set when the provider sends S3 requests to an endpoint
	// of its own (MinIO, LocalStack…), not to AWS; noted once the note
	// saying so is given.
	customS3, noted bool
}

// readChanges notes, per resource instance, its planned actions and which
// attributes are unknown until apply.
func (p *plan) readChanges(tp *tfjson.Plan, list *graph.Node) {
	for _, rc := range tp.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.DeposedKey != "" {
			// A deposed object is an older copy being destroyed, not the
			// resource the address names now.
			continue
		}
		c := &change{}
		for _, a := range rc.Change.Actions {
			c.actions = append(c.actions, string(a))
		}
		c.before, _ = rc.Change.Before.(map[string]any)
		c.after, _ = rc.Change.After.(map[string]any)
		p.changes[rc.Address] = c
	}
	if list == nil {
		return
	}
	for _, rc := range list.List {
		addr := rc.Get("address")
		ch := rc.Get("change")
		if addr == nil || addr.Kind != graph.KindString || ch == nil || rc.Get("deposed") != nil {
			continue
		}
		if c := p.changes[addr.Str]; c != nil {
			c.afterUnknown = ch.Get("after_unknown")
		}
	}
}

// deleted reports an instance the plan only destroys.
func (p *plan) deleted(addr string) bool {
	c := p.changes[addr]
	return c != nil && len(c.actions) == 1 && c.actions[0] == "delete"
}

// unchanged reports an instance for which no request of the apply sends
// the arguments keys: one of a state file, one the plan leaves as it is
// (no-op) or only reads, or one it updates without changing them (the AWS
// provider sends an object's ACL only when it, or the object, changes).
func (p *plan) unchanged(addr string, keys ...string) bool {
	if p.state {
		return true
	}
	c := p.changes[addr]
	if c == nil || len(c.actions) == 0 {
		return false
	}
	if len(c.actions) == 1 && c.actions[0] == "update" && c.before != nil && c.after != nil {
		for _, k := range keys {
			if isUnknown(c.afterUnknown, k) || !reflect.DeepEqual(c.before[k], c.after[k]) {
				return false
			}
		}
		return true
	}
	for _, a := range c.actions {
		if a != "no-op" && a != "read" {
			return false
		}
	}
	return true
}

// afterUnknown is the after_unknown object of a resource instance.
func (p *plan) afterUnknown(addr string) *graph.Node {
	if c := p.changes[addr]; c != nil {
		return c.afterUnknown
	}
	return nil
}

// isUnknown reports an attribute that an after_unknown object marks as
// known only after apply.
func isUnknown(au *graph.Node, attr string) bool {
	v := au.Get(attr)
	return v != nil && (v.Kind == graph.KindBool && v.Bool || v.Kind == graph.KindList || v.Kind == graph.KindObject)
}

// configured reports whether the configuration sets an attribute of a
// resource (true when the plan has no configuration to tell).
func (p *plan) configured(addr, attr string) bool {
	refs, ok := p.refs[configAddress(addr)]
	if !ok {
		return true
	}
	_, set := refs[attr]
	return set
}

// readConfig reads the provider configurations (their accounts and
// regions), which provider each resource uses, and the references between
// resources, module by module.
func (p *plan) readConfig(cfg *tfjson.Config) {
	p.providers = map[string]*provider{}
	p.resProvider = map[string]string{}
	p.refs = map[string]map[string][]string{}
	p.inputs = map[string]map[string][]string{}
	if cfg == nil {
		return
	}
	for key, pc := range cfg.ProviderConfigs {
		if pc == nil {
			continue
		}
		pr := &provider{key: key, account: graph.SymbolicAccount(pc.Name + " in " + p.file.Name), partition: "aws"}
		if pc.Alias != "" {
			pr.account = graph.SymbolicAccount(pc.Name + "." + pc.Alias + " in " + p.file.Name)
		}
		if s, ok := constant(pc.Expressions["region"]).(string); ok {
			pr.region, pr.partition = s, policy.PartitionOf(s)
		}
		if ids, ok := constant(pc.Expressions["allowed_account_ids"]).([]any); ok && len(ids) == 1 {
			if s, ok := ids[0].(string); ok && graph.Account(s).IsID() {
				pr.account = graph.Account(s)
			}
		}
		if ar := pc.Expressions["assume_role"]; ar != nil && ar.ExpressionData != nil && len(ar.NestedBlocks) > 0 {
			if s, ok := constant(ar.NestedBlocks[0]["role_arn"]).(string); ok && !pr.account.IsID() {
				if arn, ok := policy.ParseARN(s); ok && graph.Account(arn.Account).IsID() {
					pr.account = graph.Account(arn.Account)
				}
			}
		}
		if ep := pc.Expressions["endpoints"]; ep != nil && ep.ExpressionData != nil {
			for _, blk := range ep.NestedBlocks {
				pr.customS3 = pr.customS3 || p.customEndpoint(blk["s3"]) || p.customEndpoint(blk["s3api"])
			}
		}
		p.providers[key] = pr
	}
	p.readModule(cfg.RootModule, "")
}

func (p *plan) readModule(m *tfjson.ConfigModule, prefix string) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		if r == nil {
			continue
		}
		addr := prefix + r.Address
		p.resProvider[addr] = r.ProviderConfigKey
		refs := map[string][]string{}
		for attr, e := range r.Expressions {
			recordRefs(refs, attr, e)
		}
		if e := r.ForEachExpression; e != nil && e.ExpressionData != nil {
			refs[forEachKey] = e.References
		}
		p.refs[addr] = refs
	}
	for name, call := range m.ModuleCalls {
		if call == nil {
			continue
		}
		child := prefix + "module." + name + "."
		inputs := map[string][]string{}
		for v, e := range call.Expressions {
			if e != nil && e.ExpressionData != nil {
				inputs[v] = e.References
			}
		}
		if e := call.ForEachExpression; e != nil && e.ExpressionData != nil {
			inputs[forEachKey] = e.References
		}
		p.inputs[child] = inputs
		p.readModule(call.Module, child)
	}
}

// forEachKey records the references of a resource's or module call's
// for_each among its attributes, for each.value.
const forEachKey = "\x00for_each"

// recordRefs records the references of an attribute, and of the
// attributes of nested blocks under dotted paths
// (rule.apply_server_side_encryption_by_default.kms_master_key_id). An
// attribute the configuration sets is recorded even without references.
func recordRefs(refs map[string][]string, path string, e *tfjson.Expression) {
	if e == nil || e.ExpressionData == nil {
		return
	}
	refs[path] = append(refs[path], e.References...)
	for _, blk := range e.NestedBlocks {
		for k, sub := range blk {
			recordRefs(refs, path+"."+k, sub)
		}
	}
}

// customEndpoint reports an endpoints argument that sends S3 requests
// elsewhere than AWS: a constant, or a root variable as the plan gives it;
// anything else it cannot read counts as elsewhere (s3lint then checks
// nothing it may not know).
func (p *plan) customEndpoint(e *tfjson.Expression) bool {
	if e == nil || e.ExpressionData == nil {
		return false
	}
	if s, ok := e.ConstantValue.(string); ok {
		return policy.CustomEndpoint(s)
	}
	if e.ConstantValue != nil {
		return false
	}
	if len(e.References) == 0 {
		return false // null
	}
	// A variable is the one reference Terraform records for var.x.
	name, isVar := strings.CutPrefix(e.References[0], "var.")
	v := p.variables[name]
	switch {
	case !isVar || len(e.References) > 1 || v == nil:
		return true
	case v.Value == nil:
		return false
	}
	s, ok := v.Value.(string)
	return !ok || policy.CustomEndpoint(s)
}

func constant(e *tfjson.Expression) any {
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	return e.ConstantValue
}

// instanceKeys matches the [key] parts of an instance address (and the
// [count.index] / [each.key] that stand for keys the configuration alone
// cannot know).
var instanceKeys = regexp.MustCompile(`\[(?:"(?:[^"\\]|\\.)*"|[0-9]+|count\.index|each\.key)\]`)

// configAddress is an instance address without its instance keys: the
// address of the resource in the configuration.
func configAddress(addr string) string { return instanceKeys.ReplaceAllString(addr, "") }

// providerOf finds the provider configuration a resource instance uses.
func (p *plan) providerOf(addr string) *provider {
	key := p.resProvider[configAddress(addr)]
	if pr := p.providers[key]; pr != nil {
		return pr
	}
	if _, short, ok := strings.Cut(key, ":"); ok {
		if pr := p.providers[short]; pr != nil {
			return pr
		}
	}
	if pr := p.providers["aws"]; pr != nil {
		return pr
	}
	if p.providers == nil {
		p.providers = map[string]*provider{}
	}
	pr := &provider{key: "aws", account: graph.SymbolicAccount("aws in " + p.file.Name), partition: "aws"}
	p.providers["aws"] = pr
	return pr
}

// resourceNode is one resource instance of planned_values (or of a state).
type resourceNode struct {
	addr, mode, typ string
	node, values    *graph.Node
}

func (p *plan) load(root *graph.Node) {
	p.entities, p.managed, p.names = map[string]any{}, map[string]*graph.Policy{}, graph.PrincipalNames{}
	var res []resourceNode
	seen := map[string]bool{}
	var walkModule func(m *graph.Node)
	walkModule = func(m *graph.Node) {
		if m == nil {
			return
		}
		if list := m.Get("resources"); list != nil {
			for _, r := range list.List {
				rn := resourceNode{node: r, values: r.Get("values")}
				for _, f := range []struct {
					key string
					dst *string
				}{{"address", &rn.addr}, {"mode", &rn.mode}, {"type", &rn.typ}} {
					if v := r.Get(f.key); v != nil && v.Kind == graph.KindString {
						*f.dst = v.Str
					}
				}
				if rn.addr == "" || rn.typ == "" || seen[rn.addr] || p.deleted(rn.addr) {
					continue
				}
				seen[rn.addr] = true
				res = append(res, rn)
			}
		}
		if kids := m.Get("child_modules"); kids != nil {
			for _, k := range kids.List {
				walkModule(k)
			}
		}
	}
	walkModule(root)
	// Data sources read while planning are in the prior state.
	if p.prior != nil {
		before := len(res)
		walkModule(p.prior.Get("root_module"))
		kept := res[:before]
		for _, r := range res[before:] {
			if r.mode == "data" {
				kept = append(kept, r)
			}
		}
		res = kept
	}
	// Accounts first: a caller identity known at plan time names the
	// account of its provider.
	for _, r := range res {
		if r.typ == "aws_caller_identity" && r.mode == "data" {
			if id := r.values.Get("account_id"); id != nil && id.Kind == graph.KindString && graph.Account(id.Str).IsID() {
				p.providerOf(r.addr).account = graph.Account(id.Str)
			}
		}
	}
	for _, r := range res {
		p.resource(r)
	}
	for _, link := range p.links {
		link()
	}
}
