package scenarios

import (
	"strings"
)

// validateBootstrap checks spec.bootstrap: only where a whole cluster is the
// run's (kind, cluster), with a root to follow.
func validateBootstrap(b *Bootstrap, sb Sandbox, p *problems) {
	if b == nil {
		return
	}
	if sb.Kind != SandboxKind && sb.Kind != SandboxCluster {
		// Reported at the sandbox: a problem inside spec.bootstrap would
		// hide this one.
		p.report("spec.sandbox", "is %s, and spec.bootstrap rebuilds a whole cluster: set sandbox kind: {} (a new kind cluster) or cluster: {} (an existing, empty one); a namespace drill brings its apps up with spec.apps", sb.Kind)
	}
	a := b.ArgoCD
	if a == nil {
		p.report("spec.bootstrap.argocd", "is required: the Argo CD that brings the platform back (install, repositories, root)")
		return
	}
	path := "spec.bootstrap.argocd"
	if msg := checkName(a.Namespace); msg != "" {
		p.report(childPath(path, "namespace"), "%s", msg)
	}
	if in := a.Install; in != nil {
		ip := childPath(path, "install")
		validateHelmApp(&in.HelmApp, in.Release, ip, p)
		if in.Timeout <= 0 {
			p.report(childPath(ip, "timeout"), "must be positive, not %s", in.Timeout)
		}
	}
	seen := map[string]int{}
	for i, r := range a.Repositories {
		validateRepository(r, indexPath(childPath(path, "repositories"), i), p)
		if first, dup := seen[r.URL]; dup && r.URL != "" {
			p.report(childPath(indexPath(childPath(path, "repositories"), i), "url"), "%s is already listed at %s", quoteShort(r.URL), indexPath(childPath(path, "repositories"), first))
		} else {
			seen[r.URL] = i
		}
	}
	if a.Root == nil {
		p.report(childPath(path, "root"), "is required: the app-of-apps Application (repoURL, path) whose children bring the platform back")
		return
	}
	validateRoot(a.Root, childPath(path, "root"), p)
}

func validateRoot(r *RootApp, path string, p *problems) {
	if msg := checkName(r.Name); msg != "" {
		p.report(childPath(path, "name"), "%s", msg)
	}
	if strings.TrimSpace(r.RepoURL) == "" {
		p.report(childPath(path, "repoURL"), "is required: the git repository of the child Applications, as Argo CD reaches it")
	}
	if strings.TrimSpace(r.Path) == "" {
		p.report(childPath(path, "path"), "is required: the directory of the child Application manifests in the repository")
	}
	if r.Revision == "" {
		p.report(childPath(path, "revision"), "is required: a branch, tag or commit")
	}
	if r.Project == "" {
		p.report(childPath(path, "project"), "is required: an Argo CD project")
	}
	if r.AppTimeout <= 0 {
		p.report(childPath(path, "appTimeout"), "must be positive, not %s", r.AppTimeout)
	}
}

// validateRepository checks one repository's credentials: where each secret
// comes from, at most one place each.
func validateRepository(r RepositoryCredentials, path string, p *problems) {
	if strings.TrimSpace(r.URL) == "" {
		p.report(childPath(path, "url"), "is required: the repository's URL (or URL prefix with prefix: true)")
	}
	if r.Type != "git" && r.Type != "helm" {
		p.report(childPath(path, "type"), "must be git or helm, not %s", quoteShort(r.Type))
	}
	both := func(a, b, aName, bName string) {
		if a != "" && b != "" {
			p.report(path, "set %s or %s, not both: one secret comes from one place", aName, bName)
		}
	}
	both(r.Username, r.UsernameEnv, "username", "usernameEnv")
	both(r.PasswordEnv, r.PasswordFile, "passwordEnv", "passwordFile")
	both(r.SSHPrivateKeyEnv, r.SSHPrivateKeyFile, "sshPrivateKeyEnv", "sshPrivateKeyFile")
	password := r.PasswordEnv != "" || r.PasswordFile != ""
	key := r.SSHPrivateKeyEnv != "" || r.SSHPrivateKeyFile != ""
	switch {
	case password && key:
		p.report(path, "set a password (HTTPS) or an SSH private key, not both")
	case r.Type == "helm" && key:
		p.report(path, "a Helm chart repository takes a user name and password, not an SSH key")
	case !password && !key:
		p.report(path, "names no secret: set passwordEnv or passwordFile (HTTPS), or sshPrivateKeyEnv or sshPrivateKeyFile (git over SSH); a public repository needs no entry")
	}
}
