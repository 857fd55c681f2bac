package helm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/release"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
)

// defaultTimeout bounds Helm's own waits (hooks at install, deletion at
// uninstall) when ctx has no deadline.
const defaultTimeout = 5 * time.Minute

// deployer is one chart installed with Helm.
type deployer struct {
	opts Options
	app  App

	mu sync.Mutex
	// set by Up before it installs anything, so that Down finds the release
	// after a failed Up
	cfg       *action.Configuration
	dyn       dynamic.Interface
	namespace string
	workloads []workload
	chartName string
}

// New returns a Deployer that installs app's chart.
func New(opts Options, app App) gitops.Deployer {
	return &deployer{opts: opts, app: app}
}

// Up renders the chart, refuses it when it reaches outside the sandbox,
// installs it with the run's labels and watches its workloads until they
// are ready.
func (d *deployer) Up(ctx context.Context, sb sandbox.Cluster, progress io.Writer) (gitops.Result, error) {
	kube := sb.Kube()
	if kube.Config == nil || kube.Namespace == "" {
		return gitops.Result{}, errors.New("helm: the sandbox has no cluster or namespace to install into")
	}
	release := d.app.release()
	tg, err := newTarget(kube.Config, kube.Namespace)
	if err != nil {
		return gitops.Result{}, err
	}
	lc, err := loadWithValues(d.opts, d.app, progress)
	if err != nil {
		return gitops.Result{}, err
	}
	ch, values, chartName := lc.chart, lc.values, lc.name
	if err := refuseCRDs(ch, kube.Namespace); err != nil {
		return gitops.Result{}, err
	}
	if err := tg.reachable(); err != nil {
		return gitops.Result{}, err
	}
	if err := dryRun(ctx, ch, values, kube.Namespace, release, tg.renderer(kube.Labels, false), serverVersion(tg.getter)); err != nil {
		return gitops.Result{}, err
	}

	d.mu.Lock()
	d.cfg, d.dyn, d.namespace, d.chartName = tg.cfg, tg.dyn, kube.Namespace, chartName
	d.mu.Unlock()

	install := action.NewInstall(tg.cfg)
	install.Namespace, install.ReleaseName = kube.Namespace, release
	install.Timeout = remaining(ctx)
	r := tg.renderer(kube.Labels, false)
	install.PostRenderer = r
	// The dry run processed the chart's dependencies with these values;
	// doing so again gives the same chart.
	if _, err := install.RunWithContext(ctx, ch, values); err != nil {
		var refused *RefusedError
		if errors.As(err, &refused) {
			return gitops.Result{}, refused
		}
		return gitops.Result{}, fmt.Errorf("helm: install chart %s as release %s into namespace %s: %w", chartName, release, kube.Namespace, err)
	}
	wls := workloadsOf(r.objects)
	d.mu.Lock()
	d.workloads = wls
	d.mu.Unlock()
	fmt.Fprintf(progress, "helm: installed release %s (%s) into %s: %d objects, %d workloads to watch\n", release, chartName, kube.Namespace, len(r.objects), len(wls))

	if err := rollout(ctx, tg.dyn, kube.Namespace, release, wls, progress); err != nil {
		return gitops.Result{}, err
	}
	res := gitops.Result{Kind: "helm", Revision: chartName, Resources: len(r.objects), ReadyAt: time.Now()}
	res.Detail = fmt.Sprintf("release %s of %s deployed, %d resources, %d workloads ready", release, chartName, res.Resources, len(wls))
	fmt.Fprintf(progress, "helm: %s\n", res.Detail)
	return res, nil
}

// dryRun renders the chart without touching the cluster: the renderer
// refuses objects outside the sandbox, then the hooks (which Helm does not
// post-render) are checked the same way.
func dryRun(ctx context.Context, ch *chart.Chart, values map[string]any, namespace, release string, r *sandboxRenderer, kubeVersion *chartutil.KubeVersion) error {
	dry := action.NewInstall(&action.Configuration{Log: discardLog})
	dry.DryRun, dry.ClientOnly = true, true
	dry.Namespace, dry.ReleaseName = namespace, release
	dry.PostRenderer = r
	dry.KubeVersion = kubeVersion
	rel, err := dry.RunWithContext(ctx, ch, values)
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused
	}
	if err != nil {
		return fmt.Errorf("helm: render chart %s: %w", ch.Name(), err)
	}
	var hooks []*unstructured.Unstructured
	for _, h := range rel.Hooks {
		objs, err := parseManifests(h.Manifest)
		if err != nil {
			return fmt.Errorf("helm: hook %s of chart %s: %w", h.Name, ch.Name(), err)
		}
		hooks = append(hooks, objs...)
	}
	return check(hooks, namespace, r.clusterScoped, r.clusterWide)
}

