package scenarios

import "github.com/restore-drill/drill/scenarios/v1alpha1"

// convertBootstrap converts spec.bootstrap; nil stays nil.
func convertBootstrap(in *v1alpha1.Bootstrap, file string, p *problems) *Bootstrap {
	if in == nil {
		return nil
	}
	out := &Bootstrap{}
	a := in.ArgoCD
	if a == nil {
		return out
	}
	path := "spec.bootstrap.argocd"
	b := &ArgoCDBootstrap{Namespace: a.Namespace}
	if i := a.Install; i != nil {
		b.Install = &ArgoCDInstall{
			HelmApp: HelmApp{
				Chart: i.Chart, Repository: i.Repository, Version: i.Version, Release: i.Release,
				Values: i.Values, ValuesFiles: make([]string, 0, len(i.ValuesFiles)),
			},
			Timeout: convertDuration(i.Timeout, childPath(path, "install.timeout"), p),
		}
		if i.Repository == "" {
			b.Install.Chart = relativeTo(file, i.Chart)
		}
		for _, f := range i.ValuesFiles {
			b.Install.ValuesFiles = append(b.Install.ValuesFiles, relativeTo(file, f))
		}
	}
	for _, r := range a.Repositories {
		b.Repositories = append(b.Repositories, RepositoryCredentials{
			URL: r.URL, Prefix: r.Prefix, Type: r.Type,
			Username: r.Username, UsernameEnv: r.UsernameEnv,
			PasswordEnv: r.PasswordEnv, PasswordFile: relativeTo(file, r.PasswordFile),
			SSHPrivateKeyEnv: r.SSHPrivateKeyEnv, SSHPrivateKeyFile: relativeTo(file, r.SSHPrivateKeyFile),
			Insecure: r.Insecure,
		})
	}
	if r := a.Root; r != nil {
		b.Root = &RootApp{
			Name: r.Name, RepoURL: r.RepoURL, Path: r.Path, Revision: r.Revision, Project: r.Project,
			AppTimeout: convertDuration(r.AppTimeout, childPath(path, "root.appTimeout"), p),
		}
	}
	out.ArgoCD = b
	return out
}

// appNames are the names of apps, never nil: a restore with this waitFor
// waits for these apps and no other.
func appNames(apps []App) []string {
	names := []string{}
	for _, a := range apps {
		names = append(names, a.Name)
	}
	return names
}
