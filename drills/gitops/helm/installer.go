package helm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// ClusterApp is a chart installed cluster-wide into a namespace of its own:
// Argo CD for a full-cluster rebuild. Unlike an App in a sandbox, its
// release may hold cluster-scoped objects (CRDs, ClusterRoles); objects in
// any other namespace are still refused.
type ClusterApp struct {
	// Namespace is where the release goes; made (and removed at Uninstall)
	// when missing. Required.
	Namespace string
	// Chart, Repository and Version are as in App.
	Chart      string
	Repository string
	Version    string
	// Release is the release name. Required.
	Release string
	// Values are merged over the chart's values, after ValuesFiles in
	// order.
	Values      map[string]any
	ValuesFiles []string
}

func (a ClusterApp) app() App {
	return App{Name: a.Release, Chart: a.Chart, Repository: a.Repository, Version: a.Version, Release: a.Release, Values: a.Values, ValuesFiles: a.ValuesFiles}
}

// installer installs one ClusterApp; what it made is remembered so that
// Uninstall removes exactly that, also after a failed or cancelled Install.
type installer struct {
	opts Options
	app  ClusterApp

	mu sync.Mutex
	tg *target
	// namespace is the namespace Install made; nil when it was there.
	namespace *madeObject
	// crds are the chart's crds/ CRDs Install made.
	crds []madeObject
	// ownRelease is set once Helm installs the release: Uninstall never
	// removes a release of the same name that was there before.
	ownRelease bool
	// hooks are the objects the release's hooks made.
	hooks []hookObject
	// installing is closed when Helm's install has ended: it goes on after
	// ctx ends, and Uninstall waits for it rather than racing it.
	installing chan struct{}
	// installed is the result of a finished Install, until Uninstall.
	installed *gitops.Result
}

// NewInstaller returns a gitops.Installer that installs app's chart into
// app.Namespace with the run's labels on every object, the chart's crds/
// included.
func NewInstaller(opts Options, app ClusterApp) gitops.Installer {
	return &installer{opts: opts, app: app}
}

// Install refuses a chart that aims at another namespace before anything
// is created, then makes the namespace when missing, installs the chart's
// CRDs and the release with the run's labels, and watches every workload
// of the release until it has rolled out. Once it has succeeded, calling it
// again returns the same result. Of kube it takes the cluster and the
// run's labels; its Namespace (a sandbox's) plays no part.
func (in *installer) Install(ctx context.Context, kube sandbox.KubeAccess, progress io.Writer) (gitops.Result, error) {
	in.mu.Lock()
	if in.installed != nil {
		res := *in.installed
		in.mu.Unlock()
		return res, nil
	}
	in.mu.Unlock()
	ns, release := in.app.Namespace, in.app.Release
	switch {
	case kube.Config == nil:
		return gitops.Result{}, errors.New("helm: no cluster to install into")
	case ns == "" || release == "":
		return gitops.Result{}, fmt.Errorf("helm: chart %s needs a namespace and a release name to be installed cluster-wide", in.app.Chart)
	}
	tg, err := newTarget(kube.Config, ns)
	if err != nil {
		return gitops.Result{}, err
	}
	lc, err := loadWithValues(in.opts, in.app.app(), progress)
	if err != nil {
		return gitops.Result{}, err
	}
	crds, err := chartCRDs(lc.chart)
	if err != nil {
		return gitops.Result{}, err
	}
	if err := tg.reachable(); err != nil {
		return gitops.Result{}, err
	}
	// Nothing is created before the whole chart, its CRDs and hooks
	// included, is known to stay in its namespace or be cluster-scoped.
	if err := check(crds, ns, clusterScope(nil), true); err != nil {
		return gitops.Result{}, err
	}
	if err := dryRun(ctx, lc.chart, lc.values, ns, release, tg.renderer(kube.Labels, true), serverVersion(tg.getter)); err != nil {
		return gitops.Result{}, err
	}

	if err := refuseExistingRelease(tg.cfg, release, ns); err != nil {
		return gitops.Result{}, err
	}

	in.mu.Lock()
	in.tg = tg
	in.mu.Unlock()
	if err := in.ensureNamespace(ctx, kube.Labels, progress); err != nil {
		return gitops.Result{}, err
	}
	if err := in.installCRDs(ctx, crds, kube.Labels, progress); err != nil {
		return gitops.Result{}, err
	}
	r := tg.renderer(kube.Labels, true)
	if err := in.helmInstall(ctx, lc, r, kube.Labels); err != nil {
		return gitops.Result{}, err
	}
	wls := workloadsOf(r.objects)
	fmt.Fprintf(progress, "helm: installed release %s (%s) into %s: %d objects and %d CRDs from crds/, %d workloads to watch\n",
		release, lc.name, ns, len(r.objects), len(crds), len(wls))
	if err := rollout(ctx, tg.dyn, ns, release, wls, progress); err != nil {
		return gitops.Result{}, err
	}
	res := gitops.Result{Kind: "helm", Revision: lc.name, Resources: len(r.objects) + len(crds), ReadyAt: time.Now()}
	res.Detail = fmt.Sprintf("release %s of %s deployed into %s, %d resources (%d cluster-scoped), %d workloads ready",
		release, lc.name, ns, res.Resources, clusterScopedCount(r, crds), len(wls))
	fmt.Fprintf(progress, "helm: %s\n", res.Detail)
	in.mu.Lock()
	in.installed = &res
	in.mu.Unlock()
	return res, nil
}

