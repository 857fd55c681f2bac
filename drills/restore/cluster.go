package restore

import (
	"fmt"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
)

// ClusterAccess is where a restore that works inside the cluster (a Job, a
// CloudNativePG Cluster) does its work: the cluster sandbox's API server
// and namespace. what says what the restore makes there ("creates a
// CloudNativePG Cluster"), for the error when the sandbox is not in a
// cluster.
func ClusterAccess(sb sandbox.Sandbox, restore, what string) (sandbox.KubeAccess, error) {
	cl, ok := sb.(sandbox.Cluster)
	if !ok {
		return sandbox.KubeAccess{}, fmt.Errorf("restore %s %s, which needs a cluster sandbox (namespace, kind or cluster), not %s", restore, what, sb.Describe())
	}
	access := cl.Kube()
	if access.Config == nil || access.Namespace == "" {
		return sandbox.KubeAccess{}, fault.Infra(fmt.Errorf("restore %s: the sandbox gives no cluster or namespace to work in", restore))
	}
	return access, nil
}
