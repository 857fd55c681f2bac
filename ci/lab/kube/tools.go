//go:build tools

// Package kube pins the Kubernetes control-plane programs the e2e lab runs.
// It is its own module so that k8s.io/kubernetes never enters drill's go.mod.
package kube

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
