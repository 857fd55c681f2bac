package cluster

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/restore-drill/drill/sandbox/kube"
)

// openServiceForward waits for a ready pod behind service, resolves port
// (the Service's port; 0 picks its only one) to the pod's port and opens a
// port-forward to it.
func openServiceForward(ctx context.Context, cl *clients, namespace, service string, port int) (*tunnel, error) {
	svc, err := cl.kube.CoreV1().Services(namespace).Get(ctx, service, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("read service %s in namespace %s: %w", service, namespace, err)
	}
	pod, err := kube.ReadyPod(ctx, cl.kube, namespace, service, nil)
	if err != nil {
		return nil, err
	}
	target, err := kube.TargetPort(svc, pod, intstr.FromInt(port))
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", service, err)
	}
	fw, err := kube.PortForward(ctx, cl.config, namespace, pod.Name, target)
	if err != nil {
		return nil, err
	}
	return &tunnel{addr: fw.Addr(), done: fw.Done(), close: fw.Close}, nil
}
