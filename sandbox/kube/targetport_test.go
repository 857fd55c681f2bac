package kube

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestTargetPort(t *testing.T) {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web-0"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "app", Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}}},
			{Name: "metrics", Ports: []corev1.ContainerPort{{Name: "metrics", ContainerPort: 9090}}},
		}},
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{
			{Name: "http", Port: 80, TargetPort: intstr.FromString("http")},
			{Name: "metrics", Port: 9100, TargetPort: intstr.FromInt32(9090)},
			{Name: "same", Port: 7000},
		}},
	}
	single := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "db"},
		Spec:       corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 5432, TargetPort: intstr.FromInt32(5433)}}},
	}
	tests := []struct {
		name    string
		svc     *corev1.Service
		port    intstr.IntOrString
		want    int
		wantErr string
	}{
		{"service port by number to named target", svc, intstr.FromInt32(80), 8080, ""},
		{"service port by name to named target", svc, intstr.FromString("http"), 8080, ""},
		{"numbered target", svc, intstr.FromInt32(9100), 9090, ""},
		{"empty target is the port", svc, intstr.FromString("same"), 7000, ""},
		{"only port of a service", single, intstr.FromInt32(0), 5433, ""},
		{"no port given, several", svc, intstr.FromInt32(0), 0, "has 3 ports (http=80, metrics=9100, same=7000): say which one"},
		{"unknown service port", svc, intstr.FromInt32(81), 0, "service web has no port 81"},
		{"pod port by number", nil, intstr.FromInt32(5432), 5432, ""},
		{"pod port by name", nil, intstr.FromString("metrics"), 9090, ""},
		{"unknown pod port name", nil, intstr.FromString("grpc"), 0, `no container port named "grpc" (named ports: http, metrics)`},
		{"no pod port", nil, intstr.FromInt32(0), 0, "no port given for pod web-0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := TargetPort(tc.svc, pod, tc.port)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %d, %v; want an error saying %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}
