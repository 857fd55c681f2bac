package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"
)

var (
	crdResource     = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	projectResource = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}
)

// installArgoCDConfig applies Argo CD's CRDs (server-side: the Application
// CRD is too large for a last-applied annotation) and the namespace,
// config maps, secret and default project that its components read.
func installArgoCDConfig(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface, crdDir string) error {
	files, err := filepath.Glob(filepath.Join(crdDir, "*-crd.yaml"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no Argo CD CRDs in %s: rebuild the lab (make lab)", crdDir)
	}
	var names []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read Argo CD CRD: %w", err)
		}
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(b, &u.Object); err != nil {
			return fmt.Errorf("parse Argo CD CRD %s: %w", f, err)
		}
		if _, err := dyn.Resource(crdResource).Apply(ctx, u.GetName(), u, metav1.ApplyOptions{FieldManager: "drill-lab", Force: true}); err != nil {
			return fmt.Errorf("apply Argo CD CRD %s: %w", u.GetName(), err)
		}
		names = append(names, u.GetName())
	}
	if err := waitEstablished(ctx, dyn, names); err != nil {
		return err
	}

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ArgoCDNamespace}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create namespace %s: %w", ArgoCDNamespace, err)
	}
	key, err := randomHex(32)
	if err != nil {
		return err
	}
	for _, cm := range []*corev1.ConfigMap{
		argoConfigMap("argocd-cm", map[string]string{"admin.enabled": "true", "timeout.reconciliation": "10s"}),
		argoConfigMap("argocd-rbac-cm", nil),
		argoConfigMap("argocd-cmd-params-cm", nil),
	} {
		if _, err := cs.CoreV1().ConfigMaps(ArgoCDNamespace).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create config map %s/%s: %w", ArgoCDNamespace, cm.Name, err)
		}
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "argocd-secret", Namespace: ArgoCDNamespace, Labels: argoLabels},
		StringData: map[string]string{"server.secretkey": key},
	}
	if _, err := cs.CoreV1().Secrets(ArgoCDNamespace).Create(ctx, secret, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create secret %s/argocd-secret: %w", ArgoCDNamespace, err)
	}
	project := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "argoproj.io/v1alpha1",
		"kind":       "AppProject",
		"metadata":   map[string]any{"name": "default", "namespace": ArgoCDNamespace},
		"spec": map[string]any{
			"sourceRepos":              []any{"*"},
			"destinations":             []any{map[string]any{"server": "*", "namespace": "*"}},
			"clusterResourceWhitelist": []any{map[string]any{"group": "*", "kind": "*"}},
		},
	}}
	if _, err := dyn.Resource(projectResource).Namespace(ArgoCDNamespace).Create(ctx, project, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create the default Argo CD project: %w", err)
	}
	return nil
}

// waitEstablished waits until the API server serves every named CRD.
func waitEstablished(ctx context.Context, dyn dynamic.Interface, names []string) error {
	for _, name := range names {
		for {
			u, err := dyn.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
			if err == nil && established(u) {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("CRD %s not established: %w", name, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}

func established(u *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && strings.EqualFold(fmt.Sprint(m["status"]), "true") {
			return true
		}
	}
	return false
}
