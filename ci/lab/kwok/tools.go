//go:build tools

// Package kwok pins kwok, which plays the kubelet for the e2e lab's fake
// nodes: it marks pods scheduled there Running and Ready without running them.
package kwok

import _ "sigs.k8s.io/kwok/cmd/kwok"
