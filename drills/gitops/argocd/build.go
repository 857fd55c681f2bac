package argocd

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// maxNameLen keeps an Application's name usable as a label value: Argo CD
// tracks the objects it applies by the app's name in a label.
const maxNameLen = 63

// syncOptionCreateNamespace is dropped from a copied Application: the
// sandbox's namespace exists, and drill never lets Argo CD create another.
const syncOptionCreateNamespace = "CreateNamespace=true"

// plan is what Up creates: one AppProject and one Application in it.
type plan struct {
	App       string // the Application's name
	Project   string
	Namespace string // the sandbox's
	Labels    map[string]string
	Source    *v1alpha1.ApplicationSource
	Sources   v1alpha1.ApplicationSources
	// Copied from an existing Application: what it needs to compare as
	// Synced (ignored differences) and how it is applied.
	IgnoreDifferences v1alpha1.IgnoreDifferences
	SyncOptions       v1alpha1.SyncOptions
}

// applicationName is <namespace>-<app>, shortened to maxNameLen with a
// hash of the whole name so that two long names stay apart.
func applicationName(namespace, app string) string {
	return shorten(namespace+"-"+app, maxNameLen)
}

// projectName is the sandbox's temporary AppProject.
func projectName(namespace string) string { return "drill-" + namespace }

func shorten(name string, max int) string {
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	suffix := hex.EncodeToString(sum[:])[:8]
	head := strings.TrimRight(name[:max-len(suffix)-1], "-.")
	return head + "-" + suffix
}

// inlineSource turns a Source into Argo CD's; revision, when set, wins.
func inlineSource(s Source, revision string) *v1alpha1.ApplicationSource {
	out := &v1alpha1.ApplicationSource{
		RepoURL:        s.RepoURL,
		Path:           s.Path,
		Chart:          s.Chart,
		TargetRevision: s.Revision,
	}
	if revision != "" {
		out.TargetRevision = revision
	}
	if h := s.Helm; h != nil {
		out.Helm = &v1alpha1.ApplicationSourceHelm{
			ReleaseName: h.ReleaseName,
			ValueFiles:  slices.Clone(h.ValueFiles),
			Values:      h.Values,
		}
		for _, k := range slices.Sorted(maps.Keys(h.Parameters)) {
			out.Helm.Parameters = append(out.Helm.Parameters, v1alpha1.HelmParameter{Name: k, Value: h.Parameters[k]})
		}
	}
	if k := s.Kustomize; k != nil {
		out.Kustomize = &v1alpha1.ApplicationSourceKustomize{
			NamePrefix:   k.NamePrefix,
			NameSuffix:   k.NameSuffix,
			CommonLabels: maps.Clone(k.CommonLabels),
		}
		for _, img := range k.Images {
			out.Kustomize.Images = append(out.Kustomize.Images, v1alpha1.KustomizeImage(img))
		}
	}
	return out
}

// copySources fills p's sources from an existing Application: its source or
// sources, each with revision as target revision when set, and what decides
// how it compares and applies. Its destination, project and sync policy
// are not copied: those are the sandbox's.
func copySources(p *plan, from *v1alpha1.Application, revision string) {
	spec := from.Spec.DeepCopy()
	if spec.Source != nil {
		p.Source = spec.Source
		if revision != "" {
			p.Source.TargetRevision = revision
		}
	}
	p.Sources = spec.Sources
	for i := range p.Sources {
		if revision != "" {
			p.Sources[i].TargetRevision = revision
		}
	}
	p.IgnoreDifferences = spec.IgnoreDifferences
	if spec.SyncPolicy != nil {
		for _, o := range spec.SyncPolicy.SyncOptions {
			if o != syncOptionCreateNamespace {
				p.SyncOptions = append(p.SyncOptions, o)
			}
		}
	}
}

// repoURLs are the repositories the project must allow, once each.
func (p plan) repoURLs() []string {
	var urls []string
	if p.Source != nil {
		urls = append(urls, p.Source.RepoURL)
	}
	for _, s := range p.Sources {
		urls = append(urls, s.RepoURL)
	}
	slices.Sort(urls)
	return slices.Compact(urls)
}

func (p plan) destination(opts Options) v1alpha1.ApplicationDestination {
	return v1alpha1.ApplicationDestination{Server: opts.DestinationServer, Namespace: p.Namespace}
}

// project allows p's repositories, only the sandbox's namespace, every
// namespaced kind and no cluster-scoped kind (an empty whitelist).
func (p plan) project(opts Options) *v1alpha1.AppProject {
	return &v1alpha1.AppProject{
		ObjectMeta: metav1.ObjectMeta{Name: p.Project, Namespace: opts.Namespace, Labels: maps.Clone(p.Labels)},
		Spec: v1alpha1.AppProjectSpec{
			Description:                "drill: temporary project of sandbox " + p.Namespace + "; only that namespace, no cluster-scoped objects",
			SourceRepos:                p.repoURLs(),
			Destinations:               []v1alpha1.ApplicationDestination{p.destination(opts)},
			ClusterResourceWhitelist:   []metav1.GroupKind{},
			NamespaceResourceWhitelist: []metav1.GroupKind{{Group: "*", Kind: "*"}},
		},
	}
}

// application is synced by drill alone (no automated sync), and carries
// Argo CD's resources finalizer so that deleting it deletes what it
// applied.
func (p plan) application(opts Options) *v1alpha1.Application {
	app := &v1alpha1.Application{
		ObjectMeta: metav1.ObjectMeta{
			Name:       p.App,
			Namespace:  opts.Namespace,
			Labels:     maps.Clone(p.Labels),
			Finalizers: []string{v1alpha1.ResourcesFinalizerName},
		},
		Spec: v1alpha1.ApplicationSpec{
			Source:            p.Source,
			Sources:           p.Sources,
			Destination:       p.destination(opts),
			Project:           p.Project,
			IgnoreDifferences: p.IgnoreDifferences,
		},
	}
	if len(p.SyncOptions) > 0 {
		app.Spec.SyncPolicy = &v1alpha1.SyncPolicy{SyncOptions: p.SyncOptions}
	}
	return app
}
