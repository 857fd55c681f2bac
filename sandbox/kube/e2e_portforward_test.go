//go:build e2e

package kube_test

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
)

// ReadyPod finds the pod kwok makes Ready behind a real Service, waiting
// through its watch while the Deployment rolls out; TargetPort follows the
// Service's named targetPort; PortForward to it returns promptly — with an
// error, as the lab's pods run nothing: only a real cluster proves that
// bytes get through.
func TestE2EReadyPodBehindAService(t *testing.T) {
	env := labtest.Start(t)
	cs := labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ns := "e2e-readypod-" + rand.String(6)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	labels := map[string]string{"app": "db"}
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "db"}, Spec: corev1.ServiceSpec{
		Selector: labels, Ports: []corev1.ServicePort{{Name: "sql", Port: 5432, TargetPort: intstr.FromString("pg")}},
	}}
	svc, err := cs.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}

	type found struct {
		pod *corev1.Pod
		err error
	}
	got := make(chan found, 1)
	go func() { // waiting before any pod exists: the watch must see it come
		pod, err := kube.ReadyPod(ctx, cs, ns, "db", nil)
		got <- found{pod, err}
	}()
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "db"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "postgres", Image: "registry.invalid/postgres:15",
					Ports: []corev1.ContainerPort{{Name: "pg", ContainerPort: 5433}},
				}}},
			},
		},
	}
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	f := <-got
	if f.err != nil {
		t.Fatal(f.err)
	}
	if !kube.PodReady(f.pod) || f.pod.Labels["app"] != "db" {
		t.Fatalf("ReadyPod returned %s in phase %s", f.pod.Name, f.pod.Status.Phase)
	}
	port, err := kube.TargetPort(svc, f.pod, intstr.FromString("sql"))
	if err != nil || port != 5433 {
		t.Fatalf("TargetPort: %d, %v; want 5433", port, err)
	}

	start := time.Now()
	fwCtx, fwCancel := context.WithTimeout(ctx, 30*time.Second)
	defer fwCancel()
	fw, err := kube.PortForward(fwCtx, labtest.RESTConfig(t, env), ns, f.pod.Name, port)
	if err == nil {
		fw.Close()
		if !strings.HasPrefix(fw.Addr(), "127.0.0.1:") {
			t.Fatalf("the port-forward listens on %q, want 127.0.0.1", fw.Addr())
		}
		t.Logf("the port-forward to %s started (%s) though no container runs", f.pod.Name, fw.Addr())
		return
	}
	if !strings.Contains(err.Error(), "pod "+f.pod.Name+" in namespace "+ns) || fwCtx.Err() != nil {
		t.Fatalf("PortForward to a pod that runs nothing: %v after %s; want a prompt error naming the pod", err, time.Since(start))
	}
	t.Logf("PortForward in the lab fails as expected, in %s: %v", time.Since(start).Round(time.Millisecond), err)
}
