package cluster

import (
	"io"

	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/sandbox/namespace"
)

// Options configure a cluster sandbox.
type Options struct {
	// Config reaches the cluster's API server (see sandbox/kube.Load).
	Config *rest.Config
	// Describe names the cluster for people, e.g. "kind cluster drill-x";
	// default: the API server's address.
	Describe string
	// Prefix starts the run's namespace's name; default
	// namespace.DefaultPrefix.
	Prefix string
	// Targets are the in-cluster PostgreSQL servers, by restore name,
	// resolved in the run's namespace as the namespace sandbox does.
	Targets map[string]namespace.Target
	// Progress receives lines for people; may be nil.
	Progress io.Writer
	// BinDir is where pg_restore and psql are looked up first.
	BinDir string
}
