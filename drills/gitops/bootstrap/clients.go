package bootstrap

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Argo CD's resources, read and written as unstructured objects so that
// fields a newer Argo CD added survive an update.
var (
	applicationsResource = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}
	projectsResource     = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}
)

// clients reach the cluster: Argo CD's objects through the dynamic client,
// namespaces, Secrets and discovery through the typed one.
type clients struct {
	dyn  dynamic.Interface
	kube kubernetes.Interface
}

func connect(cfg *rest.Config) (*clients, error) {
	if cfg == nil {
		return nil, fmt.Errorf("bootstrap: the sandbox has no cluster configuration")
	}
	// Argo CD's own finalizer name draws an API server warning on every
	// write; it is Argo CD's name to choose, and no news to a person.
	cfg = rest.CopyConfig(cfg)
	cfg.WarningHandler = rest.NoWarnings{}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("bootstrap: connect to the cluster %s: %w", cfg.Host, err)
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("bootstrap: connect to the cluster %s: %w", cfg.Host, err)
	}
	return &clients{dyn: dyn, kube: kube}, nil
}

func (c *clients) apps(namespace string) dynamic.ResourceInterface {
	return c.dyn.Resource(applicationsResource).Namespace(namespace)
}
