//go:build e2e

// Package gitopstest gives the gitops deployers' end-to-end tests (build tag
// e2e) a sandbox in the lab: a labelled namespace of their own, removed when
// the test ends, behind a sandbox.Cluster.
package gitopstest
