package bootstrap

import (
	"time"

	"github.com/restore-drill/drill/drills/gitops"
)

// Defaults of a bootstrap.
const (
	DefaultNamespace  = "argocd"
	DefaultRootName   = "root"
	DefaultProject    = "default"
	DefaultRevision   = "HEAD"
	DefaultAppTimeout = 10 * time.Minute
	// InClusterServer is how an Application names the cluster Argo CD runs
	// in.
	InClusterServer = "https://kubernetes.default.svc"
)

// Options configure a bootstrap.
type Options struct {
	// Namespace is Argo CD's namespace: where it runs, and where the
	// repository Secrets and the Applications go. Default: argocd.
	Namespace string
	// Install installs Argo CD before anything else and uninstalls it in
	// Down. Nil: an Argo CD already in the cluster is used.
	Install gitops.Installer
	// Repositories are credentials Argo CD needs, their secrets already
	// resolved by the caller.
	Repositories []Repository
	// Root is the app-of-apps Application.
	Root Root
}

// Repository is one repository's credentials, or with Prefix a template
// for every repository whose URL starts with URL (Argo CD's repo-creds).
type Repository struct {
	URL    string
	Prefix bool
	// Type is git or helm. Default: git.
	Type string
	// Username, Password and SSHPrivateKey are never printed.
	Username, Password, SSHPrivateKey string
	Insecure                          bool
}

// Root is the app-of-apps Application: a directory of Application
// manifests in git.
type Root struct {
	// Name is the root Application's name. Default: root.
	Name    string
	RepoURL string
	Path    string
	// Revision is a branch, tag or commit. Default: HEAD.
	Revision string
	// Project is the root's Argo CD project. Default: default.
	Project string
	// AppTimeout bounds each Application, the root and every child, from
	// its sync to Synced and Healthy. Default: 10m.
	AppTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Namespace == "" {
		o.Namespace = DefaultNamespace
	}
	if o.Root.Name == "" {
		o.Root.Name = DefaultRootName
	}
	if o.Root.Revision == "" {
		o.Root.Revision = DefaultRevision
	}
	if o.Root.Project == "" {
		o.Root.Project = DefaultProject
	}
	if o.Root.AppTimeout <= 0 {
		o.Root.AppTimeout = DefaultAppTimeout
	}
	return o
}
