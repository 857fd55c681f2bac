package helm

// Options are Helm's settings. The cluster is the sandbox's: Up takes it
// from the sandbox's KubeAccess, so no kubeconfig is read here.
type Options struct {
	// RepositoryCache and RepositoryConfig are Helm's repository cache
	// directory and repositories file; empty: a temporary directory and
	// none, so a person's own Helm setup never changes what a drill does.
	RepositoryCache  string
	RepositoryConfig string
	// RegistryConfig holds OCI registry credentials (helm registry login).
	RegistryConfig string
	// PlainHTTP talks to an OCI registry without TLS.
	PlainHTTP bool
}

// App is one chart to install.
type App struct {
	// Name is the app's name in the scenario.
	Name string
	// Chart is a chart directory or packaged chart (.tgz) on this machine,
	// or a chart's name in Repository.
	Chart string
	// Repository is an http(s) chart repository or an oci:// registry path.
	Repository string
	// Version is the chart version to take from Repository; empty: newest.
	Version string
	// Release is the release name. Default: Name.
	Release string
	// Values are merged over the chart's values, after ValuesFiles in
	// order.
	Values      map[string]any
	ValuesFiles []string
}

func (a App) release() string {
	if a.Release != "" {
		return a.Release
	}
	return a.Name
}
