package helm

import (
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubectl's discovery limits (its ConfigFlags' defaults).
const (
	discoveryQPS   = 50
	discoveryBurst = 300
)

// restGetter gives Helm the sandbox's cluster and namespace instead of a
// kubeconfig file: the sandbox decides where the chart goes.
type restGetter struct {
	config    *rest.Config
	namespace string
	discovery discovery.CachedDiscoveryInterface
}

func newRESTGetter(config *rest.Config, namespace string) (*restGetter, error) {
	// Discovery asks once per API group: as kubectl does, it gets a burst
	// large enough that client-side throttling does not add seconds.
	dconfig := rest.CopyConfig(config)
	dconfig.QPS, dconfig.Burst = discoveryQPS, discoveryBurst
	dc, err := discovery.NewDiscoveryClientForConfig(dconfig)
	if err != nil {
		return nil, err
	}
	return &restGetter{config: config, namespace: namespace, discovery: memory.NewMemCacheClient(dc)}, nil
}

func (g *restGetter) ToRESTConfig() (*rest.Config, error) { return rest.CopyConfig(g.config), nil }

func (g *restGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	return g.discovery, nil
}

func (g *restGetter) ToRESTMapper() (meta.RESTMapper, error) {
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(g.discovery)
	return restmapper.NewShortcutExpander(mapper, g.discovery, nil), nil
}

// ToRawKubeConfigLoader only answers the namespace; the cluster comes from
// ToRESTConfig.
func (g *restGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig {
	return clientcmd.NewDefaultClientConfig(*clientcmdapi.NewConfig(), &clientcmd.ConfigOverrides{
		Context: clientcmdapi.Context{Namespace: g.namespace},
	})
}
