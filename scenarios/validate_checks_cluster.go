package scenarios

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// checkKinds names the kinds a check sets, in the order of the Check*
// constants.
func checkKinds(c Check) []string {
	var kinds []string
	for _, k := range []struct {
		name string
		set  bool
	}{
		{CheckSQL, c.SQL != nil}, {CheckRPO, c.RPO != nil}, {CheckWorkload, c.Workload != nil},
		{CheckArgoCD, c.ArgoCD != nil}, {CheckHTTP, c.HTTP != nil}, {CheckExists, c.Exists != nil},
		{CheckCommand, c.Command != nil},
	} {
		if k.set {
			kinds = append(kinds, k.name)
		}
	}
	return kinds
}

// validateClusterChecks checks the kinds that read the sandbox's cluster;
// inCluster says whether there is one.
func validateClusterChecks(checks []Check, apps []App, bootstrap, inCluster bool, p *problems) {
	for i, c := range checks {
		path := indexPath("spec.checks", i)
		if len(checkKinds(c)) != 1 || !c.InCluster() || c.Command != nil {
			continue // no kind, several, sql and rpo: validateChecks'; command: validateCommandChecks'
		}
		kind := c.Kind()
		if !inCluster {
			p.report(childPath(path, kind), "reads a Kubernetes cluster: only in a namespace sandbox")
		}
		switch {
		case c.Workload != nil:
			validateWorkloadCheck(c.Workload, childPath(path, kind), p)
		case c.ArgoCD != nil:
			validateArgoCDCheck(c.ArgoCD, apps, bootstrap, childPath(path, kind), p)
		case c.HTTP != nil:
			validateHTTPCheck(c.HTTP, childPath(path, kind), p)
		case c.Exists != nil:
			validateExistsCheck(c.Exists, childPath(path, kind), p)
		}
	}
}

// Workload kinds whose rollout a workload check follows.
var workloadKinds = []string{"Deployment", "StatefulSet"}

func validateWorkloadCheck(w *WorkloadCheck, path string, p *problems) {
	byName := w.Kind != "" || w.Name != ""
	switch {
	case byName && len(w.Selector) > 0:
		p.report(path, "set kind and name, or selector, not both")
	case !byName && len(w.Selector) == 0:
		p.report(path, "set kind and name (a Deployment or StatefulSet) or selector (the labels of pods that must be ready)")
	case byName:
		switch {
		case w.Kind == "":
			p.report(childPath(path, "kind"), "is required with name: Deployment or StatefulSet")
		case !slices.Contains(workloadKinds, w.Kind):
			p.report(childPath(path, "kind"), "must be Deployment or StatefulSet, not %s: for other objects, use selector or an exists check", quoteShort(w.Kind))
		}
		switch msg := checkObjectName(w.Name); {
		case w.Name == "":
			p.report(childPath(path, "name"), "is required with kind: the %s's name", w.Kind)
		case msg != "":
			p.report(childPath(path, "name"), "%s", msg)
		}
	}
	checkLabels(w.Selector, childPath(path, "selector"), p)
}

// validateArgoCDCheck checks the app an argocd check reads: an argocd app
// of the scenario, or with a bootstrap also the root or a child, known only
// at run time.
func validateArgoCDCheck(c *ArgoCDCheck, apps []App, bootstrap bool, path string, p *problems) {
	var argocdApps []string
	for _, a := range apps {
		if a.ArgoCD != nil {
			argocdApps = append(argocdApps, a.Name)
		}
	}
	appPath := childPath(path, "app")
	if c.App == "" {
		p.report(appPath, "is required: the name of an app of the scenario brought up with argocd")
		return
	}
	for _, a := range apps {
		if a.Name == c.App && a.ArgoCD == nil {
			p.report(appPath, "app %s is brought up with %s, not argocd: check it with a workload check", quoteShort(c.App), a.Kind())
			return
		}
	}
	if bootstrap {
		if msg := checkName(c.App); msg != "" {
			p.report(appPath, "%s", msg)
		}
		return
	}
	if !slices.Contains(argocdApps, c.App) {
		p.report(appPath, "no argocd app is named %s: the argocd apps are %s", quoteShort(c.App), quotedList(argocdApps))
	}
}

