package drills

import (
	"fmt"
	"sort"
	"strings"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// PlannedApp is an app as it would be brought up.
type PlannedApp struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Source  string `json:"source"`
	Timeout string `json:"timeout"`
}

func planApp(a scenarios.App) PlannedApp {
	return PlannedApp{Name: a.Name, Kind: a.Kind(), Source: appSource(a), Timeout: results.FormatDuration(a.Timeout)}
}

// appSource says where an app comes from, in one line.
func appSource(a scenarios.App) string {
	switch {
	case a.ArgoCD != nil && a.ArgoCD.FromApplication != "":
		s := "a copy of Argo CD application " + a.ArgoCD.FromApplication
		if a.ArgoCD.Revision != "" {
			s += " at " + a.ArgoCD.Revision
		}
		return s
	case a.ArgoCD != nil && a.ArgoCD.Source != nil:
		src := a.ArgoCD.Source
		what := src.Path
		if src.Chart != "" {
			what = "chart " + src.Chart
		}
		return fmt.Sprintf("Argo CD from %s %s at %s", src.RepoURL, what, orHEAD(src.Revision))
	case a.Helm != nil:
		s := "Helm chart " + a.Helm.Chart
		if a.Helm.Repository != "" {
			s += " from " + a.Helm.Repository
		}
		if a.Helm.Version != "" {
			s += " " + a.Helm.Version
		}
		return s
	}
	return ""
}

func orHEAD(rev string) string {
	if rev == "" {
		return "HEAD"
	}
	return rev
}

// restoreTarget says where a restore's data goes, for the plan and progress.
func restoreTarget(r scenarios.Restore) string {
	if r.Job != nil {
		return "job " + r.Job.Image + " in the sandbox"
	}
	if r.Etcd != nil {
		return "a throwaway etcd of the run, keys under " + r.Etcd.Prefix
	}
	s := "database " + databaseOf(r)
	if r.CNPG != nil {
		s += " of a new CloudNativePG Cluster " + r.Name
	}
	if t := r.Postgres; t != nil && t.Target != nil {
		switch {
		case t.Target.Service != "":
			s += " on service " + t.Target.Service
		case len(t.Target.Selector) > 0:
			s += " on the pod " + selectorString(t.Target.Selector)
		case t.Target.Address != "":
			s += " at " + t.Target.Address
		}
		switch ns := t.Target.Namespace; {
		case ns != "" && t.Target.Address != "":
			s += ", credentials from namespace " + ns
		case ns != "":
			s += " in namespace " + ns
		}
	}
	if len(r.WaitFor) > 0 {
		s += ", once " + strings.Join(r.WaitFor, ", ") + " is up"
	}
	if r.WaitForPlatform {
		s += ", once the bootstrap has brought every app up"
	}
	return s
}

// clusterCheckWhat says what a cluster check proves, in one line.
func clusterCheckWhat(c scenarios.Check) (what, expect string) {
	switch {
	case c.Workload != nil && c.Workload.Name != "":
		return c.Workload.Kind + " " + c.Workload.Name, "rolled out: every replica updated, ready and available"
	case c.Workload != nil:
		return "pods " + selectorString(c.Workload.Selector), "at least one, all Ready"
	case c.ArgoCD != nil:
		return "app " + c.ArgoCD.App, "Synced + Healthy"
	case c.HTTP != nil:
		target := c.HTTP.URL
		if c.HTTP.Service != "" {
			target = fmt.Sprintf("GET %s on service %s:%d", c.HTTP.Path, c.HTTP.Service, c.HTTP.Port)
		}
		expect = fmt.Sprintf("status %d", c.HTTP.Status)
		if c.HTTP.BodyContains != "" {
			expect += fmt.Sprintf(", body contains %q", c.HTTP.BodyContains)
		}
		return target, expect
	case c.Exists != nil:
		var names []string
		for _, o := range c.Exists.Objects {
			names = append(names, o.Kind+"/"+o.Name)
		}
		return strings.Join(names, ", "), "present"
	}
	return "", ""
}

func selectorString(sel map[string]string) string {
	var parts []string
	for k, v := range sel {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}
