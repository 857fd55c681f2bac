package etcd

import "testing"

func TestResourcePrefix(t *testing.T) {
	tests := []struct {
		group, resource, namespace string
		want                       string
	}{
		{"apps", "deployments", "", "/registry/deployments/"},
		{"apps", "deployments", "shop", "/registry/deployments/shop/"},
		{"", "secrets", "kube-system", "/registry/secrets/kube-system/"},
		{"", "services", "", "/registry/services/specs/"},
		{"", "endpoints", "", "/registry/services/endpoints/"},
		{"", "nodes", "", "/registry/minions/"},
		{"", "replicationcontrollers", "", "/registry/controllers/"},
		{"networking.k8s.io", "ingresses", "", "/registry/ingress/"},
		{"rbac.authorization.k8s.io", "clusterroles", "", "/registry/clusterroles/"},
		{"apiextensions.k8s.io", "customresourcedefinitions", "", "/registry/apiextensions.k8s.io/customresourcedefinitions/"},
		{"argoproj.io", "applications", "argocd", "/registry/argoproj.io/applications/argocd/"},
		// A custom resource in a group that looks like Kubernetes' own.
		{"snapshot.storage.k8s.io", "volumesnapshots", "", "/registry/snapshot.storage.k8s.io/volumesnapshots/"},
	}
	for _, tc := range tests {
		if got := resourcePrefix("/registry", tc.group, tc.resource, tc.namespace); got != tc.want {
			t.Errorf("resourcePrefix(%q, %q, %q) = %q, want %q", tc.group, tc.resource, tc.namespace, got, tc.want)
		}
	}
	if got := objectKey("/k3s/", "", "namespaces", "", "shop"); got != "/k3s/namespaces/shop" {
		t.Errorf("objectKey of a cluster-scoped object under /k3s/ = %q", got)
	}
}
