package cluster

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

const testNamespace = "drill-test-abc"

// fakeCluster is a cluster at the process boundary: client-go's fake
// clientsets and a REST mapper that knows the kinds the tests use.
type fakeCluster struct {
	kube    *fake.Clientset
	dynamic *dynamicfake.FakeDynamicClient
	mapper  *meta.DefaultRESTMapper
}

func newFakeCluster(kubeObjects []runtime.Object, dynObjects ...runtime.Object) *fakeCluster {
	mapper := meta.NewDefaultRESTMapper(nil)
	for _, k := range []struct {
		gvk   schema.GroupVersionKind
		scope meta.RESTScope
	}{
		{schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}, meta.RESTScopeNamespace},
		{schema.GroupVersionKind{Version: "v1", Kind: "Secret"}, meta.RESTScopeNamespace},
		{schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}, meta.RESTScopeNamespace},
		{schema.GroupVersionKind{Group: "rbac.authorization.k8s.io", Version: "v1", Kind: "ClusterRole"}, meta.RESTScopeRoot},
	} {
		mapper.Add(k.gvk, k.scope)
	}
	return &fakeCluster{
		kube:    fake.NewSimpleClientset(kubeObjects...),
		dynamic: dynamicfake.NewSimpleDynamicClient(scheme.Scheme, dynObjects...),
		mapper:  mapper,
	}
}

func (f *fakeCluster) connect(*rest.Config) (*clients, error) {
	return &clients{kube: f.kube, dynamic: f.dynamic, mapper: f.mapper, config: &rest.Config{}}, nil
}

func (f *fakeCluster) env() assertions.ClusterEnv {
	return assertions.ClusterEnv{Kube: sandbox.KubeAccess{Config: &rest.Config{Host: "https://fake"}, Namespace: testNamespace}}
}

func mustCheck(t *testing.T, c scenarios.Check, connect connector) assertions.ClusterCheck {
	t.Helper()
	check, err := newWith(c, connect)
	if err != nil {
		t.Fatalf("build check %s: %v", c.Name, err)
	}
	return check
}
