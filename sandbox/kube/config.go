package kube

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/restore-drill/drill/drills/fault"
)

// ReachableTimeout bounds the one call Reachable makes.
const ReachableTimeout = 10 * time.Second

// Load reads the cluster's address and credentials as kubectl does: the
// file kubeconfig when set, else the files in KUBECONFIG, else
// ~/.kube/config, else the in-cluster service account; context, when set,
// picks a context other than the current one. It returns the REST config
// and the context's namespace ("default" when it names none).
func Load(kubeconfig, context string) (*rest.Config, string, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = kubeconfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: context}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, "", loadError(rules, kubeconfig, context, err)
	}
	ns, _, err := cc.Namespace()
	if err != nil {
		return nil, "", loadError(rules, kubeconfig, context, err)
	}
	return cfg, ns, nil
}

// loadError says which files were read and which context was asked for,
// and what to do.
func loadError(rules *clientcmd.ClientConfigLoadingRules, kubeconfig, context string, err error) error {
	where := "kubeconfig " + kubeconfig
	if kubeconfig == "" {
		files := rules.Precedence
		if env := os.Getenv(clientcmd.RecommendedConfigPathEnvVar); env != "" {
			where = fmt.Sprintf("kubeconfig from KUBECONFIG (%s)", strings.Join(files, ", "))
		} else {
			where = "kubeconfig " + strings.Join(files, ", ")
		}
	}
	what := "the current context"
	if context != "" {
		what = "context " + context
	}
	hint := "set --kubeconfig or KUBECONFIG to a kubeconfig file, and --context to one of its contexts"
	if clientcmd.IsEmptyConfig(err) {
		return fault.Infra(fmt.Errorf("no cluster configured (%s: not found or empty): %s", where, hint))
	}
	return fault.Infra(fmt.Errorf("cluster configuration (%s, %s): %w: %s", where, what, err, hint))
}

// Reachable asks cfg's API server for its version, within ReachableTimeout.
// A server that does not answer in time, or refuses the credentials, is an
// infrastructure error (fault.Infra): the drill cannot be carried out at
// all. Only ctx's own end is returned as it is (an interrupt, the run's
// deadline).
func Reachable(ctx context.Context, cfg *rest.Config) error {
	short := rest.CopyConfig(cfg)
	short.Timeout = ReachableTimeout
	dc, err := discovery.NewDiscoveryClientForConfig(short)
	if err != nil {
		return fault.Infra(fmt.Errorf("client for the API server %s: %w", cfg.Host, err))
	}
	callCtx, cancel := context.WithTimeout(ctx, ReachableTimeout)
	defer cancel()
	err = dc.RESTClient().Get().AbsPath("/version").Do(callCtx).Error()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("reach the API server %s: %w", cfg.Host, context.Cause(ctx))
	}
	// %v, not %w: our own short timeout is an unreachable server, not the
	// run timing out.
	return fault.Infra(fmt.Errorf("the API server %s does not answer: %v: check that the cluster is up and that --kubeconfig/--context name it", cfg.Host, err))
}
