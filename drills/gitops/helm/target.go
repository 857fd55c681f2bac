package helm

import (
	"context"
	"fmt"
	"io"

	"github.com/restore-drill/drill/drills/fault"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// target is where a release goes: Helm's configuration for one namespace
// of a cluster, and the clients drill itself uses there.
type target struct {
	getter    *restGetter
	dyn       dynamic.Interface
	cfg       *action.Configuration
	namespace string
}

// newTarget connects to the cluster of config for a release in namespace.
// Nothing is sent to the cluster yet; an error is an infrastructure error.
func newTarget(config *rest.Config, namespace string) (*target, error) {
	getter, err := newRESTGetter(config, namespace)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("helm: client for the cluster: %w", err))
	}
	dyn, err := dynamic.NewForConfig(config)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("helm: client for the cluster: %w", err))
	}
	cfg := &action.Configuration{}
	if err := cfg.Init(getter, namespace, "secret", discardLog); err != nil {
		return nil, fault.Infra(fmt.Errorf("helm: set up for namespace %s: %w", namespace, err))
	}
	return &target{getter: getter, dyn: dyn, cfg: cfg, namespace: namespace}, nil
}

// reachable says whether the cluster answers (an infrastructure error
// when not).
func (t *target) reachable() error {
	if err := t.cfg.KubeClient.IsReachable(); err != nil {
		return fault.Infra(fmt.Errorf("helm: the cluster cannot be reached: %w", err))
	}
	return nil
}

// renderer is the post-renderer of a release into t: cluster-scoped kinds
// are those the cluster serves as such, asked anew each time (a chart's
// CRDs may have been installed since).
func (t *target) renderer(labels map[string]string, clusterWide bool) *sandboxRenderer {
	mapper, err := t.getter.ToRESTMapper()
	if err != nil {
		mapper = nil // the built-in kinds still decide
	}
	return &sandboxRenderer{namespace: t.namespace, labels: labels, clusterScoped: clusterScope(mapper), clusterWide: clusterWide}
}

// loadedChart is a chart with the values it is installed with.
type loadedChart struct {
	chart  *chart.Chart
	values map[string]any
	// name is the chart's name and version, the release's revision in the
	// record.
	name string
}

func loadWithValues(opts Options, app App, progress io.Writer) (loadedChart, error) {
	ch, err := loadChart(opts, app, progress)
	if err != nil {
		return loadedChart{}, err
	}
	values, err := mergeValues(app)
	if err != nil {
		return loadedChart{}, err
	}
	return loadedChart{chart: ch, values: values, name: ch.Metadata.Name + "-" + ch.Metadata.Version}, nil
}

// rollout watches the release's workloads in namespace until each has
// rolled out; when ctx ends first, the error names those that have not.
func rollout(ctx context.Context, dyn dynamic.Interface, namespace, release string, wls []workload, progress io.Writer) error {
	rw := &readyWatch{dyn: dyn, namespace: namespace, progress: progress}
	if err := rw.wait(ctx, wls); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("helm release %s not ready: %w; not ready: %v", release, ctxError(ctx), rw.unready())
		}
		return fmt.Errorf("helm release %s: %w", release, err)
	}
	return nil
}
