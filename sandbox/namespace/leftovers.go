package namespace

import (
	"context"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
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

// Kinds of leftovers.
const (
	KindNamespace   = "Namespace"
	KindApplication = "Application"
	KindAppProject  = "AppProject"
)

// Argo CD's resources, read with the dynamic client so that drill needs no
// Argo CD types to clean up.
var (
	applicationsGVR = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}
	appProjectsGVR  = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}
)

// CleanupOptions choose what Leftovers finds.
type CleanupOptions struct {
	// ArgoCDNamespace is where drill's Applications and AppProjects live;
	// default DefaultArgoCDNamespace.
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
	// Namespace is an Argo CD object's namespace; empty for namespaces.
	Namespace string    `json:"namespace,omitempty"`
	RunID     string    `json:"run"`
	Scenario  string    `json:"scenario,omitempty"`
	Why       string    `json:"why"`
	UID       types.UID `json:"uid"`
}

// Leftovers finds what drill runs left in the cluster: namespaces labelled
// managed-by=drill whose expiry has passed or whose heartbeat is older than
// StaleAfter (a retained namespace only by its expiry), and drill's Argo CD
// Applications and AppProjects whose run's namespace is gone or is itself a
// leftover; with All, everything drill made. Nothing without the
// managed-by=drill label is ever listed. Applications come first, then
// AppProjects, then namespaces: the order to remove them in.
func Leftovers(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface, now time.Time, opts CleanupOptions) ([]Leftover, error) {
	opts = opts.withDefaults()
	selector := drillSelector(opts.RunID)
	nsList, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, fmt.Errorf("list drill's namespaces: %w", err)
	}
	var namespaces []Leftover
	runNamespace := map[string]*Leftover{} // run id → its namespace, nil when it is live
	for i := range nsList.Items {
		ns := &nsList.Items[i]
		run := ns.Labels[kube.LabelRunID]
		why := namespaceWhy(ns, now, opts)
		if why == "" {
			if _, seen := runNamespace[run]; !seen {
				runNamespace[run] = nil
			}
			continue
		}
		l := Leftover{Kind: KindNamespace, Name: ns.Name, RunID: run, Scenario: ns.Labels[kube.LabelScenario], Why: why, UID: ns.UID}
		namespaces = append(namespaces, l)
		if _, seen := runNamespace[run]; !seen {
			runNamespace[run] = &l
		}
	}
	var argo []Leftover
	for _, r := range []struct {
		kind string
		gvr  schema.GroupVersionResource
	}{{KindApplication, applicationsGVR}, {KindAppProject, appProjectsGVR}} {
		list, err := dyn.Resource(r.gvr).Namespace(opts.ArgoCDNamespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
		if apierrors.IsNotFound(err) {
			continue // Argo CD is not installed: nothing of it to clean up
		}
		if err != nil {
			return nil, fmt.Errorf("list drill's Argo CD %ss in namespace %s: %w", r.kind, opts.ArgoCDNamespace, err)
		}
		for i := range list.Items {
			if l, ok := argoLeftover(r.kind, &list.Items[i], runNamespace, opts); ok {
				argo = append(argo, l)
			}
		}
	}
	sortLeftovers(namespaces)
	return append(argo, namespaces...), nil
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

// namespaceWhy says why ns is a leftover, or "" when its run is alive (or
// it was kept and has not expired).
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
	switch {
	case o.All:
		return "--all"
	case o.RunID != "":
		return "run named by --run"
	}
	return ""
}

// argoLeftover decides about one of drill's Argo CD objects: a leftover when
// its run's namespace is gone or is one.
func argoLeftover(kind string, obj *unstructured.Unstructured, runNamespace map[string]*Leftover, o CleanupOptions) (Leftover, bool) {
	run := obj.GetLabels()[kube.LabelRunID]
	l := Leftover{Kind: kind, Name: obj.GetName(), Namespace: obj.GetNamespace(), RunID: run, Scenario: obj.GetLabels()[kube.LabelScenario], UID: obj.GetUID()}
	ns, seen := runNamespace[run]
	switch {
	case !seen:
		l.Why = "its run's namespace is gone"
	case ns != nil:
		l.Why = fmt.Sprintf("its run's namespace %s is a leftover", ns.Name)
	case o.All:
		l.Why = "--all"
	case o.RunID != "":
		l.Why = "run named by --run"
	default:
		return l, false
	}
	return l, true
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
