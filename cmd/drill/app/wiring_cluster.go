package app

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/drills/gitops/argocd"
	"github.com/restore-drill/drill/drills/gitops/bootstrap"
	"github.com/restore-drill/drill/drills/gitops/helm"
	"github.com/restore-drill/drill/drills/restore/cnpg"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/namespace"
	"github.com/restore-drill/drill/scenarios"
)

// namespaceProvider builds the namespace sandbox of a scenario: the cluster
// from --kubeconfig/--context/KUBECONFIG, the in-cluster PostgreSQL target
// of each restore.
func namespaceProvider(sc *scenarios.Scenario, f *clusterFlags, log io.Writer) (sandbox.Provider, error) {
	cfg, _, err := kube.Load(f.kubeconfig, f.context)
	if err != nil {
		return nil, err
	}
	ns := sc.Sandbox.Namespace
	opts := namespace.Options{
		Config:   cfg,
		Prefix:   ns.Prefix,
		TTL:      ns.TTL,
		Isolate:  ns.Isolate,
		Quota:    ns.Quota,
		Targets:  restoreTargets(sc),
		Progress: log,
	}
	if lr := ns.LimitRange; lr != nil {
		opts.LimitRange = &namespace.LimitRange{DefaultRequest: lr.DefaultRequest, Default: lr.Default}
	}
	return namespace.NewProvider(opts), nil
}

// restoreTargets are the in-cluster PostgreSQL targets of the scenario's
// restores, by restore name, for any cluster sandbox.
func restoreTargets(sc *scenarios.Scenario) map[string]namespace.Target {
	targets := map[string]namespace.Target{}
	for _, r := range sc.Restores {
		if r.CNPG != nil {
			// Checks reach the recovered Cluster through its -rw Service.
			targets[r.Name] = cnpg.Target(r.Name, r.CNPG)
		}
		if r.Postgres == nil || r.Postgres.Target == nil {
			continue
		}
		t := r.Postgres.Target
		targets[r.Name] = namespace.Target{
			Service: t.Service, Selector: t.Selector, Address: t.Address, Namespace: t.Namespace, Port: t.Port,
			Secret: t.Secret, UserKey: t.UserKey, PasswordKey: t.PasswordKey,
			UserEnv: t.UserEnv, PasswordEnv: t.PasswordEnv, User: t.User,
			ReadyTimeout: t.ReadyTimeout,
		}
	}
	return targets
}

// clusterOptions adds to a run's options what a cluster sandbox needs: the
// apps' deployers and the cluster checks.
func clusterOptions(o *drills.Options, sc *scenarios.Scenario, f *clusterFlags, diagnostics string, log io.Writer) error {
	if sc.Sandbox.Kind == scenarios.SandboxLocal {
		if f.retain {
			// Not an error: one scheduled job may run local and cluster
			// scenarios with the same flags.
			fmt.Fprintf(log, "note: --retain keeps cluster sandboxes; scenario %s's local sandbox is removed as always\n", sc.Name)
		}
		return nil
	}
	o.Retain = f.retain
	o.DiagnosticsDir = diagnostics
	o.ClusterChecks = clusterCheckFor
	argo, err := f.argoOptions()
	if err != nil {
		return err
	}
	if needsArgoCD(sc) {
		maskInGitHub(log, argo.AuthToken)
		if argo.ServerAddr == "" && !argo.PortForward {
			return usageError{fmt.Errorf("scenario %s brings apps up with Argo CD: set --argocd-server (or ARGOCD_SERVER) and ARGOCD_AUTH_TOKEN, or --argocd-port-forward", sc.Name)}
		}
	}
	o.Apps = func(a scenarios.App) (gitops.Deployer, error) { return deployerFor(a, argo) }
	if b := sc.Bootstrap; b != nil {
		bo, err := bootstrapOptions(b, log)
		if err != nil {
			return err
		}
		o.Platform = func(*scenarios.Bootstrap) (gitops.Platform, error) { return bootstrap.New(bo), nil }
	}
	return nil
}

func needsArgoCD(sc *scenarios.Scenario) bool {
	for _, a := range sc.Apps {
		if a.ArgoCD != nil {
			return true
		}
	}
	return false
}

func (f *clusterFlags) argoOptions() (argocd.Options, error) {
	token, err := f.argoToken()
	if err != nil {
		return argocd.Options{}, err
	}
	o := argocd.Options{
		ServerAddr:  f.argoServer,
		AuthToken:   token,
		PlainText:   f.argoPlainText,
		Insecure:    f.argoInsecure,
		GRPCWeb:     f.argoGRPCWeb,
		PortForward: f.argoPortForward,
		Kubeconfig:  f.kubeconfig,
		Context:     f.context,
		Namespace:   f.argoNamespace,
	}
	if f.argoPortForward {
		// Argo CD's client port-forwards whenever this is set.
		o.PortForwardNamespace = f.argoNamespace
	}
	return o, nil
}

// deployerFor builds the deployer of one app.
func deployerFor(a scenarios.App, argo argocd.Options) (gitops.Deployer, error) {
	switch {
	case a.ArgoCD != nil:
		return argocd.New(argo, argoApp(a)), nil
	case a.Helm != nil:
		h := a.Helm
		return helm.New(helm.Options{}, helm.App{
			Name: a.Name, Chart: h.Chart, Repository: h.Repository, Version: h.Version,
			Release: h.Release, Values: h.Values, ValuesFiles: h.ValuesFiles,
		}), nil
	}
	return nil, fmt.Errorf("app %s: this drill cannot bring up %s apps", a.Name, a.Kind())
}

func argoApp(a scenarios.App) argocd.App {
	app := argocd.App{Name: a.Name, FromApplication: a.ArgoCD.FromApplication, Revision: a.ArgoCD.Revision}
	if s := a.ArgoCD.Source; s != nil {
		app.Source = &argocd.Source{RepoURL: s.RepoURL, Path: s.Path, Chart: s.Chart, Revision: s.Revision}
		if h := s.Helm; h != nil {
			app.Source.Helm = &argocd.Helm{ReleaseName: h.ReleaseName, ValueFiles: h.ValueFiles, Values: h.Values, Parameters: h.Parameters}
		}
		if k := s.Kustomize; k != nil {
			app.Source.Kustomize = &argocd.Kustomize{NamePrefix: k.NamePrefix, NameSuffix: k.NameSuffix, Images: k.Images, CommonLabels: k.CommonLabels}
		}
	}
	return app
}

// diagnosticsDir is where diagnostics go: the flag's directory, else
// beside the scenario's records in a directory store (STORE/SCENARIO/
// diagnostics), else ./drill-diagnostics.
func diagnosticsDir(flag, store, scenario string) string {
	switch {
	case flag != "":
		return flag
	case isDatabaseURL(store):
		return "drill-diagnostics"
	}
	return filepath.Join(store, scenario, "diagnostics")
}
