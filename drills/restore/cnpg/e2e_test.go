//go:build e2e

package cnpg

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/dynamic"
	"sigs.k8s.io/yaml"

	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/sandbox/namespace"
	"github.com/restore-drill/drill/scenarios"
)

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// installCRD installs CloudNativePG's real Cluster CRD (testdata, v1.27.1)
// unless the lab serves it already, waits until it is established, and
// removes it at the end if this test installed it.
func installCRD(ctx context.Context, t *testing.T, dyn dynamic.Interface) {
	t.Helper()
	f, err := os.Open("testdata/postgresql.cnpg.io_clusters.yaml.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	crd := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(raw, &crd.Object); err != nil {
		t.Fatalf("read the CRD: %v", err)
	}
	crds := dyn.Resource(crdGVR)
	_, err = crds.Create(ctx, crd, metav1.CreateOptions{})
	switch {
	case apierrors.IsAlreadyExists(err):
	case err != nil:
		t.Fatalf("install the CRD: %v", err)
	default:
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := crds.Delete(ctx, crd.GetName(), metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				t.Errorf("remove the CRD: %v", err)
			}
		})
	}
	for {
		got, err := crds.Get(ctx, crd.GetName(), metav1.GetOptions{})
		if err == nil && established(got) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the CRD %s was not established: %v", crd.GetName(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func established(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}

// TestE2ECluster: the generated Cluster passes the API server's validation
// against CloudNativePG's real CRD (dry run and for real, built-in store and
// plugin), a wrong field is refused, Restore without an operator fails at
// its deadline with the Cluster's status, and the sandbox's teardown
// removes the Cluster and the Secret.
func TestE2ECluster(t *testing.T) {
	env := labtest.Start(t)
	cfg := labtest.RESTConfig(t, env)
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	installCRD(ctx, t, dyn)

	spec := &scenarios.CNPGRestore{ServerName: "billing-db", Instances: 1, StorageSize: "1Gi", Database: "app",
		TargetTime: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)}
	targets := map[string]namespace.Target{"billing": Target("billing", spec)}
	run := sandbox.Options{RunID: "e2e-" + rand.String(10), Scenario: "e2e-cnpg"}
	created, err := namespace.NewProvider(namespace.Options{Config: cfg, Targets: targets}).Create(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	sb := created.(sandbox.Cluster)
	destroyed := false
	t.Cleanup(func() {
		if destroyed {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := sb.Destroy(ctx); err != nil {
			t.Errorf("destroy: %v", err)
		}
	})
	ns := sb.Kube().Namespace
	clusters := dyn.Resource(ClusterGVR).Namespace(ns)

	t.Run("server-side validation", func(t *testing.T) {
		for _, plugin := range []bool{false, true} {
			s := *spec
			s.Plugin, s.User, s.Database = plugin, "billing_app", "billing"
			p := plan{restore: "dry-run", namespace: ns, labels: sb.Kube().Labels, spec: &s,
				src:      &scenarios.S3Source{Endpoint: "https://objects.example.com", Bucket: "backups", Prefix: "cnpg/", Region: "eu-west-1"},
				backupID: "20261127T010000", image: "ghcr.io/cloudnative-pg/postgresql:15"}
			u := p.clusterObject(true, true)
			strict := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}, FieldValidation: "Strict"}
			if _, err := clusters.Create(ctx, u, strict); err != nil {
				t.Errorf("dry run of the Cluster (plugin %v) refused: %v", plugin, err)
			}
			wrongType := u.DeepCopy()
			_ = unstructured.SetNestedField(wrongType.Object, "one", "spec", "instances")
			if _, err := clusters.Create(ctx, wrongType, strict); !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), "spec.instances") {
				t.Errorf("instances: \"one\" was not refused as invalid: %v", err)
			}
			unknown := u.DeepCopy()
			_ = unstructured.SetNestedField(unknown.Object, "1Gi", "spec", "storage", "sizee")
			if _, err := clusters.Create(ctx, unknown, strict); err == nil || !strings.Contains(err.Error(), "sizee") {
				t.Errorf("an unknown field was not refused: %v", err)
			}
		}
		if list, err := clusters.List(ctx, metav1.ListOptions{}); err != nil || len(list.Items) != 0 {
			t.Errorf("a dry run left clusters: %v %v", list, err)
		}
	})

	t.Run("restore times out without an operator", func(t *testing.T) {
		t.Setenv("E2E_CNPG_KEY_ID", "e2e-key-id")
		t.Setenv("E2E_CNPG_SECRET", "e2e-secret-never-printed")
		src := scenarios.Source{S3: &scenarios.S3Source{Endpoint: "http://127.0.0.1:9", Bucket: "backups", Prefix: "cnpg/",
			Credentials: scenarios.S3Credentials{AccessKeyIDEnv: "E2E_CNPG_KEY_ID", SecretAccessKeyEnv: "E2E_CNPG_SECRET"}}}
		m := New("billing", spec, src, Options{}).(*method)
		// What Locate would have found (Locate reads an object store: the
		// barman tests' business).
		m.insp = restore.Inspection{Format: "barman", ExactMajor: 15}
		m.backupID = "20261127T010000"
		var log strings.Builder
		rctx, rcancel := context.WithTimeout(ctx, 3*time.Second)
		defer rcancel()
		started := time.Now()
		_, err := m.Restore(rctx, sb, nil, &log)
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Restore = %v, want the deadline", err)
		}
		if took := time.Since(started); took > 10*time.Second {
			t.Errorf("Restore took %s after a 3s deadline", took)
		}
		for _, want := range []string{"cluster billing in namespace " + ns + " was not ready in time", "no status yet", "is the CloudNativePG operator running"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want it to hold %q", err, want)
			}
		}
		if strings.Contains(err.Error()+log.String(), "e2e-secret-never-printed") {
			t.Errorf("the secret key was printed: %v\n%s", err, log.String())
		}
		c, err := clusters.Get(ctx, "billing", metav1.GetOptions{})
		if err != nil {
			t.Fatalf("the Cluster: %v", err)
		}
		if c.GetLabels()["restore-drill.io/run-id"] != run.RunID || c.GetLabels()[LabelRestore] != "billing" {
			t.Errorf("cluster labels = %v", c.GetLabels())
		}
		if got, _, _ := unstructured.NestedString(c.Object, "spec", "bootstrap", "recovery", "recoveryTarget", "targetTime"); got != "2026-11-27T03:00:00Z" {
			t.Errorf("targetTime = %q", got)
		}
	})

	t.Run("teardown removes the Cluster", func(t *testing.T) {
		dctx, dcancel := context.WithTimeout(ctx, 2*time.Minute)
		defer dcancel()
		destroyed = true
		if err := sb.Destroy(dctx); err != nil {
			t.Fatalf("destroy: %v", err)
		}
		if _, err := clusters.Get(ctx, "billing", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("the Cluster is still there after teardown: %v", err)
		}
		sec, err := labtest.Kube(t, env).CoreV1().Secrets(ns).Get(ctx, "billing-drill-s3", metav1.GetOptions{})
		if !apierrors.IsNotFound(err) {
			t.Errorf("the Secret is still there after teardown: %v %v", sec.GetName(), err)
		}
	})
}
