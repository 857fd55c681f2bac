package v1alpha1

// Defaults of an etcd restore.
const (
	DefaultEtcdPrefix  = "/registry"
	DefaultEtcdMinimum = 1
)

// EtcdRestore restores an etcd snapshot (what etcdctl snapshot save and
// RKE2's etcd-snapshot write: the database with a sha256 appended) into a
// throwaway etcd that drill runs itself, on free 127.0.0.1 ports, and checks
// what it holds. The snapshot's hash is proven before anything is restored.
// It needs no PostgreSQL and works in any sandbox (the sandbox's server is
// not used); sql and rpo checks cannot read it: say what it must hold under
// expect. Its source is a snapshot file, a directory of snapshots or an s3
// bucket.
type EtcdRestore struct {
	// Prefix is where Kubernetes keeps its objects in etcd (kube-apiserver's
	// --etcd-prefix). Default: /registry.
	Prefix string `json:"prefix,omitempty" jsonschema:"pattern=^/,default=/registry"`
	// Expect is what the restored etcd must hold; each miss fails the
	// restore and is named. Default: nothing beyond a snapshot that
	// restores and serves.
	Expect *EtcdExpect `json:"expect,omitempty"`
}

// EtcdExpect is what a restored etcd must hold.
type EtcdExpect struct {
	// MinRevision is the lowest acceptable revision of the key space: a
	// snapshot older than a known point fails. Default: none.
	MinRevision int `json:"minRevision,omitempty" jsonschema:"minimum=1"`
	// Resources are lower bounds on how many objects of a Kubernetes
	// resource the snapshot holds, e.g. {resource: deployments, group: apps,
	// min: 5}. Default: none.
	Resources []EtcdResourceCount `json:"resources,omitempty"`
	// Objects are Kubernetes objects that must exist in the snapshot.
	// Default: none.
	Objects []EtcdObject `json:"objects,omitempty"`
}

// EtcdResourceCount is a lower bound on the objects of one resource. The
// objects are counted by key: PREFIX/RESOURCE/ for Kubernetes' own API
// groups (with its historical names: services/specs, minions for nodes,
// controllers for replicationcontrollers, ingress), PREFIX/GROUP/RESOURCE/
// for custom resources.
type EtcdResourceCount struct {
	// Resource is the plural, lowercase resource name, as kubectl
	// api-resources lists it: deployments, secrets, applications. Required.
	Resource string `json:"resource" jsonschema:"pattern=^[a-z][a-z0-9]*$,maxLength=63"`
	// Group is the resource's API group: apps for deployments,
	// argoproj.io for applications. Default: the core group (pods, secrets,
	// configmaps, namespaces, ...).
	Group string `json:"group,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$,maxLength=253"`
	// Namespace counts only the objects in this namespace. Default: every
	// namespace.
	Namespace string `json:"namespace,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Min is the fewest objects accepted. Default: 1.
	Min *int `json:"min,omitempty" jsonschema:"minimum=0,default=1"`
}

// EtcdObject is one Kubernetes object that must exist in the snapshot.
type EtcdObject struct {
	// Resource is the plural, lowercase resource name: secrets,
	// deployments. Required.
	Resource string `json:"resource" jsonschema:"pattern=^[a-z][a-z0-9]*$,maxLength=63"`
	// Group is the resource's API group. Default: the core group.
	Group string `json:"group,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$,maxLength=253"`
	// Namespace is the object's namespace. Default: none (a cluster-scoped
	// object, such as a namespace or a ClusterRole).
	Namespace string `json:"namespace,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Name is the object's name. Required.
	Name string `json:"name" jsonschema:"minLength=1,maxLength=253"`
}
