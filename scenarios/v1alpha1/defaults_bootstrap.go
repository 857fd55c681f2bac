package v1alpha1

// Defaults of a bootstrap's durations.
const (
	DefaultInstallTimeout = "10m"
	DefaultRepositoryType = "git"
)

func setBootstrapDefaults(b *Bootstrap) {
	a := b.ArgoCD
	if a == nil {
		return // required: validation's to report
	}
	if a.Namespace == "" {
		a.Namespace = DefaultArgoCDNamespace
	}
	if in := a.Install; in != nil {
		if in.Release == "" {
			in.Release = DefaultArgoCDRelease
		}
		if in.Timeout == "" {
			in.Timeout = DefaultInstallTimeout
		}
	}
	for i := range a.Repositories {
		if a.Repositories[i].Type == "" {
			a.Repositories[i].Type = DefaultRepositoryType
		}
	}
	if r := a.Root; r != nil {
		if r.Name == "" {
			r.Name = DefaultRootName
		}
		if r.Revision == "" {
			r.Revision = "HEAD"
		}
		if r.Project == "" {
			r.Project = DefaultRootProject
		}
		if r.AppTimeout == "" {
			r.AppTimeout = DefaultAppTimeout
		}
	}
}
