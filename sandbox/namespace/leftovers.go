package namespace

import (
	"context"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox/kube"
)

// Defaults of CleanupOptions.
const (
	DefaultArgoCDNamespace = "argocd"
	// DefaultStaleAfter is how old a heartbeat may be before its run is
	// taken for gone: six missed renewals.
	DefaultStaleAfter = 3 * time.Minute
)

// CleanupOptions choose what Leftovers finds.
type CleanupOptions struct {
	// ArgoCDNamespace is where drill's Applications, AppProjects and
	// repository Secrets live; default DefaultArgoCDNamespace.
	ArgoCDNamespace string
	// All takes everything drill made for a leftover, live runs' too.
	All bool
	// RunID, when set, limits the search to that run, and takes its
	// objects for leftovers whatever their age (a person named the run).
	RunID string
	// StaleAfter is how old a heartbeat may be; default DefaultStaleAfter.
	StaleAfter time.Duration
}

// Leftover is one object that drill cleanup would remove.
type Leftover struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Namespace is a namespaced object's namespace; empty for namespaces
	// and other cluster-scoped objects.
	Namespace string    `json:"namespace,omitempty"`
	RunID     string    `json:"run"`
	Scenario  string    `json:"scenario,omitempty"`
	Why       string    `json:"why"`
	UID       types.UID `json:"uid"`
}

// Leftovers finds what drill runs left in the cluster. A run's own sandbox
// namespace (the one with a heartbeat and an expiry) is a leftover once its
// expiry has passed or its heartbeat is older than StaleAfter (a retained
// one only by its expiry). Everything else a run labelled is judged by its
// run: the namespaces a rebuild's child apps made and a Helm install of
// Argo CD made, drill's Applications (a rebuild's root among them),
// AppProjects and repository Secrets in Argo CD's namespace, and the
// CustomResourceDefinitions, ClusterRoles and ClusterRoleBindings of a Helm
// install. They are leftovers when their run's own namespace is one, or is
// gone and they are older than StaleAfter; they stay while it lives. With
// All, everything drill made is a leftover; with RunID, everything of that
// run. Nothing without the managed-by=drill label (and, with RunID, that
// run's label) is ever listed.
//
// The order is the order to remove them in: Applications first, while Argo
// CD still runs to cascade a root's deletion to its children, then
// AppProjects, Secrets, the cluster-scoped objects, and namespaces last:
// a Helm release's cluster-scoped objects are known to be drill's only
// through the namespace drill made for the release (see
// drillNamespaces.marked), so they go while it is there.
func Leftovers(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface, now time.Time, opts CleanupOptions) ([]Leftover, error) {
	opts = opts.withDefaults()
	selector := drillSelector(opts.RunID)
	nsList, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, fmt.Errorf("list drill's namespaces: %w", err)
	}
	runs := judgeRuns(nsList.Items, now, opts)
	drills := drillNamespaces{}
	for _, ns := range nsList.Items {
		drills[ns.Name] = ns.Labels[kube.LabelRunID]
	}
	var namespaces []Leftover
	for i := range nsList.Items {
		ns := &nsList.Items[i]
		run := ns.Labels[kube.LabelRunID]
		var why string
		if isRunsOwn(ns) {
			why = namespaceWhy(ns, now, opts)
		} else {
			why = runs.why(run, ns.CreationTimestamp.Time)
		}
		if why != "" {
			namespaces = append(namespaces, Leftover{Kind: KindNamespace, Name: ns.Name, RunID: run, Scenario: ns.Labels[kube.LabelScenario], Why: why, UID: ns.UID})
		}
	}
	sortLeftovers(namespaces)
	var before, after []Leftover
	for _, k := range labelledKinds {
		found, err := labelledLeftovers(ctx, dyn, k, opts, runs, drills)
		if err != nil {
			return nil, err
		}
		if k.namespaced {
			before = append(before, found...)
		} else {
			after = append(after, found...)
		}
	}
	out := append(before, after...)
	return append(out, namespaces...), nil
}

func (o CleanupOptions) withDefaults() CleanupOptions {
	if o.ArgoCDNamespace == "" {
		o.ArgoCDNamespace = DefaultArgoCDNamespace
	}
	if o.StaleAfter == 0 {
		o.StaleAfter = DefaultStaleAfter
	}
	return o
}

// drillSelector selects what drill made, or one run's share of it.
func drillSelector(runID string) string {
	set := labels.Set{kube.LabelManagedBy: kube.ManagedBy}
	if runID != "" {
		set[kube.LabelRunID] = runID
	}
	return labels.SelectorFromSet(set).String()
}

// isRunsOwn says whether ns is a run's own sandbox namespace, which tells
// whether the run lives, rather than one the run labelled for teardown.
func isRunsOwn(ns *corev1.Namespace) bool {
	_, heartbeat := ns.Annotations[kube.AnnotationHeartbeat]
	_, expires := ns.Annotations[kube.AnnotationExpires]
	return heartbeat || expires
}

// namespaceWhy says why a run's own namespace is a leftover, or "" when
// its run is alive (or it was kept and has not expired).
func namespaceWhy(ns *corev1.Namespace, now time.Time, o CleanupOptions) string {
	if at, ok := annotationTime(ns.Annotations, kube.AnnotationExpires); ok && !now.Before(at) {
		return fmt.Sprintf("expired %s ago", age(now, at))
	}
	_, retained := ns.Annotations[kube.AnnotationRetained]
	if !retained {
		if hb, ok := annotationTime(ns.Annotations, kube.AnnotationHeartbeat); ok {
			if now.Sub(hb) > o.StaleAfter {
				return fmt.Sprintf("no heartbeat for %s: its run is gone", age(now, hb))
			}
		} else if now.Sub(ns.CreationTimestamp.Time) > o.StaleAfter {
			return fmt.Sprintf("no heartbeat since it was made %s ago", age(now, ns.CreationTimestamp.Time))
		}
	}
	return o.named()
}

// named is why anything drill made is taken when a person asked for it.
func (o CleanupOptions) named() string {
	switch {
	case o.All:
		return "--all"
	case o.RunID != "":
		return "run named by --run"
	}
	return ""
}

func annotationTime(a map[string]string, key string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, a[key])
	return t, err == nil
}

// age is a rounded duration for people.
func age(now, then time.Time) time.Duration {
	d := now.Sub(then)
	if d > time.Hour {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}

func sortLeftovers(ls []Leftover) {
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Name < ls[j].Name })
}

// notServed says that a kind is not there to list: Argo CD not installed.
func notServed(err error) bool {
	return apierrors.IsNotFound(err)
}
