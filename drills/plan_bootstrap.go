package drills

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// PlannedBootstrap is a rebuild's bootstrap as it would run: the whole
// graph from Argo CD to the last wave.
type PlannedBootstrap struct {
	// ArgoCD says where Argo CD comes from: a Helm install, or the one
	// already in the cluster.
	ArgoCD       string   `json:"argocd"`
	Namespace    string   `json:"namespace"`
	Repositories []string `json:"repositories,omitempty"`
	Root         string   `json:"root"`
	// Children are the root's child Applications as git holds them now, by
	// sync wave; empty with ChildrenNote saying why when they are known
	// only at run time.
	Children     []PlannedChild `json:"children,omitempty"`
	ChildrenNote string         `json:"childrenNote,omitempty"`
}

// PlannedChild is one child Application of the root.
type PlannedChild struct {
	Name string `json:"name"`
	Wave int    `json:"wave"`
	// Source is where the child's manifests come from.
	Source string `json:"source"`
	// Namespace is the child's destination namespace.
	Namespace string `json:"namespace,omitempty"`
	// Automated is set for a child that syncs by itself (drill only
	// watches it).
	Automated bool `json:"automated,omitempty"`
}

// ChildReader reads the root's child Applications from git, without a
// cluster. Nil: children are known only at run time.
type ChildReader func(ctx context.Context, b *scenarios.Bootstrap) ([]PlannedChild, error)

// AddBootstrap adds a scenario's bootstrap to the plan: its steps after
// provision, each wave of children after the one before, and what each
// restore waits for. children reads the root's children from git; when it
// cannot (a Helm or Kustomize root, an unreachable repository), the plan
// says so and the run finds them when the root has synced.
func (p *Plan) AddBootstrap(ctx context.Context, sc *scenarios.Scenario, children ChildReader) {
	b := sc.Bootstrap
	if b == nil || b.ArgoCD == nil || b.ArgoCD.Root == nil {
		return
	}
	a := b.ArgoCD
	pb := &PlannedBootstrap{ArgoCD: "the Argo CD already in the cluster", Namespace: a.Namespace}
	steps := []PlanPhase{}
	if in := a.Install; in != nil {
		pb.ArgoCD = appSource(scenarios.App{Helm: &in.HelmApp}) + ", release " + in.Release
		steps = append(steps, PlanPhase{"bootstrap/argocd", fmt.Sprintf("install Argo CD (%s) into namespace %s, every workload ready within %s", pb.ArgoCD, a.Namespace, results.FormatDuration(in.Timeout))})
	} else {
		steps = append(steps, PlanPhase{"bootstrap/argocd", "check that Argo CD's Application CRD is served and namespace " + a.Namespace + " exists"})
	}
	for _, r := range a.Repositories {
		pb.Repositories = append(pb.Repositories, describeRepository(r))
	}
	if len(pb.Repositories) > 0 {
		steps = append(steps, PlanPhase{"bootstrap/repositories", fmt.Sprintf("register %d repository credential(s) as labelled Secrets in %s", len(pb.Repositories), a.Namespace)})
	}
	root := a.Root
	pb.Root = fmt.Sprintf("%s from %s %s at %s (project %s)", root.Name, root.RepoURL, root.Path, root.Revision, root.Project)
	steps = append(steps, PlanPhase{"app/" + root.Name, fmt.Sprintf("create and sync the root Application %s, Synced + Healthy within %s", pb.Root, results.FormatDuration(root.AppTimeout))})

	var err error
	if children != nil {
		pb.Children, err = children(ctx, b)
	}
	switch {
	case children == nil:
		pb.ChildrenNote = "known when the root has synced"
	case err != nil:
		pb.ChildrenNote = "known when the root has synced: " + err.Error()
	default:
		steps = append(steps, childPhases(pb.Children, root.Name, root.AppTimeout.String())...)
		p.noteUnknownWaits(sc, pb.Children)
	}
	p.Bootstrap = pb
	at := slices.IndexFunc(p.Phases, func(ph PlanPhase) bool { return ph.Name == "provision" }) + 1
	p.Phases = slices.Insert(p.Phases, at, steps...)
}

// childPhases are the children's phases, wave by wave.
func childPhases(children []PlannedChild, root, timeout string) []PlanPhase {
	var out []PlanPhase
	after := "the root " + root
	for i := 0; i < len(children); {
		wave := children[i].Wave
		var names []string
		for ; i < len(children) && children[i].Wave == wave; i++ {
			c := children[i]
			how := "sync"
			if c.Automated {
				how = "watch (automated sync)"
			}
			out = append(out, PlanPhase{"app/" + c.Name, fmt.Sprintf("wave %d, after %s: %s %s, Synced + Healthy within %s", wave, after, how, c.Source, timeout)})
			names = append(names, c.Name)
		}
		after = "wave " + fmt.Sprint(wave) + " (" + strings.Join(names, ", ") + ")"
	}
	return out
}

// noteUnknownWaits lists, as problems, restores and argocd checks naming an
// app the root does not have: the run would fail them.
func (p *Plan) noteUnknownWaits(sc *scenarios.Scenario, children []PlannedChild) {
	known := []string{sc.Bootstrap.ArgoCD.Root.Name}
	for _, a := range sc.Apps {
		known = append(known, a.Name)
	}
	for _, c := range children {
		known = append(known, c.Name)
	}
	for _, r := range sc.Restores {
		for _, n := range r.WaitFor {
			if !slices.Contains(known, n) {
				p.problem("restore "+r.Name+": ", fmt.Errorf("waits for app %s, which the root's children in git do not include (%s)", n, strings.Join(known[1:], ", ")))
			}
		}
	}
}

// describeRepository names a repository and where its secret comes from,
// never the secret.
func describeRepository(r scenarios.RepositoryCredentials) string {
	from := ""
	switch {
	case r.PasswordEnv != "":
		from = "password from $" + r.PasswordEnv
	case r.PasswordFile != "":
		from = "password from " + r.PasswordFile
	case r.SSHPrivateKeyEnv != "":
		from = "SSH key from $" + r.SSHPrivateKeyEnv
	case r.SSHPrivateKeyFile != "":
		from = "SSH key from " + r.SSHPrivateKeyFile
	}
	kind := r.Type
	if r.Prefix {
		kind += " credentials for every repository under"
	}
	return fmt.Sprintf("%s %s (%s)", kind, r.URL, from)
}
