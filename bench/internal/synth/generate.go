// Package synth writes synthetic infrastructure repositories of a given
// size — Terraform roots calling shared local modules with for_each,
// policy documents, jsonencode and heredoc policies, tfvars; CloudFormation
// YAML and JSON stacks with intrinsics; SAM applications; unrelated noise —
// with a known set of planted defects, so that a benchmark also checks that
// s3lint finds every planted defect and nothing else.
package synth

import (
	"fmt"
	"math/rand/v2"
)

// Kinds of planted defects.
const (
	dTFDoc010     = "tf-doc-S3L010"
	dTFJSON011    = "tf-jsonencode-S3L011"
	dTFHeredoc013 = "tf-heredoc-S3L013"
	dTFModule013  = "tf-module-foreach-S3L013"
	dTF040        = "tf-S3L040"
	dTF080        = "tf-S3L080"
	dYAML010      = "cfn-yaml-S3L010"
	dJSON011      = "cfn-json-S3L011"
	dSAM013       = "sam-S3L013"
	dYAML040      = "cfn-yaml-S3L040"
	dYAML080      = "cfn-yaml-S3L080"
)

var defectKinds = []string{dTFDoc010, dYAML010, dTFJSON011, dJSON011, dTFHeredoc013, dSAM013,
	dTFModule013, dTF040, dYAML040, dTF080, dYAML080}

var teams = []string{"payments", "search", "identity", "growth", "platform", "analytics", "ml", "billing",
	"ledger", "risk", "mobile", "web", "media", "support", "catalog", "checkout"}
var envs = []string{"dev", "staging", "prod"}
var services = []string{"ingest", "thumbnails", "reports", "exports", "invoices", "events", "audit",
	"backup", "indexer", "notifier", "etl", "sync"}

type generator struct {
	*Repo
	target   int // files to write, expected.json excluded
	sets     []moduleSet
	roots    int
	cfn      int
	noiseN   int
	defectID int
	teamSeen map[string]bool
}

// Generate builds a repository of n files (expected.json included).
func Generate(n int, seed uint64) *Repo {
	g := &generator{
		Repo:     &Repo{rng: rand.New(rand.NewPCG(seed, 0x53334c494e54))},
		target:   n - 1,
		teamSeen: map[string]bool{},
	}
	nd := n / 50
	if n >= 200 && nd < len(defectKinds) {
		nd = len(defectKinds)
	}
	if nd < 1 {
		nd = 1
	}
	sched := make([]string, 0, nd)
	for len(sched) < nd {
		perm := g.rng.Perm(len(defectKinds))
		for _, p := range perm {
			if len(sched) < nd {
				sched = append(sched, defectKinds[p])
			}
		}
	}
	for i := range 1 + g.target/1500 {
		s := moduleSet{}
		if i > 0 {
			s.suffix = fmt.Sprintf("-v%d", i+1)
		}
		if g.target-len(g.Files) >= 30 {
			g.writeModules(s)
			g.sets = append(g.sets, s)
		}
	}
	next := 0
	spread := float64(g.target) * 0.9 / float64(nd)
	for g.target-len(g.Files) >= 12 {
		if next < len(sched) && float64(len(g.Files)) >= spread*float64(next) {
			g.unit(sched[next])
			next++
			continue
		}
		g.unit("")
	}
	// Small remainders: single files.
	for len(g.Files) < g.target {
		if next < len(sched) && g.target-len(g.Files) >= 1 && sched[next] != dTFModule013 && !isTF(sched[next]) && sched[next] != dSAM013 {
			g.unitOf("cfn", sched[next])
			next++
			continue
		}
		if g.noiseN*10 < len(g.Files) {
			g.noise(g.noiseN)
			g.noiseN++
		} else {
			g.unitOf("cfn", "")
		}
	}
	return g.Repo
}

func isTF(kind string) bool {
	switch kind {
	case dTFDoc010, dTFJSON011, dTFHeredoc013, dTFModule013, dTF040, dTF080:
		return true
	}
	return false
}

// unit writes one group of files, with the defect of kind (or none).
func (g *generator) unit(kind string) {
	switch {
	case kind == dSAM013:
		g.unitOf("sam", kind)
	case kind != "" && isTF(kind):
		g.unitOf("tf", kind)
	case kind != "":
		g.unitOf("cfn", kind)
	default:
		c := g.kindCounts()
		tf, cfn := c["tf"], c["cfn-yaml"]+c["cfn-json"]+c["sam"]
		switch {
		case g.noiseN*25 < len(g.Files):
			g.noise(g.noiseN)
			g.noiseN++
		case len(g.sets) > 0 && tf*4 < cfn*6:
			g.unitOf("tf", "")
		case g.chance(0.2):
			g.unitOf("sam", "")
		default:
			g.unitOf("cfn", "")
		}
	}
}

func (g *generator) unitOf(what, kind string) {
	switch what {
	case "tf":
		if len(g.sets) == 0 {
			g.unitOf("cfn", "")
			return
		}
		i := g.roots
		g.roots++
		team := teams[(i/len(envs))%len(teams)]
		if gen := i / (len(envs) * len(teams)); gen > 0 {
			team = fmt.Sprintf("%s-%d", team, gen+1)
		}
		env := envs[i%len(envs)]
		if !g.teamSeen[team] {
			g.teamSeen[team] = true
			f := g.newFile("live/"+team+"/README.md", "noise")
			f.L("# %s\n\nTerraform roots of the %s team, one per environment. Run `terraform plan` in `live/%s/<env>`.", team, team, team)
		}
		g.defectID++
		g.tfRoot(team, env, g.sets[g.rng.IntN(len(g.sets))], kind, g.defectID)
	case "sam":
		i := g.cfn
		g.cfn++
		name := fmt.Sprintf("%s-%d", services[i%len(services)], i)
		g.sam("services/"+name, teams[i%len(teams)], name, kind)
	default:
		i := g.cfn
		g.cfn++
		team := teams[i%len(teams)]
		name := fmt.Sprintf("%s-%d", services[(i/len(teams))%len(services)], i)
		json := kind == dJSON011 || (kind == "" && g.chance(0.3))
		if json {
			g.cfnJSON(fmt.Sprintf("stacks/%s/%s.json", team, name), team, name, kind)
		} else {
			g.cfnYAML(fmt.Sprintf("stacks/%s/%s.yaml", team, name), team, name, kind)
		}
	}
}
