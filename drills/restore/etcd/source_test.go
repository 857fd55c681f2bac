package etcd

import (
	"testing"

	"github.com/restore-drill/drill/drills/restore/etcd/etcdtest"
)

// sampleKeys is a small cluster in kube-apiserver's layout.
var sampleKeys = []string{
	"/registry/namespaces/shop",
	"/registry/namespaces/kube-system",
	"/registry/deployments/shop/web",
	"/registry/deployments/shop/api",
	"/registry/deployments/shop/worker",
	"/registry/deployments/kube-system/coredns",
	"/registry/secrets/kube-system/x",
	"/registry/secrets/shop/db",
	"/registry/configmaps/shop/settings",
	"/registry/services/specs/shop/web",
	"/registry/podsecuritypolicy/restricted",
	"/registry/argoproj.io/applications/argocd/shop",
}

// sampleSnapshot is a snapshot of sampleKeys.
func sampleSnapshot(t *testing.T) string {
	t.Helper()
	return etcdtest.Snapshot(t, sampleKeys)
}
