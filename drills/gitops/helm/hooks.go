package helm

import (
	"context"

	"helm.sh/helm/v3/pkg/release"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// hookObject is an object a hook of the release made. Helm passes hooks
// through no post-renderer, and at uninstall leaves those whose delete
// policy kept them (the argo-cd chart's redis-secret-init Job and its RBAC
// stay until the next upgrade), cluster-scoped ones included: Uninstall
// removes them itself.
type hookObject struct {
	gvk       schema.GroupVersionKind
	namespace string
	name      string
}

// ranHooks are the objects of rel's hooks that Helm ran: those not run
// never made anything, and an object of that name may be someone else's.
func ranHooks(rel *release.Release) []hookObject {
	if rel == nil {
		return nil
	}
	var out []hookObject
	for _, h := range rel.Hooks {
		if h.LastRun.StartedAt.IsZero() {
			continue
		}
		objs, err := parseManifests(h.Manifest)
		if err != nil {
			continue // Helm could not have created it either
		}
		for _, o := range objs {
			out = append(out, hookObject{gvk: o.GroupVersionKind(), namespace: o.GetNamespace(), name: o.GetName()})
		}
	}
	return out
}

// made resolves a hook's object through the cluster's kinds, in the
// release's namespace unless it names its own; false when its kind is no
// longer served (its CRD is gone, and the object with it).
func (h hookObject) made(mapper meta.RESTMapper, namespace string) (madeObject, bool) {
	m, err := mapper.RESTMapping(h.gvk.GroupKind(), h.gvk.Version)
	if err != nil {
		return madeObject{}, false
	}
	obj := madeObject{resource: m.Resource, kind: h.gvk.Kind, name: h.name}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		obj.namespace = namespace
		if h.namespace != "" {
			obj.namespace = h.namespace
		}
	}
	return obj, true
}

// removeHooks removes what the release's hooks left, and waits until it is
// gone.
func (in *installer) removeHooks(ctx context.Context, hooks []hookObject) error {
	mapper, err := in.tg.getter.ToRESTMapper()
	if err != nil {
		return err
	}
	for _, h := range hooks {
		obj, ok := h.made(mapper, in.app.Namespace)
		if !ok {
			continue
		}
		if err := obj.remove(ctx, in.tg.dyn); err != nil {
			return err
		}
	}
	return nil
}