// helmInstall installs the release. Helm's install goes on in the
// background when its context ends, so it runs under a context that is
// never cancelled, bounded by the time ctx had left; Install returns when
// ctx ends, and Uninstall waits for Helm to finish first.
func (in *installer) helmInstall(ctx context.Context, lc loadedChart, r *sandboxRenderer, labels map[string]string) error {
	install := action.NewInstall(in.tg.cfg)
	install.Namespace, install.ReleaseName = in.app.Namespace, in.app.Release
	// Helm's record of the release (a Secret) carries the run's labels too.
	install.Labels = labels
	// installCRDs made them, labelled, and knows which to remove.
	install.SkipCRDs = true
	install.Timeout = remaining(ctx)
	install.PostRenderer = r
	done := make(chan struct{})
	in.mu.Lock()
	in.installing, in.ownRelease = done, true
	in.mu.Unlock()
	var err error
	go func() {
		defer close(done)
		var rel *release.Release
		rel, err = install.RunWithContext(context.WithoutCancel(ctx), lc.chart, lc.values)
		in.addHooks(ranHooks(rel))
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("helm: install of release %s into namespace %s: %w", in.app.Release, in.app.Namespace, ctxError(ctx))
	}
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused
	}
	if err != nil {
		return fmt.Errorf("helm: install chart %s as release %s into namespace %s: %w", lc.name, in.app.Release, in.app.Namespace, err)
	}
	return nil
}

func clusterScopedCount(r *sandboxRenderer, crds []*unstructured.Unstructured) int {
	n := len(crds)
	for _, o := range r.objects {
		if r.clusterScoped(o.GroupVersionKind()) {
			n++
		}
	}
	return n
}

// refuseExistingRelease: a release of that name already in the namespace
// is not the run's (an Argo CD that production runs, say), and Uninstall
// would remove it.
func refuseExistingRelease(cfg *action.Configuration, release, namespace string) error {
	rels, err := cfg.Releases.History(release)
	if errors.Is(err, driver.ErrReleaseNotFound) || (err == nil && len(rels) == 0) {
		return nil
	}
	if err != nil {
		return fault.Infra(fmt.Errorf("helm: read the releases of namespace %s: %w", namespace, err))
	}
	return fmt.Errorf("helm: release %s is already in namespace %s (%s): drill neither installs over a release it did not make nor removes it; name another release or namespace, or leave out the install to use the Argo CD already there",
		release, namespace, rels[len(rels)-1].Info.Status)
}

func (in *installer) addHooks(hooks []hookObject) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.hooks = append(in.hooks, hooks...)
}
