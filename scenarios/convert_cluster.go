package scenarios

import (
	"maps"
	"slices"
	"strings"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// The conversions of the namespace sandbox, its apps, in-cluster restores
// and cluster checks. Defaults are already set (v1alpha1.SetDefaults).

func convertNamespace(in *v1alpha1.NamespaceSandbox, path string, p *problems) *NamespaceSandbox {
	out := &NamespaceSandbox{
		Prefix:  in.Prefix,
		TTL:     convertDuration(in.TTL, childPath(path, "ttl"), p),
		Isolate: in.Isolate == nil || *in.Isolate,
		Quota:   quantities(in.Quota),
	}
	if lr := in.LimitRange; lr != nil {
		out.LimitRange = &LimitRange{
			DefaultRequest: quantities(lr.DefaultRequest),
			Default:        quantities(lr.Default),
		}
	}
	return out
}

func quantities(in map[string]v1alpha1.Quantity) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = string(v)
	}
	return out
}

func convertApp(in v1alpha1.App, file, path string, p *problems) App {
	out := App{
		Name:    in.Name,
		Timeout: convertDuration(in.Timeout, childPath(path, "timeout"), p),
	}
	if a := in.ArgoCD; a != nil {
		out.ArgoCD = &ArgoCDApp{FromApplication: a.FromApplication, Revision: a.Revision}
		if src := a.Source; src != nil {
			out.ArgoCD.Source = convertArgoCDSource(src)
		}
	}
	if h := in.Helm; h != nil {
		out.Helm = &HelmApp{
			Chart:      h.Chart,
			Repository: h.Repository,
			Version:    h.Version,
			Release:    h.Release,
			Values:     maps.Clone(h.Values),
		}
		if h.Repository == "" {
			// A chart on this machine, kept next to the scenario.
			out.Helm.Chart = localPath(file, h.Chart)
		}
		for _, f := range h.ValuesFiles {
			out.Helm.ValuesFiles = append(out.Helm.ValuesFiles, localPath(file, f))
		}
	}
	return out
}

func convertArgoCDSource(in *v1alpha1.ArgoCDSource) *ArgoCDSource {
	out := &ArgoCDSource{
		RepoURL:  in.RepoURL,
		Path:     in.Path,
		Chart:    in.Chart,
		Revision: in.Revision,
	}
	if h := in.Helm; h != nil {
		out.Helm = &ArgoCDHelm{
			ReleaseName: h.ReleaseName,
			ValueFiles:  slices.Clone(h.ValueFiles),
			Values:      h.Values,
			Parameters:  maps.Clone(h.Parameters),
		}
	}
	if k := in.Kustomize; k != nil {
		out.Kustomize = &ArgoCDKustomize{
			NamePrefix:   k.NamePrefix,
			NameSuffix:   k.NameSuffix,
			Images:       slices.Clone(k.Images),
			CommonLabels: maps.Clone(k.CommonLabels),
		}
	}
	return out
}

func convertTarget(in *v1alpha1.PostgresTarget, path string, p *problems) *PostgresTarget {
	out := &PostgresTarget{
		Service:      in.Service,
		Selector:     maps.Clone(in.Selector),
		Address:      in.Address,
		Namespace:    in.Namespace,
		Secret:       in.Secret,
		UserKey:      in.UserKey,
		PasswordKey:  in.PasswordKey,
		UserEnv:      in.UserEnv,
		PasswordEnv:  in.PasswordEnv,
		User:         in.User,
		ReadyTimeout: convertDuration(in.ReadyTimeout, childPath(path, "readyTimeout"), p),
	}
	if in.Port != nil {
		out.Port = *in.Port
	}
	return out
}

func convertJob(in *v1alpha1.JobRestore) *JobRestore {
	out := &JobRestore{
		Image:          in.Image,
		Command:        slices.Clone(in.Command),
		Args:           slices.Clone(in.Args),
		Env:            maps.Clone(in.Env),
		ServiceAccount: in.ServiceAccount,
		BackoffLimit:   in.BackoffLimit,
	}
	for _, e := range in.SecretEnv {
		out.SecretEnv = append(out.SecretEnv, SecretEnv{Name: e.Name, Secret: e.Secret, Key: e.Key})
	}
	return out
}

// convertClusterCheck converts the check kinds that read the cluster.
func convertClusterCheck(in v1alpha1.Check, out *Check) {
	if w := in.Workload; w != nil {
		out.Workload = &WorkloadCheck{Kind: w.Kind, Name: w.Name, Selector: maps.Clone(w.Selector)}
	}
	if a := in.ArgoCD; a != nil {
		out.ArgoCD = &ArgoCDCheck{App: a.App}
	}
	if h := in.HTTP; h != nil {
		out.HTTP = &HTTPCheck{
			Service:      h.Service,
			Port:         h.Port,
			Path:         h.Path,
			URL:          h.URL,
			BodyContains: h.BodyContains,
		}
		if h.Status != nil {
			out.HTTP.Status = *h.Status
		}
	}
	if e := in.Exists; e != nil {
		out.Exists = &ExistsCheck{}
		for _, o := range e.Objects {
			out.Exists.Objects = append(out.Exists.Objects, ObjectRef{APIVersion: o.APIVersion, Kind: o.Kind, Name: o.Name})
		}
	}
}

// localPath is relativeTo for a path that is written; a blank one is left
// for validation to report.
func localPath(file, path string) string {
	if strings.TrimSpace(path) == "" {
		return path
	}
	return relativeTo(file, path)
}
