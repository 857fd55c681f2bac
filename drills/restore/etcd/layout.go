package etcd

import "strings"

// The key layout of kube-apiserver: PREFIX/SEGMENT/NAMESPACE/NAME for
// namespaced objects and PREFIX/SEGMENT/NAME for cluster-scoped ones. For
// the built-in API groups SEGMENT is the resource alone (deployments are
// /registry/deployments/..., not /registry/apps/deployments/...), with a few
// historical exceptions; for every other group (custom resources, served by
// the apiextensions server) it is GROUP/RESOURCE.

// segmentOverrides are the built-in resources kept under another name.
var segmentOverrides = map[groupResource]string{
	{"", "nodes"}:                                         "minions",
	{"", "replicationcontrollers"}:                        "controllers",
	{"", "services"}:                                      "services/specs",
	{"", "endpoints"}:                                     "services/endpoints",
	{"networking.k8s.io", "ingresses"}:                    "ingress",
	{"extensions", "ingresses"}:                           "ingress",
	{"policy", "podsecuritypolicies"}:                     "podsecuritypolicy",
	{"apiextensions.k8s.io", "customresourcedefinitions"}: "apiextensions.k8s.io/customresourcedefinitions",
	{"apiregistration.k8s.io", "apiservices"}:             "apiregistration.k8s.io/apiservices",
}

// builtinGroups are the API groups kube-apiserver serves itself.
var builtinGroups = map[string]bool{
	"": true, "apps": true, "batch": true, "autoscaling": true, "policy": true, "extensions": true,
	"admissionregistration.k8s.io": true, "apiextensions.k8s.io": true, "apiregistration.k8s.io": true,
	"authentication.k8s.io": true, "authorization.k8s.io": true, "certificates.k8s.io": true,
	"coordination.k8s.io": true, "discovery.k8s.io": true, "events.k8s.io": true,
	"flowcontrol.apiserver.k8s.io": true, "internal.apiserver.k8s.io": true, "networking.k8s.io": true,
	"node.k8s.io": true, "rbac.authorization.k8s.io": true, "resource.k8s.io": true,
	"scheduling.k8s.io": true, "storage.k8s.io": true, "storagemigration.k8s.io": true,
}

type groupResource struct{ group, resource string }

// segment is where a resource's objects live under the prefix.
func segment(group, resource string) string {
	if s, ok := segmentOverrides[groupResource{group, resource}]; ok {
		return s
	}
	if builtinGroups[group] {
		return resource
	}
	return group + "/" + resource
}

// resourcePrefix is the key prefix of a resource's objects, in one
// namespace when namespace is set. It ends in "/", so that pods never
// counts podtemplates.
func resourcePrefix(prefix, group, resource, namespace string) string {
	p := strings.TrimSuffix(prefix, "/") + "/" + segment(group, resource) + "/"
	if namespace != "" {
		p += namespace + "/"
	}
	return p
}

// objectKey is the key of one object.
func objectKey(prefix, group, resource, namespace, name string) string {
	return resourcePrefix(prefix, group, resource, namespace) + name
}
