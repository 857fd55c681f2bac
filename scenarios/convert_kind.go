package scenarios

import "github.com/restore-drill/drill/scenarios/v1alpha1"

// convertKindSandboxes converts the kind and cluster sandboxes, if set, into
// out; Kind names the first kind set (two kinds are validate's to report).
func convertKindSandboxes(in v1alpha1.Sandbox, file string, out *Sandbox) {
	if k := in.Kind; k != nil {
		out.KindCluster = &KindSandbox{Name: k.Name, NodeImage: k.NodeImage, Config: relativeTo(file, k.Config)}
		if out.Kind == "" {
			out.Kind = SandboxKind
		}
	}
	if in.Cluster != nil {
		out.Cluster = &ClusterSandbox{}
		if out.Kind == "" {
			out.Kind = SandboxCluster
		}
	}
}
