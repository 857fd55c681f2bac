// Package cnpg is the cnpg restore method: a CloudNativePG Cluster in the
// sandbox's namespace, bootstrapped by recovery from the object store that
// CloudNativePG (Barman Cloud) archives to, optionally to a point in time.
//
// Before anything is created, the backup is chosen and its WAL proven
// complete exactly as the barman method does (drills/restore/barman): a
// recovery that would stop at a hole in the WAL is refused, not run. Then
// the store's keys go into a Secret of the sandbox, labelled with the run,
// and the Cluster (postgresql.cnpg.io/v1, built as unstructured content so
// that drill does not depend on the operator's Go module) names that Secret
// in externalClusters[].barmanObjectStore, or in an ObjectStore of the
// Barman Cloud plugin. The Cluster is watched, not polled, until its phase
// is "Cluster in healthy state" with every instance ready; phases that mean
// the operator gave up, and a failed recovery Job, fail the restore at once.
//
// Checks reach the recovered database through the Cluster's -rw Service and
// its superuser (or app) Secret: Target says which, for the sandbox. Data
// loss is left to rpo checks: once CloudNativePG restarts the recovered
// server, PostgreSQL no longer reports its last replayed commit.
package cnpg