func validateHTTPCheck(h *HTTPCheck, path string, p *problems) {
	switch {
	case h.Service != "" && h.URL != "":
		p.report(path, "set service or url, not both")
	case h.Service != "":
		if msg := checkServiceName(h.Service); msg != "" {
			p.report(childPath(path, "service"), "%s", msg)
		}
		switch msg := checkPort(h.Port); {
		case h.Port == 0:
			p.report(childPath(path, "port"), "is required with service: the Service's port")
		case msg != "":
			p.report(childPath(path, "port"), "%s", msg)
		}
		if !strings.HasPrefix(h.Path, "/") {
			p.report(childPath(path, "path"), "must start with '/', not %s", quoteShort(h.Path))
		}
	case h.URL != "":
		if msg := checkURL(h.URL, "http", "https"); msg != "" {
			p.report(childPath(path, "url"), "%s", msg)
		}
		if h.Port != 0 {
			p.report(childPath(path, "port"), "is for service: a URL carries its own port")
		}
		if h.Path != "" {
			p.report(childPath(path, "path"), "is for service: a URL carries its own path")
		}
	default:
		p.report(path, "set service (a Service in the sandbox, with port) or url (requested directly)")
	}
	if h.Status < 100 || h.Status > 599 {
		p.report(childPath(path, "status"), "must be an HTTP status code between 100 and 599 (got %d)", h.Status)
	}
}

// Kubernetes kinds are CamelCase; apiVersions are "v1" or "group/version".
var (
	kindPattern       = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	apiVersionPattern = regexp.MustCompile(`^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$`)
)

func validateExistsCheck(e *ExistsCheck, path string, p *problems) {
	objectsPath := childPath(path, "objects")
	if len(e.Objects) == 0 {
		p.report(objectsPath, "at least one object is required: apiVersion (for kinds that are not built in), kind and name")
	}
	for i, o := range e.Objects {
		item := indexPath(objectsPath, i)
		switch {
		case o.Kind == "":
			p.report(childPath(item, "kind"), "is required: the object's kind, e.g. ConfigMap")
		case !kindPattern.MatchString(o.Kind):
			p.report(childPath(item, "kind"), "%s is not a kind: kinds are CamelCase, e.g. ConfigMap", quoteShort(o.Kind))
		case o.APIVersion == "":
			p.report(childPath(item, "apiVersion"), "is required for kind %s, which drill does not know: write e.g. apiVersion: example.com/v1", o.Kind)
		case !apiVersionPattern.MatchString(o.APIVersion):
			p.report(childPath(item, "apiVersion"), "%s is not an apiVersion: write v1 or GROUP/VERSION, e.g. apps/v1", quoteShort(o.APIVersion))
		case v1alpha1.BuiltinAPIVersion(o.Kind) != "" && !strings.Contains(o.APIVersion, "/") && o.APIVersion != v1alpha1.BuiltinAPIVersion(o.Kind):
			p.report(childPath(item, "apiVersion"), "%s has no kind %s: write apiVersion: %s, or leave it out", o.APIVersion, o.Kind, v1alpha1.BuiltinAPIVersion(o.Kind))
		}
		if o.Name == "" {
			p.report(childPath(item, "name"), "is required: the object's name")
		} else if msg := checkPathSegmentName(o.Name); msg != "" {
			p.report(childPath(item, "name"), "%s", msg)
		}
	}
}

// checkPathSegmentName checks the loosest rule any object's name follows:
// it must be usable as one segment of an API path.
func checkPathSegmentName(s string) string {
	switch {
	case s == "." || s == "..":
		return fmt.Sprintf("%q is not an object name", s)
	case strings.ContainsAny(s, "/%"):
		return fmt.Sprintf("%s is not an object name: it may not contain '/' or '%%'", quoteShort(s))
	case len(s) > 253:
		return fmt.Sprintf("must be at most 253 characters, not %d", len(s))
	}
	return ""
}
