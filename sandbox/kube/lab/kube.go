package lab

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// NodeName is the lab's one (fake) node, which kwok keeps Ready.
const NodeName = "kwok-node-0"

// startKube starts etcd, the API server, the controller manager, the
// scheduler and kwok, registers the fake node and waits until it is Ready.
func (l *Lab) startKube(ctx context.Context) error {
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(l.ports.etcd)
	peerURL := "http://127.0.0.1:" + strconv.Itoa(l.ports.etcdPeer)
	l.progress("starting etcd on %s", etcdURL)
	if err := l.startProgram(program{name: "etcd", path: l.bin("etcd"), args: []string{
		"--name=lab",
		"--data-dir=" + filepath.Join(l.Dir, "etcd"),
		"--listen-client-urls=" + etcdURL, "--advertise-client-urls=" + etcdURL,
		"--listen-peer-urls=" + peerURL, "--initial-advertise-peer-urls=" + peerURL,
		"--initial-cluster=lab=" + peerURL,
		"--unsafe-no-fsync", // the data is thrown away with the lab
		"--log-level=warn",
	}}); err != nil {
		return err
	}
	if err := l.waitReady(ctx, "etcd", func(ctx context.Context) error {
		return httpOK(ctx, http.DefaultClient, etcdURL+"/health", `"health":"true"`)
	}); err != nil {
		return err
	}

	tokenFile := filepath.Join(l.Dir, "pki", "tokens.csv")
	if err := os.WriteFile(tokenFile, []byte(l.token+",admin,admin,\"system:masters\"\n"), 0o600); err != nil {
		return fmt.Errorf("write the API server's token file: %w", err)
	}
	l.progress("starting kube-apiserver on %s", l.apiserverURL())
	if err := l.startProgram(program{name: "kube-apiserver", path: l.bin("kube-apiserver"), args: []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1", "--secure-port=" + strconv.Itoa(l.ports.apiserver),
		// A loopback advertise address is rejected by the endpoint
		// reconciler; nothing in the lab needs the kubernetes Endpoints.
		"--advertise-address=127.0.0.1", "--endpoint-reconciler-type=none",
		"--tls-cert-file=" + l.pki.servingCert, "--tls-private-key-file=" + l.pki.servingKey,
		"--cert-dir=" + filepath.Join(l.Dir, "pki"),
		"--token-auth-file=" + tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + l.pki.saKey,
		"--service-account-signing-key-file=" + l.pki.saKey,
		"--service-cluster-ip-range=10.96.0.0/16",
		"--allow-privileged=true",
		"--enable-priority-and-fairness=false",
		"--profiling=false",
	}}); err != nil {
		return err
	}
	cfg := l.RESTConfig()
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("client for the lab API server: %w", err)
	}
	if err := l.waitReady(ctx, "kube-apiserver", func(ctx context.Context) error {
		body, err := cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err != nil {
			return fmt.Errorf("readyz: %w: %s", err, body)
		}
		return nil
	}); err != nil {
		return err
	}

	kubeconfig := l.Env.Kubeconfig
	l.progress("starting kube-controller-manager, kube-scheduler and kwok")
	for _, p := range []program{
		{name: "kube-controller-manager", path: l.bin("kube-controller-manager"), args: []string{
			"--kubeconfig=" + kubeconfig,
			"--secure-port=0", "--leader-elect=false",
			"--service-account-private-key-file=" + l.pki.saKey,
			"--root-ca-file=" + filepath.Join(l.Dir, "pki", "ca.crt"),
			"--profiling=false",
		}},
		{name: "kube-scheduler", path: l.bin("kube-scheduler"), args: []string{
			"--kubeconfig=" + kubeconfig,
			"--secure-port=0", "--leader-elect=false", "--profiling=false",
		}},
		// kwok plays the kubelet of every node. Without node leases the
		// node controller marks the node NotReady every ~45 s and its
		// pods never become ready again.
		{name: "kwok", path: l.bin("kwok"), args: []string{
			"--kubeconfig=" + kubeconfig,
			"--manage-all-nodes=true",
			"--node-lease-duration-seconds=40",
			"--node-port=0",
		}, env: []string{"KWOK_WORKDIR=" + filepath.Join(l.Dir, "kwok")}},
	} {
		if err := l.startProgram(p); err != nil {
			return err
		}
	}
	if err := createNode(ctx, cs); err != nil {
		return err
	}
	return l.waitReady(ctx, "kwok", func(ctx context.Context) error {
		n, err := cs.CoreV1().Nodes().Get(ctx, NodeName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
				return nil
			}
		}
		return fmt.Errorf("node %s not Ready yet", NodeName)
	})
}

// createNode registers the fake node that kwok manages.
func createNode(ctx context.Context, cs kubernetes.Interface) error {
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        NodeName,
			Annotations: map[string]string{"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
			Labels: map[string]string{
				"type": "kwok", "kubernetes.io/hostname": NodeName,
				"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
			},
		},
		Status: corev1.NodeStatus{Capacity: capacity, Allocatable: capacity},
	}
	_, err := cs.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("register the fake node %s: %w", NodeName, err)
	}
	return nil
}

// httpOK GETs url and wants a 200 whose body contains want.
func httpOK(ctx context.Context, c *http.Client, url, want string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, body)
	}
	return nil
}
