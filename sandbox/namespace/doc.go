// Package namespace is the namespace sandbox: a new namespace in an
// existing Kubernetes cluster, made for one run and removed after it.
//
// The namespace is named PREFIX-SCENARIO-SHORTID, carries the run's labels
// (sandbox/kube.RunLabels), an expiry time and a heartbeat that the run
// renews while it lives, so that drill cleanup (Leftovers, Remove) finds
// what a crashed or killed run left behind. By default a NetworkPolicy
// denies all traffic except within the namespace and to DNS, so nothing a
// drill starts can reach production services; a ResourceQuota and a
// LimitRange are optional. Teardown deletes the namespace and watches until
// it is really gone, and never deletes a namespace that does not carry the
// run's own label.
//
// Restores reach PostgreSQL servers inside the sandbox through a client-go
// port-forward to a ready pod behind a Service or label selector, or at a
// direct address.
package namespace
