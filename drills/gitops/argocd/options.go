package argocd

// Defaults for Options.
const (
	DefaultNamespace         = "argocd"
	DefaultDestinationServer = "https://kubernetes.default.svc"
)

// Options say how to reach Argo CD. The auth token is a secret: it is never
// printed.
type Options struct {
	// ServerAddr is argocd-server's host:port. Empty with PortForward.
	ServerAddr string
	AuthToken  string
	// PlainText talks gRPC without TLS; Insecure skips verifying the
	// server's certificate.
	PlainText bool
	Insecure  bool
	// GRPCWeb wraps gRPC in HTTP/1.1, for proxies that do not pass HTTP/2.
	GRPCWeb bool
	// PortForward reaches argocd-server through a port-forward to its pod in
	// PortForwardNamespace (default Namespace), using Kubeconfig and Context
	// (default: KUBECONFIG or ~/.kube/config and its current context).
	PortForward          bool
	PortForwardNamespace string
	Kubeconfig           string
	Context              string
	// ConfigPath is an argocd CLI configuration file to read. Empty: none,
	// so that a person's own argocd login never changes where a drill goes.
	ConfigPath string
	// Namespace is Argo CD's own namespace, where the AppProject and the
	// Application are created. Default DefaultNamespace.
	Namespace string
	// DestinationServer is the sandbox's cluster as Argo CD knows it.
	// Default DefaultDestinationServer (Argo CD's own cluster).
	DestinationServer string
}

func (o Options) withDefaults() Options {
	if o.Namespace == "" {
		o.Namespace = DefaultNamespace
	}
	if o.DestinationServer == "" {
		o.DestinationServer = DefaultDestinationServer
	}
	if o.PortForward && o.PortForwardNamespace == "" {
		o.PortForwardNamespace = o.Namespace
	}
	return o
}

// App is the application to bring up. Exactly one of FromApplication and
// Source is set.
type App struct {
	// Name is the app's name in the scenario; the Application is named
	// <sandbox namespace>-<Name>.
	Name string
	// FromApplication copies the source(s) of this existing Application in
	// Argo CD's namespace.
	FromApplication string
	Source          *Source
	// Revision, when set, overrides the target revision of every source.
	Revision string
}

// Source is where an Application's manifests come from.
type Source struct {
	RepoURL string
	// Path is a directory in a git repository; Chart a chart's name in a
	// Helm repository. Exactly one is set.
	Path      string
	Chart     string
	Revision  string
	Helm      *Helm
	Kustomize *Kustomize
}

// Helm are Helm overrides of a source.
type Helm struct {
	ReleaseName string
	ValueFiles  []string
	// Values is a YAML document.
	Values     string
	Parameters map[string]string
}

// Kustomize are Kustomize overrides of a source.
type Kustomize struct {
	NamePrefix   string
	NameSuffix   string
	Images       []string
	CommonLabels map[string]string
}
