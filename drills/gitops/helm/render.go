package helm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// builtinClusterScoped are the cluster-scoped kinds of Kubernetes itself,
// known without asking a cluster.
var builtinClusterScoped = map[schema.GroupKind]bool{
	{Kind: "Namespace"}:        true,
	{Kind: "Node"}:             true,
	{Kind: "PersistentVolume"}: true,
	{Kind: "ComponentStatus"}:  true,
	{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole"}:                         true,
	{Group: "rbac.authorization.k8s.io", Kind: "ClusterRoleBinding"}:                  true,
	{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}:                 true,
	{Group: "apiregistration.k8s.io", Kind: "APIService"}:                             true,
	{Group: "storage.k8s.io", Kind: "StorageClass"}:                                   true,
	{Group: "storage.k8s.io", Kind: "CSIDriver"}:                                      true,
	{Group: "storage.k8s.io", Kind: "CSINode"}:                                        true,
	{Group: "storage.k8s.io", Kind: "VolumeAttachment"}:                               true,
	{Group: "scheduling.k8s.io", Kind: "PriorityClass"}:                               true,
	{Group: "node.k8s.io", Kind: "RuntimeClass"}:                                      true,
	{Group: "networking.k8s.io", Kind: "IngressClass"}:                                true,
	{Group: "certificates.k8s.io", Kind: "CertificateSigningRequest"}:                 true,
	{Group: "admissionregistration.k8s.io", Kind: "ValidatingWebhookConfiguration"}:   true,
	{Group: "admissionregistration.k8s.io", Kind: "MutatingWebhookConfiguration"}:     true,
	{Group: "admissionregistration.k8s.io", Kind: "ValidatingAdmissionPolicy"}:        true,
	{Group: "admissionregistration.k8s.io", Kind: "ValidatingAdmissionPolicyBinding"}: true,
	{Group: "flowcontrol.apiserver.k8s.io", Kind: "FlowSchema"}:                       true,
	{Group: "flowcontrol.apiserver.k8s.io", Kind: "PriorityLevelConfiguration"}:       true,
	{Group: "policy", Kind: "PodSecurityPolicy"}:                                      true,
}

// scopeFunc says whether a kind is cluster-scoped.
type scopeFunc func(schema.GroupVersionKind) bool

// clusterScope knows the built-in kinds and asks the cluster's discovery
// (mapper, nil when unreachable) about the others, custom resources
// included. A kind neither knows is taken as namespaced: the namespace
// check still applies to it, and the API server refuses what it does not
// serve.
func clusterScope(mapper meta.RESTMapper) scopeFunc {
	return func(gvk schema.GroupVersionKind) bool {
		if builtinClusterScoped[gvk.GroupKind()] {
			return true
		}
		if mapper == nil {
			return false
		}
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		return err == nil && m.Scope.Name() == meta.RESTScopeNameRoot
	}
}

// RefusedError is a chart that would create objects outside the sandbox.
type RefusedError struct {
	Namespace string
	// ClusterWide is a cluster-wide install (an Installer's), where only
	// objects in other namespaces are refused.
	ClusterWide bool
	// Objects names each refused object and why.
	Objects []string
}

func (e *RefusedError) Error() string {
	if e.ClusterWide {
		return fmt.Sprintf("the chart would create objects in namespaces other than its own %s, which drill refuses: %s; remove them from the chart or turn them off with values",
			e.Namespace, strings.Join(e.Objects, "; "))
	}
	return fmt.Sprintf("the chart would create objects outside the sandbox's namespace %s, which drill refuses: %s; remove them from the chart or turn them off with values",
		e.Namespace, strings.Join(e.Objects, "; "))
}

// check refuses every object that names a namespace other than namespace
// and, unless clusterWide, every cluster-scoped one.
func check(objs []*unstructured.Unstructured, namespace string, clusterScoped scopeFunc, clusterWide bool) error {
	refused := &RefusedError{Namespace: namespace, ClusterWide: clusterWide}
	for _, o := range objs {
		gvk := o.GroupVersionKind()
		switch {
		case clusterScoped(gvk):
			if !clusterWide {
				refused.Objects = append(refused.Objects, fmt.Sprintf("%s %s is cluster-scoped", kindOf(gvk), o.GetName()))
			}
		case o.GetNamespace() != "" && o.GetNamespace() != namespace:
			refused.Objects = append(refused.Objects, fmt.Sprintf("%s %s names namespace %s", kindOf(gvk), o.GetName(), o.GetNamespace()))
		}
	}
	if len(refused.Objects) > 0 {
		return refused
	}
	return nil
}

func kindOf(gvk schema.GroupVersionKind) string {
	if gvk.Group == "" {
		return gvk.Kind
	}
	return gvk.Kind + "." + gvk.Group
}

// parseManifests reads a stream of YAML documents; empty ones are skipped.
func parseManifests(manifest string) ([]*unstructured.Unstructured, error) {
	dec := k8syaml.NewYAMLOrJSONDecoder(strings.NewReader(manifest), 4096)
	var objs []*unstructured.Unstructured
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return objs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parse the rendered chart: %w", err)
		}
		if len(m) == 0 {
			continue
		}
		objs = append(objs, &unstructured.Unstructured{Object: m})
	}
}

// sandboxRenderer is Helm's post-renderer: it refuses objects outside the
// sandbox (again at install, after the check on the dry run, since the
// install renders anew) and puts the run's labels on every object. Helm
// does not pass hooks through a post-renderer; Up checks them on the dry
// run.
type sandboxRenderer struct {
	namespace     string
	labels        map[string]string
	clusterScoped scopeFunc
	// clusterWide allows cluster-scoped objects (an Installer's CRDs and
	// ClusterRoles) and drops helm.sh/resource-policy: keep, so that
	// uninstalling the release removes everything it made: a drill's
	// install is thrown away whole.
	clusterWide bool
	// objects are what the last Run passed.
	objects []*unstructured.Unstructured
}

func (r *sandboxRenderer) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	objs, err := parseManifests(rendered.String())
	if err != nil {
		return nil, err
	}
	if err := check(objs, r.namespace, r.clusterScoped, r.clusterWide); err != nil {
		return nil, err
	}
	out := &bytes.Buffer{}
	for _, o := range objs {
		if r.clusterWide {
			dropKeepPolicy(o)
		}
		// The run's labels win over the chart's. Helm then sets its own
		// app.kubernetes.io/managed-by=Helm on every object it installs,
		// after this, so in a Helm release the run's id and scenario are
		// what mark an object as the run's.
		withLabels(o, r.labels)
		b, err := yaml.Marshal(o.Object)
		if err != nil {
			return nil, fmt.Errorf("write %s %s back: %w", o.GetKind(), o.GetName(), err)
		}
		out.WriteString("---\n")
		out.Write(b)
	}
	r.objects = objs
	return out, nil
}

// resourcePolicy is Helm's annotation that keeps an object at uninstall
// (the argo-cd chart sets it on its CRDs).
const resourcePolicy = "helm.sh/resource-policy"

func dropKeepPolicy(o *unstructured.Unstructured) {
	a := o.GetAnnotations()
	if _, ok := a[resourcePolicy]; !ok {
		return
	}
	delete(a, resourcePolicy)
	o.SetAnnotations(a)
}
