//go:build e2e

package namespace_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/ptr"

	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/sandbox/namespace"
)

// A database an app deployed into a namespace of its own, as in a
// full-cluster rebuild: the Secret is read from there for a real server at
// an address, and the ready pod behind a Service there is found (the
// port-forward to it then fails: the lab runs no kubelet).
func TestE2EPostgresTargetInAnotherNamespace(t *testing.T) {
	env := labtest.Start(t)
	pg := localtest.Start(t)
	cfg, cs := labtest.RESTConfig(t, env), labtest.Kube(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dbNS := "e2e-db-" + rand.String(8)
	mkNamespace(ctx, t, cs, dbNS, nil, nil)
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "billing-db"}, StringData: map[string]string{"username": pg.User, "password": pg.Password}}
	if _, err := cs.CoreV1().Secrets(dbNS).Create(ctx, sec, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "billing-db"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "billing-db"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "postgres", Image: "registry.invalid/postgres:15",
					Ports: []corev1.ContainerPort{{Name: "pg", ContainerPort: 5432}},
				}}},
			},
		},
	}
	if _, err := cs.AppsV1().Deployments(dbNS).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "billing-db"}, Spec: corev1.ServiceSpec{
		Selector: labels, Ports: []corev1.ServicePort{{Port: 5432, TargetPort: intstr.FromString("pg")}},
	}}
	if _, err := cs.CoreV1().Services(dbNS).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	sb, _ := createSandbox(ctx, t, namespace.Options{Config: cfg, Targets: map[string]namespace.Target{
		"billing": {Address: net.JoinHostPort(pg.Host, strconv.Itoa(pg.Port)), Namespace: dbNS, Secret: "billing-db", ReadyTimeout: time.Minute},
		"ledger":  {Service: "billing-db", Namespace: dbNS, ReadyTimeout: time.Minute},
	}})
	srv, err := sb.Postgres(ctx, "billing")
	if err != nil {
		t.Fatal(err)
	}
	if srv.User != pg.User || srv.Password != pg.Password || srv.Major != pg.Major {
		t.Fatalf("server %s major %d, want %s with the credentials of the Secret in %s", srv.Redacted("postgres"), srv.Major, pg.Redacted("postgres"), dbNS)
	}

	_, err = sb.Postgres(ctx, "ledger")
	if err == nil {
		t.Fatal("a port-forward succeeded in a lab without a kubelet")
	}
	t.Logf("ledger: %v", err)
	if strings.Contains(err.Error(), "no pod of") || strings.Contains(err.Error(), "no ready pod") || !strings.Contains(err.Error(), dbNS) {
		t.Errorf("error %v: want the ready pod found in %s and the forward to it failing", err, dbNS)
	}
}
