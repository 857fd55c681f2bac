package lab

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/argoproj/argo-cd/v2/pkg/apiclient"
	sessionpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/session"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// ArgoCDNamespace is where the lab's Argo CD keeps its configuration and
// Applications.
const ArgoCDNamespace = "argocd"

// argoEnv is what every Argo CD component needs outside a cluster: the
// in-cluster destination (https://kubernetes.default.svc) mapped to the
// kubeconfig, no GPG, and a short resync so that a pushed commit is seen
// within seconds.
func (l *Lab) argoEnv(kubeconfig string) []string {
	return []string{
		"KUBECONFIG=" + kubeconfig,
		"ARGOCD_FAKE_IN_CLUSTER=true",
		"ARGOCD_GPG_ENABLED=false",
		"ARGOCD_RECONCILIATION_TIMEOUT=10s",
	}
}

// startArgoCD starts Redis and the three Argo CD components, after the
// CRDs and the configuration they read are in place, seeds the git
// repository and logs in as admin for a token.
func (l *Lab) startArgoCD(ctx context.Context) error {
	redis, err := exec.LookPath("redis-server")
	if err != nil {
		return fmt.Errorf("Argo CD needs redis-server: install it (ci/install-deps.sh does): %w", err)
	}
	repo := filepath.Join(l.Dir, "git", "apps.git")
	if err := initRepo(ctx, repo); err != nil {
		return err
	}
	l.Env.GitRepo, l.Env.GitURL = repo, "file://"+repo

	cfg := l.RESTConfig()
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("client for the lab API server: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("client for the lab API server: %w", err)
	}
	l.progress("installing Argo CD's CRDs and configuration")
	if err := installArgoCDConfig(ctx, cs, dyn, filepath.Join(l.opts.BinDir, "crds")); err != nil {
		return err
	}
	kubeconfig := filepath.Join(l.Dir, "argocd.kubeconfig")
	if err := writeKubeconfig(kubeconfig, l.apiserverURL(), l.pki.caCert, l.token, ArgoCDNamespace); err != nil {
		return err
	}

	redisAddr := "127.0.0.1:" + strconv.Itoa(l.ports.redis)
	repoAddr := "127.0.0.1:" + strconv.Itoa(l.ports.repoServer)
	env := l.argoEnv(kubeconfig)
	l.progress("starting Redis and Argo CD (server on 127.0.0.1:%d)", l.ports.server)
	for _, p := range []program{
		{name: "redis", path: redis, args: []string{
			"--port", strconv.Itoa(l.ports.redis), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", l.Dir,
		}},
		{name: "argocd-repo-server", path: l.bin("argocd-repo-server"), env: env, args: []string{
			"--address=127.0.0.1", "--port=" + strconv.Itoa(l.ports.repoServer),
			"--metrics-address=127.0.0.1", "--metrics-port=" + strconv.Itoa(l.ports.repoMetrics),
			"--disable-tls", "--redis=" + redisAddr,
		}},
		{name: "argocd-application-controller", path: l.bin("argocd-application-controller"), env: env, args: []string{
			"--metrics-port=" + strconv.Itoa(l.ports.controllerMetrics),
			"--repo-server=" + repoAddr, "--repo-server-plaintext", "--redis=" + redisAddr,
			"--status-processors=4", "--operation-processors=2",
		}},
		{name: "argocd-server", path: l.bin("argocd-server"), env: env, args: []string{
			"--insecure", "--address=127.0.0.1", "--port=" + strconv.Itoa(l.ports.server),
			"--metrics-address=127.0.0.1", "--metrics-port=" + strconv.Itoa(l.ports.srvMetrc),
			"--repo-server=" + repoAddr, "--repo-server-plaintext", "--redis=" + redisAddr,
			"--staticassets=" + filepath.Join(l.Dir, "home"),
		}},
	} {
		if err := l.startProgram(p); err != nil {
			return err
		}
	}
	server := "127.0.0.1:" + strconv.Itoa(l.ports.server)
	httpc := &http.Client{Timeout: 2 * time.Second}
	if err := l.waitReady(ctx, "argocd-server", func(ctx context.Context) error {
		return httpOK(ctx, httpc, "http://"+server+"/healthz", "ok")
	}); err != nil {
		return err
	}
	for _, name := range []string{"argocd-server", "argocd-repo-server", "argocd-application-controller", "redis"} {
		if !l.running(name) {
			return fmt.Errorf("%s exited while starting; the end of its log:\n%s", name, l.logTail(name))
		}
	}
	l.Env.ArgoCDServer = server
	token, err := l.argoLogin(ctx, cs, server)
	if err != nil {
		return err
	}
	l.Env.ArgoCDAuthToken = token
	return nil
}

// argoLogin logs in as admin, with the password argocd-server generated
// into argocd-initial-admin-secret at its first start, and returns the
// session token.
func (l *Lab) argoLogin(ctx context.Context, cs kubernetes.Interface, server string) (string, error) {
	var password string
	if err := l.waitReady(ctx, "argocd-server", func(ctx context.Context) error {
		s, err := cs.CoreV1().Secrets(ArgoCDNamespace).Get(ctx, "argocd-initial-admin-secret", metav1.GetOptions{})
		if err != nil {
			return err
		}
		password = string(s.Data["password"])
		return nil
	}); err != nil {
		return "", fmt.Errorf("read Argo CD's admin password: %w", err)
	}
	var token string
	if err := l.waitReady(ctx, "argocd-server", func(ctx context.Context) error {
		var err error
		token, err = l.createSession(ctx, server, password)
		return err
	}); err != nil {
		return "", fmt.Errorf("log in to Argo CD as admin: %w", err)
	}
	return token, nil
}

// loginAttempt bounds one login: the Argo CD client dials without a
// deadline of its own and would wait for ever on a port that accepts
// connections but does not speak gRPC.
const loginAttempt = 10 * time.Second

// createSession makes one Argo CD client and logs in with it, giving up
// after loginAttempt, so that waitReady sees an argocd-server that exited
// rather than waiting on its port.
func (l *Lab) createSession(ctx context.Context, server, password string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, loginAttempt)
	defer cancel()
	type result struct {
		token string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		client, err := apiclient.NewClient(&apiclient.ClientOptions{
			ServerAddr: server,
			PlainText:  true,
			// A file that does not exist: no user's argocd configuration
			// applies.
			ConfigPath: filepath.Join(l.Dir, "home", "argocd-config"),
		})
		if err != nil {
			done <- result{err: fmt.Errorf("Argo CD client for %s: %w", server, err)}
			return
		}
		closer, sessions, err := client.NewSessionClient()
		if err != nil {
			done <- result{err: fmt.Errorf("Argo CD session client for %s: %w", server, err)}
			return
		}
		defer closer.Close()
		resp, err := sessions.Create(ctx, &sessionpkg.SessionCreateRequest{Username: "admin", Password: password})
		if err != nil {
			done <- result{err: err}
			return
		}
		done <- result{token: resp.Token}
	}()
	select {
	case r := <-done:
		return r.token, r.err
	case <-ctx.Done():
		return "", fmt.Errorf("no gRPC answer from %s within %s", server, loginAttempt)
	}
}

// argoLabels mark Argo CD's configuration objects: its settings informer
// reads only objects labelled part-of=argocd.
var argoLabels = map[string]string{"app.kubernetes.io/part-of": "argocd"}

func argoConfigMap(name string, data map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ArgoCDNamespace, Labels: argoLabels},
		Data:       data,
	}
}