// serverVersion is the cluster's Kubernetes version, for a chart's
// kubeVersion constraint in the dry run; nil (Helm's default) when unknown.
func serverVersion(g *restGetter) *chartutil.KubeVersion {
	info, err := g.discovery.ServerVersion()
	if err != nil {
		return nil
	}
	kv, err := chartutil.ParseKubeVersion(info.GitVersion)
	if err != nil {
		return nil
	}
	return kv
}

// refuseCRDs: a chart's crds/ directory is installed cluster-wide.
func refuseCRDs(ch *chart.Chart, namespace string) error {
	crds := ch.CRDObjects()
	if len(crds) == 0 {
		return nil
	}
	refused := &RefusedError{Namespace: namespace}
	for _, c := range crds {
		refused.Objects = append(refused.Objects, fmt.Sprintf("CustomResourceDefinition in %s is cluster-scoped", c.Filename))
	}
	return refused
}

// Status is the release's status and its workloads' readiness now.
func (d *deployer) Status(ctx context.Context) (gitops.Status, error) {
	d.mu.Lock()
	cfg, dyn, ns, wls, chartName := d.cfg, d.dyn, d.namespace, d.workloads, d.chartName
	d.mu.Unlock()
	if cfg == nil {
		return gitops.Status{}, fmt.Errorf("helm app %s: the chart was not installed yet", d.app.Name)
	}
	rel, err := action.NewStatus(cfg).Run(d.app.release())
	if err != nil {
		return gitops.Status{}, fmt.Errorf("helm: status of release %s in namespace %s: %w", d.app.release(), ns, err)
	}
	st := gitops.Status{Sync: "OutOfSync", Health: "Progressing", Revision: chartName}
	if rel.Info.Status == release.StatusDeployed {
		st.Sync = "Synced"
	} else {
		st.Conditions = append(st.Conditions, fmt.Sprintf("release %s is %s: %s", rel.Name, rel.Info.Status, rel.Info.Description))
	}
	unready, err := readinessNow(ctx, dyn, ns, wls)
	if err != nil {
		return gitops.Status{}, err
	}
	if len(unready) == 0 {
		st.Health = "Healthy"
	}
	st.Conditions = append(st.Conditions, unready...)
	return st, nil
}

// Down uninstalls the release and waits until its objects are deleted.
func (d *deployer) Down(ctx context.Context) error {
	d.mu.Lock()
	cfg, ns := d.cfg, d.namespace
	d.mu.Unlock()
	if cfg == nil {
		return nil // nothing was installed
	}
	_, err := uninstall(ctx, cfg, d.app.release(), ns, "foreground")
	return err
}

// uninstall removes a release, one already gone included, and waits until
// each of its objects is gone (Helm's wait) with the given deletion
// propagation for their dependents. It returns the release as it was, nil
// when there was none.
func uninstall(ctx context.Context, cfg *action.Configuration, name, namespace, propagation string) (*release.Release, error) {
	un := action.NewUninstall(cfg)
	un.IgnoreNotFound = true
	un.Wait = true
	un.DeletionPropagation = propagation
	un.Timeout = remaining(ctx)
	res, err := un.Run(name)
	if err != nil {
		return nil, fmt.Errorf("helm: uninstall release %s from namespace %s: %w", name, namespace, err)
	}
	if res == nil {
		return nil, nil
	}
	return res.Release, nil
}

// remaining is what is left of ctx, for Helm's calls that take a timeout
// rather than a context.
func remaining(ctx context.Context) time.Duration {
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline); left > 0 {
			return left
		}
		return time.Millisecond
	}
	return defaultTimeout
}

func discardLog(string, ...any) {}
