package app

import (
	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
)

// quietKubernetesClients stops client-go from printing its own log lines
// (a reflector retrying a watch while the API server is away) between
// drill's progress lines: every failure they describe reaches the person
// as drill's own error, once, with what to do.
func quietKubernetesClients() { klog.SetLogger(logr.Discard()) }
