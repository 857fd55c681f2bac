//go:build e2e

package labtest

import (
	"testing"

	"github.com/argoproj/argo-cd/v2/pkg/apiclient"
	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// RESTConfig reads the lab's kubeconfig.
func RESTConfig(t testing.TB, env lab.Env) *rest.Config {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", env.Kubeconfig)
	if err != nil {
		t.Fatalf("read the lab kubeconfig %s: %v", env.Kubeconfig, err)
	}
	return cfg
}

// Kube is a clientset for the lab's API server.
func Kube(t testing.TB, env lab.Env) kubernetes.Interface {
	t.Helper()
	cs, err := kubernetes.NewForConfig(RESTConfig(t, env))
	if err != nil {
		t.Fatalf("client for the lab API server: %v", err)
	}
	return cs
}

// Applications is an Argo CD Application client for the lab's Argo CD,
// closed when the test ends.
func Applications(t testing.TB, env lab.Env) applicationpkg.ApplicationServiceClient {
	t.Helper()
	if env.ArgoCDServer == "" {
		t.Fatal("the lab runs no Argo CD")
	}
	client, err := apiclient.NewClient(&apiclient.ClientOptions{
		ServerAddr: env.ArgoCDServer,
		PlainText:  true,
		AuthToken:  env.ArgoCDAuthToken,
		ConfigPath: t.TempDir() + "/argocd-config", // absent: no user configuration applies
	})
	if err != nil {
		t.Fatalf("Argo CD client for %s: %v", env.ArgoCDServer, err)
	}
	closer, apps, err := client.NewApplicationClient()
	if err != nil {
		t.Fatalf("Argo CD application client for %s: %v", env.ArgoCDServer, err)
	}
	t.Cleanup(func() { _ = closer.Close() })
	return apps
}
