package app

import (
	"fmt"
	"io"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/cluster"
	"github.com/restore-drill/drill/sandbox/kind"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/scenarios"
)

// kindProvider builds the kind sandbox of a scenario: a new cluster, the
// in-cluster PostgreSQL target of each restore in the run's namespace there.
// --kubeconfig and --context play no part: the cluster's kubeconfig is the
// run's own.
func kindProvider(sc *scenarios.Scenario, log io.Writer) sandbox.Provider {
	k := sc.Sandbox.KindCluster
	return kind.NewProvider(kind.Options{
		Name:       k.Name,
		NodeImage:  k.NodeImage,
		ConfigFile: k.Config,
		Targets:    restoreTargets(sc),
		Progress:   log,
	})
}

// clusterProvider builds the cluster sandbox of a scenario: the existing
// cluster of --kubeconfig/--context/KUBECONFIG.
func clusterProvider(sc *scenarios.Scenario, f *clusterFlags, log io.Writer) (sandbox.Provider, error) {
	cfg, _, err := kube.Load(f.kubeconfig, f.context)
	if err != nil {
		return nil, err
	}
	return cluster.NewProvider(cluster.Options{Config: cfg, Targets: restoreTargets(sc), Progress: log}), nil
}

// describeKindSandbox says, without making anything, what a kind or cluster
// sandbox would be.
func describeKindSandbox(sc *scenarios.Scenario) string {
	if k := sc.Sandbox.KindCluster; k != nil {
		name := k.Name
		if name == "" {
			name = kind.Prefix + "-" + sc.Name + "-<run>"
		}
		d := fmt.Sprintf("a new kind cluster %s (docker or podman where drill runs)", name)
		if k.NodeImage != "" {
			d += ", node image " + k.NodeImage
		}
		if k.Config != "" {
			d += ", config " + k.Config
		}
		return d + ", with a namespace drill-" + sc.Name + "-<run> for drill's objects; deleted at teardown"
	}
	return "the existing cluster of --kubeconfig/--context, in a new namespace drill-" + sc.Name + "-<run>; only what the run labels is deleted at teardown"
}
