// Package etcdtest makes real etcd snapshots for tests: an embedded etcd
// holding the keys a test gives, and its snapshot written as etcdctl
// snapshot save writes it (the database with its sha256 appended).
package etcdtest
