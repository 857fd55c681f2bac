//go:build e2e

package etcd_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/drills/restore/etcd"
	"github.com/restore-drill/drill/drills/restore/etcd/etcdtest"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/scenarios"
)

// apiCounts are the objects the API server lists: namespaces, and
// deployments and configmaps in every namespace.
type apiCounts struct{ namespaces, deployments, configmaps int }

func listCounts(ctx context.Context, t *testing.T, cs kubernetes.Interface) apiCounts {
	t.Helper()
	ns, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := cs.AppsV1().Deployments("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cms, err := cs.CoreV1().ConfigMaps("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return apiCounts{len(ns.Items), len(ds.Items), len(cms.Items)}
}

// TestRestoreTheLabsEtcd snapshots the lab's own etcd, restores it and
// compares what the restored etcd holds with what the lab's API server
// lists: objects made by the test exactly, and the cluster-wide counts
// whenever nothing else changed the lab while the snapshot was taken.
func TestRestoreTheLabsEtcd(t *testing.T) {
	env := labtest.Start(t)
	if env.EtcdURL == "" {
		t.Fatal("the lab's env names no etcd")
	}
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatal(err)
	}
	ns := "e2e-etcd-" + hex.EncodeToString(suffix)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{})
	})
	for i := range 3 {
		if _, err := cs.AppsV1().Deployments(ns).Create(ctx, deployment(fmt.Sprintf("web-%d", i)), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("settings-%d", i)}, Data: map[string]string{"k": "v"}}
		if _, err := cs.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	waitForRootCA(ctx, t, cs, ns) // the controller manager adds it to every namespace

	// A snapshot between two equal listings holds exactly what they list;
	// the lab is shared, so other tests may change it in between.
	client := etcdtest.Connect(t, env.EtcdURL)
	var snap string
	var listed apiCounts
	stable := false
	for attempt := 0; attempt < 5 && !stable; attempt++ {
		before := listCounts(ctx, t, cs)
		begin := time.Now()
		snap = etcdtest.Save(t, client, t.TempDir(), "etcd-snapshot-lab")
		t.Logf("snapshot of the lab's etcd taken in %s", time.Since(begin).Round(time.Millisecond))
		listed = listCounts(ctx, t, cs)
		stable = before == listed
	}

	spec := &scenarios.EtcdRestore{Prefix: "/registry", Expect: scenarios.EtcdExpect{
		MinRevision: 2,
		Resources: []scenarios.EtcdResourceCount{
			{Resource: "namespaces", Min: 0},
			{Resource: "deployments", Group: "apps", Min: 0},
			{Resource: "configmaps", Min: 0},
			{Resource: "deployments", Group: "apps", Namespace: ns, Min: 3},
			{Resource: "configmaps", Namespace: ns, Min: 5},
		},
		Objects: []scenarios.EtcdObject{
			{Resource: "namespaces", Name: ns},
			{Resource: "deployments", Group: "apps", Namespace: ns, Name: "web-2"},
			{Resource: "configmaps", Namespace: ns, Name: "kube-root-ca.crt"},
			{Resource: "namespaces", Name: "kube-system"},
			{Resource: "services", Namespace: "default", Name: "kubernetes"},
			{Resource: "nodes", Name: lab.NodeName},
		},
	}}
	info, err := os.Stat(snap)
	if err != nil {
		t.Fatal(err)
	}
	art := &source.Artifact{Path: snap, Bytes: info.Size(), ModTime: info.ModTime()}
	var log bytes.Buffer
	begin := time.Now()
	res, err := etcd.New("lab", spec, etcd.Options{TempDir: t.TempDir()}).Restore(ctx, nil, art, &log)
	took := time.Since(begin)
	if err != nil {
		t.Fatalf("restore the lab's snapshot: %v\nlog:\n%s", err, log.String())
	}
	t.Logf("restored the lab's snapshot (%d bytes) in %s: %s", art.Bytes, took.Round(time.Millisecond), res.LogTail)

	got := map[string]int{}
	for _, note := range res.Notes {
		var name string
		var n, min int
		if _, err := fmt.Sscanf(note, "%s %d (at least %d)", &name, &n, &min); err == nil {
			got[strings.TrimSuffix(name, ":")] = n
		}
	}
	if got["deployments"] < 3 || got["configmaps"] < 5 || got["namespaces"] < 1 {
		t.Errorf("cluster-wide counts %v are below what the test made", got)
	}
	t.Run("a damaged copy fails", func(t *testing.T) {
		bad := etcdtest.Damaged(t, snap, func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b })
		_, err := etcd.New("lab", spec, etcd.Options{}).Inspect(ctx, &source.Artifact{Path: bad})
		if err == nil || !strings.Contains(err.Error(), "is corrupt") {
			t.Errorf("Inspect of a damaged lab snapshot: %v, want it named corrupt", err)
		}
	})

	if !stable {
		t.Logf("the lab changed during every one of 5 snapshots (other tests run in it): cluster-wide counts %v not compared with %+v", got, listed)
		return
	}
	want := map[string]int{"namespaces": listed.namespaces, "deployments": listed.deployments, "configmaps": listed.configmaps}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: the restored etcd holds %d, the API server listed %d", k, got[k], w)
		}
	}

}

func deployment(name string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	one := int32(1)
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &one,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "registry.invalid/web:1"}}},
			},
		},
	}
}

func waitForRootCA(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns string) {
	t.Helper()
	for {
		if _, err := cs.CoreV1().ConfigMaps(ns).Get(ctx, "kube-root-ca.crt", metav1.GetOptions{}); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no kube-root-ca.crt in %s: %v", ns, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}
