package namespace

import (
	"context"

	"k8s.io/client-go/rest"

	"github.com/restore-drill/drill/sandbox/kube"
)

// portForward is a running forward to a pod: sandbox/kube.Forward, or a
// fake in tests.
type portForward interface {
	Addr() string
	Close()
}

// forwardFunc starts a forward to port of pod in namespace that lives
// until ctx ends or it is closed.
type forwardFunc func(ctx context.Context, namespace, pod string, port int) (portForward, error)

func kubeForward(cfg *rest.Config) forwardFunc {
	return func(ctx context.Context, namespace, pod string, port int) (portForward, error) {
		f, err := kube.PortForward(ctx, cfg, namespace, pod, port)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
}
