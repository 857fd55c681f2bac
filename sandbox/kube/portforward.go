package kube

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
)

// Forward is a running port-forward from 127.0.0.1 to a pod's port. It ends
// when Close is called or the context it was started with ends.
type Forward struct {
	addr string
	stop chan struct{}
	done chan struct{}
	once sync.Once
	err  error // why the forward ended by itself; read after done
}

// Addr is the local end, "127.0.0.1:PORT".
func (f *Forward) Addr() string { return f.addr }

// Done is closed when the forward has ended.
func (f *Forward) Done() <-chan struct{} { return f.done }

// Err says why the forward ended on its own (the connection to the pod was
// lost); nil while it runs or when it was closed.
func (f *Forward) Err() error {
	select {
	case <-f.done:
		return f.err
	default:
		return nil
	}
}

// Close stops the forward and waits until its listener is closed. It is
// safe to call more than once.
func (f *Forward) Close() {
	f.once.Do(func() { close(f.stop) })
	<-f.done
}

// forwarder is one port-forward session: client-go's PortForwarder, or a
// fake in tests. ForwardPorts runs until the stop channel it was made with
// closes, and closes its ready channel once it listens.
type forwarder interface {
	ForwardPorts() error
	GetPorts() ([]portforward.ForwardedPort, error)
}

// newForwarder makes a session that forwards a free local port to port,
// stopped by stop, signalling ready.
type newForwarder func(port int, stop <-chan struct{}, ready chan struct{}) (forwarder, error)

// PortForward forwards a free port on 127.0.0.1 to port of the pod named pod
// in namespace, through the API server (SPDY, as kubectl port-forward). It
// returns once the local port listens.
func PortForward(ctx context.Context, cfg *rest.Config, namespace, pod string, port int) (*Forward, error) {
	transport, upgrader, err := spdy.RoundTripperFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("port-forward to pod %s in namespace %s: %w", pod, namespace, err)
	}
	target, err := portForwardURL(cfg, namespace, pod)
	if err != nil {
		return nil, err
	}
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, target)
	newFw := func(port int, stop <-chan struct{}, ready chan struct{}) (forwarder, error) {
		return portforward.NewOnAddresses(dialer, []string{"127.0.0.1"}, []string{"0:" + strconv.Itoa(port)}, stop, ready, io.Discard, io.Discard)
	}
	return startForward(ctx, newFw, namespace, pod, port)
}

// portForwardURL is the pod's portforward subresource on cfg's API server.
func portForwardURL(cfg *rest.Config, namespace, pod string) (*url.URL, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("port-forward to pod %s in namespace %s: %w", pod, namespace, err)
	}
	return cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(namespace).Name(pod).SubResource("portforward").URL(), nil
}

// startForward runs a session from newFw until Close or ctx's end, and
// returns when it listens or has failed.
func startForward(ctx context.Context, newFw newForwarder, namespace, pod string, port int) (*Forward, error) {
	f := &Forward{stop: make(chan struct{}), done: make(chan struct{})}
	ready := make(chan struct{})
	fw, err := newFw(port, f.stop, ready)
	if err != nil {
		return nil, fmt.Errorf("port-forward to port %d of pod %s in namespace %s: %w", port, pod, namespace, err)
	}
	failed := make(chan error, 1)
	go func() {
		defer close(f.done)
		if err := fw.ForwardPorts(); err != nil {
			f.err = fmt.Errorf("port-forward to port %d of pod %s in namespace %s: %w", port, pod, namespace, err)
			failed <- f.err
		}
	}()
	select {
	case <-ready:
	case err := <-failed:
		return nil, err
	case <-ctx.Done():
		f.Close()
		return nil, fmt.Errorf("port-forward to port %d of pod %s in namespace %s: %w", port, pod, namespace, context.Cause(ctx))
	}
	ports, err := fw.GetPorts()
	if err != nil || len(ports) == 0 {
		f.Close()
		return nil, fmt.Errorf("port-forward to port %d of pod %s in namespace %s: no local port: %v", port, pod, namespace, err)
	}
	f.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(int(ports[0].Local)))
	go func() {
		select {
		case <-ctx.Done():
			f.Close()
		case <-f.done:
		}
	}()
	return f, nil
}
