package lab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"k8s.io/client-go/rest"
)

// Options says where the lab's programs are and where its state goes.
type Options struct {
	// BinDir holds the programs ci/lab/build.sh builds (kube-apiserver,
	// etcd, kwok, argocd-server, ..., and crds/ with Argo CD's CRDs).
	BinDir string
	// Dir is the lab's directory: certificates, data, logs, PIDs and the
	// env file. It is created and must not hold a lab already.
	Dir string
	// WithoutArgoCD starts the Kubernetes half only (no Redis, no Argo CD),
	// for tests that need a cluster and not GitOps.
	WithoutArgoCD bool
	// Progress, if set, gets one line per step, for people.
	Progress io.Writer
}

// Lab is a running lab.
type Lab struct {
	Dir string
	Env Env

	opts    Options
	token   string // the API server's static admin token
	pki     pki
	ports   ports
	started []string // program names, in start order
}

// ports are the lab's listening ports, all on 127.0.0.1.
type ports struct {
	etcd, etcdPeer, apiserver                        int
	redis, repoServer, repoMetrics, server, srvMetrc int
	controllerMetrics                                int
}

func (p ports) list() []int {
	all := []int{p.etcd, p.etcdPeer, p.apiserver, p.redis, p.repoServer, p.repoMetrics, p.server, p.srvMetrc, p.controllerMetrics}
	var used []int
	for _, port := range all {
		if port != 0 {
			used = append(used, port)
		}
	}
	return used
}

// startTimeout bounds the whole start: a warm lab is ready in seconds.
const startTimeout = 3 * time.Minute

// Start starts a lab and returns when the API server, the controllers' node
// and (unless left out) Argo CD answer, with the env file written. On error
// it stops whatever it started and removes the directory.
func Start(ctx context.Context, opts Options) (_ *Lab, err error) {
	if opts.BinDir == "" || opts.Dir == "" {
		return nil, errors.New("start the lab: both the programs' directory and the lab directory are required")
	}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("lab directory %s: %w", opts.Dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, pidsDir)); err == nil {
		return nil, fmt.Errorf("a lab already runs in %s: stop it first (make lab-down)", dir)
	}
	l := &Lab{Dir: dir, opts: opts}
	defer func() {
		if err != nil {
			_ = StopDir(context.WithoutCancel(ctx), dir)
		}
	}()
	for _, sub := range []string{"logs", pidsDir, "home", "pki"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("make the lab directory: %w", err)
		}
	}
	if err := l.prepare(); err != nil {
		return nil, err
	}
	if err := l.startKube(ctx); err != nil {
		return nil, err
	}
	if !opts.WithoutArgoCD {
		if err := l.startArgoCD(ctx); err != nil {
			return nil, err
		}
	}
	if err := l.Env.write(filepath.Join(dir, EnvFile)); err != nil {
		return nil, err
	}
	return l, nil
}

// prepare makes what the programs need before any starts: ports, keys,
// the admin token and the kubeconfigs.
func (l *Lab) prepare() error {
	n := 3
	if !l.opts.WithoutArgoCD {
		n = 9
	}
	p, err := freePorts(n)
	if err != nil {
		return err
	}
	l.ports.etcd, l.ports.etcdPeer, l.ports.apiserver = p[0], p[1], p[2]
	if !l.opts.WithoutArgoCD {
		l.ports.redis, l.ports.repoServer, l.ports.repoMetrics = p[3], p[4], p[5]
		l.ports.server, l.ports.srvMetrc, l.ports.controllerMetrics = p[6], p[7], p[8]
	}
	if l.pki, err = writePKI(filepath.Join(l.Dir, "pki")); err != nil {
		return err
	}
	if l.token, err = randomHex(32); err != nil {
		return err
	}
	l.Env = Env{
		Dir:        l.Dir,
		Kubeconfig: filepath.Join(l.Dir, "kubeconfig"),
		Ports:      l.ports.list(),
		EtcdURL:    "http://127.0.0.1:" + strconv.Itoa(l.ports.etcd),
	}
	if err := writeKubeconfig(l.Env.Kubeconfig, l.apiserverURL(), l.pki.caCert, l.token, "default"); err != nil {
		return err
	}
	return nil
}

// Stop ends every program of the lab and removes its directory.
func (l *Lab) Stop(ctx context.Context) error { return StopDir(ctx, l.Dir) }

// RESTConfig is an admin client configuration for the lab's API server.
func (l *Lab) RESTConfig() *rest.Config {
	return &rest.Config{
		Host:            l.apiserverURL(),
		BearerToken:     l.token,
		TLSClientConfig: rest.TLSClientConfig{CAData: l.pki.caCert},
	}
}

func (l *Lab) apiserverURL() string {
	return "https://127.0.0.1:" + strconv.Itoa(l.ports.apiserver)
}

func (l *Lab) bin(name string) string { return filepath.Join(l.opts.BinDir, name) }

func (l *Lab) progress(format string, args ...any) {
	if l.opts.Progress != nil {
		fmt.Fprintf(l.opts.Progress, "lab: "+format+"\n", args...)
	}
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
