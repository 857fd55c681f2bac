package v1alpha1

// Defaults of a bootstrap.
const (
	DefaultArgoCDNamespace = "argocd"
	DefaultArgoCDRelease   = "argocd"
	DefaultRootName        = "root"
	DefaultRootProject     = "default"
)

// Bootstrap brings a whole platform back into a kind or cluster sandbox,
// the way a real rebuild does: Argo CD first (installed with Helm, or one
// already in the cluster), then the repository credentials it needs, then
// one root Application (app-of-apps) whose child Applications are followed
// wave by wave until each is Synced and Healthy. Restores name the child
// apps they wait for in waitFor and start as soon as those are ready, while
// later waves still sync. Only with a kind or cluster sandbox.
type Bootstrap struct {
	// ArgoCD is the Argo CD that brings the platform back. Required.
	ArgoCD *ArgoCDBootstrap `json:"argocd"`
}

// ArgoCDBootstrap is Argo CD's part of a rebuild. drill talks to it through
// the Kubernetes API (Application objects and their status), so a freshly
// installed Argo CD needs no login or token.
type ArgoCDBootstrap struct {
	// Namespace is Argo CD's own namespace: where it is installed, and where
	// the repository Secrets and the Applications live. Default: argocd.
	Namespace string `json:"namespace,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63,default=argocd"`
	// Install installs Argo CD with Helm before anything else, and
	// uninstalls it at teardown. Default: none (an Argo CD already running
	// in the cluster is used: its CRDs must be there).
	Install *ArgoCDInstall `json:"install,omitempty"`
	// Repositories are the credentials Argo CD needs to read the
	// repositories, registered as labelled Secrets in Argo CD's namespace
	// and deleted at teardown. Default: none (public repositories).
	Repositories []RepositoryCredentials `json:"repositories,omitempty"`
	// Root is the app-of-apps Application. Required.
	Root *RootApp `json:"root"`
}

// ArgoCDInstall installs Argo CD with Helm: the argo-cd chart of
// https://argoproj.github.io/argo-helm, or a local or mirrored copy.
type ArgoCDInstall struct {
	// Chart is a chart directory or packaged chart (.tgz) on this machine; a
	// relative path is taken from the scenario file's directory. With
	// repository, it is the chart's name there (argo-cd). Required.
	Chart string `json:"chart" jsonschema:"minLength=1"`
	// Repository is the chart repository: https:// (or http://) or oci://.
	// Default: none (chart is a local path).
	Repository string `json:"repository,omitempty" jsonschema:"pattern=^(https?|oci)://"`
	// Version is the chart version (pin it: a rebuild should install what
	// production runs). Only with repository. Default: the newest.
	Version string `json:"version,omitempty" jsonschema:"minLength=1"`
	// Release is the Helm release name. Default: argocd.
	Release string `json:"release,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=53,default=argocd"`
	// Values are merged over the chart's values, after valuesFiles.
	// Default: none.
	Values map[string]any `json:"values,omitempty"`
	// ValuesFiles are values files on this machine, merged in order;
	// relative paths are taken from the scenario file's directory.
	// Default: none.
	ValuesFiles []string `json:"valuesFiles,omitempty" jsonschema:"minLength=1"`
	// Timeout bounds the install until every workload of the release is
	// ready. Default: 10m.
	Timeout Duration `json:"timeout,omitempty" jsonschema:"default=10m"`
}

// RepositoryCredentials are one repository's (or, with prefix, every
// repository's under a URL) credentials for Argo CD. Secrets come from
// drill's environment or from files, never from the scenario; at most one
// of passwordEnv and passwordFile, and of sshPrivateKeyEnv and
// sshPrivateKeyFile.
type RepositoryCredentials struct {
	// URL is the repository's URL as the Applications name it
	// (https://github.com/acme/platform.git, git@github.com:acme/platform.git),
	// or a URL prefix with prefix. Required.
	URL string `json:"url" jsonschema:"minLength=1"`
	// Prefix makes these credentials a template for every repository whose
	// URL starts with url (Argo CD's repo-creds). Default: false.
	Prefix bool `json:"prefix,omitempty"`
	// Type is git or helm (a Helm chart repository). Default: git.
	Type string `json:"type,omitempty" jsonschema:"enum=git,enum=helm,default=git"`
	// Username is the user name for HTTPS. Default: none.
	Username string `json:"username,omitempty"`
	// UsernameEnv names an environment variable holding the user name,
	// instead of username. Default: none.
	UsernameEnv string `json:"usernameEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// PasswordEnv names an environment variable holding the password or
	// token for HTTPS. Default: none.
	PasswordEnv string `json:"passwordEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// PasswordFile is a file holding the password or token; a relative path
	// is taken from the scenario file's directory. Default: none.
	PasswordFile string `json:"passwordFile,omitempty" jsonschema:"minLength=1"`
	// SSHPrivateKeyEnv names an environment variable holding an SSH private
	// key, for git@ URLs. Default: none.
	SSHPrivateKeyEnv string `json:"sshPrivateKeyEnv,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$"`
	// SSHPrivateKeyFile is a file holding an SSH private key. Default: none.
	SSHPrivateKeyFile string `json:"sshPrivateKeyFile,omitempty" jsonschema:"minLength=1"`
	// Insecure skips verifying the server's TLS certificate or SSH host key.
	// Default: false.
	Insecure bool `json:"insecure,omitempty"`
}

// RootApp is the app-of-apps Application: a directory of Application
// manifests in git. Each child's argocd.argoproj.io/sync-wave annotation
// orders it: drill syncs the children of one wave together, and the next
// wave once all of them are Synced and Healthy. A child with automated sync
// syncs on its own and is only watched.
type RootApp struct {
	// Name is the root Application's name in Argo CD's namespace; restores'
	// waitFor may name it. Default: root.
	Name string `json:"name,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63,default=root"`
	// RepoURL is the git repository. Required.
	RepoURL string `json:"repoURL" jsonschema:"minLength=1"`
	// Path is the directory of the child Application manifests in the
	// repository. Required.
	Path string `json:"path" jsonschema:"minLength=1"`
	// Revision is a branch, tag or commit. Default: HEAD.
	Revision string `json:"revision,omitempty" jsonschema:"minLength=1,default=HEAD"`
	// Project is the Argo CD project of the root Application.
	// Default: default.
	Project string `json:"project,omitempty" jsonschema:"minLength=1,default=default"`
	// AppTimeout bounds each Application, the root and every child, from
	// its sync to Synced and Healthy. Default: 10m.
	AppTimeout Duration `json:"appTimeout,omitempty" jsonschema:"default=10m"`
}
