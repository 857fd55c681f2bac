package kind

import (
	"io"
	"time"

	"github.com/restore-drill/drill/sandbox/namespace"
)

// Defaults for the zero values of Options.
const (
	DefaultWaitForReady = 5 * time.Minute
	// undoTimeout bounds deleting a cluster whose making failed or was
	// interrupted, also when Create's own context has ended.
	undoTimeout = 5 * time.Minute
	// releaseTimeout bounds deleting the run's namespace inside a cluster
	// that is about to be deleted as a whole.
	releaseTimeout = 30 * time.Second
)

// Options configure the kind provider.
type Options struct {
	// Name is the cluster's name; default Name(scenario, run id).
	Name string
	// NodeImage, when set, is every node's image (kindest/node:v1.31.14).
	NodeImage string
	// ConfigFile, when set, is a kind configuration file (v1alpha4).
	ConfigFile string
	// WaitForReady bounds waiting for the control plane; default
	// DefaultWaitForReady.
	WaitForReady time.Duration
	// Targets are the in-cluster PostgreSQL servers, by restore name, in
	// the run's namespace of the new cluster.
	Targets map[string]namespace.Target
	// Progress receives lines for people, kind's own among them; may be nil.
	Progress io.Writer
	// BinDir is where pg_restore and psql are looked up first.
	BinDir string
}

func (o Options) withDefaults() Options {
	if o.WaitForReady == 0 {
		o.WaitForReady = DefaultWaitForReady
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return o
}
