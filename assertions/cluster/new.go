package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/scenarios"
)

// New builds the cluster check for a scenario check of kind workload,
// argocd, http or exists. The scenario is expected to be validated already;
// New still refuses a check it cannot run, naming it.
func New(c scenarios.Check) (assertions.ClusterCheck, error) {
	return newWith(c, realClients)
}

// newWith builds the check with the given way to reach the cluster.
func newWith(c scenarios.Check, connect connector) (assertions.ClusterCheck, error) {
	switch c.Kind() {
	case scenarios.CheckWorkload:
		return newWorkloadCheck(c.Name, c.Timeout, *c.Workload, connect)
	case scenarios.CheckArgoCD:
		return newArgoCDCheck(c.Name, c.Timeout, *c.ArgoCD)
	case scenarios.CheckHTTP:
		return newHTTPCheck(c.Name, c.Timeout, *c.HTTP, connect)
	case scenarios.CheckExists:
		return newExistsCheck(c.Name, c.Timeout, *c.Exists, connect)
	case "":
		return nil, fmt.Errorf("check %s: no kind set: give it one of workload, argocd, http or exists", c.Name)
	default:
		return nil, fmt.Errorf("check %s: kind %s does not read the cluster: build it with assertions.New", c.Name, c.Kind())
	}
}

// withTimeout bounds ctx by a check's own timeout, when it has one.
func withTimeout(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, timeout)
}
