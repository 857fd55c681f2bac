// Package kube is what drill's cluster sandboxes share: reaching a cluster
// from --kubeconfig, --context and KUBECONFIG, the labels and annotations
// that mark what a run created, port-forwards to ready pods, watching an
// object (by name or labels) until a condition holds, and collecting
// diagnostics from a namespace.
package kube
