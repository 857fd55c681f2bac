package command

import (
	"context"
	"io"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/httpstream"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/remotecommand"
)

// Executor runs a program in a container of a pod, with no input and no
// terminal, and streams its output. It returns nil when the program exited
// with 0, an error with an ExitStatus() int method (client-go's
// exec.CodeExitError) when it exited otherwise, and any other error when
// the program could not be run or followed to its end.
type Executor interface {
	Exec(ctx context.Context, namespace, pod, container string, argv []string, stdout, stderr io.Writer) error
}

// kubeExecutor is kubectl exec's way through the API server: the WebSocket
// protocol, and SPDY where the server or a proxy refuses the upgrade.
type kubeExecutor struct {
	config *rest.Config
	kube   kubernetes.Interface
}

func (e kubeExecutor) Exec(ctx context.Context, namespace, pod, container string, argv []string, stdout, stderr io.Writer) error {
	req := e.kube.CoreV1().RESTClient().Post().Resource("pods").Namespace(namespace).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{Container: container, Command: argv, Stdout: true, Stderr: true}, scheme.ParameterCodec)
	spdy, err := remotecommand.NewSPDYExecutor(e.config, "POST", req.URL())
	if err != nil {
		return err
	}
	ws, err := remotecommand.NewWebSocketExecutor(e.config, "GET", req.URL().String())
	if err != nil {
		return err
	}
	exec, err := remotecommand.NewFallbackExecutor(ws, spdy, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	})
	if err != nil {
		return err
	}
	return exec.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: stdout, Stderr: stderr})
}
