package v1alpha1

// KindSandbox is a new kind cluster (Kubernetes in Docker or Podman) made
// for one run and deleted after it: the place for a full-cluster rebuild.
// It needs a usable container runtime where drill runs; without one the run
// stops before anything is made.
type KindSandbox struct {
	// Name is the kind cluster's name: lowercase letters, digits, '-' and
	// '.', at most 50 characters (kind's limit: the node containers' host
	// names add "-control-plane"). A fixed name lets one run at a time.
	// Default: drill-SCENARIO-ID (ID: 8 characters of the run), cut to fit.
	Name string `json:"name,omitempty" jsonschema:"pattern=^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$,maxLength=50"`
	// NodeImage is the node image of every node, e.g.
	// kindest/node:v1.31.14; it decides the Kubernetes version.
	// Default: the image of the kind release drill is built with.
	NodeImage string `json:"nodeImage,omitempty" jsonschema:"minLength=1"`
	// Config is a kind configuration file (kind.x-k8s.io/v1alpha4 Cluster:
	// nodes, port mappings, feature gates); a relative path is taken from
	// the scenario file's directory. Its name is replaced by the cluster's
	// name, and nodeImage, when set, replaces every node's image.
	// Default: none (one control-plane node).
	Config string `json:"config,omitempty" jsonschema:"minLength=1"`
}

// ClusterSandbox is an existing, empty Kubernetes cluster (a standby
// disaster-recovery cluster) named by --kubeconfig and --context. drill
// makes a labelled namespace there for the run and deletes only what
// carries the run's labels; the cluster itself stays. Write cluster: {}.
type ClusterSandbox struct{}
