package v1alpha1

// App is an application brought up in the namespace sandbox. Exactly one of
// argocd and helm is set.
type App struct {
	// Name identifies the app in restores' waitFor, argocd checks and run
	// records: a DNS-1123 label, unique within the scenario. Required.
	Name string `json:"name" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=63"`
	// Timeout bounds bringing the app up: created, synced or installed, and
	// ready. Default: 10m.
	Timeout Duration `json:"timeout,omitempty" jsonschema:"default=10m"`
	// ArgoCD creates a temporary Argo CD Application whose destination is the
	// sandbox, in a temporary AppProject that allows only the sandbox and no
	// cluster-scoped objects, syncs it and waits until it is Synced and
	// Healthy. Both are deleted at teardown.
	ArgoCD *ArgoCDApp `json:"argocd,omitempty"`
	// Helm installs a chart into the sandbox, after checking that the
	// rendered manifests hold no cluster-scoped object and name no other
	// namespace. It is uninstalled at teardown.
	Helm *HelmApp `json:"helm,omitempty"`
}

// ArgoCDApp is a temporary Argo CD Application. Exactly one of
// fromApplication and source is set.
type ArgoCDApp struct {
	// FromApplication copies the source(s) of this existing Application, by
	// its name in Argo CD's namespace: the drill brings up exactly what
	// production runs, in the sandbox. The Application itself is only read.
	FromApplication string `json:"fromApplication,omitempty" jsonschema:"minLength=1,maxLength=253"`
	// Source is where the manifests come from, given here.
	Source *ArgoCDSource `json:"source,omitempty"`
	// Revision overrides the copied Application's targetRevision (a branch,
	// tag or commit). Only with fromApplication. Default: the Application's
	// own.
	Revision string `json:"revision,omitempty" jsonschema:"minLength=1"`
}

// ArgoCDSource is where an Application's manifests come from. Exactly one of
// path and chart is set.
type ArgoCDSource struct {
	// RepoURL is the git repository (or, with chart, the Helm chart
	// repository) as Argo CD knows it. Required.
	RepoURL string `json:"repoURL" jsonschema:"minLength=1"`
	// Path is the directory of the manifests (plain, Kustomize or a Helm
	// chart) in the git repository.
	Path string `json:"path,omitempty" jsonschema:"minLength=1"`
	// Chart is a chart's name in the Helm repository repoURL.
	Chart string `json:"chart,omitempty" jsonschema:"minLength=1"`
	// Revision is a branch, tag or commit of the git repository, or the
	// chart's version. Default: HEAD.
	Revision string `json:"revision,omitempty" jsonschema:"default=HEAD,minLength=1"`
	// Helm overrides the chart's values and release name.
	Helm *ArgoCDHelm `json:"helm,omitempty"`
	// Kustomize overrides a Kustomize directory's names, images and labels.
	// Only with path.
	Kustomize *ArgoCDKustomize `json:"kustomize,omitempty"`
}

// ArgoCDHelm are Helm overrides of an Argo CD source.
type ArgoCDHelm struct {
	// ReleaseName is the Helm release name. Default: the Application's name.
	ReleaseName string `json:"releaseName,omitempty" jsonschema:"minLength=1,maxLength=53"`
	// ValueFiles are values files in the repository, relative to path (or
	// the chart), applied in order. Default: none (the chart's values.yaml).
	ValueFiles []string `json:"valueFiles,omitempty" jsonschema:"minLength=1"`
	// Values is a YAML document of values, applied over valueFiles; write it
	// as a block (values: |). Default: none.
	Values string `json:"values,omitempty"`
	// Parameters set single values by their path, e.g.
	// {image.tag: "1.2.3", replicaCount: "1"}, over values. Values are
	// strings: quote numbers and booleans. Default: none.
	Parameters map[string]string `json:"parameters,omitempty"`
}

// ArgoCDKustomize are Kustomize overrides of an Argo CD source.
type ArgoCDKustomize struct {
	// NamePrefix is prepended to the name of every object. Default: none.
	NamePrefix string `json:"namePrefix,omitempty"`
	// NameSuffix is appended to the name of every object. Default: none.
	NameSuffix string `json:"nameSuffix,omitempty"`
	// Images override images, as kustomize edit set image takes them:
	// "nginx=nginx:1.27" or "ghcr.io/acme/app:v2". Default: none.
	Images []string `json:"images,omitempty" jsonschema:"minLength=1"`
	// CommonLabels are added to every object and selector. Default: none.
	CommonLabels map[string]string `json:"commonLabels,omitempty"`
}

// HelmApp installs a chart into the sandbox with Helm.
type HelmApp struct {
	// Chart is a chart directory or packaged chart (.tgz) on this machine; a
	// relative path is taken from the scenario file's directory. With
	// repository, it is the chart's name in that repository. Required.
	Chart string `json:"chart" jsonschema:"minLength=1"`
	// Repository is the chart repository: an https:// (or http://) chart
	// repository URL, or an oci:// registry. Default: none (chart is a local
	// path).
	Repository string `json:"repository,omitempty" jsonschema:"pattern=^(https?|oci)://"`
	// Version is the chart version to install from repository, or a semver
	// range. Only with repository. Default: the newest.
	Version string `json:"version,omitempty" jsonschema:"minLength=1"`
	// Release is the Helm release name: a DNS-1123 label of at most 53
	// characters. Default: the app's name.
	Release string `json:"release,omitempty" jsonschema:"pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,maxLength=53"`
	// Values are merged over the chart's values, after valuesFiles; any
	// YAML mapping, as in a values file. Default: none.
	Values map[string]any `json:"values,omitempty"`
	// ValuesFiles are values files on this machine, merged in order over the
	// chart's values; relative paths are taken from the scenario file's
	// directory. Default: none.
	ValuesFiles []string `json:"valuesFiles,omitempty" jsonschema:"minLength=1"`
}
