// Package cluster is the cluster sandbox: an existing, empty Kubernetes
// cluster (a standby disaster-recovery cluster) named by --kubeconfig and
// --context, where a run makes and deletes only what carries its labels.
//
// Create checks that the API server answers (sandbox/kube.Reachable) and
// makes the run's own namespace, PREFIX-SCENARIO-SHORTID, with the namespace
// sandbox (sandbox/namespace): the same labels, expiry, heartbeat and
// PostgreSQL targets. That namespace is where drill's own objects go (the
// apps' Argo CD AppProject allows only it as a destination). Anything else
// the run makes in the cluster carries the run's labels too; at teardown
// Destroy deletes every namespace labelled with this run, and nothing
// without that label. Diagnose covers the same namespaces plus
// kube-system.
//
// The kind sandbox (sandbox/kind) makes a new cluster and then opens it
// with this package.
package cluster
