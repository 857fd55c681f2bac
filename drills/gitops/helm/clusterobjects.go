package helm

import (
	"context"
	"fmt"
	"io"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// createTimeout bounds one create call. Creates run under a context that is
// not cancelled, so that a Ctrl-C never leaves an object that the server
// made but Install does not know about.
const createTimeout = 30 * time.Second

var (
	namespaces = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	crdKind    = schema.GroupKind{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}
)

// ensureNamespace makes the release's namespace, labelled with the run's
// labels, unless it is there; one that is there is used and left alone.
func (in *installer) ensureNamespace(ctx context.Context, labels map[string]string, progress io.Writer) error {
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(in.app.Namespace)
	ns.SetLabels(labels)
	made, err := in.create(ctx, namespaces, ns)
	if err != nil {
		return fmt.Errorf("helm: make namespace %s for release %s: %w", in.app.Namespace, in.app.Release, err)
	}
	if made == nil {
		fmt.Fprintf(progress, "helm: namespace %s is there: installing into it, and leaving it at uninstall\n", in.app.Namespace)
		return nil
	}
	in.mu.Lock()
	in.namespace = made
	in.mu.Unlock()
	fmt.Fprintf(progress, "helm: made namespace %s\n", in.app.Namespace)
	return nil
}

// chartCRDs are the objects of the chart's crds/ directories (its
// subcharts' included), which Helm installs before the release without
// its post-renderer and never removes. Only CRDs belong there.
func chartCRDs(ch *chart.Chart) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	for _, c := range ch.CRDObjects() {
		objs, err := parseManifests(string(c.File.Data))
		if err != nil {
			return nil, fmt.Errorf("helm: chart %s: %s: %w", ch.Name(), c.Filename, err)
		}
		for _, o := range objs {
			if o.GroupVersionKind().GroupKind() != crdKind {
				return nil, fmt.Errorf("helm: chart %s: %s holds %s %s, not a CustomResourceDefinition: move it to templates/", ch.Name(), c.Filename, o.GetKind(), o.GetName())
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// installCRDs does what Helm does with a chart's crds/ (create each CRD,
// leave one already there alone, wait until each is established), but
// with the run's labels on them, and remembers which it made so that
// Uninstall removes them: a drill's rebuild is thrown away whole.
func (in *installer) installCRDs(ctx context.Context, crds []*unstructured.Unstructured, labels map[string]string, progress io.Writer) error {
	var made []madeObject
	for _, o := range crds {
		withLabels(o, labels)
		res := schema.GroupVersionResource{Group: crdKind.Group, Version: o.GroupVersionKind().Version, Resource: "customresourcedefinitions"}
		m, err := in.create(ctx, res, o)
		if err != nil {
			return fmt.Errorf("helm: install CRD %s of chart %s: %w", o.GetName(), in.app.Chart, err)
		}
		if m == nil {
			fmt.Fprintf(progress, "helm: CRD %s is already in the cluster: left as it is, and at uninstall\n", o.GetName())
			continue
		}
		in.mu.Lock()
		in.crds = append(in.crds, *m)
		in.mu.Unlock()
		made = append(made, *m)
	}
	for _, m := range made {
		if err := untilObject(ctx, in.tg.dyn.Resource(m.resource), m.name, established); err != nil {
			return fmt.Errorf("helm: CRD %s not established: %w", m.name, err)
		}
	}
	if len(made) > 0 {
		// The release's templates may use the new kinds.
		in.tg.getter.discovery.Invalidate()
		fmt.Fprintf(progress, "helm: installed %d CRDs from the chart's crds/\n", len(made))
	}
	return nil
}

// create makes a cluster-scoped object and returns what it made, or nil
// when an object of that name is already there.
func (in *installer) create(ctx context.Context, res schema.GroupVersionResource, o *unstructured.Unstructured) (*madeObject, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createTimeout)
	defer cancel()
	got, err := in.tg.dyn.Resource(res).Create(ctx, o, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &madeObject{resource: res, kind: o.GetKind(), name: got.GetName(), uid: got.GetUID()}, nil
}

// established is a CRD whose kind the API server serves.
func established(u *unstructured.Unstructured, deleted bool) bool {
	if deleted {
		return false
	}
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]any)
		if ok && m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}

// withLabels sets labels on o, over its own.
func withLabels(o *unstructured.Unstructured, labels map[string]string) {
	l := o.GetLabels()
	if l == nil {
		l = map[string]string{}
	}
	for k, v := range labels {
		l[k] = v
	}
	o.SetLabels(l)
}
