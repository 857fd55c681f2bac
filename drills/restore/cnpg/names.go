package cnpg

import (
	"strings"

	"github.com/restore-drill/drill/sandbox/namespace"
	"github.com/restore-drill/drill/scenarios"
)

// maxClusterName keeps the names CloudNativePG derives from the Cluster's
// (NAME-1-full-recovery, NAME-superuser, ...) within Kubernetes' limits;
// CloudNativePG refuses longer Cluster names.
const maxClusterName = 50

// externalName names the backed-up cluster inside the new Cluster's spec.
const externalName = "origin"

// ClusterName is the name of the Cluster a restore creates: the restore's.
func ClusterName(restore string) string {
	if len(restore) > maxClusterName {
		restore = strings.TrimRight(restore[:maxClusterName], "-")
	}
	return restore
}

// secretName holds the object store's keys (and CA) for the Cluster.
func secretName(cluster string) string { return cluster + "-drill-s3" }

// objectStoreName is the Barman Cloud plugin's ObjectStore of the Cluster.
func objectStoreName(cluster string) string { return cluster + "-drill-store" }

// Target is where checks find the recovered server in a namespace sandbox:
// the Cluster's read-write Service, and CloudNativePG's Secret of the user
// they connect as (the superuser's, or the app owner's).
func Target(restore string, spec *scenarios.CNPGRestore) namespace.Target {
	name := ClusterName(restore)
	t := namespace.Target{Service: name + "-rw", Port: 5432, Secret: name + "-superuser", User: "postgres"}
	if spec.User != "" {
		t.Secret, t.User = name+"-app", spec.User
	}
	return t
}
