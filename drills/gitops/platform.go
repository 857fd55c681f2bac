package gitops

import (
	"context"
	"io"

	"github.com/restore-drill/drill/sandbox"
)

// Platform brings a whole platform back into a rebuilt cluster (the
// quarterly full-cluster rebuild): Argo CD itself (installed with Helm, or
// found already there), the repository credentials it needs, a root
// Application (app-of-apps) and every child Application the root creates,
// followed wave by wave until each is Synced and Healthy.
//
// Where a Deployer is one app whose name the scenario knows, a Platform's
// apps are known only once the root has synced: it tells the engine about
// every step as it begins and ends (Events), so that restores waiting for a
// child start the moment that child is ready, while later waves sync.
type Platform interface {
	// Up runs the bootstrap and returns once every child is ready, or at the
	// first step that failed (its error names the step: "child app
	// payments: Degraded: ..."). Whatever Up created is removed by Down,
	// also after Up failed.
	Up(ctx context.Context, sb sandbox.Cluster, ev Events, progress io.Writer) error
	// Status reads one app's state now (a child's name, or the root's); the
	// argocd check uses it.
	Status(ctx context.Context, app string) (Status, error)
	// Down removes everything Up created (children and their resources
	// through cascade deletion, the root, repository credentials, and what
	// the Helm install made) and waits until it is gone. Safe to call more
	// than once, and before or after a failed Up.
	Down(ctx context.Context) error
}

// Step is one timed step of a bootstrap, a phase of the run's record.
type Step struct {
	// Name is the phase's name: "bootstrap/argocd" (the Helm install, or
	// finding an Argo CD already there), "bootstrap/repositories",
	// "app/ROOT" for the root Application, "app/CHILD" for each child.
	Name string
	// App is the app's name for apps ("ROOT", "CHILD"), "" for the other
	// steps.
	App string
	// Kind is "helm" or "argocd".
	Kind string
	// Wave is a child's sync wave (argocd.argoproj.io/sync-wave), 0 unless
	// set.
	Wave int
	// After names the steps this one waited for (phase names): the step
	// before it, or every child of the previous wave.
	After []string
}

// Events receive a Platform's steps as they happen. Calls may come from
// several goroutines.
type Events interface {
	// Children is called once, when the root has synced and its child
	// Applications are known, in wave order. A restore waiting for an app
	// that is not among them fails at once.
	Children(children []Step)
	// Begin is called when a step starts.
	Begin(s Step)
	// End is called when a step ends; res is zero and err set when it
	// failed. For an app, res.ReadyAt is when it was first seen ready.
	End(s Step, res Result, err error)
}

// Installer installs what a Platform needs cluster-wide before anything
// else: Argo CD itself, with Helm. Unlike a Deployer's app, what it installs
// may be cluster-scoped (CRDs, ClusterRoles) and lives in a namespace of its
// own (made when missing); everything carries the run's labels (kube.Labels)
// so that teardown and drill cleanup find it.
type Installer interface {
	// Install installs and returns once every workload of the release is
	// ready. Whatever it created is removed by Uninstall, also after a
	// failed Install.
	Install(ctx context.Context, kube sandbox.KubeAccess, progress io.Writer) (Result, error)
	// Uninstall removes the release, its cluster-scoped objects and the
	// namespace Install made, and waits until they are gone. Safe to call
	// more than once, and before or after a failed Install.
	Uninstall(ctx context.Context) error
}
