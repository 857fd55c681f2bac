// Package etcd is the restore method for etcd snapshots: the file that
// `etcdctl snapshot save` and RKE2's etcd-snapshot write (etcd's bbolt
// database with a sha256 of it appended).
//
// Inspect proves the snapshot whole before anything is restored: it reads
// the file through, compares the appended sha256, and only then opens the
// database for its revision and key count (etcdutl's snapshot status), so a
// truncated or corrupt file fails with drill's own message instead of a
// crash or a hang inside the database library.
//
// Restore restores the snapshot into a private temporary directory with
// etcdutl's snapshot restore, starts an embedded etcd on it listening on
// free 127.0.0.1 ports, and reads keys with the etcd client: counts per
// Kubernetes resource under the key prefix (by default /registry), the
// objects that must exist, and the store's revision. Whatever happens, the
// etcd is stopped and the directory removed before Restore returns. No etcd
// binary is needed, and no PostgreSQL: the sandbox's server is not used.
package etcd
