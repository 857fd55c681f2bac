package scenarios

import "time"

// Bootstrap brings a whole platform back into a kind or cluster sandbox:
// Argo CD, repository credentials, and a root app-of-apps whose children
// are followed wave by wave.
type Bootstrap struct {
	// ArgoCD is always set on a valid scenario.
	ArgoCD *ArgoCDBootstrap
}

// ArgoCDBootstrap is Argo CD's part of a rebuild.
type ArgoCDBootstrap struct {
	// Namespace is Argo CD's own namespace. Defaulted to argocd.
	Namespace string
	// Install, when set, installs Argo CD with Helm into Namespace; nil uses
	// an Argo CD already in the cluster.
	Install *ArgoCDInstall
	// Repositories are credentials registered with Argo CD.
	Repositories []RepositoryCredentials
	// Root is the app-of-apps Application; always set on a valid scenario.
	Root *RootApp
}

// ArgoCDInstall is Argo CD's chart, installed cluster-wide. Its Chart and
// ValuesFiles are absolute or relative to the working directory.
type ArgoCDInstall struct {
	HelmApp
	// Timeout bounds the install until every workload is ready.
	Timeout time.Duration
}

// RepositoryCredentials are one repository's credentials (or a prefix's).
// The secrets themselves are read only when the run starts: from the named
// environment variables or files, never from the scenario.
type RepositoryCredentials struct {
	URL               string
	Prefix            bool
	Type              string
	Username          string
	UsernameEnv       string
	PasswordEnv       string
	PasswordFile      string
	SSHPrivateKeyEnv  string
	SSHPrivateKeyFile string
	Insecure          bool
}

// RootApp is the app-of-apps Application.
type RootApp struct {
	Name     string
	RepoURL  string
	Path     string
	Revision string
	Project  string
	// AppTimeout bounds each Application, root and children, from its sync
	// to Synced and Healthy.
	AppTimeout time.Duration
}
