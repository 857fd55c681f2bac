package scenarios

// Sandbox kinds that make or borrow a whole cluster.
const (
	// SandboxKind is a new kind cluster per run.
	SandboxKind = "kind"
	// SandboxCluster is an existing, empty cluster (--kubeconfig,
	// --context) where drill touches only what it labels.
	SandboxCluster = "cluster"
)

// KindSandbox is a new kind cluster, made for the run and deleted after it.
type KindSandbox struct {
	// Name is the cluster's name; empty: drill-SCENARIO-SHORTID, made when
	// the run starts.
	Name string
	// NodeImage, when set, is every node's image.
	NodeImage string
	// Config, when set, is a kind configuration file (an absolute path, or
	// relative to the working directory when the scenario had no file).
	Config string
}

// ClusterSandbox is an existing cluster named by --kubeconfig and
// --context. It has no settings of its own.
type ClusterSandbox struct{}

// InCluster says whether the sandbox is in a Kubernetes cluster (namespace,
// kind or cluster): where apps are brought up, job restores run and cluster
// checks read.
func (s Sandbox) InCluster() bool {
	switch s.Kind {
	case SandboxNamespace, SandboxKind, SandboxCluster:
		return true
	}
	return false
}

// kindsSet names the sandbox kinds that are set, in the order of the
// Sandbox* constants.
func (s Sandbox) kindsSet() []string {
	var kinds []string
	for _, k := range []struct {
		name string
		set  bool
	}{
		{SandboxLocal, s.Local != nil},
		{SandboxNamespace, s.Namespace != nil},
		{SandboxKind, s.KindCluster != nil},
		{SandboxCluster, s.Cluster != nil},
	} {
		if k.set {
			kinds = append(kinds, k.name)
		}
	}
	return kinds
}
