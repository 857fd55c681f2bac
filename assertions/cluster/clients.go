package cluster

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// clients reach one cluster.
type clients struct {
	kube    kubernetes.Interface
	dynamic dynamic.Interface
	// mapper tells a kind's resource and whether it is namespaced.
	mapper meta.RESTMapper
	// config is what port-forwards are opened with.
	config *rest.Config
}

// connector builds the clients for a sandbox's cluster. Tests give fakes.
type connector func(cfg *rest.Config) (*clients, error)

// realClients builds client-go's clients from cfg. Discovery is read only
// when the mapper is first asked, and kept for the check's run.
func realClients(cfg *rest.Config) (*clients, error) {
	if cfg == nil {
		return nil, fmt.Errorf("the sandbox gives no cluster to check: cluster checks need a namespace sandbox")
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("client for %s: %w", cfg.Host, err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("dynamic client for %s: %w", cfg.Host, err)
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("discovery client for %s: %w", cfg.Host, err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc))
	return &clients{kube: kube, dynamic: dyn, mapper: mapper, config: cfg}, nil
}
