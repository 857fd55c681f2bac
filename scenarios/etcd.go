package scenarios

// Defaults of an etcd restore.
const (
	// DefaultEtcdPrefix is where Kubernetes keeps its objects in etcd
	// (kube-apiserver's --etcd-prefix; RKE2 and k3s use it too).
	DefaultEtcdPrefix = "/registry"
)

// EtcdRestore restores an etcd snapshot (etcdctl snapshot save, RKE2's
// etcd-snapshot) into a throwaway etcd of the run and checks what it holds.
// It needs no PostgreSQL.
type EtcdRestore struct {
	// Prefix is the key prefix of Kubernetes' objects. Defaulted to
	// DefaultEtcdPrefix.
	Prefix string
	// Expect is what the restored etcd must hold.
	Expect EtcdExpect
}

// EtcdExpect is what a restored etcd must hold; each miss fails the restore.
type EtcdExpect struct {
	// MinRevision, when positive, is the lowest acceptable store revision.
	MinRevision int64
	// Resources are lower bounds on how many objects of a resource exist.
	Resources []EtcdResourceCount
	// Objects must each exist.
	Objects []EtcdObject
}

// EtcdResourceCount is a lower bound on the objects of one resource.
type EtcdResourceCount struct {
	// Resource is the plural lowercase resource name ("deployments").
	Resource string
	// Group is the API group; "" is the core group.
	Group string
	// Namespace, when set, counts only the objects in it.
	Namespace string
	// Min is the fewest objects accepted.
	Min int
}

// EtcdObject is one Kubernetes object that must exist in the snapshot.
type EtcdObject struct {
	Resource string
	// Group is the API group; "" is the core group.
	Group string
	// Namespace is empty for cluster-scoped objects.
	Namespace string
	Name      string
}
