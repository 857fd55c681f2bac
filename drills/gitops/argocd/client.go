package argocd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/argoproj/argo-cd/v2/pkg/apiclient"
	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	projectpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/project"
	"github.com/restore-drill/drill/drills/fault"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// clients are the two Argo CD services drill uses. Tests give fakes.
type clients struct {
	apps     applicationpkg.ApplicationServiceClient
	projects projectpkg.ProjectServiceClient
	closers  []io.Closer
}

func (c *clients) close() {
	for _, cl := range c.closers {
		_ = cl.Close()
	}
}

// connect reaches Argo CD as opts say. NewClient itself does not take a
// context (it asks the server's version to choose between gRPC and
// gRPC-Web), so it runs aside and ctx bounds the wait.
func connect(ctx context.Context, opts Options) (*clients, error) {
	type result struct {
		c   *clients
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := newClients(opts)
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		return r.c, r.err
	case <-ctx.Done():
		go func() { // close what the late connection opens
			if r := <-done; r.c != nil {
				r.c.close()
			}
		}()
		return nil, fmt.Errorf("connect to Argo CD at %s: %w", serverName(opts), ctx.Err())
	}
}

func newClients(opts Options) (*clients, error) {
	co := &apiclient.ClientOptions{
		ServerAddr:           opts.ServerAddr,
		AuthToken:            opts.AuthToken,
		PlainText:            opts.PlainText,
		Insecure:             opts.Insecure,
		GRPCWeb:              opts.GRPCWeb,
		PortForward:          opts.PortForward,
		PortForwardNamespace: opts.PortForwardNamespace,
		ConfigPath:           opts.ConfigPath,
	}
	if opts.PortForward {
		overrides, err := kubeOverrides(opts.Kubeconfig, opts.Context)
		if err != nil {
			return nil, err
		}
		co.KubeOverrides = overrides
	}
	if co.ConfigPath == "" {
		// A file that does not exist: no argocd CLI login applies.
		dir, err := os.MkdirTemp("", "drill-argocd-*")
		if err != nil {
			return nil, fault.Infra(fmt.Errorf("make a temporary directory for the Argo CD client: %w", err))
		}
		defer os.RemoveAll(dir)
		co.ConfigPath = filepath.Join(dir, "config")
	}
	client, err := apiclient.NewClient(co)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("connect to Argo CD at %s: %w; check the server address, or the port-forward's kubeconfig and namespace", serverName(opts), err))
	}
	appCloser, apps, err := client.NewApplicationClient()
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("Argo CD application client for %s: %w", serverName(opts), err))
	}
	projCloser, projects, err := client.NewProjectClient()
	if err != nil {
		_ = appCloser.Close()
		return nil, fault.Infra(fmt.Errorf("Argo CD project client for %s: %w", serverName(opts), err))
	}
	return &clients{apps: apps, projects: projects, closers: []io.Closer{appCloser, projCloser}}, nil
}

func serverName(opts Options) string {
	switch {
	case opts.PortForward:
		return "a port-forward to argocd-server in namespace " + opts.PortForwardNamespace
	case opts.ServerAddr != "":
		return opts.ServerAddr
	}
	return "$" + apiclient.EnvArgoCDServer
}

// apiError names what failed. An Argo CD that cannot be reached, refuses
// the token or denies the token's account what a drill needs is an
// infrastructure error: the drill could not be carried out.
func apiError(err error, what string, opts Options) error {
	wrapped := fmt.Errorf("%s: %w", what, err)
	switch status.Code(err) {
	case codes.Unavailable:
		return fault.Infra(fmt.Errorf("%s: Argo CD at %s cannot be reached: %w", what, serverName(opts), err))
	case codes.Unauthenticated:
		return fault.Infra(fmt.Errorf("%s: Argo CD at %s refused the token (check the auth token): %w", what, serverName(opts), err))
	case codes.PermissionDenied:
		return fault.Infra(fmt.Errorf("%s: Argo CD at %s denied it: the token's account must be allowed to create, sync and delete projects and applications: %w", what, serverName(opts), err))
	}
	return wrapped
}

func isNotFound(err error) bool {
	return status.Code(err) == codes.NotFound
}

// errNotUp is Status before Up.
var errNotUp = errors.New("the application was not brought up yet")
