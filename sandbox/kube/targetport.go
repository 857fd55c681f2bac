package kube

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TargetPort resolves port, a port of svc given by number or name, to the
// number pod listens on, following the Service port's targetPort (a number,
// or a container port's name). A port of 0 picks the Service's only port.
// Without a Service (svc nil), port is the pod's own container port: a
// number is taken as it is, a name is looked up among the containers' ports.
func TargetPort(svc *corev1.Service, pod *corev1.Pod, port intstr.IntOrString) (int, error) {
	if svc == nil {
		return containerPort(pod, port)
	}
	sp, err := servicePort(svc, port)
	if err != nil {
		return 0, err
	}
	target := sp.TargetPort
	if target.Type == intstr.Int && target.IntVal == 0 || target.Type == intstr.String && target.StrVal == "" {
		// An empty targetPort means the same number as the port.
		return int(sp.Port), nil
	}
	return containerPort(pod, target)
}

// servicePort finds port among svc's ports.
func servicePort(svc *corev1.Service, port intstr.IntOrString) (*corev1.ServicePort, error) {
	if port.Type == intstr.Int && port.IntVal == 0 {
		if len(svc.Spec.Ports) == 1 {
			return &svc.Spec.Ports[0], nil
		}
		return nil, fmt.Errorf("service %s has %d ports (%s): say which one", svc.Name, len(svc.Spec.Ports), servicePortList(svc))
	}
	for i, sp := range svc.Spec.Ports {
		if port.Type == intstr.Int && sp.Port == port.IntVal || port.Type == intstr.String && sp.Name == port.StrVal {
			return &svc.Spec.Ports[i], nil
		}
	}
	return nil, fmt.Errorf("service %s has no port %s; its ports are %s", svc.Name, port.String(), servicePortList(svc))
}

// containerPort is port as a number in pod: a number as it is, a name
// looked up in the containers' ports.
func containerPort(pod *corev1.Pod, port intstr.IntOrString) (int, error) {
	if port.Type == intstr.Int {
		if port.IntVal <= 0 {
			return 0, fmt.Errorf("no port given for pod %s: say which port it listens on", pod.Name)
		}
		return int(port.IntVal), nil
	}
	var names []string
	for _, c := range pod.Spec.Containers {
		for _, cp := range c.Ports {
			if cp.Name == port.StrVal {
				return int(cp.ContainerPort), nil
			}
			if cp.Name != "" {
				names = append(names, cp.Name)
			}
		}
	}
	known := "none"
	if len(names) > 0 {
		known = strings.Join(names, ", ")
	}
	return 0, fmt.Errorf("pod %s has no container port named %q (named ports: %s)", pod.Name, port.StrVal, known)
}

func servicePortList(svc *corev1.Service) string {
	if len(svc.Spec.Ports) == 0 {
		return "none"
	}
	var ports []string
	for _, sp := range svc.Spec.Ports {
		s := fmt.Sprint(sp.Port)
		if sp.Name != "" {
			s = sp.Name + "=" + s
		}
		ports = append(ports, s)
	}
	return strings.Join(ports, ", ")
}
