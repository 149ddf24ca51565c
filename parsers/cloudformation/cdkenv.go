package cloudformation

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/walk"
	"github.com/s3lint/s3lint/policy"
)

// cdkEnvironments finds the account and region of the stacks of AWS CDK
// cloud assemblies. `cdk synth` writes each stack's template into the
// assembly (cdk.out) beside a manifest.json that gives the stack's
// environment, aws://ACCOUNT/REGION; the template holds the account only
// where the app used it, so without the manifest every stack would be in an
// account of its own, and a role of one stack reading a bucket of another
// account would not be seen as crossing accounts.
type cdkEnvironments struct {
	maxSize   int64
	manifests map[string]bool // the manifest.json files the walk found
	byDir     sync.Map        // directory → map[template file name]stackEnv
}

// stackEnv is a stack's environment; a part the app left open
// (aws://unknown-account/unknown-region) is empty.
type stackEnv struct {
	account graph.Account
	region  string
}

func newCDKEnvironments(files []string, maxSize int64) *cdkEnvironments {
	c := &cdkEnvironments{maxSize: maxSize, manifests: map[string]bool{}}
	for _, f := range files {
		if filepath.Base(f) == "manifest.json" {
			c.manifests[filepath.Clean(f)] = true
		}
	}
	return c
}

// of returns the environment the manifest beside template gives its stack.
// Only manifests the walk found are read: never a file outside the scan.
func (c *cdkEnvironments) of(template string) (stackEnv, bool) {
	if c == nil || len(c.manifests) == 0 {
		return stackEnv{}, false
	}
	dir := filepath.Dir(filepath.Clean(template))
	v, ok := c.byDir.Load(dir)
	if !ok {
		v, _ = c.byDir.LoadOrStore(dir, c.read(filepath.Join(dir, "manifest.json")))
	}
	env, ok := v.(map[string]stackEnv)[filepath.Base(template)]
	return env, ok
}

// cdkManifest is the part of a cloud assembly manifest that names each
// stack's template and environment.
type cdkManifest struct {
	Artifacts map[string]struct {
		Type        string `json:"type"`
		Environment string `json:"environment"`
		Properties  struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// read maps the template files of a manifest to their stacks' environments;
// a manifest that is missing, too large or not a cloud assembly's maps none.
func (c *cdkEnvironments) read(manifest string) map[string]stackEnv {
	out := map[string]stackEnv{}
	if !c.manifests[manifest] {
		return out
	}
	b, _ := walk.ReadCandidate(manifest, c.maxSize, func([]byte) bool { return false })
	var m cdkManifest
	if b == nil || json.Unmarshal(b, &m) != nil {
		return out
	}
	for _, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" || a.Properties.TemplateFile == "" {
			continue
		}
		if env, ok := parseCDKEnvironment(a.Environment); ok {
			out[filepath.Base(a.Properties.TemplateFile)] = env
		}
	}
	return out
}

var cdkAccountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// parseCDKEnvironment reads aws://ACCOUNT/REGION, keeping the parts that
// are an account ID and a region.
func parseCDKEnvironment(s string) (stackEnv, bool) {
	rest, ok := strings.CutPrefix(s, "aws://")
	if !ok {
		return stackEnv{}, false
	}
	acct, region, ok := strings.Cut(rest, "/")
	if !ok {
		return stackEnv{}, false
	}
	var env stackEnv
	if cdkAccountPattern.MatchString(acct) {
		env.account = graph.Account(acct)
	}
	if policy.RegionPartition(region) != "" {
		env.region = region
	}
	return env, env.account != "" || env.region != ""
}
