package bootstrap

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// namespaceNames are the namespaces in the cluster now, before Up made any.
func namespaceNames(ctx context.Context, c *clients) (map[string]bool, error) {
	list, err := c.kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, apiError(fmt.Errorf("list the cluster's namespaces: %w", err))
	}
	names := make(map[string]bool, len(list.Items))
	for _, ns := range list.Items {
		names[ns.Name] = true
	}
	return names, nil
}

// destinationNamespaces are the namespaces of this cluster an app deploys
// into: its destination's and those of the objects it holds, and the
// namespaces it holds as objects.
func destinationNamespaces(app *v1alpha1.Application) []string {
	d := app.Spec.Destination
	if !inCluster(d) {
		return nil // another cluster's namespaces are not the sandbox's
	}
	var out []string
	add := func(ns string) {
		if ns != "" && !slices.Contains(out, ns) {
			out = append(out, ns)
		}
	}
	add(d.Namespace)
	for _, r := range app.Status.Resources {
		add(r.Namespace)
		if r.Group == "" && r.Kind == "Namespace" {
			add(r.Name)
		}
	}
	slices.Sort(out)
	return out
}

// labelNewNamespaces puts the run's labels on every namespace the app
// deploys into that was not there when Up began, so that the sandbox's
// teardown and drill cleanup delete it: Argo CD leaves the namespaces
// CreateNamespace=true made when it deletes the app.
func labelNewNamespaces(ctx context.Context, c *clients, app *v1alpha1.Application, labels map[string]string, before map[string]bool, progress io.Writer) error {
	if before == nil {
		return nil // what was there is unknown: labelling could doom a namespace the run did not make
	}
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"labels": labels}})
	if err != nil {
		return fmt.Errorf("label namespaces: %w", err)
	}
	for _, ns := range destinationNamespaces(app) {
		if before[ns] {
			continue
		}
		_, err := c.kube.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, patch, metav1.PatchOptions{})
		if apierrors.IsNotFound(err) {
			continue // named as a destination, never made
		}
		if err != nil {
			return apiError(fmt.Errorf("label namespace %s with the run's labels for teardown: %w", ns, err))
		}
		fmt.Fprintf(progress, "argocd: namespace %s made by %s, labelled for teardown\n", ns, app.Name)
	}
	return nil
}

// createsNamespace says whether the app's sync makes its in-cluster
// destination namespace (syncOptions CreateNamespace=true).
func createsNamespace(app *v1alpha1.Application) bool {
	d, sp := app.Spec.Destination, app.Spec.SyncPolicy
	return d.Namespace != "" && inCluster(d) && sp != nil && sp.SyncOptions.HasOption("CreateNamespace=true")
}

// inCluster says whether d is the cluster Argo CD runs in: the sandbox's.
func inCluster(d v1alpha1.ApplicationDestination) bool {
	return d.Server == InClusterServer || d.Name == "in-cluster" || (d.Server == "" && d.Name == "")
}

// makeNamespace makes, with the run's labels, a namespace a child's sync
// would create anyway, before the sync: labelled from its first moment, it
// is found by teardown and by drill cleanup even when the run is killed
// while the child syncs. A namespace that exists, or one that was there
// when Up began, is left as it is.
func makeNamespace(ctx context.Context, c *clients, name string, labels map[string]string, before map[string]bool) error {
	if name == "" || before == nil || before[name] {
		return nil
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	_, err := c.kube.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return apiError(fmt.Errorf("make namespace %s for its app, with the run's labels: %w", name, err))
	}
	return nil
}
