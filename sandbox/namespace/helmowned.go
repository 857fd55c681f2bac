package namespace

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox/kube"
)

// Helm sets app.kubernetes.io/managed-by=Helm on every object of a release
// after drill's post-renderer labelled it, so the cluster-scoped objects
// of a release drill installed (Argo CD's ClusterRoles, its CRDs from
// templates) keep the run's id but lose drill's mark. drill takes such an
// object only when Helm's own annotation says its release lives in a
// namespace that carries drill's mark and the same run's id: a namespace
// drill made for that run. A release in a namespace drill did not make is
// never swept.
const (
	helmManagedBy            = "Helm"
	helmReleaseNamespaceNote = "meta.helm.sh/release-namespace"
	helmReleaseNameNote      = "meta.helm.sh/release-name"
)

// drillNamespaces maps the names of drill's namespaces to their run ids.
type drillNamespaces map[string]string

// marked says whether obj is drill's: drill's own mark, or Helm's on an
// object of a release in a namespace drill made for the same run.
func (d drillNamespaces) marked(obj *unstructured.Unstructured) bool {
	lbl := obj.GetLabels()
	switch lbl[kube.LabelManagedBy] {
	case kube.ManagedBy:
		return true
	case helmManagedBy:
		run, ok := d[obj.GetAnnotations()[helmReleaseNamespaceNote]]
		return ok && run != "" && run == lbl[kube.LabelRunID]
	}
	return false
}

// helmReleaseOf names the release of a Helm-marked object, for people.
func helmReleaseOf(obj *unstructured.Unstructured) string {
	if obj.GetLabels()[kube.LabelManagedBy] != helmManagedBy {
		return ""
	}
	a := obj.GetAnnotations()
	return fmt.Sprintf(" (Helm release %s in namespace %s)", a[helmReleaseNameNote], a[helmReleaseNamespaceNote])
}

// checkHelmRelease reads the namespace of a Helm-marked object's release
// again before the object is deleted: it must still carry drill's mark and
// the run's id.
func checkHelmRelease(ctx context.Context, cs kubernetes.Interface, obj *unstructured.Unstructured, l Leftover) error {
	name := obj.GetAnnotations()[helmReleaseNamespaceNote]
	refuse := fmt.Errorf("%s is Helm's, and its release's namespace %q is not one drill made for run %s: drill will not delete it", l.object(), name, l.RunID)
	if name == "" || cs == nil {
		return refuse
	}
	ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return refuse
	}
	if err != nil {
		return fmt.Errorf("read namespace %s, of the Helm release of %s, before deleting it: %w", name, l.object(), err)
	}
	if !(drillNamespaces{ns.Name: ns.Labels[kube.LabelRunID]}).marked(obj) || ns.Labels[kube.LabelManagedBy] != kube.ManagedBy {
		return refuse
	}
	return nil
}
