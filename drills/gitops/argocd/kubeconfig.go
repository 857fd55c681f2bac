package argocd

import (
	"fmt"

	"k8s.io/client-go/tools/clientcmd"
)

// kubeOverrides points Argo CD's port-forward at a kubeconfig file and
// context. Its client reads only KUBECONFIG or ~/.kube/config, so an
// explicit file is passed as overrides of the cluster and user it names.
func kubeOverrides(kubeconfig, context string) (*clientcmd.ConfigOverrides, error) {
	overrides := &clientcmd.ConfigOverrides{CurrentContext: context}
	if kubeconfig == "" {
		return overrides, nil
	}
	cfg, err := clientcmd.LoadFromFile(kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("read kubeconfig %s for the port-forward to Argo CD: %w", kubeconfig, err)
	}
	if err := clientcmd.ResolveLocalPaths(cfg); err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", kubeconfig, err)
	}
	name := context
	if name == "" {
		name = cfg.CurrentContext
	}
	kctx, ok := cfg.Contexts[name]
	if !ok {
		return nil, fmt.Errorf("kubeconfig %s has no context %q: pass an existing --context", kubeconfig, name)
	}
	cluster, ok := cfg.Clusters[kctx.Cluster]
	if !ok {
		return nil, fmt.Errorf("kubeconfig %s: context %q names cluster %q, which it does not define", kubeconfig, name, kctx.Cluster)
	}
	overrides = &clientcmd.ConfigOverrides{ClusterInfo: *cluster, Context: *kctx}
	if user, ok := cfg.AuthInfos[kctx.AuthInfo]; ok {
		overrides.AuthInfo = *user
	}
	// The file's context is not in the default kubeconfig: name none, so
	// the overrides alone decide.
	overrides.Context.Cluster, overrides.Context.AuthInfo = "", ""
	return overrides, nil
}
