package namespace

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/restore-drill/drill/sandbox/kube"
)

// Kinds of leftovers.
const (
	KindNamespace          = "Namespace"
	KindApplication        = "Application"
	KindAppProject         = "AppProject"
	KindSecret             = "Secret"
	KindCRD                = "CustomResourceDefinition"
	KindClusterRole        = "ClusterRole"
	KindClusterRoleBinding = "ClusterRoleBinding"
)

// argoSecretType marks the Secrets Argo CD reads repositories from; drill's
// repository Secrets carry it besides the run's labels. Other Secrets of a
// run (Helm's release record) go with their namespace, or stay with the
// release when its namespace was there before.
const argoSecretType = "argocd.argoproj.io/secret-type"

// labelledKind is a kind that drill sweeps by its labels besides
// namespaces, read with the dynamic client so that drill needs no Argo CD
// types to clean up.
type labelledKind struct {
	kind string
	gvr  schema.GroupVersionResource
	// namespaced kinds are looked for in Argo CD's namespace only.
	namespaced bool
	// selector narrows drill's labels further.
	selector string
	// helm kinds may be a Helm release's: marked by Helm, not drill (see
	// drillNamespaces.marked).
	helm bool
}

// labelledKinds in the order to remove them in (see Leftovers).
var labelledKinds = []labelledKind{
	{kind: KindApplication, gvr: applicationsGVR, namespaced: true},
	{kind: KindAppProject, gvr: appProjectsGVR, namespaced: true},
	{kind: KindSecret, gvr: secretsGVR, namespaced: true, selector: argoSecretType},
	{kind: KindClusterRoleBinding, gvr: clusterRoleBindingsGVR, helm: true},
	{kind: KindClusterRole, gvr: clusterRolesGVR, helm: true},
	{kind: KindCRD, gvr: crdsGVR, helm: true},
}

var (
	applicationsGVR        = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}
	appProjectsGVR         = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}
	secretsGVR             = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
	clusterRoleBindingsGVR = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"}
	clusterRolesGVR        = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}
	crdsGVR                = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
)

// kindOf finds a labelled kind by its name.
func kindOf(kind string) (labelledKind, bool) {
	for _, k := range labelledKinds {
		if k.kind == kind {
			return k, true
		}
	}
	return labelledKind{}, false
}

// client is the kind's client, in namespace when it is namespaced.
func (k labelledKind) client(dyn dynamic.Interface, namespace string) dynamic.ResourceInterface {
	if k.namespaced {
		return dyn.Resource(k.gvr).Namespace(namespace)
	}
	return dyn.Resource(k.gvr)
}

// labelledLeftovers lists drill's objects of one kind and keeps those whose
// run is gone (or that a person asked for).
func labelledLeftovers(ctx context.Context, dyn dynamic.Interface, k labelledKind, opts CleanupOptions, runs runVerdicts, drills drillNamespaces) ([]Leftover, error) {
	selector := drillSelector(opts.RunID)
	if k.helm {
		selector = helmOrDrillSelector(opts.RunID)
	}
	if k.selector != "" {
		selector += "," + k.selector
	}
	list, err := k.client(dyn, opts.ArgoCDNamespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if notServed(err) {
		return nil, nil // Argo CD is not installed: nothing of it to clean up
	}
	where := ""
	if k.namespaced {
		where = " in namespace " + opts.ArgoCDNamespace
	}
	if err != nil {
		return nil, fmt.Errorf("list drill's %ss%s: %w", k.kind, where, err)
	}
	var out []Leftover
	for i := range list.Items {
		obj := &list.Items[i]
		if !drills.marked(obj) {
			continue
		}
		lbl := obj.GetLabels()
		run := lbl[kube.LabelRunID]
		why := runs.why(run, obj.GetCreationTimestamp().Time)
		if why == "" {
			continue
		}
		out = append(out, Leftover{Kind: k.kind, Name: obj.GetName(), Namespace: obj.GetNamespace(), RunID: run, Scenario: lbl[kube.LabelScenario], Why: why + helmReleaseOf(obj), UID: obj.GetUID()})
	}
	sortLeftovers(out)
	return out, nil
}

// helmOrDrillSelector selects objects marked by drill or by Helm that
// carry a run's id, or that run's; marked then keeps only drill's.
func helmOrDrillSelector(runID string) string {
	run := kube.LabelRunID
	if runID != "" {
		run += "=" + runID
	}
	return kube.LabelManagedBy + " in (" + kube.ManagedBy + "," + helmManagedBy + ")," + run
}
