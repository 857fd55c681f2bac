package scenarios

import (
	"fmt"
	"strings"

	sigsyaml "sigs.k8s.io/yaml"
)

// maxReleaseLength is Helm's limit on a release name.
const maxReleaseLength = 53

// validateApps checks the apps; inCluster says whether the sandbox is a
// namespace, the only place apps can be brought up.
func validateApps(apps []App, inCluster bool, p *problems) {
	if len(apps) > 0 && !inCluster {
		p.report("spec.apps", "apps are brought up in a cluster: set sandbox namespace (the local sandbox is a PostgreSQL server only)")
	}
	names := make(map[string]int)
	for i, a := range apps {
		path := indexPath("spec.apps", i)
		checkUnique(names, a.Name, i, childPath(path, "name"), checkName(a.Name), "spec.apps", p)
		if a.Timeout <= 0 {
			p.report(childPath(path, "timeout"), "must be positive, not %s", a.Timeout)
		}
		switch {
		case a.ArgoCD != nil && a.Helm != nil:
			p.report(path, "set argocd or helm, not both: one app is brought up one way")
		case a.ArgoCD != nil:
			validateArgoCDApp(a.ArgoCD, childPath(path, "argocd"), p)
		case a.Helm != nil:
			validateHelmApp(a.Helm, a.Name, childPath(path, "helm"), p)
		default:
			p.report(path, "set how the app is brought up: argocd (an Argo CD Application) or helm (a chart)")
		}
	}
}

func validateArgoCDApp(a *ArgoCDApp, path string, p *problems) {
	switch {
	case a.FromApplication != "" && a.Source != nil:
		p.report(path, "set fromApplication or source, not both")
	case a.FromApplication != "":
		if msg := checkObjectName(a.FromApplication); msg != "" {
			p.report(childPath(path, "fromApplication"), "%s", msg)
		}
	case a.Source != nil:
		if a.Revision != "" {
			p.report(childPath(path, "revision"), "overrides the revision of fromApplication: with source, set source.revision")
		}
		validateArgoCDSource(a.Source, childPath(path, "source"), p)
	default:
		p.report(path, "set fromApplication (copy an existing Application) or source (repoURL and path or chart)")
	}
}

func validateArgoCDSource(s *ArgoCDSource, path string, p *problems) {
	if strings.TrimSpace(s.RepoURL) == "" {
		p.report(childPath(path, "repoURL"), "is required: the git or Helm repository as Argo CD knows it")
	}
	switch {
	case s.Path != "" && s.Chart != "":
		p.report(path, "set path (a directory in a git repository) or chart (a chart in a Helm repository), not both")
	case s.Path == "" && s.Chart == "":
		p.report(path, "set path (a directory in a git repository) or chart (a chart in a Helm repository)")
	case strings.HasPrefix(s.Path, "/"):
		p.report(childPath(path, "path"), "is a directory in the repository, relative to its top: write %q", strings.TrimLeft(s.Path, "/"))
	}
	if s.Revision == "" {
		p.report(childPath(path, "revision"), "is required: a branch, tag or commit (or a chart version)")
	}
	if h := s.Helm; h != nil {
		validateArgoCDHelm(h, childPath(path, "helm"), p)
	}
	if k := s.Kustomize; k != nil {
		kPath := childPath(path, "kustomize")
		switch {
		case s.Helm != nil:
			p.report(path, "set helm or kustomize, not both: a source is one or the other")
		case s.Chart != "":
			p.report(kPath, "applies to a directory (path), not to a chart")
		}
		for j, image := range k.Images {
			if strings.TrimSpace(image) == "" || strings.ContainsAny(image, " \t\n") {
				p.report(indexPath(childPath(kPath, "images"), j), "%s is not an image override: write e.g. nginx=nginx:1.27 or ghcr.io/acme/app:v2", quoteShort(image))
			}
		}
		checkLabels(k.CommonLabels, childPath(kPath, "commonLabels"), p)
	}
}

func validateArgoCDHelm(h *ArgoCDHelm, path string, p *problems) {
	if h.ReleaseName != "" {
		if msg := checkReleaseName(h.ReleaseName); msg != "" {
			p.report(childPath(path, "releaseName"), "%s", msg)
		}
	}
	for j, f := range h.ValueFiles {
		if strings.TrimSpace(f) == "" {
			p.report(indexPath(childPath(path, "valueFiles"), j), "is empty: name a values file in the repository")
		}
	}
	if msg := checkValuesDocument(h.Values); msg != "" {
		p.report(childPath(path, "values"), "%s", msg)
	}
	for _, k := range sortedKeys(h.Parameters) {
		if strings.TrimSpace(k) == "" || strings.ContainsAny(k, " \t\n=") {
			p.report(keyPath(childPath(path, "parameters"), k), "%s is not a value's path: write e.g. image.tag", quoteShort(k))
		}
	}
}

// checkValuesDocument checks that values, when set, is a YAML mapping, read
// as Argo CD and Helm read it.
func checkValuesDocument(values string) string {
	if strings.TrimSpace(values) == "" {
		return ""
	}
	var doc any
	if err := sigsyaml.Unmarshal([]byte(values), &doc); err != nil {
		return fmt.Sprintf("is not a YAML document: %v", err)
	}
	if _, ok := doc.(map[string]any); !ok && doc != nil {
		return "must be a YAML mapping of values (write it as a block: values: |), not a single value or a list"
	}
	return ""
}

// validateHelmApp checks a helm app; appName is the release's default.
func validateHelmApp(h *HelmApp, appName, path string, p *problems) {
	switch {
	case strings.TrimSpace(h.Chart) == "":
		p.report(childPath(path, "chart"), "is required: a chart directory or .tgz on this machine, or a chart's name in repository")
	case h.Repository != "" && strings.Contains(h.Chart, "/"):
		p.report(childPath(path, "chart"), "with repository, is the chart's name in it (e.g. postgresql), not a path")
	}
	if h.Repository != "" {
		if msg := checkURL(h.Repository, "https", "http", "oci"); msg != "" {
			p.report(childPath(path, "repository"), "%s", msg)
		}
	} else if h.Version != "" {
		p.report(childPath(path, "version"), "picks a chart from repository: a chart on this machine has its own version; remove version or set repository")
	}
	switch msg := checkReleaseName(h.Release); {
	case msg == "":
	case h.Release == appName && checkName(appName) != "":
		// The app's name, already reported.
	case h.Release == appName:
		p.report(childPath(path, "release"), "%s: the app's name is the default release name; set a shorter release", msg)
	default:
		p.report(childPath(path, "release"), "%s", msg)
	}
	for j, f := range h.ValuesFiles {
		if strings.TrimSpace(f) == "" {
			p.report(indexPath(childPath(path, "valuesFiles"), j), "is empty: name a values file")
		}
	}
}

// checkReleaseName checks a Helm release name: a DNS-1123 label Helm caps
// at 53 characters.
func checkReleaseName(s string) string {
	if msg := checkName(s); msg != "" {
		return msg
	}
	if len(s) > maxReleaseLength {
		return fmt.Sprintf("must be at most %d characters (Helm's limit for a release name), not %d", maxReleaseLength, len(s))
	}
	return ""
}
